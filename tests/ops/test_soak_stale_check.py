"""The soak's stale-read check (ops/soak.py): what it reads of the staff pages, and how it judges a reading.

The check reads figures out of the pages' HTML, so these tests render the real pages: a change to their templates
that the check can no longer read fails here, on SQLite too, instead of as "without figures" in a soak.
"""

import datetime

import pytest
from django.urls import reverse

from ops import soak
from tests.conftest import make_record

pytestmark = pytest.mark.django_db


def log(world, quantity):
    return make_record(
        world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 1), quantity=quantity
    )


def figures_on(client, user, page, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return soak.read_figures(page, response.content.decode())


def test_it_reads_each_activitys_total_on_mina_aktiviteter(client, world):
    log(world, 3)
    url = reverse("activities:mine")
    before = figures_on(client, world.police_recorder, "my activities", url)
    assert before[world.count_activity.pk] == 3
    # Every activity the recorder may log has a log link, and so a figure; the places activity counts too.
    assert world.places_activity.pk in before and before[world.places_activity.pk] == 0

    log(world, 2)
    after = figures_on(client, world.police_recorder, "my activities", url)
    assert after[world.count_activity.pk] == 5
    assert after[world.places_activity.pk] == 0


def test_it_reads_the_promises_total_on_the_dashboard(client, world):
    url = reverse("followup:dashboard", args=[world.promise.pk])
    assert figures_on(client, world.coordinator, "dashboard", url) == {"total": 0}
    log(world, 4)
    make_record(
        world.places_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 9, 1), place=world.district
    )
    assert figures_on(client, world.coordinator, "dashboard", url) == {"total": 5}


def test_a_page_without_figures_is_not_read_as_zero(client, world):
    assert soak.read_figures("my activities", "<main><p>Logga in</p></main>") is None
    assert soak.read_figures("dashboard", "<main><table><tbody><tr><td>3</td></tr></tbody></table></main>") is None
    client.force_login(world.police_recorder)
    login_page = client.get(reverse("login")).content.decode()
    assert soak.read_figures("my activities", login_page) is None


def test_a_reading_is_stale_below_the_acknowledged_writes_and_ahead_above_the_sent_ones():
    truth = soak.Truth()
    truth.note_base({7: 2, 8: 0})
    truth.sending(7)
    truth.acknowledge(7, "soak 01-00001")
    truth.acknowledge(7, "soak 01-00001")  # the resend of the same submission is the same write
    truth.sending(8)  # sent, not (yet) acknowledged: it may or may not show
    lowest, highest = truth.bounds(truth.acknowledged), truth.bounds(truth.sent)
    assert lowest == {7: 3, 8: 0} and highest == {7: 3, 8: 1}

    def check(figures):
        return soak.Check("my activities", 1, 2, figures, lowest, highest)

    assert not check({7: 3, 8: 0}).stale and not check({7: 3, 8: 1}).ahead
    assert check({7: 2, 8: 1}).stale, "the acknowledged write is missing: the other server read an old copy"
    assert check({7: 4, 8: 0}).ahead, "more than was ever sent: a write counted twice"
    assert not check(None).stale and not check(None).ahead  # counted as "without figures", a failure of its own


def test_two_readings_before_the_load_must_agree():
    truth = soak.Truth()
    truth.note_base({"total": 5, 7: 2})
    truth.note_base({"total": 5})
    with pytest.raises(soak.DrillError, match="disagree"):
        truth.note_base({7: 3})


def test_it_changes_the_contact_through_the_form_and_reads_it_on_the_public_pages(client, world):
    """The public half of the check: the contact form sent back as a browser would, with the n-th phone number, and
    the municipality's public pages (served from their kept copies) read for it."""
    public = reverse("municipality", args=[world.strangnas.slug])
    assert soak.read_figures("public", client.get(public).content.decode()) == {"contact": 0}

    client.force_login(world.coordinator)
    form = reverse("workspace:municipality_settings", args=[world.strangnas.slug])
    assert form == soak.CONTACT_FORM.replace("strangnas", world.strangnas.slug)
    for number in (1, 2):
        data = soak.form_fields(client.get(form).content.decode())
        assert {"csrfmiddlewaretoken", "seen", "contact_email", "accessibility_statement"} <= data.keys()
        data["contact_phone"] = soak.CONTACT_PHONE.format(number)
        response = client.post(form, data)
        assert response.status_code == 302 and response.url == soak.CONTACT_SAVED

        client.logout()
        assert soak.read_figures("public", client.get(public).content.decode()) == {"contact": number}
        client.force_login(world.coordinator)
