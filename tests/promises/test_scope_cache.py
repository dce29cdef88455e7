"""The scope kept in the cache (promises.scope, SCOPE_CACHE): the floor reads no memberships, and every change that
gives or takes a role is seen on the person's next request.

Each test asks as the person would: a page that answers 404 outside their scope answers 200 once they are given the
role, and 404 again once it is taken away (or once their organisation stops serving the municipality).
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from promises import memberships
from promises.models import Membership
from promises.scope import memberships_version
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

REASON = "Ny ledamot i rådet"


@pytest.fixture(autouse=True)
def scope_cache(settings):
    settings.SCOPE_CACHE = True
    cache.clear()


def dashboard(client, world):
    return client.get(f"/uppfoljning/{world.promise.pk}/").status_code


def memberships_read(queries):
    return [query["sql"] for query in queries if Membership._meta.db_table in query["sql"]]


def test_the_floor_reads_the_memberships_once_and_then_from_the_cache(client, world):
    client.force_login(world.coordinator)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/matsida/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/matsida/").status_code == 200
    assert len(memberships_read(first)) == 1
    # The session and the user, inside the request's transaction (a savepoint pair in a test): nothing else.
    statements = [query["sql"].split()[0] for query in second]
    assert statements == ["SELECT", "SELECT", "SAVEPOINT", "RELEASE"]
    assert memberships_read(second) == []


def test_without_the_setting_every_request_reads_the_memberships(client, world, settings):
    settings.SCOPE_CACHE = False
    client.force_login(world.coordinator)
    for _request in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/matsida/").status_code == 200
        assert len(memberships_read(queries)) == 1


def test_a_role_granted_is_seen_on_the_next_request_and_one_ended_too(client, world):
    person = make_user("ny-ledamot")
    client.force_login(person)
    assert dashboard(client, world) == 404  # cached now: no role anywhere
    membership = memberships.membership_grant(
        by=world.administrator, user=person, organisation=world.municipal_organisation, role="council", reason=REASON
    )
    assert dashboard(client, world) == 200
    memberships.membership_end(by=world.administrator, membership=membership, reason=REASON)
    assert dashboard(client, world) == 404


def test_a_role_changed_is_seen_on_the_next_request(client, world):
    client.force_login(world.municipal_recorder)
    assert dashboard(client, world) == 404  # a recorder does not follow up
    membership = Membership.objects.get(user=world.municipal_recorder)
    memberships.membership_change(by=world.administrator, membership=membership, role="council", reason=REASON)
    assert dashboard(client, world) == 200


def test_an_organisation_that_stops_serving_the_municipality_takes_the_role_with_it(client, world):
    client.force_login(world.council_member)
    assert dashboard(client, world) == 200
    world.municipal_organisation.municipalities.remove(world.strangnas)
    assert dashboard(client, world) == 404
    world.municipal_organisation.municipalities.add(world.strangnas)
    assert dashboard(client, world) == 200


def test_a_membership_deleted_with_its_organisation_is_gone_on_the_next_request(client, world):
    client.force_login(world.police_recorder)
    assert client.get("/mina-aktiviteter/").status_code == 200
    assert "Polisen Strängnäs" in client.get("/mina-aktiviteter/").content.decode()
    world.police_organisation.memberships.all().delete()
    assert world.police_organisation.name not in client.get("/mina-aktiviteter/").content.decode()


def test_the_version_is_made_again_when_the_cache_lost_it(client, world):
    client.force_login(world.council_member)
    assert dashboard(client, world) == 200
    cache.clear()
    assert memberships_version() is not None
    assert dashboard(client, world) == 200


def test_a_second_factor_required_of_the_organisation_is_seen_on_the_next_request(client, world):
    client.force_login(world.coordinator)
    assert client.get("/matsida/").status_code == 200
    world.municipal_organisation.requires_mfa = True
    world.municipal_organisation.save()
    # The organisation now asks for a second factor the coordinator has not set up: the floor is not shown.
    assert client.get("/matsida/").status_code != 200
