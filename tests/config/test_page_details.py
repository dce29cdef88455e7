"""Details every page shares (issue 18): titles, the icon, the branded 405, the destructive button, role menus."""

import re

from django.urls import reverse

from tests.conftest import local, make_record


def _title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_the_start_page_is_named_once(client, world):
    assert _title(client.get("/")) == "Medborgarlöften"


def test_other_pages_end_with_the_portal_name_once(client, world):
    title = _title(client.get(reverse("accessibility")))
    assert title.endswith(" – Medborgarlöften")
    assert title.count("Medborgarlöften") == 1


def test_a_form_with_errors_says_so_first_in_the_title(client, world):
    client.force_login(world.police_recorder)
    url = reverse("activities:log_activity", args=[world.count_activity.pk])
    assert not _title(client.get(url)).startswith("Fel:")
    response = client.post(url, {"occurred_on": "", "quantity": ""})
    assert response.status_code == 200
    assert _title(response).startswith("Fel: ")


def test_the_favicon_is_served_and_linked(client, world):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=604800" in response["Cache-Control"]
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "icons/favicon.svg" in page and 'rel="apple-touch-icon"' in page


def test_a_form_address_opened_with_get_gives_the_portal_s_own_405_page(client, world):
    # Log-out takes a form only: what a user meets when the log-in page sends them back to such an address.
    client.force_login(world.police_recorder)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    page = response.content.decode()
    assert "Adressen tar bara emot formulär" in page
    assert "site-header" in page
    assert "POST" in response["Allow"]


def test_the_api_keeps_its_own_405(client, world):
    response = client.delete(reverse("api:promise-list"))
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")


def test_voiding_is_a_warning_button(client, world):
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=local(2020, 3, 2).date())
    client.force_login(world.police_recorder)
    page = client.get(reverse("activities:void", args=[record.pk])).content.decode()
    assert 'class="button button--warning"' in page


def test_a_council_member_s_menu_leaves_out_logging(client, world):
    client.force_login(world.council_member)
    page = client.get("/").content.decode()
    assert reverse("activities:mine") not in page
    assert reverse("activities:records") not in page
    assert reverse("followup:home") in page


def test_a_recorder_s_menu_has_logging(client, world):
    client.force_login(world.police_recorder)
    page = client.get("/").content.decode()
    assert reverse("activities:mine") in page
    assert reverse("activities:records") in page


def test_the_national_overview_opens_on_the_newest_year_with_promises(client, world):
    client.force_login(world.administrator)
    page = client.get("/").content.decode()
    assert reverse("followup:national_latest") in page
    response = client.get(reverse("followup:national_latest"))
    # The world's newest promise is the 2021 draft; today's year has none.
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:national", args=[2021])


def test_only_administrators_reach_the_national_overview(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("followup:national_latest")).status_code == 404


def test_the_error_summary_links_each_error_to_its_field(client, world):
    client.force_login(world.police_recorder)
    url = reverse("activities:log_activity", args=[world.count_activity.pk])
    page = client.post(url, {"occurred_on": "", "quantity": ""}).content.decode()
    assert "Det finns ett problem" in page
    assert 'href="#id_occurred_on"' in page


def test_a_form_sent_after_the_session_ended_comes_back_filled_in_after_the_log_in(client, world):
    world.police_recorder.set_password("rätt lösenord 2020")
    world.police_recorder.save()
    url = reverse("activities:log_activity", args=[world.count_activity.pk])
    typed = {"occurred_on": "2020-03-02", "quantity": "3", "summary": "Skolbesök i Mariefred med hundförare"}

    response = client.post(url, typed)  # not logged in: the session has ended
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    login_page = client.get(response["Location"]).content.decode()
    assert "du fyllde i finns kvar" in login_page

    client.post(reverse("login"), {"username": "polis", "password": "rätt lösenord 2020", "next": url})
    page = client.get(url).content.decode()
    assert "Skolbesök i Mariefred med hundförare" in page
    assert world.count_activity.records.count() == 0, "nothing is saved until the form is sent again"
    # Once: the next visit shows an empty form.
    assert "Skolbesök i Mariefred med hundförare" not in client.get(url).content.decode()


def test_a_kept_form_never_keeps_the_password_or_token(client, world):
    from staff.kept_forms import SESSION_KEY

    url = reverse("activities:log_activity", args=[world.count_activity.pk])
    client.post(url, {"summary": "x", "password": "hemligt", "csrfmiddlewaretoken": "abc"})
    kept = dict(client.session[SESSION_KEY]["data"])
    assert kept == {"summary": "x"}


def test_staying_logged_in_saves_the_session(client, world):
    client.force_login(world.police_recorder)
    assert client.post(reverse("session_keepalive")).status_code == 204
    client.logout()
    response = client.post(reverse("session_keepalive"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("session_keepalive")).status_code == 405


def test_logged_in_pages_carry_the_session_warning(client, world):
    client.force_login(world.police_recorder)
    page = client.get("/").content.decode()
    assert 'id="session-warning"' in page and "data-session-seconds=" in page
    client.logout()
    assert 'id="session-warning"' not in client.get("/").content.decode()
