"""Reads for the public pages: only what citizens may see, in a fixed number of queries whatever the data size.

Public means a signed or closed promise (never a draft) and a *published* tertial report (never a draft,
submitted or merely approved one). Results come from a report's snapshot, frozen when the council approved
it, never from the live records. Nothing here reads a record, an assessment comment or a member of staff.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse

from activities.models import Activity, PlannedEvent
from followup.models import TertialReport
from followup.snapshot import ActivitySnapshot
from promises.accessibility import DEFAULT_STATEMENT
from promises.models import AccessibilityStatement, FocusArea, Municipality, Organisation, Place, Promise

# A municipality's page and a promise's page list this many upcoming activities; the calendar has them all.
UPCOMING_LIMIT = 20

# The feed carries the newest published reports; older ones stay on the promise pages.
FEED_LIMIT = 50


# Addresses ------------------------------------------------------------------------------------------------


def promise_kwargs(municipality, promise, *, with_slug: bool) -> dict:
    """The URL arguments of a promise under ``municipality``; the slug only where the year is ambiguous."""
    kwargs = {"municipality": municipality.slug, "year": promise.year}
    if with_slug:
        kwargs["slug"] = promise.slug
    return kwargs


def promise_url(municipality, promise, *, with_slug: bool) -> str:
    name = "promise_slug" if with_slug else "promise"
    return reverse(name, kwargs=promise_kwargs(municipality, promise, with_slug=with_slug))


def report_url(municipality, promise, tertial, *, with_slug: bool, pdf: bool = False) -> str:
    name = ("report_slug" if with_slug else "report") + ("_pdf" if pdf else "")
    return reverse(name, kwargs={**promise_kwargs(municipality, promise, with_slug=with_slug), "tertial": tertial})


def _years_with_several(promises) -> set[int]:
    """The years in which more than one of ``promises`` falls: their addresses need the slug."""
    return {year for year, count in Counter(promise.year for promise in promises).items() if count > 1}


@dataclass(frozen=True)
class PromiseLink:
    """A public promise as seen from one of its municipalities, with its address there."""

    municipality: Municipality
    promise: Promise
    with_slug: bool  # the municipality has several public promises that year

    @property
    def url(self) -> str:
        return promise_url(self.municipality, self.promise, with_slug=self.with_slug)

    def report_url(self, report, *, pdf: bool = False) -> str:
        return report_url(self.municipality, self.promise, report.tertial, with_slug=self.with_slug, pdf=pdf)


@dataclass(frozen=True)
class ReportLink:
    report: TertialReport
    url: str


def _links(municipality, promises) -> list[PromiseLink]:
    ambiguous = _years_with_several(promises)
    return [PromiseLink(municipality, promise, promise.year in ambiguous) for promise in promises]


# The start page and a municipality's page ----------------------------------------------------------------


def _public_promises():
    return Promise.objects.public().order_by("-year", "title", "pk")


def municipality_listing(*, query: str = "") -> list[Municipality]:
    """Municipalities with a public promise, the one with the newest promise first: two queries.

    Each has ``latest_year`` and ``promise_links`` (its public promises, newest first, with their addresses).
    ``query`` narrows the list to names containing it, ignoring case.
    """
    public = Q(promises__status__in=Promise.PUBLIC_STATUSES)
    municipalities = (
        Municipality.objects.annotate(latest_year=Max("promises__year", filter=public))
        .filter(latest_year__isnull=False)
        .prefetch_related(Prefetch("promises", queryset=_public_promises(), to_attr="public_promises"))
        .order_by("-latest_year", "name")
    )
    if query:
        municipalities = municipalities.filter(name__icontains=query)
    municipalities = list(municipalities)
    for municipality in municipalities:
        municipality.promise_links = _links(municipality, municipality.public_promises)
    return municipalities


def public_municipality(slug: str) -> Municipality | None:
    """The municipality with its public promises (``promise_links``), or None if it has none: two queries."""
    municipality = (
        Municipality.objects.filter(slug=slug)
        .prefetch_related(Prefetch("promises", queryset=_public_promises(), to_attr="public_promises"))
        .first()
    )
    if municipality is None or not municipality.public_promises:
        return None
    municipality.promise_links = _links(municipality, municipality.public_promises)
    return municipality


@dataclass(frozen=True)
class PromiseEntry:
    link: PromiseLink
    reports: list[ReportLink]  # published, newest tertial first


def promise_entries(municipality) -> list[PromiseEntry]:
    """The municipality's public promises with links to their published reports: one query.

    ``municipality`` comes from :func:`public_municipality`.
    """
    links = municipality.promise_links
    reports = (
        TertialReport.objects.published()
        .filter(promise__in=[link.promise.pk for link in links])
        .only("pk", "promise_id", "year", "number", "status")
        .order_by("-year", "-number")
    )
    by_promise = {link.promise.pk: [] for link in links}
    for report in reports:
        by_promise[report.promise_id].append(report)
    return [
        PromiseEntry(link, [ReportLink(report, link.report_url(report)) for report in by_promise[link.promise.pk]])
        for link in links
    ]


def upcoming_events(*, municipality=None, promise=None, limit: int = UPCOMING_LIMIT) -> list[PlannedEvent]:
    """Upcoming public activities of a municipality or of one promise, soonest first: one query.

    One more than ``limit`` is read, so that the page can say when there are more than it shows.
    """
    events = PlannedEvent.objects.public().upcoming().select_related("place")
    if municipality is not None:
        events = events.in_municipality(municipality)
    if promise is not None:
        events = events.filter(activity__promise=promise)
    return list(events[: limit + 1])


# A promise and its reports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromiseChoice:
    """What an address /<kommun>/<år>/[<slug>/] points at: one promise, or a choice between several."""

    municipality: Municipality
    promises: list[Promise]
    with_slug: bool  # whether this municipality has several public promises that year

    @property
    def links(self) -> list[PromiseLink]:
        return [PromiseLink(self.municipality, promise, self.with_slug) for promise in self.promises]

    @property
    def link(self) -> PromiseLink | None:
        """The one promise the address names, or None when the visitor must choose."""
        return self.links[0] if len(self.promises) == 1 else None


def public_promise_choice(*, municipality_slug: str, year: int, slug: str | None = None) -> PromiseChoice | None:
    """The public promises of a municipality and year (the one with ``slug``, if given): two queries.

    None when the municipality is unknown or has no such public promise. A promise signed by several
    municipalities is found under each of them.
    """
    municipality = Municipality.objects.filter(slug=municipality_slug).first()
    if municipality is None:
        return None
    promises = list(
        _public_promises().filter(municipalities=municipality, year=year).prefetch_related("municipalities")
    )
    with_slug = len(promises) > 1
    if slug is not None:
        promises = [promise for promise in promises if promise.slug == slug]
    if not promises:
        return None
    return PromiseChoice(municipality=municipality, promises=promises, with_slug=with_slug)


@dataclass(frozen=True)
class ActivityItem:
    activity: Activity
    result: ActivitySnapshot | None  # None without a published report, or for an activity added after it


@dataclass(frozen=True)
class FocusAreaItem:
    focus_area: FocusArea | None  # None for the activities outside every focus area
    activities: list[ActivityItem]


@dataclass(frozen=True)
class PromiseDetail:
    focus_areas: list[FocusAreaItem]
    reports: list[ReportLink]  # published, newest tertial first
    events: list[PlannedEvent]  # upcoming, at most one more than UPCOMING_LIMIT

    @property
    def latest_report(self) -> TertialReport | None:
        return self.reports[0].report if self.reports else None


def promise_detail(link: PromiseLink) -> PromiseDetail:
    """Everything the promise page shows beyond the promise itself: six queries, whatever the size.

    Results come only from the snapshot of the newest published report; a later report still in the
    workflow changes nothing here until it is published.
    """
    promise = link.promise
    focus_areas = list(promise.focus_areas.all())
    activities = (
        Activity.objects.filter(promise=promise)
        .select_related("lead_organisation")
        .prefetch_related(
            Prefetch("target_places", queryset=Place.objects.order_by("name")),
            Prefetch("partner_organisations", queryset=Organisation.objects.order_by("name")),
        )
        .order_by("order", "pk")
    )
    reports = list(
        TertialReport.objects.published().filter(promise=promise).select_related("council").order_by("-year", "-number")
    )
    results = {}
    if reports:
        results = {item.id: item for item in reports[0].frozen.activities}
    by_area = {area.pk: [] for area in focus_areas}
    outside = []
    for activity in activities:
        item = ActivityItem(activity, results.get(activity.pk))
        by_area.get(activity.focus_area_id, outside).append(item)
    groups = [FocusAreaItem(area, by_area[area.pk]) for area in focus_areas]
    if outside:
        groups.append(FocusAreaItem(None, outside))
    return PromiseDetail(
        focus_areas=groups,
        reports=[ReportLink(report, link.report_url(report)) for report in reports],
        events=upcoming_events(promise=promise),
    )


def published_report(promise, tertial) -> TertialReport | None:
    """The promise's published report on ``tertial``, with its council: one query."""
    return (
        TertialReport.objects.published()
        .filter(promise=promise, year=tertial.year, number=tertial.number)
        .select_related("council")
        .first()
    )


@dataclass(frozen=True)
class ReportRow:
    """One activity's line in a published report: the frozen figures and status, never the comment."""

    focus_area: str
    title: str
    result: ActivitySnapshot
    expected: float | None


def report_rows(report) -> list[ReportRow]:
    """The activity table of a published report, from its snapshot alone: no query."""
    return [
        ReportRow(
            focus_area=item.focus_area,
            title=item.title,
            result=item,
            expected=item.expected if item.has_count else None,
        )
        for item in report.frozen.activities
    ]


# The feed -------------------------------------------------------------------------------------------------


def published_reports_in(municipality, *, limit: int = FEED_LIMIT) -> list[TertialReport]:
    """The newest published reports of the municipality's public promises, each with ``public_url``: two queries."""
    public = Promise.objects.public().filter(municipalities=municipality)
    reports = list(
        TertialReport.objects.published()
        .filter(promise__in=public)
        .select_related("promise")
        .defer("snapshot")
        .order_by("-published_at", "-pk")[:limit]
    )
    ambiguous = set(
        public.order_by().values("year").annotate(count=Count("pk")).filter(count__gt=1).values_list("year", flat=True)
    )
    for report in reports:
        report.public_url = report_url(
            municipality, report.promise, report.tertial, with_slug=report.promise.year in ambiguous
        )
    return reports


# The accessibility statement ------------------------------------------------------------------------------


def accessibility_statement() -> AccessibilityStatement:
    """The installation's statement (a migration makes the first), or the default if the row is gone: one query."""
    return AccessibilityStatement.objects.order_by("pk").first() or AccessibilityStatement(**DEFAULT_STATEMENT)
