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
    "is_internal",
    "target_per_municipality",
]
INDICATOR_FIELDS = ["name", "unit", "source", "better"]


class PromiseCopyError(Exception):
    """Next year's promise could not be made, with a message for the person who asked."""


@transaction.atomic
def promise_copy_for_next_year(*, promise, by) -> tuple[Promise, bool]:
    """A draft of the next promise, copied from ``promise`` for its coordinators to edit before signing.

    Copied: municipalities, signatories, texts, focus areas, activities with their targets (each under the
    copy of its focus area) and indicators. Not copied: what belongs to this period's follow-up, i.e. records,
    reports, assessments and indicator values, and the signing date. The next period follows this one without
    overlapping it (:func:`next_period`), and the title and slug carry its years (:func:`_next_title`,
    :func:`_free_slug`). Returns (the copy, True), or (the copy made before, False): a second click makes no
    second draft. Raises :class:`PromiseCopyError` when ``by`` does not coordinate one of the promise's
    municipalities or the copy would not be a valid promise (e.g. past the last year the portal accepts).
    """
    municipality_ids = [municipality.pk for municipality in promise.municipalities.all()]
    if not scope_for(by).is_coordinator_of(promise):
        raise PromiseCopyError(_("Only a coordinator of the promise can start next year's promise."))
    # The promise's row is locked so that two clicks at the same moment make one copy, the second finding it.
    Promise.objects.select_for_update().filter(pk=promise.pk).first()
    earlier = Promise.objects.filter(copied_from=promise).order_by("pk").first()
    if earlier is not None:
        return earlier, False
    period_start, period_end = next_period(promise.period_start, promise.period_end)
    year = period_start.year
    shift = year - promise.year
    new = Promise(
        title=_next_title(promise.title, promise, shift),
        slug=_free_slug(promise.slug, promise, shift, municipality_ids),
        copied_from=promise,
        year=year,
        period_start=period_start,
        period_end=period_end,
        status=Promise.Status.DRAFT,
        signed_on=None,
        followup_plan=promise.followup_plan,
        followup_period_ends=_next_period_ends(promise, period_start, period_end),
        **{field: getattr(promise, field) for field in PROMISE_TEXTS},
    )
    try:
        new.full_clean()
    except ValidationError as error:
        raise PromiseCopyError(_describe(error)) from None
    new._history_user = by
    try:
        with transaction.atomic():
            new.save()
            # Its addresses (PromiseAddress) are made here: the database refuses a slug taken meanwhile.
            new.municipalities.set(municipality_ids)
    except IntegrityError:
        # Another promise took the slug between the check above and this save; the whole copy is rolled back.
        raise PromiseCopyError(
            _("Someone else created a promise for %(year)s at the same moment. Try again.") % {"year": year}
        ) from None
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
        copy.target_window_start, copy.target_window_end = _window_in(
            new, activity, period_start.year - promise.period_start.year
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
    return new, True


def _shifted(day, years):
    """The same day ``years`` later; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _window_in(new, activity, years):
    """The activity's target window moved as many years as the period, if it still lies inside the new period."""
    start, end = activity.target_window_start, activity.target_window_end
    if start is None or end is None:
        return None, None
    start, end = _shifted(start, years), _shifted(end, years)
    if new.period_start <= start <= end <= new.period_end:
        return start, end
    return None, None


def _describe(error):
    """A refused copy's validation errors in one sentence, each named after its field."""
    problems = []
    for field, messages in error.message_dict.items():
        label = "" if field == NON_FIELD_ERRORS else f"{Promise._meta.get_field(field).verbose_name}: "
        problems.extend(f"{label}{message}" for message in messages)
    return _("Next year's promise could not be created. %(problems)s") % {"problems": " ".join(problems)}


def _years_of(promise):
    """The years the promise names: from its period's first year to its last, and its own year."""
    return sorted({*range(promise.period_start.year, promise.period_end.year + 1), promise.year})


def _moved_years(text, promise, shift):
    """``text`` with every year of the promise standing alone moved on by ``shift`` ("2019–2020" → "2021–2022")."""
    years = _years_of(promise)
    pattern = re.compile(rf"(?<![0-9])({'|'.join(map(str, years))})(?![0-9])")
    return pattern.sub(lambda match: str(int(match.group(1)) + shift), text), bool(pattern.search(text))


def _next_title(title, promise, shift):
    """The title with the promise's years moved on, or marked as a copy when it names none of them."""
    moved, named = _moved_years(title, promise, shift)
    if named:
        return moved
    max_length = Promise._meta.get_field("title").max_length
    return title[: max_length - len(COPY_MARKER)] + COPY_MARKER


def _free_slug(slug, promise, shift, municipality_ids):
    """The next slug: the years in it moved on, or "-<year>" added; then "-2", "-3" … until it is free in each of
    the promise's municipalities for the new year (addresses are /<kommun>/<år>/<slug>/)."""
    max_length = Promise._meta.get_field("slug").max_length
    year = promise.year + shift
    moved, named = _moved_years(slug, promise, shift)
    base = (moved if named else f"{slug}-{year}")[:max_length]
    candidate, number = base, 1
    while Promise.objects.slug_taken(slug=candidate, year=year, municipality_ids=municipality_ids):
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate


def _next_period_ends(promise, start, end):
    """A custom plan's end dates moved on as many years as the period was, those outside the new period left out."""
    years = start.year - promise.period_start.year
    moved = [_years_later(day, years, keep_month_end=True) for day in promise.custom_period_ends()]
    return [day.isoformat() for day in moved if start <= day < end]


def next_period(start, end):
    """The period that follows ``start``..``end`` without overlapping it.

    - Whole calendar years (1 January to 31 December, one year or several) are followed by as many whole years:
      2019–2020 by 2021–2022.
    - A period within a year is moved on one year, so a promise that ran from its signing on 15 March to the end
      of the year is followed by one from 15 March: 29 February becomes 28 February in a year without it, and an
      end on the last day of a month stays on the last day (the end of February 2019 becomes 29 February 2020).
    - A longer period that is not whole years starts again the day after it ends and runs to the same day and
      month as it did, as many years on as it spanned.
    """
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        years = end.year - start.year + 1
        return datetime.date(end.year + 1, 1, 1), datetime.date(end.year + years, 12, 31)
    moved_start = _years_later(start, 1)
    if moved_start > end:
        return moved_start, _years_later(end, 1, keep_month_end=True)
    return end + datetime.timedelta(days=1), _years_later(end, end.year - start.year, keep_month_end=True)


def _years_later(day, years, *, keep_month_end=False):
    year = day.year + years
    days_then = calendar.monthrange(year, day.month)[1]
    if keep_month_end and day.day == calendar.monthrange(day.year, day.month)[1]:
        return day.replace(year=year, day=days_then)
    return day.replace(year=year, day=min(day.day, days_then))
