"""Data versions: every write changes the tokens of exactly what it touches (promises.versions).

A cached page or figure is only as exact as these tokens: a write that leaves a token alone would leave a stale
copy on show. Each test writes one thing and checks which tokens changed: the promise's and its municipality's,
and not those of another municipality's promise (which would only cost cache hits).
"""

import datetime

import pytest

from activities.models import ActivityRecord
from followup.models import Indicator, IndicatorValue
from promises import versions
from promises.models import FocusArea, Municipality, Organisation, Place, Promise
from tests.conftest import make_event, make_record, make_report


def tokens(world):
    promises = dict(Promise.objects.values_list("pk", "data_version"))
    municipalities = dict(Municipality.objects.values_list("pk", "data_version"))
    return {
        "promise": promises[world.promise.pk],
        "strangnas": municipalities[world.strangnas.pk],
        "foreign_promise": promises[world.foreign_promise.pk],
        "eskilstuna": municipalities[world.eskilstuna.pk],
    }


def changed(before, after):
    return {name for name in before if before[name] != after[name]}


STRANGNAS_ONLY = {"promise", "strangnas"}


@pytest.fixture
def record(world):
    return make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 3))


def test_logging_a_record_changes_its_promise_and_municipality_only(world):
    before = tokens(world)
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 3))
    assert changed(before, tokens(world)) == STRANGNAS_ONLY


def test_correcting_and_voiding_a_record_change_the_tokens(world, record):
    before = tokens(world)
    record.quantity = 3
    record.save()
    after_correction = tokens(world)
    assert changed(before, after_correction) == STRANGNAS_ONLY
    record.voided_at = datetime.datetime(2020, 3, 1, tzinfo=datetime.UTC)
    record.voided_by = world.police_recorder
    record.void_reason = "Felregistrerad"
    record.save()
    assert changed(after_correction, tokens(world)) == STRANGNAS_ONLY


def test_moving_a_record_to_another_promise_changes_both(world, record):
    before = tokens(world)
    record.activity = world.foreign_activity
    record.save()
    assert changed(before, tokens(world)) == set(before)


def test_deleting_a_record_changes_the_tokens(world, record):
    before = tokens(world)
    ActivityRecord.objects.filter(pk=record.pk).delete()
    assert changed(before, tokens(world)) == STRANGNAS_ONLY


def test_a_records_organisations_change_the_tokens(world, record):
    before = tokens(world)
    record.participating_organisations.add(world.municipal_organisation)
    assert changed(before, tokens(world)) == STRANGNAS_ONLY


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda w: setattr(w.count_activity, "target_count", 5) or w.count_activity.save(), id="activity target"
        ),
        pytest.param(lambda w: w.places_activity.target_places.remove(w.second_district), id="activity places"),
        pytest.param(lambda w: w.continuous_activity.partner_organisations.clear(), id="activity partners"),
        pytest.param(lambda w: FocusArea.objects.create(promise=w.promise, title="Trafik"), id="focus area"),
        pytest.param(lambda w: make_report(w.promise, status="published"), id="report"),
        pytest.param(
            lambda w: make_event(w, starts=datetime.datetime(2020, 5, 1, 18, tzinfo=datetime.UTC)), id="event"
        ),
        pytest.param(lambda w: w.promise.signatories.add(w.police_organisation), id="signatories"),
        pytest.param(
            lambda w: IndicatorValue.objects.create(
                indicator=Indicator.objects.create(promise=w.promise, name="Anmälda brott"),
                year=2020,
                number=1,
                value=3,
            ),
            id="indicator value",
        ),
        pytest.param(lambda w: setattr(w.promise, "pledge", "Vi lovar") or w.promise.save(), id="promise text"),
    ],
)
def test_every_change_under_a_promise_changes_its_tokens_and_no_one_elses(world, write):
    before = tokens(world)
    write(world)
    assert changed(before, tokens(world)) == STRANGNAS_ONLY


def test_a_report_transition_by_update_and_save_changes_the_tokens(world):
    report = make_report(world.promise, status="approved")
    before = tokens(world)
    report.status = "published"
    report.published_at = datetime.datetime(2020, 5, 21, tzinfo=datetime.UTC)
    report.save()
    assert changed(before, tokens(world)) == STRANGNAS_ONLY


def test_deleting_a_promise_changes_its_municipalitys_token(world):
    before = tokens(world)
    world.draft_promise.delete()
    assert changed(before, tokens(world)) == {"strangnas"}


def test_a_promise_shared_by_two_municipalities_changes_both(world):
    world.promise.municipalities.add(world.eskilstuna)
    before = tokens(world)
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 3))
    assert changed(before, tokens(world)) == {"promise", "strangnas", "eskilstuna"}


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda w: setattr(w.district, "name", "Mariefred tätort") or w.district.save(), id="place"),
        pytest.param(
            lambda w: setattr(w.police_organisation, "name", "Polisområde Sörmland") or w.police_organisation.save(),
            id="organisation",
        ),
        pytest.param(
            lambda w: w.police_organisation.municipalities.add(w.eskilstuna), id="organisation's municipalities"
        ),
        pytest.param(
            lambda w: setattr(w.strangnas, "name", "Strängnäs kommun") or w.strangnas.save(), id="municipality"
        ),
        pytest.param(lambda w: Place.objects.create(municipality=w.eskilstuna, name="Hällby"), id="new place"),
        pytest.param(
            lambda w: Organisation.objects.create(
                name="Räddningstjänsten", kind=Organisation.Kind.MUNICIPALITY
            ).delete(),
            id="deleted organisation",
        ),
    ],
)
def test_reference_data_shown_by_name_everywhere_changes_every_token(world, write):
    before = tokens(world)
    write(world)
    assert changed(before, tokens(world)) == set(before)


def test_moving_a_promise_between_municipalities_changes_both_and_not_other_promises(world):
    before = tokens(world)
    world.promise.municipalities.set([world.eskilstuna])
    assert changed(before, tokens(world)) == {"promise", "strangnas", "eskilstuna"}
    moved = tokens(world)
    world.promise.municipalities.clear()
    assert changed(moved, tokens(world)) == {"promise", "eskilstuna"}


def test_reading_changes_nothing(world, client):
    before = tokens(world)
    client.get(f"/{world.strangnas.slug}/2020/")
    client.force_login(world.coordinator)
    client.get(f"/uppfoljning/{world.promise.pk}/")
    assert changed(before, tokens(world)) == set()


def test_bump_promises_is_what_bulk_writes_call(world):
    before = tokens(world)
    versions.bump_promises(Promise.objects.filter(pk=world.foreign_promise.pk))
    assert changed(before, tokens(world)) == {"foreign_promise", "eskilstuna"}
