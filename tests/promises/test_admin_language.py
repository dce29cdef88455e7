"""The admin speaks Swedish on Swedish pages, including the strings Django 6.1's own Swedish catalog lacks."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("url", "english", "swedish"),
    [
        ("admin:activities_activityrecord_changelist", "Filter by", "Filtrera efter datum"),
        ("admin:activities_activityrecord_changelist", "- Select an option -", "– Välj –"),
        ("admin:index", "Access attempts", "Inloggningsförsök"),
        ("admin:index", "Task Results", "Resultat av bakgrundsjobb"),
        # The queue's own name is not marked for translation by django-tasks-db (config.apps.PortalTasksConfig).
        ("admin:index", "Tasks Database Backend", "Bakgrundsjobb"),
    ],
)
def test_the_swedish_admin_has_no_english_left_where_django_had_none(client, world, url, english, swedish):
    client.force_login(world.administrator)
    page = client.get(reverse(url), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert english not in page
    assert swedish in page


def test_the_change_form_empty_choice_is_swedish(client, world):
    client.force_login(world.administrator)
    page = client.get(reverse("admin:activities_activity_change", args=[world.count_activity.pk])).content.decode()
    assert "Select an option" not in page and "– Välj –" in page
    assert "js/admin_picker.js" in page, "the picker's ARIA fix is loaded"
