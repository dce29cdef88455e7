"""The log form: the happy path, every refused input, double submission and the outsider."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from activities.models import ActivityRecord
from tests.conftest import make_record, make_report

pytestmark = pytest.mark.django_db


def url(activity):
    return reverse("activities:log_activity", args=[activity.pk])


def form(world, activity=None, **changes):
    activity = activity or world.count_activity
    data = {
        "activity": activity.pk,
        "occurred_on": "2020-03-10",
        "quantity": "1",
        "place": world.district.pk,
        "place_text": "Högstadieskolan",
        "participating_organisations": [world.police_organisation.pk],
        "summary": "Narkotikasök med hund i skolans korridorer.",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def approve_t1(world):
    return make_report(world.promise, number=1)


def test_the_form_shows_the_activity_its_places_and_the_privacy_note(client, world):
    client.force_login(world.police_recorder)
    response = client.get(url(world.count_activity))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Planlagda insatser" in page
    assert "Mariefred" in page and "Läggesta station" in page
    assert "Torshälla" not in page  # another municipality's place
    assert "aldrig personer" in page


def test_the_date_is_empty_when_today_is_outside_the_period(client, world):
    client.force_login(world.police_recorder)
    response = client.get(url(world.count_activity))
    assert response.context["form"]["occurred_on"].value() is None


def test_the_date_defaults_to_today_inside_the_period(client, world):
    today = timezone.localdate()
    world.promise.period_start, world.promise.period_end = (
        today.replace(month=1, day=1),
        today.replace(month=12, day=31),
    )
    world.promise.save()
    client.force_login(world.police_recorder)
    assert client.get(url(world.count_activity)).context["form"]["occurred_on"].value() == today


def test_a_recorder_logs_a_record_and_sees_the_new_total(client, world):
    client.force_login(world.police_recorder)
    response = client.post(url(world.count_activity), form(world), follow=True)
    record = ActivityRecord.objects.get()
    assert (record.activity, record.recorded_by, record.place, record.quantity) == (
        world.count_activity,
        world.police_recorder,
        world.district,
        1,
    )
    assert list(record.participating_organisations.all()) == [world.police_organisation]
    assert response.redirect_chain[-1][0] == reverse("activities:mine")
    assert "Registrerat: Planlagda insatser. Nu 1 av 2 insatser." in response.content.decode()


def test_a_partner_organisations_recorder_may_log(client, world):
    client.force_login(world.police_recorder)  # the police takes part in the municipality's contact work
    response = client.post(url(world.continuous_activity), form(world, world.continuous_activity))
    assert response.status_code == 302
    assert ActivityRecord.objects.get().activity == world.continuous_activity


def test_the_same_form_posted_twice_stores_one_record(client, world):
    client.force_login(world.police_recorder)
    data = form(world)
    client.post(url(world.count_activity), data)
    response = client.post(url(world.count_activity), data, follow=True)
    assert ActivityRecord.objects.count() == 1
    assert "sparades redan" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "Ange antal – minst 1."),
        ({"quantity": "-3"}, "quantity", "Ange antal – minst 1."),
        ({"quantity": "många"}, "quantity", "Ange antal som ett heltal, till exempel 3."),
        ({"occurred_on": "2021-01-01"}, "occurred_on", "Datumet måste ligga inom löftets period"),
        ({"occurred_on": "2019-12-31"}, "occurred_on", "Datumet måste ligga inom löftets period"),
        ({"occurred_on": "2020-02-30"}, "occurred_on", "Ange datum som ett datum, till exempel 2020-03-02."),
        ({"occurred_on": None}, "occurred_on", "Ange datum."),
        ({"summary": "Besök hos 811218-9876 i Mariefred"}, "summary", "Ta bort person- eller samordningsnumret"),
        ({"place_text": "Hemma hos 19121212-1212"}, "place_text", "Ta bort person- eller samordningsnumret"),
    ],
)
def test_it_refuses_bad_input_next_to_the_field_and_saves_nothing(client, world, changes, field, message):
    client.force_login(world.police_recorder)
    response = client.post(url(world.count_activity), form(world, **changes))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert message in response.content.decode()
    assert not ActivityRecord.objects.exists()


def test_it_refuses_a_date_in_the_future(client, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    world.promise.period_end = tomorrow + datetime.timedelta(days=30)
    world.promise.save()
    client.force_login(world.police_recorder)
    response = client.post(url(world.count_activity), form(world, occurred_on=tomorrow.isoformat()))
    assert response.context["form"].errors["occurred_on"] == ["Datumet kan inte ligga i framtiden."]
    assert not ActivityRecord.objects.exists()


def test_it_refuses_a_place_in_another_municipality(client, world):
    client.force_login(world.police_recorder)
    response = client.post(url(world.count_activity), form(world, place=world.foreign_place.pk))
    assert "place" in response.context["form"].errors
    assert not ActivityRecord.objects.exists()


def test_it_refuses_an_activity_the_users_organisation_does_not_take_part_in(client, world):
    # The wastewater measurement is the municipality's alone: a police recorder may not log it.
    client.force_login(world.police_recorder)
    response = client.post(reverse("activities:log"), form(world, world.once_activity))
    assert response.context["form"].errors["activity"] == ["Du kan inte registrera insatser för den här aktiviteten."]
    assert not ActivityRecord.objects.exists()
    assert client.get(url(world.once_activity)).status_code == 404


def test_it_refuses_a_record_in_an_approved_tertial(client, world):
    approve_t1(world)
    client.force_login(world.police_recorder)
    response = client.post(url(world.count_activity), form(world, occurred_on="2020-04-30"))
    assert "låsta" in " ".join(response.context["form"].errors["occurred_on"])
    assert not ActivityRecord.objects.exists()
    # The next tertial is still open.
    assert client.post(url(world.count_activity), form(world, occurred_on="2020-05-01")).status_code == 302


def test_the_outsider_gets_404(client, world):
    client.force_login(world.outsider)
    assert client.get(url(world.count_activity)).status_code == 404
    assert client.post(url(world.count_activity), form(world)).status_code == 404
    assert not ActivityRecord.objects.exists()


def test_a_council_member_does_not_log(client, world):
    client.force_login(world.council_member)
    assert client.get(url(world.count_activity)).status_code == 404


def test_a_draft_promises_activity_cannot_be_logged(client, world):
    world.promise.status = "draft"
    world.promise.save()
    client.force_login(world.coordinator)
    assert client.get(url(world.count_activity)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(url(world.count_activity))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_refuses_other_methods(client, world):
    client.force_login(world.police_recorder)
    assert client.put(url(world.count_activity)).status_code == 405


def test_the_generic_form_offers_only_loggable_activities(client, world):
    make_record(world.foreign_activity, by=world.outsider, occurred_on=datetime.date(2020, 3, 1))
    client.force_login(world.police_recorder)
    choices = {
        activity.pk for activity in client.get(reverse("activities:log")).context["form"]["activity"].field.queryset
    }
    assert choices == {world.count_activity.pk, world.places_activity.pk, world.continuous_activity.pk}


def _ticked(response):
    return list(response.context["form"]["participating_organisations"].value())


def test_a_police_recorder_gets_the_police_ticked_not_the_activitys_lead(client, world):
    # "Kontakter med skolor" is led by the municipality, with the police taking part.
    client.force_login(world.police_recorder)
    assert _ticked(client.get(url(world.continuous_activity))) == [world.police_organisation.pk]


def test_a_municipal_recorder_gets_the_municipality_ticked(client, world):
    client.force_login(world.municipal_recorder)
    assert _ticked(client.get(url(world.continuous_activity))) == [world.municipal_organisation.pk]


def test_a_coordinator_whose_organisation_takes_no_part_gets_the_lead_ticked(client, world):
    # The count activity is the police's alone; the coordinator works for the municipality.
    client.force_login(world.coordinator)
    assert _ticked(client.get(url(world.count_activity))) == [world.police_organisation.pk]


def test_the_date_field_names_the_days_it_takes(client, world):
    client.force_login(world.police_recorder)
    page = client.get(url(world.count_activity)).content.decode()
    assert "Ange ett datum mellan 1 jan. 2020 och 31 dec. 2020." in page


def test_the_date_hint_starts_after_an_approved_tertial(client, world):
    approve_t1(world)
    client.force_login(world.police_recorder)
    page = client.get(url(world.count_activity)).content.decode()
    assert "Ange ett datum mellan 1 maj 2020 och 31 dec. 2020." in page


def test_the_date_hint_ends_today_and_the_date_defaults_to_today_while_the_period_runs(client, world):
    today = timezone.localdate()
    world.promise.period_start = today.replace(month=1, day=1)
    world.promise.period_end = today.replace(month=12, day=31)
    world.promise.save()
    client.force_login(world.police_recorder)
    response = client.get(url(world.count_activity))
    assert response.context["form"]["occurred_on"].value() == today
    hint = str(response.context["form"]["occurred_on"].help_text)
    assert hint.endswith(f"{formats.date_format(today, 'SHORT_DATE_FORMAT')}.")


def test_the_date_is_left_empty_when_today_falls_in_an_approved_tertial(client, world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2020, 3, 15))
    approve_t1(world)
    client.force_login(world.police_recorder)
    response = client.get(url(world.count_activity))
    assert response.context["form"]["occurred_on"].value() is None
    assert "Inget datum kan väljas nu" in response.content.decode()
