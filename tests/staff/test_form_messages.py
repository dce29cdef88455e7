"""Issue 18: every staff form answers in the portal's own words, naming the field and the fix, never in Django's
default messages, in Swedish and in English."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import make_record

# Django's own wording, in English and in its Swedish catalog.
DJANGO_DEFAULTS = [
    "This field is required",
    "Ensure this value",
    "Enter a valid",
    "Enter a whole number",
    "Enter a number",
    "Select a valid choice",
    "already exists",
    "Detta fält måste fyllas i",
    "Kontrollera att",
    "Fyll i ett giltigt",
    "Fyll i ett heltal",
    "Fyll i ett tal",
    "Välj ett giltigt alternativ",
    "med detta",
    "Det här fältet är obligatoriskt",  # the portal's former Swedish for "This field is required."
]


def _cases(world):
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 2))
    recorder, coordinator = world.police_recorder, world.coordinator
    log = reverse("activities:log_activity", args=[world.count_activity.pk])
    return [
        (recorder, log, {}),
        (recorder, log, {"occurred_on": "2 mars", "quantity": "0", "place": "99999"}),
        (recorder, log, {"occurred_on": "2020-03-02", "quantity": "tre"}),
        (recorder, reverse("activities:edit", args=[record.pk]), {"quantity": "-4"}),
        (recorder, reverse("activities:void", args=[record.pk]), {}),
        (coordinator, reverse("workspace:promise_create"), {}),
        (coordinator, reverse("workspace:promise_edit", args=[world.draft_promise.pk]), {"year": "tjugo"}),
        (coordinator, reverse("workspace:activity_edit", args=[world.count_activity.pk]), {"target_count": "-1"}),
        (coordinator, reverse("workspace:place_create"), {}),
        (coordinator, reverse("workspace:place_create"), {"name": "Mariefred", "municipality": world.strangnas.pk}),
        (coordinator, reverse("workspace:place_edit", args=[world.district.pk]), {"municipality": "99999"}),
        (coordinator, reverse("workspace:event_create"), {}),
        (coordinator, reverse("workspace:event_create"), {"activity": "99999", "starts_at": "i morgon"}),
        (coordinator, reverse("workspace:invite"), {"email": "inte en adress"}),
        (coordinator, reverse("workspace:council_edit", args=[world.council.pk]), {}),
        (coordinator, reverse("followup:indicators", args=[world.promise.pk]), {}),
        (coordinator, reverse("todo:settings"), {"frequency": "varje minut"}),
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_staff_form_answers_in_djangos_default_words(client, world, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    problem = "Det finns ett problem" if language == "sv" else "There is a problem"
    for user, url, data in _cases(world):
        client.force_login(user)
        response = client.post(url, data)
        page = response.content.decode()
        found = [text for text in DJANGO_DEFAULTS if text in page]
        assert not found, f"{url} {data}: {found}"
        if response.status_code != 302:
            assert problem in page or 'class="error' in page, f"{url} {data}: no error shown"


def test_the_messages_name_the_field_and_the_fix(client, world, settings):
    client.force_login(world.police_recorder)
    url = reverse("activities:log_activity", args=[world.count_activity.pk])
    page = client.post(url, {"occurred_on": "2 mars", "quantity": "0"}).content.decode()
    assert "Ange antal – minst 1." in page
    assert "Ange datum som ett datum, till exempel 2020-03-02." in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(url, {"occurred_on": "", "quantity": "0"}).content.decode()
    assert "Enter quantity – at least 1." in page
    assert "Enter date." in page


def test_every_refused_form_says_fel_first_and_links_each_error_to_its_field(client, world):
    # Issue 18, the error pattern, for each form: "Fel:" first in the title, and the summary's links lead to fields
    # that are on the page (portal.js moves focus to the summary; a link then moves it to its field, tested once in
    # tests/browser/test_errors_and_session.py for the one script that does it for every form).
    import re

    for user, url, data in _cases(world):
        client.force_login(user)
        response = client.post(url, data)
        if response.status_code == 302:
            continue
        page = response.content.decode()
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
        assert title.startswith("Fel: "), f"{url} {data}: {title}"
        summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
        assert summary, f"{url} {data}: no error summary"
        targets = re.findall(r'<a href="#([^"]+)">', summary.group(0))
        values = [response.context[key] for key in response.context.keys()]  # noqa: SIM118 - a ContextList
        form = next(value for value in values if isinstance(getattr(value, "errors", None), dict) and value.errors)
        visible = [name for name in form.errors if name != "__all__" and not form[name].is_hidden]
        assert len(targets) >= len(visible), f"{url} {data}: {targets} for {visible}"
        for target in targets:
            assert f'id="{target}"' in page, f"{url} {data}: the link to #{target} leads nowhere"
