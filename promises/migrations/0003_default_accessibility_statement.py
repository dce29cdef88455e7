"""A first accessibility statement, so that the footer link never leads nowhere; administrators edit it later."""

from django.db import migrations

from promises.accessibility import DEFAULT_STATEMENT


def create_statement(apps, schema_editor):
    AccessibilityStatement = apps.get_model("promises", "AccessibilityStatement")
    if AccessibilityStatement.objects.exists():
        return
    AccessibilityStatement.objects.create(**DEFAULT_STATEMENT)


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0002_accessibility_statement"),
    ]

    operations = [
        # Going back leaves the statement alone: it may have been edited since, and 0002 removes the table anyway.
        migrations.RunPython(create_statement, migrations.RunPython.noop),
    ]
