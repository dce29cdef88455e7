"""Strängnäs's real promises with records placed in chosen tertials, against figures computed by hand.

2020 is a leap year (366 days; T1 ends on day 121, T2 on day 244); 2019 has 365 days (T1 ends on day 120,
T2 on day 243). Expected = target × elapsed ÷ days; "on track" needs ⌊expected⌋, "at risk" ⌊expected ÷ 2⌋.
"""

import datetime
import io

import pytest
from django.core.management import call_command

from activities.models import Activity
from followup import services
from followup.selectors import promise_figures
from followup.tertials import Tertial
from promises.models import Membership, Organisation, Place, Promise
from tests.conftest import make_record, make_user

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def strangnas(db):
    call_command("load_strangnas", stdout=io.StringIO())
    municipality = Organisation.objects.get(name="Strängnäs kommun")
    return {
        "recorder": make_user("registrerare", organisation=municipality, role=Membership.Role.RECORDER),
        "coordinator": make_user("samordnare", organisation=municipality, role=Membership.Role.COORDINATOR),
        "council": make_user("radsledamot", organisation=municipality, role=Membership.Role.COUNCIL),
    }


def activity(slug, title_start):
    return Activity.objects.get(promise__slug=slug, title__startswith=title_start)


def statuses(promise, tertial):
    return {
        figure.activity.title.split()[0]: str(figure.progress.status) for figure in promise_figures(promise, tertial)
    }


def test_the_2020_promise_tertial_by_tertial(strangnas):
    by = strangnas["recorder"]
    make_record(activity("strangnas-2020", "Planlagda"), by=by, occurred_on=D(2020, 3, 12))
    make_record(activity("strangnas-2020", "Planlagda"), by=by, occurred_on=D(2020, 10, 1))
    make_record(activity("strangnas-2020", "Narkotikasök"), by=by, occurred_on=D(2020, 6, 10))
    make_record(activity("strangnas-2020", "Kontakter"), by=by, occurred_on=D(2020, 2, 1))
    make_record(activity("strangnas-2020", "Kontakter"), by=by, occurred_on=D(2020, 11, 1))
    make_record(activity("strangnas-2020", "Informationsträffar"), by=by, occurred_on=D(2020, 5, 5))
    make_record(activity("strangnas-2020", "Föräldraträffar"), by=by, occurred_on=D(2020, 2, 20))
    make_record(activity("strangnas-2020", "Föräldraträffar"), by=by, occurred_on=D(2020, 4, 2))
    promise = Promise.objects.get(slug="strangnas-2020")

    assert statuses(promise, Tertial(2020, 1)) == {
        "Planlagda": "on_track",  # 1 ≥ ⌊2 × 121/366⌋ = ⌊0.66⌋ = 0
        "Kontakter": "on_track",  # T1 has a record: no gap
        "Narkotikasök": "on_track",  # 0 ≥ ⌊0.66⌋ = 0
        "Hembesök": "at_risk",  # T1 without a record: one gap
        "Informationsträffar": "on_track",  # once, not yet in the last tertial
        "Avloppsvattenmätning": "on_track",
        "Föräldraträffar": "done",  # 2 of 2
    }
    assert statuses(promise, Tertial(2020, 2)) == {
        "Planlagda": "on_track",  # 1 ≥ ⌊2 × 244/366⌋ = ⌊1.33⌋ = 1
        "Kontakter": "at_risk",  # T2 without a record: one gap
        "Narkotikasök": "on_track",  # 1 ≥ ⌊1.33⌋ = 1
        "Hembesök": "behind",  # two gaps
        "Informationsträffar": "done",  # its record came in May
        "Avloppsvattenmätning": "on_track",  # 31 August is not yet the last tertial
        "Föräldraträffar": "done",
    }
    assert statuses(promise, Tertial(2020, 3)) == {
        "Planlagda": "done",  # 2 of 2
        "Kontakter": "at_risk",  # still one gap at the end (DESIGN §5: only more gaps are missed)
        "Narkotikasök": "missed",  # 1 of 2 when the period ended
        "Hembesök": "missed",  # three gaps at the end
        "Informationsträffar": "done",
        "Avloppsvattenmätning": "missed",  # never done
        "Föräldraträffar": "done",
    }


def test_the_2019_promise_and_its_approved_snapshot(strangnas):
    by = strangnas["recorder"]
    areas = activity("strangnas-2019", "Nya grannsamverkansområden")
    boats = activity("strangnas-2019", "Nya båtsamverkansområden")
    walks = activity("strangnas-2019", "Trygghetsvandringar")
    traffic = activity("strangnas-2019", "Trafikkontroller")
    make_record(areas, by=by, occurred_on=D(2019, 3, 1), quantity=3)
    make_record(areas, by=by, occurred_on=D(2019, 6, 1), quantity=2)
    make_record(boats, by=by, occurred_on=D(2019, 3, 1), quantity=2, voided=True)
    make_record(walks, by=by, occurred_on=D(2019, 4, 2), place=Place.objects.get(name="Strängnäs resecentrum"))
    make_record(walks, by=by, occurred_on=D(2019, 8, 20))
    make_record(walks, by=by, occurred_on=D(2019, 10, 3), quantity=2, place=Place.objects.get(name="Läggesta station"))
    make_record(traffic, by=by, occurred_on=D(2019, 2, 2), place=Place.objects.get(name="Strängnäs"))
    make_record(traffic, by=by, occurred_on=D(2019, 7, 7), place=Place.objects.get(name="Mariefred"))
    promise = Promise.objects.get(slug="strangnas-2019")

    def figures_at(tertial):
        return {figure.activity.pk: figure for figure in promise_figures(promise, tertial)}

    t1, t2, t3 = figures_at(Tertial(2019, 1)), figures_at(Tertial(2019, 2)), figures_at(Tertial(2019, 3))
    # Neighbourhood-watch areas, at least 8: 3 ≥ ⌊8 × 120/365⌋ = ⌊2.63⌋ = 2; 5 ≥ ⌊8 × 243/365⌋ = ⌊5.33⌋ = 5; 5 < 8.
    assert [(f[areas.pk].progress.achieved, str(f[areas.pk].progress.status)) for f in (t1, t2, t3)] == [
        (3, "on_track"),
        (5, "on_track"),
        (5, "missed"),
    ]
    # Boat-watch areas, at least 2, the only record voided: 0 ≥ ⌊0.66⌋ = 0; 0 < ⌊1.33⌋ = 1 but ≥ ⌊0.66⌋ = 0.
    assert [str(f[boats.pk].progress.status) for f in (t1, t2, t3)] == ["on_track", "at_risk", "missed"]
    # Safety walks, at least 4 and both sites: count 1 ≥ ⌊1.32⌋ = 1 and places 1 ≥ ⌊0.66⌋ = 0; then
    # count 2 ≥ ⌊2.66⌋ = 2 and places 1 ≥ ⌊1.33⌋ = 1; at the end 4 of 4 and both sites.
    assert [str(f[walks.pk].progress.status) for f in (t1, t2, t3)] == ["on_track", "on_track", "done"]
    # Traffic controls in the four districts: 1 ≥ ⌊4 × 120/365⌋ = 1; 2 ≥ ⌊2.66⌋ = 2; 2 of 4 at the end.
    assert [str(f[traffic.pk].progress.status) for f in (t1, t2, t3)] == ["on_track", "on_track", "missed"]
    assert [place.name for place in t3[traffic.pk].missing_places] == ["Stallarholmen", "Åkers styckebruk"]
    assert t3[walks.pk].per_tertial == {Tertial(2019, 1): 1, Tertial(2019, 2): 1, Tertial(2019, 3): 2}

    report = services.report_create(promise=promise, tertial=Tertial(2019, 2), by=strangnas["coordinator"])
    report = services.report_submit(report=report, revision=report.revision, by=strangnas["coordinator"])
    report = services.report_approve(
        report=report, revision=report.revision, by=strangnas["council"], meeting_date=D(2019, 9, 18)
    )
    frozen = {row["title"]: row for row in report.snapshot["activities"]}
    assert len(frozen) == 9
    assert (frozen[areas.title]["achieved"], frozen[areas.title]["expected"], frozen[areas.title]["status"]) == (
        5,
        5.33,  # 8 × 243/365
        "on_track",
    )
    assert frozen[boats.title]["achieved"] == 0
    assert frozen[walks.title]["covered_places"] == ["Strängnäs resecentrum"]
    assert frozen[traffic.title]["covered_places"] == ["Mariefred", "Strängnäs"]
    assert frozen[traffic.title]["per_tertial"] == {"2019T1": 1, "2019T2": 1}


def test_a_promise_without_a_signing_date_is_judged_from_its_period_start(strangnas):
    promise = Promise.objects.get(slug="strangnas-2020")
    assert promise.signed_on is None  # the source gives none
    make_record(activity("strangnas-2020", "Planlagda"), by=strangnas["recorder"], occurred_on=D(2020, 1, 1))
    make_record(activity("strangnas-2020", "Planlagda"), by=strangnas["recorder"], occurred_on=D(2020, 1, 2))
    # Both records count from the first day of the period: 2 of at least 2 by the end of T1.
    assert statuses(promise, Tertial(2020, 1))["Planlagda"] == "done"
