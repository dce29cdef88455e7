"""No page's query count grows with the data (DESIGN.md §8): every page of the benchmark, at two sizes tenfold apart.

Each test builds the ``world`` fixture plus generated-like data (more activities in the current promise, records
spread over the year with places, partners and voided ones, published reports with snapshots, planned events,
indicators, older promises of Strängnäs, other municipalities with their promises), counts the queries of one
page, adds nine times as much again and counts once more: the counts must be equal. Each page is asked for twice
at each size, first with the cache empty (everything computed) and then again (served from the caches, as a running
server mostly answers it); both counts must stay the same as the data grows.
docs/PERFORMANCE.md has the benchmark these tests keep honest.
"""

import datetime
import itertools
import re
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity, ActivityKind, ActivityRecord, PlannedEvent
from followup.models import Indicator, IndicatorValue, Publication, TertialReport
from followup.services import snapshot_of
from followup.tertials import Tertial
from promises.models import FocusArea, Membership, Municipality, Organisation, Place, Promise
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SMALL, LARGE = 1, 10  # the second size is ten times the first
RECORDS_PER_ACTIVITY = 6  # per unit of size
LOG_DAY = datetime.date(2020, 10, 1)  # in 2020T3, which no report locks


def _day(number, year=2020):
    """A day of ``year`` spread over the year (every tertial gets some)."""
    return datetime.date(year, 1, 1) + datetime.timedelta(days=(number * 37) % 365)


class Growth:
    """Adds generated-like data in numbered units: ``add(0, 1)`` is the small size, ``add(1, 10)`` makes it large."""

    def __init__(self, world):
        self.world = world
        self.kind = ActivityKind.objects.get(slug="planlagd-insats")
        self.counter = itertools.count()

    def add(self, first, last):
        w = self.world
        records = []
        for unit in range(first, last):
            # More activities in the current promise, of every target type, with partners and target places.
            extra = [
                Activity.objects.create(
                    promise=w.promise,
                    focus_area=w.focus_area,
                    kind=self.kind,
                    title=f"Extra insats {unit}",
                    lead_organisation=w.police_organisation,
                    target_count=5,
                    unit="insatser",
                    order=10 + unit,
                ),
                Activity.objects.create(
                    promise=w.promise,
                    focus_area=FocusArea.objects.create(promise=w.promise, title=f"Fokus {unit}", order=unit + 2),
                    kind=self.kind,
                    title=f"Extra platser {unit}",
                    lead_organisation=w.municipal_organisation,
                    order=20 + unit,
                ),
            ]
            extra[0].partner_organisations.set([w.municipal_organisation])
            extra[1].target_places.set([w.district, w.site])
            extra[1].partner_organisations.set([w.police_organisation])
            # Records for every activity of the promise, and for the older and other municipalities' ones below.
            for activity in [w.count_activity, w.places_activity, w.continuous_activity, w.once_activity, *extra]:
                records += self._records(activity, unit)
            # Planned events ahead (the public pages and the calendar show them) and a cancelled one.
            now = timezone.now()
            for number in range(3):
                starts = now + datetime.timedelta(days=1 + unit * 3 + number, hours=1)
                PlannedEvent.objects.create(
                    activity=w.count_activity,
                    title=f"Trygghetsvandring {unit}-{number}",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place=w.district if number % 2 else None,
                    place_text="vid biblioteket",
                    created_by=w.coordinator,
                    cancelled_at=now if number == 2 else None,
                )
            # Indicators with values, on the dashboard.
            indicator = Indicator.objects.create(promise=w.promise, name=f"Indikator {unit}", unit="brott")
            for number in (1, 2, 3):
                IndicatorValue.objects.create(indicator=indicator, year=2020, number=number, value=10 + unit)
            # An older, closed promise of Strängnäs with a published report: the municipality page, feed, overview.
            older = Promise.objects.create(
                title=f"Medborgarlöfte {2000 + unit}",
                slug=f"strangnas-{2000 + unit}",
                year=2000 + unit,
                period_start=datetime.date(2000 + unit, 1, 1),
                period_end=datetime.date(2000 + unit, 12, 31),
                status=Promise.Status.CLOSED,
                signed_on=datetime.date(2000 + unit, 1, 1),
            )
            older.municipalities.set([w.strangnas])
            older_activity = Activity.objects.create(
                promise=older,
                kind=self.kind,
                title="Äldre insats",
                lead_organisation=w.police_organisation,
                target_count=3,
            )
            records += self._records(older_activity, unit, year=2000 + unit)
            self._published(older, Tertial(2000 + unit, 1))
            # Another municipality with its own police, users and 2020 promise: the national overview, the admin.
            other = Municipality.objects.create(name=f"Kommun {unit}", slug=f"kommun-{unit}", code=f"{9000 + unit}")
            Place.objects.create(municipality=other, name=f"Ort {unit}")
            police = Organisation.objects.create(name=f"Polisen {unit}", kind=Organisation.Kind.POLICE)
            police.municipalities.set([other])
            make_user(f"polis-{unit}", organisation=police, role=Membership.Role.RECORDER)
            promise = Promise.objects.create(
                title=f"Löfte {unit}",
                slug=f"kommun-{unit}-2020",
                year=2020,
                period_start=datetime.date(2020, 1, 1),
                period_end=datetime.date(2020, 12, 31),
                status=Promise.Status.SIGNED,
                signed_on=datetime.date(2020, 1, 1),
            )
            promise.municipalities.set([other])
            for number in range(2):
                activity = Activity.objects.create(
                    promise=promise, kind=self.kind, title=f"Insats {number}", lead_organisation=police, target_count=4
                )
                records += self._records(activity, unit)
        ActivityRecord.objects.bulk_create(records)
        through = ActivityRecord.participating_organisations.through
        through.objects.bulk_create(
            through(activityrecord_id=record.pk, organisation_id=record.activity.lead_organisation_id)
            for record in records
        )

    def _records(self, activity, unit, *, year=2020):
        w = self.world
        places = [None, w.district, w.second_district, w.site] if activity.promise_id == w.promise.pk else [None]
        made = []
        for number in range(RECORDS_PER_ACTIVITY):
            serial = next(self.counter)
            voided = serial % 17 == 0
            made.append(
                ActivityRecord(
                    activity=activity,
                    occurred_on=_day(serial, year),
                    quantity=1 + serial % 3,
                    place=places[serial % len(places)],
                    summary=f"Genererad {unit}-{number}",
                    recorded_by=w.police_recorder,
                    voided_at=timezone.now() if voided else None,
                    voided_by=w.coordinator if voided else None,
                    void_reason="Dubbelregistrering" if voided else "",
                    submission_key=uuid.uuid4(),
                )
            )
        return made

    def _published(self, promise, tertial):
        report = TertialReport.objects.create(
            promise=promise,
            year=tertial.year,
            number=tertial.number,
            status=TertialReport.Status.PUBLISHED,
            council=self.world.council,
            meeting_date=tertial.end,
            approved_at=timezone.now(),
            published_at=timezone.now(),
        )
        report.snapshot = snapshot_of(report).to_dict()
        report.save(update_fields=["snapshot"])
        Publication.objects.create(report=report, edition=1, snapshot=report.snapshot, published_at=report.published_at)
        return report


def _pages(world):
    """(path, user, method, data, expected status) of every page the benchmark measures."""
    return {
        "health": ("/health/", None, "GET", None, 200),
        # The logged-in floor: session, user, scope and the menu (staff.views.floor).
        "floor": ("/matsida/", world.coordinator, "GET", None, 200),
        "start": ("/att-gora/", world.coordinator, "GET", None, 200),
        "promise": ("/strangnas/2020/", None, "GET", None, 200),
        "report": ("/strangnas/2020/resultat/2020T1/", None, "GET", None, 200),
        "staff report": (f"/uppfoljning/{world.promise.pk}/2020T1/", world.council_member, "GET", None, 200),
        "draft report": (f"/uppfoljning/{world.promise.pk}/2020T2/", world.coordinator, "GET", None, 200),
        "municipality": ("/strangnas/", None, "GET", None, 200),
        "ics": ("/strangnas/kalender.ics", None, "GET", None, 200),
        "atom": ("/strangnas/flode.atom", None, "GET", None, 200),
        "api": ("/api/v1/activities/?municipality=strangnas&year=2020", None, "GET", None, 200),
        "mine": ("/mina-aktiviteter/", world.police_recorder, "GET", None, 200),
        "dashboard": (f"/uppfoljning/{world.promise.pk}/", world.coordinator, "GET", None, 200),
        "overview": ("/uppfoljning/kommun/strangnas/", world.coordinator, "GET", None, 200),
        "national": ("/uppfoljning/nationellt/2020/", world.administrator, "GET", None, 200),
        "admin": ("/admin/activities/activityrecord/", world.administrator, "GET", None, 200),
        "workspace": ("/arbetsyta/", world.coordinator, "GET", None, 200),
        "workspace promise": (f"/arbetsyta/loften/{world.promise.pk}/", world.coordinator, "GET", None, 200),
        "activity form": (
            f"/arbetsyta/aktiviteter/{world.count_activity.pk}/andra/",
            world.coordinator,
            "GET",
            None,
            200,
        ),
        "promise form": (f"/arbetsyta/loften/{world.promise.pk}/andra/", world.coordinator, "GET", None, 200),
        "log": (
            f"/aktiviteter/{world.count_activity.pk}/logga/",
            world.police_recorder,
            "POST",
            {
                "activity": world.count_activity.pk,
                "occurred_on": LOG_DAY.isoformat(),
                "quantity": 1,
                "place": "",
                "place_text": "",
                "participating_organisations": [world.police_organisation.pk],
                "summary": "Planlagd insats",
            },
            302,
        ),
    }


def _measure(client, world, page):
    """The queries of ``page`` with nothing cached, then of the same request again (from the caches, as a running
    server mostly answers it): the caches must not hide a miss that grows, nor a hit that does."""
    path, user, method, data, status = _pages(world)[page]
    client.logout()
    if user is not None:
        client.force_login(user)
    cache.clear()
    measured = []
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as queries:
            if method == "POST":
                response = client.post(path, {**data, "submission_key": str(uuid.uuid4())})
            else:
                response = client.get(path)
        assert response.status_code == status, (page, response.status_code)
        measured.append([query["sql"] for query in queries])
    return measured


@pytest.fixture
def sized(world):
    """The world with the small size of data, and a function that grows it to the large size."""
    growth = Growth(world)
    growth.add(0, SMALL)
    # A published report of the current promise, frozen from the records: the promise page shows its figures.
    growth._published(world.promise, Tertial(2020, 1))
    # A draft of the next tertial, read live: the coordinator's form over every activity.
    TertialReport.objects.create(promise=world.promise, year=2020, number=2, council=world.council)
    return world, lambda: growth.add(SMALL, LARGE)


PAGES = ["health", "floor", "start"]
PAGES += ["promise", "report", "staff report", "draft report", "municipality", "ics", "atom", "api", "mine"]
PAGES += ["dashboard", "overview", "national"]
PAGES += ["admin", "log", "workspace", "workspace promise", "activity form", "promise form"]


@pytest.mark.parametrize("page", PAGES)
def test_the_query_count_does_not_grow_with_the_data(client, sized, page):
    world, grow = sized
    small = _measure(client, world, page)
    records_before = ActivityRecord.objects.count()
    grow()
    assert ActivityRecord.objects.count() >= 9 * records_before  # the large size really is about ten times larger
    large = _measure(client, world, page)
    for state, small_queries, large_queries in zip(("cold", "warm"), small, large, strict=True):
        assert len(large_queries) == len(small_queries), "\n".join(
            [f"{state}, small:", *small_queries, "", f"{state}, large:", *large_queries]
        )


def _unbounded_record_counts(queries):
    """COUNT queries over the records table without a LIMIT: they read every row they count."""
    table = ActivityRecord._meta.db_table
    return [
        sql
        for sql in queries
        if re.search(r"\bCOUNT\(", sql, re.IGNORECASE) and table in sql and not re.search(r"\bLIMIT\b", sql)
    ]


def test_the_admin_record_list_never_counts_the_whole_records_table(client, sized):
    world, grow = sized
    grow()
    for user in (world.administrator,):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/activities/activityrecord/").status_code == 200
        assert not _unbounded_record_counts([query["sql"] for query in queries])


def test_the_admin_record_list_shows_fifty_records_a_page_with_the_same_queries_at_both_sizes(client, sized):
    """Issue 19, item 4: the administrators' record list is flat with the data: a page of 50 rows (half Django's
    default, since drawing the rows is its cost), read with the same queries whatever the table holds."""
    world, grow = sized
    client.force_login(world.administrator)
    counts = []
    for size in ("small", "large"):
        if size == "large":
            grow()
        client.get("/admin/activities/activityrecord/?year=all")  # the session's refresh, once after log-in
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/activities/activityrecord/?year=all")
        assert response.status_code == 200
        shown = len(response.context["cl"].result_list)
        assert shown == min(50, ActivityRecord.objects.count())
        counts.append(len(queries))
    assert shown == 50
    assert counts[0] == counts[1]
