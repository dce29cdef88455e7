"""Every admin list, with every filter, date-hierarchy and list parameter given bad values: never a 500.

The lists are read from the admin site's registry and their parameters from the links on each list (the filters
in the sidebar, the date hierarchy) and from the ModelAdmin itself, so a new admin or filter is fuzzed without
touching this file. A value the list cannot use is refused the way Django refuses an unknown lookup: the list
reloads with ``?e=1`` ("Fel i filtret"), or the filter matches nothing.
"""

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib import admin
from django.urls import reverse

from config.admin_site import GuardedChangeListMixin
from tests.fuzz.harness import build_scene, isolated

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
# Kinds of bad value, one of each: beyond 64 bits, not a number, digits str.isdigit() takes and the database does
# not (Arabic-Indic), negative.
BAD_VALUES = [HUGE, "abc", "١٢", "-1"]
LIST_PARAMETERS = ["o", "p", "q", "e", "all", "_to_field", "_popup", "_changelist_filters"]
_LINK = re.compile(r'href="(\?[^"]*)"')


def _changelists():
    return [
        pytest.param(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
            model_admin,
            id=f"{model._meta.app_label}.{model._meta.model_name}",
        )
        for model, model_admin in admin.site._registry.items()
    ]


def _parameters(visit, url, model_admin):
    """The names the list's own links use, the date hierarchy's three and the list's own."""
    names = set(LIST_PARAMETERS)
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    page = visit.get(url, checked=False).content.decode()
    for link in _LINK.findall(page):
        names |= {name for name, _value in parse_qsl(urlsplit(html.unescape(link)).query, keep_blank_values=True)}
    return sorted(names)


@pytest.fixture
def scene(world):
    return build_scene(world)


@pytest.mark.parametrize(("url", "model_admin"), _changelists())
def test_no_admin_list_parameter_is_a_500_for_an_administrator(scene, url, model_admin):
    with isolated(scene, "administrator") as visit:
        for name in _parameters(visit, url, model_admin):
            for value in BAD_VALUES:
                response = visit.get(url, {name: value}, checked=False)
                assert response.status_code < 500, (name, value, response.status_code)
        if model_admin.date_hierarchy:
            # A real year with a month or day beyond any calendar, and the other way round.
            field = model_admin.date_hierarchy
            for query in (
                {f"{field}__year": "2020", f"{field}__month": HUGE},
                {f"{field}__year": "2020", f"{field}__month": "2", f"{field}__day": HUGE},
                {f"{field}__year": "2020", f"{field}__month": "2", f"{field}__day": "31"},
                {f"{field}__year": "0", f"{field}__month": "1"},
                {f"{field}__year": "10000"},
            ):
                response = visit.get(url, query, checked=False)
                assert response.status_code < 500, (query, response.status_code)
        visit.assert_nothing_changed(f"GET {url} changed rows")


@pytest.mark.parametrize(("url", "model_admin"), _changelists())
def test_no_admin_list_parameter_is_a_500_for_a_coordinator(client, world, url, model_admin):
    world.coordinator.is_staff = True  # as coordinators had it before the workspace covered their work
    world.coordinator.save()
    client.force_login(world.coordinator)
    query = dict.fromkeys(LIST_PARAMETERS, HUGE)
    if model_admin.date_hierarchy:
        query[f"{model_admin.date_hierarchy}__year"] = HUGE
    assert client.get(url, query).status_code == 403


def test_an_oversized_year_reloads_the_list_with_the_error_flag(client, world):
    client.force_login(world.administrator)
    response = client.get("/admin/activities/activityrecord/", {"occurred_on__year": HUGE})
    assert (response.status_code, response["Location"]) == (302, "/admin/activities/activityrecord/?e=1")
    assert client.get(response["Location"]).status_code == 200


def test_every_admin_is_registered_with_the_guarded_list():
    for model_admin in admin.site._registry.values():
        assert isinstance(model_admin, GuardedChangeListMixin), type(model_admin)
