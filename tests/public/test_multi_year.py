"""Promises longer than a year (docs/RULES.md §18): under every year, each year's work in its year, counted once."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity
from followup import services
from followup.next_year import promise_copy_for_next_year
from followup.periods import parse_code
from promises.models import Promise, PromiseAddress
from tests.conftest import make_record
from tests.staff.test_national import counts_of, totals_of

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def two_years(world):
    """Berg's kind of promise: 2021–2022, followed up once a year, with one count activity (target 4)."""
    promise = Promise.objects.create(
        title="Medborgarlöfte 2021–2022",
        slug="strangnas-2021-2022",
        year=2021,
        period_start=D(2021, 1, 1),
        period_end=D(2022, 12, 31),
        status=Promise.Status.SIGNED,
        signed_on=D(2021, 1, 20),
        followup_plan=Promise.FollowUpPlan.YEARLY,
    )
    promise.municipalities.set([world.strangnas])
    activity = Activity.objects.create(
        promise=promise,
        kind=world.count_activity.kind,
        title="Trafikkontroller vintertid",
        lead_organisation=world.police_organisation,
        target_count=4,
        unit="kontroller",
    )
    make_record(activity, by=world.police_recorder, occurred_on=D(2021, 3, 1), quantity=2)
    make_record(activity, by=world.police_recorder, occurred_on=D(2022, 2, 1), quantity=1)
    return promise


def test_it_is_found_under_both_years_and_says_so(client, world, two_years):
    assert two_years.covered_years == [2021, 2022]
    for year in (2021, 2022):
        response = client.get(f"/strangnas/{year}/")
        assert response.status_code == 200, year
        assert "2021–2022" in response.content.decode()
        assert response.context["promise"] == two_years
    assert client.get("/strangnas/2023/").status_code == 404
    municipality = client.get("/strangnas/").content.decode()
    assert "<h3>2021–2022</h3>" in municipality
    assert "(2021–2022)" in client.get("/").content.decode()
    assert set(PromiseAddress.objects.filter(promise=two_years).values_list("year", flat=True)) == {2021, 2022}


def test_its_reports_are_found_under_both_years(client, world, two_years):
    report = services.report_create(promise=two_years, tertial=parse_code("2022"), by=world.coordinator)
    for assessment in report.assessments.all():
        assessment.verdict, assessment.verdict_reason = "partly_kept", "resources"
        assessment.verdict_explanation = "Färre kontroller än planerat."
        assessment.save()
    report = services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    report = services.report_approve(
        report=report, revision=report.revision, by=world.council_member, meeting_date=D(2023, 1, 20)
    )
    services.report_publish(report=report, revision=report.revision, by=world.coordinator)
    assert client.get("/strangnas/2021/resultat/2022/").status_code == 200
    assert client.get("/strangnas/2022/resultat/2022/").status_code == 200
    assert client.get("/strangnas/2021/resultat/2022.pdf").status_code == 200


def test_a_promise_of_the_second_year_beside_it_is_chosen_by_slug(client, world, two_years):
    other = Promise.objects.create(
        title="Särskilt löfte 2022",
        slug="sarskilt-2022",
        year=2022,
        period_start=D(2022, 1, 1),
        period_end=D(2022, 12, 31),
        status=Promise.Status.SIGNED,
    )
    other.municipalities.set([world.strangnas])
    choice = client.get("/strangnas/2022/")
    assert choice.status_code == 200
    assert {promise.pk for promise in choice.context["choice"].promises} == {two_years.pk, other.pk}
    # Its address needs the slug, since 2022 holds two promises; the two-year promise alone holds 2021.
    assert 'href="/strangnas/2022/sarskilt-2022/"' in client.get("/strangnas/").content.decode()
    assert client.get("/strangnas/2021/").context["promise"] == two_years


def test_the_overview_puts_each_years_work_in_its_year(client, world, two_years):
    client.force_login(world.coordinator)
    response = client.get(reverse("followup:overview", args=["strangnas"]))
    assert response.status_code == 200
    years = list(response.context["years"])
    assert years == [2020, 2021, 2022]
    kinds = {row["name"]: row["cells"] for row in response.context["kinds"]}
    # Planlagd insats: the 2020 promise logged nothing; the two-year promise 2 in 2021 and 1 in 2022.
    assert kinds["Planlagd insats"] == [0, 2, 1]
    assert "2021–2022" in response.content.decode()


def test_the_national_overview_judges_each_year_within_it_and_counts_a_promise_once(client, world, two_years):
    client.force_login(world.administrator)
    # 2021: judged on 31 December 2021, 365 of 730 days: expected 4 × 365 / 730 = 2, and 2 were done: on track.
    first = client.get(reverse("followup:national", args=[2021]))
    assert counts_of(first, world.strangnas) == {"done": 0, "on_track": 1, "at_risk": 0, "behind": 0, "missed": 0}
    # 2022: the period is over with 3 of 4: missed. The promise is in both years' overviews, once in each.
    second = client.get(reverse("followup:national", args=[2022]))
    assert counts_of(second, world.strangnas) == {"done": 0, "on_track": 0, "at_risk": 0, "behind": 0, "missed": 1}
    assert totals_of(second) == [0, 0, 0, 0, 1]


def test_a_shared_promise_is_counted_once_in_the_national_total(client, world, shared):
    client.force_login(world.administrator)
    response = client.get(reverse("followup:national", args=[2020]))
    for municipality in (shared.stenungsund, shared.orust, shared.tjorn):
        assert sum(counts_of(response, municipality).values()) == 2
    # Strängnäs 4 + Eskilstuna 1 + the shared promise's 2 once: 7, not 4 + 1 + 3 × 2 = 11.
    assert sum(totals_of(response)) == 7


def test_next_years_copy_of_a_two_year_promise_follows_it_without_overlap(world, two_years):
    two_years.followup_plan = Promise.FollowUpPlan.CUSTOM
    two_years.followup_period_ends = ["2021-12-31", "2022-06-30"]
    two_years.save()
    copy, made = promise_copy_for_next_year(promise=two_years, by=world.coordinator)
    assert made
    assert (copy.year, copy.period_start, copy.period_end) == (2023, D(2023, 1, 1), D(2024, 12, 31))
    assert copy.covered_years == [2023, 2024]
    assert set(PromiseAddress.objects.filter(promise=copy).values_list("year", flat=True)) == {2023, 2024}
    # The plan goes with it, its dates two years on.
    assert (copy.followup_plan, copy.followup_period_ends) == ("custom", ["2023-12-31", "2024-06-30"])


def test_a_one_year_promise_extended_into_january_stays_in_its_year(world):
    world.promise.period_end = D(2021, 1, 31)
    world.promise.save()
    assert world.promise.covered_years == [2020]
    assert not Promise.objects.covering_year(2021).filter(pk=world.promise.pk).exists()
    assert Promise.objects.covering_year(2020).filter(pk=world.promise.pk).exists()
