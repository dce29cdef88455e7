"""Reads that feed the progress rules: a fixed number of queries, whatever the number of records.

The rules themselves live in :mod:`followup.progress` and never touch the database; this module fetches
exactly what they need. Records are summed per activity, day and place in SQL, so a promise with thousands
of records still hands the rules a few hundred rows.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Sum

from activities.models import Activity, ActivityRecord
from promises.models import Place

from .progress import Progress, RecordFact, Target, promise_progress, quantities_by_tertial
from .tertials import Period, Tertial


def with_targets(activities):
    """The activities' QuerySet with what computing their progress needs, fetched up front."""
    return activities.select_related("promise").prefetch_related(
        Prefetch("target_places", queryset=Place.objects.only("pk", "name", "kind").order_by("name"))
    )


def target_of(activity) -> Target:
    """The plain target of an activity whose target places were prefetched."""
    return Target(
        count=activity.target_count,
        places=frozenset(place.pk for place in activity.target_places.all()),
        recurrence=activity.recurrence,
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
    return Period(promise.period_start, promise.period_end)


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
    progress = {}
    for promise, members in by_promise.items():
        progress.update(
            promise_progress(
                targets={activity.pk: target_of(activity) for activity in members},
                records=[(activity.pk, fact) for activity in members for fact in facts.get(activity.pk, ())],
                period=period_of(promise),
                at=at,
            )
        )
    return progress


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

    @property
    def covered_places(self):
        return [place for place in self.activity.target_places.all() if place.pk in self.progress.covered]

    @property
    def missing_places(self):
        return [place for place in self.activity.target_places.all() if place.pk not in self.progress.covered]


def judged_at(promise, tertial: Tertial) -> date:
    """The day a tertial is judged: its last day, or the period's last day if the period ends first."""
    return min(tertial.end, promise.period_end)


def promise_figures(promise, tertial: Tertial) -> list[ActivityFigures]:
    """Every activity of the promise with its progress at the tertial's end and its quantity per tertial.

    Four queries whatever the size: activities, their target places, their partners, the summed records.
    """
    activities = list(promise_activities(promise))
    facts = record_facts([activity.pk for activity in activities])
    progress = progress_of(activities, at=judged_at(promise, tertial), facts=facts)
    period = period_of(promise)
    return [
        ActivityFigures(
            activity=activity,
            progress=progress[activity.pk],
            per_tertial=quantities_by_tertial(facts.get(activity.pk, ()), period),
        )
        for activity in activities
    ]


def current_tertial_of(promise, today: date) -> Tertial:
    """The tertial a dashboard opens on: today's, clamped to the promise's first and last tertial."""
    tertials = period_of(promise).tertials()
    return min(max(Tertial.containing(today), tertials[0]), tertials[-1])


def activity_rows(figures, assessments, *, up_to: Tertial) -> list[dict]:
    """Each activity's figures with its assessment (if any), as plain data: the shape a snapshot stores.

    The report page, the exports and approval all read a tertial's figures in this one shape, live or frozen.
    ``assessments`` maps activity id to the report's assessment; quantities are given for the tertials up to
    ``up_to`` only, since later ones are still open.
    """
    rows = []
    for figure in figures:
        activity, progress = figure.activity, figure.progress
        assessment = assessments.get(activity.pk)
        rows.append(
            {
                "id": activity.pk,
                "title": activity.title,
                "focus_area": activity.focus_area.title if activity.focus_area else "",
                "kind": activity.kind.name,
                "unit": activity.unit,
                "target_count": activity.target_count,
                "recurrence": activity.recurrence,
                "lead_organisation": activity.lead_organisation.name,
                "partner_organisations": [organisation.name for organisation in activity.partner_organisations.all()],
                "achieved": progress.achieved,
                "expected": float(progress.expected),
                "target_places": [place.name for place in activity.target_places.all()],
                "covered_places": [place.name for place in figure.covered_places],
                "computed_status": str(progress.status),
                # The council may override the computed status in its assessment, as approval will freeze it.
                "status": assessment.status if assessment else str(progress.status),
                "comment": assessment.comment if assessment else "",
                "verdict": assessment.verdict if assessment else "",
                "verdict_reason": assessment.verdict_reason if assessment else "",
                "per_tertial": {
                    tertial.code: quantity for tertial, quantity in figure.per_tertial.items() if tertial <= up_to
                },
            }
        )
    return rows
