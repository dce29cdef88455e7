"""Staff dashboards: one promise at any of its tertials, and one municipality's promises across the years.

Both pages run a fixed number of queries whatever the number of activities, records and tertials: the
activities come with their targets and partners in three queries, the records are summed per day and place
in one (:func:`followup.selectors.record_facts`), and everything else is one query per kind of object. The
progress rules run in Python on what was fetched.
"""

import datetime
import hashlib
from collections import defaultdict
from functools import cached_property
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import CharField, Max, Min, StringAgg, Sum, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from activities.models import Activity, ActivityRecord
from followup.charts import format_number, progress_bar_svg
from followup.models import TertialReport
from followup.periods import parse_code
from followup.progress import Recurrence, Status, status_counts
from followup.selectors import (
    FIGURES_TIMEOUT,
    current_tertial_of,
    figures_key,
    indicator_snapshots,
    judged_at,
    period_of,
    promise_figures,
    promise_status_counts,
)
from promises.models import Municipality, Promise
from promises.scope import scope_for

from ..access import FOLLOW_UP_ROLES, promise_for_follow_up


def _chosen_tertial(code, tertials):
    """The tertial asked for in the query string, or None when the code is missing, malformed or outside."""
    try:
        tertial = parse_code(code)
    except ValueError:
        return None
    return next((own for own in tertials if own == tertial and type(own) is type(tertial)), None)


@login_required
@require_safe
def promise_dashboard(request, promise_id):
    """One promise at the end of a tertial: every activity's figures, the indicators and the report's state."""
    promise = promise_for_follow_up(request.user, promise_id)
    tertials = period_of(promise).tertials()
    tertial = _chosen_tertial(request.GET.get("tertial"), tertials) or current_tertial_of(promise, timezone.localdate())
    # Every report of the promise in one query: the chosen tertial's, and the state shown beside each tertial.
    reports = {
        report.tertial: report
        for report in TertialReport.objects.filter(promise=promise).defer("snapshot").order_by("year", "number")
    }
    # The figures and indicators are drawn inside a fragment cached under the promise's data version (read with
    # the promise, above): computed only when that fragment is missing. The rest of the page is the user's own.
    figures = SimpleLazyObject(lambda: promise_figures(promise, tertial))
    # The per-tertial table and the indicators follow the chosen tertial: later ones are still open.
    shown = [each for each in tertials if each <= tertial]
    rows = SimpleLazyObject(lambda: [_activity_row(figure, shown) for figure in figures])
    scope = scope_for(request.user)
    context = {
        "promise": promise,
        "tertial": tertial,
        "tertials": tertials,
        "tertial_links": [
            {"tertial": each, "report": reports.get(each), "current": each == tertial} for each in tertials
        ],
        "judged_at": judged_at(promise, tertial),
        "focus_areas": SimpleLazyObject(
            lambda: [
                {"focus_area": focus_area, "rows": list(members)}
                for focus_area, members in groupby(rows, key=lambda row: row["activity"].focus_area)
            ]
        ),
        "rows": rows,
        "shown_tertials": shown,
        "column_totals": SimpleLazyObject(
            lambda: [sum(row["quantities"][index] for row in rows) for index in range(len(shown))]
        ),
        "grand_total": SimpleLazyObject(lambda: sum(row["total"] for row in rows)),
        "counts": SimpleLazyObject(lambda: list(status_counts(figure.progress for figure in figures).items())),
        "indicators": SimpleLazyObject(lambda: indicator_snapshots(promise, up_to=tertial)),
        "cache_timeout": FIGURES_TIMEOUT,
        "report": reports.get(tertial),
        "can_coordinate": scope.is_coordinator_of(promise),
        "can_review": scope.is_council_member_of(promise),
        # Only the municipalities whose overview the user may open get a link.
        "overview_municipalities": [
            municipality
            for municipality in promise.municipalities.all()
            if scope.is_administrator or municipality.pk in scope.municipalities_where(*FOLLOW_UP_ROLES)
        ],
    }
    return render(request, "staff/dashboard.html", context)


def _activity_row(figure, tertials):
    """What the dashboard shows of one activity, with its bars drawn and its numbers ready to format."""
    activity, progress = figure.activity, figure.progress
    quantities = [figure.per_tertial.get(tertial, 0) for tertial in tertials]
    row = {
        "activity": activity,
        "progress": progress,
        "status": progress.status,
        "expected": float(progress.expected),
        "expected_places": float(progress.expected_places),
        "covered_places": figure.covered_places,
        "missing_places": figure.missing_places,
        "judged_by_gaps": activity.target_count is None
        and not progress.target_places
        and activity.recurrence == Recurrence.CONTINUOUS,
        "quantities": quantities,
        "total": sum(quantities),
        "per_municipality": figure.per_municipality,
        "bar": None,
        "places_bar": None,
    }
    if activity.target_count is not None:
        row["bar"] = progress_bar_svg(
            achieved=progress.achieved,
            # For a target per municipality: the whole of every municipality's part.
            target=progress.target_count,
            expected=progress.expected,
            label=_("%(achieved)s of %(target)s, expected %(expected)s")
            % {
                "achieved": progress.achieved,
                "target": progress.target_count,
                "expected": format_number(progress.expected, 1),
            },
            element_id=f"bar-{activity.pk}",
        )
    if progress.target_places:
        row["places_bar"] = progress_bar_svg(
            achieved=len(progress.covered),
            target=len(progress.target_places),
            expected=progress.expected_places,
            label=ngettext(
                "%(covered)s of %(total)s place covered, expected %(expected)s",
                "%(covered)s of %(total)s places covered, expected %(expected)s",
                len(progress.target_places),
            )
            % {
                "covered": len(progress.covered),
                "total": len(progress.target_places),
                "expected": format_number(progress.expected_places, 1),
            },
            element_id=f"places-bar-{activity.pk}",
        )
    return row


@login_required
@require_safe
def municipality_overview(request, municipality):
    """A municipality's promises, newest first, with their activities' statuses, and its activity kinds per year."""
    municipality = get_object_or_404(
        Municipality.objects.in_scope_of(request.user, *FOLLOW_UP_ROLES), slug=municipality
    )
    today = timezone.localdate()
    # The whole table is a fragment cached under the municipality's data version (read with the municipality,
    # above), the day and the language: it is computed only when that fragment is missing.
    table = SimpleLazyObject(lambda: _overview_table(municipality, today))
    context = {
        "municipality": municipality,
        "rows": SimpleLazyObject(lambda: table["rows"]),
        "statuses": list(Status),
        "years": SimpleLazyObject(lambda: table["years"]),
        "kinds": SimpleLazyObject(lambda: table["kinds"]),
        "today": today,
        "cache_timeout": FIGURES_TIMEOUT,
    }
    return render(request, "staff/overview.html", context)


def _overview_table(municipality, today):
    promises = list(Promise.objects.filter(municipalities=municipality).order_by("-year", "title", "pk"))
    # Each promise is judged on its own day; its figures come from the cache unless a record changed since.
    counts = promise_status_counts(promises, today=today)
    latest_reports = {}
    reports = TertialReport.objects.filter(promise__municipalities=municipality).defer("snapshot")
    for report in reports.order_by("promise_id", "year", "number"):
        latest_reports[report.promise_id] = report  # the last one wins: the latest tertial
    rows = [
        {
            "promise": promise,
            "judged_at": counts[promise.pk].judged_at,
            "activity_count": counts[promise.pk].activity_count,
            "counts": list(counts[promise.pk].counts.values()),
            "latest_report": latest_reports.get(promise.pk),
        }
        for promise in promises
    ]
    years, kinds = _quantities_by_kind_and_year(municipality, promises)
    return {"rows": rows, "years": years, "kinds": kinds}


def _quantities_by_kind_and_year(municipality, promises):
    """The years (oldest first) and, per activity kind, the total quantity logged in each year.

    A record counts in the year it is dated in when its promise covers that year (a two-year promise's 2022 work
    is 2022's), else in its promise's year. A cell is None where no promise covering that year has an activity of
    that kind, so that "none planned" and "planned but nothing logged" (0) can be told apart. Two aggregate
    queries, cached under the municipality's data version (read with it, before them), which every write to one
    of its promises renews.
    """
    key = figures_key("kinds", municipality)
    cached = cache.get(key)
    if cached is None:
        totals = [
            (row["activity__kind__name"], row["activity__promise_id"], row["occurred_on__year"], row["total"])
            for row in ActivityRecord.objects.active()
            .filter(activity__promise__municipalities=municipality)
            .values("activity__kind__name", "activity__promise_id", "occurred_on__year")
            .annotate(total=Sum("quantity"))
            .order_by()
        ]
        planned = set(
            Activity.objects.filter(promise__municipalities=municipality)
            .values_list("kind__name", "promise_id")
            .distinct()
        )
        cached = (totals, planned)
        cache.set(key, cached, FIGURES_TIMEOUT)
    rows, planned_by_promise = cached
    covered = {promise.pk: promise.covered_years for promise in promises}
    totals = defaultdict(int)
    for name, promise_id, year, total in rows:
        years_of_promise = covered.get(promise_id)
        if years_of_promise is None:
            continue
        totals[(name, year if year in years_of_promise else years_of_promise[0])] += total
    planned = {(name, year) for name, promise_id in planned_by_promise for year in covered.get(promise_id, ())}
    years = sorted({year for years_of_promise in covered.values() for year in years_of_promise})
    kinds = [
        {
            "name": name,
            "cells": [totals.get((name, year), 0) if (name, year) in planned else None for year in years],
        }
        for name in sorted({name for name, _year in planned}, key=str.casefold)
    ]
    return years, kinds


@login_required
@require_safe
def follow_up_home(request):
    """Where "Uppföljning" in the menu leads: the overview of the user's municipality, or a list to choose from."""
    municipalities = list(Municipality.objects.in_scope_of(request.user, *FOLLOW_UP_ROLES).order_by("name"))
    if not municipalities:
        raise Http404
    if len(municipalities) == 1:
        return redirect("followup:overview", municipality=municipalities[0].slug)
    return render(request, "staff/follow_up_home.html", {"municipalities": municipalities})


@login_required
@require_safe
def national_overview(request, year):
    """Every municipality's activity statuses for one year's promises: for the national operator.

    A promise of several municipalities counts in the row of each of them, and once in the total row. A promise
    longer than a year is in the overview of every year it covers, judged at the end of that year (or today, or
    in its last year at its last day), so that each year shows that year's work. Otherwise each promise is judged
    on the earlier of today and its last day, as in the municipality overview. The rendered table is cached under
    the data versions of all the year's promises (one small query), so it is drawn again only after a change; each
    promise's counts are cached too, so that a change in one municipality recomputes only its promises.
    """
    if not scope_for(request.user).is_administrator:
        raise Http404
    today = timezone.localdate()
    # Every version of the year's promises as one string, joined by the database: one row, not hundreds. Not
    # every database orders inside an aggregate, so the parts are sorted here.
    joined = Promise.objects.covering_year(year).aggregate(
        versions=StringAgg(Concat(Cast("pk", CharField()), Value(":"), Cast("data_version", CharField())), Value(","))
    )["versions"]
    versions = ",".join(sorted((joined or "").split(",")))
    context = {
        "year": year,
        "table": NationalTable(year, today),
        # Read before the table's figures, so the table is never older than the versions it is cached under.
        "fragment_key": hashlib.sha256(versions.encode()).hexdigest(),
        "today": today,
        "cache_timeout": FIGURES_TIMEOUT,
        "statuses": list(Status),
        "years": _years_with_promises(),
    }
    return render(request, "staff/national.html", context)


def national_overview_latest(request):
    """The national overview's own address: the newest year up to this one that has promises, not an empty year."""
    if not scope_for(request.user).is_administrator:
        raise Http404
    this_year = timezone.localdate().year
    year = Promise.objects.filter(year__lte=this_year).aggregate(last=Max("year"))["last"] or this_year
    return redirect("followup:national", year)


def _years_with_promises():
    """From the newest promise year to the oldest: two index lookups, not a scan of every promise."""
    span = Promise.objects.aggregate(first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return []
    return list(range(span["last"], span["first"] - 1, -1))


class NationalTable:
    """The national overview's rows and totals, computed only when the template's cached fragment is missing."""

    def __init__(self, year, today):
        self.year, self.today = year, today

    @cached_property
    def _figures(self):
        """(the year's promises, their status counts by promise id): each judged within this year."""
        promises = list(Promise.objects.covering_year(self.year).prefetch_related("municipalities"))
        # A year no date can hold has no promises either (covering_year answers none).
        end_of_year = min(self.today, datetime.date(self.year, 12, 31)) if 1 <= self.year <= 9998 else self.today
        in_last_year = [promise for promise in promises if promise.covered_years[-1] == self.year]
        earlier = [promise for promise in promises if promise.covered_years[-1] != self.year]
        figures = promise_status_counts(in_last_year, today=self.today)
        figures.update(promise_status_counts(earlier, today=end_of_year))
        return promises, figures

    @cached_property
    def rows(self):
        promises, figures = self._figures
        counts = defaultdict(lambda: dict.fromkeys(Status, 0))
        municipalities = {}
        for promise in promises:
            for municipality in promise.municipalities.all():
                municipalities[municipality.pk] = municipality
                for status, number in figures[promise.pk].counts.items():
                    counts[municipality.pk][status] += number
        return [
            {"municipality": municipality, "counts": list(counts[municipality.pk].values())}
            for municipality in sorted(municipalities.values(), key=lambda municipality: municipality.name)
        ]

    @cached_property
    def totals(self):
        """Every promise once: a promise of three municipalities is in three rows but counted once here."""
        promises, figures = self._figures
        totals = dict.fromkeys(Status, 0)
        for promise in promises:
            for status, number in figures[promise.pk].counts.items():
                totals[status] += number
        return list(totals.values())
