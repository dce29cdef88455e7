"""The accessibility statement (tillgänglighetsredogörelse) that lag (2018:1937) requires, linked from every page."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from promises.models import AccessibilityStatement

pytestmark = pytest.mark.django_db

migration = importlib.import_module("promises.migrations.0003_default_accessibility_statement")


@pytest.fixture(autouse=True)
def statement():
    # Tests that commit (browser, drills) empty every table when they end, this migration's row included.
    migration.create_statement(apps, None)


def test_the_migration_made_one_statement_with_the_contents_digg_asks_for():
    statement = AccessibilityStatement.objects.get()
    assert statement.public_body == "Kommunen och Polisen i samverkan"
    assert statement.service == "Medborgarlöften"
    assert statement.compliance == AccessibilityStatement.Compliance.PARTIAL
    assert "PDF" in statement.shortcomings
    assert statement.assessed_on.isoformat() == "2026-11-27"
    assert statement.method == AccessibilityStatement.Method.SELF
    assert "axe-core" in statement.method_description and "tangentbord" in statement.method_description
    assert statement.feedback and statement.feedback_email == ""
    assert statement.enforcement_url.startswith("https://www.digg.se/")


def test_the_migration_leaves_an_existing_statement_alone():
    AccessibilityStatement.objects.update(public_body="Gnesta kommun")
    migration.create_statement(apps, None)
    assert AccessibilityStatement.objects.get().public_body == "Gnesta kommun"


def test_the_migration_makes_a_statement_when_there_is_none():
    AccessibilityStatement.objects.all().delete()
    migration.create_statement(apps, None)
    assert AccessibilityStatement.objects.count() == 1


def test_the_page_shows_the_statement(client):
    statement = AccessibilityStatement.objects.get()
    statement.feedback_email = "tillganglighet@example.se"
    statement.save()
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Kommunen och Polisen i samverkan" in content
    assert "Medborgarlöften" in content
    assert "PDF-filerna med tertialuppföljningar" in content
    assert "axe-core" in content
    assert "27 november 2026" in content  # the assessment, by Django's Swedish date format
    assert 'href="mailto:tillganglighet@example.se"' in content
    assert f'href="{statement.enforcement_url}"' in content
    assert 'class="compliance compliance--partial"' in content


def test_the_page_follows_an_edited_statement(client):
    AccessibilityStatement.objects.update(compliance=AccessibilityStatement.Compliance.FULL, shortcomings="")
    content = client.get(reverse("accessibility")).content.decode()
    assert 'class="compliance compliance--full"' in content
    assert "PDF-filerna" not in content


@pytest.mark.parametrize(
    ("url", "statement"),
    [
        ("/", "/tillganglighet/"),
        ("/logga-in/", "/tillganglighet/"),
        ("/tillganglighet/", "/tillganglighet/"),
        # A municipality's pages link to the statement as it applies there: its contact, and what it adds (issue 16).
        ("/strangnas/", "/strangnas/tillganglighet/"),
        ("/strangnas/2020/", "/strangnas/tillganglighet/"),
    ],
)
def test_every_page_links_to_the_statement_in_its_footer(client, world, url, statement):
    content = client.get(url).content.decode()
    footer = content[content.index("<footer") : content.index("</footer>")]
    assert f'href="{statement}"' in footer


def test_the_page_shows_the_default_statement_if_the_row_is_gone(client):
    AccessibilityStatement.objects.all().delete()
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "Kommunen och Polisen i samverkan" in response.content.decode()
