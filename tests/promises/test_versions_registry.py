"""The data-version registry is complete: every model whose rows a cached page or figure shows is registered.

Each app registers its own models with :mod:`promises.versions` in its ``ready()``. A model that links to a
promise and is left out would let its writes keep a stale page on show; these tests fail as soon as one is added
without registering it (or without saying here why it needs no token).
"""

from django.apps import apps
from django.db import models

from promises import versions
from promises.models import Promise

DOMAIN_APPS = ("promises", "activities", "followup")

# Models that no cached page or figure shows, and why.
NEEDS_NO_TOKEN = {
    # Who may do what: checked on every request before anything cached is served, never cached itself.
    "promises.membership",
    # The accessibility statement page is not cached.
    "promises.accessibilitystatement",
    # An invitation gives nobody anything until accepted, and then a membership (above).
    "promises.invitation",
    # A promise's addresses are written with the promise itself (its save, its municipalities' change).
    "promises.promiseaddress",
    # An organisation's identity provider is read by the log-in page, which is never cached.
    "promises.identityprovider",
}


def _domain_models():
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            # django-simple-history's tables record what happened; nothing is drawn from them into a cache.
            if model.__name__.startswith("Historical"):
                continue
            yield model


def _reaches_a_promise(model, seen=()):
    """Whether a chain of foreign keys leads from the model to a promise."""
    if model is Promise:
        return True
    return any(
        _reaches_a_promise(field.related_model, (*seen, model))
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model not in seen
    )


def test_every_model_under_a_promise_is_registered():
    under_promise, _reference, _links = versions.registered()
    missing = [
        model._meta.label_lower
        for model in _domain_models()
        if model is not Promise
        and _reaches_a_promise(model)
        and model not in under_promise
        and model._meta.label_lower not in NEEDS_NO_TOKEN
    ]
    assert missing == []


def test_every_model_is_under_a_promise_shared_reference_or_named_here():
    under_promise, reference, _links = versions.registered()
    unclassified = [
        model._meta.label_lower
        for model in _domain_models()
        if model is not Promise
        and model not in under_promise
        and model not in reference
        and model._meta.label_lower not in NEEDS_NO_TOKEN
    ]
    assert unclassified == []


def test_every_link_table_of_a_registered_model_is_registered():
    under_promise, reference, links = versions.registered()
    missing = [
        f"{model._meta.label_lower}.{field.name}"
        for model in [Promise, *under_promise, *reference]
        for field in model._meta.many_to_many
        if field.remote_field.through not in links
    ]
    assert missing == []


def test_each_registration_finds_its_promise_by_a_path_that_exists():
    under_promise, _reference, _links = versions.registered()
    for model, found in under_promise.items():
        # Raises FieldError when the path or the parent field does not exist.
        str(Promise.objects.filter(**{found.path: 1}).query)
        assert found.parent in {field.attname for field in model._meta.concrete_fields}, model
