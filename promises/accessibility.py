"""The accessibility statement an installation starts with, until an administrator writes its own.

Both the data migration that creates the first statement and the public page (should the row be missing)
use these values, so the footer link never leads nowhere.
"""

import datetime

SHORTCOMINGS = """\
PDF-filerna med tertialuppföljningar är inte fullt taggade för skärmläsare. Rubriker och tabeller kan därför \
läsas upp i fel ordning eller utan sin struktur. Samma uppgifter finns som vanliga webbsidor under varje \
medborgarlöfte, och de sidorna fungerar med skärmläsare.

Texterna i medborgarlöftena (lägesbild, löfte, förväntade effekter) är kopierade från de undertecknade \
dokumenten. De kan innehålla långa stycken och ord som inte förklaras, vilket kan göra dem svåra att läsa. Vi \
förkortar och förtydligar dem när ett nytt löfte tas fram."""

METHOD_DESCRIPTION = """\
Vi har gjort en självskattning. Varje sida har granskats med verktyget axe-core i en riktig webbläsare, och vi \
har testat att allt går att nå och använda med enbart tangentbord."""

FEEDBACK = """\
Om du behöver innehåll från webbplatsen som inte är tillgängligt för dig, men som omfattas av lagen om \
tillgänglighet till digital offentlig service, kan du kontakta oss. Berätta vilken sida det gäller och vad som \
inte fungerar, så svarar vi så snart vi kan. Du kan också höra av dig till din kommuns kontaktcenter eller \
kommunpolisen."""


DEFAULT_STATEMENT = {
    "public_body": "Kommunen och Polisen i samverkan",
    "service": "Medborgarlöften",
    "compliance": "partial",
    "shortcomings": SHORTCOMINGS,
    "assessed_on": datetime.date(2026, 11, 27),
    "method": "self",
    "method_description": METHOD_DESCRIPTION,
    "feedback": FEEDBACK,
    "feedback_email": "",
}
