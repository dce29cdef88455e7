"""Issue 18: a noun counted on a page agrees with its number, "1 plats", "2 platser", in Swedish and English."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("places", "swedish", "english"),
    [(1, "av 1 plats täckt", "of 1 place covered"), (2, "av 2 platser täckta", "of 2 places covered")],
)
def test_the_places_of_a_target_are_counted_in_the_right_form(client, world, settings, places, swedish, english):
    world.places_activity.target_places.set([world.district, world.second_district][:places])
    client.force_login(world.coordinator)
    url = reverse("followup:dashboard", args=[world.promise.pk])
    assert swedish in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert english in client.get(url).content.decode()
