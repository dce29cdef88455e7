"""The generate_national command: a small copy of the national data set with the full one's shape."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from activities.models import Activity, ActivityKind, ActivityRecord, PlannedEvent
from followup.models import Assessment, Council, Indicator, IndicatorValue, TertialReport
from followup.progress import Status
from followup.snapshot import ActivitySnapshot, Snapshot
from followup.tertials import Period, Tertial
from promises.models import FocusArea, Membership, Municipality, Organisation, Place, Promise
from seeding.strangnas import ACTIVITY_KINDS

SMALL = ["--scale", "0.01", "--years", "3", "--seed", "7", "--quiet"]

# The keys of followup.services.snapshot_of, at the top and for each activity.
SNAPSHOT_KEYS = set(Snapshot().to_dict())
SNAPSHOT_ACTIVITY_KEYS = set(ActivitySnapshot(id=1, title="").to_dict())


def _generate(*arguments):
    call_command("generate_national", *SMALL, *arguments)


def _digest():
    """A digest of the rows that matter, ids included: equal digests mean equal data.

    Rows of through tables are compared without their ids, which the database hands out.
    """
    tables = [
        Municipality.objects.values_list("pk", "name", "slug", "code"),
        Place.objects.values_list("pk", "municipality", "name", "kind", "parent"),
        Organisation.objects.values_list("pk", "name", "kind"),
        Organisation.municipalities.through.objects.values_list("organisation", "municipality"),
        Promise.objects.values_list("pk", "slug", "title", "year", "period_start", "period_end", "signed_on", "status"),
        Promise.municipalities.through.objects.values_list("promise", "municipality"),
        # Kinds by slug: they are looked up or created, so their ids follow the database's sequence.
        Activity.objects.values_list(
            "pk", "promise", "kind__slug", "title", "target_count", "recurrence", "lead_organisation"
        ),
        Activity.target_places.through.objects.values_list("activity", "place"),
        ActivityRecord.objects.values_list(
            "pk", "activity", "occurred_on", "place", "quantity", "summary", "recorded_by", "created_at", "voided_at"
        ),
        ActivityRecord.participating_organisations.through.objects.values_list("activityrecord", "organisation"),
        TertialReport.objects.values_list("pk", "promise", "year", "number", "status", "approved_at", "snapshot"),
        Assessment.objects.values_list("pk", "report", "activity", "status", "verdict", "verdict_reason"),
        IndicatorValue.objects.values_list("pk", "indicator", "year", "number", "value"),
        PlannedEvent.objects.values_list("pk", "uid", "activity", "starts_at", "cancelled_at", "record"),
        get_user_model().objects.values_list("pk", "username", "first_name", "last_name"),
        Membership.objects.values_list("user", "organisation", "role"),
    ]
    digest = hashlib.sha256()
    for rows in tables:
        for row in rows.order_by(*rows._fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def generated(db):
    _generate()


def test_it_fills_every_table(generated):
    for model in [Municipality, Place, Organisation, Council, Membership, Promise, FocusArea, Activity, ActivityRecord]:
        assert model.objects.exists(), model
    for model in [TertialReport, Assessment, Indicator, IndicatorValue, PlannedEvent]:
        assert model.objects.exists(), model
    assert Municipality.objects.count() == 3
    assert ActivityKind.objects.filter(slug__in=ACTIVITY_KINDS).count() == len(ACTIVITY_KINDS)


def test_it_gives_every_municipality_districts_sites_organisations_a_council_and_people(generated):
    for municipality in Municipality.objects.all():
        assert 3 <= municipality.places.filter(kind=Place.Kind.DISTRICT).count() <= 5
        assert 1 <= municipality.places.filter(kind=Place.Kind.SITE, parent__municipality=municipality).count() <= 3
        kinds = set(municipality.organisations.values_list("kind", flat=True))
        assert {Organisation.Kind.POLICE, Organisation.Kind.MUNICIPALITY} <= kinds
        assert municipality.councils.count() == 1
        roles = Membership.objects.filter(organisation__municipalities=municipality).values_list("role", flat=True)
        assert set(roles) == set(Membership.Role)
        assert len(municipality.code) == 4 and municipality.code.isdigit() and municipality.code != "0486"
        assert municipality.slug.isascii()
    # The first police area covers two municipalities.
    assert Organisation.objects.filter(kind="police").annotate(n=Count("municipalities")).filter(n__gte=2).exists()


def test_it_has_one_activity_of_every_target_type_in_each_signed_promise(generated):
    for promise in Promise.objects.public():
        activities = promise.activities.annotate(places=Count("target_places"))
        assert activities.filter(target_count__isnull=False, places=0).exists(), "count only"
        assert activities.filter(target_count__isnull=True, places__gt=0).exists(), "places only"
        assert activities.filter(target_count__isnull=False, places__gt=0).exists(), "count and places"
        assert activities.filter(target_count__isnull=True, places=0, recurrence="continuous").exists()
        assert activities.filter(target_count__isnull=True, places=0, recurrence="once").exists()
        assert 1 <= promise.focus_areas.count() <= 3


def test_it_makes_promises_of_every_shape(generated):
    today = timezone.localdate()
    spanning = Promise.objects.filter(period_end__year=F("year") + 1, period_start__year=F("year"))
    assert spanning.exists()
    assert Promise.objects.annotate(n=Count("municipalities")).filter(n=2).exists()
    assert Promise.objects.exclude(period_start__month=1, period_start__day=1).filter(signed_on=F("period_start"))
    assert Promise.objects.filter(status="draft", year=today.year + 1, signed_on__isnull=True).exists()
    assert set(Promise.objects.filter(year__lt=today.year - 1).values_list("status", flat=True)) == {"closed"}
    assert Promise.objects.filter(status="signed", year=today.year).exists()


def test_it_keeps_records_inside_their_promise_period_and_in_the_past(generated):
    records = ActivityRecord.objects.all()
    assert not records.filter(occurred_on__gte=timezone.localdate()).exists()
    assert not records.filter(
        Q(occurred_on__lt=F("activity__promise__period_start")) | Q(occurred_on__gt=F("activity__promise__period_end"))
    ).exists()
    assert not records.filter(created_at__gte=timezone.now()).exists()
    assert not records.filter(quantity__lt=1).exists() and not records.filter(quantity__gt=5).exists()
    assert not records.filter(submission_key__isnull=False).exists()
    assert not records.filter(activity__promise__status="draft").exists()
    # Records of place targets are at one of the target places.
    for record in records.filter(activity__target_places__isnull=False).distinct()[:50]:
        assert record.activity.target_places.filter(pk=record.place_id).exists()


def test_it_voids_some_records_with_who_when_and_why(generated):
    voided = ActivityRecord.objects.voided()
    assert voided.exists()
    assert not voided.filter(Q(voided_by__isnull=True) | Q(void_reason="") | Q(voided_at__lt=F("created_at"))).exists()
    assert not ActivityRecord.objects.active().filter(Q(voided_by__isnull=False) | ~Q(void_reason="")).exists()


def test_it_makes_reports_in_every_state(generated):
    assert set(TertialReport.objects.values_list("status", flat=True)) == set(TertialReport.Status)
    locked = TertialReport.objects.approved_or_published()
    assert not locked.filter(Q(approved_by__isnull=True) | Q(meeting_date__isnull=True)).exists()
    assert not locked.filter(meeting_date__gte=timezone.localdate()).exists()
    assert not TertialReport.objects.published().filter(published_at__isnull=True).exists()
    for report in TertialReport.objects.all():
        assert report.tertial.end < timezone.localdate()
        assert report.assessments.count() == report.promise.activities.count()


def test_it_freezes_snapshots_in_the_shape_of_snapshot_of(generated):
    for report in TertialReport.objects.exclude(status="draft"):
        snapshot = report.snapshot
        assert set(snapshot) == SNAPSHOT_KEYS
        assert snapshot["period"]["code"] == report.tertial.code
        assert len(snapshot["activities"]) == report.promise.activities.count()
        for item in snapshot["activities"]:
            assert set(item) == SNAPSHOT_ACTIVITY_KEYS
            Status(item["computed_status"])
        # A status differs from the computed one only where the assessment chose it, with a comment.
        chosen = dict(report.assessments.exclude(status="").values_list("activity_id", "status"))
        assert all(report.assessments.exclude(status="").values_list("comment", flat=True))
        assert {
            item["id"]: item["status"] for item in snapshot["activities"] if item["status"] != item["computed_status"]
        } == {key: value for key, value in chosen.items() if value}
    assert not TertialReport.objects.filter(status="draft").exclude(snapshot={}).exists()


def test_its_snapshots_match_what_approval_would_freeze(generated):
    from followup.services import snapshot_of

    for report in TertialReport.objects.exclude(status="draft").select_related("council", "promise"):
        assert report.frozen.content() == snapshot_of(report).content()


def test_every_published_report_has_its_first_edition(generated):
    published = TertialReport.objects.published()
    assert published.exists()
    for report in published:
        assert list(report.publications.values_list("edition", "snapshot")) == [(1, report.snapshot)]


def test_it_gives_indicators_a_value_per_past_tertial(generated):
    today = timezone.localdate()
    for indicator in Indicator.objects.exclude(promise__status="draft"):
        assert 1 <= indicator.promise.indicators.count() <= 3
        promise = indicator.promise
        past = [t for t in Period(promise.period_start, promise.period_end).tertials() if t.end < today]
        assert [Tertial(v.year, v.number) for v in indicator.values.order_by("year", "number")] == past


def test_it_plans_events_of_current_promises(generated):
    events = PlannedEvent.objects.all()
    assert not events.exclude(activity__promise__status="signed").exists()
    assert not events.filter(ends_at__lte=F("starts_at")).exists()
    assert events.filter(starts_at__gt=timezone.now()).exists()
    for event in events.filter(record__isnull=False):
        assert event.record.activity_id == event.activity_id
        assert event.record.occurred_on == timezone.localtime(event.starts_at).date()


def test_its_users_can_log_in(generated):
    user = get_user_model().objects.get(username=f"samordnare-{Municipality.objects.order_by('code').first().code}")
    assert user.check_password("generated-password")
    assert user.is_active and not user.is_staff  # the admin is the administrators', not the coordinators'
    assert not get_user_model().objects.exclude(password=user.password).exists()


def test_it_is_deterministic(db):
    digests = []
    for _ in range(2):
        with transaction.atomic():
            _generate()
            digests.append(_digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
    with transaction.atomic():
        _generate("--seed", "8")
        assert _digest() != digests[0]
        transaction.set_rollback(True)


def test_it_refuses_a_database_that_already_has_data(generated):
    with pytest.raises(CommandError, match="already holds"):
        _generate()


def test_it_leaves_strangnas_alone(db):
    call_command("load_strangnas", stdout=StringIO())
    _generate()
    strangnas = Municipality.objects.get(code="0486")
    assert strangnas.promises.count() == 2
    assert Municipality.objects.count() == 4


def test_it_reports_progress(db):
    out = StringIO()
    call_command("generate_national", "--scale", "0.01", "--years", "2", stdout=out)
    assert "Kommuner 3/3" in out.getvalue()
    assert "poster" in out.getvalue()


def test_it_scales_down_to_two_municipalities_and_six_records(db):
    _generate("--scale", "0.0001")
    assert Municipality.objects.count() == 2
    assert set(TertialReport.objects.values_list("status", flat=True)) == set(TertialReport.Status)


def test_it_is_correct_on_any_day_of_the_year(db):
    """The first days of a year have no finished tertial in it: reports come from the year before."""
    from seeding.generator import Options, generate_national

    generate_national(
        Options(municipalities=2, years=2, records_per_activity=6, seed=3), today=datetime.date(2026, 1, 2)
    )
    assert not ActivityRecord.objects.filter(occurred_on__gt=datetime.date(2026, 1, 1)).exists()
    assert not TertialReport.objects.filter(year=2026).exists()
    assert TertialReport.objects.filter(year=2025, number=3).exists()
