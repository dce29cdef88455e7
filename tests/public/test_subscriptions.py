"""Citizens' e-mail subscriptions: double opt-in, a message through a real SMTP server when results are published,
one-click unsubscribe that deletes the address, expiry of the confirmation link, no enumeration, a rate limit."""

import datetime
import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from followup import services
from notices.models import Message, Subscription
from tests.conftest import freeze, make_record, make_report
from tests.notices.helpers import run_tasks, smtp_server, use_smtp

pytestmark = pytest.mark.django_db
ADDRESS = "invanare@example.se"
NOW = datetime.datetime(2020, 9, 1, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Each test starts with no requests counted against the test client's address."""
    from django.core.cache import cache

    cache.clear()


def _subscribe(client, world, email=ADDRESS, follow="all"):
    return client.post(reverse("subscribe", args=["strangnas"]), {"email": email, "follow": follow})


def _link(body, name):
    match = re.search(r"http://127\.0\.0\.1:8000(/prenumeration/" + name + r"/[^/\s]+/)", body)
    assert match, body
    return match[1]


def _publish(world, captured):
    report = freeze(make_report(world.promise, number=1, status="approved"))
    with captured(execute=True):
        services.report_publish(report=report, revision=report.revision, by=world.coordinator)
    return report


def test_opt_in_confirm_receive_and_unsubscribe_through_a_real_smtp_server(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    world.coordinator.first_name, world.coordinator.last_name = "Stina", "Samordnarsson"
    world.coordinator.save()
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 3), summary="Hemlig")
    with smtp_server(tmp_path / "mail") as mailbox:
        use_smtp(settings, mailbox)
        page = client.get(reverse("subscribe", args=["strangnas"]))
        assert page.status_code == 200 and "GDPR" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = _subscribe(client, world)
        assert response.status_code == 200 and "Titta i din e-post" in response.content.decode()
        assert not Subscription.objects.exists(), "nothing is stored before the confirmation"
        run_tasks()
        [confirmation] = mailbox.messages()
        confirm = _link(confirmation.get_body(("plain",)).get_content(), "bekrafta")
        assert client.get(confirm).status_code == 200
        assert not Subscription.objects.exists(), "opening the link alone confirms nothing"
        assert client.post(confirm).status_code == 200
        [subscription] = Subscription.objects.all()
        assert (subscription.email, subscription.municipality, subscription.language) == (
            ADDRESS,
            world.strangnas,
            "sv",
        )
        assert subscription.confirmed_at is not None

        _publish(world, django_capture_on_commit_callbacks)
        run_tasks()
        news = [message for message in mailbox.messages() if message["To"] == ADDRESS][1:]
    [message] = news
    assert message["Subject"] == "Nya resultat för januari–april 2020: Medborgarlöfte 2020"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    leave = _link(text, "avsluta")
    assert message["List-Unsubscribe"] == f"<http://127.0.0.1:8000{leave}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert leave in html
    for secret in ("Stina", "Samordnarsson", "samordnare", "Hemlig"):
        assert secret not in text and secret not in html

    # One click, as a mail program does it (RFC 8058): a POST without a form token.
    assert client.get(leave).status_code == 200
    assert client.post(leave, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.exists()


def test_a_subscriber_of_one_promise_hears_about_it_in_english(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("subscribe", args=["strangnas"]),
            {"email": ADDRESS, "follow": str(world.promise.pk)},
            headers={"accept-language": "en"},
        )
    run_tasks()
    [confirmation] = mail.outbox
    client.post(_link(confirmation.body, "bekrafta"))
    subscription = Subscription.objects.get()
    assert subscription.promise == world.promise and subscription.municipality is None
    assert subscription.language == "en"
    mail.outbox.clear()
    _publish(world, django_capture_on_commit_callbacks)
    run_tasks()
    [message] = [message for message in mail.outbox if message.to == [ADDRESS]]
    assert message.subject == "New results for January–April 2020: Medborgarlöfte 2020"


def test_a_confirmation_link_older_than_seven_days_is_refused_and_stores_nothing(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, world)
    run_tasks()
    confirm = _link(mail.outbox[0].body, "bekrafta")
    later = time.time() + 8 * 24 * 60 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(confirm)
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_a_forged_link_is_refused(client, world):
    assert client.post("/prenumeration/bekrafta/forfalskad:lank/").status_code == 400
    assert client.post("/prenumeration/avsluta/forfalskad:lank/").status_code == 400


def test_nobody_learns_whether_an_address_is_subscribed(client, world, django_capture_on_commit_callbacks):
    Subscription.objects.create(
        email=ADDRESS, municipality=world.strangnas, confirmed_at=datetime.datetime.now(datetime.UTC)
    )
    known = _subscribe(client, world, ADDRESS)
    unknown = _subscribe(client, world, "ny@example.se")
    strip = lambda response: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())  # noqa: E731
    assert known.status_code == unknown.status_code == 200
    assert strip(known) == strip(unknown)
    # The subscribed address gets nothing new; the other its one confirmation.
    assert not Message.objects.filter(to_email=ADDRESS).exists()
    assert Message.objects.filter(to_email="ny@example.se").count() == 1


def test_asking_twice_the_same_day_sends_one_confirmation(client, world):
    _subscribe(client, world)
    _subscribe(client, world)
    assert Message.objects.filter(to_email=ADDRESS).count() == 1


def test_a_bad_address_is_refused_with_a_message_and_nothing_is_sent(client, world):
    response = _subscribe(client, world, "inte-en-adress")
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert not Message.objects.exists()


def test_requests_are_rate_limited_per_client(client, world, settings):
    settings.SUBSCRIBE_RATE_PER_HOUR = 3
    statuses = [_subscribe(client, world, f"person{number}@example.se").status_code for number in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert Message.objects.count() == 3


def test_a_municipality_without_a_public_promise_has_no_subscription_page(client, world):
    from promises.models import Municipality

    Municipality.objects.create(name="Gnesta", slug="gnesta", code="0461")
    assert client.get(reverse("subscribe", args=["gnesta"])).status_code == 404


def test_a_public_event_announced_reaches_the_subscribers(client, world, django_capture_on_commit_callbacks):
    from tests.conftest import local, make_event

    Subscription.objects.create(
        email=ADDRESS, municipality=world.strangnas, confirmed_at=datetime.datetime.now(datetime.UTC)
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_event(world, starts=local(2020, 9, 1, 18), title="Trygghetsvandring i Mariefred")
    run_tasks()
    [message] = mail.outbox
    assert message.subject.startswith("Ny aktivitet: Trygghetsvandring i Mariefred")
    assert "List-Unsubscribe" in message.extra_headers


def test_a_corrected_edition_is_announced_as_a_correction_once(world, django_capture_on_commit_callbacks):
    from notices.services import results_notify

    Subscription.objects.create(email=ADDRESS, municipality=world.strangnas, confirmed_at=NOW)
    report = make_report(world.promise, number=1, status="published")
    with django_capture_on_commit_callbacks(execute=True):
        results_notify(report=report, edition=2)
        results_notify(report=report, edition=2)
    run_tasks()
    [message] = mail.outbox
    assert message.subject == "Rättade resultat för januari–april 2020: Medborgarlöfte 2020"
