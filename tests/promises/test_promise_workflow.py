"""A promise's own workflow (promises.services): signing, closing, reopening, and sharing a draft with a neighbour."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from activities.models import Activity
from promises import services
from promises.models import Promise, PromiseAddress, PromiseLinkRequest
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SIGNED_ON = datetime.date(2020, 12, 15)


@pytest.fixture
def draft(world):
    """Strängnäs's draft for 2021, with one activity."""
    Activity.objects.create(
        promise=world.draft_promise,
        kind=world.count_activity.kind,
        title="Trygghetsvandringar",
        lead_organisation=world.municipal_organisation,
        target_count=4,
    )
    return world.draft_promise


def test_a_coordinator_signs_a_draft_with_its_date(world, draft, clock):
    services.promise_sign(promise=draft, by=world.coordinator, signed_on=datetime.date(2020, 4, 1))
    draft.refresh_from_db()
    assert (draft.status, draft.signed_on) == (Promise.Status.SIGNED, datetime.date(2020, 4, 1))
    assert draft.history.order_by("-history_id").first().history_user == world.coordinator


@pytest.mark.parametrize("signed_on", [None, datetime.date(2020, 4, 16)], ids=["missing", "future"])
def test_signing_needs_a_date_that_has_been(world, draft, clock, signed_on):
    with pytest.raises(services.PromiseRefused):
        services.promise_sign(promise=draft, by=world.coordinator, signed_on=signed_on)
    draft.refresh_from_db()
    assert draft.status == Promise.Status.DRAFT


def test_a_promise_without_activities_is_not_signed(world, clock):
    with pytest.raises(services.PromiseRefused, match="aktivitet"):
        services.promise_sign(promise=world.draft_promise, by=world.coordinator, signed_on=datetime.date(2020, 4, 1))


@pytest.mark.parametrize("persona", ["outsider", "council_member", "police_recorder"])
def test_only_a_coordinator_of_the_promise_signs_it(world, draft, clock, persona):
    with pytest.raises(services.PromiseRefused):
        services.promise_sign(promise=draft, by=getattr(world, persona), signed_on=datetime.date(2020, 4, 1))


def test_a_signed_promise_is_closed_and_reopened_with_a_reason_kept_in_history(world):
    services.promise_close(promise=world.promise, by=world.coordinator)
    world.promise.refresh_from_db()
    assert world.promise.status == Promise.Status.CLOSED
    with pytest.raises(services.PromiseRefused):
        services.promise_reopen(promise=world.promise, by=world.coordinator, reason=" ")
    services.promise_reopen(promise=world.promise, by=world.coordinator, reason="Resultat för december saknas")
    world.promise.refresh_from_db()
    assert world.promise.status == Promise.Status.SIGNED
    assert world.promise.history.first().history_change_reason == "Resultat för december saknas"


def test_only_a_signed_promise_closes_and_only_a_closed_one_reopens(world, draft):
    with pytest.raises(services.PromiseRefused):
        services.promise_close(promise=draft, by=world.coordinator)
    with pytest.raises(services.PromiseRefused):
        services.promise_reopen(promise=world.promise, by=world.coordinator, reason="Varför inte")


# Sharing a draft with a neighbour -------------------------------------------------------------------------


@pytest.fixture
def eskilstuna_coordinator(world):
    return world.outsider  # the coordinator of Eskilstuna


def test_a_neighbour_joins_only_when_its_coordinator_accepts(world, draft, eskilstuna_coordinator, clock):
    request = services.promise_link_request(promise=draft, municipality=world.eskilstuna, by=world.coordinator)
    assert list(draft.municipalities.all()) == [world.strangnas]
    # Until it is answered, the promise cannot be signed, and Eskilstuna's coordinator sees the request only.
    with pytest.raises(services.PromiseRefused, match="svarat"):
        services.promise_sign(promise=draft, by=world.coordinator, signed_on=datetime.date(2020, 4, 1))
    assert draft not in Promise.objects.in_scope_of(eskilstuna_coordinator)
    assert list(services.link_requests_for(eskilstuna_coordinator)) == [request]
    # Strängnäs's coordinator cannot answer for Eskilstuna.
    with pytest.raises(services.PromiseRefused):
        services.promise_link_decide(link_request=request, by=world.coordinator, accept=True)
    services.promise_link_decide(link_request=request, by=eskilstuna_coordinator, accept=True)
    assert set(draft.municipalities.all()) == {world.strangnas, world.eskilstuna}
    assert draft in Promise.objects.in_scope_of(eskilstuna_coordinator)
    services.promise_sign(promise=draft, by=eskilstuna_coordinator, signed_on=datetime.date(2020, 4, 1))


def test_a_declined_request_adds_nothing_and_may_be_asked_again(world, draft, eskilstuna_coordinator):
    request = services.promise_link_request(promise=draft, municipality=world.eskilstuna, by=world.coordinator)
    services.promise_link_decide(link_request=request, by=eskilstuna_coordinator, accept=False)
    assert list(draft.municipalities.all()) == [world.strangnas]
    with pytest.raises(services.PromiseRefused):
        services.promise_link_decide(link_request=request, by=eskilstuna_coordinator, accept=True)
    again = services.promise_link_request(promise=draft, municipality=world.eskilstuna, by=world.coordinator)
    assert again.is_open and PromiseLinkRequest.objects.count() == 2


def test_a_request_is_refused_twice_and_for_a_member(world, draft):
    services.promise_link_request(promise=draft, municipality=world.eskilstuna, by=world.coordinator)
    with pytest.raises(services.PromiseRefused):
        services.promise_link_request(promise=draft, municipality=world.eskilstuna, by=world.coordinator)
    with pytest.raises(services.PromiseRefused):
        services.promise_link_request(promise=draft, municipality=world.strangnas, by=world.coordinator)


def test_a_signed_promise_takes_no_new_municipality(world):
    with pytest.raises(services.PromiseRefused):
        services.promise_link_request(promise=world.promise, municipality=world.eskilstuna, by=world.coordinator)


def test_a_neighbour_with_the_same_address_name_that_year_cannot_join(world, draft, eskilstuna_coordinator):
    world.foreign_promise.year, world.foreign_promise.slug = 2021, draft.slug
    world.foreign_promise.save()
    request = services.promise_link_request(promise=draft, municipality=world.eskilstuna, by=world.coordinator)
    with pytest.raises(services.PromiseRefused, match="adressnamn"):
        services.promise_link_decide(link_request=request, by=eskilstuna_coordinator, accept=True)
    assert list(draft.municipalities.all()) == [world.strangnas]


# Addresses ------------------------------------------------------------------------------------------------


def test_a_slug_is_unique_per_municipality_and_year_in_the_database(world):
    assert PromiseAddress.objects.filter(promise=world.promise, municipality=world.strangnas, year=2020).exists()
    twin = Promise.objects.create(
        title="Ett till",
        slug=world.promise.slug,
        year=2020,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    twin.municipalities.set([world.eskilstuna])  # another municipality: no clash
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.municipalities.add(world.strangnas)


def test_addresses_follow_the_slug_and_the_year(world):
    world.promise.slug = "tryggare-strangnas"
    world.promise.save()
    assert list(PromiseAddress.objects.filter(promise=world.promise).values_list("slug", "year")) == [
        ("tryggare-strangnas", 2020)
    ]
    user = make_user("x")
    assert not Promise.objects.slug_taken(slug="strangnas-2020", year=2020, municipality_ids=[world.strangnas.pk])
    assert user
