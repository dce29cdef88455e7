"""Fuzzing (issue 7): every form and every address with parameters, as every persona.

Two promises hold whatever the input: no request is answered with a 5xx, and no row in the database breaks
a rule of DESIGN.md §5. This module is the harness the fuzz tests share:

- :func:`build_scene` adds to the ``world`` of tests/conftest.py what the forms act on: records in every
  state, a published (so locked) first tertial, draft reports, indicators and planned events.
- :func:`isolated` runs one Hypothesis example in a savepoint that is rolled back, with a fresh client
  logged in as the persona; :class:`Visit` checks every response and every rule after each request.
- :func:`rule_violations` is the list of rules, checked over every row of the database, not only the
  rows the request touched.

The strategies are in :mod:`tests.fuzz.strategies`.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import hypothesis
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis.control import currently_in_test_context

from activities.models import Activity, ActivityKind, ActivityRecord, PlannedEvent
from followup import services
from followup.models import Assessment, Council, Indicator, IndicatorValue, Publication, TertialReport
from followup.tertials import Tertial, tertials_between
from promises import memberships
from promises.models import (
    FocusArea,
    Invitation,
    Membership,
    Municipality,
    Organisation,
    Place,
    Promise,
    PromiseLinkRequest,
)
from promises.privacy import find_identity_numbers
from tests.conftest import make_record

T1, T2, T3 = Tertial(2020, 1), Tertial(2020, 2), Tertial(2020, 3)
MEETING = datetime.date(2020, 5, 20)


# --- The scene ------------------------------------------------------------------------------------------------


@dataclass
class Scene:
    world: object
    record: ActivityRecord  # T2, the police recorder's own, open
    locked_record: ActivityRecord  # T1: its tertial's report is published
    voided_record: ActivityRecord
    municipal_record: ActivityRecord  # the municipal recorder's, T2
    places_record: ActivityRecord  # T3, at a target place
    foreign_record: ActivityRecord
    published: TertialReport  # T1
    draft_report: TertialReport  # T2
    last_draft: TertialReport  # T3, the period's last tertial: with verdicts
    foreign_draft: TertialReport
    indicator: Indicator
    foreign_indicator: Indicator
    past_event: PlannedEvent
    upcoming_event: PlannedEvent
    foreign_event: PlannedEvent
    link_request: PromiseLinkRequest  # Strängnäs asks Eskilstuna to make its 2021 draft together
    # The database as every example finds it (each rolls back what it did): taken once, not per example.
    initial_state: "State | None" = None

    def __getattr__(self, name):
        # The world's objects and personas, as scene.promise or scene.coordinator.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.world, name)

    def user(self, persona):
        return getattr(self.world, persona) if persona else None


def build_scene(world):
    """Records, reports, indicators and events on top of ``world``; T1 2020 of the promise is published.

    The scene itself keeps every rule: a test that finds a broken one has found what a request did.
    """
    scene = _build_scene(world)
    scene.initial_state = State.take()
    problems = rule_violations(scene.initial_state, scene.initial_state, actor=None)
    assert not problems, f"the scene breaks rules before any request: {problems}"
    return scene


def _build_scene(world):
    police, municipal = world.police_recorder, world.municipal_recorder
    locked_record = make_record(
        world.count_activity, by=police, occurred_on=datetime.date(2020, 3, 10), place=world.district, summary="Insats"
    )
    record = make_record(world.count_activity, by=police, occurred_on=datetime.date(2020, 6, 10), summary="Skolbesök")
    voided_record = make_record(world.count_activity, by=police, occurred_on=datetime.date(2020, 9, 15), voided=True)
    municipal_record = make_record(world.continuous_activity, by=municipal, occurred_on=datetime.date(2020, 7, 1))
    places_record = make_record(
        world.places_activity, by=police, occurred_on=datetime.date(2020, 10, 1), place=world.second_district
    )
    foreign_record = make_record(world.foreign_activity, by=world.outsider, occurred_on=datetime.date(2020, 3, 1))

    published = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    published = services.report_submit(report=published, revision=published.revision, by=world.coordinator)
    published = services.report_approve(
        report=published, revision=published.revision, by=world.council_member, meeting_date=MEETING
    )
    published = services.report_publish(report=published, revision=published.revision, by=world.coordinator)
    draft = services.report_create(promise=world.promise, tertial=T2, by=world.coordinator)
    last_draft = services.report_create(promise=world.promise, tertial=T3, by=world.coordinator)
    foreign_draft = services.report_create(promise=world.foreign_promise, tertial=T1, by=world.outsider)

    indicator = Indicator.objects.create(promise=world.promise, name="Anmälda narkotikabrott", unit="brott")
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=12)
    IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2020, 6, 1), value=3)
    foreign_indicator = Indicator.objects.create(promise=world.foreign_promise, name="Inbrott", unit="brott")

    now = timezone.now()

    def event(activity, title, starts_at):
        return PlannedEvent.objects.create(
            activity=activity,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            created_by=world.coordinator if activity.promise_id == world.promise.pk else world.outsider,
        )

    return Scene(
        world=world,
        record=record,
        locked_record=locked_record,
        voided_record=voided_record,
        municipal_record=municipal_record,
        places_record=places_record,
        foreign_record=foreign_record,
        published=published,
        draft_report=draft,
        last_draft=last_draft,
        foreign_draft=foreign_draft,
        indicator=indicator,
        foreign_indicator=foreign_indicator,
        past_event=event(world.continuous_activity, "Trygghetsvandring", now - datetime.timedelta(days=3)),
        upcoming_event=event(world.count_activity, "Föräldramöte", now + datetime.timedelta(days=7)),
        foreign_event=event(world.foreign_activity, "Torshälla-vandring", now + datetime.timedelta(days=7)),
        link_request=PromiseLinkRequest.objects.create(
            promise=world.draft_promise, municipality=world.eskilstuna, requested_by=world.coordinator
        ),
    )


# --- The state of the database --------------------------------------------------------------------------------

User = get_user_model()

# Every model a request may write to, with the fields left out of the comparison: a log-in sets last_login.
# Fields left out of the comparison: data versions are cache tokens that every write renews (a new place renews
# every municipality's), not data a person changed.
TRACKED = {
    Municipality: ("data_version",),
    Place: (),
    Organisation: (),
    Membership: (),
    Promise: ("data_version",),
    FocusArea: (),
    ActivityKind: (),
    Activity: (),
    ActivityRecord: (),
    PlannedEvent: (),
    Council: (),
    TertialReport: (),
    Publication: (),
    Assessment: (),
    Indicator: (),
    IndicatorValue: (),
    PromiseLinkRequest: (),
    Invitation: ("token_hash",),
    User: ("last_login",),
}


def _rows(model, skipped):
    """{pk: (concrete field values..., sorted ids of each many-to-many relation...)}."""
    fields = [field.attname for field in model._meta.concrete_fields if field.attname not in skipped]
    rows = {values[0]: list(values) for values in model.objects.order_by("pk").values_list("pk", *fields)}
    for relation in model._meta.many_to_many:
        through = relation.remote_field.through
        links = {}
        for owner, target in through.objects.values_list(
            f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"
        ):
            links.setdefault(owner, []).append(target)
        for pk, row in rows.items():
            row.append(tuple(sorted(links.get(pk, ()))))
    return {pk: tuple(row) for pk, row in rows.items()}


@dataclass(frozen=True)
class State:
    rows: dict  # model -> {pk: row}
    locks: frozenset  # {(promise id, year, number)} of approved or published reports
    records_by_tertial: dict  # (promise id, year, number) -> frozenset of record rows dated in that tertial

    @classmethod
    def take(cls):
        rows = {model: _rows(model, skipped) for model, skipped in TRACKED.items()}
        locks = frozenset(
            TertialReport.objects.approved_or_published().values_list("promise_id", "year", "number").order_by()
        )
        promise_of = dict(Activity.objects.values_list("pk", "promise_id"))
        by_tertial = {}
        for record in ActivityRecord.objects.only("pk", "activity_id", "occurred_on").order_by():
            tertial = Tertial.containing(record.occurred_on)
            key = (promise_of[record.activity_id], tertial.year, tertial.number)
            by_tertial.setdefault(key, set()).add(rows[ActivityRecord][record.pk])
        return cls(rows, locks, {key: frozenset(value) for key, value in by_tertial.items()})

    def changes_since(self, before):
        """[(model, pk)] of every row added, changed or deleted since ``before``."""
        changed = []
        for model, rows in self.rows.items():
            old = before.rows[model]
            changed += [(model, pk) for pk, row in rows.items() if old.get(pk) != row]
            changed += [(model, pk) for pk in old if pk not in rows]
        return changed


# --- The rules ------------------------------------------------------------------------------------------------


def _municipalities_of(model, pk):
    """The municipality ids a row belongs to, or None for rows that belong to none (kinds, users) or are gone."""
    if (model not in _PROMISE_OF and model not in _MUNICIPALITIES_OF) or not model.objects.filter(pk=pk).exists():
        return None
    if model in _MUNICIPALITIES_OF:
        return set(_MUNICIPALITIES_OF[model](pk))
    promise_id = model.objects.filter(pk=pk).values_list(_PROMISE_OF[model], flat=True).get()
    return set(
        Promise.municipalities.through.objects.filter(promise_id=promise_id).values_list("municipality_id", flat=True)
    )


_MUNICIPALITIES_OF = {
    Municipality: lambda pk: [pk],
    Place: lambda pk: Place.objects.filter(pk=pk).values_list("municipality_id", flat=True),
    Organisation: lambda pk: Organisation.municipalities.through.objects.filter(organisation_id=pk).values_list(
        "municipality_id", flat=True
    ),
    Council: lambda pk: Council.municipalities.through.objects.filter(council_id=pk).values_list(
        "municipality_id", flat=True
    ),
    Membership: lambda pk: Organisation.municipalities.through.objects.filter(organisation__memberships=pk).values_list(
        "municipality_id", flat=True
    ),
    Invitation: lambda pk: Organisation.municipalities.through.objects.filter(organisation__invitations=pk).values_list(
        "municipality_id", flat=True
    ),
    # A request to share a promise belongs to the promise's municipalities and to the one it asks.
    PromiseLinkRequest: lambda pk: [
        *Promise.municipalities.through.objects.filter(promise__link_requests=pk).values_list(
            "municipality_id", flat=True
        ),
        *PromiseLinkRequest.objects.filter(pk=pk).values_list("municipality_id", flat=True),
    ],
}
# The lookup from a row to the promise whose municipalities it belongs to.
_PROMISE_OF = {
    Promise: "pk",
    FocusArea: "promise_id",
    Activity: "promise_id",
    Indicator: "promise_id",
    TertialReport: "promise_id",
    ActivityRecord: "activity__promise_id",
    PlannedEvent: "activity__promise_id",
    Assessment: "report__promise_id",
    Publication: "report__promise_id",
    IndicatorValue: "indicator__promise_id",
}


def _scope_of(user):
    """(is administrator, ids of the municipalities the user works for in any role)."""
    if user is None:
        return False, set()
    if user.is_superuser:
        return True, set()
    municipality_ids = Organisation.municipalities.through.objects.filter(
        organisation__memberships__user=user
    ).values_list("municipality_id", flat=True)
    return False, set(municipality_ids)


def _may_log(user, activity):
    """Whether ``user`` may have logged a record of ``activity``: a recorder of an organisation taking part,
    a coordinator of one of the promise's municipalities, or an administrator. Written from DESIGN.md §2/§5,
    not with the portal's own queries."""
    if user.is_superuser:
        return True
    promise_municipalities = set(activity.promise.municipalities.values_list("pk", flat=True))
    memberships = Membership.objects.filter(user=user).prefetch_related("organisation__municipalities")
    taking_part = {activity.lead_organisation_id, *activity.partner_organisations.values_list("pk", flat=True)}
    for membership in memberships:
        serves = {municipality.pk for municipality in membership.organisation.municipalities.all()}
        if not serves & promise_municipalities:
            continue
        if membership.role == Membership.Role.COORDINATOR:
            return True
        if membership.role == Membership.Role.RECORDER and membership.organisation_id in taking_part:
            return True
    return False


def _identity_numbers_in(label, texts):
    return [f"{label} holds a personal identity number: {text[:80]!r}" for text in texts if find_identity_numbers(text)]


def rule_violations(before, after, *, actor):
    """Every rule of DESIGN.md §5 (and the models' own invariants) that the database breaks now."""
    today = timezone.localdate()
    problems = []

    promise_municipalities = {}
    for promise_id, municipality_id in Promise.municipalities.through.objects.values_list(
        "promise_id", "municipality_id"
    ):
        promise_municipalities.setdefault(promise_id, set()).add(municipality_id)
    place_municipality = dict(Place.objects.values_list("pk", "municipality_id"))

    # Records: inside the period, not in the future, at least 1, at a place of the promise, by someone.
    for record in ActivityRecord.objects.select_related("activity__promise"):
        promise = record.activity.promise
        where = f"record {record.pk} ({record.occurred_on}, quantity {record.quantity})"
        if not promise.period_start <= record.occurred_on <= promise.period_end:
            problems.append(f"{where} lies outside its promise's period {promise.period_start}..{promise.period_end}")
        if record.occurred_on > today:
            problems.append(f"{where} is dated in the future")
        if record.quantity < 1:
            problems.append(f"{where} has a quantity below 1")
        if record.place_id and place_municipality[record.place_id] not in promise_municipalities.get(promise.pk, ()):
            problems.append(f"{where} is at place {record.place_id}, outside the promise's municipalities")
        if not record.recorded_by_id:
            problems.append(f"{where} has no recorder")
        voided = (record.voided_at is not None, record.voided_by_id is not None, bool(record.void_reason.strip()))
        if voided not in ((False, False, False), (True, True, True)):
            problems.append(f"{where} is half voided: {voided}")
        problems += _identity_numbers_in(where, (record.summary, record.place_text, record.void_reason))

    # Records added or changed by this request: of an activity the recorder's organisation takes part in.
    changed = after.changes_since(before)
    for model, pk in changed:
        if model is ActivityRecord and pk not in before.rows[ActivityRecord]:
            record = ActivityRecord.objects.filter(pk=pk).select_related("activity__promise", "recorded_by").first()
            if record is not None and not _may_log(record.recorded_by, record.activity):
                problems.append(f"record {pk} was logged by {record.recorded_by} for an activity outside their scope")

    # Locked tertials: nothing dated in them is created, changed or voided while the report stays approved.
    for key in before.locks & after.locks:
        if before.records_by_tertial.get(key, frozenset()) != after.records_by_tertial.get(key, frozenset()):
            promise_id, year, number = key
            problems.append(f"records of promise {promise_id} in locked tertial T{number} {year} changed")

    # Reports and their assessments.
    for report in TertialReport.objects.select_related("promise"):
        where = f"report {report.pk} ({report.tertial.code}, {report.status})"
        promise = report.promise
        if report.tertial not in tertials_between(promise.period_start, promise.period_end):
            problems.append(f"{where} is for a tertial outside its promise's period")
        locked = report.status in (TertialReport.Status.APPROVED, TertialReport.Status.PUBLISHED)
        if locked and (report.approved_at is None or report.meeting_date is None):
            problems.append(f"{where} is approved without a meeting date and time")
        if report.meeting_date and report.meeting_date > today:
            problems.append(f"{where} was approved at a meeting in the future")
        if report.status == TertialReport.Status.PUBLISHED and report.published_at is None:
            problems.append(f"{where} is published without a date")
        problems += _identity_numbers_in(where, (report.summary, report.return_comment, report.correction_reason))
    seen = set()
    for assessment in Assessment.objects.select_related("report", "activity"):
        where = f"assessment {assessment.pk} of report {assessment.report_id}"
        key = (assessment.report_id, assessment.activity_id)
        if key in seen:
            problems.append(f"report {assessment.report_id} has two assessments of activity {assessment.activity_id}")
        seen.add(key)
        if assessment.activity.promise_id != assessment.report.promise_id:
            problems.append(f"{where} assesses an activity of another promise")
        if assessment.verdict not in ("", Assessment.Verdict.KEPT) and not assessment.verdict_reason:
            problems.append(f"{where} has the verdict {assessment.verdict} without a reason")
        if assessment.status and not assessment.comment:
            problems.append(f"{where} has the chosen status {assessment.status} without a comment")
        problems += _identity_numbers_in(where, (assessment.comment, assessment.verdict_explanation))

    # Published editions: never changed or removed once published, numbered from 1, a correction with its reason.
    for pk, row in before.rows[Publication].items():
        if after.rows[Publication].get(pk) != row:
            problems.append(f"publication {pk} was changed or removed after it was published")
    for publication in Publication.objects.all():
        if publication.edition > 1 and not publication.reason:
            problems.append(f"publication {publication.pk} corrects without a reason")

    # Indicators and their values.
    for indicator in Indicator.objects.all():
        texts = (indicator.name, indicator.unit, indicator.source)
        problems += _identity_numbers_in(f"indicator {indicator.pk}", texts)
    for value in IndicatorValue.objects.select_related("indicator__promise"):
        promise = value.indicator.promise
        where = f"indicator value {value.pk}"
        if (value.year is None) == (value.measured_on is None) or (value.year is None) != (value.number is None):
            problems.append(f"{where} is for both or neither of a tertial and a date")
        if value.measured_on is not None:
            if value.measured_on > today:
                problems.append(f"{where} is measured in the future")
            # A value before the period is the baseline; after it, it belongs to no report.
            if value.measured_on > promise.period_end:
                problems.append(f"{where} is measured after the promise's period")
        if value.year is not None:
            tertial = Tertial(value.year, value.number)
            if tertial not in tertials_between(promise.period_start, promise.period_end):
                problems.append(f"{where} is for {tertial.code}, outside the promise's period")
            if tertial.start > today:
                problems.append(f"{where} is for {tertial.code}, which has not begun")
        problems += _identity_numbers_in(where, (value.note,))

    # Planned events.
    for event in PlannedEvent.objects.select_related("activity"):
        where = f"event {event.pk}"
        if event.ends_at <= event.starts_at:
            problems.append(f"{where} ends before it starts")
        municipalities = promise_municipalities.get(event.activity.promise_id, ())
        if event.place_id and place_municipality[event.place_id] not in municipalities:
            problems.append(f"{where} is at a place outside its promise's municipalities")
        problems += _identity_numbers_in(where, (event.title, event.description, event.place_text))

    # Promises, activities, places.
    for promise in Promise.objects.all():
        where = f"promise {promise.pk} ({promise.title[:40]!r})"
        if promise.period_end < promise.period_start:
            problems.append(f"{where} ends before it starts")
        if not 2000 <= promise.year <= 2100:
            problems.append(f"{where} has the year {promise.year}")
    for activity in Activity.objects.select_related("focus_area").prefetch_related("target_places"):
        where = f"activity {activity.pk} ({activity.title[:40]!r})"
        if activity.focus_area and activity.focus_area.promise_id != activity.promise_id:
            problems.append(f"{where} is in a focus area of another promise")
        if activity.target_count is not None and activity.target_count < 1:
            problems.append(f"{where} has the target {activity.target_count}")
        municipalities = promise_municipalities.get(activity.promise_id, ())
        for place in activity.target_places.all():
            if place.municipality_id not in municipalities:
                problems.append(f"{where} targets place {place.pk}, outside its promise's municipalities")
    for place in Place.objects.select_related("parent"):
        if place.parent_id and (place.kind != Place.Kind.SITE or place.parent.municipality_id != place.municipality_id):
            problems.append(f"place {place.pk} has a district it cannot have")

    # Four eyes: nobody approved a report they submitted.
    for report_id, approved_by, submitted_by in TertialReport.objects.values_list("pk", "approved_by", "submitted_by"):
        if approved_by is not None and approved_by == submitted_by:
            problems.append(f"report {report_id} was approved by the person who submitted it")

    # What an approved report locks: its activities' promise and target, its promise's period over the tertial.
    locked_promises = {promise_id for promise_id, _year, _number in before.locks & after.locks}
    for pk, row in after.rows[Activity].items():
        old = before.rows[Activity].get(pk)
        if old is None or _field(Activity, old, "promise_id") not in locked_promises:
            continue
        for name in ("promise_id", "target_count", "unit", "recurrence", "target_places"):
            if _field(Activity, old, name) != _field(Activity, row, name):
                problems.append(f"activity {pk}'s {name} changed while a report of its promise stays approved")
    for promise_id, year, number in before.locks & after.locks:
        old, new = before.rows[Promise].get(promise_id), after.rows[Promise].get(promise_id)
        if old is None or new is None:
            continue
        tertial = Tertial(year, number)
        inside_before = (
            max(_field(Promise, old, "period_start"), tertial.start),
            min(_field(Promise, old, "period_end"), tertial.end),
        )
        if not _field(Promise, new, "period_start") <= inside_before[0] or not inside_before[1] <= _field(
            Promise, new, "period_end"
        ):
            problems.append(f"promise {promise_id}'s period moved the approved {tertial.code}")

    # Memberships: nobody gave themselves a role, and every role given was the giver's to give (DESIGN §2).
    for model, pk in changed:
        if model is not Membership or pk not in after.rows[Membership]:
            continue
        membership = Membership.objects.select_related("organisation", "user").get(pk=pk)
        if actor is not None and membership.user_id == actor.pk:
            problems.append(f"{actor} gave themselves the role {membership.role} in {membership.organisation}")
        elif actor is not None and memberships.refusal(
            by=actor, organisation=membership.organisation, role=membership.role, to_user=membership.user
        ):
            problems.append(f"{actor} gave the role {membership.role} in {membership.organisation}, not theirs to give")

    # Scope: what a request changed lies in the municipalities its user works for (anything, for administrators).
    # A row of a promise (or a council) of several municipalities is in scope when one of them is the user's: a
    # shared promise is worked on by each of its municipalities' coordinators.
    is_administrator, scope = _scope_of(actor)
    if not is_administrator:
        for model, pk in changed:
            if model is User:
                continue
            if actor is None:
                problems.append(f"an anonymous request changed {model.__name__} {pk}")
                continue
            municipalities = _municipalities_of(model, pk)
            shared = model in _PROMISE_OF or model in (Council, PromiseLinkRequest)
            inside = bool(municipalities & scope) if shared else municipalities <= scope if municipalities else True
            if municipalities is not None and not inside:
                problems.append(
                    f"{actor} changed {model.__name__} {pk} of municipalities {sorted(municipalities)}, "
                    f"outside their scope {sorted(scope)}"
                )
    return problems


def _field(model, row, name):
    """A field of a row as _rows made it: the pk, the concrete fields, then each many-to-many's sorted ids."""
    skipped = TRACKED[model]
    names = ["pk", *(field.attname for field in model._meta.concrete_fields if field.attname not in skipped)]
    names += [relation.name for relation in model._meta.many_to_many]
    return row[names.index(name)]


# --- One example ----------------------------------------------------------------------------------------------


def _describe(response):
    body = b"" if getattr(response, "streaming", False) else response.content
    return f"{response.status_code} {response.get('Location', '')} {body[:600]!r}"


class Visit:
    """One persona's requests in one example; every response and every rule is checked as it comes."""

    def __init__(self, scene, persona, state=None):
        self.scene = scene
        self.persona = persona
        self.user = scene.user(persona)
        self.client = Client()
        if self.user is not None:
            self.client.force_login(self.user)
        self.start = self.state = state or State.take()

    def request(self, method, url, data=None, *, checked=True, **extra):
        """One request; ``checked=False`` checks only the status (for long runs of GETs, which change nothing:
        the caller then asserts that with :meth:`assert_nothing_changed`)."""
        what = f"{method.upper()} {url} as {self.persona or 'anonymous'} with {data!r:.2000}"
        try:
            response = getattr(self.client, method)(url, data, **extra)
        except Exception as error:
            # The test client re-raises what the view raised: the 500 a visitor would get.
            raise AssertionError(f"{what} raised {error!r} (a 500)") from error
        assert response.status_code < 500, f"{what} answered {_describe(response)}"
        if not checked:
            return response
        after = State.take()
        changed = after.changes_since(self.state)
        # The rules held before (see :func:`assert_rules_hold`); a request that changed nothing cannot break them.
        if changed:
            problems = rule_violations(self.state, after, actor=self.user)
            assert not problems, f"{what} left the database breaking rules: {problems}"
        if currently_in_test_context():
            # Shown by --hypothesis-show-statistics: how often examples were refused, saved, or changed nothing.
            models = sorted({model.__name__ for model, _pk in changed})
            hypothesis.event(f"{method.upper()} {response.status_code}, changed: {', '.join(models) or 'nothing'}")
        self.state = after
        return response

    def resync(self):
        """Catch up with rows changed by another persona's requests, so that they are not charged to this one."""
        self.state = State.take()

    def get(self, url, data=None, **extra):
        return self.request("get", url, data, **extra)

    def post(self, url, data=None, **extra):
        return self.request("post", url, data, **extra)

    def assert_nothing_changed(self, why):
        changed = State.take().changes_since(self.start)
        assert not changed, f"{why}, yet rows changed: {changed}"

    def assert_refused(self, response, why):
        """A persona without access: sent to log in (302), or 403/404; and nothing changed."""
        assert response.status_code in (302, 400, 403, 404, 405), f"{why}: answered {_describe(response)}"
        self.assert_nothing_changed(why)


@contextmanager
def rolled_back():
    """A savepoint rolled back at the end, so one example's rows never reach the next.

    The cache is emptied before and after as well: the API's throttle counts anonymous requests there, and
    neither the next example nor the next test module should find itself throttled by this one.
    """
    cache.clear()
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        cache.clear()


@contextmanager
def isolated(scene, persona):
    """A :class:`Visit` whose writes are rolled back when the example ends, whatever it did."""
    with rolled_back():
        yield Visit(scene, persona, scene.initial_state)


def is_local_redirect(response):
    """Whether a redirect stays on the portal: no other host, no other scheme."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return True
    location = response["Location"]
    parts = urlsplit(location)
    return parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver") and "\\" not in location[:3]


def seen_by_form(obj):
    """The version an edit form of the workspace shows of a promise or an activity (its hidden field "seen")."""
    from django.contrib.auth import get_user_model

    from activities.forms import ActivityForm
    from activities.models import Activity as ActivityModel
    from promises.forms import PromiseForm, SignedPromiseForm

    administrator = get_user_model().objects.filter(is_superuser=True).first()
    if isinstance(obj, ActivityModel):
        form = ActivityForm(instance=obj, promise=obj.promise, user=administrator)
    elif obj.status == Promise.Status.DRAFT:
        form = PromiseForm(instance=obj, user=administrator)
    else:
        form = SignedPromiseForm(instance=obj)
    return form["seen"].initial
