"""The load_strangnas command: Strängnäs kommun's promises for 2019 and 2020, as the source document has them."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from activities.models import Activity, ActivityKind, ActivityRecord
from followup.models import Assessment, Council, Indicator, IndicatorValue, TertialReport
from promises.models import FocusArea, Municipality, Organisation, Place, Promise
from seeding import strangnas as seed

POLICE = "Polisen, lokalpolisområde Strängnäs"
KOMMUN = "Strängnäs kommun"
DISTRICTS = {"Strängnäs", "Mariefred", "Åkers styckebruk", "Stallarholmen"}
SITES = {"Strängnäs resecentrum", "Läggesta station"}

# title → (target count, unit, target places, recurrence, lead organisation kind), in the document's order.
ACTIVITIES_2020 = {
    "Planlagda insatser mot narkotika bland unga": (2, "planlagda insatser", set(), "continuous", "police"),
    "Kontakter med skola, fritidsgårdar, socialtjänst och lokala BRÅ": (
        None,
        "kontakter",
        set(),
        "continuous",
        "police",
    ),
    "Narkotikasök med hund": (2, "narkotikasök", set(), "continuous", "police"),
    "Hembesök enligt Linköpingsmodellen": (None, "hembesök", set(), "continuous", "police"),
    "Informationsträffar om orosanmälan": (None, "informationsträffar", set(), "once", "municipality"),
    "Avloppsvattenmätning": (None, "mätningar", set(), "once", "municipality"),
    "Föräldraträffar på skolor": (2, "föräldraträffar", set(), "continuous", "municipality"),
}
ACTIVITIES_2019 = {
    "Information om grannsamverkan och DNA-märkning": (None, "informationsinsatser", set(), "continuous", "police"),
    "Nya grannsamverkansområden": (8, "nya grannsamverkansområden", set(), "continuous", "police"),
    "Information om båtsamverkan": (None, "informationsinsatser", set(), "continuous", "police"),
    "Nya båtsamverkansområden": (2, "nya båtsamverkansområden", set(), "continuous", "police"),
    "Lokaler för utbildning i grann- och båtsamverkan": (
        None,
        "utbildningstillfällen",
        set(),
        "continuous",
        "municipality",
    ),
    "Trygghetsvandringar": (4, "trygghetsvandringar", SITES, "continuous", "municipality"),
    "Trafikkontroller i kommunens samtliga kommundelar": (None, "trafikkontroller", DISTRICTS, "continuous", "police"),
    "Riktade insatser mot trimmade mopeder och A-traktorer": (2, "riktade insatser", set(), "continuous", "police"),
    "Möten i trafiksäkerhetsrådet": (None, "möten", set(), "continuous", "municipality"),
}


def _load():
    out = StringIO()
    call_command("load_strangnas", stdout=out)
    return out.getvalue()


def _promise(year):
    return Promise.objects.get(year=year, slug=f"strangnas-{year}")


def _targets(promise):
    return {
        activity.title: (
            activity.target_count,
            activity.unit,
            {place.name for place in activity.target_places.all()},
            activity.recurrence,
            activity.lead_organisation.kind,
        )
        for activity in promise.activities.order_by("order")
    }


def _dump():
    """Every row of the three apps, with their many-to-many links and change history, in a stable order."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for app in ("promises", "activities", "followup")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


@pytest.mark.django_db
def test_it_loads_the_municipality_with_its_code_and_districts():
    _load()

    strangnas = Municipality.objects.get(code="0486")
    assert (strangnas.name, strangnas.slug) == ("Strängnäs", "strangnas")
    districts = strangnas.places.filter(kind=Place.Kind.DISTRICT)
    assert {place.name for place in districts} == DISTRICTS
    assert not districts.filter(parent__isnull=False).exists()


@pytest.mark.django_db
def test_it_places_each_site_in_the_district_it_serves():
    _load()

    sites = Place.objects.filter(municipality__code="0486", kind=Place.Kind.SITE)
    assert {site.name: site.parent.name for site in sites} == {
        "Strängnäs resecentrum": "Strängnäs",
        "Läggesta station": "Mariefred",
    }


@pytest.mark.django_db
def test_it_loads_both_organisations_and_the_council_serving_strangnas():
    _load()

    organisations = Organisation.objects.filter(municipalities__code="0486")
    assert {(organisation.name, organisation.kind) for organisation in organisations} == {
        (POLICE, "police"),
        (KOMMUN, "municipality"),
    }
    council = Council.objects.get(name="Centrala brottsförebyggande rådet, Strängnäs")
    assert [municipality.code for municipality in council.municipalities.all()] == ["0486"]


@pytest.mark.django_db
def test_it_loads_both_promises_public_and_signed_by_both_organisations():
    _load()

    assert set(Promise.objects.public().values_list("slug", flat=True)) == {"strangnas-2019", "strangnas-2020"}
    expected = {
        2020: ("Medborgarlöfte 2020 – Strängnäs", "signed"),
        2019: ("Medborgarlöfte 2019 – Strängnäs", "closed"),
    }
    for year, (title, status) in expected.items():
        promise = _promise(year)
        assert (promise.title, promise.status) == (title, status)
        assert (promise.period_start, promise.period_end) == (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        # The document gives no signing date ("börjar gälla från och med undertecknandet"): none is invented.
        assert promise.signed_on is None
        assert [municipality.code for municipality in promise.municipalities.all()] == ["0486"]
        assert {organisation.name for organisation in promise.signatories.all()} == {POLICE, KOMMUN}


@pytest.mark.django_db
def test_it_copies_the_2020_texts_verbatim():
    _load()

    promise = _promise(2020)
    assert "i synnerhet upptäckten av droger bland unga" in promise.situation
    assert promise.pledge.startswith("I samverkan arbeta mot narkotikabrottsligheten.")
    assert "främst hos unga i åldern 21 år och yngre" in promise.pledge
    # Two bullets, one a line, without their bullet marks.
    assert promise.expected_effects.splitlines() == [
        "Av erfarenhet vet vi att en minskad droganvändning reducerar annan kriminalitet.",
        "Kartlägga genom medborgarlöftet hur utbredd narkotikaproblematiken i Strängnäs kommun är bland unga – "
        "denna kartläggning följs bland annat upp på brottsförebyggande råd.",
    ]
    assert "vid centrala brottsförebyggande rådet i Strängnäs kommun" in promise.follow_up
    assert "sociala medier, Facebook och Instagram" in promise.communication
    assert "varje tertial på polisen.se samt strängnäs.se" in promise.communication


@pytest.mark.django_db
def test_it_copies_the_2019_texts_and_leaves_the_sections_the_document_lacks_empty():
    _load()

    promise = _promise(2019)
    assert promise.situation.startswith("Medborgarlöftet utgår från de medborgardialoger vi genomfört")
    assert promise.pledge.startswith("Syftet med årets medborgarlöfte är att polisen och Strängnäs kommun")
    assert "färre båt- och bostadsinbrott" in promise.pledge
    assert (promise.expected_effects, promise.follow_up, promise.communication) == ("", "", "")


@pytest.mark.django_db
def test_it_keeps_bullet_marks_out_of_every_text():
    _load()

    texts = [
        value
        for promise in Promise.objects.all()
        for value in (promise.situation, promise.pledge, promise.expected_effects, promise.communication)
    ]
    texts += list(Activity.objects.values_list("description", flat=True))
    assert all(text == text.strip() and "•" not in text for text in texts)


@pytest.mark.django_db
def test_it_loads_the_focus_areas_of_each_promise():
    _load()

    assert list(_promise(2020).focus_areas.values_list("title", flat=True)) == ["Narkotika bland unga"]
    assert _promise(2020).focus_areas.get().description == _promise(2020).pledge
    assert list(_promise(2019).focus_areas.values_list("title", flat=True)) == [
        "Färre båt- och bostadsinbrott",
        "Trygghet och säkerhet i trafiken",
    ]


@pytest.mark.django_db
def test_it_loads_both_promises_with_every_activity():
    _load()

    assert _targets(_promise(2020)) == ACTIVITIES_2020
    assert _targets(_promise(2019)) == ACTIVITIES_2019
    assert list(_promise(2020).activities.values_list("order", flat=True)) == list(range(1, 8))
    assert list(_promise(2019).activities.values_list("order", flat=True)) == list(range(1, 10))
    # The titles above are in the document's order, so the order field must list them the same way.
    assert list(_promise(2020).activities.values_list("title", flat=True)) == list(ACTIVITIES_2020)
    assert list(_promise(2019).activities.values_list("title", flat=True)) == list(ACTIVITIES_2019)


@pytest.mark.django_db
def test_it_copies_each_bullet_verbatim_into_its_activity():
    _load()

    searches = Activity.objects.get(promise=_promise(2020), title="Narkotikasök med hund")
    assert searches.description.startswith("Polisen kommer genomföra två stycken narkotikasök på skolor med hund")
    linkoping = Activity.objects.get(promise=_promise(2020), title="Hembesök enligt Linköpingsmodellen")
    assert "främst i 15–18 årsåldern" in linkoping.description
    # A bullet with an information part and a number is split between two activities, one sentence each.
    areas = Activity.objects.get(promise=_promise(2019), title="Nya grannsamverkansområden")
    assert areas.description == (
        "Vi kommer under året etablera minst åtta stycken nya grannsamverkansområden i Strängnäs kommun."
    )


@pytest.mark.django_db
def test_it_gives_the_dog_searches_a_target_of_two():
    _load()

    searches = Activity.objects.get(promise=_promise(2020), title="Narkotikasök med hund")
    assert (searches.target_count, searches.unit) == (2, "narkotikasök")
    assert searches.kind.slug == "narkotikasok-med-hund"
    assert searches.target_text == "minst 2 narkotikasök"


@pytest.mark.django_db
def test_it_sends_the_safety_walks_to_both_named_sites():
    _load()

    walks = Activity.objects.get(promise=_promise(2019), title="Trygghetsvandringar")
    assert walks.target_count == 4
    assert {place.name for place in walks.target_places.all()} == SITES
    assert walks.lead_organisation.name == KOMMUN
    assert [organisation.name for organisation in walks.partner_organisations.all()] == [POLICE]


@pytest.mark.django_db
def test_it_sends_the_traffic_controls_to_every_district():
    _load()

    controls = Activity.objects.get(promise=_promise(2019), title="Trafikkontroller i kommunens samtliga kommundelar")
    assert controls.target_count is None
    assert {place.name for place in controls.target_places.all()} == DISTRICTS
    assert {place.kind for place in controls.target_places.all()} == {Place.Kind.DISTRICT}


@pytest.mark.django_db
def test_it_names_the_partners_of_each_activity():
    _load()

    partners = {
        (activity.promise.year, activity.title): {
            organisation.kind for organisation in activity.partner_organisations.all()
        }
        for activity in Activity.objects.all()
    }
    assert partners[(2020, "Hembesök enligt Linköpingsmodellen")] == {"municipality"}
    assert partners[(2020, "Föräldraträffar på skolor")] == {"police"}
    assert partners[(2020, "Narkotikasök med hund")] == set()
    assert partners[(2019, "Nya grannsamverkansområden")] == {"municipality"}
    assert partners[(2019, "Lokaler för utbildning i grann- och båtsamverkan")] == set()
    assert partners[(2019, "Möten i trafiksäkerhetsrådet")] == {"police"}


@pytest.mark.django_db
def test_it_assigns_every_activity_to_a_focus_area_of_its_own_promise():
    _load()

    for activity in Activity.objects.select_related("focus_area"):
        assert activity.focus_area.promise_id == activity.promise_id
    inbrott = FocusArea.objects.get(promise=_promise(2019), title="Färre båt- och bostadsinbrott")
    assert inbrott.activities.count() == 5
    assert _promise(2020).focus_areas.get().activities.count() == 7


@pytest.mark.django_db
def test_it_creates_every_activity_kind_with_an_ascii_slug():
    _load()

    kinds = dict(ActivityKind.objects.values_list("slug", "name"))
    assert kinds == seed.ACTIVITY_KINDS
    assert len(kinds) == 15
    assert all(slug.isascii() for slug in kinds)
    assert kinds["hembesok-enligt-linkopingsmodellen"] == "Hembesök enligt Linköpingsmodellen"


@pytest.mark.django_db
def test_it_keeps_a_kind_that_a_coordinator_renamed():
    ActivityKind.objects.create(slug="trygghetsvandring", name="Trygghetsvandring (nattetid)")

    _load()

    assert ActivityKind.objects.get(slug="trygghetsvandring").name == "Trygghetsvandring (nattetid)"
    assert Activity.objects.get(title="Trygghetsvandringar").kind.slug == "trygghetsvandring"


@pytest.mark.django_db
def test_it_creates_indicators_of_the_2020_effect_without_values():
    _load()

    indicators = {indicator.name: indicator for indicator in Indicator.objects.all()}
    assert set(indicators) == {"Narkotikabrott bland unga (21 år och yngre)", "Avloppsvattenmätning"}
    assert {indicator.promise.year for indicator in indicators.values()} == {2020}
    youth = indicators["Narkotikabrott bland unga (21 år och yngre)"]
    assert (youth.unit, youth.source, youth.better) == ("anmälda brott", "Polisens statistik", "lower")
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_it_records_no_outcomes():
    _load()

    assert not ActivityRecord.objects.exists()
    assert not TertialReport.objects.exists()
    assert not Assessment.objects.exists()
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_running_it_twice_changes_nothing():
    _load()
    before = _dump()

    _load()

    assert _dump() == before
    assert Promise.objects.count() == 2
    assert Activity.objects.count() == 16
    # Nothing changed, so nothing was saved: one history entry per promise, from its creation.
    assert Promise.history.count() == 2


@pytest.mark.django_db
def test_running_it_again_restores_what_the_document_says():
    _load()
    searches = Activity.objects.get(promise=_promise(2020), title="Narkotikasök med hund")
    searches.target_count = 5
    searches.save()
    searches.partner_organisations.set(Organisation.objects.all())
    Promise.objects.filter(year=2019).update(pledge="Ändrad text.")

    _load()

    searches.refresh_from_db()
    assert searches.target_count == 2
    assert not searches.partner_organisations.exists()
    assert _promise(2019).pledge.startswith("Syftet med årets medborgarlöfte")
    assert Activity.objects.count() == 16


@pytest.mark.django_db
def test_it_leaves_other_municipalities_of_the_police_area_alone():
    eskilstuna = Municipality.objects.create(name="Eskilstuna", slug="eskilstuna", code="0484")
    police = Organisation.objects.create(name=POLICE, kind=Organisation.Kind.POLICE)
    police.municipalities.add(eskilstuna)

    _load()

    police.refresh_from_db()
    assert {municipality.code for municipality in police.municipalities.all()} == {"0484", "0486"}
    assert Organisation.objects.filter(name=POLICE).count() == 1


@pytest.mark.django_db
def test_it_prints_a_summary_in_swedish():
    assert _load() == "Strängnäs: 2 löften, 16 aktiviteter inlästa.\n"


@pytest.mark.django_db
def test_loading_again_takes_away_a_signing_date_an_earlier_seed_invented():
    _load()
    Promise.objects.filter(year=2020).update(signed_on=datetime.date(2020, 1, 1))
    _load()
    assert _promise(2020).signed_on is None
