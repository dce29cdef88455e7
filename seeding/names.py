"""The name data of the national generator (seeding.generator): every word list and table it draws from.

Place names, people's names, the themes promises are made of with their activities, what records say,
indicators, and the county codes municipality codes start with. Nothing here draws anything: the generator
picks from these lists by position, so reordering, adding or removing an entry changes what every seed
generates.
"""

# --- Municipality codes ----------------------------------------------------------------------------------

# Real municipality codes start with the county (län) code; these are today's counties.
COUNTY_CODES = ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13"]
COUNTY_CODES += ["14", "17", "18", "19", "20", "21", "22", "23", "24", "25"]
# Within a county the municipality numbers used here run from 14 to 99.
FIRST_NUMBER, LAST_NUMBER = 14, 99
MAX_MUNICIPALITIES = len(COUNTY_CODES) * (LAST_NUMBER - FIRST_NUMBER + 1)

# --- Names ---------------------------------------------------------------------------------------------

# Place names are made of a first part and an ending, as so many Swedish ones are (Sig-tuna, Norr-köping).
NAME_STARTS = [
    "Al", "Alm", "Ask", "Berg", "Björk", "Bred", "Bro", "Dal", "Ek", "Fager", "Falk", "Finn", "Gran", "Gull",
    "Hag", "Hammar", "Hassel", "Hed", "Hjort", "Hol", "Kall", "Kungs", "Kvarn", "Lax", "Lid", "Lill", "Lind",
    "Ljung", "Löv", "Malm", "Mark", "Mo", "Mör", "Nor", "Ox", "Ram", "Ros", "Sand", "Sil", "Sjö", "Skog", "Sol",
    "Sten", "Stor", "Strand", "Sval", "Tall", "Tor", "Ulv", "Vall", "Ved", "Väster", "Öster", "Åker", "Ör",
]  # fmt: skip
NAME_ENDINGS = [
    "köping", "hamn", "by", "vik", "berga", "sund", "holm", "torp", "fors", "stad", "dal", "näs", "åsen", "ryd",
    "bo", "hult", "inge", "lunda", "tuna", "mo", "sjö", "ö", "å", "bruk",
]  # fmt: skip
NAME_PREFIXES = ["Norra", "Södra", "Övre", "Nedre", "Stora", "Lilla"]
SITE_KINDS = ["resecentrum", "station", "centrum", "torg", "gästhamn", "idrottsplats", "busstation", "bibliotek"]

FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Johanna", "Linnea", "Elin", "Sofia", "Maja",
    "Lars", "Anders", "Johan", "Erik", "Per", "Karl", "Mikael", "Peter", "Fredrik", "Jonas", "Oskar", "Ali",
]  # fmt: skip
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson",
    "Magnusson", "Lindström", "Olofsson", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg",
]  # fmt: skip

# --- What promises contain -----------------------------------------------------------------------------

# Target types: a count only; every district; a count and named sites; continuous or once without a number.
COUNT, DISTRICTS, SITES, CONTINUOUS, ONCE = "count", "districts", "sites", "continuous", "once"
TARGET_TYPES = [COUNT, DISTRICTS, SITES, CONTINUOUS, ONCE]
# After one activity of each type, the others are drawn with these weights.
TARGET_TYPE_WEIGHTS = [40, 10, 10, 28, 12]

POLICE, MUNICIPAL = "police", "municipality"

# Focus area → (description, activities: target type, kind slug, title, unit, lead).
THEMES = {
    "Narkotika bland unga": (
        "Att tidigt upptäcka narkotikabruk bland unga, som ofta är grundorsaken till annan kriminalitet och "
        "till otrygghet.",
        [
            (COUNT, "planlagd-insats", "Planlagda insatser mot narkotika bland unga", "planlagda insatser", POLICE),
            (COUNT, "narkotikasok-med-hund", "Narkotikasök med hund på skolor", "narkotikasök", POLICE),
            (COUNT, "foraldratraff", "Föräldraträffar på skolor", "föräldraträffar", MUNICIPAL),
            (DISTRICTS, "informationstraff", "Drogförebyggande information i varje kommundel", "informationsträffar",
             MUNICIPAL),
            (SITES, "riktad-insats", "Riktade insatser mot narkotikaförsäljning på utpekade platser",
             "riktade insatser", POLICE),
            (CONTINUOUS, "kontaktarbete", "Kontakter med skola, fritidsgårdar, socialtjänst och lokala BRÅ",
             "kontakter", POLICE),
            (CONTINUOUS, "hembesok-enligt-linkopingsmodellen", "Hembesök enligt Linköpingsmodellen", "hembesök",
             POLICE),
            (ONCE, "avloppsvattenmatning", "Avloppsvattenmätning", "mätningar", MUNICIPAL),
            (ONCE, "informationstraff", "Informationsträffar om orosanmälan", "informationsträffar", MUNICIPAL),
        ],
    ),
    "Färre bostads- och båtinbrott": (
        "Att tillsammans med de boende göra det svårare att begå inbrott i bostäder, fritidshus och båtar.",
        [
            (COUNT, "grannsamverkansomrade", "Nya grannsamverkansområden", "nya grannsamverkansområden", POLICE),
            (COUNT, "batsamverkansomrade", "Nya båtsamverkansområden", "nya båtsamverkansområden", POLICE),
            (COUNT, "informationstraff", "Informationsmöten om grannsamverkan", "informationsmöten", POLICE),
            (DISTRICTS, "information-till-allmanheten", "Information om inbrottsskydd i varje kommundel",
             "informationsinsatser", POLICE),
            (SITES, "planlagd-insats", "Planlagd närvaro på utpekade platser mot inbrott och stölder",
             "planlagda insatser", POLICE),
            (CONTINUOUS, "information-till-allmanheten", "Information om grannsamverkan och DNA-märkning",
             "informationsinsatser", POLICE),
            (CONTINUOUS, "lokaler-for-utbildning", "Lokaler för utbildning i grann- och båtsamverkan",
             "utbildningstillfällen", MUNICIPAL),
            (ONCE, "lokaler-for-utbildning", "Utbildningsdag för nya kontaktombud i grannsamverkan",
             "utbildningsdagar", MUNICIPAL),
        ],
    ),
    "Trygghet och säkerhet i trafiken": (
        "Att minska olyckor och otrygghet i trafiken, särskilt kring skolor och i tätorterna kvällstid.",
        [
            (COUNT, "riktad-insats", "Riktade insatser mot trimmade mopeder och A-traktorer", "riktade insatser",
             POLICE),
            (COUNT, "trafikkontroll", "Hastighetskontroller vid skolor", "hastighetskontroller", POLICE),
            (DISTRICTS, "trafikkontroll", "Trafikkontroller i kommunens samtliga kommundelar", "trafikkontroller",
             POLICE),
            (SITES, "trafikkontroll", "Nykterhetskontroller vid resecentrum och infarter", "nykterhetskontroller",
             POLICE),
            (CONTINUOUS, "trafiksakerhetsradsmote", "Möten i trafiksäkerhetsrådet", "möten", MUNICIPAL),
            (ONCE, "information-till-allmanheten", "Kampanj om cykelhjälm och reflexer", "kampanjer", MUNICIPAL),
        ],
    ),
    "Trygga offentliga miljöer": (
        "Att centrum, stationer och parker ska upplevas som trygga att vistas i, även på kvällen.",
        [
            (COUNT, "riktad-insats", "Riktade insatser i centrum kvällstid", "riktade insatser", POLICE),
            (DISTRICTS, "kontaktarbete", "Medborgardialoger i kommundelarna", "medborgardialoger", MUNICIPAL),
            (SITES, "trygghetsvandring", "Trygghetsvandringar", "trygghetsvandringar", MUNICIPAL),
            (CONTINUOUS, "information-till-allmanheten", "Information om medborgarlöftet i sociala medier",
             "informationsinsatser", MUNICIPAL),
            (ONCE, "informationstraff", "Lägesbilden presenteras för kommunfullmäktige", "presentationer", POLICE),
        ],
    ),
    "Unga i riskzonen för kriminalitet": (
        "Att fånga upp unga som är på väg in i kriminalitet och stötta dem och deras föräldrar i tid.",
        [
            (COUNT, "kontaktarbete", "Samtal med unga i riskzonen inom SSPF", "samtal", MUNICIPAL),
            (COUNT, "informationstraff", "Informationsträffar för personal på fritidsgårdar", "informationsträffar",
             MUNICIPAL),
            (DISTRICTS, "planlagd-insats", "Polisnärvaro vid fritidsgårdar i varje kommundel", "närvarotillfällen",
             POLICE),
            (SITES, "trygghetsvandring", "Föräldravandringar på helgkvällar", "föräldravandringar", MUNICIPAL),
            (CONTINUOUS, "kontaktarbete", "Fältassistenter och polis i gemensam kvällstjänst", "kvällspass",
             MUNICIPAL),
            (ONCE, "foraldratraff", "Föräldraträff inför skolavslutningen", "föräldraträffar", MUNICIPAL),
        ],
    ),
}  # fmt: skip

# What a record's summary says, by activity kind; {place} is the place or the municipality. Linköping-model
# home visits are logged as counts only (DESIGN.md §5), so they have no summary at all.
SUMMARIES = {
    "planlagd-insats": ["Planlagd insats med inriktning ungdomar och narkotika i {place}.",
                        "Planlagd insats kvällstid i {place} tillsammans med kommunens fältassistenter."],
    "kontaktarbete": ["Möte med fritidsgård och socialtjänst om läget bland unga i {place}.",
                      "Samverkansmöte med skolans elevhälsa i {place}."],
    "narkotikasok-med-hund": ["Narkotikasök med hund på högstadieskola i {place}.",
                              "Narkotikasök med hund på gymnasieskola i {place}, inga fynd."],
    "hembesok-enligt-linkopingsmodellen": [""],
    "informationstraff": ["Informationsträff för skolpersonal i {place}.",
                          "Informationsträff för föreningsledare i {place}."],
    "avloppsvattenmatning": ["Provtagning av avloppsvatten vid reningsverket i {place}.",
                             "Analyssvar från avloppsvattenmätningen i {place} har kommit."],
    "foraldratraff": ["Föräldraträff på högstadieskola i {place} med narkotikainformation från polisen.",
                      "Föräldraträff i {place} inför sommarlovet."],
    "information-till-allmanheten": ["Information på torget i {place} om grannsamverkan och DNA-märkning.",
                                     "Inlägg i sociala medier om medborgarlöftet i {place}."],
    "grannsamverkansomrade": ["Nya grannsamverkansområden startade efter informationsmöte i {place}.",
                              "Grannsamverkansområde etablerat i {place}."],
    "batsamverkansomrade": ["Båtsamverkansområde etablerat vid hamnen i {place}."],
    "lokaler-for-utbildning": ["Lokal upplåten för utbildning i grannsamverkan i {place}.",
                               "Utbildningskväll i båtsamverkan i kommunens lokaler i {place}."],
    "trygghetsvandring": ["Trygghetsvandring kring {place} tillsammans med polisen.",
                          "Trygghetsvandring kvällstid i {place} med boende och fastighetsägare."],
    "trafikkontroll": ["Trafikkontroll i {place} med inriktning på nykterhet och hastighet.",
                       "Hastighetskontroll vid skola i {place}."],
    "riktad-insats": ["Riktad insats mot trimmade mopeder i {place}.", "Riktad insats kvällstid i {place}."],
    "trafiksakerhetsradsmote": ["Möte i trafiksäkerhetsrådet i {place}.",
                                "Trafiksäkerhetsrådet gick igenom olycksstatistiken för {place}."],
}  # fmt: skip
PLACE_TEXTS = ["vid skolan", "centrum", "vid idrottsplatsen", "vid badplatsen", "industriområdet", "fritidsgården"]
VOID_REASONS = [
    "Felregistrerad, fel aktivitet.",
    "Dubbelregistrering.",
    "Fel datum angivet.",
    "Registrerad av misstag.",
]

# name, unit, source ("police" or "municipality" for the organisation), better, typical range, decimals
INDICATORS = [
    ("Narkotikabrott bland unga (21 år och yngre)", "anmälda brott", POLICE, "lower", (5, 60), 0),
    ("Bostadsinbrott", "anmälda brott", POLICE, "lower", (10, 80), 0),
    ("Båtinbrott och båtmotorstölder", "anmälda brott", POLICE, "lower", (2, 20), 0),
    ("Andel som känner sig trygga utomhus kvällstid", "procent", "Polisens trygghetsmätning", "higher", (55, 85), 1),
    ("Trafikolyckor med personskada", "olyckor", "Strada", "lower", (5, 40), 0),
    ("Skadegörelse och klotter", "anmälda brott", POLICE, "lower", (20, 150), 0),
    ("Narkotikarester i avloppsvatten (amfetamin)", "mg per 1 000 invånare och dygn", MUNICIPAL, "lower", (10, 80), 1),
    ("Misshandel utomhus", "anmälda brott", POLICE, "lower", (5, 60), 0),
]

# Quantities 1–5, most often 1: picked by index so that one random() call does it.
QUANTITIES = [1] * 10 + [2] * 4 + [3] * 3 + [4] * 2 + [5]
MEAN_QUANTITY = sum(QUANTITIES) / len(QUANTITIES)

# Kinds of activity people can be invited to, for planned events.
EVENT_KINDS = {"trygghetsvandring", "foraldratraff", "informationstraff", "information-till-allmanheten"}

# What councils are called, {} being the municipality.
COUNCIL_NAMES = ["Brottsförebyggande rådet i {}", "Trygghetsrådet i {}", "Lokala BRÅ i {}"]
# Where people invited to a planned event meet.
EVENT_PLACE_TEXTS = ["utanför biblioteket", "vid busshållplatsen", "på torget", "i skolans aula"]
