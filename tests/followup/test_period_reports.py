"""Reports on follow-up periods other than tertials: the workflow, locking, addresses, exports, feed and API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from followup import services
from followup.models import TertialReport
from followup.periods import parse_code
from followup.selectors import current_tertial_of, period_of
from promises import locks
from promises.models import Promise
from tests.conftest import make_record

pytestmark = pytest.mark.django_db

D = datetime.date


def use_plan(promise, plan, ends=()):
    promise.followup_plan = plan
    promise.followup_period_ends = [day.isoformat() for day in ends]
    promise.full_clean()
    promise.save()
    return promise


def staff_url(promise, code, name="report"):
    return reverse(f"followup:{name}", args=[promise.pk, code])


def approve(world, report):
    report = services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    return services.report_approve(
        report=report, revision=report.revision, by=world.council_member, meeting_date=D(2020, 7, 10)
    )


def publish(world, report):
    report = approve(world, report)
    return services.report_publish(report=report, revision=report.revision, by=world.coordinator)


@pytest.fixture
def half_years(world):
    return use_plan(world.promise, Promise.FollowUpPlan.HALF_YEARS)


def test_a_half_year_promise_is_followed_up_in_h1_and_h2(client, world, half_years):
    assert [period.code for period in period_of(half_years).periods()] == ["2020H1", "2020H2"]
    assert current_tertial_of(half_years, D(2020, 4, 15)).code == "2020H1"
    client.force_login(world.coordinator)
    assert client.get(staff_url(half_years, "2020H1")).status_code == 200
    # The tertials are not this promise's periods.
    assert client.get(staff_url(half_years, "2020T1")).status_code == 404
    assert client.get(staff_url(half_years, "2020H1").replace("2020H1", "2020H3")).status_code == 404
    assert client.get(staff_url(half_years, "2020H1").replace("2020H1", "2021H1")).status_code == 404
    response = client.post(staff_url(half_years, "2020H1", "report_create"))
    assert response.status_code == 302
    report = TertialReport.objects.get(promise=half_years)
    assert (report.kind, report.year, report.number, report.start, report.end) == (
        "H",
        2020,
        1,
        D(2020, 1, 1),
        D(2020, 6, 30),
    )
    assert client.get(staff_url(half_years, "2020H1")).context["snapshot"].period.code == "2020H1"


def test_a_record_in_an_approved_half_year_is_locked_and_one_after_it_is_not(world, half_years):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=D(2020, 6, 10))
    report = approve(
        world, services.report_create(promise=half_years, tertial=parse_code("2020H1"), by=world.coordinator)
    )
    assert locks.is_locked(half_years.pk, D(2020, 6, 30))
    assert not locks.is_locked(half_years.pk, D(2020, 7, 1))
    assert TertialReport.objects.locking(promise_id=half_years.pk, day=D(2020, 5, 1)).get() == report
    assert not TertialReport.objects.locking(promise_id=half_years.pk, day=D(2020, 7, 1)).exists()
    # T1 of a tertial promise would end on 30 April: here 30 June is locked, in the lock message too.
    assert "H1 2020" in locks.locked_message(locks.lock_on(half_years.pk, D(2020, 6, 30)))


def test_one_report_per_period(world, half_years):
    services.report_create(promise=half_years, tertial=parse_code("2020H1"), by=world.coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        TertialReport.objects.create(promise=half_years, kind="H", year=2020, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        TertialReport.objects.create(promise=half_years, kind="H", year=2020, number=3)


def test_the_last_half_year_asks_for_verdicts(world, half_years):
    first = services.report_create(promise=half_years, tertial=parse_code("2020H1"), by=world.coordinator)
    last = services.report_create(promise=half_years, tertial=parse_code("2020H2"), by=world.coordinator)
    assert not services.is_last_tertial(first)
    assert services.is_last_tertial(last)
    with pytest.raises(services.ReportError):
        services.report_submit(report=last, revision=last.revision, by=world.coordinator)


def test_a_custom_period_keeps_its_days_and_is_published_at_its_code(client, world):
    # Gnosjö: "tertial 1–2" (January–August), then the year.
    promise = use_plan(world.promise, Promise.FollowUpPlan.CUSTOM, [D(2020, 8, 31)])
    make_record(world.count_activity, by=world.police_recorder, occurred_on=D(2020, 7, 1), quantity=2)
    report = publish(world, services.report_create(promise=promise, tertial=parse_code("2020P1"), by=world.coordinator))
    assert (report.kind, report.period_start, report.period_end) == ("P", D(2020, 1, 1), D(2020, 8, 31))
    assert locks.is_locked(promise.pk, D(2020, 8, 31)) and not locks.is_locked(promise.pk, D(2020, 9, 1))
    page = client.get("/strangnas/2020/resultat/2020P1/")
    assert page.status_code == 200
    assert "januari–augusti 2020" in page.content.decode()
    assert client.get("/strangnas/2020/resultat/2020P1.pdf").status_code == 200
    assert client.get("/strangnas/2020/resultat/2020T1/").status_code == 404
    feed = client.get("/strangnas/flode.atom").content.decode()
    assert "/strangnas/2020/resultat/2020P1/" in feed


def test_the_api_names_a_half_year_report_by_its_code(client, world, half_years):
    publish(world, services.report_create(promise=half_years, tertial=parse_code("2020H1"), by=world.coordinator))
    listing = client.get("/api/v1/reports/", {"format": "json"}).json()
    assert [item["code"] for item in listing["results"]] == ["2020H1"]


def test_the_staff_exports_of_a_yearly_report(client, world):
    promise = use_plan(world.promise, Promise.FollowUpPlan.YEARLY)
    make_record(world.count_activity, by=world.police_recorder, occurred_on=D(2020, 6, 10), quantity=3)
    client.force_login(world.coordinator)
    figures = client.get(reverse("followup:figures_export", args=[promise.pk, "2020", "csv"]))
    assert figures.status_code == 200
    assert "uppfoljning-strangnas-2020.csv" in figures["Content-Disposition"]
    records = client.get(reverse("followup:records_export", args=[promise.pk, "2020", "csv"]))
    assert records.status_code == 200 and "2020-06-10" in records.content.decode()
    assert client.get(reverse("followup:figures_export", args=[promise.pk, "2020T1", "csv"])).status_code == 404


def test_the_plan_is_fixed_once_a_follow_up_is_approved(world, half_years):
    approve(world, services.report_create(promise=half_years, tertial=parse_code("2020H1"), by=world.coordinator))
    half_years.followup_plan = Promise.FollowUpPlan.TERTIALS
    with pytest.raises(ValidationError) as refused:
        half_years.full_clean()
    assert "followup_plan" in refused.value.message_dict


@pytest.mark.parametrize(
    ("ends", "message"),
    [
        ([], "Egna perioder behöver minst ett slutdatum"),
        (["2021-03-01"], "Varje slutdatum måste ligga inom löftets period"),
        (["2020-12-31"], "Varje slutdatum måste ligga inom löftets period"),
        (["31/8"], "Skriv varje slutdatum som ÅÅÅÅ-MM-DD"),
    ],
)
def test_a_custom_plan_needs_end_dates_inside_the_period(world, ends, message):
    promise = world.promise
    promise.followup_plan = Promise.FollowUpPlan.CUSTOM
    promise.followup_period_ends = ends
    with pytest.raises(ValidationError) as refused:
        promise.full_clean()
    assert any(message in text for text in refused.value.message_dict["followup_period_ends"])


# Choosing the plan when drafting ----------------------------------------------------------------------------


def test_the_coordinator_drafts_a_promise_followed_up_twice_a_year(client, world):
    from tests.staff.test_workspace_promises import promise_data, ws

    client.force_login(world.coordinator)
    form = client.get(ws("promise_create")).content.decode()
    assert "Uppföljningsplan" in form and "Halvår (januari–juni, juli–december)" in form
    response = client.post(ws("promise_create"), promise_data(world, followup_plan="half_years"))
    assert response.status_code == 302
    promise = Promise.objects.get(title="Medborgarlöfte 2022")
    assert [period.code for period in period_of(promise).periods()] == ["2022H1", "2022H2"]
    assert "Halvår" in client.get(ws("promise", promise.pk)).content.decode()


def test_the_coordinator_drafts_gnosjos_tertial_1_2_report_as_custom_periods(client, world):
    from tests.staff.test_workspace_promises import promise_data, ws

    client.force_login(world.coordinator)
    data = promise_data(world, followup_plan="custom", followup_period_ends="2022-08-31")
    assert client.post(ws("promise_create"), data).status_code == 302
    promise = Promise.objects.get(title="Medborgarlöfte 2022")
    assert promise.followup_period_ends == ["2022-08-31"]
    assert [(p.code, p.end) for p in period_of(promise).periods()] == [
        ("2022P1", D(2022, 8, 31)),
        ("2022P2", D(2022, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("ends", "message"),
    [("31 augusti", "är inte ett datum skrivet som ÅÅÅÅ-MM-DD"), ("2023-02-01", "måste ligga inom löftets period")],
)
def test_a_refused_custom_plan_says_why_and_saves_nothing(client, world, ends, message):
    from tests.staff.test_workspace_promises import promise_data, ws

    client.force_login(world.coordinator)
    response = client.post(ws("promise_create"), promise_data(world, followup_plan="custom", followup_period_ends=ends))
    assert response.status_code == 200
    assert "followup_period_ends" in response.context["form"].errors
    assert message in response.content.decode()
    assert not Promise.objects.filter(title="Medborgarlöfte 2022").exists()
