"""The reader of a promise as published (activities.published_text): plain text in, a plain structure out.

No database: the parser is a function of the text and the names it is given. The Strängnäs texts (a copy of the
seed document, tests/activities/published/strangnas-2019-2020.txt) must come out as the seed module has them; two
more promises written for these tests, in the style of real ones, check the rules on other wording, and each rule
has its own small examples below.
"""

import datetime
from pathlib import Path

import pytest

from activities.published_text import (
    CONTINUOUS,
    MUNICIPALITY,
    ONCE,
    POLICE,
    number_word,
    parse_promise,
    split_promises,
)
from seeding import strangnas as seed

TEXTS = Path(__file__).with_name("published")
DOCUMENT = (TEXTS / "strangnas-2019-2020.txt").read_text()
PARTY = {seed.POLICE: POLICE, seed.KOMMUN: MUNICIPALITY}
SITES = [site["name"] for site in seed.SITES]


def strangnas(text):
    return parse_promise(text, kinds=seed.ACTIVITY_KINDS, districts=seed.DISTRICTS, sites=SITES)


def one(text, **names):
    """The only activity read from ``text`` (a bullet under "Aktiviteter" when it is a bare sentence), with the
    seed's catalogue and places unless others are given."""
    names = {"kinds": seed.ACTIVITY_KINDS, "districts": seed.DISTRICTS, "sites": SITES, **names}
    if "\n" not in text:
        text = f"Aktiviteter\n\n• {text}"
    parsed = parse_promise(text, **names)
    assert len(parsed.activities) == 1, parsed.activities
    return parsed.activities[0]


def as_seed(activity):
    """What the seed says of an activity, in the parser's terms: the text, kind, parties and target."""
    return {
        "description": activity.description,
        "kind": activity.kind,
        "lead": activity.lead,
        "partners": tuple(activity.partners),
        "target_count": activity.target_count,
        "unit": activity.unit if activity.target_count else "",
        "places": set(activity.places),
        "recurrence": activity.recurrence,
    }


def seed_activity(item):
    return {
        "description": item["description"],
        "kind": item["kind"],
        "lead": PARTY[item["lead"]],
        "partners": tuple(PARTY[name] for name in item["partners"]),
        "target_count": item["target_count"],
        "unit": item["unit"] if item["target_count"] else "",
        "places": set(item["target_places"]),
        "recurrence": item["recurrence"],
    }


# --- The Strängnäs texts against the seed ---------------------------------------------------------------------


def test_the_document_splits_into_its_two_promises_newest_first():
    pieces = split_promises(DOCUMENT)
    assert [piece.splitlines()[0] for piece in pieces] == ["Medborgarlöfte 2020", "Medborgarlöfte 2019"]


@pytest.mark.parametrize("data", seed.PROMISES, ids=lambda data: str(data["year"]))
def test_the_strangnas_texts_come_out_as_the_seed_has_them(data):
    piece = next(piece for piece in split_promises(DOCUMENT) if piece.startswith(f"Medborgarlöfte {data['year']}"))
    parsed = strangnas(piece)
    assert parsed.year == data["year"]
    assert (parsed.period_start, parsed.period_end) == (data["period_start"], data["period_end"])
    for name in ("situation", "pledge", "expected_effects", "follow_up", "communication"):
        assert getattr(parsed, name) == data[name], name
    # The same activities, each with the seed's text, kind, lead and partners, target and places. The seed's
    # titles and focus areas are the loader's own words, not the document's, so they are not compared.
    assert [as_seed(activity) for activity in parsed.activities] == [seed_activity(item) for item in data["activities"]]


def test_the_2020_introduction_before_the_first_heading_is_kept_for_the_coordinator():
    parsed = strangnas(split_promises(DOCUMENT)[0])
    assert parsed.unplaced == (
        "Med utgångspunkt i tidigare undertecknad samverkansöverenskommelse och mot bakgrund av lägesbilden "
        "formulerar Strängnäs kommun och Polisen ett årligt medborgarlöfte, som börjar gälla från och med "
        "undertecknandet.",
    )


def test_the_whole_document_read_as_one_promise_is_its_first_promise():
    assert strangnas(DOCUMENT).activities == strangnas(split_promises(DOCUMENT)[0]).activities


def test_activities_get_titles_a_coordinator_can_keep_or_change():
    titles = [activity.title for activity in strangnas(split_promises(DOCUMENT)[1]).activities]
    assert titles[1] == "Nya grannsamverkansområden"
    assert titles[5] == "Trygghetsvandringar"
    assert titles[6] == "Trafikkontroll"
    # Two activities of one kind: the second is named by its own words instead of the same title twice.
    assert titles[0] == "Information till allmänheten"
    assert titles[2].startswith("Polisen och Strängnäs kommun ska informera")
    assert len(set(titles)) == len(titles)


# --- Two more promises, written for the tests ---------------------------------------------------------------------

HJO = {"kinds": seed.ACTIVITY_KINDS, "districts": ["Hjo", "Korsberga"], "sites": ["Hjo centrum", "Hjo hamn"]}
ORUST = {
    "kinds": seed.ACTIVITY_KINDS,
    "districts": ["Henån", "Ellös", "Svanesund", "Varekil"],
    "organisations": ["Räddningstjänsten Mitt Bohuslän"],
}


def summary(activity):
    return (
        activity.focus_area,
        activity.kind,
        activity.lead,
        activity.partners,
        activity.target_count,
        activity.unit,
        activity.places,
        activity.recurrence,
    )


def test_a_small_municipality_with_focus_areas_dashes_and_once_a_tertial():
    parsed = parse_promise((TEXTS / "hjo-2022.txt").read_text(), **HJO)
    assert parsed.title == "Medborgarlöfte 2022 – Hjo"
    assert (parsed.year, parsed.period_start, parsed.period_end) == (
        2022,
        datetime.date(2022, 1, 1),
        datetime.date(2022, 12, 31),
    )
    assert parsed.situation.startswith("Hjo är en liten kommun där de flesta känner sig trygga. I medborgardialogen")
    assert "\n" not in parsed.situation  # its wrapped lines are one paragraph
    assert parsed.pledge.startswith("Polisen och Hjo kommun lovar att under 2022 arbeta")
    assert parsed.expected_effects == (
        "Färre klagomål på buskörning i centrum och vid hamnen.\n"
        "Fler föräldrar vet vart de kan vända sig vid oro för narkotika."
    )
    assert parsed.follow_up == "Löftet följs upp varje tertial i folkhälsorådet i Hjo."
    assert parsed.communication == "Vi berättar om arbetet på hjo.se, polisen.se och i lokaltidningen."
    assert parsed.focus_areas == ("Trygg trafikmiljö", "Unga och narkotika")
    assert parsed.unplaced == (
        "Polisen och Hjo kommun har tillsammans tagit fram årets medborgarlöfte utifrån medborgardialogen hösten 2021.",
    )
    traffic, youth = "Trygg trafikmiljö", "Unga och narkotika"
    assert [summary(activity) for activity in parsed.activities] == [
        (traffic, "trafikkontroll", POLICE, (), 6, "trafikkontroller", ("Hjo hamn",), CONTINUOUS),
        (
            traffic,
            "trygghetsvandring",
            MUNICIPALITY,
            (POLICE,),
            3,
            "trygghetsvandringar",
            ("Hjo centrum", "Korsberga"),
            CONTINUOUS,
        ),
        # "en gång per tertial": continuous without a number, i.e. a record every tertial.
        (traffic, "trafiksakerhetsradsmote", POLICE, (MUNICIPALITY,), None, "", (), CONTINUOUS),
        (youth, "information-till-allmanheten", POLICE, (), None, "", (), CONTINUOUS),
        # "ta fram" is done once; no kind of the catalogue fits, so the coordinator chooses.
        (youth, None, MUNICIPALITY, (), None, "", (), ONCE),
        # "Vi kommer även …" is a commitment of its own, by the parties of the sentence before it.
        (youth, "foraldratraff", MUNICIPALITY, (), 2, "föräldraträffar", (), CONTINUOUS),
    ]
    assert (
        parsed.activities[4].description == "Hjo kommun kommer att ta fram en handlingsplan mot narkotika bland unga."
    )
    assert parsed.activities[3].description.endswith("om narkotika. Skolan medverkar.")


def test_a_two_year_promise_with_stars_digits_and_another_organisation():
    parsed = parse_promise((TEXTS / "orust-2023-2024.txt").read_text(), **ORUST)
    assert parsed.title == "Medborgarlöfte 2023–2024 för Orust kommun"
    assert (parsed.year, parsed.period_start, parsed.period_end) == (
        2023,
        datetime.date(2023, 1, 1),
        datetime.date(2024, 12, 31),
    )
    assert parsed.situation.startswith("Orust har många fritidshus")
    assert parsed.pledge == (
        "Att tillsammans göra det svårare att stjäla båtar och båtmotorer, och att öka tryggheten i trafiken."
    )
    assert parsed.follow_up.startswith("Löftet följs upp i det brottsförebyggande rådet två gånger per år")
    assert parsed.expected_effects.count("\n") == 1
    assert parsed.focus_areas == ()
    rescue = "Räddningstjänsten Mitt Bohuslän"
    everywhere = ("Henån", "Ellös", "Svanesund", "Varekil")
    assert [summary(activity) for activity in parsed.activities] == [
        (None, "riktad-insats", POLICE, (), 12, "riktade insatser", (), CONTINUOUS),
        (
            None,
            "batsamverkansomrade",
            MUNICIPALITY,
            (POLICE,),
            4,
            "nya båtsamverkansområden",
            ("Henån", "Ellös"),
            CONTINUOUS,
        ),
        # "två gånger per år" in a two-year promise: four times, in every district.
        (None, "trafikkontroll", POLICE, (), 4, "gånger", everywhere, CONTINUOUS),
        (None, None, MUNICIPALITY, (POLICE,), None, "", (), CONTINUOUS),
        (None, "information-till-allmanheten", MUNICIPALITY, (POLICE,), None, "", (), CONTINUOUS),
        (None, None, rescue, (MUNICIPALITY,), None, "", (), CONTINUOUS),
        (None, "avloppsvattenmatning", MUNICIPALITY, (), None, "", (), ONCE),
    ]


# --- Numbers and targets -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("en", 1),
        ("ett", 1),
        ("två", 2),
        ("tre", 3),
        ("fyra", 4),
        ("fem", 5),
        ("sex", 6),
        ("sju", 7),
        ("åtta", 8),
        ("nio", 9),
        ("tio", 10),
        ("elva", 11),
        ("tolv", 12),
        ("tretton", 13),
        ("arton", 18),
        ("aderton", 18),
        ("nitton", 19),
        ("tjugo", 20),
        ("tjugoen", 21),
        ("tjugofem", 25),
        ("Trettiotvå", 32),
        ("nittionio", 99),
        ("hundra", 100),
        ("etthundra", 100),
        ("tusen", None),
        ("femtiofemtio", None),
        ("", None),
    ],
)
def test_swedish_number_words(word, value):
    assert number_word(word) == value


@pytest.mark.parametrize(
    ("sentence", "count", "unit"),
    [
        ("Polisen kommer genomföra minst två planlagda insatser under året.", 2, "planlagda insatser"),
        ("Polisen kommer genomföra fyra stycken trygghetsvandringar.", 4, "trygghetsvandringar"),
        (
            "Vi kommer etablera minst åtta stycken nya grannsamverkansområden i kommunen.",
            8,
            "nya grannsamverkansområden",
        ),
        ("Polisen genomför 12 riktade insatser mot stölder.", 12, "riktade insatser"),
        ("Kommunen bjuder in till tre trygghetsvandringar tillsammans med polisen.", 3, "trygghetsvandringar"),
        ("Polisen kommer genomföra minst 6 st trafikkontroller.", 6, "trafikkontroller"),
        ("Polisen genomför tjugofem trafikkontroller på landsvägarna.", 25, "trafikkontroller"),
        ("Kommunen håller minst en föräldraträff per skola.", 1, "föräldraträff"),
        ("Kommunen ordnar ett stycke informationsmöte.", 1, "informationsmöte"),
        ("Polisen kommer att genomföra sammanlagt 40 trafikkontroller.", 40, "trafikkontroller"),
    ],
)
def test_a_stated_count_and_its_unit(sentence, count, unit):
    activity = one(sentence)
    assert (activity.target_count, activity.unit) == (count, unit)


@pytest.mark.parametrize(
    "sentence",
    [
        # An article, not a number.
        "Kommunen anordnar en föräldraträff om droger.",
        "Kommunen och polisen träffas regelbundet i ett trafiksäkerhetsråd.",
        # Years, ages, lengths of time and laws are never counts.
        "Polisen arbetar under 2022 med trafiken.",
        "Polisen arbetar med unga i 15–18 årsåldern.",
        "Polisen möter unga som är 21 år och yngre.",
        "Socialtjänsten informerar om 14 § socialtjänstlagen.",
        "Polisen kommer genomföra trafikkontroller i kommunen.",
    ],
)
def test_no_count_where_the_text_states_none(sentence):
    assert one(sentence).target_count is None


def test_once_a_tertial_is_a_continuous_activity_without_a_number():
    activity = one("Polisen besöker skolorna en gång per tertial.")
    assert (activity.target_count, activity.recurrence) == (None, CONTINUOUS)
    activity = one("Polisen besöker skolorna varje tertial.")
    assert (activity.target_count, activity.recurrence) == (None, CONTINUOUS)


@pytest.mark.parametrize(
    ("title", "sentence", "count"),
    [
        ("Medborgarlöfte 2022", "Polisen besöker skolorna två gånger per tertial.", 6),
        ("Medborgarlöfte 2022", "Polisen besöker skolorna en gång i månaden.", 12),
        ("Medborgarlöfte 2022", "Polisen besöker skolorna en gång per kvartal.", 4),
        ("Medborgarlöfte 2021–2022", "Polisen besöker skolorna två gånger per år.", 4),
        ("Medborgarlöfte 2021–2022", "Polisen besöker skolorna en gång per termin.", 4),
        ("Medborgarlöfte 2021–2022", "Polisen besöker skolorna varje månad.", 24),
    ],
)
def test_a_frequency_is_counted_over_the_whole_period(title, sentence, count):
    activity = one(f"{title}\n\nAktiviteter\n\n• {sentence}")
    assert (activity.target_count, activity.unit, activity.recurrence) == (count, "gånger", CONTINUOUS)


# --- Recurrence ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "recurrence"),
    [
        ("Strängnäs kommun kommer mäta avloppsvattnet i kommunen.", ONCE),
        ("Kommunen kommer att initiera informationsträffar om orosanmälan.", ONCE),
        ("Kommunen kommer att ta fram en handlingsplan.", ONCE),
        ("Kommunen mäter avloppsvattnet vid ett tillfälle under 2024.", ONCE),
        ("Kommunen mäter avloppsvattnet varje tertial.", CONTINUOUS),
        ("Kommunen kommer att mäta avloppsvattnet två gånger under året.", CONTINUOUS),
        ("Polisen kommer kontinuerligt arbeta med Linköpingsmodellen.", CONTINUOUS),
        ("Kommunen och polisen träffas regelbundet.", CONTINUOUS),
        ("Polisen arbetar löpande med kontakter med skolorna.", CONTINUOUS),
        ("Polisen fortsätter sina täta kontakter med skolan.", CONTINUOUS),
        ("Kommunen ska tillhandahålla lokaler för utbildning.", CONTINUOUS),
    ],
)
def test_recurrence_follows_the_words_of_the_commitment(sentence, recurrence):
    assert one(sentence).recurrence == recurrence


# --- Who leads and who takes part --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "lead", "partners"),
    [
        ("Polisen kommer genomföra trafikkontroller.", POLICE, ()),
        ("Områdespolis, kommunpolis och utryckningspolis fortsätter sina kontakter med skolan.", POLICE, ()),
        ("Polisen och Strängnäs kommun ska informera om grannsamverkan.", POLICE, (MUNICIPALITY,)),
        ("Strängnäs kommun och polisen kommer träffas regelbundet.", MUNICIPALITY, (POLICE,)),
        ("Kommunen kommer tillsammans med polisen att genomföra trygghetsvandringar.", MUNICIPALITY, (POLICE,)),
        ("Polisen arbetar i direkt samverkan med socialtjänsten.", POLICE, (MUNICIPALITY,)),
        ("Kommunen samordnar föräldraträffar där polisen medverkar.", MUNICIPALITY, (POLICE,)),
        ("Kommunen ordnar föräldraträffar. Polisen deltar.", MUNICIPALITY, (POLICE,)),
        # Contacts with the social services are work, not a partnership.
        ("Polisen fortsätter sina kontakter med skola och socialtjänst.", POLICE, ()),
        # The municipality working through its own social services is still the municipality alone.
        ("Strängnäs kommun kommer via socialtjänsten initiera informationsträffar.", MUNICIPALITY, ()),
        ("Räddningstjänsten och kommunen kommer gå brandskyddsronder.", "Räddningstjänsten Väst", (MUNICIPALITY,)),
        ("Trygghetsvandringar genomförs i centrum.", None, ()),
    ],
)
def test_the_parties_before_the_verb_lead_and_those_with_them_take_part(sentence, lead, partners):
    activity = one(sentence, organisations=["Räddningstjänsten Väst"])
    assert (activity.lead, activity.partners) == (lead, partners)


def test_we_are_the_parties_of_the_sentence_before_or_of_the_pledge_heading():
    text = "Kommunen och polisen lovar\n\n• Kommunen ordnar föräldraträffar. Vi kommer också att informera om droger."
    _first, second = parse_promise(text, kinds=seed.ACTIVITY_KINDS).activities
    assert (second.lead, second.partners) == (MUNICIPALITY, ())
    alone = parse_promise("Kommunen och polisen lovar under året\n\n• Vi kommer genomföra trygghetsvandringar.")
    assert (alone.activities[0].lead, alone.activities[0].partners) == (MUNICIPALITY, (POLICE,))
    default = parse_promise("Aktiviteter\n\n• Vi kommer genomföra trygghetsvandringar.")
    assert (default.activities[0].lead, default.activities[0].partners) == (POLICE, (MUNICIPALITY,))


# --- Places ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "places"),
    [
        ("Polisen kommer genomföra trafikkontroller i kommunens samtliga kommundelar.", tuple(seed.DISTRICTS)),
        ("Polisen kontrollerar trafiken i alla kommundelar.", tuple(seed.DISTRICTS)),
        ("Polisen kontrollerar trafiken i varje kommundel.", tuple(seed.DISTRICTS)),
        ("Polisen kontrollerar trafiken i samtliga stadsdelar.", tuple(seed.DISTRICTS)),
        ("Vandringar kring Strängnäs resecentrum och Läggesta station.", ("Strängnäs resecentrum", "Läggesta station")),
        ("Kontroller i Mariefred och Stallarholmen.", ("Mariefred", "Stallarholmen")),
        # The municipality's name before "kommun" is the municipality, not its district of the same name.
        ("Strängnäs kommun kommer att etablera grannsamverkansområden i Strängnäs kommun.", ()),
        ("Polisen informerar på Strängnäs kommuns hemsida.", ()),
        ("Polisen arbetar i hela kommunen.", ()),
    ],
)
def test_places_named_in_the_commitment_are_its_target_places(sentence, places):
    assert one(sentence).places == places


# --- Kinds -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Polisen genomför planlagda insatser.", "planlagd-insats"),
        ("Polisen genomför riktade insatser mot mopeder.", "riktad-insats"),
        ("Polisen söker efter narkotika med hund på skolor.", "narkotikasok-med-hund"),
        ("Kommunen mäter avloppsvattnet.", "avloppsvattenmatning"),
        ("Polisen arbetar med Linköpingsmodellen.", "hembesok-enligt-linkopingsmodellen"),
        ("Kommunen håller föräldramöten om droger.", "foraldratraff"),
        ("Kommunen ordnar lokaler för utbildning i grannsamverkan.", "lokaler-for-utbildning"),
        ("Polisen och kommunen träffas i trafiksäkerhetsrådet.", "trafiksakerhetsradsmote"),
        # The first sentence decides before the rest: "kontakt" further on does not make it contact work.
        (
            "Kommunen initierar informationsträffar. Ett led för dem som kommer i kontakter med unga.",
            "informationstraff",
        ),
        ("Kommunen tar fram en handlingsplan.", None),
    ],
)
def test_the_kind_is_guessed_from_the_catalogue(sentence, kind):
    assert one(sentence).kind == kind


def test_without_a_catalogue_no_kind_is_guessed():
    assert one("Polisen genomför planlagda insatser.", kinds={}).kind is None


def test_a_kind_a_coordinator_added_is_found_by_its_name():
    kinds = {**seed.ACTIVITY_KINDS, "cykelstold": "Cykelstöldsmärkning"}
    assert one("Polisen erbjuder cykelstöldsmärkning vid skolorna.", kinds=kinds).kind == "cykelstold"


# --- Sections, bullets and sentences -----------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["•", "-", "–", "*", "·", "1.", "2)"])
def test_every_common_bullet_is_a_commitment(marker):
    parsed = parse_promise(f"Aktiviteter\n\n{marker} Polisen genomför trafikkontroller.\n{marker} Kommunen mäter.")
    assert [a.description for a in parsed.activities] == ["Polisen genomför trafikkontroller.", "Kommunen mäter."]


def test_a_wrapped_bullet_is_one_commitment():
    parsed = parse_promise(
        "Aktiviteter\n\n• Polisen kommer genomföra\n  minst två planlagda insatser.\n• Kommunen mäter."
    )
    assert [(a.description, a.target_count) for a in parsed.activities] == [
        ("Polisen kommer genomföra minst två planlagda insatser.", 2),
        ("Kommunen mäter.", None),
    ]


def test_paragraphs_under_activities_are_commitments_too():
    parsed = parse_promise("Aktiviteter\n\nPolisen genomför trafikkontroller.\n\nKommunen mäter avloppsvattnet.")
    assert len(parsed.activities) == 2


def test_a_parenthesis_and_an_abbreviation_do_not_cut_a_commitment():
    text = (
        "Aktiviteter\n\n• Polisen arbetar med bl.a. skolor, t.ex. högstadiet. (Modellen innebär besök. "
        "Polisen kommer dit med socialtjänsten.) För att tidigt se unga i riskzonen."
    )
    (activity,) = parse_promise(text).activities
    assert activity.description == text.split("• ")[1]


def test_headings_are_recognised_in_their_common_spellings():
    text = (
        "Medborgarlöfte 2021\n\nBakgrund:\n\nOro i centrum.\n\nDet här lovar vi\n\nAtt arbeta tillsammans.\n\n"
        "Åtgärder\n\n- Polisen genomför trafikkontroller.\n\nFörväntade effekter\n\nFärre olyckor.\n\n"
        "Uppföljning och utvärdering\n\nI rådet.\n\nKommunikation\n\nPå webben."
    )
    parsed = parse_promise(text)
    assert (parsed.situation, parsed.pledge, parsed.expected_effects, parsed.follow_up, parsed.communication) == (
        "Oro i centrum.",
        "Att arbeta tillsammans.",
        "Färre olyckor.",
        "I rådet.",
        "På webben.",
    )
    assert len(parsed.activities) == 1


def test_a_text_without_headings_keeps_its_paragraphs_as_situation_and_purpose():
    parsed = parse_promise(
        "Oro för inbrott.\n\nSyftet är att minska inbrotten.\n\n• Polisen informerar om grannsamverkan."
    )
    assert (parsed.situation, parsed.pledge, len(parsed.activities)) == (
        "Oro för inbrott.",
        "Syftet är att minska inbrotten.",
        1,
    )


def test_a_line_that_introduces_the_list_is_left_for_the_coordinator():
    parsed = parse_promise(
        "Aktiviteter\n\nFör att minska oron kommer polisen och kommunen att genomföra följande:\n"
        "• Polisen genomför trafikkontroller."
    )
    assert parsed.unplaced == ("För att minska oron kommer polisen och kommunen att genomföra följande:",)
    assert len(parsed.activities) == 1


def test_a_focus_area_heading_may_carry_its_label():
    parsed = parse_promise("Aktiviteter\n\nFokusområde 1: Trafiken\n• Polisen genomför trafikkontroller.")
    assert parsed.focus_areas == ("Trafiken",)
    assert parsed.activities[0].focus_area == "Trafiken"


def test_invisible_characters_windows_line_ends_and_hard_spaces_are_read_as_plain_text():
    text = (
        "Medborgarlöfte\u00a02022\r\n\r\nAktiviteter\r\n\r\n"
        "•\u00a0Polisen\u200b genomför minst\u00a0två trafikkontroller.\r\n"
    )
    parsed = parse_promise(text, kinds=seed.ACTIVITY_KINDS)
    assert parsed.year == 2022
    assert [(a.description, a.target_count, a.kind) for a in parsed.activities] == [
        ("Polisen genomför minst två trafikkontroller.", 2, "trafikkontroll")
    ]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Lägesbild", "• ", "Medborgarlöfte 2020"])
def test_an_empty_or_bare_text_gives_an_empty_promise(text):
    parsed = parse_promise(text)
    assert parsed.activities == () and parsed.situation == ""


def test_the_year_to_assume_is_used_when_the_text_names_none():
    parsed = parse_promise("Aktiviteter\n\n• Polisen besöker skolorna två gånger per år.", year=2030)
    assert (parsed.year, parsed.period_start, parsed.activities[0].target_count) == (2030, datetime.date(2030, 1, 1), 2)


def test_a_very_long_text_is_read_in_bounded_time():
    text = "Aktiviteter\n\n" + "• Polisen genomför minst två trafikkontroller i Mariefred. " * 20 + "\n" * 3
    text += ("x" * 79 + "\n") * 2000
    parsed = parse_promise(text, districts=seed.DISTRICTS)
    assert parsed.activities  # and it returned: the reader is linear in the text, which is cut at its limit


def test_split_promises_keeps_a_text_without_a_title_whole():
    assert split_promises("Lägesbild\n\nText.") == ["Lägesbild\n\nText."]
    assert split_promises("  \n") == []
