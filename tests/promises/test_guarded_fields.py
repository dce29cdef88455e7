"""Every text field a person can type into carries the privacy guard and a bound, through one field type.

The walk goes over every model of the project's apps (their history tables included) and fails on a text field
that is neither guarded nor on the short list of fields no person types. A new field cannot forget the guard.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from activities.models import ActivityRecord
from promises.fields import GuardedCharField, GuardedTextField, GuardedTextMixin
from promises.models import Place
from promises.privacy import validate_no_identity_number

PROJECT_APPS = {"promises", "activities", "followup", "public", "staff", "api", "seeding", "ops", "config"}

# Text fields no person types, each with the reason. Fields with choices are left out too: their value is one of
# the choices or refused.
EXEMPT = {
    "promises.Invitation.token_hash": "a hash of the invitation link's random token, made by the portal",
    "promises.HistoricalInvitation.token_hash": "the history's copy of the same hash",
    "followup.TertialReport.kind": "the letter of the report's kind of period (T, H, Q, Y, P), set by the portal",
    "followup.HistoricalTertialReport.kind": "the history's copy of the same letter",
}
# django-simple-history's own column: a reason cut to 100 characters (activities.models.change_reason) from a form
# field that carries the guard itself (a void reason, a membership's or a promise's reason).
HISTORY_REASON = "history_change_reason"

SPELLED = "811218\u20139876"  # en dash


def text_fields():
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, (models.CharField, models.TextField)):
                yield f"{model._meta.label}.{field.name}", field


def is_exempt(label, field):
    return bool(field.choices) or label in EXEMPT or field.name == HISTORY_REASON


def guarded_fields():
    return [pytest.param(field, id=label) for label, field in text_fields() if not is_exempt(label, field)]


def unguarded(fields):
    return [label for label, field in fields if validate_no_identity_number not in field.validators]


def test_every_text_field_of_every_model_carries_the_guard():
    fields = list(text_fields())
    assert unguarded([(label, field) for label, field in fields if not is_exempt(label, field)]) == []
    labels = {label for label, _field in fields}
    # The fields once found without a guard are among those walked.
    for label in (
        "promises.Place.name",
        "promises.Organisation.name",
        "promises.Municipality.name",
        "promises.Promise.slug",
        "promises.AccessibilityStatement.shortcomings",
        "activities.Activity.unit",
        "activities.ActivityKind.name",
        "activities.ActivityKind.description",
        "followup.Council.name",
        "activities.HistoricalActivity.unit",
    ):
        assert label in labels
    assert set(EXEMPT) <= labels  # the exemptions name fields that exist


def test_the_walk_catches_a_plain_text_field():
    assert unguarded([("plain", models.CharField(max_length=10)), ("text", models.TextField())]) == ["plain", "text"]
    assert unguarded([("guarded", GuardedCharField(max_length=10))]) == []


def test_a_guarded_field_cannot_be_unbounded():
    with pytest.raises(TypeError):
        GuardedTextField()


@pytest.mark.parametrize("field", guarded_fields())
def test_each_guarded_field_refuses_the_number_in_the_model_and_in_its_form(field):
    assert isinstance(field, GuardedTextMixin)
    with pytest.raises(ValidationError) as caught:
        field.run_validators(f"minst 2 {SPELLED}")
    assert "identity_number" in [error.code for error in caught.value.error_list]
    form_field = field.formfield()
    with pytest.raises(ValidationError) as caught:
        form_field.clean(f"minst 2 {SPELLED}")
    assert "identity_number" in [error.code for error in caught.value.error_list]


@pytest.mark.parametrize("field", guarded_fields())
def test_each_guarded_field_is_bounded_in_the_model_the_form_and_the_database(field):
    assert field.max_length
    too_long = "a" * (field.max_length + 1)
    with pytest.raises(ValidationError) as caught:
        field.run_validators(too_long)
    assert "max_length" in [error.code for error in caught.value.error_list]
    form_field = field.formfield()
    assert form_field.max_length == field.max_length
    assert form_field.widget.attrs["maxlength"] == str(field.max_length)
    bound = LessThanOrEqual(Length(field.attname), field.max_length)
    assert any(getattr(constraint, "condition", None) == bound for constraint in field.model._meta.constraints)


@pytest.mark.django_db
def test_the_database_refuses_a_text_longer_than_its_bound(world):
    # Past every form and model check, as a script or a bulk update would write.
    record = ActivityRecord.objects.create(
        activity=world.count_activity,
        occurred_on="2020-03-10",
        recorded_by=world.police_recorder,
        summary="Kort.",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityRecord.objects.filter(pk=record.pk).update(summary="a" * 4001)
    # PostgreSQL's varchar(100) refuses it before the check does, with a DataError; SQLite has only the check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Place.objects.filter(pk=world.district.pk).update(name="a" * 101)
    record.refresh_from_db()
    assert record.summary == "Kort."


def test_the_message_for_a_text_too_long_is_plain_swedish():
    from django.utils import translation

    field = ActivityRecord._meta.get_field("summary").formfield()
    with translation.override("sv"), pytest.raises(ValidationError) as caught:
        field.clean("a" * 1_000_000)
    with translation.override("sv"):
        assert caught.value.messages == ["Texten är för lång: högst 4000 tecken (den har 1000000)."]
