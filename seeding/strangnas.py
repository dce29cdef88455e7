"""Strängnäs kommun's citizen promises for 2019 and 2020, read from the source document.

Source: ``shared/seed/strangnas-medborgarloften-2019-2020.txt`` beside this repository, the municipality's own text.
Every text below is copied verbatim from it, including its spelling (“om arbetar”, “beteende kontroller”):
it is what the parties signed. A bullet list becomes one line per bullet, without the “• ”; paragraphs are
separated by a blank line. Titles, units and the split of a bullet into activities are ours, not the
document's; the load_strangnas command stores this module and nothing else.
"""

import datetime

from activities.catalogue import KINDS

MUNICIPALITY = {"code": "0486", "name": "Strängnäs", "slug": "strangnas"}

DISTRICTS = ["Strängnäs", "Mariefred", "Åkers styckebruk", "Stallarholmen"]

# The sites the promises name, each with the district it lies in. Läggesta station is Mariefred's station.
SITES = [
    {"name": "Strängnäs resecentrum", "district": "Strängnäs"},
    {"name": "Läggesta station", "district": "Mariefred"},
]

POLICE = "Polisen, lokalpolisområde Strängnäs"
KOMMUN = "Strängnäs kommun"

ORGANISATIONS = [
    {"name": POLICE, "kind": "police"},
    {"name": KOMMUN, "kind": "municipality"},
]

# The 2020 promise is followed up "vid centrala brottsförebyggande rådet i Strängnäs kommun".
COUNCIL = "Centrala brottsförebyggande rådet, Strängnäs"

# The shared catalogue of activity kinds (slug → name): activities.catalogue has it, for every installation.
ACTIVITY_KINDS = KINDS

ONCE = "once"
CONTINUOUS = "continuous"

# --- Medborgarlöfte 2020 -------------------------------------------------------------------------------

PLEDGE_2020 = (
    "I samverkan arbeta mot narkotikabrottsligheten. Att öka upptäckten av narkotikabruk, främst hos unga i "
    "åldern 21 år och yngre. Med syfte att minska bruket av narkotika som ofta är grundorsaken till annan "
    "kriminalitet och upplevelsen av otrygghet hos invånare i Strängnäs kommun."
)

NARKOTIKA = "Narkotika bland unga"

PROMISE_2020 = {
    "year": 2020,
    "slug": "strangnas-2020",
    "title": "Medborgarlöfte 2020 – Strängnäs",
    "period_start": datetime.date(2020, 1, 1),
    "period_end": datetime.date(2020, 12, 31),
    "status": "signed",
    # The document gives no signing date (it says the promise "börjar gälla från och med undertecknandet"), so
    # none is stored: the public page says the date is not known, and progress is judged from the period's start.
    "signed_on": None,
    "signatories": [POLICE, KOMMUN],
    "situation": (
        "Medborgarlöften fokuserar på den lokala lägesbilden och på sådant som de som bor och verkar i ett "
        "område upplever som viktigast för att känna sig trygga och säkra. Relativt sett är Strängnäs kommun "
        "en trygg och säker kommun att bo och vistas i, men i de dialoger vi haft med medborgarna under 2019 "
        "och utifrån den brottsstatistik som finns är det några brottstyper som skapar otrygghet hos "
        "medborgarna. Inför polisens och Strängnäs kommuns gemensamma arbete under 2020 har vi valt att "
        "fokusera på ungdomar, kriminalitet och i synnerhet upptäckten av droger bland unga. Ett arbete som "
        "annars sker löpande i dagliga verksamheten, men under 2020 med ett extra fokus."
    ),
    "pledge": PLEDGE_2020,
    "expected_effects": "\n".join(
        [
            "Av erfarenhet vet vi att en minskad droganvändning reducerar annan kriminalitet.",
            "Kartlägga genom medborgarlöftet hur utbredd narkotikaproblematiken i Strängnäs kommun är bland "
            "unga – denna kartläggning följs bland annat upp på brottsförebyggande råd.",
        ]
    ),
    "follow_up": (
        "Uppföljning kring arbetet med medborgarlöftet kommer under 2020 ske vid centrala brottsförebyggande "
        "rådet i Strängnäs kommun."
    ),
    "communication": "\n\n".join(
        [
            "Löpande kommunikation kring medborgarlöftet kommer ni under året kunna följa på polisens och "
            "Strängnäs kommuns sociala medier, Facebook och Instagram.",
            "Aktiviteterna kopplade till medborgarlöftet kommer även presenteras varje tertial på polisen.se "
            "samt strängnäs.se.",
        ]
    ),
    "focus_areas": [
        {"title": NARKOTIKA, "description": PLEDGE_2020},
    ],
    "activities": [
        {
            "title": "Planlagda insatser mot narkotika bland unga",
            "kind": "planlagd-insats",
            "focus_area": NARKOTIKA,
            "description": (
                "Polisen kommer genomföra minst två planlagda insatser under året med inriktning ungdomar och "
                "narkotika."
            ),
            "lead": POLICE,
            "partners": [],
            "target_count": 2,
            "unit": "planlagda insatser",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Kontakter med skola, fritidsgårdar, socialtjänst och lokala BRÅ",
            "kind": "kontaktarbete",
            "focus_area": NARKOTIKA,
            "description": (
                "Områdespolis, kommunpolis och utryckningspolis fortsätter under året sina täta kontakter med "
                "skola, fritidsgårdar, socialtjänst och lokala brottsförebyggande råd. För att tidigt upptäcka "
                "ungdomar som är på väg in kriminalitet och narkotikabruk."
            ),
            "lead": POLICE,
            "partners": [],
            "target_count": None,
            "unit": "kontakter",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Narkotikasök med hund",
            "kind": "narkotikasok-med-hund",
            "focus_area": NARKOTIKA,
            "description": (
                "Polisen kommer genomföra två stycken narkotikasök på skolor med hund, i förebyggande syfte och "
                "skapa förutsättningar för en drogfri miljö för barn och ungdomar."
            ),
            "lead": POLICE,
            "partners": [],
            "target_count": 2,
            "unit": "narkotikasök",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Hembesök enligt Linköpingsmodellen",
            "kind": "hembesok-enligt-linkopingsmodellen",
            "focus_area": NARKOTIKA,
            "description": (
                "Polisen kommer kontinuerligt arbeta med Linköpingsmodellen, i lämpliga fall i direkt samverkan "
                "med socialtjänsten på plats hemma hos den unga individen. (Linköpingsmodellen innebär att "
                "polisen i lämpliga fall tillsammans med socialtjänsten, åker hem till personer främst i 15–18 "
                "årsåldern som misstänks ha börjat med droger. I hemmiljön informeras och konfronteras föräldrar "
                "och ungdomar om misstankarna)."
            ),
            "lead": POLICE,
            # The social services are the municipality's.
            "partners": [KOMMUN],
            "target_count": None,
            "unit": "hembesök",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Informationsträffar om orosanmälan",
            "kind": "informationstraff",
            "focus_area": NARKOTIKA,
            "description": (
                "Strängnäs kommun kommer via socialtjänsten initiera informationsträffar om orosanmälan enligt "
                "socialtjänstlagen 14§. Ett led i att öka kunskapen bland dem som om arbetar och kommer i kontakt "
                "med ungdomar. För att säkerställa att socialtjänsten får kännedom om ungdomar i riskzonen för "
                "kriminalitet och narkotikabruk."
            ),
            "lead": KOMMUN,
            "partners": [],
            "target_count": None,
            "unit": "informationsträffar",
            "target_places": [],
            # "Initiera": the promise is kept once the meetings have been started.
            "recurrence": ONCE,
        },
        {
            "title": "Avloppsvattenmätning",
            "kind": "avloppsvattenmatning",
            "focus_area": NARKOTIKA,
            "description": (
                "Strängnäs kommun kommer mäta avloppsvattnet i kommunen för att kartlägga hur utbrett "
                "narkotikabruket är."
            ),
            "lead": KOMMUN,
            "partners": [],
            "target_count": None,
            "unit": "mätningar",
            "target_places": [],
            "recurrence": ONCE,
        },
        {
            "title": "Föräldraträffar på skolor",
            "kind": "foraldratraff",
            "focus_area": NARKOTIKA,
            "description": (
                "Strängnäs kommun kommer under året att samordna minst två föräldraträffar på skolor, för "
                "förebyggande information där polisen medverkar som en aktör för narkotikainformation."
            ),
            "lead": KOMMUN,
            "partners": [POLICE],
            "target_count": 2,
            "unit": "föräldraträffar",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
    ],
    # The expected effect is less drug use among the young, and a map of how widespread it is: reported
    # offences and the wastewater results measure both. Values come from the follow-up, never from here.
    "indicators": [
        {
            "name": "Narkotikabrott bland unga (21 år och yngre)",
            "unit": "anmälda brott",
            "source": "Polisens statistik",
            "better": "lower",
        },
        {
            "name": "Avloppsvattenmätning",
            "unit": "",
            "source": KOMMUN,
            "better": "lower",
        },
    ],
}

# --- Medborgarlöfte 2019 -------------------------------------------------------------------------------

# The 2019 text has no headings but "Aktiviteter": its first paragraph is the situation picture and its
# "Syftet med årets medborgarlöfte …" paragraph the pledge. It has no expected effects, follow-up or
# communication sections, so those stay empty rather than borrowed from 2020.
INBROTT = "Färre båt- och bostadsinbrott"
TRAFIK = "Trygghet och säkerhet i trafiken"

PROMISE_2019 = {
    "year": 2019,
    "slug": "strangnas-2019",
    "title": "Medborgarlöfte 2019 – Strängnäs",
    "period_start": datetime.date(2019, 1, 1),
    "period_end": datetime.date(2019, 12, 31),
    # The year is over: the promise is kept public but no longer worked on.
    "status": "closed",
    # No signing date in the document either, so none is stored.
    "signed_on": None,
    "signatories": [POLICE, KOMMUN],
    "situation": (
        "Medborgarlöftet utgår från de medborgardialoger vi genomfört och den lägesbild vi gemensamt har "
        "upprättat för Strängnäs kommun inför 2019. Relativt sett är Strängnäs kommun en trygg och säker kommun "
        "att bo och vistas i, men i de dialoger vi haft med medborgarna och utifrån den brottsstatistik som "
        "finns är det några brottstyper som skapar otrygghet hos medborgarna."
    ),
    "pledge": (
        "Syftet med årets medborgarlöfte är att polisen och Strängnäs kommun, tillsammans, ska skapa "
        "aktiviteter som kan resultera i att färre båt- och bostadsinbrott sker inom Strängnäs kommun samt att "
        "tryggheten och säkerheten inom trafikmiljön ska förbättras."
    ),
    "expected_effects": "",
    "follow_up": "",
    "communication": "",
    # The two halves of the stated purpose. The document describes them in no more words than the pledge
    # already holds, so they carry no description of their own.
    "focus_areas": [
        {"title": INBROTT, "description": ""},
        {"title": TRAFIK, "description": ""},
    ],
    # "Polisen och Strängnäs kommun" is read as the police leading with the municipality as partner; where a
    # bullet names the municipality first, the municipality leads.
    "activities": [
        {
            "title": "Information om grannsamverkan och DNA-märkning",
            "kind": "information-till-allmanheten",
            "focus_area": INBROTT,
            "description": (
                "Polisen och Strängnäs kommun ska informera i publika sammanhang, på sina hemsidor och via "
                "sociala medier om grannsamverkan och dna märkning."
            ),
            "lead": POLICE,
            "partners": [KOMMUN],
            "target_count": None,
            "unit": "informationsinsatser",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Nya grannsamverkansområden",
            "kind": "grannsamverkansomrade",
            "focus_area": INBROTT,
            "description": (
                "Vi kommer under året etablera minst åtta stycken nya grannsamverkansområden i Strängnäs kommun."
            ),
            "lead": POLICE,
            "partners": [KOMMUN],
            "target_count": 8,
            "unit": "nya grannsamverkansområden",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Information om båtsamverkan",
            "kind": "information-till-allmanheten",
            "focus_area": INBROTT,
            "description": (
                "Polisen och Strängnäs kommun ska informera i publika sammanhang, på sina hemsidor och sociala "
                "medier om båtsamverkan."
            ),
            "lead": POLICE,
            "partners": [KOMMUN],
            "target_count": None,
            "unit": "informationsinsatser",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Nya båtsamverkansområden",
            "kind": "batsamverkansomrade",
            "focus_area": INBROTT,
            "description": "Vi kommer att etablera två nya båtsamverkansområden under året.",
            "lead": POLICE,
            "partners": [KOMMUN],
            "target_count": 2,
            "unit": "nya båtsamverkansområden",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Lokaler för utbildning i grann- och båtsamverkan",
            "kind": "lokaler-for-utbildning",
            "focus_area": INBROTT,
            "description": (
                "Strängnäs kommun kommer att tillhandahålla lämpliga lokaler vid utbildningstillfällen för "
                "grannsamverkan samt båtsamverkan."
            ),
            "lead": KOMMUN,
            "partners": [],
            "target_count": None,
            "unit": "utbildningstillfällen",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Trygghetsvandringar",
            "kind": "trygghetsvandring",
            # The walks named are at the travel centre and the station: the traffic environment of the purpose.
            "focus_area": TRAFIK,
            "description": (
                "Strängnäs kommun kommer tillsammans med polisen att genomföra minst fyra stycken "
                "trygghetsvandringar under året, bland annat i och kring Strängnäs resecentrum och Läggesta "
                "station."
            ),
            "lead": KOMMUN,
            "partners": [POLICE],
            "target_count": 4,
            "unit": "trygghetsvandringar",
            # "Bland annat": these two must be walked; the other walks may be anywhere.
            "target_places": ["Strängnäs resecentrum", "Läggesta station"],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Trafikkontroller i kommunens samtliga kommundelar",
            "kind": "trafikkontroll",
            "focus_area": TRAFIK,
            "description": (
                "Polisen kommer genomföra trafikkontroller under året i kommunens samtliga kommundelar med "
                "inriktning på nykterhet, hastighet och beteende kontroller i trafiken."
            ),
            "lead": POLICE,
            "partners": [],
            # The target is coverage, not a number: every district must see at least one control.
            "target_count": None,
            "unit": "trafikkontroller",
            "target_places": DISTRICTS,
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Riktade insatser mot trimmade mopeder och A-traktorer",
            "kind": "riktad-insats",
            "focus_area": TRAFIK,
            "description": (
                "Polisen kommer under året genomföra minst två stycken riktade insatser mot trimmade mopeder och "
                "A-traktorer."
            ),
            "lead": POLICE,
            "partners": [],
            "target_count": 2,
            "unit": "riktade insatser",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
        {
            "title": "Möten i trafiksäkerhetsrådet",
            "kind": "trafiksakerhetsradsmote",
            "focus_area": TRAFIK,
            "description": (
                "Strängnäs kommun och polisen kommer träffas regelbundet i ett trafiksäkerhetsråd och där dela "
                "information samt ta del av medborgarnas synpunkter, och väga in dem i det fortsatta arbetet med "
                "tryggheten och säkerheten i trafiken."
            ),
            "lead": KOMMUN,
            "partners": [POLICE],
            "target_count": None,
            "unit": "möten",
            "target_places": [],
            "recurrence": CONTINUOUS,
        },
    ],
    "indicators": [],
}

# In the document's order: 2020 first.
PROMISES = [PROMISE_2020, PROMISE_2019]
