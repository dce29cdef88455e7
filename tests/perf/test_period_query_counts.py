"""The pages follow-up plans and promises longer than a year touched keep a fixed query count at two data sizes.

The same growth as tests/perf/test_query_counts.py, with the current promise followed up in half-years (a
published H1, a draft H2) and a two-year promise 2021–2022 of Strängnäs whose activities and records grow too.
"""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity, ActivityKind, ActivityRecord
from followup.models import Publication, TertialReport
from followup.services import snapshot_of
from promises.models import Promise
from tests.perf.test_query_counts import LARGE, SMALL, Growth

pytestmark = pytest.mark.django_db


def _published(world, promise, **period):
    report = TertialReport.objects.create(
        promise=promise,
        status=TertialReport.Status.PUBLISHED,
        council=world.council,
        meeting_date=datetime.date(2023, 1, 20),
        approved_at=timezone.now(),
        published_at=timezone.now(),
        **period,
    )
    report.snapshot = snapshot_of(report).to_dict()
    report.save(update_fields=["snapshot"])
    Publication.objects.create(report=report, edition=1, snapshot=report.snapshot, published_at=report.published_at)
    return report


class TwoYearGrowth:
    def __init__(self, world, promise):
        self.world, self.promise = world, promise
        self.kind = ActivityKind.objects.get(slug="planlagd-insats")

    def add(self, first, last):
        records = []
        for unit in range(first, last):
            activity = Activity.objects.create(
                promise=self.promise,
                kind=self.kind,
                title=f"Tvåårsinsats {unit}",
                lead_organisation=self.world.police_organisation,
                target_count=8,
                order=unit,
            )
            for number in range(6):
                records.append(
                    ActivityRecord(
                        activity=activity,
                        occurred_on=datetime.date(2021 + number % 2, 1 + number, 10),
                        quantity=1,
                        summary=f"Tvåår {unit}-{number}",
                        recorded_by=self.world.police_recorder,
                        submission_key=uuid.uuid4(),
                    )
                )
        ActivityRecord.objects.bulk_create(records)


@pytest.fixture
def sized(world):
    world.promise.followup_plan = Promise.FollowUpPlan.HALF_YEARS
    world.promise.save()
    two_years = Promise.objects.create(
        title="Medborgarlöfte 2021–2022",
        slug="strangnas-2021-2022",
        year=2021,
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2022, 12, 31),
        status=Promise.Status.SIGNED,
        followup_plan=Promise.FollowUpPlan.YEARLY,
    )
    two_years.municipalities.set([world.strangnas])
    growth, more = Growth(world), TwoYearGrowth(world, two_years)
    growth.add(0, SMALL)
    more.add(0, SMALL)
    _published(world, world.promise, kind="H", year=2020, number=1)
    TertialReport.objects.create(promise=world.promise, kind="H", year=2020, number=2, council=world.council)
    _published(world, two_years, kind="Y", year=2021, number=1)

    def grow():
        growth.add(SMALL, LARGE)
        more.add(SMALL, LARGE)

    return world, two_years, grow


def _pages(world, two_years):
    return {
        "half-year report": ("/strangnas/2020/resultat/2020H1/", None),
        "half-year report pdf": ("/strangnas/2020/resultat/2020H1.pdf", None),
        "staff half-year report": (f"/uppfoljning/{world.promise.pk}/2020H1/", world.council_member),
        "draft half-year report": (f"/uppfoljning/{world.promise.pk}/2020H2/", world.coordinator),
        "dashboard": (f"/uppfoljning/{world.promise.pk}/", world.coordinator),
        "first year": ("/strangnas/2021/", None),
        "second year": ("/strangnas/2022/", None),
        "yearly report at the second year": ("/strangnas/2022/resultat/2021/", None),
        "municipality": ("/strangnas/", None),
        "home": ("/", None),
        "atom": ("/strangnas/flode.atom", None),
        "overview": ("/uppfoljning/kommun/strangnas/", world.coordinator),
        "national 2020": ("/uppfoljning/nationellt/2020/", world.administrator),
        "national 2022": ("/uppfoljning/nationellt/2022/", world.administrator),
        "promise form": (f"/arbetsyta/loften/{two_years.pk}/andra/", world.coordinator),
    }


def _measure(client, world, two_years, page):
    path, user = _pages(world, two_years)[page]
    client.logout()
    if user is not None:
        client.force_login(user)
    cache.clear()
    counts = []
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (page, response.status_code)
        counts.append([query["sql"] for query in queries])
    return counts


PAGES = [
    "half-year report",
    "half-year report pdf",
    "staff half-year report",
    "draft half-year report",
    "dashboard",
    "first year",
    "second year",
    "yearly report at the second year",
    "municipality",
    "home",
    "atom",
    "overview",
    "national 2020",
    "national 2022",
    "promise form",
]


@pytest.mark.parametrize("page", PAGES)
def test_the_query_count_does_not_grow_with_the_data(client, sized, page):
    world, two_years, grow = sized
    small = _measure(client, world, two_years, page)
    grow()
    large = _measure(client, world, two_years, page)
    for state, small_queries, large_queries in zip(("cold", "warm"), small, large, strict=True):
        assert len(large_queries) == len(small_queries), "\n".join(
            [f"{state}, small:", *small_queries, "", f"{state}, large:", *large_queries]
        )
