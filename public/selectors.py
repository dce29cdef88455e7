"""Reads for the public pages: only what citizens may see, in a fixed number of queries whatever the data size.

Public means a signed or closed promise (never a draft) and a *published* edition of a tertial report (never a
draft, submitted or merely approved one). Results come from the edition's snapshot, frozen when the council
approved the report and never changed afterwards; a correction is a later edition, and the earlier one stays
readable at its own address. Nothing here reads a record, an assessment or a member of staff.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.fields.json import KT
from django.urls import reverse

from activities.models import Activity, PlannedEvent
from followup.models import Publication
from followup.snapshot import ActivitySnapshot, Snapshot
from promises.accessibility import DEFAULT_STATEMENT
from promises.models import AccessibilityStatement, Municipality, MunicipalitySettings, Organisation, Place, Promise

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


def report_url(municipality, promise, tertial, *, with_slug: bool, pdf: bool = False, edition=None) -> str:
    """The address of a report (its current edition), or of one ``edition`` of it, as a page or a PDF."""
    name = ("report_slug" if with_slug else "report") + ("_edition" if edition else "") + ("_pdf" if pdf else "")
    kwargs = {**promise_kwargs(municipality, promise, with_slug=with_slug), "tertial": tertial}
    if edition:
        kwargs["edition"] = edition
    return reverse(name, kwargs=kwargs)


def _years_with_several(promises) -> set[int]:
    """The years in which more than one of ``promises`` falls: their addresses need the slug.

    A promise longer than a year falls in every year it covers (Promise.covered_years), so a 2022 promise beside a
    2021–2022 one needs its slug.
    """
    counted = Counter(year for promise in promises for year in promise.covered_years)
    return {year for year, count in counted.items() if count > 1}


@dataclass(frozen=True)
class PromiseLink:
    """A public promise as seen from one of its municipalities, with its address there."""

    municipality: Municipality
    promise: Promise
    with_slug: bool  # the municipality has several public promises that year

    @property
    def url(self) -> str:
        return promise_url(self.municipality, self.promise, with_slug=self.with_slug)

    def report_url(self, report, *, pdf: bool = False, edition=None) -> str:
        return report_url(
            self.municipality, self.promise, report.tertial, with_slug=self.with_slug, pdf=pdf, edition=edition
        )


@dataclass(frozen=True)
class ReportLink:
    """The current edition of a published report and its address."""

    publication: Publication
    url: str

    @property
    def tertial(self):
        return self.publication.report.tertial


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


def _current_publications():
    """The current edition of every published report, with its report, without the snapshots (which can be long)."""
    return (
        Publication.objects.current()
        .select_related("report")
        .defer("snapshot")
        .order_by("-report__year", "-report__number", "-edition")
    )


def promise_entries(municipality) -> list[PromiseEntry]:
    """The municipality's public promises with links to their published reports: one query.

    ``municipality`` comes from :func:`public_municipality`.
    """
    links = municipality.promise_links
    publications = _current_publications().filter(report__promise__in=[link.promise.pk for link in links])
    by_promise = {link.promise.pk: [] for link in links}
    for publication in publications:
        by_promise[publication.report.promise_id].append(publication)
    return [
        PromiseEntry(
            link,
            [
                ReportLink(publication, link.report_url(publication.report))
                for publication in by_promise[link.promise.pk]
            ],
        )
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
    # A promise longer than a year is found under every year it covers (Promise.covered_years).
    promises = list(
        _public_promises().covering_year(year).filter(municipalities=municipality).prefetch_related("municipalities")
    )
    with_slug = len(promises) > 1
    if slug is not None:
        promises = [promise for promise in promises if promise.slug == slug]
    if not promises:
        return None
    return PromiseChoice(municipality=municipality, promises=promises, with_slug=with_slug)


@dataclass(frozen=True)
class ActivityItem:
    """One activity on the promise page: its published result where there is one, else the live activity.

    An activity in the latest published report is drawn from that report alone (its target, figures, status and
    verdict as approved); one added since has no result yet and is shown as it is now.
    """

    activity: Activity | None  # None for an activity in the report that no longer exists
    result: ActivitySnapshot | None  # None without a published report, or for an activity added after it


@dataclass(frozen=True)
class FocusAreaItem:
    title: str  # "" for the activities outside every focus area
    description: str
    activities: list[ActivityItem]


@dataclass(frozen=True)
class PromiseDetail:
    focus_areas: list[FocusAreaItem]
    reports: list[ReportLink]  # current editions, newest tertial first
    latest: Snapshot | None  # the newest published report, whole
    events: list[PlannedEvent]  # upcoming, at most one more than UPCOMING_LIMIT

    @property
    def latest_report(self) -> ReportLink | None:
        return self.reports[0] if self.reports else None


def _groups(focus_areas, activities, latest: Snapshot | None) -> list[FocusAreaItem]:
    """The activities by focus area: the published report's in its order, then those added since, in theirs.

    A focus area is named by its title, as the report froze it; the live focus areas give the order and the
    descriptions.
    """
    results = {item.id: item for item in latest.activities} if latest else {}
    live = {activity.pk: activity for activity in activities}
    titles = [area.title for area in focus_areas]
    descriptions = {area.title: area.description for area in focus_areas}
    by_title = {}
    for item in results.values():
        by_title.setdefault(item.focus_area, []).append(ActivityItem(live.get(item.id), item))
    for activity in activities:
        if activity.pk not in results:
            title = activity.focus_area.title if activity.focus_area else ""
            by_title.setdefault(title, []).append(ActivityItem(activity, None))
    order = [title for title in titles if title in by_title]
    order += [title for title in by_title if title not in order and title]
    if "" in by_title:
        order.append("")
    return [FocusAreaItem(title, descriptions.get(title, ""), by_title[title]) for title in order]


def promise_detail(link: PromiseLink) -> PromiseDetail:
    """Everything the promise page shows beyond the promise itself: seven queries, whatever the size.

    Results come only from the snapshot of the newest published report (its current edition); a later report still
    in the workflow, or a correction not yet published, changes nothing here until it is published.
    """
    promise = link.promise
    focus_areas = list(promise.focus_areas.all())
    activities = list(
        # Internal activities belong to the action plan behind the promise, never to its public page.
        Activity.objects.filter(promise=promise, is_internal=False)
        .select_related("lead_organisation", "focus_area")
        .prefetch_related(
            Prefetch("target_places", queryset=Place.objects.order_by("name")),
            Prefetch("partner_organisations", queryset=Organisation.objects.order_by("name")),
        )
        .order_by("order", "pk")
    )
    publications = list(_current_publications().filter(report__promise=promise))
    latest = None
    if publications:
        newest = Publication.objects.select_related("report__council").get(pk=publications[0].pk)
        latest = newest.frozen
    return PromiseDetail(
        focus_areas=_groups(focus_areas, activities, latest),
        reports=[ReportLink(publication, link.report_url(publication.report)) for publication in publications],
        latest=latest,
        events=upcoming_events(promise=promise),
    )


@dataclass(frozen=True)
class Edition:
    """One published edition of a report, with its address and the later edition that replaced it, if any."""

    publication: Publication
    url: str
    pdf_url: str
    replaced_by: Publication | None

    @property
    def is_current(self) -> bool:
        return self.replaced_by is None


def report_editions(link: PromiseLink, tertial) -> list[Edition]:
    """Every published edition of the promise's report on ``tertial``, oldest first: one query.

    Empty when the report was never published (or the promise is no longer public).
    """
    publications = list(
        Publication.objects.public()
        .filter(
            report__promise=link.promise,
            report__kind=getattr(tertial, "kind", "T"),
            report__year=tertial.year,
            report__number=tertial.number,
        )
        .select_related("report__council", "report__promise")
        .order_by("edition")
    )
    editions = []
    for index, publication in enumerate(publications):
        newer = publications[index + 1] if index + 1 < len(publications) else None
        current = newer is None
        editions.append(
            Edition(
                publication=publication,
                url=link.report_url(publication.report, edition=None if current else publication.edition),
                pdf_url=link.report_url(publication.report, pdf=True, edition=None if current else publication.edition),
                replaced_by=newer,
            )
        )
    return editions


# The feed -------------------------------------------------------------------------------------------------


def published_reports_in(municipality, *, limit: int = FEED_LIMIT) -> list[Publication]:
    """The newest published editions of the municipality's public promises, newest first: two queries.

    Each carries ``public_url`` (its own address once a later edition replaced it, else the report's), ``entry_id``,
    ``frozen_title`` and ``frozen_summary`` (read from the snapshot in SQL, so that long snapshots stay in the
    database) and ``replaced_at`` / ``replaced_by_edition`` (None while it is the current edition).
    """
    public = Promise.objects.public().filter(municipalities=municipality)
    newer = Publication.objects.filter(report=OuterRef("report"), edition__gt=OuterRef("edition")).order_by("edition")
    publications = list(
        Publication.objects.filter(report__promise__in=public)
        .select_related("report__promise")
        .defer("snapshot")
        .annotate(
            frozen_title=KT("snapshot__promise_title"),
            frozen_summary=KT("snapshot__summary"),
            replaced_at=Subquery(newer.values("published_at")[:1]),
            replaced_by_edition=Subquery(newer.values("edition")[:1]),
        )
        .order_by("-published_at", "-pk")[:limit]
    )
    ambiguous = _years_with_several(public.order_by().only("year", "period_start", "period_end"))
    for publication in publications:
        report = publication.report
        with_slug = report.promise.year in ambiguous
        publication.public_url = report_url(
            municipality,
            report.promise,
            report.tertial,
            with_slug=with_slug,
            edition=publication.edition if publication.replaced_at else None,
        )
        # The entry's id: the report's address for its first edition, as before corrections existed, and the
        # edition's own address for a correction. Neither changes when a later edition replaces it.
        publication.entry_id = report_url(
            municipality,
            report.promise,
            report.tertial,
            with_slug=with_slug,
            edition=publication.edition if publication.edition > 1 else None,
        )
    return publications


# The accessibility statement ------------------------------------------------------------------------------


def municipality_contact(municipality) -> MunicipalitySettings | None:
    """What the municipality's coordinators keep about it (contact, statement), or None before they saved any."""
    return MunicipalitySettings.objects.filter(municipality=municipality).first()


def public_contacts() -> list[MunicipalitySettings]:
    """The contacts of every municipality with a public promise, by name, for the national statement: one query."""
    public = Municipality.objects.with_public_promises().values("pk")
    return list(
        MunicipalitySettings.objects.filter(municipality__in=public)
        .exclude(contact_email="", contact_phone="")
        .select_related("municipality")
        .order_by("municipality__name")
    )


def accessibility_statement() -> AccessibilityStatement:
    """The installation's statement (a migration makes the first), or the default if the row is gone: one query."""
    return AccessibilityStatement.objects.order_by("pk").first() or AccessibilityStatement(**DEFAULT_STATEMENT)
