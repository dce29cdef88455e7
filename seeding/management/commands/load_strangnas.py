"""Store Strängnäs kommun's citizen promises for 2019 and 2020 from seeding.strangnas."""

from django.core.management.base import BaseCommand
from django.db import transaction

from activities.models import Activity, ActivityKind
from followup.models import Council, Indicator
from promises.models import FocusArea, Municipality, Organisation, Place, Promise
from seeding import strangnas as seed


class Command(BaseCommand):
    help = (
        "Load Strängnäs kommun (0486), its districts and sites, the police area and the municipality, the "
        "central crime-prevention council and the citizen promises for 2019 and 2020 with every activity and "
        "its target. Safe to run again: everything is matched on its natural key and brought up to date. "
        "Records no outcomes."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            promises = load_strangnas()
        activities = Activity.objects.filter(promise__in=promises).count()
        self.stdout.write(self.style.SUCCESS(f"Strängnäs: {len(promises)} löften, {activities} aktiviteter inlästa."))


def load_strangnas():
    """Store everything in the seed module and return the promises. Call it inside a transaction."""
    municipality = _upsert(
        Municipality,
        lookup={"code": seed.MUNICIPALITY["code"]},
        values={"name": seed.MUNICIPALITY["name"], "slug": seed.MUNICIPALITY["slug"]},
    )
    places = _load_places(municipality=municipality)
    organisations = _load_organisations(municipality=municipality)
    council = _upsert(Council, lookup={"name": seed.COUNCIL}, values={})
    # A council or an organisation may serve other municipalities too (a police area often covers several),
    # so this load adds Strängnäs to them and leaves any other municipality an administrator linked alone. Only a
    # missing link is added: the council's history would record even an add that changes nothing.
    if not council.municipalities.filter(pk=municipality.pk).exists():
        council.municipalities.add(municipality)
    kinds = {
        slug: ActivityKind.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in seed.ACTIVITY_KINDS.items()
    }
    return [
        _load_promise(data=data, municipality=municipality, places=places, organisations=organisations, kinds=kinds)
        for data in seed.PROMISES
    ]


def _load_places(*, municipality):
    places = {}
    for name in seed.DISTRICTS:
        places[name] = _upsert(
            Place,
            lookup={"municipality": municipality, "name": name},
            values={"kind": Place.Kind.DISTRICT, "parent": None},
        )
    for site in seed.SITES:
        places[site["name"]] = _upsert(
            Place,
            lookup={"municipality": municipality, "name": site["name"]},
            values={"kind": Place.Kind.SITE, "parent": places[site["district"]]},
        )
    return places


def _load_organisations(*, municipality):
    organisations = {}
    for data in seed.ORGANISATIONS:
        organisation = _upsert(Organisation, lookup={"name": data["name"]}, values={"kind": data["kind"]})
        # Only when missing: even an add that changes nothing would leave an entry in the organisation's history.
        if not organisation.municipalities.filter(pk=municipality.pk).exists():
            organisation.municipalities.add(municipality)
        organisations[data["name"]] = organisation
    return organisations


def _load_promise(*, data, municipality, places, organisations, kinds):
    fields = ["title", "period_start", "period_end", "situation", "pledge", "expected_effects", "follow_up"]
    fields += ["communication", "signed_on", "status"]
    promise = _upsert(
        Promise,
        lookup={"year": data["year"], "slug": data["slug"]},
        values={field: data[field] for field in fields},
    )
    promise.municipalities.set([municipality])
    promise.signatories.set([organisations[name] for name in data["signatories"]])

    focus_areas = {
        area["title"]: _upsert(
            FocusArea,
            lookup={"promise": promise, "title": area["title"]},
            values={"description": area["description"], "order": order},
        )
        for order, area in enumerate(data["focus_areas"], start=1)
    }
    for order, item in enumerate(data["activities"], start=1):
        activity = _upsert(
            Activity,
            lookup={"promise": promise, "title": item["title"]},
            values={
                "focus_area": focus_areas[item["focus_area"]],
                "kind": kinds[item["kind"]],
                "description": item["description"],
                "lead_organisation": organisations[item["lead"]],
                "target_count": item["target_count"],
                "unit": item["unit"],
                "recurrence": item["recurrence"],
                "order": order,
            },
        )
        activity.partner_organisations.set([organisations[name] for name in item["partners"]])
        activity.target_places.set([places[name] for name in item["target_places"]])

    # Indicators only: their values are measured during the year and entered in the follow-up.
    for indicator in data["indicators"]:
        _upsert(
            Indicator,
            lookup={"promise": promise, "name": indicator["name"]},
            values={key: indicator[key] for key in ("unit", "source", "better")},
        )
    return promise


def _upsert(model, *, lookup, values):
    """Find the object by its natural key and bring it up to date; create it if it is missing.

    Unlike update_or_create this saves only when a value differs, so that a second run writes nothing, and
    in particular adds no rows to the change history that promises and activities keep.
    """
    try:
        obj = model.objects.get(**lookup)
    except model.DoesNotExist:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj
