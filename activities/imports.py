"""Importing a promise and its records: from the XLSX template, from the published text, and records from a sheet.

Every import runs the workspace's own forms (:class:`promises.forms.PromiseForm`, :class:`FocusAreaForm`,
:class:`activities.forms.ActivityForm`, :class:`activities.forms.RecordForm`) on each row, so it obeys exactly
their rules: choices in the user's scope, slugs free in each municipality and year, the privacy guard on every
text, the same lengths and bounds, the locks of approved follow-ups. Names in a sheet are looked up among the
choices those forms offer the user, and nothing else, so a sheet can reach no organisation, place or
municipality that the forms would not offer, and learns nothing of those it may not see.

An import is all or nothing: it runs in one transaction, every row is checked even after a refusal, and when
any row is refused :class:`ImportRefused` lists every problem and the transaction is rolled back, so nothing is
half-saved. A promise comes in as a draft, to be reviewed and signed in the workspace.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from promises.forms import FocusAreaForm, PromiseForm
from promises.models import Municipality, Organisation, Place, Promise
from promises.scope import Role

from . import promise_sheet as sheets
from .forms import ActivityForm, RecordForm, confirm_quantity_message
from .models import Activity, ActivityKind, ActivityRecord
from .published_text import MUNICIPALITY, POLICE, parse_promise


@dataclass(frozen=True)
class Problem:
    """Why one part of an import was refused: ``part`` is "promise", "focus_area", "activity" or "record",
    ``index`` which one (in the order given), ``field`` the form field, or None for the whole row."""

    part: str
    index: int | None
    field: str | None
    message: str


class ImportRefused(Exception):
    """The import was refused and nothing was saved; ``problems`` says what and where."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


def _fold(name) -> str:
    return " ".join(str(name).split()).casefold()


class Names:
    """Objects found by the names people write for them: case and spacing aside, each under one or more labels."""

    def __init__(self, objects, labels):
        self.found: dict[str, list] = {}
        for obj in objects:
            for label in dict.fromkeys(_fold(label) for label in labels(obj)):
                self.found.setdefault(label, []).append(obj)

    def find(self, name):
        """(the object, None) or (None, why not): the name is unknown, or names more than one object."""
        matches = self.found.get(_fold(name), [])
        if len(matches) == 1:
            return matches[0], None
        return None, "ambiguous" if matches else "unknown"

    def find_all(self, names):
        """(objects, names not found). A name unknown as a whole that is a comma-separated list of known names
        (as the follow-up's record export writes them) is read as those names."""
        objects, missing = [], []
        for name in names:
            obj, why = self.find(name)
            if obj is not None:
                objects.append(obj)
                continue
            parts = self._comma_separated(name) if why == "unknown" else None
            if parts is None:
                missing.append(name)
            else:
                objects += parts
        return list(dict.fromkeys(objects)), missing

    def _comma_separated(self, text):
        """The known objects that ``text`` lists with ", " between them, longest names first, or None."""
        text = " ".join(text.split())
        if not text:
            return []
        for end in range(len(text), 0, -1):
            if end < len(text) and text[end : end + 2] != ", ":
                continue
            obj, _why = self.find(text[:end])
            if obj is None:
                continue
            rest = self._comma_separated(text[end + 2 :]) if end < len(text) else []
            if rest is not None:
                return [obj, *rest]
        return None


def _by_name(queryset):
    return Names(queryset, lambda obj: [obj.name])


def _places_by_name(queryset):
    return Names(queryset, lambda place: [place.name, f"{place.name} ({place.municipality.name})"])


def _kinds_by_name(queryset):
    return Names(queryset, lambda kind: [kind.name, kind.slug])


def _form_problems(form, part, index, *, skip=()):
    return [
        Problem(part, index, None if name == "__all__" else name, str(message))
        for name, errors in form.errors.items()
        if name not in skip
        for message in errors
    ]


SLUG_TAKEN = _("Someone else gave a promise this address name at the same moment. Choose another and save again.")


# --- Building a draft ----------------------------------------------------------------------------------------


class DraftBuilder:
    """Makes a draft promise part by part through the workspace forms, collecting every refusal.

    Used inside :func:`_draft_in_one_transaction`, which rolls everything back when any part was refused. When the
    promise itself is refused, a stand-in takes its place (rolled back with the rest), so that its focus areas and
    activities are still checked and every refusal is reported at once.
    """

    def __init__(self, by):
        self.by = by
        self.problems: list[Problem] = []
        self.promise: Promise | None = None
        self.focus_areas: dict[int, object] = {}

    def refuse(self, part, index, field_name, message):
        self.problems.append(Problem(part, index, field_name, str(message)))

    def add_promise(self, form: PromiseForm, *, skip=()) -> Promise:
        """Saves the promise the form describes; ``skip`` names fields already refused (as for activities)."""
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.instance._history_user = self.by
                    form.save()
            except IntegrityError:
                form.add_error("slug", SLUG_TAKEN)
            else:
                self.promise = form.instance
                return self.promise
        self.problems += _form_problems(form, "promise", None, skip=skip)
        self.promise = self._stand_in(form)
        return self.promise

    def _stand_in(self, form):
        cleaned = getattr(form, "cleaned_data", {})
        municipalities = list(cleaned.get("municipalities") or []) or list(
            Municipality.objects.in_scope_of(self.by, Role.COORDINATOR)
        )
        year = cleaned.get("year") or timezone.localdate().year
        stand_in = Promise.objects.create(
            title="–",
            slug=f"import-{uuid.uuid4().hex[:20]}",
            year=year,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
        stand_in.municipalities.set(municipalities)
        return stand_in

    def add_focus_area(self, index, data):
        form = FocusAreaForm(data, promise=self.promise)
        if form.is_valid():
            form.save()
            self.focus_areas[index] = form.instance
            return form.instance
        self.problems += _form_problems(form, "focus_area", index)
        return None

    def activity_form(self, data=None) -> ActivityForm:
        return ActivityForm(data, promise=self.promise, user=self.by)

    def add_activity(self, index, data, *, skip=()):
        """Saves the activity when the form takes it and nothing else of its row was refused (``skip`` names the
        fields already refused: their second, form-made message would say less)."""
        form = self.activity_form(data)
        if form.is_valid() and not skip:
            form.instance._history_user = self.by
            form.save()
            return form.instance
        self.problems += _form_problems(form, "activity", index, skip=skip)
        return None


def _draft_in_one_transaction(by, steps):
    """Runs ``steps(builder)`` in one transaction; any refusal rolls it back and raises ImportRefused."""
    with transaction.atomic():
        builder = DraftBuilder(by)
        result = steps(builder)
        if builder.problems:
            raise ImportRefused(builder.problems)
    return result


def free_slug(slug, *, year, municipality_ids, exclude=None) -> str:
    """``slug`` if it is free in each of the municipalities that year, else the first free "slug-2", "slug-3" …"""
    if not slug or not year or not municipality_ids:
        return slug
    candidate, number = slug, 1
    while Promise.objects.slug_taken(slug=candidate, year=year, municipality_ids=municipality_ids, exclude=exclude):
        number += 1
        suffix = f"-{number}"
        candidate = slug[: 100 - len(suffix)] + suffix
    return candidate


def _year(text):
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


# --- From the XLSX template ------------------------------------------------------------------------------------

PROMISE_TEXTS = ["title", "year", "period_start", "period_end", "situation", "pledge", "expected_effects"]
PROMISE_TEXTS += ["follow_up", "communication"]
ACTIVITY_TEXTS = ["title", "description", "unit", "unit_singular", "target_count"]
# Which sheet column holds each field of the activity form (the others have the field's own name).
ACTIVITY_COLUMN_OF = {
    "lead_organisation": "lead",
    "partner_organisations": "partners",
    "target_places": "places",
    "is_internal": "internal",
    "target_per_municipality": "per_municipality",
}


@dataclass(frozen=True)
class SheetRefusal:
    """A refused part of an imported sheet, where the person finds it: sheet, row, column, and why."""

    sheet: str
    row: int | None
    column: str
    message: str


def located(problems, sheet: sheets.PromiseSheet) -> list[SheetRefusal]:
    """Each problem with the sheet, row number and column heading it concerns, in the order of the workbook."""
    promise_headings = {column.key: str(column.heading) for column in sheets.PROMISE_FIELDS}
    area_headings = {column.key: str(column.heading) for column in sheets.FOCUS_AREA_COLUMNS}
    activity_headings = {column.key: str(column.heading) for column in sheets.ACTIVITY_COLUMNS}
    found = []
    for problem in problems:
        if problem.part == "promise":
            row = sheet.promise_rows.get(problem.field)
            column = promise_headings.get(problem.field, "")
            found.append(SheetRefusal(str(sheets.PROMISE), row, column, problem.message))
        elif problem.part == "focus_area":
            row = sheet.focus_areas[problem.index].number
            column = area_headings.get(problem.field, "")
            found.append(SheetRefusal(str(sheets.FOCUS_AREAS), row, column, problem.message))
        else:
            row = sheet.activities[problem.index].number
            column = activity_headings.get(ACTIVITY_COLUMN_OF.get(problem.field, problem.field), "")
            found.append(SheetRefusal(str(sheets.ACTIVITIES), row, column, problem.message))
    order = {str(sheets.PROMISE): 0, str(sheets.FOCUS_AREAS): 1, str(sheets.ACTIVITIES): 2}
    return sorted(found, key=lambda refusal: (order[refusal.sheet], refusal.row or 0))


def _unknown(names, what):
    return what % {"names": ", ".join(sheets.quoted(name) for name in names)}


def _sheet_promise(builder, sheet, by):
    values = sheet.promise
    probe = PromiseForm(user=by)
    data = {key: values.get(key, "") for key in PROMISE_TEXTS}
    municipality_names = values.get("municipalities") or []
    choices = probe.fields["municipalities"].queryset
    if municipality_names:
        municipalities, missing = _by_name(choices).find_all(municipality_names)
        if missing:
            builder.refuse(
                "promise",
                None,
                "municipalities",
                _unknown(
                    missing,
                    _(
                        "You do not coordinate %(names)s. Name the municipalities you coordinate; another "
                        "municipality is asked to join on the promise's page once the draft exists."
                    ),
                ),
            )
    else:
        municipalities = list(choices[:2])
        if len(municipalities) != 1:
            municipalities = []
            builder.refuse("promise", None, "municipalities", _("Name the municipality that makes the promise."))
    signatories, missing = _by_name(probe.fields["signatories"].queryset).find_all(values.get("signatories") or [])
    if missing:
        builder.refuse(
            "promise",
            None,
            "signatories",
            _unknown(missing, _("%(names)s: not an organisation of your municipalities. Choose from the Lists sheet.")),
        )
    data["municipalities"] = [m.pk for m in municipalities]
    data["signatories"] = [o.pk for o in signatories]
    slug = values.get("slug") or slugify(values.get("title", ""))[:100]
    data["slug"] = free_slug(slug, year=_year(values.get("year")), municipality_ids=data["municipalities"])
    refused = {problem.field for problem in builder.problems if problem.part == "promise"}
    return builder.add_promise(PromiseForm(data, user=by), skip=refused)


def _sheet_activity_data(builder, index, row, *, kinds, organisations, partners, places, areas, recurrences):
    values = row.values
    data = {key: values.get(key, "") for key in ACTIVITY_TEXTS}
    data["order"] = values.get("order") or str(index + 1)
    refused = set()

    def refuse(field_name, message):
        refused.add(field_name)
        builder.refuse("activity", index, field_name, message)

    if values.get("kind"):
        kind, _why = kinds.find(values["kind"])
        if kind is None:
            refuse(
                "kind",
                _("No activity kind is called “%(name)s”. Choose one from the Lists sheet.") % {"name": values["kind"]},
            )
        data["kind"] = kind.pk if kind else ""
    if values.get("focus_area"):
        area = areas.get(_fold(values["focus_area"]))
        if area is None:
            refuse(
                "focus_area",
                _("The Focus areas sheet has no focus area “%(title)s”.") % {"title": values["focus_area"]},
            )
        data["focus_area"] = area.pk if area else ""
    if values.get("lead"):
        lead, _why = organisations.find(values["lead"])
        if lead is None:
            refuse(
                "lead_organisation",
                _("“%(name)s” is not an organisation you can choose for this promise. Choose one from the Lists sheet.")
                % {"name": values["lead"]},
            )
        data["lead_organisation"] = lead.pk if lead else ""
    chosen, missing = partners.find_all(values.get("partners") or [])
    if missing:
        refuse(
            "partner_organisations",
            _unknown(missing, _("%(names)s: not an organisation you can choose for this promise.")),
        )
    data["partner_organisations"] = [o.pk for o in chosen]
    chosen, missing = places.find_all(values.get("places") or [])
    if missing:
        refuse(
            "target_places",
            _unknown(missing, _("%(names)s: not a place of the promise's municipalities that you can choose.")),
        )
    data["target_places"] = [p.pk for p in chosen]
    recurrence = values.get("recurrence", "")
    if recurrence:
        data["recurrence"] = recurrences.get(_fold(recurrence), "")
        if not data["recurrence"]:
            refuse(
                "recurrence",
                _("Write “%(once)s” or “%(continuous)s”.")
                % {
                    "once": sheets.recurrence_label(Activity.Recurrence.ONCE),
                    "continuous": sheets.recurrence_label(Activity.Recurrence.CONTINUOUS),
                },
            )
    else:
        # An empty cell is the model's default, as an activity added in the workspace starts.
        data["recurrence"] = Activity._meta.get_field("recurrence").default
    internal = sheets.yes_no_value(values.get("internal", ""))
    if internal is None:
        refuse(
            "is_internal",
            _("Write “%(yes)s” or “%(no)s”, or leave it empty.")
            % {"yes": sheets.yes_no_label(True), "no": sheets.yes_no_label(False)},
        )
    data["is_internal"] = bool(internal)
    data["target_window_start"] = values.get("target_window_start", "")
    data["target_window_end"] = values.get("target_window_end", "")
    shared = sheets.yes_no_value(values.get("per_municipality", ""))
    if shared is None:
        refuse(
            "target_per_municipality",
            _("Write “%(yes)s” or “%(no)s”, or leave it empty.")
            % {"yes": sheets.yes_no_label(True), "no": sheets.yes_no_label(False)},
        )
    data["target_per_municipality"] = bool(shared)
    return data, refused


def promise_import_sheet(*, sheet: sheets.PromiseSheet, by) -> Promise:
    """The draft promise an uploaded template describes, with its focus areas and activities; ImportRefused (and
    nothing saved) when any row breaks a rule."""

    def steps(builder):
        _sheet_promise(builder, sheet, by)
        for index, row in enumerate(sheet.focus_areas):
            values = row.values
            data = {
                "title": values.get("title", ""),
                "description": values.get("description", ""),
                "order": values.get("order") or str(index + 1),
            }
            builder.add_focus_area(index, data)
        areas = {_fold(area.title): area for area in builder.focus_areas.values()}
        probe = builder.activity_form()
        lookups = {
            "kinds": _kinds_by_name(probe.fields["kind"].queryset),
            "organisations": _by_name(probe.fields["lead_organisation"].queryset),
            "partners": _by_name(probe.fields["partner_organisations"].queryset),
            "places": _places_by_name(probe.fields["target_places"].queryset.select_related("municipality")),
            "areas": areas,
            "recurrences": {_fold(label): value for label, value in sheets.recurrence_labels().items()},
        }
        for index, row in enumerate(sheet.activities):
            data, refused = _sheet_activity_data(builder, index, row, **lookups)
            builder.add_activity(index, data, skip=refused)
        return builder.promise

    return _draft_in_one_transaction(by, steps)


def lists_for_user(user, *, promise=None) -> sheets.Lists:
    """What the template's drop-down lists offer the user: the kinds, and the organisations, places and
    municipalities they coordinate (those of ``promise`` when given)."""
    municipalities = Municipality.objects.in_scope_of(user, Role.COORDINATOR).order_by("name")
    if promise is not None:
        municipalities = municipalities.filter(promises=promise)
    municipalities = list(municipalities)
    organisations = (
        Organisation.objects.in_scope_of(user, Role.COORDINATOR)
        .filter(
            pk__in=Organisation.municipalities.through.objects.filter(municipality__in=municipalities).values(
                "organisation_id"
            )
        )
        .order_by("name")
    )
    places = Place.objects.filter(municipality__in=municipalities).select_related("municipality")
    several = (len(promise.municipalities.all()) if promise is not None else len(municipalities)) > 1
    return sheets.lists_for(
        kinds=sheets.all_kinds(),
        organisations=organisations,
        places=places.order_by("municipality__name", "kind", "name"),
        municipalities=municipalities,
        several_municipalities=several,
    )


# --- From the published text ---------------------------------------------------------------------------------


@dataclass
class Suggestion:
    """What the review page starts from: the promise form's values, the focus areas and the activities."""

    promise: dict
    focus_areas: list[dict] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)


def suggest_from_text(*, text, municipality, by, year=None) -> Suggestion:
    """Reads a pasted promise (activities.published_text) and puts what it finds in the terms of the forms:
    kinds, organisations and places of ``municipality`` as the user may choose them."""
    organisations = list(
        Organisation.objects.in_scope_of(by, Role.COORDINATOR).filter(municipalities=municipality).order_by("name")
    )
    places = list(Place.objects.filter(municipality=municipality).order_by("name"))
    kinds = list(ActivityKind.objects.order_by("name"))
    parsed = parse_promise(
        text,
        kinds={kind.slug: kind.name for kind in kinds},
        districts=[place.name for place in places if place.kind == Place.Kind.DISTRICT],
        sites=[place.name for place in places if place.kind == Place.Kind.SITE],
        organisations=[o.name for o in organisations if o.kind == Organisation.Kind.OTHER],
        year=year,
    )

    def only(kind):
        matching = [o.pk for o in organisations if o.kind == kind]
        return matching[0] if len(matching) == 1 else None

    party = {POLICE: only(Organisation.Kind.POLICE), MUNICIPALITY: only(Organisation.Kind.MUNICIPALITY)}
    party.update({o.name: o.pk for o in organisations if o.kind == Organisation.Kind.OTHER})
    kind_of = {kind.slug: kind.pk for kind in kinds}
    place_of = {place.name: place.pk for place in places}
    found_year = parsed.year or year or timezone.localdate().year
    title = parsed.title or _("Citizen promise %(year)s") % {"year": found_year}
    if municipality.name.casefold() not in title.casefold():
        title = f"{title} – {municipality.name}"
    promise = {
        "title": title[:200],
        "year": found_year,
        "period_start": parsed.period_start or datetime.date(found_year, 1, 1),
        "period_end": parsed.period_end or datetime.date(found_year, 12, 31),
        "municipalities": [municipality.pk],
        "signatories": [pk for pk in (party[POLICE], party[MUNICIPALITY]) if pk],
        "situation": parsed.situation,
        "pledge": parsed.pledge,
        "expected_effects": parsed.expected_effects,
        "follow_up": parsed.follow_up,
        "communication": parsed.communication,
    }
    areas = list(parsed.focus_areas)
    activities = [
        {
            "include": True,
            "title": activity.title,
            "description": activity.description,
            "focus_area": str(areas.index(activity.focus_area)) if activity.focus_area in areas else "",
            "kind": kind_of.get(activity.kind, ""),
            "lead_organisation": party.get(activity.lead) or "",
            "partner_organisations": [party[p] for p in activity.partners if party.get(p)],
            "target_count": activity.target_count,
            "unit": activity.unit,
            "target_places": [place_of[name] for name in activity.places if name in place_of],
            "recurrence": activity.recurrence,
        }
        for activity in parsed.activities
    ]
    return Suggestion(
        promise=promise,
        focus_areas=[{"title": title, "description": ""} for title in areas],
        activities=activities,
        unplaced=list(parsed.unplaced),
    )


def promise_import_review(*, by, promise_form, focus_areas, activities) -> Promise:
    """The draft the review page describes: ``promise_form`` a bound PromiseForm, ``focus_areas`` the focus areas'
    data, ``activities`` each activity's data for ActivityForm with ``focus_area`` the index of one of
    ``focus_areas`` (or empty). ImportRefused, nothing saved, when any part is refused; the promise form's own
    errors are on the form."""

    def steps(builder):
        builder.add_promise(promise_form)
        created = {}
        for index, data in enumerate(focus_areas):
            area = builder.add_focus_area(index, {**data, "order": str(index + 1)})
            if area is not None:
                created[str(index)] = area.pk
        for index, data in enumerate(activities):
            area = data.get("focus_area", "")
            refused = set()
            if area not in ("", None) and str(area) not in created:
                refused.add("focus_area")
                builder.refuse("activity", index, "focus_area", _("Its focus area could not be made; see above."))
            payload = {**data, "focus_area": created.get(str(area), ""), "order": str(index + 1)}
            builder.add_activity(index, payload, skip=refused)
        return builder.promise

    return _draft_in_one_transaction(by, steps)


# --- Records ---------------------------------------------------------------------------------------------------

# Which field of the log form each column of the records sheet fills.
RECORD_FIELD_OF = {
    "occurred_on": "occurred_on",
    "activity": "activity",
    "quantity": "quantity",
    "place": "place",
    "place_text": "place_text",
    "organisations": "participating_organisations",
    "summary": "summary",
}
RECORD_COLUMN_OF = {value: key for key, value in RECORD_FIELD_OF.items()}


@dataclass
class CheckedRecord:
    """One row of a records sheet run through the log form: what would be stored, or why not."""

    row: int
    key: str
    form: RecordForm
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column key, message); "" for the whole row

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def shown(self) -> dict:
        """The record as it will be stored, in the words the preview shows."""
        data = self.form.cleaned_data
        place = data.get("place")
        return {
            "occurred_on": data.get("occurred_on"),
            "activity": data["activity"].title if data.get("activity") else "",
            "quantity": data.get("quantity"),
            "place": place.name if place else "",
            "place_text": data.get("place_text", ""),
            "organisations": [o.name for o in data.get("participating_organisations") or []],
            "summary": data.get("summary", ""),
        }


def records_lists(promise, user) -> sheets.Lists:
    """What the records template's lists offer: the activities the user may log in the promise, and the places and
    organisations the log form would take for them."""
    probe = RecordForm(user=user, activities=loggable_in(promise, user))
    places = probe.fields["place"].queryset.filter(municipality__promises=promise).select_related("municipality")
    return sheets.lists_for(
        kinds=[],
        organisations=probe.fields["participating_organisations"].queryset,
        places=places.order_by("kind", "name"),
        municipalities=[],
        activities=loggable_in(promise, user).order_by("order", "pk"),
        several_municipalities=len(promise.municipalities.all()) > 1,
    )


def loggable_in(promise, user):
    """The activities of the promise the user may log: as the log form offers them."""
    return Activity.objects.loggable_by(user).filter(promise=promise).select_related("promise")


def records_check(*, promise, rows, by, keys=None) -> list[CheckedRecord]:
    """Each row run through the log form exactly as a person filling it in would: ``RecordForm`` with the
    activities the user may log in this promise, and the model's rules (dates within the period and not in the
    future, approved tertials locked, places of the promise's municipalities, the privacy guard)."""
    activities = loggable_in(promise, by)
    probe = RecordForm(user=by, activities=activities)
    titles = Names(Activity.objects.filter(promise=promise).only("pk", "title"), lambda activity: [activity.title])
    places = probe.fields["place"].queryset.select_related("municipality")
    in_promise = set(Place.objects.filter(municipality__promises=promise).values_list("pk", flat=True))
    place_names = _places_by_name(places)
    organisations = _by_name(probe.fields["participating_organisations"].queryset)
    checked = []
    for index, row in enumerate(rows):
        values = row.values
        key = keys[index] if keys else str(uuid.uuid4())
        problems = []
        data = {
            "submission_key": key,
            "occurred_on": values.get("occurred_on", ""),
            "quantity": values.get("quantity", ""),
            "place_text": values.get("place_text", ""),
            "summary": values.get("summary", ""),
        }
        activity, why = titles.find(values.get("activity", "")) if values.get("activity") else (None, None)
        if values.get("activity") and activity is None:
            if why == "unknown":
                message = _("The promise has no activity called “%(title)s”.")
            else:
                message = _("Several activities of the promise are called “%(title)s”: rename them apart first.")
            problems.append(("activity", message % {"title": values["activity"]}))
        data["activity"] = activity.pk if activity else ""
        if values.get("place"):
            place, why = place_names.find(values["place"])
            if place is None and why == "ambiguous":
                # The same name in two of the user's municipalities: the promise's own is meant.
                candidates = [p for p in place_names.found.get(_fold(values["place"]), []) if p.pk in in_promise]
                place = candidates[0] if len(candidates) == 1 else None
            if place is None:
                problems.append(
                    ("place", _("No place of your municipalities is called “%(name)s”.") % {"name": values["place"]})
                )
            data["place"] = place.pk if place else ""
        else:
            data["place"] = ""
        chosen, missing = organisations.find_all(values.get("organisations") or [])
        if missing:
            problems.append(
                ("organisations", _unknown(missing, _("%(names)s: not an organisation of your municipalities.")))
            )
        data["participating_organisations"] = [o.pk for o in chosen]
        form = RecordForm(data, user=by, activities=activities)
        refused_columns = {column for column, _message in problems}
        if not form.is_valid():
            for name, errors in form.errors.items():
                if name == "confirm_quantity":
                    # A sheet has no box to tick: a quantity that needs confirming is logged through the form.
                    asked = confirm_quantity_message(form.cleaned_data["quantity"], form.cleaned_data["activity"])
                    message = "{} {}".format(asked, _("Log this row through the log form, where you can confirm it."))
                    problems.append(("quantity", message))
                    continue
                column = RECORD_COLUMN_OF.get(name, "")
                if column in refused_columns:
                    continue
                problems += [(column, str(message)) for message in errors]
        checked.append(CheckedRecord(row=row.number, key=key, form=form, problems=problems))
    return checked


class AlreadySaved(Exception):
    """Every row of this preview was saved before (the same page posted twice): nothing is saved again."""


def records_save(*, promise, rows, keys, by) -> list[ActivityRecord]:
    """Stores every row as a record by ``by``, after checking each again as :func:`records_check` does: a
    preview shown before a tertial was approved (or an activity changed) stores nothing that became invalid.
    All or nothing; ImportRefused with the rows' problems, AlreadySaved when the same preview was saved before."""
    if ActivityRecord.objects.filter(submission_key__in=keys).count() == len(keys):
        raise AlreadySaved
    checked = records_check(promise=promise, rows=rows, by=by, keys=keys)
    problems = [
        Problem("record", index, column or None, message)
        for index, item in enumerate(checked)
        for column, message in item.problems
    ]
    if problems:
        raise ImportRefused(problems)
    try:
        with transaction.atomic():
            saved = []
            for item in checked:
                record = item.form.save(commit=False)
                record.recorded_by = by
                record.submission_key = item.form.cleaned_data["submission_key"]
                record._history_user = by
                record.save()
                item.form.save_m2m()
                saved.append(record)
    except IntegrityError:
        # A second request with the same preview won the race: its records are the ones kept.
        if ActivityRecord.objects.filter(submission_key__in=keys).exists():
            raise AlreadySaved from None
        raise
    return saved
