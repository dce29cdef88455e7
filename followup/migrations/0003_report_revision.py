from django.db import migrations


class Migration(migrations.Migration):
    """The optimistic lock is a report's revision; "version" means a cache token elsewhere in the portal."""

    dependencies = [("followup", "0002_indicator_uniqueness")]

    operations = [
        migrations.RenameField(model_name="tertialreport", old_name="version", new_name="revision"),
        migrations.RenameField(model_name="historicaltertialreport", old_name="version", new_name="revision"),
    ]
