"""The public answer to "did they keep it?": Strängnäs 2019 as a citizen reads it, against figures worked out by hand.

Strängnäs's real 2019 promise is loaded from the seed and its year is recorded so that one activity is kept (20 of
at least 8 neighbourhood-watch areas), one partly (1 of 2 boat-watch areas) and one not (no targeted operation),
with 4 of 4 safety walks at both named sites and 303 traffic controls in all four districts. The year's last report
is approved with its verdicts and published; the promise page must tell the whole answer without a PDF.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client

from activities.models import Activity
from followup import services
from followup.models import Assessment
from followup.tertials import Tertial
from promises.models import Membership, Organisation, Place, Promise
from tests.conftest import make_record, make_user

pytestmark = pytest.mark.django_db

D = datetime.date
T3 = Tertial(2019, 3)
INTERNAL = "Intern anteckning: polisen hade för få mopedkontroller i tjänst."
PUBLIC = "Områdena startades efter informationsmöten i alla kommundelar."


@pytest.fixture
def strangnas(db):
    call_command("load_strangnas", stdout=io.StringIO())
    municipality = Organisation.objects.get(name="Strängnäs kommun")
    return {
        "recorder": make_user("registrerare", organisation=municipality, role=Membership.Role.RECORDER),
        "coordinator": make_user("samordnare", organisation=municipality, role=Membership.Role.COORDINATOR),
        "council": make_user("radsledamot", organisation=municipality, role=Membership.Role.COUNCIL),
        "promise": Promise.objects.get(slug="strangnas-2019"),
    }


def activity(title_start):
    return Activity.objects.get(promise__slug="strangnas-2019", title__startswith=title_start)


def place(name):
    return Place.objects.get(name=name)


def record_the_year(by):
    """Records chosen so that the year ends with seven activities done and two missed, worked out by hand."""
    make_record(activity("Nya grannsamverkansområden"), by=by, occurred_on=D(2019, 3, 1), quantity=12)
    make_record(activity("Nya grannsamverkansområden"), by=by, occurred_on=D(2019, 10, 1), quantity=8)  # 20 ≥ 8
    make_record(activity("Nya båtsamverkansområden"), by=by, occurred_on=D(2019, 6, 1))  # 1 < 2 at the end
    walks = activity("Trygghetsvandringar")  # at least 4, at both named sites: 4 of 4, both covered
    make_record(walks, by=by, occurred_on=D(2019, 4, 2), place=place("Strängnäs resecentrum"))
    make_record(walks, by=by, occurred_on=D(2019, 8, 20), quantity=2)
    make_record(walks, by=by, occurred_on=D(2019, 10, 3), place=place("Läggesta station"))
    traffic = activity("Trafikkontroller")  # every district: 100 + 80 + 60 + 63 = 303 controls, all four covered
    for name, quantity, day in (
        ("Strängnäs", 100, D(2019, 2, 2)),
        ("Mariefred", 80, D(2019, 5, 7)),
        ("Åkers styckebruk", 60, D(2019, 9, 9)),
        ("Stallarholmen", 63, D(2019, 11, 11)),
    ):
        make_record(traffic, by=by, occurred_on=day, quantity=quantity, place=place(name))
    # "Riktade insatser mot trimmade mopeder": none at all, so 0 of at least 2.
    # The continuous activities without a number are kept up: a record in every tertial, no gap.
    for title in ("Information om grannsamverkan", "Information om båtsamverkan", "Lokaler för", "Möten i"):
        for day in (D(2019, 2, 1), D(2019, 6, 1), D(2019, 10, 1)):
            make_record(activity(title), by=by, occurred_on=day)


def publish_the_last_report(strangnas):
    coordinator, promise = strangnas["coordinator"], strangnas["promise"]
    report = services.report_create(promise=promise, tertial=T3, by=coordinator)
    snapshot = services.snapshot_of(report)
    assessments = {
        item.id: {"verdict": Assessment.Verdict.KEPT, "verdict_reason": "", "verdict_explanation": ""}
        for item in snapshot.activities
        if item.computed_status == "done"
    }
    assessments[activity("Nya grannsamverkansområden").pk]["comment"] = PUBLIC
    assessments[activity("Nya grannsamverkansområden").pk]["comment_public"] = True
    assessments[activity("Nya båtsamverkansområden").pk] = {
        "verdict": Assessment.Verdict.PARTLY_KEPT,
        "verdict_reason": Assessment.Reason.RESOURCES,
        "verdict_explanation": "Ett av två områden kom i gång; det andra fick vänta på en båtklubb.",
    }
    assessments[activity("Riktade insatser").pk] = {
        "comment": INTERNAL,
        "verdict": Assessment.Verdict.NOT_KEPT,
        "verdict_reason": Assessment.Reason.REPRIORITISED,
        "verdict_explanation": "Polisen lade resurserna på narkotikabrottsligheten under hösten.",
    }
    services.report_update(
        report=report, revision=report.revision, by=coordinator, summary="Året är slut.", assessments=assessments
    )
    report.refresh_from_db()
    services.report_submit(report=report, revision=report.revision, by=coordinator)
    report.refresh_from_db()
    services.report_approve(
        report=report, revision=report.revision, by=strangnas["council"], meeting_date=D(2020, 2, 5)
    )
    report.refresh_from_db()
    return services.report_publish(report=report, revision=report.revision, by=coordinator)


def test_the_hand_computed_year_is_what_the_report_froze(strangnas):
    record_the_year(strangnas["recorder"])
    frozen = {item.title: item for item in publish_the_last_report(strangnas).frozen.activities}
    assert [str(item.computed_status) for item in frozen.values()].count("done") == 7
    assert (frozen["Nya grannsamverkansområden"].achieved, frozen["Nya grannsamverkansområden"].verdict) == (20, "kept")
    assert (frozen["Nya båtsamverkansområden"].achieved, frozen["Nya båtsamverkansområden"].computed_status) == (
        1,
        "missed",
    )
    traffic = frozen["Trafikkontroller i kommunens samtliga kommundelar"]
    assert (traffic.achieved, traffic.missing_places, traffic.computed_status) == (303, [], "done")
    walks = frozen["Trygghetsvandringar"]
    assert (walks.achieved, set(walks.covered_places)) == (4, {"Strängnäs resecentrum", "Läggesta station"})


def test_the_promise_page_tells_a_citizen_the_whole_answer(strangnas):
    record_the_year(strangnas["recorder"])
    publish_the_last_report(strangnas)
    page = Client().get("/strangnas/2019/").content.decode()
    answer = page[page.index('id="answer"') : page.index("Lägesbild")]
    assert "Höll löftet?" in answer
    assert "Av löftets 9 aktiviteter hölls 7 helt (januari–december 2019)." in answer
    assert "Godkänt av Centrala brottsförebyggande rådet, Strängnäs den 5 februari 2020." in answer
    for words, count in (("Hållet", 7), ("Delvis hållet", 1), ("Inte hållet", 1)):
        assert f"{words}</span> <strong>{count}</strong> av 9" in answer
    for text in (
        "20 nya grannsamverkansområden",
        "4 trygghetsvandringar, på båda platserna",
        "303 trafikkontroller, i alla fyra kommundelar",
        "1 nya båtsamverkansområden",
        "0 riktade insatser",
        "Delvis hållet",
        "Resurser",
        "Ett av två områden kom i gång; det andra fick vänta på en båtklubb.",
        "Inte hållet",
        "Omprioriterat",
        "Polisen lade resurserna på narkotikabrottsligheten under hösten.",
        PUBLIC,
        "Genomfört till och med 31 december 2019",
    ):
        assert text in page, text
    assert INTERNAL not in page
    # The verdict has words of its own: never a status label beside "Bedömning".
    assert 'Bedömning</dt>\n      <dd><span class="verdict verdict--kept">Hållet</span>' in page
    # The source gives no signing date, so none is shown as if it were known.
    assert "<dt>Undertecknat</dt><dd>datum för undertecknande saknas</dd>" in page
    assert "Undertecknat den" not in page


def test_the_report_page_of_the_last_months_says_the_same(strangnas):
    record_the_year(strangnas["recorder"])
    publish_the_last_report(strangnas)
    page = Client().get("/strangnas/2019/resultat/2019T3/").content.decode()
    assert "Medborgarlöfte 2019 – Strängnäs: resultat för september–december 2019" in page
    assert "303 trafikkontroller, i alla fyra kommundelar" in page
    assert "Polisen lade resurserna på narkotikabrottsligheten under hösten." in page
    assert INTERNAL not in page


def test_a_closed_promise_without_a_published_report_says_so_plainly(strangnas):
    page = Client().get("/strangnas/2019/").content.decode()
    assert "Löftets period slutade den 31 december 2019. Inga resultat har publicerats för det här löftet." in page
    assert "Resultaten publiceras när brottsförebyggande rådet har godkänt dem" not in page


def test_a_report_before_the_end_counts_statuses_and_gives_no_verdict(strangnas):
    record_the_year(strangnas["recorder"])
    coordinator, promise = strangnas["coordinator"], strangnas["promise"]
    report = services.report_create(promise=promise, tertial=Tertial(2019, 1), by=coordinator)
    services.report_submit(report=report, revision=report.revision, by=coordinator)
    report.refresh_from_db()
    services.report_approve(
        report=report, revision=report.revision, by=strangnas["council"], meeting_date=D(2019, 5, 9)
    )
    report.refresh_from_db()
    services.report_publish(report=report, revision=report.revision, by=coordinator)
    page = Client().get("/strangnas/2019/").content.decode()
    assert "Hur går det med löftet?" in page
    assert "För januari–april 2019:" in page
    assert "Hållet" not in page
    # The year is over but its last months were never published: the page says so, not "results will come".
    assert "men resultaten för de sista månaderna har inte publicerats" in page
    assert "Resultat för januari–april 2019" in page
