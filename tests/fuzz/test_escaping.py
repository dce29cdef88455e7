"""Markup and script typed into any text field come back escaped on every page that shows the text.

Each example types one payload, Swedish text around ``<script>alert("x")</script>`` or
``"><img src=x onerror=alert(1)>`` and their kin, into every free-text field a person can fill in: a record's
summary and place, a void reason, a report's summary, comments and return comment, an indicator's name, unit,
source and note, a planned event's title, place and description, a promise's and an activity's texts, the
search box and the log-in form. Then it opens every page that shows the text, as the personas who see it,
and asserts that the markup never appears as markup and that its escaped form does where the text is shown.
CSV, XLSX, ICS and PDF are not HTML and are left out, but the Atom feed is checked not to carry it raw.
"""

import datetime
from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import example, given
from hypothesis import strategies as st

from activities.models import ActivityRecord, PlannedEvent
from followup.models import Indicator, TertialReport
from promises.models import Promise
from tests.conftest import seen_of
from tests.fuzz.harness import Visit, build_scene, rolled_back
from tests.fuzz.strategies import IMG, SCRIPT, fuzz_settings

pytestmark = pytest.mark.django_db

# What must never reach a page as markup: the start of every payload below.
DANGEROUS = ("<script>alert", "<img src=x onerror", "<svg onload", "<iframe", '<a href="javascript')
PAYLOADS = (
    SCRIPT,
    IMG,
    "<script>alert(1)</script>",
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "<iframe src=//evil.example>",
    '<a href="javascript:alert(1)">x</a>',
)
WORDS = ("Insats", "Trygghetsvandring", "Skolgården", "Åtgärd", "Möte", "Översyn", "Ärende")
payloads = st.builds(lambda word, markup: f"{word} {markup}", st.sampled_from(WORDS), st.sampled_from(PAYLOADS))


@pytest.fixture
def scene(world):
    return build_scene(world)


class Cast:
    """The personas of one example, each logged in once; a switch first catches up with the database, so that
    the rules checked after a request are charged to the persona who made it."""

    def __init__(self, scene):
        self.scene = scene
        self.visits = {}

    def __call__(self, persona):
        visit = self.visits.get(persona)
        if visit is None:
            visit = self.visits[persona] = Visit(self.scene, persona)
        else:
            visit.resync()
        return visit


def assert_escaped(response, payload, *, shown=True, where=""):
    """The page never carries the payload as markup, and (if ``shown``) carries it escaped."""
    body = response.content.decode()
    label = f"{where} ({response.status_code})"
    assert payload not in body, f"{label} shows {payload!r} unescaped"
    for fragment in DANGEROUS:
        assert fragment not in body, f"{label} carries {fragment!r} as markup"
    if shown:
        assert response.status_code == 200, f"{label} did not open"
        assert escape(payload) in body, f"{label} does not show {payload!r} (escaped) at all"


def page(visit, url, payload, **kwargs):
    assert_escaped(visit.request("get", url, checked=False), payload, where=url, **kwargs)


# Two explicit examples and a few more each: every example opens some twenty pages.
SETTINGS = fuzz_settings(3)


@SETTINGS
@given(payload=payloads)
@example(payload=SCRIPT)
@example(payload=IMG)
def test_records_and_voiding(scene, payload):
    world = scene.world
    with rolled_back():
        cast = Cast(scene)
        form = {
            "activity": world.count_activity.pk,
            "occurred_on": "2020-06-15",
            "quantity": "1",
            "place": "",
            "place_text": payload,
            "participating_organisations": [world.police_organisation.pk],
            "summary": payload,
            "submission_key": "0f0f0f0f-0000-4000-8000-000000000001",
        }
        response = cast("police_recorder").post(
            reverse("activities:log_activity", args=[world.count_activity.pk]), form
        )
        assert response.status_code == 302, "the record was not logged"
        record = ActivityRecord.objects.get(submission_key="0f0f0f0f-0000-4000-8000-000000000001")
        for url in (reverse("activities:record", args=[record.pk]), reverse("activities:records")):
            page(cast("police_recorder"), url, payload)
        for url in (
            reverse("activities:municipality_records"),
            reverse("activities:record", args=[record.pk]),
            "/admin/activities/activityrecord/",
            f"/admin/activities/activityrecord/{record.pk}/change/",
        ):
            page(cast("administrator"), url, payload)
        page(cast("administrator"), f"/admin/activities/activityrecord/{record.pk}/history/", payload, shown=False)
        # The form shown again with an error keeps what was typed, escaped.
        page(cast("police_recorder"), reverse("activities:edit", args=[record.pk]), payload)
        refused = cast("police_recorder").post(
            reverse("activities:edit", args=[record.pk]), {**form, "quantity": "0", "seen": seen_of(record)}
        )
        assert_escaped(refused, payload, where="the refused correction")

        response = cast("police_recorder").post(reverse("activities:void", args=[record.pk]), {"reason": payload})
        assert response.status_code == 302, "the record was not voided"
        page(cast("police_recorder"), reverse("activities:record", args=[record.pk]), payload)


@SETTINGS
@given(payload=payloads)
@example(payload=SCRIPT)
@example(payload=IMG)
def test_reports_from_draft_to_the_public_page(scene, payload):
    world = scene.world
    promise = world.promise
    with rolled_back():
        cast = Cast(scene)
        report = scene.draft_report  # T2
        form = {"revision": report.revision, "summary": payload}
        for assessment in report.assessments.all():
            form[f"status_{assessment.activity_id}"] = assessment.status
            form[f"comment_{assessment.activity_id}"] = payload
        url = reverse("followup:report", args=[promise.pk, "2020T2"])
        assert cast("coordinator").post(url, form).status_code == 302, "the report was not saved"
        for persona in ("coordinator", "council_member"):
            page(cast(persona), url, payload)
        page(cast("administrator"), f"/admin/followup/tertialreport/{report.pk}/change/", payload)
        page(
            cast("coordinator"),
            reverse("followup:dashboard", args=[promise.pk]) + "?tertial=2020T2",
            payload,
            shown=False,
        )

        def step(persona, name, **data):
            version = TertialReport.objects.get(pk=report.pk).revision
            target = reverse(f"followup:report_{name}", args=[promise.pk, "2020T2"])
            assert cast(persona).post(target, {"revision": version, **data}).status_code == 302

        step("coordinator", "submit")
        step("council_member", "approve", meeting_date="2020-09-10")
        step("coordinator", "publish")
        assert TertialReport.objects.get(pk=report.pk).status == TertialReport.Status.PUBLISHED
        page(cast("coordinator"), url, payload)
        page(cast(None), "/strangnas/2020/resultat/2020T2/", payload)
        page(cast(None), "/strangnas/2020/", payload, shown=False)
        feed = cast(None).request("get", "/strangnas/flode.atom", checked=False)
        assert feed.status_code == 200
        for fragment in DANGEROUS:
            assert fragment not in feed.content.decode(), f"the feed carries {fragment!r} as markup"

        # A council member returns the last tertial with the payload as the reason.
        last = scene.last_draft
        last_url = reverse("followup:report", args=[promise.pk, "2020T3"])
        assert cast("coordinator").post(last_url, _verdicts(last)).status_code == 302
        submit = reverse("followup:report_submit", args=[promise.pk, "2020T3"])
        version = TertialReport.objects.get(pk=last.pk).revision
        assert cast("coordinator").post(submit, {"revision": version}).status_code == 302
        version = TertialReport.objects.get(pk=last.pk).revision
        back = reverse("followup:report_return", args=[promise.pk, "2020T3"])
        assert cast("council_member").post(back, {"revision": version, "comment": payload}).status_code == 302
        assert TertialReport.objects.get(pk=last.pk).status == TertialReport.Status.DRAFT, "it was not returned"
        page(cast("coordinator"), last_url, payload)


def _verdicts(report):
    """The last tertial's report with every activity kept, so that it can be submitted."""
    form = {"revision": report.revision, "summary": ""}
    for assessment in report.assessments.all():
        form[f"status_{assessment.activity_id}"] = assessment.status
        form[f"comment_{assessment.activity_id}"] = ""
        form[f"verdict_{assessment.activity_id}"] = "kept"
        form[f"verdict_reason_{assessment.activity_id}"] = ""
    return form


@SETTINGS
@given(payload=payloads)
@example(payload=SCRIPT)
@example(payload=IMG)
def test_indicators(scene, payload):
    promise = scene.world.promise
    with rolled_back():
        cast = Cast(scene)
        form = {"name": payload, "unit": payload, "source": payload, "better": "lower"}
        listing = reverse("followup:indicators", args=[promise.pk])
        assert cast("coordinator").post(listing, form).status_code == 302, "the indicator was not added"
        indicator = Indicator.objects.get(promise=promise, name=payload)
        detail = reverse("followup:indicator", args=[indicator.pk])
        value = {"tertial": "2020T2", "measured_on": "", "value": "7", "note": payload}
        assert cast("coordinator").post(detail, value).status_code == 302, "the value was not added"
        for persona in ("coordinator", "council_member"):
            for url in (listing, detail, reverse("followup:dashboard", args=[promise.pk])):
                page(cast(persona), url, payload)
        page(cast("administrator"), f"/admin/followup/indicator/{indicator.pk}/change/", payload)
        # Refused with the name taken: the form comes back with what was typed.
        assert_escaped(cast("coordinator").post(listing, form), payload, where="the refused indicator")


@SETTINGS
@given(payload=payloads)
@example(payload=SCRIPT)
@example(payload=IMG)
def test_planned_events(scene, payload):
    world = scene.world
    day = datetime.date.today() + datetime.timedelta(days=20)
    with rolled_back():
        # An event takes place inside its promise's period (issue 14): the promise runs until then.
        Promise.objects.filter(pk=world.promise.pk).update(period_end=datetime.date(day.year, 12, 31))
        day = day.isoformat()
        cast = Cast(scene)
        form = {
            "activity": world.continuous_activity.pk,
            "title": payload,
            "starts_at_0": day,
            "starts_at_1": "17:00",
            "ends_at_0": day,
            "ends_at_1": "19:00",
            "place": world.district.pk,
            "place_text": payload,
            "description": payload,
        }
        response = cast("administrator").post("/admin/activities/plannedevent/add/", form)
        assert response.status_code == 302, "the event was not added"
        event = PlannedEvent.objects.get(title=payload)
        page(cast("administrator"), "/admin/activities/plannedevent/", payload)
        page(cast("administrator"), f"/admin/activities/plannedevent/{event.pk}/change/", payload)
        for persona in ("coordinator", "police_recorder", "municipal_recorder"):
            page(cast(persona), reverse("activities:events"), payload)
        for url in ("/strangnas/", "/strangnas/2020/"):
            page(cast(None), url, payload)


@SETTINGS
@given(payload=payloads)
@example(payload=SCRIPT)
@example(payload=IMG)
def test_promises_and_activities(scene, payload):
    world = scene.world
    with rolled_back():
        cast = Cast(scene)
        form = {
            "title": payload,
            "slug": "strangnas-2021-b",
            "municipalities": [world.strangnas.pk],
            "year": "2021",
            "status": "signed",
            "signed_on": "2021-01-01",
            "period_start": "2021-01-01",
            "period_end": "2021-12-31",
            "situation": payload,
            "pledge": payload,
            "focus_areas-TOTAL_FORMS": "1",
            "focus_areas-INITIAL_FORMS": "0",
            "focus_areas-0-title": payload,
            "focus_areas-0-description": payload,
            "focus_areas-0-order": "0",
            "activities-TOTAL_FORMS": "0",
            "activities-INITIAL_FORMS": "0",
        }
        assert cast("administrator").post("/admin/promises/promise/add/", form).status_code == 302
        promise = Promise.objects.get(slug="strangnas-2021-b")
        activity = {
            "promise": promise.pk,
            "focus_area": promise.focus_areas.get().pk,
            "order": "0",
            "title": payload,
            "description": payload,
            "kind": world.count_activity.kind_id,
            "target_count": "3",
            "unit": payload[:100],
            "recurrence": "continuous",
            "lead_organisation": world.police_organisation.pk,
            "records-TOTAL_FORMS": "0",
            "records-INITIAL_FORMS": "0",
        }
        assert cast("administrator").post("/admin/activities/activity/add/", activity).status_code == 302
        created = promise.activities.get()
        # Signed in its workflow, not in the admin, where a promise's status is read only.
        promise.status, promise.signed_on = Promise.Status.SIGNED, datetime.date(2021, 1, 1)
        promise.save()
        for url in ("/", "/strangnas/", "/strangnas/2021/"):
            page(cast(None), url, payload)
        for url in (
            reverse("activities:mine"),
            reverse("activities:log_activity", args=[created.pk]),
            reverse("followup:dashboard", args=[promise.pk]),
            "/admin/promises/promise/",
            f"/admin/promises/promise/{promise.pk}/change/",
            f"/admin/activities/activity/{created.pk}/change/",
        ):
            page(cast("administrator"), url, payload)
        page(cast("police_recorder"), reverse("activities:mine"), payload)


@SETTINGS
@given(payload=payloads)
@example(payload=SCRIPT)
@example(payload=IMG)
def test_search_login_and_error_pages(scene, payload):
    with rolled_back():
        cast = Cast(scene)
        page(cast(None), reverse("home") + "?" + urlencode({"q": payload}), payload)
        refused = cast(None).post(reverse("login"), {"username": payload, "password": "fel"})
        assert_escaped(refused, payload, where="the refused log-in")
        for persona in (None, "coordinator"):
            for url in (f"/{quote(payload, safe='')}/", f"/uppfoljning/kommun/{quote(payload, safe='')}/"):
                assert_escaped(cast(persona).request("get", url, checked=False), payload, shown=False, where=url)
