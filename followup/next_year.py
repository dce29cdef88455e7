"""Starting next year's promise as a draft copy of this one: its texts, focus areas, activities and indicators."""

import calendar
import datetime
import logging
import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from activities.models import Activity
from promises.models import FocusArea, Promise
from promises.scope import scope_for

from .models import Indicator

logger = logging.getLogger("portal.promises")

# The title and slug are data in the promise's own language, not interface text, so the marker is Swedish
# whatever language the person copying happens to use.
COPY_MARKER = " (kopia)"

PROMISE_TEXTS = ["situation", "pledge", "expected_effects", "follow_up", "communication"]
FOCUS_AREA_FIELDS = ["title", "description", "order"]
ACTIVITY_FIELDS = [
    "kind_id",
    "title",
    "description",
    "lead_organisation_id",
    "target_count",
    "unit",
    "recurrence",
    "order",
]
INDICATOR_FIELDS = ["name", "unit", "source", "better"]


class PromiseCopyError(Exception):
    """Next year's promise could not be made, with a message for the person who asked."""


@transaction.atomic
def promise_copy_for_next_year(*, promise, by) -> Promise:
    """A draft of next year's promise, copied from ``promise`` for its coordinators to edit before signing.

    Copied: municipalities, signatories, texts, focus areas, activities with their targets (each under the
    copy of its focus area) and indicators. Not copied: what belongs to this year's follow-up, i.e. records,
    reports, assessments and indicator values, and the signing date. The title and slug carry the new year
    (see :func:`_next_title` and :func:`_free_slug`), and the period moves on one year (:func:`_next_period`).
    Raises :class:`PromiseCopyError` when ``by`` does not coordinate one of the promise's municipalities or
    the copy would not be a valid promise (e.g. past the last year the portal accepts).
    """
    municipality_ids = [municipality.pk for municipality in promise.municipalities.all()]
    if not scope_for(by).is_coordinator_of(promise):
        raise PromiseCopyError(_("Only a coordinator of the promise can start next year's promise."))
    year = promise.year + 1
    period_start, period_end = _next_period(promise, year)
    new = Promise(
        title=_next_title(promise.title, promise.year),
        slug=_free_slug(promise.slug, promise.year),
        year=year,
        period_start=period_start,
        period_end=period_end,
        status=Promise.Status.DRAFT,
        signed_on=None,
        **{field: getattr(promise, field) for field in PROMISE_TEXTS},
    )
    try:
        new.full_clean()
    except ValidationError as error:
        raise PromiseCopyError(_describe(error)) from None
    new._history_user = by
    try:
        new.save()
    except IntegrityError:
        # Another copy took the slug between the check above and this save; the whole copy is rolled back.
        raise PromiseCopyError(
            _("Someone else created a promise for %(year)s at the same moment. Try again.") % {"year": year}
        ) from None
    new.municipalities.set(municipality_ids)
    new.signatories.set(promise.signatories.all())

    focus_areas = {
        area.pk: FocusArea.objects.create(promise=new, **{field: getattr(area, field) for field in FOCUS_AREA_FIELDS})
        for area in promise.focus_areas.all()
    }
    activities = promise.activities.prefetch_related("partner_organisations", "target_places")
    for activity in activities:
        copy = Activity(
            promise=new,
            focus_area=focus_areas.get(activity.focus_area_id),
            **{field: getattr(activity, field) for field in ACTIVITY_FIELDS},
        )
        copy._history_user = by
        copy.save()
        copy.partner_organisations.set(activity.partner_organisations.all())
        copy.target_places.set(activity.target_places.all())
    Indicator.objects.bulk_create(
        Indicator(promise=new, **{field: getattr(indicator, field) for field in INDICATOR_FIELDS})
        for indicator in promise.indicators.all()
    )
    logger.info("promise copied for next year: from=%s to=%s by=%s", promise.pk, new.pk, by.pk)
    return new


def _describe(error):
    """A refused copy's validation errors in one sentence, each named after its field."""
    problems = []
    for field, messages in error.message_dict.items():
        label = "" if field == NON_FIELD_ERRORS else f"{Promise._meta.get_field(field).verbose_name}: "
        problems.extend(f"{label}{message}" for message in messages)
    return _("Next year's promise could not be created. %(problems)s") % {"problems": " ".join(problems)}


def _year_pattern(year):
    """``year`` standing alone: 2020 in "Medborgarlöfte 2020" or "strangnas-2020", but not in "12020"."""
    return re.compile(rf"(?<![0-9]){year}(?![0-9])")


def _next_title(title, year):
    """The title with the promise's year moved on one, or marked as a copy when it does not name the year."""
    pattern = _year_pattern(year)
    if pattern.search(title):
        return pattern.sub(str(year + 1), title)
    max_length = Promise._meta.get_field("title").max_length
    return title[: max_length - len(COPY_MARKER)] + COPY_MARKER


def _free_slug(slug, year):
    """Next year's slug: the year in it moved on one, or "-<year>" added; then "-2", "-3" … until it is free."""
    pattern = _year_pattern(year)
    max_length = Promise._meta.get_field("slug").max_length
    base = (pattern.sub(str(year + 1), slug) if pattern.search(slug) else f"{slug}-{year + 1}")[:max_length]
    candidate, number = base, 1
    while Promise.objects.filter(year=year + 1, slug=candidate).exists():
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate


def _next_period(promise, year):
    """The period one year on: a whole calendar year stays one; otherwise both ends move a year.

    29 February becomes 28 February in a year without it. An end on the last day of a month stays on the
    last day, so a period running to the end of February 2019 runs to 29 February 2020.
    """
    start, end = promise.period_start, promise.period_end
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return _one_year_later(start), _one_year_later(end, keep_month_end=True)


def _one_year_later(day, *, keep_month_end=False):
    days_then = calendar.monthrange(day.year + 1, day.month)[1]
    if keep_month_end and day.day == calendar.monthrange(day.year, day.month)[1]:
        return day.replace(year=day.year + 1, day=days_then)
    return day.replace(year=day.year + 1, day=min(day.day, days_then))
