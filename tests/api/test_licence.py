"""The terms of the open data: CC0 1.0 unless configured, stated by the API, its OpenAPI document and the pages."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("path", ["/api/v1/promises/", "/api/v1/promises/?format=csv", "/api/v1/schema/"])
def test_every_api_answer_links_its_licence(client, world, path):
    response = client.get(path)
    assert response["Link"] == f'<{CC0}>; rel="license"'
    assert "Link" in response["Access-Control-Expose-Headers"]


def test_a_detail_links_its_licence_too(client, world):
    response = client.get(f"/api/v1/promises/{world.promise.pk}/")
    assert response.status_code == 200 and response["Link"] == f'<{CC0}>; rel="license"'


def test_a_list_names_its_licence(client, world):
    assert client.get("/api/v1/promises/").json()["license"] == {"name": "CC0 1.0 Universal", "url": CC0}


def test_the_openapi_document_carries_the_licence(client, world):
    document = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert document["info"]["license"] == {"name": "CC0 1.0 Universal", "url": CC0}


def test_the_public_pages_state_the_licence(client, world):
    page = client.get("/strangnas/2020/").content.decode()
    assert "får användas fritt av alla, enligt CC0 1.0 Universal" in page
    assert f'href="{CC0}"' in page and 'href="/api/v1/"' in page


def test_the_licence_can_be_configured(client, world, settings):
    settings.OPEN_DATA_LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    response = client.get("/api/v1/promises/")
    assert response.json()["license"]["name"] == "CC BY 4.0"
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert "enligt CC BY 4.0" in client.get("/strangnas/2020/").content.decode()
