"""The promise's spreadsheet (XLSX): the template a coordinator fills in, the same template filled in from a stored
promise, and the sheet of records to import; reading them back as plain rows.

One workbook layout serves both directions, so that exporting a promise and importing the file gives the same
draft (activities.imports does the importing, with the workspace forms' own rules):

- **Instruktioner**: how to fill it in;
- **Löfte**: one row per field of the promise ("Fält", "Värde"): title, address name, year, period, the
  municipalities and signatories by name, and the texts;
- **Fokusområden**: order, title, description;
- **Aktiviteter**: order, title, focus area (by title), kind (by name or slug), description, lead organisation,
  partner organisations, target count and unit, target places, recurrence ("En gång" or "Löpande");
- **Listor**: what may be chosen (kinds, organisations, places, municipalities), which the drop-down lists of
  the other sheets read.

Several names in one cell are separated by semicolons or line breaks. Headings and sheet names are read in
Swedish or English, whichever language the file was made in.

The records sheet ("Registreringar") has a column for each field of the log form: date, activity (by title),
quantity, place, place description, organisations and summary.

Reading is bounded: a file larger than :data:`MAX_UPLOAD_BYTES`, one that unpacks to more than
:data:`MAX_UNPACKED_BYTES` (a "zip bomb"), or a sheet with more rows than its limit is refused with a message,
as is anything that is not a readable XLSX workbook. The standard library's XML parser, which openpyxl uses here,
expands no external entities and (with the expat Python 3.12 ships) refuses entity bombs.
"""

from __future__ import annotations

import datetime
import io
import logging
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from promises.models import Organisation, Place

from .models import MAX_QUANTITY, Activity, ActivityKind

logger = logging.getLogger("portal.imports")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A filled-in promise with hundreds of activities is well under 1 MB; records, a few hundred bytes a row.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_MEMBERS = 100
MAX_FOCUS_AREAS = 100
MAX_ACTIVITIES = 300
# Each row goes through the log form and is saved with its history: 500 rows keep one request to seconds.
MAX_RECORDS = 500
# Rows a sheet may have at all, empty ones included: a cell far down (row 1 048 576) would otherwise make the
# reader walk a million empty rows.
MAX_SCANNED_ROWS = 5000

INSTRUCTIONS = gettext_lazy("Instructions")
PROMISE = gettext_lazy("Promise")
FOCUS_AREAS = gettext_lazy("Focus areas")
ACTIVITIES = gettext_lazy("Activities")
LISTS = gettext_lazy("Lists")
RECORDS = gettext_lazy("Records")


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int = 20
    # A list of names, separated by semicolons or line breaks.
    many: bool = False
    # Added after the first templates were handed out: a sheet without it still reads, as the column's default.
    optional: bool = False


PROMISE_FIELDS = [
    Column("title", gettext_lazy("Title")),
    Column("slug", gettext_lazy("Address name")),
    Column("year", gettext_lazy("Year")),
    Column("period_start", gettext_lazy("Period start")),
    Column("period_end", gettext_lazy("Period end")),
    Column("municipalities", gettext_lazy("Municipalities"), many=True),
    Column("signatories", gettext_lazy("Signatory organisations"), many=True),
    Column("situation", gettext_lazy("Situation picture")),
    Column("pledge", gettext_lazy("Pledge")),
    Column("expected_effects", gettext_lazy("Expected effects")),
    Column("follow_up", gettext_lazy("Follow-up")),
    Column("communication", gettext_lazy("Communication")),
]
FIELD_HEADING = gettext_lazy("Field")
VALUE_HEADING = gettext_lazy("Value")

FOCUS_AREA_COLUMNS = [
    Column("order", gettext_lazy("Order"), 10),
    Column("title", gettext_lazy("Title"), 40),
    Column("description", gettext_lazy("Description"), 80),
]

ACTIVITY_COLUMNS = [
    Column("order", gettext_lazy("Order"), 10),
    Column("title", gettext_lazy("Title"), 40),
    Column("focus_area", gettext_lazy("Focus area"), 30),
    Column("kind", gettext_lazy("Activity kind"), 30),
    Column("description", gettext_lazy("Description"), 60),
    Column("lead", gettext_lazy("Lead organisation"), 35),
    Column("partners", gettext_lazy("Partner organisations"), 35, many=True),
    Column("target_count", gettext_lazy("Target count"), 14),
    Column("unit", gettext_lazy("Unit"), 25),
    Column("places", gettext_lazy("Target places"), 35, many=True),
    Column("recurrence", gettext_lazy("Recurrence"), 14),
    Column("internal", gettext_lazy("Internal"), 12, optional=True),
    Column("target_window_start", gettext_lazy("Target applies from"), 14, optional=True),
    Column("target_window_end", gettext_lazy("Target applies until"), 14, optional=True),
    Column("per_municipality", gettext_lazy("Target per municipality"), 14, optional=True),
    # Last, and optional, so that sheets made before it came still import: "skolhundsinsats" beside "skolhundsinsatser".
    Column("unit_singular", gettext_lazy("Unit for one"), 25, optional=True),
]

RECORD_COLUMNS = [
    Column("occurred_on", gettext_lazy("Date"), 14),
    Column("activity", gettext_lazy("Activity"), 40),
    Column("quantity", gettext_lazy("Quantity"), 10),
    Column("place", gettext_lazy("Place"), 25),
    Column("place_text", gettext_lazy("Place description"), 30),
    Column("organisations", gettext_lazy("Participating organisations"), 35, many=True),
    Column("summary", gettext_lazy("Summary"), 60),
]


class SheetUnreadable(Exception):
    """The file is not a workbook this module can read; the message says why, for the person who uploaded it."""


# --- What a sheet holds ----------------------------------------------------------------------------------------


@dataclass
class Row:
    """One row of a sheet: its number as the spreadsheet shows it, and its values by column key (text, or a list
    of names for a column of several)."""

    number: int
    values: dict


@dataclass
class PromiseSheet:
    promise: dict = field(default_factory=dict)  # field key -> text (or list of names)
    promise_rows: dict = field(default_factory=dict)  # field key -> row number on the promise sheet
    focus_areas: list[Row] = field(default_factory=list)
    activities: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Lists:
    """What the drop-down lists offer: names of kinds, organisations, places and municipalities, and the
    activities of a promise (for the records sheet)."""

    kinds: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)


def quoted(text) -> str:
    """``text`` within the quotation marks of the language in use (Swedish writes ”så här”)."""
    return _("“%(text)s”") % {"text": text}


def recurrence_labels() -> dict[str, str]:
    """{label as written in the sheet, in any language, or the stored value: the value}."""
    labels = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in Activity.Recurrence.choices:
                labels[str(label).casefold()] = value
    for value in Activity.Recurrence.values:
        labels[value.casefold()] = value
    return labels


def recurrence_label(value: str) -> str:
    return str(Activity.Recurrence(value).label) if value in Activity.Recurrence.values else value


_YES, _NO = gettext_lazy("Yes"), gettext_lazy("No")


def yes_no_label(value: bool) -> str:
    return str(_YES if value else _NO)


def yes_no_value(text: str) -> bool | None:
    """A yes-or-no cell as a boolean, in any of the portal's languages (empty is no); None when it is neither."""
    folded = text.strip().casefold()
    if folded in ("", "0", "false"):
        return False
    if folded in ("1", "true", "x"):
        return True
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            if folded == str(_YES).casefold():
                return True
            if folded == str(_NO).casefold():
                return False
    return None


# --- Writing -----------------------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _put(worksheet, row, column, value, *, wrap=False):
    cell = worksheet.cell(row=row, column=column, value=_cell_value(value))
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would store text starting with "=" as a formula: what staff typed stays text.
        cell.data_type = "s"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    if wrap:
        cell.alignment = _WRAP
    return cell


def _names(values) -> str:
    return "; ".join(values)


def _headed_sheet(workbook, title, columns, rows, *, first=False):
    worksheet = workbook.active if first else workbook.create_sheet()
    worksheet.title = str(title)[:31]
    for number, column in enumerate(columns, start=1):
        _put(worksheet, 1, number, str(column.heading)).font = _BOLD
        worksheet.column_dimensions[get_column_letter(number)].width = column.width
    for row_number, values in enumerate(rows, start=2):
        for number, column in enumerate(columns, start=1):
            value = values.get(column.key)
            if column.many:
                value = _names(value or [])
            _put(worksheet, row_number, number, value, wrap=column.width >= 40)
    worksheet.freeze_panes = "A2"
    return worksheet


def _list_column(worksheet, number, heading, values):
    _put(worksheet, 1, number, str(heading)).font = _BOLD
    worksheet.column_dimensions[get_column_letter(number)].width = 40
    for row, value in enumerate(values, start=2):
        _put(worksheet, row, number, value)
    if not values:
        return None
    letter = get_column_letter(number)
    return f"{quote_sheetname(worksheet.title)}!${letter}$2:${letter}${len(values) + 1}"


def _validate(worksheet, column_number, last_row, *, formula=None, kind="list", prompt="", **options):
    if kind == "list" and not formula:
        return
    validation = DataValidation(type=kind, formula1=formula, allow_blank=True, **options)
    validation.error = _("Choose a value from the list, or leave the cell empty.") if kind == "list" else prompt
    validation.errorTitle = _("Not a valid value")
    validation.prompt = prompt
    validation.showInputMessage = bool(prompt)
    validation.showErrorMessage = True
    letter = get_column_letter(column_number)
    validation.add(f"{letter}2:{letter}{last_row}")
    worksheet.add_data_validation(validation)


def _instructions(workbook, paragraphs):
    worksheet = workbook.active
    worksheet.title = str(INSTRUCTIONS)[:31]
    worksheet.column_dimensions["A"].width = 110
    for row, paragraph in enumerate(paragraphs, start=1):
        cell = _put(worksheet, row, 1, str(paragraph), wrap=True)
        if row == 1:
            cell.font = Font(bold=True, size=14)


def _column_number(columns, key):
    return next(number for number, column in enumerate(columns, start=1) if column.key == key)


def _column(columns, key) -> Column:
    return next(column for column in columns if column.key == key)


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def promise_workbook(sheet: PromiseSheet | None, lists: Lists) -> bytes:
    """The promise template, empty (``sheet`` None) or filled in, with drop-down lists from ``lists``."""
    sheet = sheet or PromiseSheet()
    workbook = Workbook()
    _instructions(
        workbook,
        [
            _("How to fill in the promise template"),
            _(
                "Fill in the sheets Promise, Focus areas and Activities, save the file as .xlsx and upload it in "
                "the workspace under “Import a promise”. A draft is made that you review before it is signed."
            ),
            _(
                "If anything cannot be imported, nothing is saved: you get a list of every row that was refused, "
                "with the sheet, the row and the reason. Correct the file and upload it again."
            ),
            _(
                "Promise: write each value in the Value column. The period is given as dates (2022-01-01). "
                "Municipalities and signatory organisations are written by name, as on the Lists sheet; several "
                "names are separated by semicolons. The address name may be left empty: it is made from the title."
            ),
            _("Focus areas: one row each, in the order they are shown; the title must be unique within the promise."),
            _(
                "Activities: one row each. Focus area is the title of a focus area on the Focus areas sheet. Activity "
                "kind, lead organisation and target places are chosen from the Lists sheet; several partner "
                "organisations or places are separated by semicolons. The target count is a whole number (at "
                "least 1), or empty when the target is not a number. Recurrence is “%(once)s” or “%(continuous)s”."
            )
            % {
                "once": recurrence_label(Activity.Recurrence.ONCE),
                "continuous": recurrence_label(Activity.Recurrence.CONTINUOUS),
            },
            _(
                "Internal is “%(yes)s” for an activity of the internal action plan, which citizens never see; "
                "empty or “%(no)s” for an activity of the public promise."
            )
            % {"yes": yes_no_label(True), "no": yes_no_label(False)},
            _(
                "A target that applies to part of the period only (a winter season, say) gives its first and last "
                "day as dates; leave both empty for the whole period. Target per municipality is “%(yes)s” when, in "
                "a promise of several municipalities, the target applies to each of them."
            )
            % {"yes": yes_no_label(True)},
            _(
                "Describe the work, never people: no names or personal identity numbers. Such text is refused, as in "
                "the workspace's forms."
            ),
        ],
    )

    promise_sheet = workbook.create_sheet(str(PROMISE)[:31])
    _put(promise_sheet, 1, 1, str(FIELD_HEADING)).font = _BOLD
    _put(promise_sheet, 1, 2, str(VALUE_HEADING)).font = _BOLD
    promise_sheet.column_dimensions["A"].width = 28
    promise_sheet.column_dimensions["B"].width = 100
    for row, column in enumerate(PROMISE_FIELDS, start=2):
        _put(promise_sheet, row, 1, str(column.heading)).font = _BOLD
        value = sheet.promise.get(column.key)
        _put(promise_sheet, row, 2, _names(value or []) if column.many else value, wrap=True)
    year_row = 2 + [column.key for column in PROMISE_FIELDS].index("year")
    year = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100", allow_blank=True)
    year.error = _("Write a year between 2000 and 2100.")
    year.showErrorMessage = True
    year.add(f"B{year_row}")
    promise_sheet.add_data_validation(year)

    areas = _headed_sheet(
        workbook,
        FOCUS_AREAS,
        FOCUS_AREA_COLUMNS,
        [{**row.values} for row in sheet.focus_areas],
    )
    activities = _headed_sheet(workbook, ACTIVITIES, ACTIVITY_COLUMNS, [{**row.values} for row in sheet.activities])

    lists_sheet = workbook.create_sheet(str(LISTS)[:31])
    kinds = _list_column(lists_sheet, 1, ACTIVITY_COLUMNS[3].heading, lists.kinds)
    organisations = _list_column(lists_sheet, 2, gettext_lazy("Organisations"), lists.organisations)
    # Several places go in one cell, which a drop-down list cannot hold: the Lists sheet names them to copy.
    _list_column(lists_sheet, 3, gettext_lazy("Places"), lists.places)
    _list_column(lists_sheet, 4, gettext_lazy("Municipalities"), lists.municipalities)
    recurrences = _list_column(
        lists_sheet,
        5,
        _column(ACTIVITY_COLUMNS, "recurrence").heading,
        [recurrence_label(v) for v in Activity.Recurrence.values],
    )
    yes_no = _list_column(lists_sheet, 6, gettext_lazy("Yes or no"), [yes_no_label(True), yes_no_label(False)])

    last = MAX_ACTIVITIES + 1
    title_column = get_column_letter(_column_number(FOCUS_AREA_COLUMNS, "title"))
    area_titles = f"{quote_sheetname(areas.title)}!${title_column}$2:${title_column}${MAX_FOCUS_AREAS + 1}"
    _validate(activities, _column_number(ACTIVITY_COLUMNS, "focus_area"), last, formula=area_titles)
    _validate(activities, _column_number(ACTIVITY_COLUMNS, "kind"), last, formula=kinds)
    _validate(activities, _column_number(ACTIVITY_COLUMNS, "lead"), last, formula=organisations)
    _validate(activities, _column_number(ACTIVITY_COLUMNS, "recurrence"), last, formula=recurrences)
    _validate(activities, _column_number(ACTIVITY_COLUMNS, "internal"), last, formula=yes_no)
    _validate(activities, _column_number(ACTIVITY_COLUMNS, "per_municipality"), last, formula=yes_no)
    _validate(
        activities,
        _column_number(ACTIVITY_COLUMNS, "target_count"),
        last,
        kind="whole",
        operator="greaterThanOrEqual",
        formula="1",
        prompt=_("A whole number, at least 1; empty when the target is not a number."),
    )
    return _bytes(workbook)


def records_workbook(lists: Lists, *, period_start: datetime.date, period_end: datetime.date) -> bytes:
    """The records template of one promise: its activities and places in drop-down lists."""
    workbook = Workbook()
    _instructions(
        workbook,
        [
            _("How to fill in the records template"),
            _(
                "One row for each activity carried out, as in the log form: the date it happened, the activity (by "
                "its title, from the list), how many, and where; the organisations that took part (several separated "
                "by semicolons) and a short summary."
            ),
            _(
                "Upload the file under “Import records” on the promise's page. You see every row as it will be "
                "stored before anything is saved, and rows that cannot be stored with the reason. Nothing is saved "
                "until every row can be."
            ),
            _("The date must lie within the promise's period (%(start)s–%(end)s) and not in the future.")
            % {"start": period_start.isoformat(), "end": period_end.isoformat()},
            _("Describe the work that was done, never people: no names, personal identity numbers or details."),
        ],
    )
    worksheet = _headed_sheet(workbook, RECORDS, RECORD_COLUMNS, [])
    lists_sheet = workbook.create_sheet(str(LISTS)[:31])
    activities = _list_column(lists_sheet, 1, RECORD_COLUMNS[1].heading, lists.activities)
    places = _list_column(lists_sheet, 2, gettext_lazy("Places"), lists.places)
    _list_column(lists_sheet, 3, gettext_lazy("Organisations"), lists.organisations)
    last = MAX_RECORDS + 1
    _validate(worksheet, _column_number(RECORD_COLUMNS, "activity"), last, formula=activities)
    _validate(worksheet, _column_number(RECORD_COLUMNS, "place"), last, formula=places)
    _validate(
        worksheet,
        _column_number(RECORD_COLUMNS, "quantity"),
        last,
        kind="whole",
        operator="between",
        formula="1",
        formula2=str(MAX_QUANTITY),
        prompt=_("A whole number, at least 1."),
    )
    dates = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({period_start.year},{period_start.month},{period_start.day})",
        formula2=f"DATE({period_end.year},{period_end.month},{period_end.day})",
        allow_blank=True,
    )
    dates.error = _("The date must lie within the promise's period.")
    dates.showErrorMessage = True
    letter = get_column_letter(_column_number(RECORD_COLUMNS, "occurred_on"))
    dates.add(f"{letter}2:{letter}{last}")
    worksheet.add_data_validation(dates)
    return _bytes(workbook)


# --- A stored promise as a sheet --------------------------------------------------------------------------------


def place_label(place, *, several_municipalities: bool) -> str:
    """A place as the sheet names it: with its municipality when the promise has more than one."""
    return f"{place.name} ({place.municipality.name})" if several_municipalities else place.name


def sheet_of(promise) -> PromiseSheet:
    """The promise as its sheet holds it: a fixed number of queries, however many activities it has."""
    promise = (
        type(promise)
        .objects.filter(pk=promise.pk)
        .prefetch_related(
            "municipalities",
            Prefetch("signatories", queryset=Organisation.objects.order_by("name")),
            "focus_areas",
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related("kind", "lead_organisation", "focus_area")
                .prefetch_related(
                    Prefetch("partner_organisations", queryset=Organisation.objects.order_by("name")),
                    Prefetch(
                        "target_places",
                        queryset=Place.objects.select_related("municipality").order_by("municipality__name", "name"),
                    ),
                )
                .order_by("order", "pk"),
            ),
        )
        .get()
    )
    several = len(promise.municipalities.all()) > 1
    sheet = PromiseSheet(
        promise={
            "title": promise.title,
            "slug": promise.slug,
            "year": promise.year,
            "period_start": promise.period_start,
            "period_end": promise.period_end,
            "municipalities": [m.name for m in promise.municipalities.all()],
            "signatories": [o.name for o in promise.signatories.all()],
            "situation": promise.situation,
            "pledge": promise.pledge,
            "expected_effects": promise.expected_effects,
            "follow_up": promise.follow_up,
            "communication": promise.communication,
        }
    )
    sheet.promise_rows = {column.key: row for row, column in enumerate(PROMISE_FIELDS, start=2)}
    sheet.focus_areas = [
        Row(row, {"order": area.order, "title": area.title, "description": area.description})
        for row, area in enumerate(promise.focus_areas.all(), start=2)
    ]
    sheet.activities = [
        Row(
            row,
            {
                "order": activity.order,
                "title": activity.title,
                "focus_area": activity.focus_area.title if activity.focus_area else "",
                "kind": activity.kind.name,
                "description": activity.description,
                "lead": activity.lead_organisation.name,
                "partners": [o.name for o in activity.partner_organisations.all()],
                "target_count": activity.target_count,
                "unit": activity.unit,
                "places": [place_label(p, several_municipalities=several) for p in activity.target_places.all()],
                "recurrence": recurrence_label(activity.recurrence),
                "internal": yes_no_label(activity.is_internal),
                "target_window_start": activity.target_window_start,
                "target_window_end": activity.target_window_end,
                "per_municipality": yes_no_label(activity.target_per_municipality),
                "unit_singular": activity.unit_singular,
            },
        )
        for row, activity in enumerate(promise.activities.all(), start=2)
    ]
    return sheet


def lists_for(*, kinds, organisations, places, municipalities, activities=(), several_municipalities=False) -> Lists:
    return Lists(
        kinds=[kind.name for kind in kinds],
        organisations=[organisation.name for organisation in organisations],
        places=[place_label(place, several_municipalities=several_municipalities) for place in places],
        municipalities=[municipality.name for municipality in municipalities],
        activities=[activity.title for activity in activities],
    )


def all_kinds():
    return ActivityKind.objects.order_by("name")


# --- Reading -----------------------------------------------------------------------------------------------------


def _text(value) -> str:
    """A cell's value as the text a form field receives."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int):
        return str(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def split_names(text: str) -> list[str]:
    """The names in a cell of several: separated by semicolons or line breaks."""
    return [part.strip() for chunk in text.split("\n") for part in chunk.split(";") if part.strip()]


def _headings(columns) -> dict[str, str]:
    """{a heading as written in any of the portal's languages, folded: the column's key}."""
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column in columns:
                found[str(column.heading).casefold()] = column.key
    return found


def _sheet_names(title) -> set[str]:
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(title)[:31].casefold())
    return names


def _open(upload):
    """The workbook in an uploaded file, read-only, or SheetUnreadable with the reason."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise SheetUnreadable(
            _("The file is too large: at most %(size)s MB can be imported.") % {"size": MAX_UPLOAD_BYTES // 2**20}
        )
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise SheetUnreadable(
            _("The file is too large: at most %(size)s MB can be imported.") % {"size": MAX_UPLOAD_BYTES // 2**20}
        )
    unreadable = SheetUnreadable(
        _("The file could not be read as an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise SheetUnreadable(_("The workbook is too large once unpacked, so it was not read."))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise unreadable from None
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a broken or foreign file
        logger.info("an uploaded workbook could not be read", exc_info=True)
        raise unreadable from None


def _worksheet(workbook, title, *, required=True):
    names = _sheet_names(title)
    for worksheet in workbook.worksheets:
        if worksheet.title.casefold() in names:
            return worksheet
    if required:
        raise SheetUnreadable(
            _("The workbook has no sheet named “%(sheet)s”. Start from the template.") % {"sheet": title}
        )
    return None


def _rows(worksheet, columns, limit, sheet_title) -> list[Row]:
    """The sheet's non-empty rows under its heading row, by column key; a sheet with more than ``limit`` is
    refused."""
    headings = _headings(columns)
    by_column: dict[int, str] = {}
    rows: list[Row] = []
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > MAX_SCANNED_ROWS:
                raise SheetUnreadable(
                    _("The sheet “%(sheet)s” has more than %(limit)s rows; import at most that many at a time.")
                    % {"sheet": sheet_title, "limit": limit}
                )
            if number == 1:
                for index, value in enumerate(values):
                    key = headings.get(_text(value).casefold())
                    if key and key not in by_column.values():
                        by_column[index] = key
                missing = [str(c.heading) for c in columns if c.key not in by_column.values() and not c.optional]
                if missing:
                    raise SheetUnreadable(
                        _("The sheet “%(sheet)s” lacks the column %(columns)s. Start from the template.")
                        % {"sheet": sheet_title, "columns": ", ".join(quoted(name) for name in missing)}
                    )
                continue
            cells = {key: _text(values[index]) if index < len(values) else "" for index, key in by_column.items()}
            if not any(cells.values()):
                continue
            if len(rows) >= limit:
                raise SheetUnreadable(
                    _("The sheet “%(sheet)s” has more than %(limit)s rows; import at most that many at a time.")
                    % {"sheet": sheet_title, "limit": limit}
                )
            for column in columns:
                if column.many:
                    cells[column.key] = split_names(cells.get(column.key, ""))
            rows.append(Row(number, cells))
    except SheetUnreadable:
        raise
    except Exception:  # a damaged sheet fails in openpyxl's reader in many ways
        logger.info("a sheet of an uploaded workbook could not be read", exc_info=True)
        raise SheetUnreadable(
            _("The sheet “%(sheet)s” could not be read. Save the file as .xlsx and upload it again.")
            % {"sheet": sheet_title}
        ) from None
    if not by_column:
        raise SheetUnreadable(
            _("The sheet “%(sheet)s” has no heading row. Start from the template.") % {"sheet": sheet_title}
        )
    return rows


def read_promise_sheet(upload) -> PromiseSheet:
    """The promise, focus areas and activities of an uploaded template; SheetUnreadable when it cannot be read."""
    workbook = _open(upload)
    try:
        sheet = PromiseSheet()
        labels = _headings(PROMISE_FIELDS)
        worksheet = _worksheet(workbook, PROMISE)
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True, max_row=200), start=1):
                if not values:
                    continue
                key = labels.get(_text(values[0]).casefold())
                if key is None or key in sheet.promise:
                    continue
                column = next(c for c in PROMISE_FIELDS if c.key == key)
                value = values[1] if len(values) > 1 else None
                sheet.promise[key] = split_names(_text(value)) if column.many else _text(value)
                sheet.promise_rows[key] = number
        except Exception:  # as in _rows
            logger.info("the promise sheet of an uploaded workbook could not be read", exc_info=True)
            raise SheetUnreadable(
                _("The sheet “%(sheet)s” could not be read. Save the file as .xlsx and upload it again.")
                % {"sheet": PROMISE}
            ) from None
        if "title" not in sheet.promise:
            raise SheetUnreadable(
                _("The sheet “%(sheet)s” has no row “%(field)s”. Start from the template.")
                % {"sheet": PROMISE, "field": PROMISE_FIELDS[0].heading}
            )
        areas = _worksheet(workbook, FOCUS_AREAS, required=False)
        if areas is not None:
            sheet.focus_areas = _rows(areas, FOCUS_AREA_COLUMNS, MAX_FOCUS_AREAS, FOCUS_AREAS)
        sheet.activities = _rows(_worksheet(workbook, ACTIVITIES), ACTIVITY_COLUMNS, MAX_ACTIVITIES, ACTIVITIES)
        return sheet
    finally:
        workbook.close()


def read_records_sheet(upload) -> list[Row]:
    """The rows of an uploaded records sheet; SheetUnreadable when it cannot be read."""
    workbook = _open(upload)
    try:
        return _rows(_worksheet(workbook, RECORDS), RECORD_COLUMNS, MAX_RECORDS, RECORDS)
    finally:
        workbook.close()
