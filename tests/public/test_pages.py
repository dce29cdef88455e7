"""The public pages: start page, municipality, promise, published report and its PDF (DESIGN §6).

Citizens see signed promises and published reports only. Drafts, unpublished reports, records, the council's
comments and the names of staff never appear. Assertions rest on data, links and status codes, not on the
Swedish wording of the pages' own strings.
"""

import datetime
import io
import itertools
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from activities.models import Activity, ActivityKind, PlannedEvent
from followup.models import Assessment, Indicator, IndicatorValue
from followup.progress import Status
from promises.models import FocusArea, Municipality, Place, Promise
from tests.conftest import freeze as freeze_from_records
from tests.conftest import make_record, make_report

pytestmark = pytest.mark.django_db

SUMMARY = "Arbetet i Mariefred går enligt plan."
COMMENT = "Hemlig bedömning: en insats ställdes in."
RECORD_SUMMARY = "Hemlig registrering vid Läggesta station."
RETURN_COMMENT = "Hemlig återförvisning."
APPROVER = ("Åsa", "Hemligsson")


def promise_url(promise, municipality="strangnas", slug=None):
    kwargs = {"municipality": municipality, "year": promise.year}
    if slug:
        kwargs["slug"] = slug
    return reverse("promise_slug" if slug else "promise", kwargs=kwargs)


def report_url(promise, tertial="2020T1", municipality="strangnas", slug=None, pdf=False):
    kwargs = {"municipality": municipality, "year": promise.year, "tertial": tertial}
    if slug:
        kwargs["slug"] = slug
    return reverse(("report_slug" if slug else "report") + ("_pdf" if pdf else ""), kwargs=kwargs)


def log_work(world):
    """Records behind the figures: one planned operation, one traffic control in Mariefred."""
    make_record(
        world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10), summary=RECORD_SUMMARY
    )
    make_record(
        world.places_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 12), place=world.district
    )


def freeze(report, world, *, comment=COMMENT):
    """Gives the report assessments (one with a comment) and the snapshot approval would take, with an approver."""
    for activity in (world.count_activity, world.places_activity, world.continuous_activity, world.once_activity):
        Assessment.objects.get_or_create(
            report=report,
            activity=activity,
            defaults={"comment": comment if activity == world.count_activity else ""},
        )
    approver = world.council_member
    approver.first_name, approver.last_name = APPROVER
    approver.save()
    report.approved_by = approver
    return freeze_from_records(report)


def publish(world, *, number=1, status="published", promise=None, summary=SUMMARY):
    """A report of the Strängnäs promise in ``status``, frozen from the records as approval would."""
    report = make_report(promise or world.promise, number=number, status=status)
    report.summary = summary
    report.council = world.council
    report.return_comment = RETURN_COMMENT
    report.save()
    return freeze(report, world)


def event(activity, *, title, days=30, by, **fields):
    starts = timezone.now() + datetime.timedelta(days=days)
    return PlannedEvent.objects.create(
        activity=activity,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        created_by=by,
        **fields,
    )


def assert_nothing_private(content, world):
    text = content.decode() if isinstance(content, bytes) else content
    for secret in (COMMENT, RECORD_SUMMARY, RETURN_COMMENT, *APPROVER, world.council_member.username):
        assert secret not in text
    assert world.draft_promise.title not in text


# The start page ------------------------------------------------------------------------------------------


def test_the_start_page_lists_municipalities_with_signed_promises_and_links_to_them(client, world):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="/strangnas/"' in content and 'href="/eskilstuna/"' in content
    assert f'href="{promise_url(world.promise)}"' in content
    assert f'href="{promise_url(world.foreign_promise, "eskilstuna")}"' in content
    assert world.promise.title in content
    assert_nothing_private(content, world)
    assert 'href="/strangnas/2021/"' not in content


def test_a_municipality_with_only_a_draft_promise_is_not_listed(client, world):
    gnesta = Municipality.objects.create(name="Gnesta", slug="gnesta", code="0461")
    world.draft_promise.municipalities.add(gnesta)
    content = client.get(reverse("home")).content.decode()
    assert "Gnesta" not in content


def test_the_newest_promise_year_comes_first(client, world):
    gnesta = Municipality.objects.create(name="Gnesta", slug="gnesta", code="0461")
    newer = Promise.objects.create(
        title="Gnestas löfte 2022", slug="gnesta-2022", year=2022, status="signed", signed_on=datetime.date(2022, 1, 1)
    )
    newer.municipalities.add(gnesta)
    municipalities = client.get(reverse("home")).context["municipalities"]
    assert [m.name for m in municipalities] == ["Gnesta", "Eskilstuna", "Strängnäs"]
    assert municipalities[0].latest_year == 2022


def test_the_search_finds_municipalities_by_part_of_the_name_ignoring_case(client, world):
    response = client.get(reverse("home"), {"q": "ESKILS"})
    assert [m.name for m in response.context["municipalities"]] == ["Eskilstuna"]
    assert 'href="/strangnas/"' not in response.content.decode()
    assert 'value="ESKILS"' in response.content.decode()


def test_a_search_without_results_lists_nothing_and_echoes_the_query_safely(client, world):
    response = client.get(reverse("home"), {"q": "<script>Ingenstans"})
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["municipalities"] == []
    assert "&lt;script&gt;Ingenstans" in content and "<script>Ingenstans" not in content
    assert 'href="/strangnas/"' not in content


def test_the_search_form_has_a_label(client, world):
    content = client.get(reverse("home")).content.decode()
    assert re.search(r'<label for="id_q">[^<]+</label>', content)
    assert '<input type="search" id="id_q" name="q"' in content


def test_staff_find_the_way_to_log_in(client, world):
    assert f'href="{reverse("login")}"' in client.get(reverse("home")).content.decode()


# A municipality's page -----------------------------------------------------------------------------------


def test_the_municipality_page_lists_its_public_promises_and_published_results(client, world):
    older = Promise.objects.create(
        title="Medborgarlöfte 2019",
        slug="strangnas-2019",
        year=2019,
        status="closed",
        signed_on=datetime.date(2019, 1, 1),
    )
    older.municipalities.add(world.strangnas)
    publish(world, number=1)
    publish(world, number=2, status="approved")
    response = client.get(reverse("municipality", args=["strangnas"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index(world.promise.title) < content.index(older.title)  # newest year first
    assert f'href="{promise_url(older)}"' in content
    assert f'href="{report_url(world.promise)}"' in content
    assert report_url(world.promise, "2020T2") not in content
    assert world.foreign_promise.title not in content
    assert_nothing_private(content, world)


def test_the_municipality_page_links_its_feed_and_calendar(client, world):
    content = client.get(reverse("municipality", args=["strangnas"])).content.decode()
    head = content[: content.index("</head>")]
    assert re.search(r'<link rel="alternate" type="application/atom\+xml" href="/strangnas/flode.atom"', head)
    assert f'href="{reverse("municipality_calendar", args=["strangnas"])}"' in content
    assert 'href="/strangnas/flode.atom"' in content[content.index("<main") :]


def test_the_municipality_page_shows_upcoming_public_activities_in_local_time(client, world):
    starts = datetime.datetime(2099, 6, 1, 16, 0, tzinfo=datetime.UTC)  # 18:00 in Stockholm (summer time)
    PlannedEvent.objects.create(
        activity=world.places_activity,
        title="Trygghetsvandring i Mariefred",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place=world.district,
        place_text="Utanför biblioteket",
        description="Vi går en runda genom centrum.",
        created_by=world.coordinator,
    )
    event(world.count_activity, title="Inställd föräldraträff", by=world.coordinator, cancelled_at=timezone.now())
    event(world.count_activity, title="Redan genomförd", days=-3, by=world.coordinator)
    draft_activity = Activity.objects.create(
        promise=world.draft_promise,
        kind=world.count_activity.kind,
        title="Utkastets aktivitet",
        lead_organisation=world.police_organisation,
    )
    event(draft_activity, title="Utkastets träff", by=world.coordinator)
    event(world.foreign_activity, title="Eskilstunas träff", by=world.outsider)

    content = client.get(reverse("municipality", args=["strangnas"])).content.decode()
    assert "Trygghetsvandring i Mariefred" in content
    assert "Mariefred, Utanför biblioteket" in content
    assert "Vi går en runda genom centrum." in content
    assert '<time datetime="2099-06-01T18:00:00+02:00">' in content
    assert '<time datetime="2099-06-01T20:00:00+02:00">20:00</time>' in content
    assert re.search(r'class="event__cancelled">[^<]+</span> <span lang="sv">Inställd föräldraträff</span>', content)
    for hidden in ("Redan genomförd", "Utkastets träff", "Eskilstunas träff"):
        assert hidden not in content


def test_a_cancelled_activity_is_marked_in_words(client, world):
    event(world.count_activity, title="Inställd föräldraträff", by=world.coordinator, cancelled_at=timezone.now())
    content = client.get(reverse("municipality", args=["strangnas"])).content.decode()
    match = re.search(r'class="event__cancelled">([^<]+)</span>', content)
    assert match and match[1].strip()


@pytest.mark.parametrize("slug", ["okand", "gnesta"])
def test_an_unknown_municipality_or_one_without_a_public_promise_is_not_found(client, world, slug):
    gnesta = Municipality.objects.create(name="Gnesta", slug="gnesta", code="0461")
    world.draft_promise.municipalities.add(gnesta)
    assert client.get(reverse("municipality", args=[slug])).status_code == 404


# A promise's page ----------------------------------------------------------------------------------------


def fill_in(promise):
    promise.situation = "Lägesbilden visar oro för narkotika bland unga."
    promise.pledge = "Polisen och kommunen lovar att arbeta tillsammans."
    promise.expected_effects = "Färre unga provar narkotika."
    promise.follow_up = "Brottsförebyggande rådet följer upp varje tertial."
    promise.communication = "Vi berättar om arbetet på kommunens webbplats."
    promise.save()


def test_the_promise_page_shows_the_promise_its_activities_and_targets(client, world):
    fill_in(world.promise)
    world.focus_area.description = "Unga ska inte börja använda narkotika."
    world.focus_area.save()
    response = client.get(promise_url(world.promise))
    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        world.promise.title,
        world.promise.situation,
        world.promise.pledge,
        world.promise.expected_effects,
        world.promise.follow_up,
        world.promise.communication,
        world.focus_area.title,
        world.focus_area.description,
        "Planlagda insatser",
        "Trafikkontroller",
        "Kontakter med skolor",
        "Avloppsvattenmätning",
        "Mariefred, Stallarholmen",  # the target places
        "Polisen Strängnäs",
    ):
        assert text in content, text
    with translation.override("sv"):
        assert str(world.count_activity.target_text) in content
    assert_nothing_private(content, world)


def test_without_a_published_report_the_promise_shows_no_results(client, world):
    log_work(world)
    publish(world, status="approved")
    content = client.get(promise_url(world.promise)).content.decode()
    assert "status--" not in content
    assert 'class="result"' not in content
    assert "/resultat/" not in content
    assert_nothing_private(content, world)


def test_the_promise_shows_the_results_of_its_latest_published_report(client, world):
    log_work(world)
    publish(world, number=1)
    # T2 is approved but not yet published: its figures (two operations by then) must not show.
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 6, 1))
    t2 = publish(world, number=2, status="approved")
    assert t2.snapshot["activities"][0]["achieved"] == 2
    response = client.get(promise_url(world.promise))
    content = response.content.decode()
    with translation.override("sv"):
        assert str(Status.ON_TRACK.label) in content
    assert 'class="status status--on_track"' in content
    counted = next(item for group in response.context["detail"].focus_areas for item in group.activities)
    assert (
        counted.activity == world.count_activity and counted.result.achieved == 1 and counted.result.target_count == 2
    )
    assert '<dd class="covered-places">Mariefred</dd>' in content
    assert '<dd class="missing-places">Stallarholmen</dd>' in content
    assert "i 1 av 2 kommundelar" in content
    assert f'href="{report_url(world.promise)}"' in content
    assert report_url(world.promise, "2020T2") not in content
    assert_nothing_private(content, world)


def test_the_results_are_the_frozen_snapshot_not_the_live_records(client, world):
    log_work(world)
    publish(world)
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 4, 1), quantity=5)
    response = client.get(promise_url(world.promise))
    results = [item.result for group in response.context["detail"].focus_areas for item in group.activities]
    assert results[0].achieved == 1


def test_the_promise_page_lists_upcoming_activities_of_this_promise_only(client, world):
    event(world.places_activity, title="Trygghetsvandring", by=world.coordinator, place=world.district)
    event(world.foreign_activity, title="Eskilstunas träff", by=world.outsider)
    content = client.get(promise_url(world.promise)).content.decode()
    assert "Trygghetsvandring" in content
    assert "Eskilstunas träff" not in content
    assert f'href="{reverse("municipality_calendar", args=["strangnas"])}"' in content


@pytest.mark.parametrize(
    "url",
    [
        "/strangnas/2021/",  # the draft
        "/strangnas/2021/strangnas-2021/",
        "/strangnas/2019/",  # no promise that year
        "/okand/2020/",
        "/strangnas/2020/eskilstuna-2020/",  # another municipality's promise
        "/strangnas/2020/okand/",
    ],
)
def test_what_is_not_public_is_not_found(client, world, url):
    assert client.get(url).status_code == 404


def test_a_promise_of_several_municipalities_is_reachable_from_each(client, world):
    gnesta = Municipality.objects.create(name="Gnesta", slug="gnesta", code="0461")
    world.promise.municipalities.add(gnesta)
    response = client.get(promise_url(world.promise, "gnesta"))
    assert response.status_code == 200
    assert 'href="/gnesta/"' in response.content.decode() and 'href="/strangnas/"' in response.content.decode()
    assert client.get(promise_url(world.promise, "strangnas")).status_code == 200


def test_several_promises_in_a_year_are_chosen_by_slug(client, world):
    second = Promise.objects.create(
        title="Trygg sommar 2020",
        slug="trygg-sommar-2020",
        year=2020,
        status="signed",
        signed_on=datetime.date(2020, 5, 1),
    )
    second.municipalities.add(world.strangnas)
    publish(world)
    choice = client.get(promise_url(world.promise))
    assert choice.status_code == 200
    content = choice.content.decode()
    assert 'href="/strangnas/2020/strangnas-2020/"' in content
    assert 'href="/strangnas/2020/trygg-sommar-2020/"' in content
    assert client.get(promise_url(second, slug=second.slug)).context["promise"] == second
    page = client.get(promise_url(world.promise, slug=world.promise.slug))
    assert page.context["promise"] == world.promise
    assert f'href="{report_url(world.promise, slug=world.promise.slug)}"' in page.content.decode()
    # Without the slug the report's address names no single promise.
    assert client.get(report_url(world.promise)).status_code == 404
    assert client.get(report_url(world.promise, slug=world.promise.slug)).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert 'href="/strangnas/2020/trygg-sommar-2020/"' in home


def test_a_lone_promise_answers_at_its_slug_address_too(client, world):
    assert client.get(promise_url(world.promise, slug=world.promise.slug)).status_code == 200


def test_a_post_is_refused(client, world):
    assert client.post(promise_url(world.promise)).status_code == 405


# A published report --------------------------------------------------------------------------------------


def test_the_report_page_shows_the_published_figures_and_the_councils_decision(client, world):
    log_work(world)
    publish(world)
    response = client.get(report_url(world.promise))
    assert response.status_code == 200
    content = response.content.decode()
    for text in (
        SUMMARY,
        "Brottsförebyggande rådet Strängnäs",
        "Planlagda insatser",
        "Trafikkontroller",
        world.focus_area.title,
        f'href="{report_url(world.promise, pdf=True)}"',
        f'href="{promise_url(world.promise)}"',
    ):
        assert text in content, text
    with translation.override("sv"):
        assert str(Status.ON_TRACK.label) in content
        assert "20 maj 2020" in content  # the meeting date, by Django's Swedish date format
    assert_nothing_private(content, world)


def test_the_report_page_is_built_for_reading_on_any_screen(client, world):
    log_work(world)
    publish(world)
    content = client.get(report_url(world.promise)).content.decode()
    assert content.count("<h1") == 1
    # Each activity is a card of terms and values (a phone needs no sideways scrolling), under its focus area.
    assert "<h3>Narkotika bland unga</h3>" in content
    assert '<h4 class="activity-card__title" lang="sv">Planlagda insatser</h4>' in content
    assert content.count('class="activity-card"') == 4
    assert 'css/public.css"' in content


def test_the_public_stylesheet_prints_without_navigation(client, world):
    css = Path(finders.find("css/public.css")).read_text(encoding="utf-8")
    printing = css[css.index("@media print") :]
    assert ".site-header" in printing and ".site-footer" in printing and "display: none" in printing


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_an_unpublished_report_is_not_found(client, world, status):
    make_report(world.promise, status=status)
    assert client.get(report_url(world.promise)).status_code == 404
    assert client.get(report_url(world.promise, pdf=True)).status_code == 404


def test_a_published_report_of_a_draft_promise_is_not_found(client, world):
    make_report(world.draft_promise, year=2021, status="published")
    assert client.get(report_url(world.draft_promise, "2021T1")).status_code == 404
    assert client.get(report_url(world.draft_promise, "2021T1", pdf=True)).status_code == 404


def test_another_municipalitys_report_is_not_found_under_this_one(client, world):
    make_report(world.foreign_promise, status="published")
    assert client.get(report_url(world.foreign_promise, municipality="eskilstuna")).status_code == 200
    assert client.get(report_url(world.foreign_promise, slug="eskilstuna-2020")).status_code == 404


# The report's PDF ----------------------------------------------------------------------------------------


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_of_a_published_report_names_no_one_and_leaves_out_the_comments(client, world):
    log_work(world)
    publish(world)
    response = client.get(report_url(world.promise, pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "medborgarlofte-strangnas-2020T1.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert SUMMARY in text
    assert "Planlagda insatser" in text and "Brottsförebyggande rådet Strängnäs" in text
    assert_nothing_private(text, world)
    assert "Hemlig" not in text


# Query budget --------------------------------------------------------------------------------------------


class Grower:
    """Makes the world bigger: municipalities, promises, activities, places, records, events and reports."""

    def __init__(self, world):
        self.world = world
        self.counter = itertools.count(1)
        self.kind = ActivityKind.objects.create(name="Trygghetsvandring", slug="trygghetsvandring")

    def grow(self, n):
        world = self.world
        for _ in range(n):
            i = next(self.counter)
            municipality = Municipality.objects.create(name=f"Kommun {i}", slug=f"kommun-{i}", code=f"{9000 + i}")
            other = Promise.objects.create(
                title=f"Löfte {i}", slug=f"lofte-{i}", year=2020, status="signed", signed_on=datetime.date(2020, 1, 1)
            )
            other.municipalities.add(municipality)
            earlier = Promise.objects.create(
                title=f"Strängnäs {1900 + i}",
                slug=f"strangnas-{1900 + i}",
                year=1900 + i,
                period_start=datetime.date(1900 + i, 1, 1),
                period_end=datetime.date(1900 + i, 12, 31),
                status="closed",
                signed_on=datetime.date(1900 + i, 1, 1),
            )
            earlier.municipalities.add(world.strangnas)
            make_report(earlier, year=1900 + i, status="published")
            area = FocusArea.objects.create(promise=world.promise, title=f"Fokus {i}")
            place = Place.objects.create(municipality=world.strangnas, name=f"Plats {i}")
            activity = Activity.objects.create(
                promise=world.promise,
                focus_area=area,
                kind=self.kind,
                title=f"Aktivitet {i}",
                lead_organisation=world.police_organisation,
                target_count=3,
                unit="rundor",
            )
            activity.target_places.set([place, world.district])
            activity.partner_organisations.set([world.municipal_organisation])
            make_record(activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 1), place=place)
            indicator = Indicator.objects.create(promise=world.promise, name=f"Indikator {i}", unit="anmälningar")
            IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=i)
            event(activity, title=f"Träff {i}", by=world.coordinator, place=place)
        for report in world.promise.reports.all():
            freeze(report, world)


def count_queries(client, url):
    client.get(url)  # caches warmed, as on a running server
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = {
    "home": lambda world: reverse("home"),
    "search": lambda world: reverse("home") + "?q=kommun",
    "municipality": lambda world: reverse("municipality", args=["strangnas"]),
    "promise": lambda world: promise_url(world.promise),
    "report": lambda world: report_url(world.promise),
    "pdf": lambda world: report_url(world.promise, pdf=True),
    "accessibility": lambda world: reverse("accessibility"),
}


@pytest.mark.parametrize("page", PAGES)
def test_every_public_page_reads_a_fixed_number_of_queries(client, world, page):
    log_work(world)
    publish(world)
    grower = Grower(world)
    url = PAGES[page](world)
    grower.grow(1)
    small = count_queries(client, url)
    grower.grow(9)  # tenfold
    assert count_queries(client, url) == small
