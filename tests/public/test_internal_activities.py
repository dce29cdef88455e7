"""Internal activities (issue 15, item 4): the action plan behind the promise is never public.

One activity of the world's promise is internal, with a title no other text shares, a planned event and a record,
and the T1 report is published through the real workflow. Every public page, feed, calendar, API answer (JSON and
CSV) and the public PDF is walked: the title and the event never appear, and the public status counts leave the
activity out. The staff pages and the council's PDF show it, marked "Intern".
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from activities.forms import EventForm
from activities.models import Activity, PlannedEvent
from followup import services
from followup.models import Publication
from followup.snapshot import Snapshot
from followup.tertials import Tertial
from tests.conftest import NOW, local, make_event, make_record

pytestmark = pytest.mark.django_db

SECRET = "Hemlig åtgärdsplanspunkt"
EVENT = "Hemlig planlagd insats"
T1 = Tertial(2020, 1)


@pytest.fixture
def internal(world, clock):
    """The count activity, now internal, with a record and an event announced before it became internal."""
    activity = world.count_activity
    Activity.objects.filter(pk=activity.pk).update(title=SECRET, is_internal=True)
    activity.refresh_from_db()
    make_record(activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 2), quantity=2)
    make_record(world.once_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 3))
    make_event(world, activity, title=EVENT, starts=local(2020, 5, 10, 18))
    make_event(world, world.once_activity, title="Öppen trygghetsvandring", starts=local(2020, 5, 11, 18))
    return activity


@pytest.fixture
def published(world, internal, monkeypatch):
    """T1 2020 sent, approved and published through the services, on 20 May 2020."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime.datetime(2020, 5, 20, 12, tzinfo=datetime.UTC))
    report = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    report.refresh_from_db()
    services.report_approve(
        report=report, revision=report.revision, by=world.council_member, meeting_date=datetime.date(2020, 5, 19)
    )
    report.refresh_from_db()
    services.report_publish(report=report, revision=report.revision, by=world.coordinator)
    report.refresh_from_db()
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(datetime.UTC))
    return report


def pdf_text(content) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def public_addresses():
    promise = "/strangnas/2020/"
    report = promise + "resultat/2020T1/"
    pages = ["/", "/?q=str", "/tillganglighet/", "/strangnas/", promise, report]
    feeds = ["/strangnas/flode.atom", "/strangnas/kalender.ics"]
    api = [
        f"/api/v1/{name}/{suffix}"
        for name in ("municipalities", "promises", "activities", "reports", "events")
        for suffix in ("", "?format=csv", "?municipality=strangnas&year=2020")
    ]
    return pages + feeds + api


def test_no_public_page_feed_calendar_or_api_answer_names_the_internal_activity(client, world, published):
    for address in public_addresses():
        response = client.get(address)
        assert response.status_code == 200, address
        text = response.content.decode()
        assert SECRET not in text, address
        assert EVENT not in text, address
    # The walk did reach the public parts of the same promise.
    assert "Avloppsvattenmätning" in client.get("/strangnas/2020/").content.decode()
    assert "Öppen trygghetsvandring" in client.get("/strangnas/kalender.ics").content.decode()
    assert "Avloppsvattenmätning" in client.get("/api/v1/reports/").content.decode()


def test_the_api_details_of_the_internal_activity_and_its_event_are_not_found(client, world, published, internal):
    assert client.get(f"/api/v1/activities/{internal.pk}/").status_code == 404
    event = PlannedEvent.objects.get(title=EVENT)
    assert client.get(f"/api/v1/events/{event.uid}/").status_code == 404
    detail = client.get(f"/api/v1/reports/{published.pk}/").json()
    assert [item["title"] for item in detail["activities"]] == [
        "Trafikkontroller",
        "Kontakter med skolor",
        "Avloppsvattenmätning",
    ]


def test_the_public_pdf_leaves_it_out(client, world, published):
    text = pdf_text(client.get("/strangnas/2020/resultat/2020T1.pdf").content)
    assert "Avloppsvattenmätning" in text
    assert SECRET not in text and "Intern" not in text


def test_the_published_edition_never_holds_it_and_its_counts_leave_it_out(world, published, internal):
    stored = Publication.objects.get(report=published).snapshot
    assert [item["title"] for item in stored["activities"]] == [
        "Trafikkontroller",
        "Kontakter med skolor",
        "Avloppsvattenmätning",
    ]
    # The council's snapshot keeps it, marked: the council approves the whole plan.
    council = Snapshot.from_dict(published.snapshot)
    assert council.activity(internal.pk).internal is True
    assert sum(council.status_counts.values()) == 4
    assert sum(Publication.objects.get(report=published).frozen.status_counts.values()) == 3


def test_an_edition_that_holds_an_internal_activity_is_still_read_without_it(world, published, internal):
    # Defence in depth: whatever an edition holds, the public reading of it has no internal activity.
    Publication.objects.filter(report=published).update(snapshot=published.snapshot)
    publication = Publication.objects.get(report=published)
    assert internal.pk not in [item.id for item in publication.frozen.activities]


def test_staff_pages_and_the_councils_pdf_show_it_marked_internal(client, world, published, internal):
    client.force_login(world.coordinator)
    pages = [
        reverse("followup:dashboard", args=[world.promise.pk]),
        reverse("followup:report", args=[world.promise.pk, T1]),
        reverse("activities:mine"),
        reverse("workspace:promise", args=[world.promise.pk]),
    ]
    for address in pages:
        text = client.get(address).content.decode()
        assert SECRET in text, address
        assert "internal-badge" in text and "Intern" in text, address
    text = pdf_text(client.get(reverse("followup:figures_export", args=[world.promise.pk, T1, "pdf"])).content)
    assert SECRET in text and "Intern" in text


def test_an_event_of_an_internal_activity_cannot_be_announced(world, internal, clock):
    event = PlannedEvent(
        activity=internal,
        title="Ny insats",
        starts_at=local(2020, 6, 1, 18),
        ends_at=local(2020, 6, 1, 20),
        created_by=world.coordinator,
    )
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert refused.value.message_dict["activity"] == [
        "Aktiviteten är intern: dess händelser kan inte visas i den offentliga kalendern."
    ]
    form = EventForm(
        data={
            "activity": internal.pk,
            "title": "Ny insats",
            "starts_at": "2020-06-01T18:00",
            "ends_at": "2020-06-01T20:00",
        },
        user=world.coordinator,
    )
    assert internal not in form.fields["activity"].queryset
    assert not form.is_valid() and "activity" in form.errors


def test_an_activity_with_announced_events_cannot_be_made_internal(world, clock):
    make_event(world, world.once_activity, starts=local(2020, 5, 10, 18))
    world.once_activity.is_internal = True
    with pytest.raises(ValidationError) as refused:
        world.once_activity.full_clean()
    assert "Ställ in dem" in refused.value.message_dict["is_internal"][0]


def test_an_approved_report_locks_whether_it_is_internal(world, published, internal):
    internal.is_internal = False
    with pytest.raises(ValidationError) as refused:
        internal.full_clean()
    assert "is_internal" in refused.value.message_dict


def test_the_staff_figures_sheet_marks_it_internal(client, world, published):
    import csv

    client.force_login(world.coordinator)
    content = client.get(reverse("followup:figures_export", args=[world.promise.pk, T1, "csv"])).content
    text = content.decode("utf-8-sig")
    titles = [row[1] for row in csv.reader(io.StringIO(text), delimiter=";")][1:]
    assert f"{SECRET} (Intern)" in titles
