"""The words citizens read (followup.wording): periods as months, what was done in numbers and places."""

import datetime
from dataclasses import replace

import pytest
from django.utils import translation

from followup.snapshot import ActivitySnapshot
from followup.wording import achieved_text, months_label, target_text

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "swedish", "english"),
    [
        (D(2020, 1, 1), D(2020, 4, 30), "januari–april 2020", "January–April 2020"),
        (D(2020, 9, 1), D(2020, 12, 31), "september–december 2020", "September–December 2020"),
        (D(2020, 5, 1), D(2020, 5, 31), "maj 2020", "May 2020"),
        (D(2020, 9, 1), D(2021, 4, 30), "september 2020–april 2021", "September 2020–April 2021"),
        # A promise signed mid-tertial: its first period is given in days.
        (D(2020, 3, 15), D(2020, 4, 30), "15 mars–30 april 2020", "15 March–30 April 2020"),
        (D(2019, 12, 31), D(2019, 12, 31), "31 december 2019", "31 December 2019"),
    ],
)
def test_a_period_is_written_as_months(start, end, swedish, english):
    with translation.override("sv"):
        assert months_label(start, end) == swedish
    with translation.override("en"):
        assert months_label(start, end) == english


TRAFFIC = ActivitySnapshot(
    id=1,
    title="Trafikkontroller i kommunens samtliga kommundelar",
    unit="trafikkontroller",
    achieved=303,
    target_places=("Strängnäs", "Mariefred", "Åkers styckebruk", "Stallarholmen"),
    target_place_kind="district",
    covered_places=("Mariefred", "Stallarholmen", "Strängnäs", "Åkers styckebruk"),
)


def test_a_place_target_says_the_quantity_and_where():
    with translation.override("sv"):
        assert achieved_text(TRAFFIC) == "303 trafikkontroller, i alla fyra kommundelar"
        partly = ActivitySnapshot(**{**TRAFFIC.__dict__, "covered_places": ("Mariefred", "Strängnäs")})
        assert achieved_text(partly) == "303 trafikkontroller, i 2 av 4 kommundelar"
        assert partly.missing_places == ["Åkers styckebruk", "Stallarholmen"]
    with translation.override("en"):
        assert achieved_text(TRAFFIC) == "303 trafikkontroller, in all four districts"


def test_two_sites_and_one_place_are_worded_as_people_say_them():
    walks = ActivitySnapshot(
        id=2,
        title="Trygghetsvandringar",
        unit="trygghetsvandringar",
        target_count=4,
        achieved=4,
        target_places=("Strängnäs resecentrum", "Läggesta station"),
        target_place_kind="site",
        covered_places=("Läggesta station", "Strängnäs resecentrum"),
    )
    one = ActivitySnapshot(id=3, title="Vandring", unit="vandringar", achieved=1, target_places=("Mariefred",),
                           covered_places=("Mariefred",))  # fmt: skip
    with translation.override("sv"):
        assert achieved_text(walks) == "4 trygghetsvandringar, på båda platserna"
        assert target_text(walks) == (
            "minst 4 trygghetsvandringar; minst en gång på var och en av platserna Strängnäs resecentrum, "
            "Läggesta station"
        )
        assert achieved_text(one) == "1 vandringar, i Mariefred"


def test_a_count_target_says_the_quantity_and_an_activity_without_a_unit_how_many_were_done():
    areas = ActivitySnapshot(id=1, title="Nya grannsamverkansområden", unit="nya grannsamverkansområden",
                             target_count=8, achieved=20)  # fmt: skip
    plain = ActivitySnapshot(id=2, title="Kontakter", achieved=3)
    with translation.override("sv"):
        assert achieved_text(areas) == "20 nya grannsamverkansområden"
        assert target_text(areas) == "minst 8 nya grannsamverkansområden"
        assert achieved_text(plain) == "3 genomförda"


@pytest.mark.django_db
def test_each_kind_of_target_reads_the_same_from_the_activity_and_from_a_snapshot(world):
    """The one wording of a target (followup.wording.target_text) for the pages, the PDF and the XLSX: a
    continuous activity's target is "Löpande" everywhere, never blank on one page and "–" on another."""
    from followup.selectors import report_snapshot
    from followup.tertials import Tertial

    snapshot = {item.title: item for item in report_snapshot(world.promise, Tertial(2020, 1)).activities}
    with translation.override("sv"):
        for activity, words in [
            (world.count_activity, "minst 2 insatser"),
            (world.places_activity, "minst en gång på var och en av platserna Mariefred, Stallarholmen"),
            (world.continuous_activity, "Löpande"),
            (world.once_activity, "En gång"),
        ]:
            assert target_text(activity) == words
            assert target_text(snapshot[activity.title]) == words
        # A snapshot frozen before the recurrence was kept reads as the model's default.
        assert target_text(replace(snapshot[world.continuous_activity.title], recurrence="")) == "Löpande"


@pytest.mark.django_db
def test_the_public_promise_page_and_the_staff_report_word_a_continuous_target_alike(client, world):
    from django.urls import reverse

    assert "Löpande" in client.get(reverse("promise", args=["strangnas", 2020])).content.decode()
    client.force_login(world.coordinator)
    assert "Löpande" in client.get(reverse("followup:report", args=[world.promise.pk, "2020T1"])).content.decode()


@pytest.mark.parametrize(
    ("kind", "swedish", "english"),
    [
        ("district", "3 genomförda, i 0 av 1 kommundel", "3 done, in 0 of 1 district"),
        ("site", "3 genomförda, på 0 av 1 plats", "3 done, at 0 of 1 place"),
    ],
)
def test_one_place_not_yet_reached_is_counted_in_the_singular(kind, swedish, english):
    # Issue 18, klarspråk: "i 0 av 1 kommundel", never "i 0 av 1 kommundelar".
    item = ActivitySnapshot(id=4, title="Vandring", achieved=3, target_places=("Mariefred",), target_place_kind=kind)
    with translation.override("sv"):
        assert achieved_text(item) == swedish
    with translation.override("en"):
        assert achieved_text(item) == english
