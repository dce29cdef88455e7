"""Places, organisations and activity kinds that records and reports use are retired, never deleted: a retired one
is offered for nothing new and still shown where it was used; deleting a used one is refused and removes nothing."""

import datetime

import pytest
from django.urls import reverse

from activities.models import ActivityKind
from promises.models import Organisation, Place
from tests.conftest import make_record

pytestmark = pytest.mark.django_db


def choices(response, name):
    return set(response.context["form"].fields[name].queryset)


def test_a_retired_place_is_not_offered_for_a_new_record_but_stays_on_old_ones(client, world):
    record = make_record(
        world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10), place=world.district
    )
    world.district.retire()
    client.force_login(world.police_recorder)
    log = client.get(reverse("activities:log_activity", args=[world.count_activity.pk]))
    assert world.district not in choices(log, "place")
    assert world.second_district in choices(log, "place")
    assert "Mariefred" in client.get(reverse("activities:record", args=[record.pk])).content.decode()
    correction = client.get(reverse("activities:edit", args=[record.pk]))
    assert world.district in choices(correction, "place")


def test_a_retired_organisation_is_offered_neither_in_the_workspace_nor_in_the_admin(client, world):
    world.municipal_organisation.retire()
    client.force_login(world.police_recorder)
    log = client.get(reverse("activities:log_activity", args=[world.count_activity.pk]))
    assert world.municipal_organisation not in choices(log, "participating_organisations")
    client.force_login(world.administrator)
    add = client.get("/admin/activities/activity/add/")
    assert world.municipal_organisation not in set(add.context["adminform"].form.fields["lead_organisation"].queryset)
    # The activity it leads keeps it.
    change = client.get(f"/admin/activities/activity/{world.continuous_activity.pk}/change/")
    assert world.municipal_organisation in set(change.context["adminform"].form.fields["lead_organisation"].queryset)


def test_a_retired_kind_is_not_offered_for_a_new_activity(client, world):
    kind = world.count_activity.kind
    spare = ActivityKind.objects.create(name="Trygghetsvandring", slug="trygghetsvandring")
    kind.retire()
    client.force_login(world.administrator)
    add = client.get("/admin/activities/activity/add/")
    assert set(add.context["adminform"].form.fields["kind"].queryset) == {spare}


def test_the_admin_retires_with_an_action(client, world):
    client.force_login(world.administrator)
    response = client.post(
        "/admin/promises/organisation/",
        {"action": "retire", "_selected_action": [world.foreign_police_organisation.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Organisation.objects.retired().get() == world.foreign_police_organisation
    assert world.foreign_police_organisation not in Organisation.objects.current()


def test_deleting_a_used_organisation_is_refused_and_removes_nothing(client, world):
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10))
    record.participating_organisations.set([world.police_organisation])
    client.force_login(world.administrator)
    url = f"/admin/promises/organisation/{world.police_organisation.pk}/delete/"
    response = client.post(url, {"post": "yes"}, follow=True)
    page = response.content.decode()
    assert "kan därför inte raderas" in page and "1 genomförda aktiviteter (medverkande organisationer)" in page
    assert Organisation.objects.filter(pk=world.police_organisation.pk).exists()
    assert list(record.participating_organisations.all()) == [world.police_organisation]
    # Nor through the list's delete action, whose page names what uses it in words.
    action = {"action": "delete_selected", "_selected_action": [world.police_organisation.pk]}
    confirm = client.post("/admin/promises/organisation/", action).content.decode()
    assert "kan därför inte raderas" in confirm and " object (" not in confirm
    client.post("/admin/promises/organisation/", {**action, "post": "yes"})
    assert Organisation.objects.filter(pk=world.police_organisation.pk).exists()
    assert list(record.participating_organisations.all()) == [world.police_organisation]


def test_deleting_a_used_place_is_refused(client, world):
    client.force_login(world.administrator)
    # The places activity targets it.
    client.post(f"/admin/promises/place/{world.second_district.pk}/delete/", {"post": "yes"})
    assert Place.objects.filter(pk=world.second_district.pk).exists()


def test_an_unused_organisation_is_deleted_with_a_page_in_words(client, world):
    unused = Organisation.objects.create(name="Räddningstjänsten Strängnäs", kind=Organisation.Kind.OTHER)
    unused.municipalities.set([world.strangnas])
    client.force_login(world.administrator)
    url = f"/admin/promises/organisation/{unused.pk}/delete/"
    page = client.get(url).content.decode()
    assert "Räddningstjänsten Strängnäs" in page and " object (" not in page
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Organisation.objects.filter(pk=unused.pk).exists()
