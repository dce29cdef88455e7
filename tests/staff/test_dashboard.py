"""The promise dashboard: who may open it, the figures at a tertial's end, the tertial switch, the report's
state, the indicators and a query count that does not grow with the data."""

import datetime
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from activities.models import Activity
from followup.models import Indicator, IndicatorValue
from followup.progress import Status
from followup.selectors import current_tertial_of
from followup.tertials import Tertial
from promises.models import Promise
from tests.conftest import make_record, make_report, make_user

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def url(promise, tertial=None):
    address = reverse("followup:dashboard", args=[promise.pk])
    return f"{address}?tertial={tertial}" if tertial else address


def row_of(response, activity):
    return next(row for row in response.context["rows"] if row["activity"].pk == activity.pk)


def card_of(page, activity):
    """The HTML of one activity's card on the page."""
    return re.search(rf'<li class="figure-card" id="activity-{activity.pk}">.*?</li>', page, re.DOTALL)[0]


def svg_titled(page, element_id):
    """The SVG element whose title has this id, parsed."""
    match = re.search(rf'<svg[^>]*aria-labelledby="{element_id}-title[^"]*".*?</svg>', page, re.DOTALL)
    assert match, f"no SVG labelled by {element_id}-title"
    return ET.fromstring(match[0])  # noqa: S314 - our own page, parsed to check it


# Who may open it


@pytest.mark.parametrize("persona", ["coordinator", "council_member", "administrator"])
def test_it_shows_the_dashboard_to_the_promise_staff(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get(url(world.promise))
    assert response.status_code == 200
    assert response.context["promise"] == world.promise
    assert response.content.decode().count("<h1>") == 1


def test_each_target_is_worded_as_on_the_public_page(client, world):
    # Issue 18: one way to show each kind of target (a continuous one was blank on the staff report and "Löpande" in
    # public; the dashboard had words of its own).
    from followup.wording import target_text

    client.force_login(world.coordinator)
    page = client.get(url(world.promise)).content.decode()
    for activity in (world.count_activity, world.places_activity, world.continuous_activity):
        with translation.override("sv"):
            assert escape(target_text(activity)) in page, activity.title


def test_the_bars_are_explained_in_words_once(client, world, settings):
    # Issue 18: the expected-by marker had no legend; the bars' own text alternatives give the numbers.
    client.force_login(world.coordinator)
    page = client.get(url(world.promise)).content.decode()
    assert page.count('id="bar-legend"') == 1
    assert "I varje stapel är hela stapeln målet, den fyllda delen det som är genomfört och det svarta strecket" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        "the whole bar is the target, the filled part what has been done"
        in client.get(url(world.promise)).content.decode()
    )


@pytest.mark.parametrize("persona", ["police_recorder", "municipal_recorder", "outsider"])
def test_it_hides_the_dashboard_from_recorders_and_outsiders(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(url(world.promise)).status_code == 404


def test_it_hides_another_municipalitys_promise_from_the_coordinator(client, world):
    client.force_login(world.coordinator)
    assert client.get(url(world.foreign_promise)).status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, world):
    response = client.get(url(world.promise))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_refuses_a_post(client, world):
    client.force_login(world.coordinator)
    assert client.post(url(world.promise)).status_code == 405


# Figures at the end of the chosen tertial


def test_it_computes_the_figures_at_the_end_of_t1(client, world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10))
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 11), voided=True)
    client.force_login(world.coordinator)

    response = client.get(url(world.promise, "2020T1"))

    # 2 × 121 days elapsed by 30 April / 366 days in 2020 = 0.661…, shown as 0,7; 1 ≥ ⌊0.66⌋ is on track.
    row = row_of(response, world.count_activity)
    assert row["progress"].achieved == 1
    assert row["expected"] == pytest.approx(2 * 121 / 366)
    assert row["status"] == Status.ON_TRACK
    assert row["quantities"] == [1]  # T1 only: the later tertials are still open
    assert row["total"] == 1
    card = card_of(response.content.decode(), world.count_activity)
    assert '<dd class="expected">0,7</dd>' in card
    assert "Enligt plan" in card
    assert "minst 2 insatser" in card
    assert "Polisen Strängnäs" in card


def test_the_progress_bar_says_achieved_target_and_expected_in_text(client, world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10))
    client.force_login(world.coordinator)

    page = client.get(url(world.promise, "2020T1")).content.decode()

    svg = svg_titled(page, f"bar-{world.count_activity.pk}")
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title").text
    assert re.fullmatch(r"\D*1\D+2\D+0,7\D*", title)


def test_it_judges_the_same_records_differently_at_each_tertial(client, world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 6, 1))
    client.force_login(world.coordinator)

    at_t1 = row_of(client.get(url(world.promise, "2020T1")), world.count_activity)
    at_t2 = row_of(client.get(url(world.promise, "2020T2")), world.count_activity)

    assert at_t1["progress"].achieved == 0
    assert at_t2["progress"].achieved == 1
    # The per-tertial table counts what happened when, up to the chosen tertial: T1 does not show T2's work.
    assert at_t1["quantities"] == [0]
    assert at_t2["quantities"] == [0, 1]


def test_the_table_has_row_and_column_totals(client, world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 1), quantity=2)
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 10, 1))
    make_record(
        world.places_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 5, 5), place=world.district
    )
    client.force_login(world.coordinator)

    response = client.get(url(world.promise, "2020T3"))

    assert row_of(response, world.count_activity)["quantities"] == [2, 0, 1]
    assert row_of(response, world.count_activity)["total"] == 3
    assert row_of(response, world.places_activity)["quantities"] == [0, 1, 0]
    assert response.context["column_totals"] == [2, 1, 1]
    assert response.context["grand_total"] == 4
    page = response.content.decode()
    table = re.search(r'<table class="figures-table">\s*<caption id="quantities-caption">.*?</table>', page, re.DOTALL)[
        0
    ]
    assert table.count('<th scope="col"') == 6  # activity, unit, T1, T2, T3, total
    assert re.search(
        r"<tfoot>.*<strong>2</strong>.*<strong>1</strong>.*<strong>1</strong>.*<strong>4</strong>", table, re.DOTALL
    )


def test_it_lists_the_covered_and_the_missing_places_in_words(client, world):
    make_record(
        world.places_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1), place=world.district
    )
    client.force_login(world.coordinator)

    response = client.get(url(world.promise, "2020T1"))

    row = row_of(response, world.places_activity)
    assert [place.name for place in row["covered_places"]] == ["Mariefred"]
    assert [place.name for place in row["missing_places"]] == ["Stallarholmen"]
    card = card_of(response.content.decode(), world.places_activity)
    assert re.search(r'<dd class="covered-places">Mariefred</dd>', card)
    assert re.search(r'<dd class="missing-places">Stallarholmen</dd>', card)
    title = svg_titled(card, f"places-bar-{world.places_activity.pk}").find(f"{SVG}title").text
    assert re.fullmatch(r"\D*1\D+2\D+0,7\D*", title)  # 2 places × 121 / 366 expected by 30 April


def test_it_shows_the_partners_and_the_gaps_of_a_continuous_activity(client, world):
    client.force_login(world.coordinator)

    response = client.get(url(world.promise, "2020T2"))

    row = row_of(response, world.continuous_activity)
    assert row["progress"].gaps == 2
    assert row["status"] == Status.BEHIND
    card = card_of(response.content.decode(), world.continuous_activity)
    assert "Efter plan" in card
    assert "Polisen Strängnäs" in card and "Strängnäs kommun" in card


def test_it_groups_activities_by_focus_area(client, world):
    world.once_activity.focus_area = None
    world.once_activity.save()
    client.force_login(world.coordinator)

    response = client.get(url(world.promise, "2020T1"))

    groups = [
        (group["focus_area"], [row["activity"] for row in group["rows"]]) for group in response.context["focus_areas"]
    ]
    assert (world.focus_area, [world.count_activity, world.places_activity, world.continuous_activity]) in groups
    assert (None, [world.once_activity]) in groups


# The tertial switch


def test_it_opens_on_the_current_tertial_clamped_to_the_period(client, world):
    client.force_login(world.coordinator)
    response = client.get(url(world.promise))
    assert response.context["tertial"] == current_tertial_of(world.promise, timezone.localdate())


@pytest.mark.parametrize("code", ["nonsense", "2020T4", "2021T1", "2019T3", ""])
def test_it_falls_back_to_the_default_tertial_on_a_bad_code(client, world, code):
    client.force_login(world.coordinator)
    response = client.get(url(world.promise) + f"?tertial={code}")
    assert response.status_code == 200
    assert response.context["tertial"] == current_tertial_of(world.promise, timezone.localdate())


def test_it_links_every_tertial_and_marks_the_chosen_one(client, world):
    client.force_login(world.coordinator)

    page = client.get(url(world.promise, "2020T2")).content.decode()

    nav = re.search(r'<nav class="tertial-nav".*?</nav>', page, re.DOTALL)[0]
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>', nav)
    assert [href for href, _current in links] == [url(world.promise, f"2020T{number}") for number in (1, 2, 3)]
    assert [bool(current) for _href, current in links] == [False, True, False]


def test_a_longer_period_has_more_tertials_and_columns(client, world):
    world.promise.period_end = datetime.date(2021, 12, 31)
    world.promise.save()
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2021, 5, 3), quantity=3)
    client.force_login(world.coordinator)

    response = client.get(url(world.promise, "2021T2"))

    assert response.context["tertial"] == Tertial(2021, 2)
    assert [tertial.code for tertial in response.context["tertials"]] == [
        "2020T1",
        "2020T2",
        "2020T3",
        "2021T1",
        "2021T2",
        "2021T3",
    ]
    assert row_of(response, world.count_activity)["quantities"] == [0, 0, 0, 0, 3]
    page = response.content.decode()
    assert url(world.promise, "2021T3") in page
    assert '<th scope="col" class="num">T2 2021</th>' in page
    assert '<th scope="col" class="num">T3 2021</th>' not in page


# The report's state and what to do next


def test_the_coordinator_can_create_the_missing_report(client, world):
    client.force_login(world.coordinator)

    response = client.get(url(world.promise, "2020T1"))

    assert response.context["report"] is None
    create = reverse("followup:report_create", args=[world.promise.pk, "2020T1"])
    assert re.search(rf'<form method="post" action="{create}"', response.content.decode())
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_council_member_cannot_create_a_report(client, world):
    client.force_login(world.council_member)

    page = client.get(url(world.promise, "2020T1")).content.decode()

    assert reverse("followup:report_create", args=[world.promise.pk, "2020T1"]) not in page
    assert '<form method="post" action="/uppfoljning' not in page


def test_it_shows_an_existing_report_and_links_to_it(client, world):
    report = make_report(world.promise, number=1, status="approved")
    client.force_login(world.council_member)

    response = client.get(url(world.promise, "2020T1"))

    assert response.context["report"] == report
    page = response.content.decode()
    assert reverse("followup:report", args=[world.promise.pk, "2020T1"]) in page
    assert reverse("followup:report_create", args=[world.promise.pk, "2020T1"]) not in page
    assert "report-badge--approved" in page
    assert "20 maj 2020" in page  # the meeting date


def test_the_coordinator_gets_no_create_button_when_the_report_exists(client, world):
    make_report(world.promise, number=2, status="draft")
    client.force_login(world.coordinator)

    page = client.get(url(world.promise, "2020T2")).content.decode()

    assert reverse("followup:report_create", args=[world.promise.pk, "2020T2"]) not in page
    assert reverse("followup:report", args=[world.promise.pk, "2020T2"]) in page


def test_the_tertial_links_show_each_reports_state(client, world):
    make_report(world.promise, number=1, status="published")
    client.force_login(world.coordinator)

    response = client.get(url(world.promise, "2020T3"))

    states = [item["report"] and item["report"].status for item in response.context["tertial_links"]]
    assert states == ["published", None, None]


def test_it_links_the_exports_of_the_chosen_tertial(client, world):
    client.force_login(world.council_member)

    page = client.get(url(world.promise, "2020T2")).content.decode()

    for fmt in ("pdf", "xlsx", "csv"):
        assert reverse("followup:figures_export", args=[world.promise.pk, "2020T2", fmt]) in page
    for fmt in ("xlsx", "csv"):
        assert reverse("followup:records_export", args=[world.promise.pk, "2020T2", fmt]) in page


def test_it_links_the_overview_of_the_promises_municipality(client, world):
    client.force_login(world.council_member)
    page = client.get(url(world.promise)).content.decode()
    assert reverse("followup:overview", args=["strangnas"]) in page


# Indicators of the expected effect


def make_indicator(world, name="Anmälda narkotikabrott under 21 år", **fields):
    indicator = Indicator.objects.create(promise=world.promise, name=name, unit="anmälningar", **fields)
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=2, value=Decimal("9.50"))
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=Decimal("12"), note="Före insatsen")
    IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2020, 10, 15), value=Decimal("7"))
    return indicator


def test_it_shows_each_indicator_as_a_chart_and_a_table(client, world):
    indicator = make_indicator(world, source="Polisens statistik")
    client.force_login(world.coordinator)

    response = client.get(url(world.promise, "2020T3"))

    (item,) = response.context["indicators"]
    assert [(value.code, value.end) for value in item.values] == [
        ("2020T1", datetime.date(2020, 4, 30)),
        ("2020T2", datetime.date(2020, 8, 31)),
        ("", datetime.date(2020, 10, 15)),
    ]
    page = response.content.decode()
    assert "januari–april 2020" in page and "15 oktober 2020" in page
    assert "Minskar, i önskad riktning: från 12 (januari–april 2020) till 7 (15 oktober 2020)." in page
    svg = svg_titled(page, f"indicator-{indicator.pk}")
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Anmälda narkotikabrott under 21 år"
    assert "12" in svg.find(f"{SVG}desc").text and "9,50" in svg.find(f"{SVG}desc").text
    assert len(svg.findall(f"{SVG}circle")) == 3
    table = re.search(rf'<caption id="indicator-caption-{indicator.pk}">.*?</table>', page, re.DOTALL)[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', table)
    assert cells == ["12", "9,50", "7"]
    assert "Före insatsen" in table
    assert "Polisens statistik" in page


def test_an_indicator_without_values_has_no_chart(client, world):
    Indicator.objects.create(promise=world.promise, name="Inbrott i bostad")
    client.force_login(world.coordinator)

    response = client.get(url(world.promise))

    (item,) = response.context["indicators"]
    assert item.series == ()
    page = response.content.decode()
    assert "Inbrott i bostad" in page and "För få värden" in page
    assert f'id="indicator-{item.id}-title"' not in page


def test_the_indicators_follow_the_chosen_tertial(client, world):
    indicator = make_indicator(world)
    client.force_login(world.coordinator)

    response = client.get(url(world.promise, "2020T1"))

    (item,) = response.context["indicators"]
    assert [value.value for value in item.values] == [Decimal("12")]  # T2's 9,50 and October's 7 come later
    table = re.search(
        rf'<caption id="indicator-caption-{indicator.pk}">.*?</table>', response.content.decode(), re.DOTALL
    )[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', table) == ["12"]


def test_it_escapes_names_from_the_data(client, world):
    Activity.objects.filter(pk=world.count_activity.pk).update(title="<script>alert(1)</script>")
    make_indicator(world, name="<script>alert(2)</script>")
    client.force_login(world.coordinator)

    page = client.get(url(world.promise)).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


# Queries


def grow(world, *, activities, start=0):
    """Adds activities with records in every tertial and place, an indicator with values and a report each."""
    for index in range(start, start + activities):
        activity = Activity.objects.create(
            promise=world.promise,
            focus_area=world.focus_area,
            kind=world.count_activity.kind,
            title=f"Extra {index}",
            lead_organisation=world.police_organisation,
            target_count=10,
            unit="tillfällen",
        )
        activity.target_places.set([world.district, world.second_district])
        activity.partner_organisations.set([world.municipal_organisation])
        for month in (2, 6, 10):
            make_record(
                activity, by=world.police_recorder, occurred_on=datetime.date(2020, month, 3), place=world.district
            )
            make_record(activity, by=world.police_recorder, occurred_on=datetime.date(2021, month, 4))
        indicator = Indicator.objects.create(promise=world.promise, name=f"Indikator {index}")
        for number in (1, 2, 3):
            IndicatorValue.objects.create(indicator=indicator, year=2020, number=number, value=index + number)


def queries_for(client, address):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["coordinator", "administrator"])
def test_it_runs_the_same_number_of_queries_whatever_the_size(client, world, persona):
    client.force_login(getattr(world, persona))
    address = url(world.promise, "2020T2")
    client.get(address)  # warms up what a first request reads once, such as content types

    grow(world, activities=1)
    make_report(world.promise, number=1)
    small = queries_for(client, address)

    # Ten times the activities, records and indicators, twice the tertials and more reports.
    grow(world, activities=9, start=1)
    world.promise.period_end = datetime.date(2021, 12, 31)
    world.promise.save()
    make_report(world.promise, number=2, status="submitted")
    make_report(world.promise, year=2021, number=1, status="draft")
    large = queries_for(client, address)

    assert small == large
    assert len(client.get(address).context["tertials"]) == 6


def test_it_stays_within_its_query_budget(client, world, django_assert_max_num_queries):
    grow(world, activities=10)
    client.force_login(world.coordinator)
    client.get(url(world.promise))
    # Session and user, the scope, the promise and its municipalities, activities with target places and
    # partners, records, reports, indicators with values, the two permission checks, the session save.
    with django_assert_max_num_queries(20):
        client.get(url(world.promise))


# The real Strängnäs promises


@pytest.mark.parametrize("year", [2019, 2020])
def test_it_shows_a_seeded_strangnas_promise(client, db, year):
    call_command("load_strangnas", stdout=io.StringIO())
    administrator = make_user("admin", is_superuser=True)
    promise = Promise.objects.get(year=year, municipalities__slug="strangnas")
    client.force_login(administrator)

    response = client.get(url(promise, f"{year}T2"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == promise.activities.count()
    page = response.content.decode()
    for indicator in promise.indicators.all():
        assert f'id="indicator-heading-{indicator.pk}"' in page


def test_it_shows_a_draft_promise_without_activities(client, world):
    client.force_login(world.coordinator)

    response = client.get(url(world.draft_promise))

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert response.context["grand_total"] == 0
    assert response.context["tertial"] == current_tertial_of(world.draft_promise, timezone.localdate())


def test_the_follow_up_menu_leads_a_coordinator_to_their_municipality(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("followup:home"))
    assert response.status_code == 302
    assert response.url == reverse("followup:overview", args=[world.strangnas.slug])


def test_an_administrator_chooses_among_every_municipality(client, world):
    client.force_login(world.administrator)
    response = client.get(reverse("followup:home"))
    assert list(response.context["municipalities"]) == [world.eskilstuna, world.strangnas]


def test_a_recorder_has_no_follow_up(client, world):
    client.force_login(world.police_recorder)
    assert client.get(reverse("followup:home")).status_code == 404


def test_the_dashboard_offers_the_coordinator_next_years_promise(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("followup:dashboard", args=[world.promise.pk])).content.decode()
    assert reverse("followup:copy_next_year", args=[world.promise.pk]) in page
    client.force_login(world.council_member)
    page = client.get(reverse("followup:dashboard", args=[world.promise.pk])).content.decode()
    assert reverse("followup:copy_next_year", args=[world.promise.pk]) not in page


def test_a_place_target_shows_its_quantity_as_well_as_its_places(client, world):
    # The traffic controls: "4 av 4" districts, but never the 303 controls.
    world.places_activity.unit = "trafikkontroller"
    world.places_activity.save()
    by = world.police_recorder
    make_record(world.places_activity, by=by, occurred_on=datetime.date(2020, 3, 1), place=world.district, quantity=200)
    make_record(
        world.places_activity, by=by, occurred_on=datetime.date(2020, 3, 2), place=world.second_district, quantity=103
    )
    client.force_login(world.coordinator)

    card = card_of(client.get(url(world.promise, "2020T1")).content.decode(), world.places_activity)

    assert '<dd class="quantity">303 trafikkontroller</dd>' in card


def test_mina_aktiviteter_shows_a_place_targets_quantity(client, world):
    world.places_activity.unit = "trafikkontroller"
    world.places_activity.save()
    make_record(world.places_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1), quantity=303)
    client.force_login(world.police_recorder)

    page = client.get(reverse("activities:mine")).content.decode()

    assert "303 trafikkontroller hittills" in page
