"""Starting next year's promise as a draft copy (followup.next_year): what is copied, what is not, and who may do it."""

import datetime
from decimal import Decimal

import pytest

from activities.models import Activity, ActivityRecord
from followup.models import Assessment, Indicator, IndicatorValue, TertialReport
from followup.next_year import PromiseCopyError, promise_copy_for_next_year
from promises.models import FocusArea, Promise
from tests.conftest import make_record, make_report

pytestmark = pytest.mark.django_db


TEXTS = {
    "situation": "Narkotika bland unga har ökat.",
    "pledge": "Polisen och kommunen lovar att göra mer.",
    "expected_effects": "Färre unga som använder narkotika.",
    "follow_up": "Brottsförebyggande rådet varje tertial.",
    "communication": "Kommunens webbplats och lokalpress.",
}


@pytest.fixture
def promise(world):
    """The 2020 promise filled in everywhere, with follow-up that must stay behind when it is copied."""
    promise = world.promise
    promise.title = "Medborgarlöfte 2020 – Strängnäs"
    for field, text in TEXTS.items():
        setattr(promise, field, text)
    promise.save()
    promise.signatories.set([world.police_organisation, world.municipal_organisation])
    world.focus_area.description = "Insatser mot narkotika."
    world.focus_area.order = 2
    world.focus_area.save()
    FocusArea.objects.create(promise=promise, title="Trygghet i centrum", description="Centrum.", order=1)
    world.count_activity.description = "Minst två planlagda insatser."
    world.count_activity.order = 3
    world.count_activity.partner_organisations.set([world.municipal_organisation])
    world.count_activity.save()
    Activity.objects.create(
        promise=promise,
        kind=world.count_activity.kind,
        title="Utan fokusområde",
        lead_organisation=world.police_organisation,
    )
    indicator = Indicator.objects.create(
        promise=promise, name="Bostadsinbrott", unit="anmälningar", source="Polisen", better="lower"
    )
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=Decimal("14"))
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1), quantity=2)
    report = make_report(promise, number=1)
    Assessment.objects.create(report=report, activity=world.count_activity, comment="Enligt plan.")
    return promise


def copy(world, promise=None):
    new, created = promise_copy_for_next_year(promise=promise or world.promise, by=world.coordinator)
    assert created
    return new


def copy_again(world, first):
    """Another copy of the same promise, as if the first had been started from another one."""
    Promise.objects.filter(pk=first.pk).update(copied_from=None)
    return copy(world)


def set_period(promise, start, end, *, year=None):
    promise.period_start, promise.period_end = start, end
    promise.year = year or start.year
    promise.save()
    return promise


def test_it_copies_the_promise_as_a_draft_of_next_year(world, promise):
    new = copy(world)
    assert new.pk != promise.pk
    assert (new.title, new.year, new.status, new.signed_on) == (
        "Medborgarlöfte 2021 – Strängnäs",
        2021,
        Promise.Status.DRAFT,
        None,
    )
    assert (new.period_start, new.period_end) == (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    assert {field: getattr(new, field) for field in TEXTS} == TEXTS
    assert list(new.municipalities.all()) == [world.strangnas]
    assert set(new.signatories.all()) == {world.police_organisation, world.municipal_organisation}


def test_it_copies_the_focus_areas_with_their_order(world, promise):
    new = copy(world)
    copied = [(area.title, area.description, area.order) for area in new.focus_areas.all()]
    assert copied == [("Trygghet i centrum", "Centrum.", 1), ("Narkotika bland unga", "Insatser mot narkotika.", 2)]
    assert not set(new.focus_areas.all()) & set(promise.focus_areas.all())


def test_it_copies_every_activity_with_its_target(world, promise):
    fields = ["kind_id", "title", "description", "lead_organisation_id", "target_count", "unit", "recurrence", "order"]

    def described(activity):
        return (
            *(getattr(activity, field) for field in fields),
            activity.focus_area.title if activity.focus_area else None,
            {organisation.pk for organisation in activity.partner_organisations.all()},
            {place.pk for place in activity.target_places.all()},
        )

    new = copy(world)
    old_activities = sorted(described(activity) for activity in promise.activities.all())
    assert sorted(described(activity) for activity in new.activities.all()) == old_activities
    assert new.activities.count() == 5
    assert not set(new.activities.all()) & set(promise.activities.all())


def test_the_copied_activities_belong_to_the_copied_focus_areas(world, promise):
    new = copy(world)
    new_areas = set(new.focus_areas.all())
    for activity in new.activities.exclude(title="Utan fokusområde"):
        assert activity.focus_area in new_areas
        assert activity.focus_area.promise == new
    assert new.activities.get(title="Utan fokusområde").focus_area is None
    # The old activities keep the old focus area.
    assert set(promise.activities.exclude(focus_area=None).values_list("focus_area", flat=True)) == {
        world.focus_area.pk
    }


def test_it_copies_the_indicators_without_their_values(world, promise):
    new = copy(world)
    [indicator] = new.indicators.all()
    assert (indicator.name, indicator.unit, indicator.source, indicator.better) == (
        "Bostadsinbrott",
        "anmälningar",
        "Polisen",
        "lower",
    )
    assert not indicator.values.exists()
    assert IndicatorValue.objects.filter(indicator__promise=promise).count() == 1


def test_it_copies_no_records_reports_or_assessments(world, promise):
    new = copy(world)
    assert not ActivityRecord.objects.filter(activity__promise=new).exists()
    assert not TertialReport.objects.filter(promise=new).exists()
    assert not Assessment.objects.filter(activity__promise=new).exists()
    # And the original keeps its own.
    assert ActivityRecord.objects.filter(activity__promise=promise).count() == 1
    assert Assessment.objects.filter(report__promise=promise).count() == 1


def test_it_records_who_made_the_copy(world, promise):
    new = copy(world)
    assert new.history.get().history_user == world.coordinator
    assert {version.history_user for activity in new.activities.all() for version in activity.history.all()} == {
        world.coordinator
    }


def test_it_leaves_the_original_unchanged(world, promise):
    before = Promise.objects.filter(pk=promise.pk).values().get()
    copy(world)
    assert Promise.objects.filter(pk=promise.pk).values().get() == before


def test_a_title_without_the_year_is_marked_as_a_copy(world):
    world.promise.title = "Tryggare Strängnäs"
    world.promise.slug = "tryggare-strangnas"
    world.promise.save()
    new = copy(world)
    assert (new.title, new.slug) == ("Tryggare Strängnäs (kopia)", "tryggare-strangnas-2021")


def test_a_year_inside_a_longer_number_is_not_the_year(world):
    world.promise.title = "Löfte nr 120201"
    world.promise.save()
    assert copy(world).title == "Löfte nr 120201 (kopia)"


def test_a_long_title_stays_within_its_length(world):
    world.promise.title = "x" * 200
    world.promise.save()
    new = copy(world)
    assert len(new.title) == 200
    assert new.title.endswith(" (kopia)")


def test_the_slug_carries_the_new_year(world):
    world.draft_promise.delete()
    assert copy(world).slug == "strangnas-2021"


def test_a_taken_slug_gets_a_free_number(world):
    # The fixture's draft for 2021 already has "strangnas-2021".
    first = copy(world)
    second = copy_again(world, first)
    assert (first.slug, second.slug) == ("strangnas-2021-2", "strangnas-2021-3")
    assert first.year == second.year == 2021


def test_the_same_slug_in_another_year_is_no_clash(world):
    world.draft_promise.year = 2022
    world.draft_promise.save()
    assert copy(world).slug == "strangnas-2021"


def test_a_long_slug_stays_within_its_length(world):
    world.promise.slug = "a" * 95 + "-2020"
    world.promise.save()
    first = copy(world)
    second = copy_again(world, first)
    assert first.slug == "a" * 95 + "-2021"
    assert len(second.slug) == 100
    assert second.slug.endswith("-2")


@pytest.mark.parametrize(
    ("start", "end", "new_start", "new_end"),
    [
        # From signing on a leap day: no 29 February the next year.
        ("2020-02-29", "2020-12-31", "2021-02-28", "2021-12-31"),
        # Extended to the end of February of a leap year.
        ("2019-03-01", "2020-02-29", "2020-03-01", "2021-02-28"),
        # Ending with February in a common year ends with February in the leap year that follows.
        ("2019-01-01", "2019-02-28", "2020-01-01", "2020-02-29"),
        ("2020-03-15", "2020-12-31", "2021-03-15", "2021-12-31"),
        ("2020-01-01", "2020-12-31", "2021-01-01", "2021-12-31"),
        # Two whole years are followed by the next two, never an overlapping 2022–2023.
        ("2021-01-01", "2022-12-31", "2023-01-01", "2024-12-31"),
        # A longer period that is not whole years starts again the day after it ends.
        ("2019-10-01", "2020-12-31", "2021-01-01", "2021-12-31"),
    ],
)
def test_the_next_period_follows_without_overlapping(world, start, end, new_start, new_end):
    dates = [datetime.date.fromisoformat(day) for day in (start, end, new_start, new_end)]
    set_period(world.promise, dates[0], dates[1])
    new = copy(world)
    assert (new.period_start, new.period_end) == (dates[2], dates[3])


def test_it_refuses_a_year_the_portal_does_not_accept(world):
    set_period(world.promise, datetime.date(2100, 1, 1), datetime.date(2100, 12, 31))
    with pytest.raises(PromiseCopyError, match="2100"):
        copy(world)
    assert not Promise.objects.filter(year=2101).exists()


def test_the_service_refuses_someone_who_does_not_coordinate_the_promise(world):
    for user in (world.council_member, world.police_recorder, world.outsider):
        with pytest.raises(PromiseCopyError):
            promise_copy_for_next_year(promise=world.promise, by=user)
    assert Promise.objects.count() == 3


def test_an_administrator_may_copy_any_promise(world):
    new, _created = promise_copy_for_next_year(promise=world.foreign_promise, by=world.administrator)
    assert new.slug == "eskilstuna-2021"


def test_losing_a_race_for_the_slug_copies_nothing(world, monkeypatch):
    # As if another copy took "strangnas-2021" between the check for a free slug and the save.
    monkeypatch.setattr("followup.next_year._free_slug", lambda *args: "strangnas-2021")
    monkeypatch.setattr(Promise, "full_clean", lambda self: None)
    with pytest.raises(PromiseCopyError):
        copy(world)
    assert Promise.objects.count() == 3


def test_a_second_click_finds_the_draft_instead_of_making_another(world):
    first = copy(world)
    again, created = promise_copy_for_next_year(promise=world.promise, by=world.coordinator)
    assert (again, created) == (first, False)
    assert Promise.objects.filter(copied_from=world.promise).count() == 1


def test_a_two_year_promise_names_its_next_two_years(world):
    world.promise.title, world.promise.slug = "Medborgarlöfte 2019–2020", "strangnas-2019-2020"
    world.promise.save()
    set_period(world.promise, datetime.date(2019, 1, 1), datetime.date(2020, 12, 31), year=2019)
    new = copy(world)
    assert (new.title, new.slug, new.year) == ("Medborgarlöfte 2021–2022", "strangnas-2021-2022", 2021)
    assert (new.period_start, new.period_end) == (datetime.date(2021, 1, 1), datetime.date(2022, 12, 31))


def test_another_municipalitys_slug_is_no_clash(world):
    # Eskilstuna's own promise for 2021 may be called what Strängnäs calls its own.
    world.foreign_promise.year, world.foreign_promise.slug = 2021, "strangnas-2021"
    world.foreign_promise.save()
    world.draft_promise.delete()
    assert copy(world).slug == "strangnas-2021"


def test_next_years_copy_keeps_internal_activities_shares_and_moves_the_winter_window(world, promise):
    from activities.models import Activity

    Activity.objects.filter(pk=world.count_activity.pk).update(
        is_internal=True,
        target_window_start=datetime.date(2020, 1, 1),
        target_window_end=datetime.date(2020, 2, 29),  # 2021 has no 29 February
    )
    Activity.objects.filter(pk=world.places_activity.pk).update(target_per_municipality=True)
    new = copy(world)
    counted = new.activities.get(title=world.count_activity.title)
    assert counted.is_internal
    assert (counted.target_window_start, counted.target_window_end) == (
        datetime.date(2021, 1, 1),
        datetime.date(2021, 2, 28),
    )
    assert new.activities.get(title=world.places_activity.title).target_per_municipality
