"""Exports of a tertial: the council's PDF, the figures and the records as XLSX and CSV.

Assertions rest on data values, titles and the draft marker, never on the Swedish wording of column headings,
which the translation files supply.
"""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from activities.models import Activity
from followup.documents.pdf import offline_url_fetcher
from followup.models import Assessment, Indicator, IndicatorValue, TertialReport
from followup.selectors import promise_figures
from followup.services import snapshot_of
from followup.tertials import Tertial
from promises.models import Membership, Promise
from tests.conftest import freeze, make_record, make_report, make_user

pytestmark = pytest.mark.django_db

T1 = Tertial(2020, 1)


def figures_url(promise, fmt, tertial=T1):
    return reverse("followup:figures_export", args=[promise.pk, tertial, fmt])


def records_url(promise, fmt, tertial=T1):
    return reverse("followup:records_export", args=[promise.pk, tertial, fmt])


def swedish(msgid):
    """A heading as the export writes it: the request's language is Swedish, the portal's default."""
    with translation.override("sv"):
        return gettext(msgid)


def pdf_pages(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def header_row(sheet):
    """The number of the sheet's heading row: the one just above the frozen panes, below the title rows."""
    return int(sheet.freeze_panes[1:]) - 1


def xlsx_rows(content):
    """The first sheet's table rows as dicts keyed by heading, and the sheet itself."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=header_row(sheet), values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], sheet


def csv_rows(content):
    assert content.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs to read UTF-8
    text = content.decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def by_activity(rows):
    return {row[swedish("Activity")]: row for row in rows}


def log_some_work(world):
    by = world.police_recorder
    make_record(
        world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 1), quantity=2, summary="Sök på Läggesta"
    )
    make_record(world.places_activity, by=by, occurred_on=datetime.date(2020, 3, 1), place=world.district)
    make_record(world.continuous_activity, by=world.municipal_recorder, occurred_on=datetime.date(2020, 4, 1))
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 6, 1))  # T2: not in a T1 report
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 3, 3), voided=True)


def publish_t1(world):
    """A published T1 report whose snapshot is what the approval froze."""
    report = make_report(world.promise, number=1, status="published")
    report.council, report.approved_by = world.council, world.council_member
    return freeze(report)


# Access ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [figures_url, records_url])
def test_an_anonymous_visitor_is_sent_to_log_in(client, world, url):
    response = client.get(url(world.promise, "csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["outsider", "police_recorder", "municipal_recorder"])
@pytest.mark.parametrize("url", [figures_url, records_url])
def test_it_hides_the_exports_from_whoever_does_not_follow_the_promise_up(client, world, persona, url):
    client.force_login(getattr(world, persona))
    assert client.get(url(world.promise, "csv")).status_code == 404


@pytest.mark.parametrize(("url", "fmt"), [(figures_url, "docx"), (figures_url, "json"), (records_url, "pdf")])
def test_an_unknown_format_is_not_found(client, world, url, fmt):
    client.force_login(world.coordinator)
    assert client.get(url(world.promise, fmt)).status_code == 404


@pytest.mark.parametrize("url", [figures_url, records_url])
def test_a_tertial_outside_the_period_is_not_found(client, world, url):
    client.force_login(world.coordinator)
    assert client.get(url(world.promise, "csv", tertial=Tertial(2021, 1))).status_code == 404


def test_another_municipalitys_promise_is_not_found(client, world):
    client.force_login(world.coordinator)
    assert client.get(figures_url(world.foreign_promise, "csv")).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator", "council_member", "administrator"])
def test_coordinators_council_members_and_administrators_download(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(figures_url(world.promise, "xlsx")).status_code == 200
    assert client.get(records_url(world.promise, "xlsx")).status_code == 200


def test_a_post_is_refused(client, world):
    client.force_login(world.coordinator)
    assert client.post(figures_url(world.promise, "csv")).status_code == 405


# Files ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "fmt", "content_type", "filename"),
    [
        (figures_url, "pdf", "application/pdf", "uppfoljning-strangnas-2020T1.pdf"),
        (
            figures_url,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "uppfoljning-strangnas-2020T1.xlsx",
        ),
        (figures_url, "csv", "text/csv; charset=utf-8", "uppfoljning-strangnas-2020T1.csv"),
        (
            records_url,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "registreringar-strangnas-2020T1.xlsx",
        ),
        (records_url, "csv", "text/csv; charset=utf-8", "registreringar-strangnas-2020T1.csv"),
    ],
)
def test_each_export_is_a_named_attachment_of_its_type(client, world, url, fmt, content_type, filename):
    client.force_login(world.coordinator)
    response = client.get(url(world.promise, fmt))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


# PDF ------------------------------------------------------------------------------------------------------


def test_the_draft_pdf_names_the_promise_and_every_activity_with_draft_on_every_page(client, world):
    log_some_work(world)
    client.force_login(world.coordinator)
    content = client.get(figures_url(world.promise, "pdf")).content
    assert content.startswith(b"%PDF")
    pages = pdf_pages(content)
    text = "\n".join(pages)
    assert "Medborgarlöfte 2020" in text and "T1 2020" in text
    for title in ("Planlagda insatser", "Trafikkontroller", "Kontakter med skolor", "Avloppsvattenmätning"):
        assert title in text
    assert "Strängnäs" in text
    assert all(swedish("Draft") in page for page in pages)


def test_the_draft_marker_is_on_every_page_of_a_long_report(client, world):
    for number in range(60):
        Activity.objects.create(
            promise=world.promise,
            focus_area=world.focus_area,
            kind=world.count_activity.kind,
            title=f"Trygghetsvandring i område {number}",
            lead_organisation=world.police_organisation,
            target_count=4,
            unit="vandringar",
        )
    client.force_login(world.coordinator)
    pages = pdf_pages(client.get(figures_url(world.promise, "pdf")).content)
    assert len(pages) >= 2
    assert all(swedish("Draft") in page for page in pages)
    assert "Trygghetsvandring i område 59" in "\n".join(pages)


def test_the_pdf_shows_the_summary_status_words_and_indicators(client, world):
    log_some_work(world)
    report = make_report(world.promise, number=1, status="draft")
    report.summary = "Arbetet går enligt plan i Åkers styckebruk."
    report.save()
    indicator = Indicator.objects.create(promise=world.promise, name="Bostadsinbrott", unit="anmälningar")
    IndicatorValue.objects.create(indicator=indicator, year=2019, number=3, value=14)
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=9)
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=2, value=77)  # after T1: left out
    client.force_login(world.coordinator)
    text = "\n".join(pdf_pages(client.get(figures_url(world.promise, "pdf")).content))
    assert "Arbetet går enligt plan i Åkers styckebruk." in text
    with translation.override("sv"):
        from followup.progress import Status

        assert str(Status.ON_TRACK.label) in text
    # The value of the tertial before the promise is its baseline; T2's value comes after this report.
    assert "Bostadsinbrott" in text and "september–december 2019" in text and "utgångsvärde" in text
    assert "Minskar, i önskad riktning" in text
    assert "77" not in text


def test_a_published_report_pdf_has_no_draft_marker_and_names_the_approval(client, world):
    world.council_member.first_name, world.council_member.last_name = "Åsa", "Öberg"
    world.council_member.save()
    publish_t1(world)
    client.force_login(world.coordinator)
    pages = pdf_pages(client.get(figures_url(world.promise, "pdf")).content)
    text = "\n".join(pages)
    assert not any(swedish("Draft") in page for page in pages)
    assert "Åsa Öberg" in text
    assert "Brottsförebyggande rådet Strängnäs" in text
    assert "20 maj 2020" in text  # the meeting date


def test_text_in_the_pdf_cannot_fetch_anything(client, world):
    report = make_report(world.promise, number=1, status="draft")
    report.summary = '<img src="https://example.com/spy.png"> <link rel="stylesheet" href="file:///etc/passwd">'
    report.save()
    client.force_login(world.coordinator)
    text = "\n".join(pdf_pages(client.get(figures_url(world.promise, "pdf")).content))
    assert '<img src="https://example.com/spy.png">' in text  # shown as text, never loaded
    fetcher = offline_url_fetcher()
    for url in ("https://example.com/spy.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_the_strangnas_promise_prints(client, db):
    call_command("load_strangnas", stdout=io.StringIO())
    promise = Promise.objects.get(year=2020, slug="strangnas-2020")
    client.force_login(make_user("admin", is_superuser=True))
    pages = pdf_pages(client.get(figures_url(promise, "pdf")).content)
    text = " ".join(pages).replace("\n", " ")
    assert "Strängnäs" in text
    for activity in promise.activities.all():
        # A long title wraps inside its cell; its first words are on one line.
        assert " ".join(activity.title.split()[:2]) in text
    assert all(swedish("Draft") in page for page in pages)


# XLSX and CSV of the figures --------------------------------------------------------------------------------


def test_the_xlsx_of_a_draft_holds_the_dashboard_figures(client, world):
    log_some_work(world)
    client.force_login(world.coordinator)
    rows, sheet = xlsx_rows(client.get(figures_url(world.promise, "xlsx")).content)
    assert sheet.title == swedish("Follow-up")
    assert all(cell.font.bold for cell in sheet[header_row(sheet)])
    rows = by_activity(rows)
    figures = promise_figures(world.promise, T1)
    assert set(rows) == {figure.activity.title for figure in figures}
    for figure in figures:
        row = rows[figure.activity.title]
        assert row[swedish("Achieved")] == figure.progress.achieved
        assert row["T1 2020"] == figure.per_tertial[T1]
        assert "T2 2020" not in row  # after the reported tertial: no column
        if figure.activity.target_count is not None:
            assert row[swedish("Expected")] == pytest.approx(float(figure.progress.expected), abs=0.05)
        with translation.override("sv"):
            assert row[swedish("Status")] == str(figure.progress.status.label)
    counted = rows["Planlagda insatser"]
    assert (counted[swedish("Target count")], counted[swedish("Achieved")], counted[swedish("Expected")]) == (2, 2, 0.7)
    # The target in words as the pages and the PDF give it; a continuous activity's says so, not a blank.
    assert counted[swedish("Target")] == "minst 2 insatser"
    assert rows["Kontakter med skolor"][swedish("Target")] == "Löpande"
    places = rows["Trafikkontroller"]
    assert (places[swedish("Places covered")], places[swedish("Places missing")]) == ("Mariefred", "Stallarholmen")


def test_a_draft_reports_comments_come_from_its_assessments(client, world):
    report = make_report(world.promise, number=1, status="draft")
    Assessment.objects.create(
        report=report, activity=world.count_activity, status="behind", comment="Få poliser i tjänst."
    )
    client.force_login(world.coordinator)
    rows = by_activity(csv_rows(client.get(figures_url(world.promise, "csv")).content))
    assert rows["Planlagda insatser"][swedish("Comment")] == "Få poliser i tjänst."
    with translation.override("sv"):
        from followup.progress import Status

        assert rows["Planlagda insatser"][swedish("Status")] == str(Status.BEHIND.label)


def test_the_csv_is_utf8_with_a_bom_and_semicolons_and_keeps_swedish_letters(client, world):
    log_some_work(world)
    client.force_login(world.coordinator)
    rows = by_activity(csv_rows(client.get(figures_url(world.promise, "csv")).content))
    counted = rows["Planlagda insatser"]
    assert counted[swedish("Focus area")] == "Narkotika bland unga"
    assert counted[swedish("Achieved")] == "2"
    assert counted[swedish("Expected")] == "0,7"  # a decimal comma, as Swedish Excel reads it
    assert rows["Avloppsvattenmätning"][swedish("Expected")] == ""  # no count, nothing expected in numbers
    assert rows["Trafikkontroller"][swedish("Target places")] == "Mariefred, Stallarholmen"
    assert "Avloppsvattenmätning" in rows and "Kontakter med skolor" in rows


def test_an_approved_export_is_the_snapshot_and_does_not_change_with_the_records(client, world):
    log_some_work(world)
    report = publish_t1(world)
    client.force_login(world.coordinator)
    before = client.get(figures_url(world.promise, "xlsx")).content
    before_csv = client.get(figures_url(world.promise, "csv")).content

    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 4, 2), quantity=5)
    make_record(
        world.places_activity,
        by=world.police_recorder,
        occurred_on=datetime.date(2020, 4, 3),
        place=world.second_district,
    )

    after_rows, _sheet = xlsx_rows(client.get(figures_url(world.promise, "xlsx")).content)
    assert after_rows == xlsx_rows(before)[0]
    assert client.get(figures_url(world.promise, "csv")).content == before_csv
    frozen = {item["title"]: item for item in report.snapshot["activities"]}
    for title, row in by_activity(after_rows).items():
        assert row[swedish("Achieved")] == frozen[title]["achieved"]
    # The live figures did move on: the export kept to what the council approved.
    live = {figure.activity.title: figure.progress.achieved for figure in promise_figures(world.promise, T1)}
    assert live["Planlagda insatser"] == 7
    assert by_activity(after_rows)["Planlagda insatser"][swedish("Achieved")] == 2


def test_an_approved_report_with_a_verdict_in_the_last_tertial_exports_it(client, world):
    report = make_report(world.promise, number=3, status="submitted")
    Assessment.objects.create(
        report=report,
        activity=world.count_activity,
        status="missed",
        comment="Rådet bedömer att målet inte nås.",
        verdict="partly_kept",
        verdict_reason="resources",
        verdict_explanation="Färre poliser i tjänst under hösten.",
    )
    TertialReport.objects.filter(pk=report.pk).update(
        status="approved", approved_at=datetime.datetime(2021, 1, 20, tzinfo=datetime.UTC), meeting_date="2021-01-20"
    )
    report.refresh_from_db()
    report.snapshot = snapshot_of(report).to_dict()
    report.save()
    client.force_login(world.coordinator)
    rows = by_activity(csv_rows(client.get(figures_url(world.promise, "csv", tertial=Tertial(2020, 3))).content))
    with translation.override("sv"):
        assert rows["Planlagda insatser"][swedish("Verdict")] == str(Assessment.Verdict.PARTLY_KEPT.label)
        assert rows["Planlagda insatser"][swedish("Reason")] == str(Assessment.Reason.RESOURCES.label)
        assert rows["Planlagda insatser"][swedish("Verdict")] == "Delvis hållet"
    assert rows["Planlagda insatser"][swedish("Explanation")] == "Färre poliser i tjänst under hösten."


# Records ----------------------------------------------------------------------------------------------------


def test_the_records_export_lists_the_records_that_count_in_the_tertial(client, world):
    log_some_work(world)
    client.force_login(world.coordinator)
    rows, sheet = xlsx_rows(client.get(records_url(world.promise, "xlsx")).content)
    assert sheet.freeze_panes == f"A{header_row(sheet) + 1}"
    assert [(row[swedish("Date")].date(), row[swedish("Activity")], row[swedish("Quantity")]) for row in rows] == [
        (datetime.date(2020, 2, 1), "Planlagda insatser", 2),
        (datetime.date(2020, 3, 1), "Trafikkontroller", 1),
        (datetime.date(2020, 4, 1), "Kontakter med skolor", 1),
    ]  # the voided record and the T2 record are left out
    assert rows[1][swedish("Place")] == "Mariefred"
    assert rows[0][swedish("Summary")] == "Sök på Läggesta"


def test_the_records_export_names_the_organisation_and_never_the_person(client, world):
    recorder = make_user("kalle.anka.4711", organisation=world.police_organisation, role=Membership.Role.RECORDER)
    recorder.first_name, recorder.last_name = "Kalle", "Anka"
    recorder.save()
    record = make_record(world.count_activity, by=recorder, occurred_on=datetime.date(2020, 2, 1))
    record.participating_organisations.set([world.police_organisation, world.municipal_organisation])
    # A coordinator of the municipality logs for a police-led activity the municipality takes no part in.
    make_record(world.count_activity, by=world.coordinator, occurred_on=datetime.date(2020, 2, 2))
    client.force_login(world.coordinator)
    for fmt in ("csv", "xlsx"):
        content = client.get(records_url(world.promise, fmt)).content
        rows = csv_rows(content) if fmt == "csv" else xlsx_rows(content)[0]
        recorded_by = [row[swedish("Recorded by (organisation)")] for row in rows]
        assert recorded_by == ["Polisen Strängnäs", "Strängnäs kommun"]
        assert rows[0][swedish("Participating organisations")] == "Polisen Strängnäs, Strängnäs kommun"
        cells = " ".join(str(value) for row in rows for value in row.values())
        for personal in ("kalle.anka.4711", "Kalle", "Anka", "samordnare"):
            assert personal not in cells


def test_text_that_looks_like_a_formula_stays_text(client, world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 1), summary="=1+1")
    client.force_login(world.coordinator)
    csv_row = csv_rows(client.get(records_url(world.promise, "csv")).content)[0]
    assert csv_row[swedish("Summary")] == "'=1+1"
    _rows, sheet = xlsx_rows(client.get(records_url(world.promise, "xlsx")).content)
    summary = next(cell for cell in sheet[header_row(sheet) + 1] if cell.value == "=1+1")
    assert summary.data_type == "s"


# Queries ----------------------------------------------------------------------------------------------------


class Grower:
    """Adds activities, records, recorders, indicator values and tertials to the world, batch by batch."""

    def __init__(self, world):
        self.world = world
        self.made = 0

    def grow(self, batches, *, years):
        world = self.world
        world.promise.period_end = datetime.date(2020 + years - 1, 12, 31)
        world.promise.save()
        indicator, _created = Indicator.objects.get_or_create(promise=world.promise, name="Bostadsinbrott")
        for _ in range(batches):
            self.made += 1
            recorder = make_user(
                f"registrerare{self.made}", organisation=world.police_organisation, role=Membership.Role.RECORDER
            )
            activity = Activity.objects.create(
                promise=world.promise,
                focus_area=world.focus_area,
                kind=world.count_activity.kind,
                title=f"Insats {self.made}",
                lead_organisation=world.police_organisation,
                target_count=10,
                unit="insatser",
            )
            activity.partner_organisations.set([world.municipal_organisation])
            activity.target_places.set([world.district, world.second_district])
            for day in (1, 2, 3):
                record = make_record(
                    activity, by=recorder, occurred_on=datetime.date(2020, 2, day), place=world.district
                )
                record.participating_organisations.set([world.police_organisation, world.municipal_organisation])
            IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2020, 1, self.made), value=1)
        for year in range(2020, 2020 + years):
            for number in (1, 2, 3):
                IndicatorValue.objects.get_or_create(
                    indicator=indicator, year=year, number=number, defaults={"value": 2}
                )

    def refresh(self, report):
        """Brings a report's assessments or snapshot up to the grown data, as the workflow would."""
        if report is None:
            return
        if report.is_locked:
            report.snapshot = snapshot_of(report).to_dict()
            report.save()
        else:
            for activity in Activity.objects.filter(promise=self.world.promise).exclude(assessments__report=report):
                Assessment.objects.create(report=report, activity=activity, status="on_track", comment="Bra")


def settle_session(client, user):
    """Logs in and makes the first request, which saves the session; later ones within a minute do not, so the
    measured requests compare like with like."""
    client.force_login(user)
    client.get("/")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
@pytest.mark.parametrize("status", [None, "draft", "published"])
def test_the_figures_export_reads_a_fixed_number_of_queries(client, world, fmt, status):
    report = make_report(world.promise, number=1, status=status) if status else None
    grower = Grower(world)
    settle_session(client, world.council_member)
    grower.grow(2, years=1)
    grower.refresh(report)
    small = count_queries(client, figures_url(world.promise, fmt))
    grower.grow(18, years=10)  # tenfold: 20 activities, 60 records, 30 tertials
    grower.refresh(report)
    assert count_queries(client, figures_url(world.promise, fmt)) == small


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_records_export_reads_a_fixed_number_of_queries(client, world, fmt):
    grower = Grower(world)
    settle_session(client, world.coordinator)
    grower.grow(2, years=1)
    small = count_queries(client, records_url(world.promise, fmt))
    grower.grow(18, years=10)
    assert count_queries(client, records_url(world.promise, fmt)) == small


LONG_WORD = "grannsamverkansområden"


def test_the_pdf_hyphenates_a_long_swedish_word_in_a_narrow_cell_and_never_cuts_it_bare(client, world):
    Activity.objects.create(
        promise=world.promise,
        focus_area=world.focus_area,
        kind=world.count_activity.kind,
        title=f"Trygghetsvandringar i {LONG_WORD}",
        lead_organisation=world.police_organisation,
        target_count=4,
        unit=LONG_WORD,
    )
    client.force_login(world.coordinator)
    lines = "\n".join(pdf_pages(client.get(figures_url(world.promise, "pdf")).content)).splitlines()
    fragments = {LONG_WORD[:cut] for cut in range(3, len(LONG_WORD))}
    bare_cuts = [line for line in lines if line.split() and line.split()[-1] in fragments]
    assert not bare_cuts, bare_cuts
    hyphenated = [line for line in lines if line.split() and line.split()[-1].rstrip("-\u2010\xad") in fragments]
    assert hyphenated  # the word does not fit its cell: it is broken, with a hyphen, where Swedish allows


@pytest.mark.parametrize("url", [figures_url, records_url])
def test_the_xlsx_says_what_it_is_of_filters_freezes_and_prints_on_a4_landscape_one_page_wide(client, world, url):
    log_some_work(world)
    publish_t1(world)
    client.force_login(world.coordinator)
    _rows, sheet = xlsx_rows(client.get(url(world.promise, "xlsx")).content)
    titles = {row[0]: row[1] for row in sheet.iter_rows(max_row=header_row(sheet) - 1, values_only=True) if row[0]}
    assert titles[swedish("Promise")] == world.promise.title
    assert titles[swedish("Tertial")] == "T1 2020"
    assert titles[swedish("Report status")] == swedish("Published")
    assert (
        world.council_member.get_username() in titles[swedish("Approval")]
        or world.council_member.get_full_name() in titles[swedish("Approval")]
    )
    heading = header_row(sheet)
    assert heading > 1 and sheet.freeze_panes == f"A{heading + 1}"  # the headings stay in view when scrolling
    assert sheet.auto_filter.ref.startswith(f"A{heading}:")
    assert sheet.auto_filter.ref.endswith(str(sheet.max_row))
    assert all(sheet.column_dimensions[letter].width >= 8 for letter in "ABC")
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0


# The records of the whole period, beside each tertial's


def whole_period_url(promise, fmt):
    return reverse("followup:records_export_all", args=[promise.pk, fmt])


def test_the_whole_period_export_lists_every_record_that_counts_in_the_promise_period(client, world):
    log_some_work(world)
    client.force_login(world.council_member)
    response = client.get(whole_period_url(world.promise, "xlsx"))
    assert 'filename="registreringar-strangnas-2020.xlsx"' in response["Content-Disposition"]
    rows, sheet = xlsx_rows(response.content)
    tertial_rows, _ = xlsx_rows(client.get(records_url(world.promise, "xlsx")).content)
    # T1's records and the T2 record too; the voided one still left out.
    assert len(rows) == len(tertial_rows) + 1
    assert [row[swedish("Date")].date() for row in rows] == sorted(row[swedish("Date")].date() for row in rows)
    assert rows[-1][swedish("Date")].date() > T1.end
    assert sheet["B2"].value == "januari–december 2020"
    csv_listed = csv_rows(client.get(whole_period_url(world.promise, "csv")).content)
    assert [row[swedish("Activity")] for row in csv_listed] == [row[swedish("Activity")] for row in rows]


def test_the_whole_period_export_answers_404_outside_the_follow_up_scope(client, world):
    for persona in (world.outsider, world.police_recorder):
        client.force_login(persona)
        assert client.get(whole_period_url(world.promise, "csv")).status_code == 404
    client.force_login(world.coordinator)
    assert client.get(whole_period_url(world.promise, "pdf")).status_code == 404  # records come as XLSX or CSV


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_whole_period_export_reads_a_fixed_number_of_queries(client, world, fmt):
    grower = Grower(world)
    settle_session(client, world.coordinator)
    grower.grow(2, years=1)
    small = count_queries(client, whole_period_url(world.promise, fmt))
    grower.grow(18, years=10)
    assert count_queries(client, whole_period_url(world.promise, fmt)) == small
