"""The workspace's lists of places, events, people and councils ask the same number of queries whatever the data size.

Each page is counted at a small size and again at one ten times larger: more districts and sites, planned events
(coming, past, cancelled, logged), members and invitations in the coordinator's municipality, and other
municipalities with all of that too (which an administrator sees, a page at a time).
"""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import PlannedEvent
from followup.models import Council
from promises import memberships
from promises.models import Invitation, Membership, Municipality, Organisation, Place
from tests.conftest import make_record, make_user

pytestmark = pytest.mark.django_db

SMALL, LARGE = 1, 10


class Growth:
    def __init__(self, world):
        self.world = world
        self.serial = itertools.count()

    def add(self, first, last):
        w = self.world
        now = timezone.now()
        for unit in range(first, last):
            # Strängnäs: a district with two sites, and a site in no district.
            district = Place.objects.create(municipality=w.strangnas, name=f"Kommundel {unit}")
            for number in range(2):
                Place.objects.create(
                    municipality=w.strangnas, name=f"Plats {unit}-{number}", kind=Place.Kind.SITE, parent=district
                )
            Place.objects.create(municipality=w.strangnas, name=f"Fri plats {unit}", kind=Place.Kind.SITE)
            # Events: two coming (one cancelled), one past and logged, one past and not.
            kinds = ((3, False, False), (4, True, False), (-5, False, True), (-6, False, False))
            for offset, cancelled, logged in kinds:
                starts = now + datetime.timedelta(days=offset, hours=unit)
                event = PlannedEvent.objects.create(
                    activity=w.count_activity,
                    title=f"Vandring {unit}/{offset}",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place=district,
                    created_by=w.coordinator,
                    cancelled_at=now if cancelled else None,
                )
                if logged:
                    event.record = make_record(w.count_activity, by=w.police_recorder, occurred_on=starts.date())
                    event.save()
            # People: members of both organisations, open and withdrawn invitations.
            for organisation in (w.municipal_organisation, w.police_organisation):
                number = next(self.serial)
                make_user(f"person-{number}", organisation=organisation, role=Membership.Role.RECORDER)
            for number in range(2):
                invitation = memberships.invitation_send(
                    by=w.coordinator,
                    email=f"ny-{unit}-{number}@strangnas.se",
                    organisation=w.municipal_organisation,
                    role="recorder",
                    link_for=lambda token: f"http://testserver/inbjudan/{token}/",
                )
            memberships.invitation_withdraw(by=w.coordinator, invitation=invitation)
            # Another municipality with its organisations, people, places, events and council.
            other = Municipality.objects.create(name=f"Kommun {unit}", slug=f"kommun-{unit}", code=f"{9000 + unit}")
            Place.objects.create(municipality=other, name=f"Ort {unit}")
            for kind in (Organisation.Kind.POLICE, Organisation.Kind.MUNICIPALITY, Organisation.Kind.OTHER):
                organisation = Organisation.objects.create(name=f"{kind} {unit}", kind=kind)
                organisation.municipalities.set([other])
                make_user(f"annan-{next(self.serial)}", organisation=organisation, role=Membership.Role.COORDINATOR)
            # Partners of Strängnäs: one of its own, and a police area it shares with the other municipality.
            partner = Organisation.objects.create(name=f"Föreningen {unit}", kind=Organisation.Kind.OTHER)
            partner.municipalities.set([w.strangnas])
            area = Organisation.objects.create(name=f"Polisområde {unit}", kind=Organisation.Kind.POLICE)
            area.municipalities.set([w.strangnas, other])
            for organisation in (partner, area):
                make_user(f"partner-{next(self.serial)}", organisation=organisation, role=Membership.Role.RECORDER)
            council = Council.objects.create(name=f"Rådet i kommun {unit}")
            council.municipalities.set([other, w.strangnas] if unit % 2 else [other])


def pages(world):
    return {
        "places": reverse("workspace:places"),
        "events": reverse("workspace:events"),
        "people": reverse("workspace:people"),
        "councils": reverse("workspace:councils"),
        "invite": reverse("workspace:invite"),
        "announce": reverse("workspace:event_create"),
    }


def count(client, user, url):
    # A fresh log-in each time, so that both counts include the session's first save.
    client.logout()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


@pytest.mark.parametrize("persona", ["coordinator", "administrator"])
@pytest.mark.parametrize("page", ["places", "events", "people", "councils", "invite", "announce"])
def test_the_query_count_does_not_grow_with_the_data(client, world, persona, page):
    growth = Growth(world)
    growth.add(0, SMALL)
    user, url = getattr(world, persona), pages(world)[page]
    small = count(client, user, url)
    places_before = Place.objects.count()
    growth.add(SMALL, LARGE)
    assert Place.objects.count() >= 5 * places_before  # the large size really is larger
    assert Invitation.objects.count() == 2 * LARGE
    large = count(client, user, url)
    assert len(large) == len(small), "\n".join(["small:", *small, "", "large:", *large])
