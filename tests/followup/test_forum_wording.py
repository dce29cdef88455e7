"""The forum and its decision are the municipality's (issue 15): nothing but followup.forum's defaults names the
crime-prevention council or says it approved, and a council's own kind and words reach every page and the PDF."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from followup import services
from followup.forum import Decision, Forum, ForumKind
from followup.models import Council, TertialReport
from tests.conftest import make_record

ROOT = Path(__file__).resolve().parents[2]
# Where the words may stand: the defaults, the seed's data (a real council's name), migrations and tests.
ALLOWED = {ROOT / "followup" / "forum.py"}
SKIPPED_PARTS = {"tests", "migrations", "seeding", ".venv", "node_modules", "locale", "static"}
FORBIDDEN_SWEDISH = re.compile(r"brottsförebyggande rådet|rådet har godkänt", re.IGNORECASE)
FORBIDDEN_ENGLISH = re.compile(r"the crime-prevention council|council (has )?approved", re.IGNORECASE)
# The Swedish translations of the defaults themselves.
DEFAULT_MSGIDS = {"the crime-prevention council"}


def _sources():
    for path in ROOT.rglob("*"):
        if path.suffix not in {".py", ".html", ".txt"} or not path.is_file():
            continue
        relative = path.relative_to(ROOT)
        if SKIPPED_PARTS & set(relative.parts) or path in ALLOWED:
            continue
        yield path


def _code_only(path, text):
    """Templates in full; Python without its docstrings and comments, which explain rather than show."""
    if path.suffix != ".py":
        return text
    text = re.sub(r'"""[\s\S]*?"""', "", text)
    return re.sub(r"#.*", "", text)


def test_no_template_or_code_names_the_crime_prevention_council_outside_the_defaults():
    found = []
    for path in _sources():
        text = _code_only(path, path.read_text(encoding="utf-8"))
        for pattern in (FORBIDDEN_SWEDISH, FORBIDDEN_ENGLISH):
            found += [f"{path.relative_to(ROOT)}: {match.group(0)}" for match in pattern.finditer(text)]
    assert found == []


def _translations(language):
    text = (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    for entry in text.split("\n\n"):
        if entry.lstrip().startswith("#~"):
            continue  # obsolete: never shown
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        msgstr = re.search(r"^msgstr ((?:\".*\"\n?)+)", entry, re.M)
        if msgid and msgstr:
            yield "".join(re.findall(r'"(.*)"', msgid.group(1))), "".join(re.findall(r'"(.*)"', msgstr.group(1)))


def test_no_translation_names_the_crime_prevention_council_outside_the_defaults():
    found = [
        msgid
        for msgid, msgstr in _translations("sv")
        if FORBIDDEN_SWEDISH.search(msgstr) and msgid not in DEFAULT_MSGIDS
    ]
    assert found == []


# A folkhälsoråd that "fastställer" the follow-up ------------------------------------------------------------------


@pytest.fixture
def health_council(world):
    """Strängnäs's forum becomes a folkhälsoråd whose follow-ups are fastställda, and the T1 report is published."""
    council = world.council
    council.name, council.kind, council.decision = "Folkhälsorådet i Strängnäs", ForumKind.PUBLIC_HEALTH, "adopted"
    council.save()
    return council


def publish(world, by_coordinator, by_member):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 3))
    report = services.report_create(
        promise=world.promise, tertial=TertialReport(year=2020, number=1).tertial, by=by_coordinator
    )
    services.report_submit(report=report, revision=report.revision, by=by_coordinator)
    report.refresh_from_db()
    services.report_approve(
        report=report, revision=report.revision, by=by_member, meeting_date=datetime.date(2020, 5, 20)
    )
    report.refresh_from_db()
    services.report_publish(report=report, revision=report.revision, by=by_coordinator)
    report.refresh_from_db()
    return report


@pytest.mark.django_db
def test_a_folkhalsorad_that_fastststaller_is_named_in_its_words_on_every_page_and_the_pdf(
    client, world, health_council
):
    report = publish(world, world.coordinator, world.council_member)
    assert report.council == health_council
    assert report.frozen.forum == Forum("Folkhälsorådet i Strängnäs", "public_health", "adopted")

    public_report = client.get(reverse("report", args=["strangnas", 2020, "2020T1"])).content.decode()
    assert "Uppföljning av medborgarlöftet, fastställd av Folkhälsorådet i Strängnäs" in public_report
    assert "när Folkhälsorådet i Strängnäs fastställde uppföljningen" in public_report
    promise_page = client.get(reverse("promise", args=["strangnas", 2020])).content.decode()
    assert "Fastställt av Folkhälsorådet i Strängnäs den 20 maj 2020." in promise_page
    for page in (public_report, promise_page):
        assert "brottsförebyggande" not in page.lower() and "godkän" not in page.lower()

    client.force_login(world.coordinator)
    staff_report = client.get(reverse("followup:report", args=[world.promise.pk, "2020T1"])).content.decode()
    assert "Fastställt av Folkhälsorådet i Strängnäs den 20 maj 2020." in staff_report
    assert "folkhälsoråd" in staff_report

    pdf = client.get(reverse("report_pdf", args=["strangnas", 2020, "2020T1"]))
    assert pdf.status_code == 200
    text = _pdf_text(pdf.content)
    assert "Folkhälsorådet i Strängnäs" in text and "Fastställd" in text
    assert "brottsförebyggande" not in text.lower()


def _pdf_text(content):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_a_forum_that_takes_note_says_so_and_its_member_records_it(client, world):
    world.council.decision = Decision.NOTED
    world.council.save()
    report = services.report_create(
        promise=world.promise, tertial=TertialReport(year=2020, number=1).tertial, by=world.coordinator
    )
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    client.force_login(world.council_member)
    page = client.get(reverse("followup:report", args=[world.promise.pk, "2020T1"])).content.decode()
    assert "Registrera att forumet har tagit del av uppföljningen" in page
    assert "Godkänn uppföljningen" not in page


# The coordinator chooses the forum of each report ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_shared_promise_starts_with_the_joint_forum_and_its_coordinator_chooses_another(client, world, shared):
    own = Council.objects.create(name="Kommunstyrelsen i Tjörn", kind=ForumKind.EXECUTIVE_BOARD)
    own.municipalities.set([shared.tjorn])
    Council.objects.create(name="Annat råd i Eskilstuna").municipalities.set([world.eskilstuna])
    promise = shared.promise
    assert list(services.forums_of(promise)) == [shared.council, own]
    tertial = TertialReport(year=2020, number=1).tertial
    report = services.report_create(promise=promise, tertial=tertial, by=shared.tjorn_coordinator)
    # Today's rule was the first council of the alphabetically first municipality; the joint one serves them all.
    assert report.council == shared.council

    client.force_login(shared.tjorn_coordinator)
    url = reverse("followup:report", args=[promise.pk, tertial.code])
    form = client.get(url).context["form"]
    assert [label for _pk, label in form.fields["council"].choices] == [
        "Gemensamma brottsförebyggande rådet (brottsförebyggande råd)",
        "Kommunstyrelsen i Tjörn (kommunstyrelse)",
    ]
    data = {"revision": report.revision, "summary": "", "council": str(own.pk)}
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.council == own
    # A forum of a municipality outside the promise is refused beside the field, and nothing changes.
    foreign = Council.objects.get(name="Annat råd i Eskilstuna")
    response = client.post(url, {"revision": report.revision, "summary": "Ny", "council": str(foreign.pk)})
    assert response.status_code == 200
    assert response.context["form"].errors["council"]
    report.refresh_from_db()
    assert (report.council, report.summary) == (own, "")


@pytest.mark.django_db
def test_the_service_refuses_a_forum_outside_the_promise(world):
    other = Council.objects.create(name="Eskilstunas råd")
    other.municipalities.set([world.eskilstuna])
    report = services.report_create(
        promise=world.promise, tertial=TertialReport(year=2020, number=1).tertial, by=world.coordinator
    )
    with pytest.raises(services.ReportError):
        services.report_update(
            report=report, revision=report.revision, by=world.coordinator, summary="", assessments={}, council=other
        )
    report.refresh_from_db()
    assert report.council == world.council
