"""Swedish by default, English on request, from a switch on every page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_swedish_by_default(client, world):
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="sv">' in page
    assert "Logga in" in page
    assert 'lang="en"' in page and ">English</button>" in page


def test_the_switch_turns_the_portal_english_and_back(client, world):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302 and response.url == reverse("login")
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page and "Logga in" not in page
    assert ">Svenska</button>" in page

    client.post(reverse("set_language"), {"language": "sv", "next": reverse("login")})
    assert '<html lang="sv">' in client.get(reverse("login")).content.decode()


def test_staff_pages_and_messages_follow_the_language(client, world):
    client.force_login(world.police_recorder)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("activities:mine")).content.decode()
    assert "My activities" in page
    assert "Missed" in page  # the 2020 promise is over: statuses in English
    response = client.post(
        reverse("activities:log_activity", args=[world.count_activity.pk]),
        {"activity": world.count_activity.pk, "occurred_on": "2019-01-01", "quantity": "1"},
    )
    assert "The date must be within the promise period" in response.content.decode()


def test_the_switch_never_redirects_to_another_host(client, world):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://example.org/"})
    assert response.url == "/"
