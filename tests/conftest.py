"""Shared fixtures: a small world of two municipalities and the personas of DESIGN.md §2.

Strängnäs has a signed 2020 promise with one activity of every target type; Eskilstuna is the other
municipality, whose coordinator is the outsider who must see nothing of Strängnäs.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from activities.models import Activity, ActivityKind, ActivityRecord
from followup.models import Council
from promises.models import FocusArea, Membership, Municipality, Organisation, Place, Promise

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    strangnas: Municipality
    eskilstuna: Municipality
    district: Place
    second_district: Place
    site: Place
    foreign_place: Place
    police_organisation: Organisation  # "Polisen Strängnäs"
    municipal_organisation: Organisation  # "Strängnäs kommun"
    foreign_police_organisation: Organisation  # "Polisen Eskilstuna"
    council: Council
    promise: Promise  # Strängnäs 2020, signed
    draft_promise: Promise  # Strängnäs 2021, a draft
    foreign_promise: Promise  # Eskilstuna 2020, signed
    focus_area: FocusArea
    count_activity: Activity  # at least 2, police leads
    places_activity: Activity  # every district, police leads
    continuous_activity: Activity  # no number, municipality leads, police takes part
    once_activity: Activity  # no number, municipality leads alone
    foreign_activity: Activity
    police_recorder: object
    municipal_recorder: object
    coordinator: object
    council_member: object
    outsider: object
    administrator: object


def make_user(username, *, organisation=None, role=None, is_staff=False, is_superuser=False):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=is_staff or is_superuser, is_superuser=is_superuser
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_record(activity, *, by, occurred_on, quantity=1, place=None, summary="", voided=False):
    record = ActivityRecord.objects.create(
        activity=activity,
        occurred_on=occurred_on,
        quantity=quantity,
        place=place,
        summary=summary,
        recorded_by=by,
    )
    if voided:
        record.voided_at = datetime.datetime(2020, 12, 1, tzinfo=datetime.UTC)
        record.voided_by = by
        record.void_reason = "Felregistrerad"
        record.save()
    return record


@pytest.fixture(autouse=True)
def _an_empty_cache():
    """Each test starts with an empty cache: the API's throttle counts, cached pages and figures of one test must not
    answer another (a throttled API test failed only after enough API requests earlier in the run)."""
    from django.core.cache import cache

    cache.clear()
    yield


STOCKHOLM = ZoneInfo("Europe/Stockholm")
# The tests of planned events run on 15 April 2020: events of late March have taken place, those of May are to come.
NOW = datetime.datetime(2020, 4, 15, 12, tzinfo=STOCKHOLM)


def local(*args):
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


@pytest.fixture
def clock(monkeypatch):
    """It is 15 April 2020 (NOW): the world's promise runs, and planned events are recent or upcoming."""
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(datetime.UTC))
    return NOW


def make_event(world, activity=None, *, starts, hours=2, title="Trygghetsvandring i Mariefred", **fields):
    from activities.models import PlannedEvent

    return PlannedEvent.objects.create(
        activity=activity or world.count_activity,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        created_by=world.coordinator,
        **fields,
    )


def make_report(promise, *, year=2020, number=1, status="approved", snapshot=None):
    """A report in the given state, made directly (the workflow itself is tested through its services).

    A published one has its first edition, with the same snapshot; :func:`freeze` fills both from the records.
    """
    from followup.models import Publication, TertialReport

    locked = status in ("approved", "published")
    report = TertialReport.objects.create(
        promise=promise,
        year=year,
        number=number,
        status=status,
        approved_at=datetime.datetime(year, 5, 20, 12, tzinfo=datetime.UTC) if locked else None,
        meeting_date=datetime.date(year, 5, 20) if locked else None,
        published_at=datetime.datetime(year, 5, 21, 12, tzinfo=datetime.UTC) if status == "published" else None,
        snapshot=snapshot or {},
    )
    if status == "published":
        Publication.objects.create(report=report, edition=1, snapshot=report.snapshot, published_at=report.published_at)
    return report


def freeze(report):
    """Freezes the whole report from the records as submission and approval do, into its first edition too."""
    from dataclasses import replace

    from followup.services import snapshot_of

    report.snapshot = replace(snapshot_of(report), meeting_date=report.meeting_date).to_dict()
    report.publications.filter(edition=1).update(snapshot=report.snapshot)
    report.save()
    return report


def _promise(title, slug, municipality, *, year=2020, status=Promise.Status.SIGNED):
    promise = Promise.objects.create(
        title=title,
        slug=slug,
        year=year,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        status=status,
        signed_on=None if status == Promise.Status.DRAFT else datetime.date(year, 1, 1),
    )
    promise.municipalities.set([municipality])
    return promise


@pytest.fixture
def world(db):
    strangnas = Municipality.objects.create(name="Strängnäs", slug="strangnas", code="0486")
    eskilstuna = Municipality.objects.create(name="Eskilstuna", slug="eskilstuna", code="0484")
    district = Place.objects.create(municipality=strangnas, name="Mariefred")
    second_district = Place.objects.create(municipality=strangnas, name="Stallarholmen")
    site = Place.objects.create(municipality=strangnas, name="Läggesta station", kind=Place.Kind.SITE, parent=district)
    foreign_place = Place.objects.create(municipality=eskilstuna, name="Torshälla")

    police = Organisation.objects.create(name="Polisen Strängnäs", kind=Organisation.Kind.POLICE)
    police.municipalities.set([strangnas])
    municipality = Organisation.objects.create(name="Strängnäs kommun", kind=Organisation.Kind.MUNICIPALITY)
    municipality.municipalities.set([strangnas])
    foreign_police = Organisation.objects.create(name="Polisen Eskilstuna", kind=Organisation.Kind.POLICE)
    foreign_police.municipalities.set([eskilstuna])
    council = Council.objects.create(name="Brottsförebyggande rådet Strängnäs")
    council.municipalities.set([strangnas])

    promise = _promise("Medborgarlöfte 2020", "strangnas-2020", strangnas)
    draft = _promise("Utkast 2021", "strangnas-2021", strangnas, year=2021, status=Promise.Status.DRAFT)
    foreign_promise = _promise("Eskilstunas löfte 2020", "eskilstuna-2020", eskilstuna)
    focus_area = FocusArea.objects.create(promise=promise, title="Narkotika bland unga")

    kind = ActivityKind.objects.create(name="Planlagd insats", slug="planlagd-insats")

    def activity(title, *, lead=police, **target):
        return Activity.objects.create(
            promise=promise, focus_area=focus_area, kind=kind, title=title, lead_organisation=lead, **target
        )

    counted = activity("Planlagda insatser", target_count=2, unit="insatser")
    places = activity("Trafikkontroller")
    places.target_places.set([district, second_district])
    continuous = activity("Kontakter med skolor", lead=municipality)
    continuous.partner_organisations.set([police])
    once = activity("Avloppsvattenmätning", lead=municipality, recurrence=Activity.Recurrence.ONCE)
    foreign_activity = Activity.objects.create(
        promise=foreign_promise, kind=kind, title="Eskilstunas insats", lead_organisation=foreign_police, target_count=1
    )

    return World(
        strangnas=strangnas,
        eskilstuna=eskilstuna,
        district=district,
        second_district=second_district,
        site=site,
        foreign_place=foreign_place,
        police_organisation=police,
        municipal_organisation=municipality,
        foreign_police_organisation=foreign_police,
        council=council,
        promise=promise,
        draft_promise=draft,
        foreign_promise=foreign_promise,
        focus_area=focus_area,
        count_activity=counted,
        places_activity=places,
        continuous_activity=continuous,
        once_activity=once,
        foreign_activity=foreign_activity,
        police_recorder=make_user("polis", organisation=police, role=Membership.Role.RECORDER),
        municipal_recorder=make_user("kommun", organisation=municipality, role=Membership.Role.RECORDER),
        coordinator=make_user("samordnare", organisation=municipality, role=Membership.Role.COORDINATOR),
        council_member=make_user("radsledamot", organisation=municipality, role=Membership.Role.COUNCIL),
        outsider=make_user("utomstaende", organisation=foreign_police, role=Membership.Role.COORDINATOR),
        administrator=make_user("admin", is_superuser=True),
    )


@dataclass
class SharedPromise:
    """Stenungsund, Orust and Tjörn's one promise: what a coordinator of one of them must not strip of the others."""

    stenungsund: Municipality
    orust: Municipality
    tjorn: Municipality
    stenungsund_organisation: Organisation  # "Stenungsunds kommun"
    tjorn_organisation: Organisation  # "Tjörns kommun"
    police_organisation: Organisation  # "Polisen Södra Bohuslän", serving all three
    stenungsund_place: Place
    tjorn_place: Place
    council: Council  # the joint council of all three
    promise: Promise  # signed, 2020, of all three
    stenungsund_activity: Activity  # led by Stenungsund's organisation, the police takes part, places in two
    tjorn_activity: Activity  # led by Tjörn's organisation
    tjorn_coordinator: object  # coordinates Tjörn only
    stenungsund_coordinator: object


@pytest.fixture
def shared(world):
    """A promise of three municipalities, with a coordinator of each of two (in addition to the world)."""
    stenungsund = Municipality.objects.create(name="Stenungsund", slug="stenungsund", code="1415")
    orust = Municipality.objects.create(name="Orust", slug="orust", code="1421")
    tjorn = Municipality.objects.create(name="Tjörn", slug="tjorn", code="1419")
    stenungsund_organisation = Organisation.objects.create(
        name="Stenungsunds kommun", kind=Organisation.Kind.MUNICIPALITY
    )
    stenungsund_organisation.municipalities.set([stenungsund])
    tjorn_organisation = Organisation.objects.create(name="Tjörns kommun", kind=Organisation.Kind.MUNICIPALITY)
    tjorn_organisation.municipalities.set([tjorn])
    police = Organisation.objects.create(name="Polisen Södra Bohuslän", kind=Organisation.Kind.POLICE)
    police.municipalities.set([stenungsund, orust, tjorn])
    stenungsund_place = Place.objects.create(municipality=stenungsund, name="Stenungsunds centrum")
    tjorn_place = Place.objects.create(municipality=tjorn, name="Skärhamn")
    council = Council.objects.create(name="Gemensamma brottsförebyggande rådet")
    council.municipalities.set([stenungsund, orust, tjorn])
    promise = Promise.objects.create(
        title="Medborgarlöfte 2020 Stenungsund, Orust och Tjörn",
        slug="sot-2020",
        year=2020,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        status=Promise.Status.SIGNED,
        signed_on=datetime.date(2020, 1, 15),
    )
    promise.municipalities.set([stenungsund, orust, tjorn])
    promise.signatories.set([stenungsund_organisation, tjorn_organisation, police])
    kind = world.count_activity.kind
    stenungsund_activity = Activity.objects.create(
        promise=promise,
        kind=kind,
        title="Trygghetsvandringar",
        lead_organisation=stenungsund_organisation,
        target_count=6,
        unit="vandringar",
    )
    stenungsund_activity.partner_organisations.set([police])
    stenungsund_activity.target_places.set([stenungsund_place, tjorn_place])
    tjorn_activity = Activity.objects.create(
        promise=promise, kind=kind, title="Föräldravandringar", lead_organisation=tjorn_organisation, target_count=4
    )
    return SharedPromise(
        stenungsund=stenungsund,
        orust=orust,
        tjorn=tjorn,
        stenungsund_organisation=stenungsund_organisation,
        tjorn_organisation=tjorn_organisation,
        police_organisation=police,
        stenungsund_place=stenungsund_place,
        tjorn_place=tjorn_place,
        council=council,
        promise=promise,
        stenungsund_activity=stenungsund_activity,
        tjorn_activity=tjorn_activity,
        tjorn_coordinator=make_user("tjorn", organisation=tjorn_organisation, role=Membership.Role.COORDINATOR),
        stenungsund_coordinator=make_user(
            "stenungsund", organisation=stenungsund_organisation, role=Membership.Role.COORDINATOR
        ),
    )


def seen_of(obj):
    """What an edit form guarded by history shows in its hidden field "seen" for ``obj`` as stored now."""
    from promises.forms import RefusesStaleEdits

    return RefusesStaleEdits.fingerprint_of_history(obj)
