"""Every address with parameters, fuzzed as every persona and anonymous: never a 5xx.

The addresses are read from the URL resolver, so a new one is fuzzed without touching this file. Each
parameter gets values of its converter's kind: ids of objects inside and outside the persona's scope, 0,
huge numbers (2**63 and 10**30 are digits the int converter accepts, and beyond what the database holds),
unicode and overlong slugs, tertial codes inside and outside the period or not tertials at all, export
formats that exist and that do not. GET must never change a row; POST (with an empty form) must keep every
rule. A second sweep gives every address, as every persona, valid values with the numbers made huge, so
that the huge ids reach the views and not only the URL patterns. A third fuzzes the query strings of the
addresses without parameters: search, pages, filters, formats.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import build_scene, isolated
from tests.fuzz.strategies import (
    FORMATS,
    PERSONAS,
    any_text,
    date_strings,
    formats,
    free_text,
    fuzz_settings,
    ids,
    number_strings,
    personas,
    slugs,
    tertial_codes,
    uuid_strings,
)

pytestmark = pytest.mark.django_db

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?(?P<body>[^()]*)\)")


@dataclass(frozen=True)
class Address:
    """One URL pattern as text with its parameters: [literal, (kind, name), literal, …]."""

    parts: tuple
    name: str

    @property
    def parameters(self):
        return [part for part in self.parts if isinstance(part, tuple)]

    @property
    def route(self):
        return "".join(part if isinstance(part, str) else f"<{part[0]}:{part[1]}>" for part in self.parts)

    def build(self, values):
        """The path with each parameter's value percent-encoded, as a browser would send it."""
        values = iter(values)
        return "/" + "".join(
            part if isinstance(part, str) else quote(str(next(values)), safe="") for part in self.parts
        )


def _parts_of_route(route):
    parts, position = [], 0
    for match in _PARAMETER.finditer(route):
        parts += [route[position : match.start()], (match["converter"] or "str", match["name"])]
        position = match.end()
    return [*parts, route[position:]]


def _parts_of_regex(regex):
    regex = regex.removeprefix("^").removesuffix("$")
    parts, position = [], 0
    for match in _GROUP.finditer(regex):
        body = match["body"]
        kind = f"choice:{body}" if "|" in body and "[" not in body else "regex"
        parts += [regex[position : match.start()], (kind, match["name"] or "group")]
        position = match.end()
    return [*parts, regex[position:]]


def _walk(patterns, prefix=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, (*prefix, pattern.pattern))
        else:
            yield (*prefix, pattern.pattern), pattern.name


def addresses():
    """Every URL pattern of the portal, as :class:`Address` (with or without parameters)."""
    found = []
    for patterns, name in _walk(get_resolver().url_patterns):
        parts = []
        for pattern in patterns:
            text = str(pattern)
            parts += _parts_of_regex(text) if pattern.__class__.__name__ == "RegexPattern" else _parts_of_route(text)
        joined = []
        for part in parts:
            if isinstance(part, str) and joined and isinstance(joined[-1], str):
                joined[-1] += part
            elif part != "":
                joined.append(part)
        found.append(Address(tuple(joined), name or ""))
    return found


ADDRESSES = addresses()
WITH_PARAMETERS = [address for address in ADDRESSES if address.parameters]
WITHOUT_PARAMETERS = [address for address in ADDRESSES if not address.parameters]


def test_the_addresses_are_all_found():
    routes = {address.route for address in WITH_PARAMETERS}
    assert "uppfoljning/<int:promise_id>/<tertial:tertial>/uppfoljning.<str:fmt>" in routes
    assert "<slug:municipality>/<int:year>/<slug:slug>/resultat/<tertial:tertial>.pdf" in routes
    assert "admin/activities/activityrecord/<path:object_id>/change/" in routes
    assert "api/v1/events/<regex:uid>/" in routes
    # The account pages (issue 16): a reset link, and an identity provider's log-in and callback.
    assert "konto/password/reset/key/<regex:uidb36>-<regex:key>/" in routes
    assert "konto/oidc/<regex:provider_id>/login/callback/" in routes
    assert len(WITH_PARAMETERS) > 100


@pytest.fixture
def scene(world):
    return build_scene(world)


def object_ids(scene):
    """(ids in the world's Strängnäs, ids elsewhere) of every kind of object an address names."""
    world = scene.world
    inside = [
        world.promise.pk,
        world.draft_promise.pk,
        world.count_activity.pk,
        world.once_activity.pk,
        scene.record.pk,
        scene.locked_record.pk,
        scene.draft_report.pk,
        scene.indicator.pk,
        scene.past_event.pk,
        world.district.pk,
        world.police_recorder.pk,
    ]
    outside = [
        world.foreign_promise.pk,
        world.foreign_activity.pk,
        scene.foreign_record.pk,
        scene.foreign_draft.pk,
        scene.foreign_indicator.pk,
        world.foreign_place.pk,
        world.outsider.pk,
    ]
    return inside, outside


def value_strategy(kind, name, scene):
    inside, outside = object_ids(scene)
    event_uids = [str(event.uid) for event in (scene.past_event, scene.upcoming_event, scene.foreign_event)]
    if kind.startswith("choice:"):
        return st.one_of(st.sampled_from(kind.removeprefix("choice:").split("|")), slugs)
    if kind == "int":
        years = st.sampled_from((2020, 2021, 2000, 2100, 0, 9999))
        return st.one_of(ids(inside, outside), years.map(str)) if name == "year" else ids(inside, outside)
    if kind == "slug":
        return slugs
    if kind == "tertial":
        return tertial_codes
    if name == "fmt":
        return formats
    if name == "uid":
        return st.one_of(st.sampled_from(event_uids), uuid_strings, any_text)
    if name in ("slug", "app_label"):
        return slugs
    # <path:object_id>, the admin's <id>, simple_history's version id, the admin's catch-all: anything.
    anything = st.one_of(ids(inside, outside), any_text, st.just("1/2"), st.just("../.."))
    if name in ("object_id", "group"):
        return anything
    return anything


@fuzz_settings(160)
@given(address=st.sampled_from(WITH_PARAMETERS), persona=personas, post=st.booleans(), data=st.data())
def test_every_address_with_parameters(scene, address, persona, post, data):
    values = [data.draw(value_strategy(kind, name, scene), label=name) for kind, name in address.parameters]
    url = address.build(values)
    with isolated(scene, persona) as visit:
        if post:
            visit.post(url, {})
        else:
            visit.get(url)
            visit.assert_nothing_changed(f"GET {url} changed rows")


# --- The sweep: valid values with huge numbers, every address, every persona ----------------------------------


def valid_values(address, scene):
    """Values that name objects the scene has, for every parameter of ``address``."""
    world = scene.world
    model = None
    match = re.match(r"admin/(\w+)/(\w+)/", address.route)
    if match:
        try:
            model = apps.get_model(match[1], match[2])
        except LookupError:
            model = None
    values = []
    for kind, name in address.parameters:
        if name in ("promise_id",):
            values.append(world.promise.pk)
        elif name == "activity_id":
            values.append(world.count_activity.pk)
        elif name == "record_id":
            values.append(scene.record.pk)
        elif name == "indicator_id":
            values.append(scene.indicator.pk)
        elif name == "year":
            values.append(2020)
        elif name == "tertial":
            values.append("2020T1")
        elif name == "municipality":
            values.append(world.strangnas.slug)
        elif name == "slug":
            values.append(world.promise.slug if kind == "slug" else world.strangnas.slug)
        elif name == "fmt":
            values.append("csv")
        elif name == "uid":
            values.append(str(scene.upcoming_event.uid))
        elif name == "content_type_id":
            values.append(ContentType.objects.get_for_model(type(world.promise)).pk)
        elif name == "app_label":
            values.append("activities")
        elif model is not None and model.objects.exists():
            values.append(model.objects.order_by("pk").values_list("pk", flat=True).first())
        else:
            values.append(world.promise.pk)
    return values


NASTY_INTEGERS = (2**63, 10**30, 2**31, 0)


def nasty(kind, name, value, turn):
    """``value`` made huge, missing or malformed, the same way on every run (``turn`` picks the variant)."""
    if kind == "int" or name in ("object_id", "id", "pk", "group", "content_type_id"):
        return NASTY_INTEGERS[turn % len(NASTY_INTEGERS)]
    if kind == "tertial":
        return ("9999T3", "2020T4", "0000T1", "2021T1")[turn % 4]
    if name == "fmt":
        return FORMATS[turn % len(FORMATS)]
    if kind == "slug":
        return ("strängnäs", "a" * 300, "-", "eskilstuna")[turn % 4]
    return ("abc", "\x00", "%", "..")[turn % 4]


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona or "anonymous")
def test_every_address_with_huge_and_malformed_values(scene, persona):
    with isolated(scene, persona) as visit:
        for turn, address in enumerate(WITH_PARAMETERS):
            values = valid_values(address, scene)
            for index, (kind, name) in enumerate(address.parameters):
                changed = list(values)
                changed[index] = nasty(kind, name, values[index], turn + index)
                visit.request("get", address.build(changed), checked=False)
        visit.assert_nothing_changed("GET requests changed rows")


# --- Query strings --------------------------------------------------------------------------------------------

QUERY_KEYS = (
    "q",
    "sida",
    "page",
    "tertial",
    "event",
    "format",
    "year",
    "municipality",
    "next",
    "o",
    "p",
    "e",
    "all",
    "voided",
    "cancelled",
    "occurred_on__year",
    "occurred_on__month",
    "occurred_on__day",
    "starts_at__year",
    "activity__promise__year",
    "year",
    "municipality",
    "lead_organisation",
    "promise__municipalities__id__exact",
    "status__exact",
    "_changelist_filters",
    "_popup",
    "_to_field",
)
query_values = st.one_of(number_strings, free_text, tertial_codes, date_strings(), st.sampled_from(("csv", "json")))


@fuzz_settings(80)
@given(
    address=st.sampled_from(WITHOUT_PARAMETERS),
    persona=personas,
    query=st.dictionaries(st.sampled_from(QUERY_KEYS), query_values, min_size=1, max_size=3),
)
def test_every_address_without_parameters_with_any_query_string(scene, address, persona, query):
    with isolated(scene, persona) as visit:
        visit.get(address.build([]), query)
        visit.assert_nothing_changed(f"GET {address.route} changed rows")


# --- Bugs this fuzzing found, fixed: their regression tests ---------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "administrator"])
@pytest.mark.parametrize(
    "url",
    [
        "/admin/promises/promise/abc/change/",
        "/admin/promises/promise/abc/history/1/",
    ],
)
def test_b9_an_admin_address_with_a_non_numeric_id_is_not_a_500(scene, persona, url):
    with isolated(scene, persona) as visit:
        assert visit.get(url).status_code in (302, 404)
