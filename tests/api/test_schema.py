"""The OpenAPI document at /api/v1/schema/, and schemathesis checking the API against it."""

import datetime
import json
from unittest.mock import patch

import hypothesis
import pytest
import schemathesis
import yaml
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.throttling import AnonRateThrottle

from config.wsgi import application
from tests.api import STOCKHOLM, make_event, make_published_report
from tests.conftest import make_record

LIST_PATHS = ["municipalities", "promises", "activities", "reports", "events"]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # DRF counts requests in the default cache; without this one test's requests would throttle the next.
    cache.clear()
    yield
    cache.clear()


def _document(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_it_serves_a_valid_openapi_3_document(client, db):
    document = _document(client)

    assert document["openapi"].startswith("3.")
    validate_schema(document)
    assert set(document["paths"]) == {
        *(f"/api/v1/{name}/" for name in LIST_PATHS),
        "/api/v1/municipalities/{slug}/",
        "/api/v1/promises/{id}/",
        "/api/v1/activities/{id}/",
        "/api/v1/reports/{id}/",
        "/api/v1/events/{uid}/",
    }
    assert all(set(operations) == {"get"} for operations in document["paths"].values())


def test_it_serves_yaml_by_default(client, db):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(response.content)["paths"] == _document(client)["paths"]


@pytest.mark.parametrize("name", ["promises", "activities", "reports", "events"])
def test_it_documents_the_filters_the_page_and_the_format(client, db, name):
    operation = _document(client)["paths"][f"/api/v1/{name}/"]["get"]

    parameters = {parameter["name"]: parameter["schema"] for parameter in operation["parameters"]}
    assert set(parameters) == {"municipality", "year", "page", "format"}
    assert parameters["format"]["enum"] == ["csv", "json"]
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert {"400", "404", "429"} <= set(operation["responses"])


def test_it_documents_no_comment_and_no_staff(client, db):
    components = _document(client)["components"]["schemas"]

    assert "comment" not in components["ReportActivity"]["properties"]
    assert "approved_by" not in components["Report"]["properties"]
    assert not {"created_by", "recorded_by", "sequence", "record"} & set(components["Event"]["properties"])


def _generated_document():
    """The document the schema endpoint serves, built without a request so that it exists at collection time."""
    return SchemaGenerator().get_schema(request=None, public=True)


def test_it_serves_the_document_that_schemathesis_checks_against(client, db):
    assert _document(client) == json.loads(json.dumps(_generated_document(), cls=DjangoJSONEncoder))


# Schemathesis turns every operation into a test. It needs the document at collection time, when the database
# is out of bounds (and its lazy loader, from_fixture, fails under pytest 9), so it takes the generated one (the
# test above shows it is the one served) and calls the WSGI application in-process, on the test's own database
# connection, inside the test's transaction.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(_generated_document(), cls=DjangoJSONEncoder)))
schema.app = application


@pytest.fixture
def published_world(world, settings):
    """Data worth finding: a record, a published report with a council comment, and an event."""
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 3), quantity=2)
    make_published_report(world.promise, comment="Intern kommentar")
    make_event(
        world.places_activity,
        by=world.coordinator,
        title="Trygghetsvandring",
        starts_at=datetime.datetime(2020, 5, 12, 18, tzinfo=STOCKHOLM),
        place=world.district,
    )
    # The werkzeug client schemathesis uses asks for "localhost".
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # At the end of each request the WSGI handler closes a connection that is inside a transaction, as it must in
    # production; here that transaction is the test's, so keep it open, as Django's test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # Hundreds of requests in a few seconds: the throttle must not be what the test finds.
    try:
        with patch.object(AnonRateThrottle, "get_rate", return_value="1000000/minute"):
            yield world
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
# No example database: a failure is reproduced from the curl command schemathesis prints, not from a local file.
@hypothesis.settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_it_answers_every_operation_within_its_schema(case, published_world):
    # No 5xx, and every answer (status, content type, headers, body) as the document describes it.
    case.call_and_validate()
