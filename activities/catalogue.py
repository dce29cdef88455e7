"""The national catalogue of activity kinds (slug → name), shared by every municipality.

An installation starts with none, and a coordinator cannot add a kind: so the first municipality an administrator
onboards (staff/onboarding.py) brings the catalogue with it, and the paste parser (activities.published_text)
recognises its kinds in a pasted promise. The Strängnäs seed uses the same catalogue. Slugs are what the admin
would prepopulate from the name, so a kind created by hand and one created here are the same kind.
"""

KINDS = {
    "planlagd-insats": "Planlagd insats",
    "kontaktarbete": "Kontaktarbete",
    "narkotikasok-med-hund": "Narkotikasök med hund",
    "hembesok-enligt-linkopingsmodellen": "Hembesök enligt Linköpingsmodellen",
    "informationstraff": "Informationsträff",
    "avloppsvattenmatning": "Avloppsvattenmätning",
    "foraldratraff": "Föräldraträff",
    "information-till-allmanheten": "Information till allmänheten",
    "grannsamverkansomrade": "Grannsamverkansområde",
    "batsamverkansomrade": "Båtsamverkansområde",
    "lokaler-for-utbildning": "Lokaler för utbildning",
    "trygghetsvandring": "Trygghetsvandring",
    "trafikkontroll": "Trafikkontroll",
    "riktad-insats": "Riktad insats",
    "trafiksakerhetsradsmote": "Trafiksäkerhetsrådsmöte",
}


def ensure_kinds() -> int:
    """Creates the catalogue's kinds the installation lacks (by slug or name); returns how many were created.

    A kind already there, retired or renamed by an administrator, is left as it is."""
    from .models import ActivityKind  # here: the catalogue itself is read before the apps are ready (the seed)

    existing = ActivityKind.objects.values_list("slug", "name")
    slugs = {slug for slug, _name in existing}
    names = {name.casefold() for _slug, name in existing}
    missing = [
        ActivityKind(slug=slug, name=name)
        for slug, name in KINDS.items()
        if slug not in slugs and name.casefold() not in names
    ]
    for kind in missing:
        kind.save()  # one by one, so that each kind's history starts with its creation
    return len(missing)
