"""The open data API: public data only, filters, pagination, CSV, read-only, throttling and a fixed query count."""

import csv
import datetime
import io
import json
from types import SimpleNamespace
from unittest.mock import patch

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from activities.models import Activity
from promises.models import FocusArea, Municipality, Organisation, Place, Promise
from tests.api import STOCKHOLM, make_event, make_published_report
from tests.conftest import make_record, make_report

API = "/api/v1"
LISTS = ["municipalities", "promises", "activities", "reports", "events"]
FILTERED_LISTS = ["promises", "activities", "reports", "events"]

SECRET_SUMMARY = "Hemlig sammanfattning av en insats"
SECRET_COMMENT = "Rådets interna kommentar"
DRAFT_TEXT = "Utkastets hemliga lägesbild"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # DRF counts requests in the default cache; without this one test's requests would throttle the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data(world):
    """The world with everything the public must and must not see: records, reports in every state, drafts."""
    promise = world.promise
    promise.signatories.set([world.police_organisation, world.municipal_organisation])
    promise.situation = "Oro för narkotika bland unga i Åkers styckebruk."
    promise.save()
    make_record(
        world.count_activity,
        by=world.police_recorder,
        occurred_on=datetime.date(2020, 3, 2),
        quantity=2,
        place=world.district,
        summary=SECRET_SUMMARY,
    )
    published = make_published_report(
        promise, comment=SECRET_COMMENT, approved_by=world.council_member, summary="Arbetet går enligt plan."
    )
    hidden_reports = [
        make_report(promise, number=2, status="approved"),
        make_report(promise, number=3, status="submitted"),
        make_report(world.foreign_promise, number=1, status="draft"),
        # Published by mistake while its promise is still a draft: the promise decides.
        make_report(world.draft_promise, year=2021, number=1, status="published"),
    ]

    world.draft_promise.situation = DRAFT_TEXT
    world.draft_promise.save()
    draft_activity = Activity.objects.create(
        promise=world.draft_promise,
        kind=world.count_activity.kind,
        title="Utkastets aktivitet",
        lead_organisation=world.police_organisation,
    )
    draft_event = make_event(
        draft_activity,
        by=world.coordinator,
        title="Utkastets trygghetsvandring",
        starts_at=datetime.datetime(2021, 3, 1, 18, tzinfo=STOCKHOLM),
    )
    walk = make_event(
        world.places_activity,
        by=world.coordinator,
        title="Trygghetsvandring i Åkers styckebruk",
        starts_at=datetime.datetime(2020, 5, 12, 18, tzinfo=STOCKHOLM),
        place=world.district,
        place_text="Utanför biblioteket",
    )
    cancelled = make_event(
        world.continuous_activity,
        by=world.coordinator,
        title="Föräldramöte",
        starts_at=datetime.datetime(2020, 9, 3, 18, tzinfo=STOCKHOLM),
        cancelled_at=datetime.datetime(2020, 9, 1, 12, tzinfo=datetime.UTC),
    )
    foreign_event = make_event(
        world.foreign_activity,
        by=world.outsider,
        title="Vandring i Torshälla",
        starts_at=datetime.datetime(2021, 1, 15, 18, tzinfo=STOCKHOLM),
    )

    # A municipality whose only promise is a draft has nothing public yet.
    unpublished = Municipality.objects.create(name="Öckerö", slug="ockero", code="1407")
    world.draft_promise.municipalities.add(unpublished)

    return SimpleNamespace(
        world=world,
        published=published,
        hidden_reports=hidden_reports,
        draft_activity=draft_activity,
        draft_event=draft_event,
        walk=walk,
        cancelled=cancelled,
        foreign_event=foreign_event,
        unpublished=unpublished,
    )


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response


def _results(client, name, **params):
    return _get(client, f"{API}/{name}/", **params).json()["results"]


def _csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _hidden_texts(data):
    world = data.world
    return [
        SECRET_SUMMARY,
        SECRET_COMMENT,
        DRAFT_TEXT,
        "Utkast",
        world.council_member.username,
        world.coordinator.username,
        world.police_recorder.username,
        "approved_by",
        "Öckerö",
    ]


# Only public data --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("format_", ["json", "csv"])
def test_it_shows_no_draft_record_comment_or_staff_name_in_any_list(client, data, name, format_):
    content = _get(client, f"{API}/{name}/", format=format_).content.decode("utf-8")

    for text in _hidden_texts(data):
        assert text not in content


def test_it_lists_municipalities_with_public_promises(client, data):
    assert _results(client, "municipalities") == [
        {"name": "Eskilstuna", "slug": "eskilstuna", "code": "0484"},
        {"name": "Strängnäs", "slug": "strangnas", "code": "0486"},
    ]


def test_it_lists_signed_promises_with_their_focus_areas(client, data):
    world = data.world

    results = _results(client, "promises")

    assert [row["id"] for row in results] == [world.foreign_promise.pk, world.promise.pk]
    strangnas = results[1]
    assert strangnas == {
        "id": world.promise.pk,
        "title": "Medborgarlöfte 2020",
        "slug": "strangnas-2020",
        "year": 2020,
        "period_start": "2020-01-01",
        "period_end": "2020-12-31",
        "status": "signed",
        "signed_on": "2020-01-01",
        "municipalities": ["strangnas"],
        "signatories": ["Polisen Strängnäs", "Strängnäs kommun"],
        "situation": "Oro för narkotika bland unga i Åkers styckebruk.",
        "pledge": "",
        "expected_effects": "",
        "follow_up": "",
        "communication": "",
        "focus_areas": [{"title": "Narkotika bland unga", "description": "", "order": 0}],
    }


def test_it_lists_the_activities_of_public_promises_with_their_targets(client, data):
    world = data.world

    results = {row["id"]: row for row in _results(client, "activities")}

    assert set(results) == {
        activity.pk
        for activity in (
            world.count_activity,
            world.places_activity,
            world.continuous_activity,
            world.once_activity,
            world.foreign_activity,
        )
    }
    assert results[world.count_activity.pk] == {
        "id": world.count_activity.pk,
        "promise": world.promise.pk,
        "focus_area": "Narkotika bland unga",
        "kind": "Planlagd insats",
        "title": "Planlagda insatser",
        "description": "",
        "lead_organisation": "Polisen Strängnäs",
        "partner_organisations": [],
        "target_count": 2,
        "unit": "insatser",
        "unit_singular": "",
        "target_places": [],
        "recurrence": "continuous",
        "target_window_start": None,
        "target_window_end": None,
        "target_per_municipality": False,
    }
    assert results[world.places_activity.pk]["target_places"] == ["Mariefred", "Stallarholmen"]
    assert results[world.continuous_activity.pk]["partner_organisations"] == ["Polisen Strängnäs"]
    assert results[world.foreign_activity.pk]["focus_area"] == ""


def test_it_lists_only_published_reports_with_their_frozen_figures(client, data):
    world = data.world

    results = _results(client, "reports")

    assert [row["id"] for row in results] == [data.published.pk]
    report = results[0]
    assert {key: value for key, value in report.items() if key != "activities"} == {
        "id": data.published.pk,
        "promise": world.promise.pk,
        "year": 2020,
        "tertial": 1,
        "code": "2020T1",
        "edition": 1,
        "correction": "",
        "summary": "Arbetet går enligt plan.",
        "council": "",
        "forum_kind": "crime_prevention",
        "decision": "approved",
        "meeting_date": "2020-05-20",
        "published_at": "2020-05-21T14:00:00+02:00",
        "judged_at": "2020-04-30",
        "period": {"start": "2020-01-01", "end": "2020-04-30", "code": "2020T1", "label": "T1 2020"},
        "promise_period": {"start": "2020-01-01", "end": "2020-12-31", "code": "", "label": ""},
        "final": False,
        "indicators": [],
    }
    rows = {row["title"]: row for row in report["activities"]}
    assert set(rows) == {"Planlagda insatser", "Trafikkontroller", "Kontakter med skolor", "Avloppsvattenmätning"}
    assert rows["Planlagda insatser"]["achieved"] == 2
    assert rows["Planlagda insatser"]["per_tertial"] == {"2020T1": 2}
    assert rows["Planlagda insatser"]["status"] == "on_track"
    assert rows["Trafikkontroller"]["target_places"] == ["Mariefred", "Stallarholmen"]
    assert all("comment" not in row for row in report["activities"])
    assert {row["public_comment"] for row in report["activities"]} == {""}  # the council's comments are internal


def test_it_lists_the_events_of_public_promises_with_offsets(client, data):
    world = data.world

    results = _results(client, "events")

    assert [row["uid"] for row in results] == [str(data.walk.uid), str(data.cancelled.uid), str(data.foreign_event.uid)]
    assert results[0] == {
        "uid": str(data.walk.uid),
        "activity": world.places_activity.pk,
        "title": "Trygghetsvandring i Åkers styckebruk",
        "starts_at": "2020-05-12T18:00:00+02:00",
        "ends_at": "2020-05-12T20:00:00+02:00",
        "place": "Mariefred",
        "place_text": "Utanför biblioteket",
        "description": "",
        "cancelled": False,
    }
    assert results[1]["cancelled"] is True
    assert results[1]["place"] == ""


def test_it_ignores_a_logged_in_user(client, data):
    # The API has no authentication at all: a coordinator's session shows no draft either.
    client.force_login(data.world.coordinator)

    assert [row["slug"] for row in _results(client, "promises")] == ["eskilstuna-2020", "strangnas-2020"]


# Details ----------------------------------------------------------------------------------------------------


def test_it_shows_each_public_object_by_itself(client, data):
    world = data.world

    assert _get(client, f"{API}/municipalities/strangnas/").json()["code"] == "0486"
    assert _get(client, f"{API}/promises/{world.promise.pk}/").json()["title"] == "Medborgarlöfte 2020"
    assert _get(client, f"{API}/activities/{world.count_activity.pk}/").json()["target_count"] == 2
    assert _get(client, f"{API}/reports/{data.published.pk}/").json()["code"] == "2020T1"
    assert _get(client, f"{API}/events/{data.walk.uid}/").json()["place"] == "Mariefred"


def test_it_answers_404_for_anything_not_public(client, data):
    world = data.world
    urls = [
        f"{API}/municipalities/ockero/",
        f"{API}/municipalities/no-such-place/",
        f"{API}/municipalities/%00/",
        f"{API}/promises/{world.draft_promise.pk}/",
        f"{API}/promises/999999/",
        f"{API}/promises/not-a-number/",
        f"{API}/activities/{data.draft_activity.pk}/",
        f"{API}/events/{data.draft_event.uid}/",
        f"{API}/events/not-a-uuid/",
        *(f"{API}/reports/{report.pk}/" for report in data.hidden_reports),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}


def test_it_offers_csv_for_lists_only(client, data):
    response = client.get(f"{API}/promises/{data.world.promise.pk}/", {"format": "csv"})

    assert response.status_code == 404


# Filters ----------------------------------------------------------------------------------------------------


def _ids(client, name, key="id", **params):
    return [row[key] for row in _results(client, name, **params)]


def test_it_filters_promises_by_municipality_and_year(client, data):
    world = data.world

    assert _ids(client, "promises", year=2020) == [world.foreign_promise.pk, world.promise.pk]
    assert _ids(client, "promises", year=2021) == []
    assert _ids(client, "promises", municipality="eskilstuna") == [world.foreign_promise.pk]
    assert _ids(client, "promises", municipality="strangnas", year=2020) == [world.promise.pk]
    assert _ids(client, "promises", municipality="no-such-place") == []


def test_it_filters_activities_by_municipality_and_year_of_their_promise(client, data):
    world = data.world

    assert _ids(client, "activities", municipality="eskilstuna") == [world.foreign_activity.pk]
    assert len(_ids(client, "activities", municipality="strangnas", year=2020)) == 4
    assert _ids(client, "activities", year=2021) == []


def test_it_filters_reports_by_municipality_and_year(client, data):
    assert _ids(client, "reports", municipality="strangnas", year=2020) == [data.published.pk]
    assert _ids(client, "reports", municipality="eskilstuna") == []
    assert _ids(client, "reports", year=2021) == []


def test_it_filters_events_by_municipality_and_year_of_start(client, data):
    walk, cancelled, foreign = (str(event.uid) for event in (data.walk, data.cancelled, data.foreign_event))

    assert _ids(client, "events", key="uid", year=2020) == [walk, cancelled]
    assert _ids(client, "events", key="uid", year=2021) == [foreign]
    assert _ids(client, "events", key="uid", municipality="strangnas") == [walk, cancelled]


def test_it_counts_an_events_year_in_swedish_time(client, data):
    # 00:30 on New Year's Day in Stockholm is still the old year in UTC.
    new_year = make_event(
        data.world.count_activity,
        by=data.world.coordinator,
        title="Nyårsvandring",
        starts_at=datetime.datetime(2021, 1, 1, 0, 30, tzinfo=STOCKHOLM),
    )

    assert str(new_year.uid) in _ids(client, "events", key="uid", year=2021)
    assert str(new_year.uid) not in _ids(client, "events", key="uid", year=2020)


@pytest.mark.parametrize("name", FILTERED_LISTS)
@pytest.mark.parametrize("year", ["20x0", "99999", "0999", "", "٢٠٢٠", "2020.0"])
@pytest.mark.parametrize("format_", ["json", "csv"])
def test_it_refuses_a_year_that_is_not_four_digits(client, data, name, year, format_):
    response = client.get(f"{API}/{name}/", {"year": year, "format": format_})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["year"]


@pytest.mark.parametrize("name", FILTERED_LISTS)
@pytest.mark.parametrize("municipality", ["", "strängnäs", "a b", "\x00"])
def test_it_refuses_a_municipality_that_is_not_a_slug(client, data, name, municipality):
    response = client.get(f"{API}/{name}/", {"municipality": municipality})

    assert response.status_code == 400
    assert list(response.json()) == ["municipality"]


# Pagination -------------------------------------------------------------------------------------------------


def _more_promises(count):
    promises = Promise.objects.bulk_create(
        Promise(
            title=f"Löfte {number:03}",
            slug=f"lofte-{number:03}",
            year=2019,
            period_start=datetime.date(2019, 1, 1),
            period_end=datetime.date(2019, 12, 31),
            status=Promise.Status.CLOSED,
            signed_on=datetime.date(2019, 1, 1),
        )
        for number in range(count)
    )
    return [promise.pk for promise in promises]


def test_it_pages_a_long_list_in_a_stable_order(client, data):
    world = data.world
    extra = _more_promises(60)

    first = _get(client, f"{API}/promises/").json()
    second = _get(client, f"{API}/promises/", page=2).json()

    assert first["count"] == 62
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/promises/?page=2")
    assert second["next"] is None
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == [world.foreign_promise.pk, world.promise.pk, *extra]


def test_it_keeps_the_filters_in_the_link_to_the_next_page(client, data):
    _more_promises(60)

    page = _get(client, f"{API}/promises/", year=2019).json()

    assert page["count"] == 60
    assert "year=2019" in page["next"]


@pytest.mark.parametrize("page", ["99", "0", "abc"])
def test_it_answers_404_for_a_page_that_does_not_exist(client, data, page):
    response = client.get(f"{API}/promises/", {"page": page})

    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


# CSV --------------------------------------------------------------------------------------------------------


def test_it_downloads_promises_as_csv_that_keeps_swedish_letters(client, data):
    response = _get(client, f"{API}/promises/", format="csv")

    assert response["Content-Disposition"] == 'attachment; filename="promises.csv"'
    rows = _csv(response)
    assert list(rows[0]) == list(_results(client, "promises")[0])
    strangnas = rows[1]
    assert strangnas["title"] == "Medborgarlöfte 2020"
    assert strangnas["situation"] == "Oro för narkotika bland unga i Åkers styckebruk."
    assert strangnas["municipalities"] == "strangnas"
    assert strangnas["signatories"] == "Polisen Strängnäs; Strängnäs kommun"
    assert strangnas["focus_areas"] == "Narkotika bland unga"
    assert strangnas["signed_on"] == "2020-01-01"


@pytest.mark.parametrize("name", LISTS)
def test_it_names_the_download_after_the_list(client, data, name):
    response = _get(client, f"{API}/{name}/", format="csv")

    assert response["Content-Disposition"] == f'attachment; filename="{name}.csv"'


def test_it_downloads_the_whole_filtered_list_not_one_page(client, data):
    _more_promises(60)

    response = _get(client, f"{API}/promises/", format="csv")

    assert len(_csv(response)) == 62
    assert "X-Truncated" not in response
    assert len(_csv(_get(client, f"{API}/promises/", format="csv", year=2020))) == 2


def test_it_cuts_a_csv_download_at_the_limit_and_says_so(client, data):
    with patch("api.views.CSV_ROW_LIMIT", 1):
        response = _get(client, f"{API}/promises/", format="csv")

    assert len(_csv(response)) == 1
    assert response["X-Truncated"] == "true"


def test_it_gives_an_empty_csv_its_header(client, data):
    response = _get(client, f"{API}/events/", format="csv", year=2030)

    content = response.content.decode("utf-8-sig")
    assert content == "uid;activity;title;starts_at;ends_at;place;place_text;description;cancelled\r\n"


def test_it_downloads_a_report_as_one_row_per_activity(client, data):
    rows = _csv(_get(client, f"{API}/reports/", format="csv"))

    assert len(rows) == 4
    assert {row["code"] for row in rows} == {"2020T1"}
    assert "activities.comment" not in rows[0]
    by_title = {row["activities.title"]: row for row in rows}
    counted = by_title["Planlagda insatser"]
    assert counted["activities.achieved"] == "2"
    assert counted["activities.expected"] == "0,66"
    assert counted["activities.per_tertial"] == "2020T1: 2"
    assert by_title["Trafikkontroller"]["activities.target_places"] == "Mariefred; Stallarholmen"


def test_it_writes_events_and_booleans_to_csv(client, data):
    rows = _csv(_get(client, f"{API}/events/", format="csv"))

    assert [row["title"] for row in rows] == [
        "Trygghetsvandring i Åkers styckebruk",
        "Föräldramöte",
        "Vandring i Torshälla",
    ]
    assert [row["cancelled"] for row in rows] == ["false", "true", "false"]
    assert rows[0]["starts_at"] == "2020-05-12T18:00:00+02:00"


def test_it_keeps_text_that_looks_like_a_formula_as_text_in_csv(client, data):
    activity = data.world.count_activity
    activity.description = '=HYPERLINK("https://example.com","Klicka")'
    activity.save()

    rows = {row["id"]: row for row in _csv(_get(client, f"{API}/activities/", format="csv"))}

    assert rows[str(activity.pk)]["description"] == "'" + activity.description
    json_row = _get(client, f"{API}/activities/{activity.pk}/").json()
    assert json_row["description"] == activity.description


# Read-only, anonymous, throttled ----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_refuses_every_change(client, data, method):
    for url in (f"{API}/promises/", f"{API}/promises/{data.world.promise.pk}/", f"{API}/schema/"):
        response = getattr(client, method)(url, data=json.dumps({"title": "Nytt"}), content_type="application/json")
        assert response.status_code == 405, url
    assert Promise.objects.filter(title="Nytt").count() == 0


def test_it_answers_no_options(client, data):
    response = client.options(f"{API}/promises/", {"format": "csv"})

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["promises/", "promises/?format=csv", "reports/999/", "schema/"])
def test_it_lets_a_web_page_on_another_site_read_it(client, data, path):
    response = client.get(f"{API}/{path}", headers={"Origin": "https://example.org"})

    assert response["Access-Control-Allow-Origin"] == "*"


def test_it_throttles_the_fourth_anonymous_request(client, data):
    with patch.object(AnonRateThrottle, "get_rate", return_value="3/minute"):
        statuses = [client.get(f"{API}/{name}/").status_code for name in ("promises", "activities", "events")]
        throttled = client.get(f"{API}/reports/")
        schema = client.get(f"{API}/schema/")

    assert statuses == [200, 200, 200]
    assert throttled.status_code == 429
    assert set(throttled.json()) == {"detail"}
    assert int(throttled["Retry-After"]) > 0
    assert schema.status_code == 429


def test_it_throttles_a_csv_download_with_a_json_answer(client, data):
    with patch.object(AnonRateThrottle, "get_rate", return_value="1/minute"):
        client.get(f"{API}/promises/", {"format": "csv"})
        throttled = client.get(f"{API}/promises/", {"format": "csv"})

    assert throttled.status_code == 429
    assert throttled["Content-Type"] == "application/json"


def test_it_lists_the_endpoints_at_its_root(client, data):
    root = _get(client, f"{API}/").json()

    assert set(root) == set(LISTS)
    assert root["promises"].endswith("/api/v1/promises/")


# A fixed number of queries ----------------------------------------------------------------------------------


def _grow(world, numbers):
    """One more municipality per number, each with a promise, its activities, events and a published report."""
    for number in numbers:
        municipality = Municipality.objects.create(
            name=f"Kommun {number}", slug=f"kommun-{number}", code=f"{number:04}"
        )
        place = Place.objects.create(municipality=municipality, name=f"Centrum {number}")
        organisation = Organisation.objects.create(name=f"Polisen {number}", kind=Organisation.Kind.POLICE)
        promise = Promise.objects.create(
            title=f"Löfte {number}",
            slug=f"lofte-{number}",
            year=2020,
            period_start=datetime.date(2020, 1, 1),
            period_end=datetime.date(2020, 12, 31),
            status=Promise.Status.SIGNED,
            signed_on=datetime.date(2020, 1, 1),
        )
        promise.municipalities.set([municipality, world.strangnas])
        promise.signatories.set([organisation, world.police_organisation])
        focus_area = FocusArea.objects.create(promise=promise, title="Trygghet")
        rows = []
        for order in range(2):
            activity = Activity.objects.create(
                promise=promise,
                focus_area=focus_area,
                kind=world.count_activity.kind,
                title=f"Aktivitet {order}",
                lead_organisation=organisation,
                target_count=3,
                order=order,
            )
            activity.partner_organisations.set([world.police_organisation])
            activity.target_places.set([place])
            make_event(
                activity,
                by=world.coordinator,
                title=f"Vandring {number}",
                starts_at=timezone.make_aware(datetime.datetime(2020, 6, 1, 18)),
                place=place,
            )
            rows.append({"id": activity.pk, "title": activity.title, "achieved": 1, "comment": SECRET_COMMENT})
        make_report(promise, status="published", snapshot={"judged_at": "2020-04-30", "activities": rows})


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        _get(client, url, **params)
    return len(queries)


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("format_", ["json", "csv"])
def test_it_answers_a_list_in_the_same_number_of_queries_whatever_the_data(client, data, name, format_):
    url = f"{API}/{name}/"
    _grow(data.world, range(100, 102))
    small = _queries(client, url, format=format_)
    rows_small = len(client.get(url, {"format": "csv"}).content.splitlines())

    _grow(data.world, range(102, 120))
    large = _queries(client, url, format=format_)
    rows_large = len(client.get(url, {"format": "csv"}).content.splitlines())

    assert rows_large > rows_small
    assert small == large
