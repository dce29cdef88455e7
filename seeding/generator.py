"""National-scale generated data: every municipality, ten years of promises, about two million records.

The benchmark of DESIGN.md §8 needs a database the size of Sweden. :func:`generate_national` fills one with
realistic, deterministic data: the same arguments on the same day give the same rows, ids included, because
everything is drawn from one ``random.Random(seed)`` in a fixed order and every id is handed out before the row
is written, counting on from the highest id already in each table.

How it stays fast:

* Rows are plain tuples, never model instances, handed to a :class:`seeding.copy_writer.TableWriter` that
  writes them in batches, with ``COPY`` on PostgreSQL; its docstring says why not with ``bulk_create``.
* Because the ids are known before anything is written, nothing has to be read back. Rows wait in memory and
  are written between municipalities, where every pending row's parents are pending or written too.
* Report snapshots are computed with the real progress rules (:mod:`followup.progress`) from the records
  still in memory, in exactly the shape of :func:`followup.services.snapshot_of`, instead of being read back.
* Everything is one transaction: a run that fails or is interrupted leaves nothing behind.

The words and names it draws from are in :mod:`seeding.names`.

Like any bulk insert, this writes no rows to the change-history tables of django-simple-history: generated
data has no history of edits, so its history starts empty.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from activities.models import Activity, ActivityKind
from followup.models import TertialReport
from followup.progress import (
    RecordFact,
    Status,
    Target,
    activity_progress,
    quantities_by_group,
    quantities_by_tertial,
)
from followup.snapshot import NO_PLACE, ActivitySnapshot, IndicatorSnapshot, PeriodSnapshot, Snapshot, ValueSnapshot
from followup.tertials import Period, Tertial
from promises.models import Membership, Municipality, Organisation, Place, Promise
from seeding.copy_writer import TableWriter
from seeding.names import (
    COUNCIL_NAMES,
    COUNT,
    COUNTY_CODES,
    DISTRICTS,
    EVENT_KINDS,
    EVENT_PLACE_TEXTS,
    FIRST_NAMES,
    FIRST_NUMBER,
    INDICATORS,
    LAST_NAMES,
    LAST_NUMBER,
    MAX_MUNICIPALITIES,
    MEAN_QUANTITY,
    MUNICIPAL,
    NAME_ENDINGS,
    NAME_PREFIXES,
    NAME_STARTS,
    ONCE,
    PLACE_TEXTS,
    POLICE,
    QUANTITIES,
    SITE_KINDS,
    SITES,
    SUMMARIES,
    TARGET_TYPE_WEIGHTS,
    TARGET_TYPES,
    THEMES,
    VOID_REASONS,
)
from seeding.strangnas import ACTIVITY_KINDS
from seeding.strangnas import MUNICIPALITY as STRANGNAS

__all__ = ["GENERATED_PASSWORD", "Generated", "GeneratorRefused", "Options", "ensure_empty", "generate_national"]

# Every generated user has this password; its hash is computed once and shared, since hashing once per user
# would take minutes at production strength.
GENERATED_PASSWORD = "generated-password"  # noqa: S105 - published on purpose: the data is made up

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class GeneratorRefused(Exception):
    """The database already holds data that generated data would mix with."""


@dataclass(frozen=True)
class Options:
    municipalities: int = 290
    years: int = 10
    records_per_activity: int = 60
    seed: int = 1

    @classmethod
    def scaled(cls, *, municipalities, years, records_per_activity, seed, scale):
        """``scale`` shrinks (or grows) the country but keeps its shape: at least 2 municipalities, 6 records."""
        return cls(
            municipalities=max(2, round(municipalities * scale)),
            years=years,
            records_per_activity=max(6, round(records_per_activity * scale)),
            seed=seed,
        )


def ensure_empty():
    """Refuses to mix generated data with real data: only Strängnäs (0486) may already be there."""
    others = Municipality.objects.exclude(code=STRANGNAS["code"])
    if others.exists():
        raise GeneratorRefused(
            f"The database already holds {others.count()} municipalities besides Strängnäs (0486), e.g. "
            f"{others.order_by('code').first()}. generate_national fills an empty database: create a new one "
            "(or flush this one) and run it again."
        )
    if Promise.objects.exclude(municipalities__code=STRANGNAS["code"]).exists():
        raise GeneratorRefused(
            "The database already holds promises that are not Strängnäs's. generate_national fills an empty "
            "database: create a new one (or flush this one) and run it again."
        )


@dataclass(frozen=True)
class Generated:
    counts: dict  # table key → rows written
    database_seconds: float  # of the run, the time spent in the database writing rows and analysing them


def generate_national(options: Options, *, progress: Callable | None = None, today=None) -> Generated:
    """Fills the database and says how many rows it wrote per table.

    ``progress(done, total, counts)`` is called after each municipality with the running row counts.
    ``today`` (default: the local date) decides which year is the current one and where records stop.
    """
    if not 2 <= options.municipalities <= MAX_MUNICIPALITIES:
        raise ValueError(f"Between 2 and {MAX_MUNICIPALITIES} municipalities, not {options.municipalities}.")
    if options.years < 1 or options.records_per_activity < 1:
        raise ValueError("At least one year and one record per activity.")
    ensure_empty()
    with transaction.atomic():
        writer = TableWriter()
        generator = _Generator(options, writer=writer, today=today or timezone.localdate())
        generator.run(progress=progress)
        writer.finish()
    writer.analyse()
    return Generated(counts=dict(writer.counts), database_seconds=writer.seconds)


# --- The country -----------------------------------------------------------------------------------------


@dataclass
class _Municipality:
    index: int
    id: int
    name: str
    slug: str
    code: str
    districts: list = field(default_factory=list)  # [(id, name)]
    sites: list = field(default_factory=list)  # [(id, name)]
    police: tuple = ()  # organisations: (id, name)
    municipal: tuple = ()
    others: list = field(default_factory=list)
    area: list = field(default_factory=list, repr=False)  # the municipalities of its police area
    council: int = 0
    council_name: str = ""
    coordinator: int = 0  # user ids
    police_recorder: int = 0
    municipal_recorder: int = 0
    council_member: int = 0


@dataclass
class _Slot:
    """One promise to generate: who, which year, which period."""

    municipalities: list  # of _Municipality, the first one "owns" the promise
    year: int
    start: datetime.date
    end: datetime.date
    signed_on: datetime.date | None
    status: str
    spanning: bool = False


@dataclass
class _Activity:
    id: int
    order: int
    title: str
    kind_slug: str
    kind_name: str
    unit: str
    target_count: int | None
    recurrence: str
    focus_area: tuple  # (id, order, title)
    lead: tuple  # (id, name, side)
    partners: list  # [(id, name)], sorted by name
    target_places: list  # [(id, name)], sorted by name
    planned: float  # records planned over the whole period
    facts: list = field(default_factory=list)  # RecordFacts of the non-voided records
    description: str = ""
    place_kind: str = ""  # "district" or "site" for a place target


class _Generator:
    def __init__(self, options, *, writer, today):
        self.options = options
        self.writer = writer
        self.today = today
        self.yesterday = today - datetime.timedelta(days=1)
        # Nothing generated happens after this moment, so the data is the same whenever during the day it is made.
        self.clock_end = datetime.datetime.combine(self.yesterday, datetime.time(22, 0), STOCKHOLM)
        self.last_year = today.year
        self.years = list(range(self.last_year - options.years + 1, self.last_year + 1))
        self.last_done = Tertial.containing(today).previous()
        # Reproducible made-up data, not secrets: a seeded generator is the point.
        self.rng = random.Random(options.seed)  # noqa: S311
        self.password = make_password(GENERATED_PASSWORD)
        self.kinds = {}
        self.forced_report_statuses = {1: [TertialReport.Status.DRAFT, TertialReport.Status.SUBMITTED],
                                       2: [TertialReport.Status.APPROVED]}  # fmt: skip

    def _data_version(self, kind, row_id):
        """A row's cache token (promises.versions): the same for the same run, new for another seed or day.

        Derived rather than drawn from ``rng``, so that adding it left every other generated value as it was.
        """
        return uuid.uuid5(uuid.NAMESPACE_URL, f"generate_national:{self.options.seed}:{self.today}:{kind}:{row_id}")

    def run(self, *, progress):
        # The same catalogue as load_strangnas, matched on the slug: slug → (id, name).
        for slug, name in ACTIVITY_KINDS.items():
            kind = ActivityKind.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            self.kinds[slug] = (kind.pk, kind.name)
        municipalities = self._country()
        slots = self._plan(municipalities)
        by_owner = {}
        for slot in slots:
            by_owner.setdefault(slot.municipalities[0].index, []).append(slot)
        for municipality in municipalities:
            for slot in by_owner.get(municipality.index, []):
                self._promise(slot)
            # Between municipalities every pending row's parents are pending or written too.
            self.writer.flush_if_full()
            if progress:
                progress(municipality.index + 1, len(municipalities), self.writer.counts + self._pending_counts())
        self.writer.flush()

    def _pending_counts(self):
        return Counter({key: len(rows) for key, rows in self.writer.pending.items()})

    # The country: municipalities, places, organisations, councils, people.

    def _names(self, count, *, taken):
        """``count`` distinct, plausible place names whose slugs are not in ``taken`` (which is extended)."""
        rng = self.rng
        names = []
        while len(names) < count:
            start, ending = rng.choice(NAME_STARTS), rng.choice(NAME_ENDINGS)
            if ending in start.lower() or start.lower() in ending:
                continue
            name = start + ending
            if rng.random() < 0.08:
                name = f"{rng.choice(NAME_PREFIXES)} {name}"
            slug = slugify(name)
            if slug in taken:
                continue
            taken.add(slug)
            names.append(name)
        return names

    def _country(self):
        writer = self.writer
        count = self.options.municipalities
        taken_slugs = set(Municipality.objects.values_list("slug", flat=True)) | {STRANGNAS["slug"]}
        taken_codes = set(Municipality.objects.values_list("code", flat=True))
        names = self._names(count, taken=taken_slugs)
        codes = self._codes(count, taken=taken_codes)
        municipalities = [
            _Municipality(index=i, id=writer.new_id("municipalities"), name=name, slug=slugify(name), code=code)
            for i, (name, code) in enumerate(zip(names, codes, strict=True))
        ]
        self._check_free_names(municipalities)
        for m in municipalities:
            writer.add("municipalities", (m.id, m.name, m.slug, m.code, self._data_version("municipality", m.id)))
            self._places(m)
        self._organisations(municipalities)
        self._people(municipalities)
        return municipalities

    def _codes(self, count, *, taken):
        """Four-digit codes spread over the counties in order, as real ones are (0114 … 2584)."""
        codes = []
        numbers = dict.fromkeys(COUNTY_CODES, FIRST_NUMBER)
        for i in range(count):
            county_index = i * len(COUNTY_CODES) // count
            while True:
                county = COUNTY_CODES[county_index]
                if numbers[county] > LAST_NUMBER:
                    county_index = (county_index + 1) % len(COUNTY_CODES)
                    continue
                code = f"{county}{numbers[county]:02d}"
                numbers[county] += 1
                if code not in taken:
                    break
            codes.append(code)
        return codes

    def _check_free_names(self, municipalities):
        """Organisation, council and user names must be free; they are unique and built from the names here."""
        user = get_user_model()
        prefixes = ("samordnare", "polis", "kommun", "radsledamot")
        usernames = [f"{prefix}-{m.code}" for m in municipalities for prefix in prefixes]
        clash = user.objects.filter(username__in=usernames).values_list("username", flat=True).first()
        if clash:
            raise GeneratorRefused(f"The user {clash} already exists: generate_national fills an empty database.")

    def _places(self, m):
        rng, writer = self.rng, self.writer
        count = rng.randint(3, 5)
        # The central town gives the municipality its name; the others are villages and parts of town.
        taken = {slugify(m.name)}
        for name in [m.name, *self._names(count - 1, taken=taken)]:
            place_id = writer.new_id("places")
            writer.add("places", (place_id, m.id, name, Place.Kind.DISTRICT, None))
            m.districts.append((place_id, name))
        for site_kind in rng.sample(SITE_KINDS, rng.randint(1, 3)):
            district_id, district = m.districts[0] if rng.random() < 0.6 else rng.choice(m.districts)
            place_id = writer.new_id("places")
            name = f"{district} {site_kind}"
            writer.add("places", (place_id, m.id, name, Place.Kind.SITE, district_id))
            m.sites.append((place_id, name))
        m.districts.sort(key=lambda place: place[1])
        m.sites.sort(key=lambda place: place[1])

    def _police_areas(self, municipalities):
        """Consecutive municipalities (near each other in code) share a police area of 1–4; the first has 2+."""
        rng = self.rng
        areas, i = [], 0
        while i < len(municipalities):
            size = rng.choices([1, 2, 3, 4], weights=[25, 35, 25, 15])[0]
            if i == 0:
                size = max(size, 2)
            areas.append(municipalities[i : i + size])
            i += size
        return areas

    def _organisation(self, name, kind, members):
        writer = self.writer
        organisation_id = writer.new_id("organisations")
        writer.add("organisations", (organisation_id, name, kind))
        for m in members:
            writer.add("organisation_municipalities", (organisation_id, m.id))
        return organisation_id, name

    def _organisations(self, municipalities):
        rng, writer = self.rng, self.writer
        for area in self._police_areas(municipalities):
            name = area[0].name
            police = self._organisation(f"Polisen, lokalpolisområde {name}", Organisation.Kind.POLICE, area)
            rescue = self._organisation(f"Räddningstjänsten {name}", Organisation.Kind.OTHER, area)
            for m in area:
                m.police = police
                m.area = area
                m.others.append(rescue)
        for m in municipalities:
            m.municipal = self._organisation(f"{m.name} kommun", Organisation.Kind.MUNICIPALITY, [m])
            if rng.random() < 0.3:
                m.others.append(self._organisation(f"{m.name}bostäder AB", Organisation.Kind.OTHER, [m]))
            m.council = writer.new_id("councils")
            council_name = rng.choice(COUNCIL_NAMES)
            m.council_name = council_name.format(m.name)
            writer.add("councils", (m.council, m.council_name))
            writer.add("council_municipalities", (m.council, m.id))

    def _people(self, municipalities):
        rng, writer = self.rng, self.writer
        joined = datetime.datetime(self.years[0] - 1, 12, 1, 9, 0, tzinfo=STOCKHOLM)
        roles = [
            ("samordnare", "coordinator", "municipal", Membership.Role.COORDINATOR, False),
            ("polis", "police_recorder", "police", Membership.Role.RECORDER, False),
            ("kommun", "municipal_recorder", "municipal", Membership.Role.RECORDER, False),
            ("radsledamot", "council_member", "municipal", Membership.Role.COUNCIL, False),
        ]
        for m in municipalities:
            for prefix, attribute, organisation, role, is_staff in roles:
                user_id = writer.new_id("users")
                username = f"{prefix}-{m.code}"
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                # Nobody generated uses the admin: it is the administrators', and coordinators use the workspace.
                writer.add("users", (user_id, self.password, None, False, username, first, last, "", is_staff, True,
                                     joined))  # fmt: skip
                organisation_id = getattr(m, organisation)[0]
                writer.add("memberships", (writer.new_id("memberships"), user_id, organisation_id, role))
                setattr(m, attribute, user_id)

    # Which promises there are.

    def _plan(self, municipalities):
        """One promise per municipality and year, some spanning two years, some shared, a few drafts ahead.

        The first municipalities are given one promise of each unusual shape, so that even a tiny copy has
        them: a promise shared by the first two, a spanning one, one signed mid-year, a draft for next year.
        """
        rng, years, last = self.rng, self.years, self.last_year
        n = len(municipalities)
        forced = {(0, years[0]): "shared"}
        if n >= 3:
            forced[(2, years[0])] = "spanning"
        elif len(years) >= 2:
            forced[(1, years[1])] = "spanning"
        if len(years) >= 2:
            forced.setdefault((0, years[1]), "mid-year")
        covered, slots = set(), []
        for m in municipalities:
            for year in years:
                if (m.index, year) in covered:
                    continue
                shape = forced.get((m.index, year))
                if shape is None:
                    draw = rng.random()
                    shape = "spanning" if draw < 0.05 else "shared" if draw < 0.1 else "mid-year" if draw < 0.15 else ""
                members = [m]
                if shape == "shared":
                    partners = [p for p in m.area if p.index > m.index and (p.index, year) not in covered]
                    if m.index == 0:
                        partners = [municipalities[1]]
                    if partners:
                        members.append(rng.choice(partners))
                end_year = year + 1 if shape == "spanning" else year
                start = datetime.date(year, 1, 1)
                signed_on = datetime.date(year - 1, 12, 1) + datetime.timedelta(days=rng.randrange(20))
                if shape == "mid-year":
                    signing = datetime.date(year, 2, 1) + datetime.timedelta(days=rng.randrange(150))
                    if signing <= self.yesterday:
                        start = signed_on = signing
                for member in members:
                    covered.update((member.index, y) for y in range(year, end_year + 1))
                status = Promise.Status.CLOSED if end_year < last else Promise.Status.SIGNED
                slots.append(_Slot(members, year, start, datetime.date(end_year, 12, 31), signed_on, status,
                                   spanning=end_year > year))  # fmt: skip
            next_year = last + 1
            if (m.index, next_year) not in covered and (m.index == 0 or rng.random() < 0.1):
                slots.append(_Slot([m], next_year, datetime.date(next_year, 1, 1), datetime.date(next_year, 12, 31),
                                   None, Promise.Status.DRAFT))  # fmt: skip
        return slots

    # One promise with everything in it.

    def _promise(self, slot):
        rng, writer = self.rng, self.writer
        owner = slot.municipalities[0]
        names = " och ".join(m.name for m in slot.municipalities)
        years = f"{slot.year}–{slot.end.year}" if slot.spanning else str(slot.year)
        slug = "-".join([*(m.slug for m in slot.municipalities), *years.split("–")])
        promise_id = writer.new_id("promises")
        themes = rng.sample(list(THEMES), rng.choices([1, 2, 3], weights=[10, 45, 45])[0])
        texts = self._promise_texts(slot, names, themes)
        title = f"Medborgarlöfte {years} – {names}"
        writer.add("promises", (promise_id, title, slug, slot.year, slot.start,
                                slot.end, *texts, slot.signed_on, slot.status,
                                self._data_version("promise", promise_id), "tertials", []))  # fmt: skip
        # A promise longer than a year is found under every year it covers (Promise.covered_years).
        last = slot.end.year - (slot.end < datetime.date(slot.end.year, 6, 30))
        covered = [slot.year, *range(max(slot.year, slot.start.year) + 1, last + 1)]
        for m in slot.municipalities:
            writer.add("promise_municipalities", (promise_id, m.id))
            for year in covered:
                writer.add("promise_addresses", (promise_id, m.id, year, slug))
        signatories = {owner.police[0], *(m.municipal[0] for m in slot.municipalities)}
        for organisation_id in sorted(signatories):
            writer.add("promise_signatories", (promise_id, organisation_id))
        focus_areas = {}
        for order, theme in enumerate(themes, start=1):
            focus_area_id = writer.new_id("focus_areas")
            writer.add("focus_areas", (focus_area_id, promise_id, theme, THEMES[theme][0], order))
            focus_areas[theme] = (focus_area_id, order, theme)
        period = Period(slot.start, slot.end)
        activities = self._activities(slot, promise_id, focus_areas, period)
        if slot.status == Promise.Status.DRAFT:
            self._indicators(slot, promise_id, period)
            return
        for activity in activities:
            self._records(slot, activity, period)
        if slot.end >= self.today:
            self._planned_events(slot, activities, period)
        indicators = self._indicators(slot, promise_id, period)
        self._reports(slot, promise_id, title, activities, period, indicators)

    def _promise_texts(self, slot, names, themes):
        themes_text = " och ".join(theme.lower() for theme in themes)
        situation = (
            f"Medborgarlöftet utgår från de medborgardialoger vi genomfört och den lägesbild som polisen och "
            f"{names} gemensamt har tagit fram inför {slot.year}. Relativt sett är det tryggt att bo och vistas här, "
            f"men dialogerna och brottsstatistiken pekar ut {themes_text} som det som skapar mest otrygghet."
        )
        pledge = (
            f"Polisen och {names} lovar att under perioden tillsammans arbeta med {themes_text}, med de aktiviteter "
            "som beskrivs nedan."
        )
        effects = "Färre brott och ökad trygghet inom fokusområdena, mätt med indikatorerna nedan."
        follow_up = "Uppföljning sker varje tertial i det brottsförebyggande rådet."
        communication = "Arbetet med medborgarlöftet presenteras varje tertial på polisen.se och kommunens webbplats."
        return situation, pledge, effects, follow_up, communication

    def _activities(self, slot, promise_id, focus_areas, period):
        rng, writer = self.rng, self.writer
        owner = slot.municipalities[0]
        available = [(theme, template) for theme in focus_areas for template in THEMES[theme][1]]
        wanted = rng.randint(11, 15)
        # One of each target type first, then by weight, never the same activity twice in a promise.
        chosen = []
        types = rng.sample(TARGET_TYPES, len(TARGET_TYPES))
        while len(chosen) < wanted and available:
            target_type = types.pop() if types else rng.choices(TARGET_TYPES, weights=TARGET_TYPE_WEIGHTS)[0]
            candidates = [item for item in available if item[1][0] == target_type] or available
            item = rng.choice(candidates)
            available.remove(item)
            chosen.append(item)
        years = period.days / 365.25
        districts = sorted((p for m in slot.municipalities for p in m.districts), key=lambda place: place[1])
        sites = sorted((p for m in slot.municipalities for p in m.sites), key=lambda place: place[1])
        organisations = {POLICE: owner.police, MUNICIPAL: owner.municipal}
        activities = []
        for order, (theme, (target_type, kind_slug, title, unit, lead_side)) in enumerate(chosen, start=1):
            # The records the activity is planned to get over its whole period, which its target follows.
            planned = self.options.records_per_activity * rng.uniform(0.5, 1.5) * years
            target_count, recurrence, places = None, Activity.Recurrence.CONTINUOUS, []
            if target_type in (COUNT, SITES):
                target_count = max(1, round(planned * MEAN_QUANTITY * rng.uniform(0.8, 1.1)))
            if target_type == DISTRICTS:
                places = districts
            elif target_type == SITES:
                places = sites
            elif target_type == ONCE:
                recurrence = Activity.Recurrence.ONCE
            lead = (*organisations[lead_side], lead_side)
            other_side = MUNICIPAL if lead_side == POLICE else POLICE
            partners = [organisations[other_side]] if rng.random() < 0.6 else []
            if owner.others and rng.random() < 0.2:
                partners.append(rng.choice(owner.others))
            partners.sort(key=lambda organisation: organisation[1])
            activities.append(
                _Activity(
                    id=writer.new_id("activities"),
                    order=order,
                    title=title,
                    kind_slug=kind_slug,
                    kind_name=self.kinds[kind_slug][1],
                    unit=unit,
                    target_count=target_count,
                    recurrence=recurrence,
                    focus_area=focus_areas[theme],
                    lead=lead,
                    partners=partners,
                    target_places=places,
                    planned=planned,
                )
            )
            activity = activities[-1]
            description = activity.description = self._describe(activity)
            activity.place_kind = {DISTRICTS: "district", SITES: "site"}.get(target_type, "")
            writer.add("activities", (activity.id, promise_id, activity.focus_area[0], self.kinds[kind_slug][0], title,
                                      description, lead[0], target_count, unit, recurrence, order,
                                      False, False))  # fmt: skip
            for organisation_id, _name in partners:
                writer.add("activity_partners", (activity.id, organisation_id))
            for place_id, _name in places:
                writer.add("activity_target_places", (activity.id, place_id))
        return activities

    def _describe(self, activity):
        if activity.target_count:
            what = f"minst {activity.target_count} {activity.unit} under perioden"
        elif activity.target_places:
            what = f"{activity.unit} i var och en av de utpekade platserna"
        elif activity.recurrence == Activity.Recurrence.ONCE:
            what = f"{activity.unit} vid minst ett tillfälle"
        else:
            what = f"{activity.unit} löpande under hela perioden, varje tertial"
        partners = [name for _id, name in activity.partners]
        together = f", tillsammans med {' och '.join(partners)}" if partners else ""
        return f"{activity.lead[1]} genomför {what}{together}."

    # Records.

    def _records(self, slot, activity, period):
        """Records spread over the period up to yesterday: most activities keep up, some fall behind or stop.

        The three ways weigh in so that an activity gets ``records_per_activity`` records a year on average.
        """
        rng = self.rng
        rand = rng.random
        last_day = min(period.end, self.yesterday)
        if last_day < period.start:
            return
        elapsed = ((last_day - period.start).days + 1) / period.days
        kind = rng.random()
        if kind < 0.6:  # keeps up
            count, stop = activity.planned * elapsed * rng.uniform(1.15, 1.35), last_day
        elif kind < 0.85:  # falls behind
            count, stop = activity.planned * elapsed * rng.uniform(0.5, 0.9), last_day
        else:  # stops part-way
            share = rng.uniform(0.3, 0.7)
            stop = period.start + datetime.timedelta(days=int(((last_day - period.start).days + 1) * share))
            count = activity.planned * elapsed * share
        if activity.recurrence == Activity.Recurrence.ONCE and rand() < 0.2:
            count = 0  # not done yet: at risk or missed
        count = round(count)
        days = [period.start + datetime.timedelta(days=i) for i in range((stop - period.start).days + 1)]
        if activity.target_count is None and not activity.target_places and rand() < 0.15:
            # A continuous activity with a tertial left out: a gap.
            gap = Tertial.containing(rng.choice(days))
            days = [day for day in days if not gap.contains(day)] or days
        places = activity.target_places
        if places and kind >= 0.6 and len(places) > 1:
            places = rng.sample(places, len(places) - 1)  # one place never visited
        owner = slot.municipalities[0]
        recorders = [owner.police_recorder, owner.municipal_recorder]
        lead_recorder = owner.police_recorder if activity.lead[2] == POLICE else owner.municipal_recorder
        summaries = SUMMARIES[activity.kind_slug]
        organisations = [activity.lead[0], *(organisation_id for organisation_id, _name in activity.partners)]
        for _ in range(count):
            day = days[int(rand() * len(days))]
            quantity = QUANTITIES[int(rand() * len(QUANTITIES))]
            if places:
                place_id, place_name = places[int(rand() * len(places))]
            elif rand() < 0.3:
                place_id, place_name = owner.districts[int(rand() * len(owner.districts))]
            else:
                place_id, place_name = None, owner.name
            recorder = lead_recorder if rand() < 0.8 else recorders[int(rand() * 2)]
            self._record(slot, activity, day, quantity, place_id, place_name, recorder, summaries, organisations)

    def _record(self, slot, activity, day, quantity, place_id, place_name, recorder, summaries, organisations):
        rng, writer = self.rng, self.writer
        rand = rng.random
        record_id = writer.new_id("records")
        delay = 0 if rand() < 0.7 else 1 + int(rand() * 3)
        created_on = min(day + datetime.timedelta(days=delay), self.yesterday)
        created_at = datetime.datetime(created_on.year, created_on.month, created_on.day, 7 + int(rand() * 14),
                                       int(rand() * 60), tzinfo=STOCKHOLM)  # fmt: skip
        place_text = PLACE_TEXTS[int(rand() * len(PLACE_TEXTS))] if rand() < 0.25 else ""
        summary = summaries[int(rand() * len(summaries))].format(place=place_name)
        if rand() < 0.03:
            voided_at = min(created_at + datetime.timedelta(hours=1 + int(rand() * 72)), self.clock_end)
            voided_at = max(voided_at, created_at)
            voided_by = slot.municipalities[0].coordinator if rand() < 0.6 else recorder
            reason = VOID_REASONS[int(rand() * len(VOID_REASONS))]
            updated_at = voided_at
        else:
            voided_at = voided_by = None
            reason = ""
            updated_at = created_at
            activity.facts.append(RecordFact(day, quantity, place_id))
        writer.add("records", (record_id, activity.id, day, place_id, place_text, quantity, summary, recorder,
                               created_at, updated_at, voided_at, voided_by, reason, None))  # fmt: skip
        writer.add("record_organisations", (record_id, organisations[0]))
        for organisation_id in organisations[1:]:
            if rand() < 0.5:
                writer.add("record_organisations", (record_id, organisation_id))
        return record_id, created_at

    # Planned events of current promises: some past (most became records), some ahead, a few cancelled.

    def _planned_events(self, slot, activities, period):
        rng, writer = self.rng, self.writer
        owner = slot.municipalities[0]
        candidates = [a for a in activities if a.kind_slug in EVENT_KINDS] or activities
        first = max(period.start, self.today - datetime.timedelta(days=50))
        last = min(period.end, self.today + datetime.timedelta(days=90))
        for _ in range(rng.randint(2, 5)):
            activity = rng.choice(candidates)
            day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
            starts_at = datetime.datetime.combine(day, datetime.time(rng.choice([17, 18, 19]), 0), STOCKHOLM)
            ends_at = starts_at + datetime.timedelta(minutes=rng.choice([60, 90, 120]))
            if activity.target_places:
                place_id, place_name = rng.choice(activity.target_places)
            else:
                place_id, place_name = rng.choice(owner.districts + owner.sites)
            place_text = rng.choice(EVENT_PLACE_TEXTS)
            title = {
                "trygghetsvandring": f"Trygghetsvandring i {place_name}",
                "foraldratraff": f"Föräldraträff om droger och alkohol i {place_name}",
                "informationstraff": f"Informationsträff i {place_name}",
            }.get(activity.kind_slug, f"{activity.title} – öppet möte i {place_name}")
            description = (
                f"Välkommen att delta! Vi samlas {place_text}. Polisen och {owner.name} kommun är med och berättar "
                "om medborgarlöftet."
            )
            created_at = min(starts_at - datetime.timedelta(days=rng.randint(10, 30)), self.clock_end)
            created_at = created_at.replace(hour=10)
            cancelled_at = record_id = None
            sequence, updated_at = 0, created_at
            if rng.random() < 0.1:
                cancelled_at = min(created_at + datetime.timedelta(days=rng.randint(1, 8)), self.clock_end)
                sequence, updated_at = 1, cancelled_at
            elif day <= self.yesterday and rng.random() < 0.7:
                recorder = owner.police_recorder if activity.lead[2] == POLICE else owner.municipal_recorder
                organisations = [activity.lead[0], *(organisation_id for organisation_id, _ in activity.partners)]
                record_id, record_created = self._record(
                    slot, activity, day, 1, place_id, place_name, recorder, [title + "."], organisations
                )
                updated_at = max(created_at, record_created)
            uid = uuid.UUID(int=rng.getrandbits(128), version=4)
            writer.add("planned_events", (writer.new_id("planned_events"), uid, activity.id, title, starts_at, ends_at,
                                          place_id, place_text, description, cancelled_at, sequence, record_id,
                                          owner.coordinator, created_at, updated_at))  # fmt: skip

    # Tertial reports, with assessments and, once approved, the frozen snapshot.

    def _report_status(self, rank):
        forced = self.forced_report_statuses.get(rank)
        if forced:
            return forced.pop(0)
        rng, S = self.rng, TertialReport.Status
        if rank == 1:
            return rng.choices([S.DRAFT, S.SUBMITTED, S.APPROVED, S.PUBLISHED], weights=[30, 30, 20, 20])[0]
        if rank == 2:
            return rng.choices([S.SUBMITTED, S.APPROVED, S.PUBLISHED], weights=[10, 20, 70])[0]
        return rng.choices([S.APPROVED, S.PUBLISHED], weights=[5, 95])[0]

    def _reports(self, slot, promise_id, title, activities, period, indicators):
        rng, writer, S = self.rng, self.writer, TertialReport.Status
        owner = slot.municipalities[0]
        last_index = self.last_done.year * 3 + self.last_done.number
        ordered = sorted(activities, key=lambda a: (a.focus_area[1], a.focus_area[0], a.order, a.id))
        targets = {a.id: Target(a.target_count, frozenset(p for p, _n in a.target_places), a.recurrence)
                   for a in activities}  # fmt: skip
        per_tertial = {a.id: quantities_by_tertial(a.facts, period) for a in activities}
        for tertial in period.tertials():
            if tertial > self.last_done:
                break
            status = self._report_status(last_index - (tertial.year * 3 + tertial.number) + 1)
            meeting_date = tertial.end + datetime.timedelta(days=rng.randint(14, 45))
            approved_at = datetime.datetime.combine(
                meeting_date + datetime.timedelta(days=rng.randint(0, 1)), datetime.time(15, 30), STOCKHOLM
            )
            published_at = approved_at + datetime.timedelta(days=rng.randint(1, 10), hours=-5)
            # A meeting cannot be in the future: a tertial that ended days ago can only be submitted so far.
            if status in (S.APPROVED, S.PUBLISHED) and approved_at > self.clock_end:
                status = S.SUBMITTED
            if status == S.PUBLISHED and published_at > self.clock_end:
                status = S.APPROVED
            locked = status in (S.APPROVED, S.PUBLISHED)
            at = min(tertial.end, period.end)
            last = tertial == period.last_tertial()
            progress = {a.id: activity_progress(target=targets[a.id], records=a.facts, period=period, at=at)
                        for a in activities}  # fmt: skip
            report_id = writer.new_id("reports")
            assessments = {}
            for a in ordered:
                computed = progress[a.id].status
                # A status is stored only where someone chose another than the computed one, with a comment.
                chosen, comment, public, verdict, reason, explanation = "", "", False, "", "", ""
                if rng.random() < 0.05:
                    chosen = str(rng.choice([s for s in Status if s != computed]))
                    comment = "Rådet gör en annan bedömning än den beräknade, efter redovisningen på mötet."
                elif rng.random() < 0.1:
                    comment = "Arbetet fortsätter enligt plan." if computed != Status.BEHIND else "Behöver förstärkas."
                    public = rng.random() < 0.5
                if last and (status != S.DRAFT or rng.random() < 0.5):
                    verdict = {Status.DONE: "kept", Status.ON_TRACK: "partly_kept", Status.AT_RISK: "partly_kept"}.get(
                        Status(chosen or computed), "not_kept"
                    )
                    if verdict != "kept":
                        reason = rng.choice(["external_event", "resources", "reprioritised", "other"])
                        explanation = "Aktiviteten hanns inte med fullt ut under perioden och förs vidare."
                assessments[a.id] = (chosen, comment, public, verdict, reason, explanation)
                writer.add("assessments", (writer.new_id("assessments"), report_id, a.id, *assessments[a.id]))
            counts = Counter(str(p.status) for p in progress.values())
            summary = (
                f"Under {tertial.label} har {counts['done']} av {len(activities)} aktiviteter uppfyllts och "
                f"{counts['on_track']} går enligt plan. Övriga följs upp vid nästa möte."
            )
            snapshot = {}
            if status != S.DRAFT:
                snapshot = self._snapshot(
                    slot, title, tertial, period, at, approved_at, ordered, progress, per_tertial, assessments,
                    indicators=indicators, summary=summary, meeting_date=meeting_date if locked else None,
                )  # fmt: skip
            revision = {S.DRAFT: 1, S.SUBMITTED: 3, S.APPROVED: 4, S.PUBLISHED: 5}[status]
            return_comment = ""
            if status == S.DRAFT and rng.random() < 0.2:
                revision, return_comment = 5, "Komplettera bedömningen av aktiviteterna som inte följer planen."
            writer.add("reports", (report_id, promise_id, tertial.year, tertial.number, status, summary, owner.council,
                                   meeting_date if locked else None, revision, return_comment,
                                   owner.council_member if locked else None, approved_at if locked else None,
                                   published_at if status == S.PUBLISHED else None, snapshot, "", "T"))  # fmt: skip
            if status == S.PUBLISHED:
                writer.add("publications", (writer.new_id("publications"), report_id, 1, snapshot, published_at,
                                            owner.coordinator, ""))  # fmt: skip

    def _snapshot(self, slot, title, tertial, period, at, taken_at, ordered, progress, per_tertial, assessments, *,
                  indicators, summary, meeting_date):  # fmt: skip
        """The whole report frozen at submission and approval, as followup.selectors.report_snapshot freezes it."""
        activities = []
        shared = sorted(slot.municipalities, key=lambda m: (m.name, m.id)) if len(slot.municipalities) > 1 else []
        group_of = {place_id: m.name for m in shared for place_id, _name in [*m.districts, *m.sites]}
        for a in ordered:
            p = progress[a.id]
            chosen, comment, public, verdict, reason, explanation = assessments[a.id]
            activities.append(
                ActivitySnapshot(
                    id=a.id,
                    title=a.title,
                    focus_area=a.focus_area[2],
                    kind=a.kind_name,
                    description=a.description,
                    unit=a.unit,
                    target_count=a.target_count,
                    recurrence=a.recurrence,
                    lead_organisation=a.lead[1],
                    partner_organisations=tuple(name for _id, name in a.partners),
                    achieved=p.achieved,
                    expected=round(float(p.expected), 2),
                    target_places=tuple(name for _id, name in a.target_places),
                    target_place_kind=a.place_kind,
                    per_municipality=self._per_municipality(a, shared, group_of, period=period, at=at),
                    covered_places=tuple(name for place_id, name in a.target_places if place_id in p.covered),
                    computed_status=p.status,
                    status=Status(chosen or p.status),
                    comment=comment,
                    comment_public=public,
                    verdict=verdict,
                    verdict_reason=reason,
                    verdict_explanation=explanation,
                    per_tertial={t.code: quantity for t, quantity in per_tertial[a.id].items() if t <= tertial},
                )
            )
        promise_period = PeriodSnapshot(start=period.start, end=period.end)
        owner = slot.municipalities[0]
        return Snapshot(
            period=PeriodSnapshot.of_tertial(tertial, within=promise_period),
            promise_period=promise_period,
            periods=tuple(
                PeriodSnapshot.of_tertial(t, within=promise_period) for t in period.tertials() if t <= tertial
            ),
            is_final=tertial == period.last_tertial(),
            judged_at=at,
            taken_at=taken_at.astimezone(datetime.UTC),
            meeting_date=meeting_date,
            promise_title=title,
            municipalities=tuple(sorted(m.name for m in slot.municipalities)),
            summary=summary,
            council=owner.council_name,
            activities=tuple(activities),
            indicators=tuple(
                replace(indicator, values=tuple(value for value in indicator.values if value.code <= tertial.code))
                for indicator in indicators
            ),
        ).to_dict()

    @staticmethod
    def _per_municipality(activity, shared, group_of, *, period, at):
        """An activity's quantity per municipality of a shared promise, as followup.selectors breaks it down."""
        if not shared:
            return ()
        totals = quantities_by_group(activity.facts, period=period, at=at, group_of=group_of, default=NO_PLACE)
        rows = [(m.name, totals.get(m.name, 0)) for m in shared]
        if totals.get(NO_PLACE):
            rows.append((NO_PLACE, totals[NO_PLACE]))
        return tuple(rows)

    # Indicators of the expected effects, with a value for every tertial that has ended; the reports freeze them.

    def _indicators(self, slot, promise_id, period):
        rng, writer = self.rng, self.writer
        owner = slot.municipalities[0]
        sources = {POLICE: "Polisens statistik", MUNICIPAL: f"{owner.name} kommun"}
        made = []
        for name, unit, source, better, (low, high), decimals in rng.sample(INDICATORS, rng.randint(1, 3)):
            indicator_id = writer.new_id("indicators")
            writer.add("indicators", (indicator_id, promise_id, name, unit, sources.get(source, source), better))
            base = rng.uniform(low, high)
            values = []
            for tertial in period.tertials():
                if tertial > self.last_done:
                    break
                value = Decimal(round(base * rng.uniform(0.75, 1.25), decimals)).quantize(Decimal("0.01"))
                writer.add("indicator_values", (writer.new_id("indicator_values"), indicator_id, tertial.year,
                                                tertial.number, None, value, ""))  # fmt: skip
                values.append(ValueSnapshot(start=tertial.start, end=tertial.end, value=value, code=tertial.code))
            made.append(
                IndicatorSnapshot(
                    id=indicator_id,
                    name=name,
                    unit=unit,
                    source=sources.get(source, source),
                    better=better,
                    values=tuple(values),
                )
            )
        # In the order a report lists them (followup.selectors.indicator_snapshots).
        return sorted(made, key=lambda indicator: (indicator.name, indicator.id))
