"""soak_setup and soak_records, the load and crash drill's work inside Django (ops/soak.py runs them)."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from activities.models import Activity
from ops import guards
from promises.models import Membership, Promise
from tests.conftest import make_record

pytestmark = pytest.mark.django_db


def run(name, *arguments):
    """What the command printed, parsed: it prints only JSON."""
    output = StringIO()
    call_command(name, *arguments, stdout=output)
    return json.loads(output.getvalue())


@pytest.fixture
def strangnas(monkeypatch):
    call_command("load_strangnas", stdout=StringIO())
    monkeypatch.setenv("SOAK_PASSWORD", "soak-drill-password")


@pytest.fixture
def drill_database(monkeypatch):
    """The suite's database counts as the drill's own (it is neither PostgreSQL named for the drill, nor dropped)."""
    monkeypatch.setattr(guards, "is_drill_database", lambda word: word == "soak")


def test_it_refuses_a_database_that_is_not_the_drills(strangnas):
    assert not guards.is_drill_database("soak")
    with pytest.raises(CommandError, match="Refused"):
        call_command("soak_setup", "--clients=3", "--coordinator-every=5", stdout=StringIO())
    assert not get_user_model().objects.filter(username__startswith="soak").exists()


def test_it_creates_the_clients_and_prints_what_each_may_log(strangnas, drill_database):
    setup = run("soak_setup", "--clients=5", "--coordinator-every=5")

    assert setup["promise"] == Promise.objects.get(slug="strangnas-2020").pk
    assert [client["username"] for client in setup["clients"]] == ["soak01", "soak02", "soak03", "soak04", "soak05"]
    assert [client["coordinator"] for client in setup["clients"]] == [False, False, False, False, True]
    for client in setup["clients"]:
        user = get_user_model().objects.get(username=client["username"])
        assert user.check_password("soak-drill-password")
        role = user.memberships.get().role
        assert (role == "coordinator") == client["coordinator"] and not user.is_staff
        assert client["activities"]
        assert set(Activity.objects.filter(pk__in=client["activities"]).values_list("promise__year", flat=True)) == {
            2020
        }
    roles = dict(Membership.objects.filter(user__username__startswith="soak").values_list("user__username", "role"))
    assert roles["soak05"] == Membership.Role.COORDINATOR
    assert roles["soak01"] == Membership.Role.RECORDER


def test_it_wants_the_password_from_the_environment(strangnas, drill_database, monkeypatch):
    monkeypatch.delenv("SOAK_PASSWORD")
    with pytest.raises(CommandError, match="SOAK_PASSWORD"):
        call_command("soak_setup", "--clients=1", "--coordinator-every=5", stdout=StringIO())


def test_records_lists_the_drills_records_with_their_creation_time(world):
    soak = make_record(
        world.count_activity, by=world.police_recorder, occurred_on=world.promise.period_start, summary="soak 01-00001"
    )
    make_record(
        world.count_activity,
        by=world.police_recorder,
        occurred_on=world.promise.period_start,
        summary="Trygghetsvandring",
    )

    assert run("soak_records") == [["soak 01-00001", soak.created_at.timestamp()]]
