"""E-mail that works (issue 16): a password reset sent over SMTP to a real server on loopback, end to end.

The server is aiosmtpd in its own process (its ``public`` import would meet the portal's ``public`` app in this
one), storing what it receives in a maildir. The portal sends through Django's SMTP backend, configured the way
config/settings.py configures it from ``EMAIL_URL``.
"""

import mailbox
import re
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import environ
import pytest

pytestmark = pytest.mark.django_db

IDENTITY_NUMBER = re.compile(r"\b(?:19|20)?\d{6}[-+]?\d{4}\b")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(tmp_path):
    """(port, maildir) of an SMTP server listening on loopback for this test."""
    port = _free_port()
    folder = tmp_path / "maildir"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(folder),
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the SMTP server did not start") from None
                time.sleep(0.1)
        yield port, folder
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def smtp_mail(settings, smtp_server):
    """Django sends through the loopback server, configured from an EMAIL_URL as config/settings.py does."""
    port, folder = smtp_server
    url = environ.Env.email_url_config(f"smtp://127.0.0.1:{port}")
    assert url["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    settings.MAILERS = {
        "default": {"BACKEND": url["EMAIL_BACKEND"], "OPTIONS": {"host": url["EMAIL_HOST"], "port": url["EMAIL_PORT"]}}
    }
    return folder


def received(folder, count=1):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if folder.exists():
            box = mailbox.Maildir(folder, factory=None)
            messages = [box.get_bytes(key) for key in box.iterkeys()]
            if len(messages) >= count:
                return [message_from_bytes(raw, policy=policy.default) for raw in messages]
        time.sleep(0.1)
    raise AssertionError("no mail arrived")


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        ("sv", "Medborgarlöften: Välj ett nytt lösenord", "Någon, troligen du, har bett om att få välja"),
        ("en", "Medborgarlöften: Choose a new password", "Someone, probably you, asked to choose a new password"),
    ],
)
def test_a_reset_mail_arrives_over_smtp_in_the_readers_language_with_a_working_link(
    client, world, smtp_mail, language, subject, greeting
):
    user = world.police_recorder
    user.email = "polis.recorder@polisen.se"
    user.first_name, user.last_name = "Petra", "Polis"
    user.save()
    client.cookies["django_language"] = language

    response = client.post("/konto/password/reset/", {"email": user.email})
    assert response.status_code == 302

    [message] = received(smtp_mail)
    assert message["To"] == "polis.recorder@polisen.se"
    assert message["Subject"] == subject
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert greeting in text and greeting in html
    assert f'lang="{language}"' in html
    # No identity number, no images or tracking pixels, and no address but the portal's own link.
    for body in (text, html):
        assert not IDENTITY_NUMBER.search(body)
    assert "<img" not in html.lower()
    links = set(re.findall(r"https?://[^\s\"'<>]+", text + html))
    assert {urlsplit(link).netloc for link in links} == {"testserver"}

    link = re.search(r"http://testserver(/konto/password/reset/key/\S+/)", text).group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert "password1" in page.content.decode()


def test_the_console_backend_is_the_default_in_development():
    assert environ.Env.email_url_config("consolemail://")["EMAIL_BACKEND"] == (
        "django.core.mail.backends.console.EmailBackend"
    )


def test_an_invitation_arrives_over_smtp_as_text_and_html_in_the_chosen_language(world, smtp_mail):
    from promises import memberships

    memberships.invitation_send(
        by=world.coordinator,
        email="new.colleague@strangnas.se",
        organisation=world.municipal_organisation,
        role="recorder",
        link_for=lambda token: f"https://medborgarloften.example.se/inbjudan/{token}/",
        language="en",
    )
    [message] = received(smtp_mail)
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert 'lang="en"' in html
    assert "You have been invited" in text and "/inbjudan/" in text
    assert "<img" not in html.lower()
