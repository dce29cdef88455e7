"""Reading a citizen promise as it was published: the text in, a plain structure out, no database.

Municipalities publish their promise as a page of text on polisen.se or their own site, in much the same shape
(the Strängnäs seed document shows it): a title ("Medborgarlöfte 2020"), headings such as "Lägesbild",
"Polisen och Strängnäs kommun lovar under året", "Förväntad effekt", "Uppföljning" and "Kommunikation", and the
commitments as a bullet list ("• Polisen kommer genomföra minst två planlagda insatser under året …").
:func:`parse_promise` reads such a text into a :class:`ParsedPromise`: the texts in their fields and one
:class:`ParsedActivity` per commitment, with its target where the text states one. It guesses; the coordinator
checks every guess on the review page before a draft is made (staff/views/workspace_imports.py), and everything
stays editable until the promise is signed.

The rules, each with the examples the tests use (docs/IMPORTS.md has them in full):

- **Sections.** A short line without a full stop that names a known section is a heading: "Lägesbild" (also
  "Bakgrund", "Nuläge"), a line with "lovar" ("Polisen och kommunen lovar under året", "Det här lovar vi"),
  "Aktiviteter" ("Åtgärder", "Insatser", "Det här gör vi"), "Förväntad effekt", "Uppföljning", "Kommunikation".
  Text under a heading goes to its field: paragraphs apart by a blank line, bullets one per line without
  their bullet. A text without a "Lägesbild" heading (Strängnäs 2019) keeps its opening paragraphs as the
  situation, except one that states the purpose ("Syftet med årets medborgarlöfte …") or says "lovar", which is
  the pledge. With such a heading, paragraphs before the first heading are left for the coordinator
  (:attr:`ParsedPromise.unplaced`), as is a line such as "… lovar genomföra följande aktiviteter:" that only
  introduces the list.
- **Commitments.** Every bullet ("•", "-", "–", "*", "·", "1." …) under the pledge or the activities is one
  commitment, and so is every paragraph under "Aktiviteter". A later sentence of a bullet that opens with a
  party and "kommer", "ska" or "lovar" ("Vi kommer under året etablera …") starts another commitment; any other
  sentence ("För att …", "(Linköpingsmodellen innebär …)") belongs to the one before it. A short line directly
  above bullets is the focus area of those bullets ("Trygg trafikmiljö", "Fokusområde 2: Unga").
- **Who.** The parties named before the verb lead, the first one first: "Polisen och Strängnäs kommun ska …"
  is led by the police with the municipality as partner, "Strängnäs kommun och polisen kommer …" by the
  municipality. "Vi" is the parties of the sentence before it, or of the pledge heading. A party "tillsammans
  med", "i samverkan med" or "i samarbete med" the leader, or one that "medverkar" or "deltar", is a partner.
  The police is any word ending in "polis"/"polisen"; the municipality "kommun(en)" and its "socialtjänst(en)";
  other organisations are recognised by the names given to the parser.
- **Targets.** "minst två", "fyra stycken", "minst åtta stycken nya grannsamverkansområden", "12 riktade
  insatser": the number (in digits or Swedish words, "tjugofem" included) and the words after it up to the
  first preposition are the target count and unit ("nya grannsamverkansområden"). "En"/"ett" counts only
  with "minst" or "stycken" (otherwise it is an article), a year is never a count, and nor is an age or a
  length of time ("15–18 årsåldern", "21 år"). "En gång per tertial" (or "varje tertial") is a continuous
  activity without a number, which is exactly the rule that every tertial needs a record; "två gånger per år"
  is a count of the times in the whole period (4 in a two-year promise), counted in "gånger".
- **Places.** "samtliga kommundelar" (also "alla", "varje", "stadsdelar", "tätorter") targets every district
  given; a named place given to the parser ("Strängnäs resecentrum", "Läggesta station") is a target place,
  longest names first, and a municipality's name before "kommun" is never a place.
- **Recurrence.** An activity with a count, or one said to go on ("under året", "kontinuerligt",
  "regelbundet", "löpande", "fortsätter", "varje …"), is continuous; one whose verb is done once ("mäta
  avloppsvattnet", "initiera", "ta fram", "inrätta", "vid ett tillfälle") is done once; anything else is
  continuous, as the model has it by default.
- **Kind.** A kind of the catalogue given whose name's words all stand in the commitment ("Planlagd insats" in
  "planlagda insatser") or whose signal words do ("mäta avloppsvattnet" for a wastewater measurement,
  "Linköpingsmodellen" for a home visit, "informera" for information to the public), the first sentence first
  and the earliest match winning. None found: left for the coordinator to choose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "CONTINUOUS",
    "MUNICIPALITY",
    "ONCE",
    "POLICE",
    "ParsedActivity",
    "ParsedPromise",
    "parse_promise",
    "split_promises",
]

POLICE = "police"
MUNICIPALITY = "municipality"
ONCE = "once"
CONTINUOUS = "continuous"

# The most text one paste is read from: far more than any promise (the two Strängnäs promises are 7 000
# characters together), and little enough that the rules below stay quick on the worst input.
MAX_LENGTH = 60_000


@dataclass(frozen=True)
class ParsedActivity:
    """One commitment as the text states it. ``lead`` and ``partners`` are parties: :data:`POLICE`,
    :data:`MUNICIPALITY` or the name of another organisation given to the parser; ``kind`` is a slug of the
    catalogue given, or None; ``places`` are names of the places given."""

    title: str
    description: str
    kind: str | None = None
    lead: str | None = None
    partners: tuple[str, ...] = ()
    target_count: int | None = None
    unit: str = ""
    places: tuple[str, ...] = ()
    recurrence: str = CONTINUOUS
    focus_area: str | None = None


@dataclass(frozen=True)
class ParsedPromise:
    title: str = ""
    year: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    situation: str = ""
    pledge: str = ""
    expected_effects: str = ""
    follow_up: str = ""
    communication: str = ""
    focus_areas: tuple[str, ...] = ()
    activities: tuple[ParsedActivity, ...] = ()
    # Text that belongs to no field: an introduction before the first heading, a line leading into a list.
    # The review page shows it, so that nothing pasted is silently lost.
    unplaced: tuple[str, ...] = ()


# --- Reading the text into blocks ------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2009\u3000]+")
_BULLET = re.compile(r"^(?:[•◦▪▫●○■□‣⁃∙·*–—-]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
_BARE_BULLET = re.compile(r"^(?:[•◦▪▫●○■□‣⁃∙·*–—-]|\d{1,2}[.)])$")
_YEAR = r"(?:20\d\d|2100)"
_TITLE = re.compile(rf"^medborgarlöften?\b.*\b{_YEAR}\b", re.IGNORECASE)
_PERIOD = re.compile(rf"\b(?P<first>{_YEAR})\s*(?:[–—-]|och|till)\s*(?P<last>{_YEAR})\b")
_FIRST_YEAR = re.compile(rf"\b{_YEAR}\b")

# Headings by section, matched on the whole line in lower case, without a closing colon.
_SECTIONS = [
    (
        "situation",
        re.compile(
            r"^(?:(?:vår |den |lokal |lokala |gemensam |gemensamma )?"
            r"(?:lägesbild|lägesbilden|bakgrund|bakgrunden|nuläge|nuläget|nulägesbild|nulägesbeskrivning|"
            r"problembild|problembilden)(?: och \w+)?)$"
        ),
    ),
    ("expected_effects", re.compile(r"^(?:förväntade? effekt(?:er)?|effektmål|förväntade? resultat)(?: .*)?$")),
    ("follow_up", re.compile(r"^uppföljning(?: .*)?$")),
    ("communication", re.compile(r"^kommunikation(?: .*)?$")),
    (
        "activities",
        re.compile(
            r"^(?:aktiviteter(?:na)?|åtgärder(?:na)?|insatser(?:na)?|planerade aktiviteter|aktiviteter och mål|"
            r"det här gör vi|så här gör vi|vad vi gör)$"
        ),
    ),
    ("pledge", re.compile(r"^(?:.*\blovar\b.*|(?:vårt |årets )?(?:löfte|löftet|medborgarlöftet|syfte|syftet))$")),
]

# Short lines only: a heading has at most this many words, and no full stop at its end.
_HEADING_WORDS = 12
_SUBHEADING_WORDS = 10
_FOCUS_PREFIX = re.compile(r"^fokusområde\s*\d*\s*[:.–—-]?\s*", re.IGNORECASE)


@dataclass
class _Block:
    kind: str  # "heading", "title", "paragraph" or "bullet"
    text: str
    lines: int = 1
    section: str = ""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").translate(_INVISIBLE)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _lines(text: str) -> list[str]:
    return [_SPACES.sub(" ", line).strip() for line in _normalise(text).split("\n")]


def _is_short(line: str, words: int) -> bool:
    return len(line.split()) <= words and len(line) <= 120 and not line.rstrip().endswith((".", "!", "?", ";", ","))


def _is_title(line: str) -> bool:
    return _is_short(line, _HEADING_WORDS) and bool(_TITLE.match(line))


def _section_of(line: str) -> str | None:
    if not _is_short(line, _HEADING_WORDS):
        return None
    key = line.rstrip(":").strip().lower()
    for section, pattern in _SECTIONS:
        if pattern.match(key):
            return section
    return None


def _blocks(text: str) -> list[_Block]:
    """Headings, paragraphs (wrapped lines joined) and bullets (their wrapped lines joined), in order."""
    blocks: list[_Block] = []
    current = None
    for line in _lines(text):
        if not line or _BARE_BULLET.match(line):
            current = None
            continue
        bullet = _BULLET.match(line)
        if bullet:
            current = _Block("bullet", bullet["text"].strip())
            blocks.append(current)
        elif _is_title(line):
            blocks.append(_Block("title", line.rstrip(".:").strip()))
            current = None
        elif (section := _section_of(line)) is not None:
            blocks.append(_Block("heading", line.rstrip(":").strip(), section=section))
            current = None
        elif current is not None:
            current.text += " " + line
            current.lines += 1
        else:
            current = _Block("paragraph", line)
            blocks.append(current)
    return blocks


def split_promises(text: str) -> list[str]:
    """The text cut into one piece per promise, each from its title line ("Medborgarlöfte 2020") on.

    A text without a title line is one piece; whatever stands before the first title (the document's own
    heading) is left out.
    """
    lines = _normalise(text).split("\n")
    starts = [number for number, line in enumerate(lines) if _is_title(_SPACES.sub(" ", line).strip())]
    if not starts:
        return [text] if text.strip() else []
    ends = [*starts[1:], len(lines)]
    return ["\n".join(lines[start:end]).strip() for start, end in zip(starts, ends, strict=True)]


# --- Sentences ---------------------------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "bl.a",
    "t.ex",
    "m.m",
    "m.fl",
    "ca",
    "s.k",
    "d.v.s",
    "dvs",
    "o.s.v",
    "osv",
    "etc",
    "resp",
    "jfr",
    "nr",
    "kl",
    "st",
    "p.g.a",
    "pga",
    "fr.o.m",
    "t.o.m",
    "inkl",
    "exkl",
    "ev",
    "obs",
}


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, never cutting inside parentheses or after an abbreviation."""
    spans = []
    start, depth = 0, 0
    length = len(text)
    index = 0
    while index < length:
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char in ".!?" and depth == 0:
            end = index + 1
            while end < length and text[end] in '"”’)':
                end += 1
            rest = text[end:]
            stripped = rest.lstrip()
            if rest[:1].isspace() and stripped[:1] and (stripped[0].isupper() or stripped[0] in '("”0123456789'):
                word = text[start:index].rsplit(None, 1)[-1].lower() if text[start:index].strip() else ""
                if word.rstrip(".") not in _ABBREVIATIONS:
                    spans.append((start, end))
                    start = end + (len(rest) - len(stripped))
                    index = start
                    continue
        index += 1
    if text[start:].strip():
        spans.append((start, length))
    return spans


# --- Parties ---------------------------------------------------------------------------------------------------

_POLICE_WORDS = re.compile(
    r"\b(?:\w*polis(?:en|ens)?|(?:lokal)?polisområde(?:t|ts)?|polismyndigheten|polisregion\w*)\b", re.IGNORECASE
)
_MUNICIPALITY_WORDS = re.compile(
    r"\b(?:kommun(?:en|ens|s)?|socialtjänst(?:en|ens)?|socialförvaltning(?:en)?|skolförvaltning(?:en)?|"
    r"fritidsförvaltning(?:en)?|kultur- och fritidsförvaltning(?:en)?)\b",
    re.IGNORECASE,
)
_WE = re.compile(r"^\s*(?:vi|tillsammans (?:kommer|ska) vi)\b", re.IGNORECASE)
# The verb that ends a sentence's subject, within its first words.
_VERBS = re.compile(
    r"\b(?:kommer|ska|skall|lovar|fortsätter|genomför|arbetar|erbjuder|anordnar|ordnar|arrangerar|deltar|"
    r"medverkar|bjuder|håller|träffas|träffar|besöker|samordnar|ansvarar|startar|inleder|utför|informerar|"
    r"etablerar|verkar|planerar|avser|vill|satsar|tar|gör|mäter|inför)\b",
    re.IGNORECASE,
)
_COMMITMENT = re.compile(r"\b(?:kommer|ska|skall|lovar)\b", re.IGNORECASE)
_SUBJECT_WORDS = 8
_PARTNER_WITH = re.compile(
    r"\b(?:tillsammans|i\s+(?:nära\s+|direkt\s+|tät\s+)?samverkan|i\s+samarbete|ihop|gemensamt)\s+med\s+"
    r"(?P<who>[^.;:()]{1,80})",
    re.IGNORECASE,
)
_PARTNER_TAKES_PART = re.compile(
    r"(?P<who>(?:\S+\s+){0,3}\S+)\s+(?:medverkar|deltar|bidrar|är\s+med)\b",
    re.IGNORECASE,
)


class _Parties:
    """Finds the parties a phrase names, in the order it names them."""

    def __init__(self, organisations: Sequence[str]):
        patterns = []
        for name in sorted({n.strip() for n in organisations if n and n.strip()}, key=len, reverse=True):
            patterns.append((name, re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)))
            first = name.split()[0].strip(",")
            # A distinctive first word stands for the organisation ("Räddningstjänsten" for "Räddningstjänsten
            # Mitt Bohuslän"), unless it is a party word of its own or begins another organisation's name too.
            distinctive = (
                len(first) >= 6
                and not _POLICE_WORDS.fullmatch(first)
                and not _MUNICIPALITY_WORDS.fullmatch(first)
                and sum(other.split()[0].strip(",").lower() == first.lower() for other in organisations) == 1
            )
            if distinctive and first != name:
                patterns.append((name, re.compile(r"(?<!\w)" + re.escape(first) + r"(?!\w)", re.IGNORECASE)))
        self.patterns = patterns

    def named_in(self, phrase: str) -> list[str]:
        found: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        for name, pattern in self.patterns:
            for match in pattern.finditer(phrase):
                if not any(start < match.end() and match.start() < end for start, end in taken):
                    found.append((match.start(), name))
                    taken.append(match.span())
        masked = list(phrase)
        for start, end in taken:
            masked[start:end] = " " * (end - start)
        rest = "".join(masked)
        found += [(match.start(), POLICE) for match in _POLICE_WORDS.finditer(rest)]
        found += [(match.start(), MUNICIPALITY) for match in _MUNICIPALITY_WORDS.finditer(rest)]
        ordered: list[str] = []
        for _position, party in sorted(found):
            if party not in ordered:
                ordered.append(party)
        return ordered


def _subject(sentence: str) -> str | None:
    """The words before the sentence's first verb, when they are few enough to be its subject."""
    verb = _VERBS.search(sentence)
    if verb is None:
        return None
    subject = sentence[: verb.start()]
    if not subject.strip() or len(subject.split()) > _SUBJECT_WORDS:
        return None
    return subject


def _opens_a_commitment(sentence: str, parties: _Parties) -> bool:
    """Whether a later sentence of a bullet is a commitment of its own: a party, then "kommer", "ska" or "lovar"."""
    if sentence.startswith("("):
        return False  # an aside belongs to what it explains
    verb = _COMMITMENT.search(sentence)
    if verb is None:
        return False
    subject = sentence[: verb.start()]
    if not subject.strip() or len(subject.split()) > _SUBJECT_WORDS:
        return False
    return bool(_WE.match(subject) or parties.named_in(subject))


# --- Numbers and targets -----------------------------------------------------------------------------------------

_ONES = {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9}
_TEENS = {
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "tretton": 13,
    "fjorton": 14,
    "femton": 15,
    "sexton": 16,
    "sjutton": 17,
    "arton": 18,
    "aderton": 18,
    "nitton": 19,
}
_TENS = {"tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90}
_HUNDRED = {"hundra": 100, "etthundra": 100}


def number_word(word: str) -> int | None:
    """The value of a Swedish number written in words ("två", "tolv", "tjugofem", "hundra"), or None."""
    word = word.lower()
    for table in (_ONES, _TEENS, _TENS, _HUNDRED):
        if word in table:
            return table[word]
    for tens, value in _TENS.items():
        if word.startswith(tens) and word[len(tens) :] in _ONES:
            return value + _ONES[word[len(tens) :]]
    return None


_NUMBER_WORDS = sorted(
    [*_ONES, *_TEENS, *_HUNDRED, *(t + o for t in _TENS for o in ("", *_ONES))], key=len, reverse=True
)
_NUMBER = r"(?:\d{1,4}|" + "|".join(_NUMBER_WORDS) + r")"
_AT_LEAST = r"(?:minst|åtminstone|inte\s+mindre\s+än|totalt|sammanlagt|cirka|ca\.?|drygt|runt)"
_COUNT = re.compile(
    rf"(?<![\w–-])(?:(?P<least>{_AT_LEAST})\s+)?(?P<number>{_NUMBER})\s+(?:(?P<pieces>stycken|stycke|st\.?)\s+)?"
    r"(?P<unit>[a-zåäöé][\w-]*(?:\s+[a-zåäöé][\w-]*){0,3})",
    re.IGNORECASE,
)
# Words that end a unit: prepositions, conjunctions and adverbs ("två nya båtsamverkansområden under året").
_UNIT_STOP = {
    "på",
    "i",
    "under",
    "mot",
    "med",
    "för",
    "till",
    "vid",
    "om",
    "inom",
    "per",
    "varje",
    "där",
    "som",
    "och",
    "samt",
    "eller",
    "att",
    "av",
    "från",
    "genom",
    "bland",
    "enligt",
    "mellan",
    "kring",
    "runt",
    "hos",
    "efter",
    "utanför",
    "inför",
    "tillsammans",
    "varav",
    "då",
    "när",
    "ute",
    "över",
    "åt",
}
# A number followed by these is an age, a length of time or an amount, never a count of activities.
_NOT_A_UNIT = re.compile(r"^(?:år|års|månad|vecka|veck|dag|timm|minut|procent|kr|kron|gång|tertial|kvartal|termin)")
_FREQUENCY = re.compile(
    rf"\b(?P<number>{_NUMBER})\s+gång(?:er)?\s+(?:per|i|om|varje)\s+"
    r"(?P<per>tertial|termin|halvår|kvartal|månad|år)(?:et|en)?\b",
    re.IGNORECASE,
)
_EVERY = re.compile(r"\bvarje\s+(?P<per>tertial|termin|halvår|kvartal|månad|år)(?:et|en)?\b", re.IGNORECASE)
_MONTHS_PER = {"månad": 1, "kvartal": 3, "tertial": 4, "termin": 6, "halvår": 6, "år": 12}


def _count_in(text: str) -> tuple[int, str] | None:
    """The first stated count and its unit ("minst åtta stycken nya grannsamverkansområden" → 8, the unit)."""
    for match in _COUNT.finditer(text):
        number = match["number"].lower()
        if number.isdigit():
            value = int(number)
            if 1900 <= value <= 2100 and not match["least"]:
                continue
        else:
            value = number_word(number)
            if value == 1 and not (match["least"] or match["pieces"]):
                continue  # "en", "ett" without "minst" or "stycken" is an article
        words = match["unit"].split()
        if _NOT_A_UNIT.match(words[0].lower()):
            continue
        unit = []
        for word in words:
            if word.lower() in _UNIT_STOP:
                break
            unit.append(word)
        if not unit or not value:
            continue
        return value, " ".join(unit)
    return None


def _blocks_in(start: date, end: date, months: int) -> int:
    """How many calendar blocks of ``months`` months, counted from January, the period touches."""

    def block(day):
        return (day.year * 12 + day.month - 1) // months

    return block(end) - block(start) + 1


def _frequency_in(text: str, start: date, end: date) -> tuple[int | None, bool] | None:
    """A stated frequency: (count over the period, or None for once per tertial) or None when there is none."""
    match = _FREQUENCY.search(text) or _EVERY.search(text)
    if match is None:
        return None
    number = match.groupdict().get("number")
    times = 1 if number is None else (int(number) if number.isdigit() else number_word(number) or 1)
    per = match["per"].lower()
    if per == "tertial" and times == 1:
        return None, True
    return times * _blocks_in(start, end, _MONTHS_PER[per]), True


# --- Places, recurrence and kinds --------------------------------------------------------------------------------

_EVERY_DISTRICT = re.compile(
    r"\b(?:samtliga|alla|varje|var\s+och\s+en\s+av)\s+(?:kommunens\s+|våra\s+)?"
    r"(?:kommundel(?:ar|arna)?|stadsdel(?:ar|arna)?|tätort(?:er|erna)?|kommundel)\b",
    re.IGNORECASE,
)
_GOES_ON = re.compile(
    r"\b(?:under\s+(?:hela\s+)?(?:året|åren|perioden)|kontinuerligt|löpande|regelbundet|fortsätter|fortlöpande|"
    r"återkommande|ständigt|varje|per\s+(?:tertial|månad|kvartal|termin|år))\b",
    re.IGNORECASE,
)
_DONE_ONCE = re.compile(
    r"\b(?:mäta|mäter|initiera|initierar|ta\s+fram|tar\s+fram|inrätta|inrättar|införa|starta\s+upp|upprätta|"
    r"upprättar|kartlägga|kartlägger|vid\s+ett\s+tillfälle|en\s+gång(?!\s+(?:per|i|om|varje)\b))\b",
    re.IGNORECASE,
)

# Words that say which kind of the national catalogue a commitment is, beyond the kind's own name: the
# catalogue is shared by every municipality (activities/catalogue.py has it), and these are the ways the
# promises write about each kind.
SIGNALS: dict[str, tuple[str, ...]] = {
    "kontaktarbete": (r"\bkontakter\s+med\b", r"\bkontaktarbete", r"\bkontaktskapande"),
    "hembesok-enligt-linkopingsmodellen": (r"linköpingsmodell", r"\bhembesök"),
    "avloppsvattenmatning": (r"avloppsvatt",),
    "information-till-allmanheten": (r"\binformera(?:r|s)?\b", r"\binformationsinsats", r"\binformationskampanj"),
    "trafiksakerhetsradsmote": (r"trafiksäkerhetsråd",),
    "narkotikasok-med-hund": (r"narkotikasök", r"narkotikahund", r"\bsök\w*\b.{0,40}\bmed\s+hund"),
    "foraldratraff": (r"föräldraträff", r"föräldramöte"),
    "grannsamverkansomrade": (r"grannsamverkansområde",),
    "batsamverkansomrade": (r"båtsamverkansområde",),
}
_KIND_STOP_WORDS = {"för", "med", "till", "enligt", "och", "i", "på", "av", "om", "mot", "vid"}
_ENDINGS = ("arna", "erna", "orna", "ar", "er", "or", "na", "en", "et", "a", "e")


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if len(word) > 5 and word.endswith(ending):
            return word[: -len(ending)]
    return word


class _Kinds:
    """Guesses a kind of the catalogue from a commitment's words."""

    def __init__(self, kinds: Mapping[str, str]):
        self.rules = []
        for slug, name in kinds.items():
            words = [w for w in re.findall(r"[\wåäöé-]+", name.lower()) if w not in _KIND_STOP_WORDS]
            name_patterns = [re.compile(r"\b" + re.escape(_stem(word)), re.IGNORECASE) for word in words]
            signals = [re.compile(pattern, re.IGNORECASE) for pattern in SIGNALS.get(slug, ())]
            self.rules.append((slug, len(words), name_patterns, signals))

    def _position(self, text, name_patterns, signals):
        positions = []
        if name_patterns:
            matches = [pattern.search(text) for pattern in name_patterns]
            if all(matches):
                positions.append(min(match.start() for match in matches))
        positions += [match.start() for pattern in signals if (match := pattern.search(text))]
        return min(positions) if positions else None

    def guess(self, first_sentence: str, whole: str) -> str | None:
        for text in (first_sentence, whole):
            found = []
            for slug, length, name_patterns, signals in self.rules:
                position = self._position(text, name_patterns, signals)
                if position is not None:
                    found.append((position, -length, slug))
            if found:
                return min(found)[2]
        return None


def _places_in(text: str, *, districts: Sequence[str], sites: Sequence[str]) -> tuple[str, ...]:
    names = sorted({*districts, *sites}, key=len, reverse=True)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for name in names:
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)(?!s?\s+kommun)")
        for match in pattern.finditer(text):
            if not any(start < match.end() and match.start() < end for start, end in taken):
                found.append((match.start(), name))
                taken.append(match.span())
    ordered = [name for _position, name in sorted(found)]
    if _EVERY_DISTRICT.search(text):
        ordered += [name for name in districts if name not in ordered]
    return tuple(dict.fromkeys(ordered))


# --- Commitments -------------------------------------------------------------------------------------------------


@dataclass
class _Context:
    parties: _Parties
    kinds: _Kinds
    kind_names: Mapping[str, str]
    districts: Sequence[str]
    sites: Sequence[str]
    period_start: date
    period_end: date
    default_parties: list[str] = field(default_factory=lambda: [POLICE, MUNICIPALITY])


def _who(sentences: list[str], context: _Context, before: tuple[str | None, tuple[str, ...]] | None):
    """(lead, partners) of a commitment from its sentences; ``before`` is the commitment before it in the bullet."""
    first = sentences[0]
    subject = _subject(first)
    named = context.parties.named_in(subject) if subject else []
    if subject and _WE.match(subject) and not named:
        named = [before[0], *before[1]] if before and before[0] else list(context.default_parties)
    lead = named[0] if named else None
    partners = [party for party in named[1:] if party]
    for sentence in sentences:
        for pattern in (_PARTNER_WITH, _PARTNER_TAKES_PART):
            for match in pattern.finditer(sentence):
                who = " ".join(match["who"].split()[:6])
                partners += context.parties.named_in(who)
    partners = [party for party in dict.fromkeys(partners) if party and party != lead]
    return lead, tuple(partners)


def _commitment(sentences: list[str], context: _Context, before, focus_area) -> ParsedActivity:
    description = " ".join(sentences)
    whole = description
    lead, partners = _who(sentences, context, before)
    counted = _count_in(whole)
    frequency = None if counted else _frequency_in(whole, context.period_start, context.period_end)
    target_count, unit = counted if counted else (None, "")
    if frequency is not None and frequency[0] is not None:
        target_count, unit = frequency[0], "gånger"
    if counted or frequency is not None or _GOES_ON.search(whole):
        recurrence = CONTINUOUS
    elif _DONE_ONCE.search(whole):
        recurrence = ONCE
    else:
        recurrence = CONTINUOUS
    kind = context.kinds.guess(sentences[0], whole)
    return ParsedActivity(
        title="",
        description=description,
        kind=kind,
        lead=lead,
        partners=partners,
        target_count=target_count,
        unit=unit,
        places=_places_in(whole, districts=context.districts, sites=context.sites),
        recurrence=recurrence,
        focus_area=focus_area,
    )


def _commitments(item: str, context: _Context, focus_area: str | None) -> list[ParsedActivity]:
    """One bullet's commitments: its first sentence opens one, and so does each later one that names a party and
    "kommer", "ska" or "lovar"; the other sentences belong to the commitment before them."""
    spans = _sentence_spans(item)
    groups: list[list[str]] = []
    for start, end in spans:
        sentence = item[start:end].strip()
        if not sentence:
            continue
        if not groups or _opens_a_commitment(sentence, context.parties):
            groups.append([sentence])
        else:
            groups[-1].append(sentence)
    made: list[ParsedActivity] = []
    for sentences in groups:
        before = (made[-1].lead, made[-1].partners) if made else None
        made.append(_commitment(sentences, context, before, focus_area))
    return made


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text.rstrip(".")
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _titled(activities: list[ParsedActivity], kind_names: Mapping[str, str]) -> list[ParsedActivity]:
    """Each activity with a title: its unit when it has a count ("Nya grannsamverkansområden"), else its kind's
    name, else (or when another activity already has that title) the start of its own text."""
    used: set[str] = set()
    titled = []
    for activity in activities:
        if activity.target_count and activity.unit and activity.unit != "gånger":
            title = activity.unit[:1].upper() + activity.unit[1:]
        elif activity.kind:
            title = kind_names.get(activity.kind, "")
        else:
            title = ""
        if not title or title.lower() in used:
            title = _shorten(activity.description)
        used.add(title.lower())
        titled.append(
            ParsedActivity(**{**activity.__dict__, "title": title[:200]}),
        )
    return titled


# --- The promise -------------------------------------------------------------------------------------------------

_PLEDGE_PARAGRAPH = re.compile(r"^(?:syftet?|målet|vi\s+lovar)\b|\blovar\b", re.IGNORECASE)


def _joined(parts: list[tuple[str, str]]) -> str:
    """Paragraphs apart by a blank line, consecutive bullets one per line."""
    text = ""
    previous = None
    for kind, part in parts:
        if text:
            text += "\n" if kind == "bullet" and previous == "bullet" else "\n\n"
        text += part
        previous = kind
    return text


def _period(title: str, headings: list[str], year: int | None) -> tuple[int | None, date | None, date | None]:
    for text in (title, *headings):
        match = _PERIOD.search(text)
        if match and int(match["first"]) <= int(match["last"]):
            first, last = int(match["first"]), int(match["last"])
            return first, date(first, 1, 1), date(last, 12, 31)
    match = _FIRST_YEAR.search(title)
    if match:
        first = int(match.group(0))
        return first, date(first, 1, 1), date(first, 12, 31)
    if year:
        return year, date(year, 1, 1), date(year, 12, 31)
    return None, None, None


def parse_promise(
    text: str,
    *,
    kinds: Mapping[str, str] | None = None,
    districts: Sequence[str] = (),
    sites: Sequence[str] = (),
    organisations: Sequence[str] = (),
    year: int | None = None,
) -> ParsedPromise:
    """Reads one published promise (see the module's rules). ``kinds`` is the catalogue ({slug: name}),
    ``districts`` and ``sites`` the names of the municipality's places, ``organisations`` the names of parties
    other than the police and the municipality; ``year`` is the year to assume when the text names none."""
    kinds = dict(kinds or {})
    blocks = _blocks((text or "")[:MAX_LENGTH])
    title_at = next((index for index, block in enumerate(blocks) if block.kind == "title"), None)
    unplaced: list[str] = []
    if title_at is not None:
        unplaced += [block.text for block in blocks[:title_at] if block.kind != "title"]
        # A second title is a second promise: split_promises cuts a text into promises; this reads the first.
        following = next((i for i, b in enumerate(blocks) if b.kind == "title" and i > title_at), len(blocks))
        title = blocks[title_at].text
        blocks = blocks[title_at + 1 : following]
    else:
        title = ""
    headings = [block.text for block in blocks if block.kind == "heading"]
    found_year, start, end = _period(title, headings, year)
    today = date.today()
    context = _Context(
        parties=_Parties(organisations),
        kinds=_Kinds(kinds),
        kind_names=kinds,
        districts=list(districts),
        sites=list(sites),
        period_start=start or date(today.year, 1, 1),
        period_end=end or date(today.year, 12, 31),
    )
    pledge_heading = next((block.text for block in blocks if block.section == "pledge"), "")
    named = context.parties.named_in(pledge_heading.split(" lovar")[0]) if pledge_heading else []
    if named:
        context.default_parties = named
    has_situation_heading = any(block.section == "situation" for block in blocks)

    texts: dict[str, list[tuple[str, str]]] = {
        name: [] for name in ("situation", "pledge", "expected_effects", "follow_up", "communication")
    }
    focus_areas: list[str] = []
    activities: list[ParsedActivity] = []
    section = "preamble"
    focus_area = None
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == "heading":
            section, focus_area = block.section, None
            continue
        introduces_bullets = block.kind == "paragraph" and following is not None and following.kind == "bullet"
        lists_commitments = section in ("pledge", "activities", "preamble")
        if introduces_bullets and block.text.endswith(":") and lists_commitments:
            unplaced.append(block.text)
            continue
        if (
            introduces_bullets
            and lists_commitments
            and block.lines == 1
            and _is_short(block.text, _SUBHEADING_WORDS)
            and not block.text.endswith(":")
        ):
            focus_area = _FOCUS_PREFIX.sub("", block.text).strip() or block.text
            if focus_area not in focus_areas:
                focus_areas.append(focus_area)
            continue
        if (block.kind == "bullet" and lists_commitments) or (block.kind == "paragraph" and section == "activities"):
            activities += _commitments(block.text, context, focus_area)
        elif section == "preamble":
            if _PLEDGE_PARAGRAPH.search(block.text):
                texts["pledge"].append((block.kind, block.text))
            elif not has_situation_heading:
                texts["situation"].append((block.kind, block.text))
            else:
                unplaced.append(block.text)
        else:
            texts[section].append((block.kind, block.text))

    return ParsedPromise(
        title=title,
        year=found_year,
        period_start=start,
        period_end=end,
        focus_areas=tuple(focus_areas),
        activities=tuple(_titled(activities, kinds)),
        unplaced=tuple(unplaced),
        **{name: _joined(parts) for name, parts in texts.items()},
    )
