"""A promise of three municipalities: each activity's quantity per municipality beside the total, everywhere.

The municipality of a record is its place's; a record without a place is counted as "ej angiven plats". The
breakdown adds up to the total, is frozen with the report, and is shown by the dashboard, the staff report page, the
exports, the public pages and the API.
"""

import csv
import datetime
import io

import pytest
from django.test import Client

from followup import services
from followup.selectors import promise_figures
from followup.tertials import Tertial
from promises.models import Municipality, Place
from tests.conftest import make_record

pytestmark = pytest.mark.django_db

T1 = Tertial(2020, 1)


@pytest.fixture
def shared(world):
    gnesta = Municipality.objects.create(name="Gnesta", slug="gnesta", code="0461")
    gnesta_centre = Place.objects.create(municipality=gnesta, name="Gnesta centrum")
    world.promise.municipalities.set([world.strangnas, world.eskilstuna, gnesta])
    by = world.coordinator
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 1), quantity=5, place=world.district)
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 2), quantity=3, place=world.site)
    make_record(
        world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 3), quantity=2, place=world.foreign_place
    )
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 4), quantity=4, place=gnesta_centre)
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 5), quantity=1)  # no place
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 6, 5), quantity=9)  # after T1
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 6), quantity=7, voided=True)
    return world


# Eskilstuna 2, Gnesta 4, Strängnäs 5 + 3, no place 1: 15 in all at the end of T1.
EXPECTED = (("Eskilstuna", 2), ("Gnesta", 4), ("Strängnäs", 8), ("", 1))


def published(world):
    report = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    report.refresh_from_db()
    services.report_approve(
        report=report, revision=report.revision, by=world.council_member, meeting_date=datetime.date(2020, 5, 20)
    )
    report.refresh_from_db()
    return services.report_publish(report=report, revision=report.revision, by=world.coordinator)


def test_the_figures_break_the_quantity_down_per_municipality(shared):
    figure = next(f for f in promise_figures(shared.promise, T1) if f.activity == shared.count_activity)
    assert figure.per_municipality == EXPECTED
    assert sum(quantity for _name, quantity in figure.per_municipality) == figure.progress.achieved == 15
    # An activity without records still lists every municipality, with nothing.
    places = next(f for f in promise_figures(shared.promise, T1) if f.activity == shared.places_activity)
    assert places.per_municipality == (("Eskilstuna", 0), ("Gnesta", 0), ("Strängnäs", 0))


def test_a_promise_of_one_municipality_has_no_breakdown(world):
    make_record(world.count_activity, by=world.coordinator, occurred_on=datetime.date(2020, 2, 1), place=world.district)
    assert all(figure.per_municipality == () for figure in promise_figures(world.promise, T1))


def test_the_dashboard_and_the_staff_report_show_the_breakdown(client, shared):
    client.force_login(shared.administrator)
    dashboard = client.get(f"/uppfoljning/{shared.promise.pk}/?tertial=2020T1").content.decode()
    for line in (
        "<li>Eskilstuna: 2</li>",
        "<li>Gnesta: 4</li>",
        "<li>Strängnäs: 8</li>",
        "<li>ej angiven plats: 1</li>",
    ):
        assert line in dashboard
    services.report_create(promise=shared.promise, tertial=T1, by=shared.administrator)
    report_page = client.get(f"/uppfoljning/{shared.promise.pk}/2020T1/").content.decode()
    assert "<li>Strängnäs: 8</li>" in report_page and "<li>ej angiven plats: 1</li>" in report_page


def test_the_export_has_a_column_per_municipality(client, shared):
    client.force_login(shared.administrator)
    content = client.get(f"/uppfoljning/{shared.promise.pk}/2020T1/uppfoljning.csv").content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    row = next(row for row in rows if row["Aktivitet"] == "Planlagda insatser")
    assert (row["Eskilstuna"], row["Gnesta"], row["Strängnäs"], row["ej angiven plats"], row["Genomfört"]) == (
        "2",
        "4",
        "8",
        "1",
        "15",
    )


def test_the_published_breakdown_is_public_and_frozen(shared):
    report = published(shared)
    assert report.frozen.activity(shared.count_activity.pk).per_municipality == EXPECTED
    make_record(shared.count_activity, by=shared.coordinator, occurred_on=datetime.date(2020, 3, 3), quantity=50)
    page = Client().get("/gnesta/2020/").content.decode()
    for line in (
        "<li>Eskilstuna: 2</li>",
        "<li>Gnesta: 4</li>",
        "<li>Strängnäs: 8</li>",
        "<li>ej angiven plats: 1</li>",
    ):
        assert line in page
    api = Client().get(f"/api/v1/reports/{report.pk}/").json()
    row = next(item for item in api["activities"] if item["id"] == shared.count_activity.pk)
    assert row["per_municipality"] == [{"municipality": name, "quantity": quantity} for name, quantity in EXPECTED]
