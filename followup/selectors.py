"""Reads that feed the progress rules: a fixed number of queries, whatever the number of records.

The rules themselves live in :mod:`followup.progress` and never touch the database; this module fetches
exactly what they need. Records are summed per activity, day and place in SQL, so a promise with thousands
of records still hands the rules a few hundred rows.

Figures are cached under the promise's data version (:mod:`promises.versions`), which every write under the
promise renews, and the day they are judged at: a cached figure is always what computing it again would give.
The token is read with the promise, before the records, so a figure is never stored under a newer token than
the records it was computed from. Writes that compute figures to store them (the snapshots submission and
approval freeze) compute them live: their promise may have been read before an earlier write of the same request.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.core.cache import cache
from django.db.models import Prefetch, Sum

from activities.models import Activity, ActivityRecord
from promises.models import Place, Promise

from .models import Indicator
from .periods import PlannedPeriod, schedule_of
from .progress import (
    Progress,
    RecordFact,
    Status,
    Target,
    promise_progress,
    quantities_by_group,
    quantities_by_tertial,
    status_counts,
)
from .snapshot import NO_PLACE, ActivitySnapshot, IndicatorSnapshot, PeriodSnapshot, Snapshot, ValueSnapshot
from .tertials import Period, Tertial


def with_targets(activities):
    """The activities' QuerySet with what computing their progress needs, fetched up front."""
    return activities.select_related("promise").prefetch_related(
        Prefetch("target_places", queryset=Place.objects.only("pk", "name", "kind").order_by("name"))
    )


def target_of(activity) -> Target:
    """The plain target of an activity whose target places were prefetched."""
    window = None
    if activity.target_window_start and activity.target_window_end:
        window = Period(activity.target_window_start, activity.target_window_end)
    return Target(
        count=activity.target_count,
        places=frozenset(place.pk for place in activity.target_places.all()),
        recurrence=activity.recurrence,
        window=window,
        per_municipality=activity.target_per_municipality,
    )


def record_facts(activity_ids) -> dict[int, list[RecordFact]]:
    """The non-voided records of these activities, summed per day and place: one query."""
    rows = (
        ActivityRecord.objects.active()
        .filter(activity_id__in=activity_ids)
        .values("activity_id", "occurred_on", "place_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    facts = defaultdict(list)
    for row in rows:
        facts[row["activity_id"]].append(RecordFact(row["occurred_on"], row["total"], row["place_id"]))
    return facts


def period_of(promise) -> Period:
    """The promise's period with its follow-up plan: its tertials, or the periods of its plan (followup.periods)."""
    schedule = schedule_of(promise)
    if schedule.is_tertials:
        return Period(promise.period_start, promise.period_end)
    return PlannedPeriod(promise.period_start, promise.period_end, schedule=schedule)


# The tokens make every entry exact; the timeout only lets entries of old tokens and days go.
FIGURES_TIMEOUT = 2 * 24 * 60 * 60


def figures_key(kind: str, obj, *parts) -> str:
    """The cache key of a figure of a promise or municipality, under its current data version."""
    return ":".join(["figures", kind, str(obj.pk), obj.data_version.hex, *map(str, parts)])


def cached_progress_of(activities, *, at: date) -> dict[int, Progress]:
    """:func:`progress_of`, from the cache where it can be: the records of missing activities only are read."""
    activities = list(activities)
    keys = {activity.pk: figures_key("progress", activity.promise, activity.pk, at) for activity in activities}
    found = cache.get_many(keys.values())
    progress = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [activity for activity in activities if activity.pk not in progress]
    if missing:
        computed = progress_of(missing, at=at)
        cache.set_many({keys[pk]: value for pk, value in computed.items()}, FIGURES_TIMEOUT)
        progress.update(computed)
    return progress


def progress_of(activities, *, at: date, facts=None) -> dict[int, Progress]:
    """Progress at ``at`` of each activity, by id; activities may belong to several promises.

    ``activities`` must come from :func:`with_targets` (or otherwise have their promise and target places
    loaded); the records of all of them are read with one query unless ``facts`` already holds them.
    """
    activities = list(activities)
    if facts is None:
        facts = record_facts([activity.pk for activity in activities])
    by_promise = defaultdict(list)
    for activity in activities:
        by_promise[activity.promise].append(activity)
    groups = _groups_for_shares(activities)
    progress = {}
    for promise, members in by_promise.items():
        progress.update(
            promise_progress(
                targets={activity.pk: target_of(activity) for activity in members},
                records=[(activity.pk, fact) for activity in members for fact in facts.get(activity.pk, ())],
                period=period_of(promise),
                at=at,
                groups=groups.get(promise.pk),
            )
        )
    return progress


def _groups_for_shares(activities) -> dict:
    """{promise id: (its municipality names in order, {place id: municipality name})} for the promises of several
    municipalities with a target per municipality among ``activities``: two queries, none when there is no such
    target."""
    promise_ids = {activity.promise_id for activity in activities if activity.target_per_municipality}
    if not promise_ids:
        return {}
    links = list(
        Promise.municipalities.through.objects.filter(promise_id__in=promise_ids).values_list(
            "promise_id", "municipality_id", "municipality__name"
        )
    )
    names = defaultdict(list)
    for promise_id, municipality_id, name in links:
        names[promise_id].append((name, municipality_id))
    name_of = {municipality_id: name for _promise, municipality_id, name in links}
    places = Place.objects.filter(municipality_id__in=name_of).values_list("pk", "municipality_id")
    group_of = {pk: name_of[owner] for pk, owner in places}
    return {
        promise_id: ([name for name, _pk in sorted(members)], group_of)
        for promise_id, members in names.items()
        if len(members) > 1
    }


def promise_activities(promise):
    """A promise's activities in order, ready for :func:`progress_of`."""
    return (
        with_targets(Activity.objects.filter(promise=promise))
        .select_related("focus_area", "kind", "lead_organisation")
        .prefetch_related("partner_organisations")
        .order_by("focus_area__order", "focus_area_id", "order", "pk")
    )


@dataclass(frozen=True)
class ActivityFigures:
    """One activity's figures for a tertial: what the dashboard shows, exports list and approval freezes."""

    activity: Activity
    progress: Progress
    per_tertial: dict  # Tertial -> quantity
    # For a promise of several municipalities: (municipality name, quantity) for each, then NO_PLACE if any.
    per_municipality: tuple = ()

    @property
    def covered_places(self):
        return [place for place in self.activity.target_places.all() if place.pk in self.progress.covered]

    @property
    def missing_places(self):
        return [place for place in self.activity.target_places.all() if place.pk not in self.progress.covered]


def judged_at(promise, tertial: Tertial) -> date:
    """The day a tertial is judged: its last day, or the period's last day if the period ends first."""
    return min(tertial.end, promise.period_end)


def _municipality_of_places(promise):
    """(the promise's municipality names in order, {place id: municipality name}), or None for one municipality.

    One query for the municipalities unless they were prefetched, and one for their places.
    """
    municipalities = sorted(promise.municipalities.all(), key=lambda municipality: (municipality.name, municipality.pk))
    if len(municipalities) < 2:
        return None
    names = {municipality.pk: municipality.name for municipality in municipalities}
    places = Place.objects.filter(municipality_id__in=names).values_list("pk", "municipality_id")
    return [municipality.name for municipality in municipalities], {pk: names[owner] for pk, owner in places}


def _per_municipality(facts, *, period, at, groups) -> tuple:
    """An activity's quantity per municipality of a shared promise, records without a place under NO_PLACE."""
    if groups is None:
        return ()
    names, group_of = groups
    totals = quantities_by_group(facts, period=period, at=at, group_of=group_of, default=NO_PLACE)
    rows = [(name, totals.get(name, 0)) for name in names]
    if totals.get(NO_PLACE):
        rows.append((NO_PLACE, totals[NO_PLACE]))
    return tuple(rows)


def promise_figures(promise, tertial: Tertial, *, cached: bool = True) -> list[ActivityFigures]:
    """Every activity of the promise with its progress at the tertial's end and its quantity per tertial.

    Four queries whatever the size: activities, their target places, their partners, the summed records; the
    last is left out when the promise's figures at that day are cached (``cached=False`` computes them live). A
    promise of several municipalities takes two more (its municipalities and their places) for the breakdown of
    each activity's quantity per municipality.
    """
    activities = list(promise_activities(promise))
    at = judged_at(promise, tertial)
    key = figures_key("promise", promise, at)
    numbers = cache.get(key) if cached else None
    if numbers is None or set(numbers) != {activity.pk for activity in activities}:
        facts = record_facts([activity.pk for activity in activities])
        progress = progress_of(activities, at=at, facts=facts)
        period = period_of(promise)
        groups = _municipality_of_places(promise)
        numbers = {
            activity.pk: (
                progress[activity.pk],
                quantities_by_tertial(facts.get(activity.pk, ()), period),
                _per_municipality(facts.get(activity.pk, ()), period=period, at=at, groups=groups),
            )
            for activity in activities
        }
        if cached:
            cache.set(key, numbers, FIGURES_TIMEOUT)
    return [
        ActivityFigures(
            activity=activity,
            progress=numbers[activity.pk][0],
            per_tertial=numbers[activity.pk][1],
            per_municipality=numbers[activity.pk][2],
        )
        for activity in activities
    ]


@dataclass(frozen=True)
class PromiseCounts:
    """A promise's activities judged on one day: how many, and how many of them have each status."""

    judged_at: date
    activity_count: int
    counts: dict  # Status -> number, in the order of Status


def promise_status_counts(promises, *, today: date) -> dict[int, PromiseCounts]:
    """Each promise's status counts, judged on the earlier of ``today`` and its last day, by promise id.

    From the cache where it can be; the promises missing from it are computed together: their activities with
    targets (two queries) and their summed records (one). ``promises`` must carry their data version, read
    before this is called.
    """
    promises = list(promises)
    judged = {promise.pk: min(today, promise.period_end) for promise in promises}
    keys = {promise.pk: figures_key("counts", promise, judged[promise.pk]) for promise in promises}
    found = cache.get_many(keys.values())
    result = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = {promise.pk: promise for promise in promises if promise.pk not in result}
    if missing:
        activities = list(with_targets(Activity.objects.filter(promise_id__in=missing)).order_by())
        facts = record_facts([activity.pk for activity in activities])
        by_promise = defaultdict(list)
        for activity in activities:
            by_promise[activity.promise_id].append(activity)
        computed = {}
        for pk in missing:
            progress = progress_of(by_promise[pk], at=judged[pk], facts=facts)
            computed[pk] = PromiseCounts(judged[pk], len(progress), status_counts(progress.values()))
        cache.set_many({keys[pk]: value for pk, value in computed.items()}, FIGURES_TIMEOUT)
        result.update(computed)
    return result


def current_tertial_of(promise, today: date) -> Tertial:
    """The tertial a dashboard opens on: today's, clamped to the promise's first and last tertial."""
    period = period_of(promise)
    tertials = period.tertials()
    return min(max(period.period_of(today), tertials[0]), tertials[-1])


def _place_kind(places) -> str:
    """ "district" when every place is a district, "site" when every one is a site, else ""."""
    kinds = {place.kind for place in places}
    return kinds.pop() if len(kinds) == 1 else ""


def activity_rows(figures, assessments, *, up_to: Tertial) -> list[ActivitySnapshot]:
    """Each activity's figures with its assessment (if any), in the snapshot's type.

    The report page, the exports and approval all read a tertial's figures in this one shape, live or frozen.
    ``assessments`` maps activity id to the report's assessment; quantities are given for the tertials up to
    ``up_to`` only, since later ones are still open. The status is the computed one unless the assessment holds
    one someone chose.
    """
    rows = []
    for figure in figures:
        activity, progress = figure.activity, figure.progress
        assessment = assessments.get(activity.pk)
        places = list(activity.target_places.all())
        rows.append(
            ActivitySnapshot(
                id=activity.pk,
                title=activity.title,
                focus_area=activity.focus_area.title if activity.focus_area else "",
                kind=activity.kind.name,
                description=activity.description,
                unit=activity.unit,
                target_count=activity.target_count,
                recurrence=activity.recurrence,
                lead_organisation=activity.lead_organisation.name,
                partner_organisations=tuple(organisation.name for organisation in activity.partner_organisations.all()),
                achieved=progress.achieved,
                expected=float(progress.expected),
                target_places=tuple(place.name for place in places),
                target_place_kind=_place_kind(places),
                covered_places=tuple(place.name for place in figure.covered_places),
                computed_status=progress.status,
                status=Status(assessment.status) if assessment and assessment.status else progress.status,
                comment=assessment.comment if assessment else "",
                comment_public=assessment.comment_public if assessment else False,
                verdict=assessment.verdict if assessment else "",
                verdict_reason=assessment.verdict_reason if assessment else "",
                verdict_explanation=assessment.verdict_explanation if assessment else "",
                per_tertial={
                    tertial.code: quantity for tertial, quantity in figure.per_tertial.items() if tertial <= up_to
                },
                per_municipality=figure.per_municipality,
                internal=activity.is_internal,
                target_window_start=activity.target_window_start.isoformat() if activity.target_window_start else "",
                target_window_end=activity.target_window_end.isoformat() if activity.target_window_end else "",
                outside_window=progress.outside_window,
                target_per_municipality=activity.target_per_municipality,
                parts=tuple((name, part.achieved, str(part.status)) for name, part in progress.parts),
            )
        )
    return rows


def _value_snapshot(value) -> ValueSnapshot:
    if value.year is not None:
        tertial = Tertial(value.year, value.number)
        return ValueSnapshot(
            start=tertial.start, end=tertial.end, value=value.value, code=tertial.code, note=value.note
        )
    return ValueSnapshot(start=value.measured_on, end=value.measured_on, value=value.value, note=value.note)


def indicator_snapshots(promise, *, up_to: Tertial) -> tuple[IndicatorSnapshot, ...]:
    """The promise's indicators with their baseline and their values up to ``up_to``: two queries.

    The baseline is the latest value dated before the promise's period; later ones before it are not shown.
    Values of later tertials belong to a later report and are left out. Values are in time order: a tertial's
    value stands at its last day, before a value measured on that same day.
    """
    period = period_of(promise)
    last_day = min(up_to.end, period.end)
    result = []
    for indicator in Indicator.objects.filter(promise=promise).order_by("name", "pk").prefetch_related("values"):
        values = sorted(indicator.values.all(), key=lambda value: (value.last_day, value.year is None, value.pk))
        before = [value for value in values if value.last_day < period.start]
        during = [
            value
            for value in values
            if value.last_day >= period.start
            and (
                Tertial(value.year, value.number).end <= up_to.end
                if value.year is not None
                else value.last_day <= last_day
            )
        ]
        result.append(
            IndicatorSnapshot(
                id=indicator.pk,
                name=indicator.name,
                unit=indicator.unit,
                source=indicator.source,
                better=indicator.better,
                target_value=indicator.target_value,
                baseline=_value_snapshot(before[-1]) if before else None,
                values=tuple(_value_snapshot(value) for value in during),
            )
        )
    return tuple(result)


def report_snapshot(
    promise, tertial: Tertial, *, report=None, cached: bool = True, taken_at=None, figures=None
) -> Snapshot:
    """The whole report on ``tertial`` as it stands now: what submission freezes and a draft's pages show.

    ``report`` (or None before one is started) gives the summary, the council and the assessments. A fixed number
    of queries: the figures (:func:`promise_figures`, unless the caller has them), the assessments, the indicators
    with their values, and the promise's municipalities and the report's council unless they were loaded with them.
    """
    assessments = {assessment.activity_id: assessment for assessment in report.assessments.all()} if report else {}
    if figures is None:
        figures = promise_figures(promise, tertial, cached=cached)
    period = period_of(promise)
    promise_period = PeriodSnapshot(start=period.start, end=period.end)
    rows = activity_rows(figures, assessments, up_to=tertial)
    return Snapshot(
        period=PeriodSnapshot.of_tertial(tertial, within=promise_period),
        promise_period=promise_period,
        periods=tuple(PeriodSnapshot.of_tertial(t, within=promise_period) for t in period.tertials() if t <= tertial),
        is_final=tertial == period.last_tertial(),
        judged_at=judged_at(promise, tertial),
        taken_at=taken_at,
        promise_title=promise.title,
        municipalities=tuple(municipality.name for municipality in promise.municipalities.all()),
        summary=report.summary if report else "",
        council=report.council.name if report is not None and report.council_id else "",
        forum_kind=report.council.kind if report is not None and report.council_id else "",
        decision=report.council.decision if report is not None and report.council_id else "",
        # Two decimals are enough for people; the exact fraction stays derivable from the dates.
        activities=tuple(replace(row, expected=round(row.expected, 2)) for row in rows),
        indicators=indicator_snapshots(promise, up_to=tertial),
    )
