"""Targets with a window and per municipality (issue 15, items 5-6) and internal activities (item 4) keep every
touched page's query count fixed as the data grows tenfold (the method of test_query_counts)."""

import datetime

import pytest

from activities.models import Activity, ActivityRecord
from followup.models import TertialReport
from followup.tertials import Tertial
from tests.perf.test_query_counts import LARGE, SMALL, Growth, _measure

pytestmark = pytest.mark.django_db

TOUCHED = ["promise", "report", "staff report", "draft report", "municipality", "ics", "api", "mine", "dashboard"]
TOUCHED += ["overview", "national", "workspace promise", "activity form"]


@pytest.fixture
def sized_targets(world):
    """The world's promise shared with Eskilstuna, one target per municipality, one windowed, one activity internal."""
    world.promise.municipalities.add(world.eskilstuna)
    Activity.objects.filter(pk=world.count_activity.pk).update(target_per_municipality=True)
    Activity.objects.filter(pk=world.places_activity.pk).update(
        target_window_start=datetime.date(2020, 2, 1), target_window_end=datetime.date(2020, 6, 30)
    )
    Activity.objects.filter(pk=world.once_activity.pk).update(is_internal=True)
    growth = Growth(world)
    growth.add(0, SMALL)
    growth._published(world.promise, Tertial(2020, 1))
    TertialReport.objects.create(promise=world.promise, year=2020, number=2, council=world.council)
    return world, lambda: growth.add(SMALL, LARGE)


@pytest.mark.parametrize("page", TOUCHED)
def test_the_query_count_stays_fixed_with_windows_shares_and_internal_activities(client, sized_targets, page):
    world, grow = sized_targets
    small = _measure(client, world, page)
    records_before = ActivityRecord.objects.count()
    grow()
    assert ActivityRecord.objects.count() >= 9 * records_before
    large = _measure(client, world, page)
    for state, small_queries, large_queries in zip(("cold", "warm"), small, large, strict=True):
        assert len(large_queries) == len(small_queries), "\n".join(
            [f"{state}, small:", *small_queries, "", f"{state}, large:", *large_queries]
        )
