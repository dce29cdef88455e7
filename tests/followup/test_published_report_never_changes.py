"""What was approved never changes afterwards: every reader of a published report draws on its snapshot alone.

A report is published through the workflow; then, one at a time, a record, a target, a place, the period, an
indicator value, a comment and a new indicator are changed behind its back, as an administrator or a script could.
The public report page, the results on the promise page, the staff report page, the public PDF (its extracted
text), the Atom entry and the API answer must be the same, byte for byte, before and after.
"""

import datetime
import io
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from activities.models import ActivityRecord
from followup import services
from followup.models import Assessment, Indicator, IndicatorValue
from followup.tertials import Tertial
from promises.models import Promise
from tests.conftest import make_record

pytestmark = pytest.mark.django_db

T1 = Tertial(2020, 1)
ATOM = "{http://www.w3.org/2005/Atom}"
REPORT = "/strangnas/2020/resultat/2020T1/"
CSRF = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


@pytest.fixture
def published(world):
    by = world.police_recorder
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 3))
    make_record(world.places_activity, by=by, occurred_on=datetime.date(2020, 3, 4), place=world.district, quantity=7)
    indicator = Indicator.objects.create(
        promise=world.promise, name="Individer i ungdomsnätverk", unit="individer", better="lower", target_value=30
    )
    IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2019, 12, 31), value=42)
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=39)
    report = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    services.report_update(
        report=report,
        revision=report.revision,
        by=world.coordinator,
        summary="Arbetet har kommit igång.",
        assessments={
            world.count_activity.pk: {"comment": "En insats i februari.", "comment_public": True},
            world.places_activity.pk: {"comment": "Intern: polisen saknade bil.", "comment_public": False},
        },
    )
    report.refresh_from_db()
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    report.refresh_from_db()
    services.report_approve(
        report=report, revision=report.revision, by=world.council_member, meeting_date=datetime.date(2020, 5, 20)
    )
    report.refresh_from_db()
    services.report_publish(report=report, revision=report.revision, by=world.coordinator)
    report.refresh_from_db()
    return report, indicator


def _between(page, start, end):
    return page[page.index(start) : page.index(end)]


def readings(world, report):
    """Everything each reader says about the published report, as text to compare."""
    cache.clear()
    anonymous = Client()
    promise_page = anonymous.get("/strangnas/2020/").content.decode()
    staff = Client()
    staff.force_login(world.council_member)
    staff_page = staff.get(f"/uppfoljning/{world.promise.pk}/2020T1/").content.decode()
    feed = ElementTree.fromstring(anonymous.get("/strangnas/flode.atom").content)  # noqa: S314 - our own response
    (entry,) = feed.findall(f"{ATOM}entry")
    pdf = PdfReader(io.BytesIO(anonymous.get(REPORT.rstrip("/") + ".pdf").content))
    return {
        "report page": CSRF.sub("", anonymous.get(REPORT).content.decode()),
        "promise page results": _between(promise_page, 'class="answer__headline"', "<h2>Publicerade resultat</h2>"),
        "staff report": _between(staff_page, "<h1>", "<h2>Nästa steg</h2>"),
        "pdf": "\n".join(page.extract_text() for page in pdf.pages),
        "atom entry": ElementTree.tostring(entry, encoding="unicode"),
        "api": anonymous.get(f"/api/v1/reports/{report.pk}/").content.decode(),
    }


def change_a_record(world, indicator):
    ActivityRecord.objects.filter(activity=world.count_activity).update(quantity=9)
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 4, 2), quantity=3)


def change_a_target(world, indicator):
    world.count_activity.target_count = 10
    world.count_activity.unit = "planlagda insatser"
    world.count_activity.save()
    world.places_activity.target_places.add(world.site)


def change_a_place(world, indicator):
    world.district.name = "Mariefreds tätort"
    world.district.save()


def change_the_period(world, indicator):
    Promise.objects.filter(pk=world.promise.pk).update(period_end=datetime.date(2021, 12, 31))
    promise = Promise.objects.get(pk=world.promise.pk)
    promise.save()  # through the model too, so that the data versions move on as after an edit in the admin


def change_an_indicator_value(world, indicator):
    value = indicator.values.get(year=2020, number=1)
    value.value = 45
    value.save()
    IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2020, 4, 10), value=50)


def change_a_comment(world, indicator):
    for assessment in Assessment.objects.all():
        assessment.comment = "Ändrad i efterhand."
        assessment.comment_public = True
        assessment.save()


def add_an_indicator(world, indicator):
    added = Indicator.objects.create(promise=world.promise, name="Bostadsinbrott", unit="anmälningar")
    IndicatorValue.objects.create(indicator=added, year=2020, number=1, value=Decimal("12"))


@pytest.mark.parametrize(
    "change",
    [
        change_a_record,
        change_a_target,
        change_a_place,
        change_the_period,
        change_an_indicator_value,
        change_a_comment,
        add_an_indicator,
    ],
)
def test_nothing_changed_afterwards_changes_what_was_published(world, published, change):
    report, indicator = published
    before = readings(world, report)
    change(world, indicator)
    after = readings(world, report)
    for reader, text in before.items():
        assert after[reader] == text, reader


def test_the_readers_say_what_was_approved(world, published):
    report, _indicator = published
    text = readings(world, report)
    assert "Arbetet har kommit igång." in text["report page"]
    assert "En insats i februari." in text["report page"]  # public
    assert "Intern: polisen saknade bil." not in text["report page"]  # internal
    assert "Intern: polisen saknade bil." not in text["pdf"] and "Intern: polisen saknade bil." not in text["api"]
    assert "Intern: polisen saknade bil." in text["staff report"]  # the council reads every comment
    assert "7 trafikkontroller" not in text["report page"]  # the world's traffic controls have no unit
    assert "7 genomförda, i 1 av 2 kommundelar" in text["report page"]
    assert "Minskar, i önskad riktning: från 42 (31 december 2019) till 39 (januari–april 2020)." in text["pdf"]
    assert "Målet är 30 eller lägre." in text["promise page results"]
