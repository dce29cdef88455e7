"""A promise's own workflow: signing, closing and reopening it, and sharing a draft with a neighbouring municipality.

Each function checks who may take the step (a coordinator of one of the promise's municipalities, or an
administrator), changes the promise in one transaction and leaves an entry in its history with who and why.
Refusals raise :class:`PromiseRefused` with a message for the person who asked.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Municipality, Promise, PromiseLinkRequest
from .scope import Role, scope_for

logger = logging.getLogger("portal.promises")


class PromiseRefused(Exception):
    """A step on a promise that its rules refuse."""


def _reason(text) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= 100 else text[:99] + "…"


def _locked_promise(promise) -> Promise:
    """The promise's row, locked until the transaction ends, so that two steps on it are taken one after the other."""
    return Promise.objects.select_for_update().get(pk=promise.pk)


def _require_coordinator(by, promise):
    if not scope_for(by).is_coordinator_of(promise):
        raise PromiseRefused(_("Only a coordinator of the promise can do this."))


def _save(promise, *, by, reason="", fields):
    promise._history_user = by
    if reason:
        promise._change_reason = _reason(reason)
    promise.full_clean()
    promise.save(update_fields=[*fields, "data_version"])


@transaction.atomic
def promise_sign(*, promise, by, signed_on) -> Promise:
    """Signs a draft: from now on it is public, and its activities can be logged."""
    _require_coordinator(by, promise)
    promise = _locked_promise(promise)
    if promise.status != Promise.Status.DRAFT:
        raise PromiseRefused(_("Only a draft can be signed."))
    if signed_on is None or signed_on > timezone.localdate():
        raise PromiseRefused(_("Give the date the promise was signed; it cannot be in the future."))
    if promise.link_requests.filter(decided_at__isnull=True).exists():
        raise PromiseRefused(
            _(
                "A municipality has not yet answered the request to share the promise. Wait for its answer, or "
                "withdraw the request."
            )
        )
    if not promise.activities.exists():
        raise PromiseRefused(_("Add at least one activity before the promise is signed."))
    promise.status, promise.signed_on = Promise.Status.SIGNED, signed_on
    _save(promise, by=by, reason=_("Signed"), fields=["status", "signed_on"])
    logger.info("promise signed: promise=%s by=%s", promise.pk, by.pk)
    return promise


@transaction.atomic
def promise_close(*, promise, by) -> Promise:
    """Closes a signed promise: it stays public, and no more activities are logged in it."""
    _require_coordinator(by, promise)
    promise = _locked_promise(promise)
    if promise.status != Promise.Status.SIGNED:
        raise PromiseRefused(_("Only a signed promise can be closed."))
    promise.status = Promise.Status.CLOSED
    _save(promise, by=by, reason=_("Closed"), fields=["status"])
    logger.info("promise closed: promise=%s by=%s", promise.pk, by.pk)
    return promise


@transaction.atomic
def promise_reopen(*, promise, by, reason) -> Promise:
    """Reopens a closed promise, e.g. to enter last year's results; the reason is kept in its history."""
    _require_coordinator(by, promise)
    if not (reason or "").strip():
        raise PromiseRefused(_("Say why the promise is reopened."))
    promise = _locked_promise(promise)
    if promise.status != Promise.Status.CLOSED:
        raise PromiseRefused(_("Only a closed promise can be reopened."))
    promise.status = Promise.Status.SIGNED
    _save(promise, by=by, reason=reason, fields=["status"])
    logger.info("promise reopened: promise=%s by=%s", promise.pk, by.pk)
    return promise


# Sharing a draft with a neighbouring municipality ------------------------------------------------------------


@transaction.atomic
def promise_link_request(*, promise, municipality, by) -> PromiseLinkRequest:
    """Asks ``municipality`` to share the draft; it joins only when one of its coordinators accepts."""
    _require_coordinator(by, promise)
    promise = _locked_promise(promise)
    if promise.status != Promise.Status.DRAFT:
        raise PromiseRefused(_("Municipalities can be added only while the promise is a draft."))
    if promise.municipalities.filter(pk=municipality.pk).exists():
        raise PromiseRefused(_("%(municipality)s is already part of the promise.") % {"municipality": municipality})
    if promise.link_requests.filter(municipality=municipality, decided_at__isnull=True).exists():
        raise PromiseRefused(_("%(municipality)s has already been asked.") % {"municipality": municipality})
    link = PromiseLinkRequest(promise=promise, municipality=municipality, requested_by=by)
    link._history_user = by
    link.save()
    logger.info("promise link requested: promise=%s municipality=%s by=%s", promise.pk, municipality.pk, by.pk)
    return link


def link_requests_for(user):
    """Open requests to share a promise with a municipality the user coordinates."""
    scope = scope_for(user)
    requests = PromiseLinkRequest.objects.filter(decided_at__isnull=True).select_related(
        "promise", "municipality", "requested_by"
    )
    if scope.is_administrator:
        return requests
    return requests.filter(municipality__in=scope.municipalities_where(Role.COORDINATOR))


@transaction.atomic
def promise_link_decide(*, link_request, by, accept: bool) -> PromiseLinkRequest:
    """The asked municipality's coordinator accepts (the municipality joins the draft) or declines."""
    link = (
        PromiseLinkRequest.objects.select_for_update().select_related("promise", "municipality").get(pk=link_request.pk)
    )
    if not scope_for(by).has_role_in([link.municipality_id], Role.COORDINATOR):
        raise PromiseRefused(
            _("Only a coordinator of %(municipality)s can answer.") % {"municipality": link.municipality}
        )
    if not link.is_open:
        raise PromiseRefused(_("This request has already been answered."))
    promise = _locked_promise(link.promise)
    if accept:
        if promise.status != Promise.Status.DRAFT:
            raise PromiseRefused(_("The promise is no longer a draft, so it can no longer be shared."))
        if Promise.objects.slug_taken(
            slug=promise.slug, year=promise.year, municipality_ids=[link.municipality_id], exclude=promise.pk
        ):
            raise PromiseRefused(
                _(
                    "%(municipality)s already has a promise for %(year)s with the address name “%(slug)s”. Give "
                    "this promise another address name first."
                )
                % {"municipality": link.municipality, "year": promise.year, "slug": promise.slug}
            )
        promise.municipalities.add(link.municipality)
    link.decided_by, link.decided_at, link.accepted = by, timezone.now(), accept
    link._history_user = by
    link.save()
    logger.info(
        "promise link %s: promise=%s municipality=%s by=%s",
        "accepted" if accept else "declined",
        promise.pk,
        link.municipality_id,
        by.pk,
    )
    return link


@transaction.atomic
def promise_link_withdraw(*, link_request, by) -> None:
    """The asking side withdraws an open request (recorded as declined by them)."""
    link = PromiseLinkRequest.objects.select_for_update().select_related("promise").get(pk=link_request.pk)
    _require_coordinator(by, link.promise)
    if not link.is_open:
        raise PromiseRefused(_("This request has already been answered."))
    link.decided_by, link.decided_at, link.accepted = by, timezone.now(), False
    link._history_user = by
    link._change_reason = _("Withdrawn")
    link.save()


def municipalities_to_ask(promise):
    """Every municipality not yet part of the promise nor asked: any municipality in the country may be asked."""
    asked = promise.link_requests.filter(decided_at__isnull=True).values("municipality_id")
    return Municipality.objects.exclude(promises=promise).exclude(pk__in=asked).order_by("name")
