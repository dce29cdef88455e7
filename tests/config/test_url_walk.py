"""Every named address answers as it did: the same path for the same arguments, the same status for every persona.

``url_walk.json`` beside this file holds, for each URL name outside the admin, the path it reverses to (with fixed
arguments) and the status of a GET for every persona (with arguments naming real objects of the world). It was
recorded before the code moved into the public/staff/seeding layout, so a page that moved answers as before. A new
address is added by recording again: ``URL_WALK_RECORD=1 pytest tests/config/test_url_walk.py`` rewrites the file,
and the diff shows what changed.
"""

import datetime
import json
import os
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver, reverse

from activities.models import PlannedEvent
from followup.models import Indicator
from followup.tertials import Tertial
from promises import memberships
from promises.models import Membership, PromiseLinkRequest
from tests.conftest import make_record, make_report

pytestmark = pytest.mark.django_db

RECORDING = Path(__file__).with_name("url_walk.json")
PERSONAS = ["police_recorder", "municipal_recorder", "coordinator", "council_member", "outsider", "administrator", None]

# Fixed arguments, so that the reversed paths do not depend on the database's ids.
FIXED = {
    "pk": 7,
    "slug": "strangnas",
    "uid": "0b6a4d9e-7a5b-4c57-9d1e-2f3a4b5c6d7e",
    "activity_id": 11,
    "record_id": 13,
    "promise_id": 17,
    "indicator_id": 19,
    "focus_area_id": 23,
    "request_id": 29,
    "place_id": 31,
    "event_id": 37,
    "invitation_id": 41,
    "membership_id": 43,
    "council_id": 47,
    "notice_id": 53,
    "token": "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG",
    "municipality": "strangnas",
    "year": 2020,
    "tertial": Tertial(2020, 1),
    "fmt": "pdf",
    "id": 7,
    "edition": 1,
    # allauth's addresses (config/urls.py /konto/): a reset link's user and key, an e-mail confirmation's key, and
    # an identity provider's short name.
    "uidb36": "1",
    "key": "not-a-real-key",
    "provider_id": "strangnas-kommun",
}


def _named_patterns():
    """{full name: the pattern's parameter names}, for every named address but the admin's."""
    found = {}

    def walk(patterns, namespace, outer):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                walk(
                    pattern.url_patterns,
                    f"{namespace}:{inner}" if namespace and inner else inner or namespace,
                    outer | set(pattern.pattern.regex.groupindex),
                )
            elif pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                # Of two patterns with one name, the last is the one reverse() gives (the first resolves).
                found[name] = sorted(outer | set(pattern.pattern.regex.groupindex))

    walk(get_resolver().url_patterns, None, set())
    return {name: parameters for name, parameters in found.items() if not name.startswith("admin:")}


def _real_arguments(world):
    """Arguments naming objects of the world that exist, for the status of each page."""
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10))
    event = PlannedEvent.objects.create(
        activity=world.continuous_activity,
        title="Trygghetsvandring",
        starts_at=datetime.datetime(2020, 9, 1, 17, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2020, 9, 1, 19, tzinfo=datetime.UTC),
        created_by=world.coordinator,
    )
    indicator = Indicator.objects.create(promise=world.promise, name="Anmälda narkotikabrott")
    link = PromiseLinkRequest.objects.create(
        promise=world.draft_promise, municipality=world.eskilstuna, requested_by=world.coordinator
    )
    invitation_tokens = []
    invitation = memberships.invitation_send(
        by=world.coordinator,
        email="ny.kollega@strangnas.se",
        organisation=world.municipal_organisation,
        role="recorder",
        link_for=invitation_tokens.append,
    )
    report = make_report(world.promise, number=1, status="published")
    report.approved_by = world.council_member
    report.save()
    from notices.models import Notice

    notice = Notice.objects.create(user=world.coordinator, kind="report_approved", key="walk", title="T", url="/")
    from allauth.mfa.webauthn.internal.auth import WebAuthn
    from fido2.utils import websafe_encode

    from tests.config.security_key import SoftwareKey

    security_key = WebAuthn.add(
        world.police_recorder,
        "Nyckel",
        SoftwareKey().register({"publicKey": {"challenge": websafe_encode(b"url-walk")}}),
    ).instance
    return {
        "default": {
            "activity_id": world.count_activity.pk,
            "record_id": record.pk,
            "promise_id": world.promise.pk,
            "indicator_id": indicator.pk,
            "focus_area_id": world.focus_area.pk,
            "request_id": link.pk,
            "place_id": world.district.pk,
            "event_id": event.pk,
            "invitation_id": invitation.pk,
            "membership_id": Membership.objects.get(user=world.municipal_recorder).pk,
            "council_id": world.council.pk,
            "notice_id": notice.pk,
            "token": invitation_tokens[0],
            "municipality": "strangnas",
            "year": 2020,
            "tertial": Tertial(2020, 1),
            "fmt": "pdf",
            "edition": 1,
            "uidb36": "1",
            "key": "not-a-real-key",
            "provider_id": "strangnas-kommun",
        },
        "api:municipality-detail": {"slug": "strangnas"},
        "mfa_edit_webauthn": {"pk": security_key.pk},
        "mfa_remove_webauthn": {"pk": security_key.pk},
        "workspace:municipality_settings": {"slug": "strangnas"},
        "workspace:identity_provider_create": {"slug": "strangnas"},
        "api:promise-detail": {"pk": world.promise.pk},
        "api:activity-detail": {"pk": world.count_activity.pk},
        "api:report-detail": {"id": report.pk},
        "api:event-detail": {"uid": str(event.uid)},
        "followup:records_export": {"promise_id": world.promise.pk, "tertial": Tertial(2020, 1), "fmt": "csv"},
        "followup:records_export_all": {"promise_id": world.promise.pk, "fmt": "csv"},
        "promise_slug": {"municipality": "strangnas", "year": 2020, "slug": world.promise.slug},
        "report_slug": {"municipality": "strangnas", "year": 2020, "slug": world.promise.slug, "tertial": "2020T1"},
        "report_slug_pdf": {
            "municipality": "strangnas",
            "year": 2020,
            "slug": world.promise.slug,
            "tertial": "2020T1",
        },
        "report_slug_edition": {
            "municipality": "strangnas",
            "year": 2020,
            "slug": world.promise.slug,
            "tertial": "2020T1",
            "edition": 1,
        },
        "report_slug_edition_pdf": {
            "municipality": "strangnas",
            "year": 2020,
            "slug": world.promise.slug,
            "tertial": "2020T1",
            "edition": 1,
        },
    }


def _kwargs(name, parameters, arguments):
    chosen = arguments.get(name, arguments["default"])
    return {parameter: chosen[parameter] for parameter in parameters}


def _walk(client, world):
    patterns = _named_patterns()
    arguments = _real_arguments(world)
    walked = {}
    for name, parameters in sorted(patterns.items()):
        path = reverse(name, kwargs={parameter: FIXED[parameter] for parameter in parameters})
        url = reverse(name, kwargs=_kwargs(name, parameters, arguments))
        statuses = {}
        for persona in PERSONAS:
            client.logout()
            if persona:
                client.force_login(getattr(world, persona))
            statuses[persona or "anonymous"] = client.get(url).status_code
        walked[name] = {"path": path, "statuses": statuses}
    return walked


def test_every_address_answers_as_before(client, world, clock):
    walked = _walk(client, world)
    if os.environ.get("URL_WALK_RECORD") == "1":
        RECORDING.write_text(json.dumps(walked, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    recorded = json.loads(RECORDING.read_text())
    assert sorted(walked) == sorted(recorded), "an address was added or lost: record again and read the diff"
    for name, expected in recorded.items():
        assert walked[name]["path"] == expected["path"], name
        assert walked[name]["statuses"] == expected["statuses"], name
