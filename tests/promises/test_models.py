import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from promises.models import Membership, Municipality, Place, Promise

pytestmark = pytest.mark.django_db


def test_it_refuses_a_second_municipality_with_the_same_code(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(name="Annan", slug="annan", code="0486")


def test_it_refuses_a_municipality_code_that_is_not_four_digits(world):
    municipality = Municipality(name="Annan", slug="annan", code="486")
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "code" in error.value.message_dict


def test_it_refuses_a_second_membership_of_one_user_in_one_organisation(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.police_recorder, organisation=world.police_organisation, role=Membership.Role.COORDINATOR
        )


def test_it_refuses_a_period_that_ends_before_it_starts(world):
    world.promise.period_end = datetime.date(2019, 12, 31)
    with pytest.raises(ValidationError) as error:
        world.promise.full_clean()
    assert "period_end" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        world.promise.save()


def test_a_promise_may_be_signed_without_a_known_signing_date(world):
    # Where the source gives no date, none is stored: nothing is invented (the public page says it is not known).
    world.promise.signed_on = None
    world.promise.full_clean()
    world.promise.save()
    world.promise.refresh_from_db()
    assert (world.promise.status, world.promise.signed_on) == ("signed", None)


def test_it_refuses_a_district_with_a_parent(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(municipality=world.strangnas, name="Kommundel", parent=world.district)


def test_it_refuses_a_site_in_a_district_of_another_municipality(world):
    site = Place(municipality=world.eskilstuna, name="Station", kind=Place.Kind.SITE, parent=world.district)
    with pytest.raises(ValidationError) as error:
        site.full_clean()
    assert "parent" in error.value.message_dict


def test_public_promises_are_the_signed_and_closed_ones(world):
    world.foreign_promise.status = Promise.Status.CLOSED
    world.foreign_promise.save()
    assert set(Promise.objects.public()) == {world.promise, world.foreign_promise}


def test_a_draft_is_visible_only_to_staff_of_its_municipality(world):
    assert world.draft_promise in Promise.objects.visible_to(world.council_member)
    assert world.draft_promise not in Promise.objects.visible_to(world.outsider)
    assert world.draft_promise in Promise.objects.visible_to(world.administrator)


def test_anonymous_visitors_see_only_public_promises(world):
    from django.contrib.auth.models import AnonymousUser

    assert set(Promise.objects.visible_to(AnonymousUser())) == {world.promise, world.foreign_promise}


def test_the_scope_of_staff_is_their_organisations_municipalities(world):
    assert set(Promise.objects.in_scope_of(world.police_recorder)) == {world.promise, world.draft_promise}
    assert set(Promise.objects.in_scope_of(world.outsider)) == {world.foreign_promise}
    assert set(Municipality.objects.in_scope_of(world.coordinator)) == {world.strangnas}
    assert Promise.objects.in_scope_of(world.administrator).count() == 3


def test_the_scope_can_be_limited_to_a_role(world):
    assert set(Promise.objects.in_scope_of(world.coordinator, Membership.Role.COORDINATOR)) == {
        world.promise,
        world.draft_promise,
    }
    assert not Promise.objects.in_scope_of(world.police_recorder, Membership.Role.COORDINATOR).exists()


def test_a_police_area_serving_two_municipalities_sees_both(world):
    world.police_organisation.municipalities.add(world.eskilstuna)
    assert world.foreign_promise in Promise.objects.in_scope_of(world.police_recorder)


def test_promises_can_be_chained_by_year_and_status(world):
    assert list(Promise.objects.public().in_year(2020).order_by("title")) == [
        world.foreign_promise,
        world.promise,
    ]
    assert list(Promise.objects.current().in_year(2021)) == []


def test_names_read_as_people_say_them(world):
    assert str(world.strangnas) == "Strängnäs"
    assert str(world.promise) == "Medborgarlöfte 2020"
    assert str(world.focus_area) == "Narkotika bland unga"
    assert str(Membership.objects.get(user=world.police_recorder)).startswith("polis – Polisen Strängnäs")
