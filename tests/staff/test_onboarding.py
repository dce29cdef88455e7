"""An administrator starts a municipality in one form (issue 16 item 5): the municipality with its districts, its
organisations, its forum and the first coordinator's invitation, all or nothing; anyone else gets 404."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import Council
from promises import memberships
from promises.models import Invitation, Municipality, MunicipalitySettings, Organisation, Place
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = reverse("workspace:onboard")

BERG = {
    "name": "Berg",
    "code": "2326",
    "districts": "Svenstavik\nMyrviken\n\n  Hackås \nsvenstavik",
    "municipal_organisation": "",
    "police_area": "",
    "new_police_area": "Lokalpolisområde Östersund",
    "forum_name": "Folkhälsorådet i Berg",
    "forum_kind": "public_health",
    "forum_decision": "noted",
    "contact_email": "Kommunen@Berg.se",
    "coordinator_email": "Samordnare@Berg.se",
}


def counts():
    return (
        Municipality.objects.count(),
        Organisation.objects.count(),
        Place.objects.count(),
        Council.objects.count(),
        Invitation.objects.count(),
        MunicipalitySettings.objects.count(),
    )


def test_an_administrator_creates_a_municipality_and_invites_its_coordinator(client, world):
    client.force_login(world.administrator)
    assert client.get(URL).status_code == 200
    response = client.post(URL, BERG)
    assert response.status_code == 302
    berg = Municipality.objects.get(code="2326")
    assert (berg.name, berg.slug) == ("Berg", "berg")
    assert response.url == reverse("workspace:municipality_settings", args=["berg"])
    assert sorted(berg.places.values_list("name", flat=True)) == ["Hackås", "Myrviken", "Svenstavik"]
    assert {(o.name, o.kind) for o in berg.organisations.all()} == {
        ("Berg kommun", "municipality"),
        ("Lokalpolisområde Östersund", "police"),
    }
    council = berg.councils.get()
    assert (council.name, council.kind, council.decision) == ("Folkhälsorådet i Berg", "public_health", "noted")
    assert berg.settings.contact_email == "kommunen@berg.se"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation.name, invitation.role) == (
        "samordnare@berg.se",
        "Berg kommun",
        "coordinator",
    )
    assert [message.to for message in mail.outbox] == [["samordnare@berg.se"]]
    # The invited coordinator accepts and coordinates Berg: the workspace's invitation, unchanged.
    person = make_user("berg-samordnare")
    memberships.invitation_accept(invitation=invitation, user=person)
    client.force_login(person)
    assert client.get(reverse("workspace:municipality_settings", args=["berg"])).status_code == 200


def test_an_existing_police_area_is_shared_with_the_new_municipality(client, world):
    client.force_login(world.administrator)
    data = {**BERG, "police_area": str(world.police_organisation.pk), "new_police_area": ""}
    assert client.post(URL, data).status_code == 302
    berg = Municipality.objects.get(code="2326")
    assert world.police_organisation in berg.organisations.all()
    assert world.strangnas in world.police_organisation.municipalities.all()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Strängnäs"}, "name"),
        ({"code": "486"}, "code"),
        ({"code": "9986"}, "code"),
        ({"code": "0486"}, "code"),
        ({"districts": "Svenstavik\nKontakt 19121212-1212"}, "districts"),
        ({"new_police_area": ""}, "new_police_area"),
        ({"police_area": "999999"}, "police_area"),
        ({"new_police_area": "polisen strängnäs"}, "new_police_area"),
        ({"municipal_organisation": "Strängnäs kommun"}, "municipal_organisation"),
        ({"forum_name": "Brottsförebyggande rådet Strängnäs"}, "forum_name"),
        ({"forum_kind": "tribunal"}, "forum_kind"),
        ({"coordinator_email": "samordnare(at)berg"}, "coordinator_email"),
    ],
    ids=[
        "no name",
        "taken name",
        "short code",
        "no such county",
        "taken code",
        "identity number",
        "no police area",
        "unknown police area",
        "taken police name",
        "taken organisation",
        "taken forum",
        "unknown kind",
        "bad e-mail",
    ],
)
def test_a_refused_input_is_listed_beside_its_field_and_nothing_is_saved(client, world, changes, field):
    client.force_login(world.administrator)
    before = counts()
    response = client.post(URL, {**BERG, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page or f"id_{field}" in page
    assert counts() == before
    assert mail.outbox == []


def test_a_failure_late_in_the_flow_leaves_nothing_behind(client, world, monkeypatch):
    """All or nothing: the invitation refused at the very end undoes the municipality and everything made for it."""
    client.force_login(world.administrator)
    before = counts()

    def refuse(**kwargs):
        raise memberships.MembershipRefused("nej")

    monkeypatch.setattr(memberships, "invitation_send", refuse)
    with pytest.raises(memberships.MembershipRefused):
        client.post(URL, BERG)
    assert counts() == before


@pytest.mark.parametrize("persona", ["coordinator", "police_recorder", "council_member", "outsider"])
def test_anyone_but_an_administrator_gets_404(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, BERG).status_code == 404
    assert not Municipality.objects.filter(code="2326").exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_query_count_does_not_grow_with_the_police_areas(client, world):
    def count():
        client.logout()
        client.force_login(world.administrator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    small = count()
    for unit in range(10):
        Organisation.objects.create(name=f"Lokalpolisområde {unit}", kind=Organisation.Kind.POLICE)
    assert count() == small


def test_the_first_municipality_brings_the_catalogue_of_activity_kinds_once(client, world):
    """An installation starts with no activity kinds and nobody but an administrator in the admin could add one."""
    from activities.catalogue import KINDS
    from activities.models import ActivityKind

    renamed = ActivityKind.objects.get(slug="planlagd-insats")
    renamed.name = "Planlagd insats (omdöpt)"
    renamed.save()
    client.force_login(world.administrator)
    client.post(URL, BERG)
    assert set(ActivityKind.objects.values_list("slug", flat=True)) == set(KINDS)
    # The one an administrator renamed stays as they left it.
    assert ActivityKind.objects.get(slug="planlagd-insats").name == "Planlagd insats (omdöpt)"
    second = {**BERG, "name": "Bräcke", "code": "2305", "forum_name": "", "coordinator_email": "s@bracke.se"}
    assert client.post(URL, {**second, "new_police_area": "Lokalpolisområde Bräcke"}).status_code == 302
    assert Municipality.objects.filter(name="Bräcke").exists()
    assert ActivityKind.objects.count() == len(KINDS)
