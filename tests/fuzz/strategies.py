"""Hypothesis strategies for fuzzing the portal's forms and addresses.

Everything a form or an address receives is a string, so the strategies produce strings: Swedish text with
å, ä and ö, markup and script, very long text, NUL bytes and control characters, valid and invalid personal
identity numbers, dates inside and outside the promise period and in the future, numbers written every way
a person (or an attacker) might, ids of objects inside and outside the user's scope, random UUIDs and
tertial codes. :func:`mutated` turns a valid form into a slightly broken one, so that examples reach both
the refusal and the saving code.

The world's promise runs 2020-01-01..2020-12-31 (tests/conftest.py); the dates below are built around it.
"""

import datetime
import string
import uuid

from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# --- Settings -------------------------------------------------------------------------------------------------


def fuzz_settings(max_examples):
    """Deterministic (the same examples on every run, so CI never flakes), no example database in the repo.

    The ``world`` fixture is function-scoped on purpose: each example runs inside a savepoint that is rolled
    back (see :func:`tests.fuzz.harness.isolated`), so the world is the same for every example.
    """
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- Personas -------------------------------------------------------------------------------------------------

# The personas of tests/conftest.py; None is an anonymous visitor.
PERSONAS = ("police_recorder", "municipal_recorder", "coordinator", "council_member", "outsider", "administrator", None)
personas = st.sampled_from(PERSONAS)

# --- Text -----------------------------------------------------------------------------------------------------

SWEDISH_WORDS = (
    "Trygghetsvandring",
    "i",
    "Mariefred",
    "med",
    "föräldrar",
    "och",
    "fältassistenter",
    "Narkotikasök",
    "på",
    "Läggesta",
    "station",
    "Ökad",
    "närvaro",
    "vid",
    "skolgården",
    "under",
    "kvällstid",
    "Åtgärd",
    "genomförd",
    "Stallarholmen",
    "Grannsamverkan",
    "Kontakt",
    "rektor",
    "översyn",
    "belysning",
    "gångtunneln",
    "Ärende",
    "avslutat",
    "–",
    "»citat«",
    "”citat”",
)
SWEDISH_LETTERS = string.ascii_letters + "åäöÅÄÖéüÉÜ"
# No digits: a digit next to an identity number would hide it from the guard (and from the rule check).
swedish_text = st.one_of(
    st.lists(st.sampled_from(SWEDISH_WORDS), min_size=1, max_size=12).map(" ".join),
    st.text(alphabet=SWEDISH_LETTERS + " .,;:!?–-\"'()", min_size=1, max_size=80),
)

# Markup and script that must come back escaped wherever the text is shown.
SCRIPT = '<script>alert("x")</script>'
IMG = '"><img src=x onerror=alert(1)>'
MARKUP = (
    SCRIPT,
    "<script>alert(1)</script>",
    IMG,
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">klicka</a>',
    "<iframe src=//evil.example></iframe>",
    "{{ request.user.password }}",
    "{% debug %}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<!-- ]]> -->",
    "${7*7}",
    "'; DROP TABLE activities_activityrecord; --",
    "%s %(x)s {0}",
    '=HYPERLINK("http://evil.example")',
)
markup = st.sampled_from(MARKUP)
markup_in_text = st.tuples(swedish_text, markup, swedish_text).map(" ".join)

# Very long: past every max_length in the portal (50, 100, 200, 1000, 2000) and far beyond.
LONG_LENGTHS = (51, 101, 201, 1001, 2001, 10_000, 100_000)
long_text = st.tuples(st.sampled_from(LONG_LENGTHS), st.sampled_from(("å", "a", "Ö ", "x<", "é"))).map(
    lambda pair: (pair[1] * pair[0])[: pair[0]]
)

# NUL bytes, control characters, bidi overrides, zero-width and byte-order marks, line and paragraph separators.
CONTROL = ("\x00", "a\x00b", "\x01\x02\x1b[31m", "\r\n", "\t", "\x7f", "\u202e", "\u200b", "\ufeff", "\u2028", "\u2029")
control_text = st.one_of(
    st.sampled_from(CONTROL),
    st.text(alphabet=st.characters(codec="utf-8", categories=("Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=20),
    st.tuples(swedish_text, st.sampled_from(CONTROL), swedish_text).map("".join),
)

# Any text at all that the test client can send (UTF-8 cannot carry lone surrogates).
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)

# --- Personal identity numbers --------------------------------------------------------------------------------


def luhn_check_digit(nine_digits):
    """The Luhn check digit of YYMMDDNNN, written independently of promises.privacy."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


# 10 digits with -, + (100 years or older), a space or nothing; 12 digits with - or nothing; and the spellings
# the guard normalises: other dashes, no-break and doubled spaces, a line break, a zero-width space.
IDENTITY_SHAPES = (
    "10-",
    "10+",
    "10 ",
    "10",
    "12-",
    "12",
    "10\u2013",
    "10\u2212",
    "10\u00a0",
    "10  ",
    "10\r\n",
    "10\u200b",
    "12\u2010",
)
# Digits as people paste them: mostly ASCII, sometimes full-width or Arabic-Indic.
DIGIT_SCRIPTS = (
    str.maketrans({}),
    str.maketrans("0123456789", "０１２３４５６７８９"),
    str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
)


def _written(shape, century_year, month_day, serial_and_check):
    if shape.startswith("12"):
        return f"{century_year:04d}{month_day}{shape[2:]}{serial_and_check}"
    return f"{century_year % 100:02d}{month_day}{shape[2:]}{serial_and_check}"


def _in_script(draw, text):
    return text.translate(draw(st.sampled_from(DIGIT_SCRIPTS))) if draw(st.integers(0, 3)) == 0 else text


@st.composite
def identity_numbers(draw):
    """A valid personnummer or samordningsnummer (day + 60), in one of the shapes people write."""
    day = draw(st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)))
    coordination = draw(st.booleans())
    day_digits = day.day + (60 if coordination else 0)
    serial = f"{draw(st.integers(0, 999)):03d}"
    short = f"{day.year % 100:02d}{day.month:02d}{day_digits:02d}"
    check = luhn_check_digit(short + serial)
    shape = draw(st.sampled_from(IDENTITY_SHAPES))
    return _in_script(draw, _written(shape, day.year, f"{day.month:02d}{day_digits:02d}", f"{serial}{check}"))


@st.composite
def invalid_identity_numbers(draw):
    """Number-shaped text that is not an identity number: a wrong check digit or a date that does not exist."""
    day = draw(st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)))
    serial = f"{draw(st.integers(0, 999)):03d}"
    shape = draw(st.sampled_from(IDENTITY_SHAPES))
    if draw(st.booleans()):
        month_day = f"{day.month:02d}{day.day:02d}"
        right = luhn_check_digit(f"{day.year % 100:02d}{month_day}{serial}")
        check = (right + draw(st.integers(1, 9))) % 10
    else:
        month_day = draw(st.sampled_from(("1301", "0000", "0230", "0431", "0132", "0192", "0229")))
        if month_day == "0229":
            # 29 February exists only in leap years. 1900 and 2100 are not, but written in 10 digits they are
            # year 00, which 2000 makes a leap year (000229-0088 is valid): only a year that is no leap year in
            # either century will do for those.
            years = (1900, 2100, 1901, 2023) if shape.startswith("12") else (1901, 1999, 2023, 2099)
            day = datetime.date(draw(st.sampled_from(years)), 1, 1)
        check = draw(st.integers(0, 9))
    return _in_script(draw, _written(shape, day.year, month_day, f"{serial}{check}"))


def _embedded(number_strategy):
    return st.tuples(swedish_text, number_strategy, st.sampled_from(("", " ", ".", ":", "\n")), swedish_text).map(
        lambda parts: f"{parts[0]} {parts[1]}{parts[2]}{parts[3]}"
    )


text_with_identity_number = st.one_of(identity_numbers(), _embedded(identity_numbers()))
text_with_invalid_number = st.one_of(invalid_identity_numbers(), _embedded(invalid_identity_numbers()))

# --- Free text: what every text field is fuzzed with ----------------------------------------------------------

free_text = st.one_of(
    swedish_text,
    markup_in_text,
    markup,
    long_text,
    control_text,
    text_with_identity_number,
    text_with_invalid_number,
    any_text,
    st.just(""),
    st.just("   "),
)

# --- Dates ----------------------------------------------------------------------------------------------------

PERIOD_START = datetime.date(2020, 1, 1)
PERIOD_END = datetime.date(2020, 12, 31)
# The days where tertials and the period begin and end, and the day after.
EDGE_DATES = (
    datetime.date(2019, 12, 31),
    PERIOD_START,
    datetime.date(2020, 2, 29),
    datetime.date(2020, 4, 30),
    datetime.date(2020, 5, 1),
    datetime.date(2020, 8, 31),
    datetime.date(2020, 9, 1),
    PERIOD_END,
    datetime.date(2021, 1, 1),
)
MALFORMED_DATES = (
    "",
    " ",
    "2020-02-30",
    "2021-02-29",
    "2020-13-01",
    "2020-00-10",
    "2020-04-31",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2020-03-10",
    "31/12/2020",
    "2020/03/10",
    "10 mars 2020",
    "2020-03-10T25:00",
    "２０２０-03-10",
    "٢٠٢٠-03-10",
    "20200310",
    "2020-3-1",
    "null",
    "\x00",
    "2020-03-10\x00",
    "9" * 40,
)


def future_dates():
    """Days after today, from tomorrow to ten years ahead (evaluated when drawn, so midnight cannot fool it)."""
    return st.integers(1, 3650).map(lambda days: timezone.localdate() + datetime.timedelta(days=days))


def date_strings():
    """Dates as a form receives them: in the period, just outside it, long ago, in the future, and malformed."""
    return st.one_of(
        st.dates(PERIOD_START, PERIOD_END).map(datetime.date.isoformat),
        st.sampled_from(EDGE_DATES).map(datetime.date.isoformat),
        st.dates(datetime.date(1, 1, 1), datetime.date(2019, 12, 31)).map(datetime.date.isoformat),
        st.dates(datetime.date(2021, 1, 1), datetime.date(2026, 1, 1)).map(datetime.date.isoformat),
        future_dates().map(datetime.date.isoformat),
        st.just(None).map(lambda _nothing: timezone.localdate().isoformat()),
        st.sampled_from(MALFORMED_DATES),
        # Other formats the Swedish locale accepts, and some it does not.
        st.dates(PERIOD_START, PERIOD_END).map(lambda day: day.strftime("%d/%m/%Y")),
        st.dates(PERIOD_START, PERIOD_END).map(lambda day: day.strftime("%y-%m-%d")),
    )


TIMES = ("00:00", "12:00", "17:30", "23:59", "24:00", "12:60", "", "noon", "17.30", "25:00", "\x00")
time_strings = st.one_of(st.sampled_from(TIMES), st.times().map(lambda value: value.strftime("%H:%M")))

# --- Numbers --------------------------------------------------------------------------------------------------

HUGE = (2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30, 10**100)
NUMBER_STRINGS = (
    "1",
    "2",
    "0",
    "-0",
    "-1",
    "+1",
    "01",
    " 3 ",
    "1.0",
    "1.5",
    "1,5",
    "12,50",
    "1 000",
    "1_000",
    "1e3",
    "1E+20",
    "0x10",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "",
    " ",
    "abc",
    "ett",
    "٣",
    "１２",
    "½",
    "\x00",
    "1\x00",
    "9" * 12,
    "9" * 40,
    "0." + "0" * 30 + "1",
    *(str(value) for value in HUGE),
    *(str(-value) for value in HUGE),
)
number_strings = st.one_of(
    st.sampled_from(NUMBER_STRINGS),
    st.sampled_from(HUGE).map(str),
    st.integers(-(10**6), 10**6).map(str),
    st.integers(1, 50).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.floats().map(repr),
)

# --- Ids ------------------------------------------------------------------------------------------------------

GARBAGE_IDS = ("", " ", "abc", "1.5", "-1", "0", "1e3", "1,2", "[1]", "None", "null", "\x00", "1\x00", "٣", "１")


def ids(in_scope=(), out_of_scope=()):
    """An id as a form or address carries it: of an object inside or outside the scope, unknown, huge or junk."""
    choices = [
        st.integers(0, 5000).map(str),
        st.sampled_from(HUGE).map(str),
        st.integers(-(10**6), -1).map(str),
        st.sampled_from(GARBAGE_IDS),
        st.uuids().map(str),
    ]
    if in_scope:
        choices.insert(0, st.sampled_from(tuple(str(pk) for pk in in_scope)))
    if out_of_scope:
        choices.insert(1, st.sampled_from(tuple(str(pk) for pk in out_of_scope)))
    return st.one_of(*choices)


def id_lists(in_scope=(), out_of_scope=()):
    """The ids of a multiple choice (checkboxes, the admin's two-box selector)."""
    return st.lists(ids(in_scope, out_of_scope), max_size=4)


MALFORMED_UUIDS = ("", "not-a-uuid", "0" * 32, "0" * 36, "{12345678-1234-5678-1234-567812345678}", "\x00", "g" * 32)
uuid_strings = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda value: value.hex.upper()),
    st.just(str(uuid.UUID(int=0))),
    st.sampled_from(MALFORMED_UUIDS),
)

# --- Tertials, slugs, formats, languages, addresses to go on to -----------------------------------------------

TERTIAL_CODES = (
    "2020T1",
    "2020T2",
    "2020T3",
    "2020T4",
    "2020T0",
    "2019T3",
    "2021T1",
    "2021T3",
    "9999T3",
    "0000T1",
    "0001T1",
    "2020t1",
    "2020T01",
    "20T1",
    "2020-T1",
    "٢٠٢٠T1",
    "２０２０T1",
    "",
)
tertial_codes = st.one_of(
    st.sampled_from(TERTIAL_CODES),
    st.builds(lambda year, number: f"{year:04d}T{number}", st.integers(0, 9999), st.integers(0, 9)),
)

SLUGS = (
    "strangnas",
    "eskilstuna",
    "strangnas-2020",
    "strangnas-2021",
    "eskilstuna-2020",
    "STRANGNAS",
    "strängnäs",
    "-",
    "_",
    "admin",
    "api",
    "static",
    "a" * 300,
)
slugs = st.one_of(st.sampled_from(SLUGS), st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True), any_text)

FORMATS = ("pdf", "xlsx", "csv", "xml", "json", "ics", "html", "PDF", "Csv", "csv ", "pdf.exe", "", "%00", "x" * 300)
formats = st.sampled_from(FORMATS)

LANGUAGES = ("sv", "en", "de", "", "xx", "sv-SE", "EN", "en\x00", "<script>", "x" * 300)
# Where a form may send the user afterwards: local paths, and attempts to leave the site.
NEXT_URLS = (
    "/",
    "/mina-aktiviteter/",
    "/registreringar/1/",
    "//evil.example/",
    "///evil.example/",
    "https://evil.example/",
    "http://testserver.evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " //evil.example",
    "/%0d%0aSet-Cookie:x=1",
    "",
)
next_urls = st.one_of(st.sampled_from(NEXT_URLS), any_text)

# --- Building form data ---------------------------------------------------------------------------------------

OMIT = object()  # a field left out of the POST altogether


def maybe_omitted(strategy):
    return st.one_of(strategy, st.just(OMIT))


def present(form):
    """The form without the fields drawn as :data:`OMIT`."""
    return {name: value for name, value in form.items() if value is not OMIT}


@st.composite
def mutated(draw, base, fuzz):
    """``base`` (a valid form) with a few of its fields replaced by fuzz, or left out.

    ``fuzz`` maps field names to strategies; fields not in ``base`` may be added. Mostly one or two fields at a
    time, so that most examples are one mistake away from a valid form, and Hypothesis shrinks a failing
    example to the field that matters.
    """
    names = sorted(fuzz)
    chosen = draw(st.lists(st.sampled_from(names), max_size=min(2, len(names)), unique=True)) if names else []
    data = dict(base)
    for name in chosen:
        value = draw(maybe_omitted(fuzz[name]))
        if value is OMIT:
            data.pop(name, None)
        else:
            data[name] = value
    return data
