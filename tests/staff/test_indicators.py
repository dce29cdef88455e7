"""Indicators and their values: who sees and adds them, and every input the forms refuse."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db

# A personal identity number that passes the Luhn check (the Tax Agency's own example).
IDENTITY_NUMBER = "19811218-9876"


@pytest.fixture
def indicator(world):
    return Indicator.objects.create(
        promise=world.promise, name="Bostadsinbrott", unit="anmälningar", source="Polisens statistik"
    )


def list_url(promise):
    return reverse("followup:indicators", args=[promise.pk])


def detail_url(indicator):
    return reverse("followup:indicator", args=[indicator.pk])


def indicator_form(**changes):
    data = {"name": "Narkotikabrott under 21 år", "unit": "anmälningar", "source": "Polisen", "better": "lower"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def value_form(**changes):
    data = {"tertial": "2020T1", "measured_on": "", "value": "12", "note": "Från lägesbilden."}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# The list of indicators.


def test_it_sends_anonymous_visitors_to_log_in(client, world):
    response = client.get(list_url(world.promise))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_coordinator_sees_each_indicator_with_its_latest_value(client, world, indicator):
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=2, value=Decimal("9"))
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=Decimal("14"))
    IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2020, 6, 1), value=Decimal("11"))
    Indicator.objects.create(promise=world.promise, name="Avloppsvatten")
    Indicator.objects.create(promise=world.foreign_promise, name="Eskilstunas indikator")
    client.force_login(world.coordinator)
    response = client.get(list_url(world.promise))
    assert response.status_code == 200
    rows = {row["indicator"].name: row["latest"] for row in response.context["rows"]}
    assert set(rows) == {"Bostadsinbrott", "Avloppsvatten"}
    # T2 2020 ends on 31 August, after the value of 1 June.
    assert rows["Bostadsinbrott"]["value"].value == Decimal("9")
    assert rows["Avloppsvatten"] is None
    assert response.context["form"] is not None


def test_the_latest_value_is_a_date_after_the_last_tertial(client, world, indicator):
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=Decimal("14"))
    IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2020, 5, 2), value=Decimal("3"))
    client.force_login(world.coordinator)
    [row] = client.get(list_url(world.promise)).context["rows"]
    assert row["latest"]["value"].measured_on == datetime.date(2020, 5, 2)


def test_a_council_member_sees_the_list_without_the_form(client, world, indicator):
    client.force_login(world.council_member)
    response = client.get(list_url(world.promise))
    assert response.status_code == 200
    assert [row["indicator"] for row in response.context["rows"]] == [indicator]
    assert response.context["form"] is None
    assert '<form method="post" class="form"' not in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "police_recorder", "municipal_recorder"])
def test_it_hides_the_list_from_everyone_outside_the_follow_up(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(list_url(world.promise)).status_code == 404
    assert client.post(list_url(world.promise), indicator_form()).status_code == 404
    assert not Indicator.objects.exists()


def test_an_administrator_sees_every_promise(client, world):
    client.force_login(world.administrator)
    assert client.get(list_url(world.foreign_promise)).status_code == 200


def test_it_refuses_other_methods(client, world):
    client.force_login(world.coordinator)
    assert client.put(list_url(world.promise)).status_code == 405
    assert client.delete(list_url(world.promise)).status_code == 405


# Adding an indicator.


def test_a_coordinator_adds_an_indicator(client, world):
    client.force_login(world.coordinator)
    response = client.post(list_url(world.promise), indicator_form())
    assert response.status_code == 302
    assert response.url == list_url(world.promise)
    indicator = Indicator.objects.get()
    assert (indicator.promise, indicator.name, indicator.unit, indicator.source, indicator.better) == (
        world.promise,
        "Narkotikabrott under 21 år",
        "anmälningar",
        "Polisen",
        Indicator.Direction.LOWER,
    )


def test_it_confirms_the_new_indicator(client, world):
    client.force_login(world.coordinator)
    response = client.post(list_url(world.promise), indicator_form(), follow=True)
    assert [message.level_tag for message in response.context["messages"]] == ["success"]
    assert "Narkotikabrott under 21 år" in response.content.decode()


def test_a_council_member_may_not_add_an_indicator(client, world):
    client.force_login(world.council_member)
    assert client.post(list_url(world.promise), indicator_form()).status_code == 403
    assert not Indicator.objects.exists()


def test_anonymous_visitors_cannot_add_an_indicator(client, world):
    response = client.post(list_url(world.promise), indicator_form())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Indicator.objects.exists()


@pytest.mark.parametrize("name", ["Bostadsinbrott", "bostadsinbrott"])
def test_it_refuses_a_name_the_promise_already_has(client, world, indicator, name):
    client.force_login(world.coordinator)
    response = client.post(list_url(world.promise), indicator_form(name=name))
    assert response.status_code == 200
    assert response.context["form"].has_error("name", "unique")
    assert Indicator.objects.count() == 1


def test_another_promise_may_use_the_same_name(client, world, indicator):
    client.force_login(world.coordinator)
    client.post(list_url(world.draft_promise), indicator_form(name="Bostadsinbrott"))
    assert Indicator.objects.filter(promise=world.draft_promise, name="Bostadsinbrott").exists()


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("name", ""),
        ("name", f"Inbrott hos {IDENTITY_NUMBER}"),
        ("unit", IDENTITY_NUMBER),
        ("source", f"Uppgift från {IDENTITY_NUMBER}"),
        ("better", "sideways"),
        ("name", "x" * 201),
    ],
)
def test_it_refuses_bad_indicator_input(client, world, field, bad):
    client.force_login(world.coordinator)
    response = client.post(list_url(world.promise), indicator_form(**{field: bad}))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Indicator.objects.exists()


def test_it_refuses_an_identity_number_with_the_privacy_code(client, world):
    client.force_login(world.coordinator)
    response = client.post(list_url(world.promise), indicator_form(source=IDENTITY_NUMBER))
    assert response.context["form"].has_error("source", "identity_number")


# One indicator and its values.


def test_it_sends_anonymous_visitors_to_log_in_from_an_indicator(client, indicator):
    response = client.get(detail_url(indicator))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_coordinator_sees_the_values_in_the_order_measured(client, world, indicator):
    t3 = IndicatorValue.objects.create(indicator=indicator, year=2020, number=3, value=Decimal("7"))
    march = IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2020, 3, 5), value=1)
    t1 = IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=Decimal("12.5"))
    april_end = IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2020, 4, 30), value=2)
    client.force_login(world.coordinator)
    response = client.get(detail_url(indicator))
    assert response.status_code == 200
    assert [row["value"] for row in response.context["rows"]] == [march, t1, april_end, t3]
    assert [row["tertial"].label if row["tertial"] else None for row in response.context["rows"]] == [
        None,
        "T1 2020",
        None,
        "T3 2020",
    ]
    assert "12,5" in response.content.decode()


def test_a_council_member_sees_the_values_without_the_form(client, world, indicator):
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=Decimal("12"))
    client.force_login(world.council_member)
    response = client.get(detail_url(indicator))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
    assert response.context["form"] is None


@pytest.mark.parametrize("persona", ["outsider", "police_recorder", "municipal_recorder"])
def test_it_hides_an_indicator_from_everyone_outside_the_follow_up(client, world, indicator, persona):
    client.force_login(getattr(world, persona))
    assert client.get(detail_url(indicator)).status_code == 404
    assert client.post(detail_url(indicator), value_form()).status_code == 404
    assert not IndicatorValue.objects.exists()


def test_a_missing_indicator_answers_404(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("followup:indicator", args=[999999])).status_code == 404


def test_it_refuses_other_methods_on_an_indicator(client, world, indicator):
    client.force_login(world.coordinator)
    assert client.put(detail_url(indicator)).status_code == 405


# Adding a value.


def test_a_coordinator_adds_a_value_for_a_tertial(client, world, indicator):
    client.force_login(world.coordinator)
    response = client.post(detail_url(indicator), value_form(value="12,5"))
    assert response.status_code == 302
    assert response.url == detail_url(indicator)
    value = IndicatorValue.objects.get()
    assert (value.indicator, value.year, value.number, value.measured_on, value.value, value.note) == (
        indicator,
        2020,
        1,
        None,
        Decimal("12.5"),
        "Från lägesbilden.",
    )


def test_a_value_dated_before_the_period_is_kept_as_the_baseline(client, world, indicator):
    client.force_login(world.coordinator)
    response = client.post(detail_url(indicator), value_form(tertial="", measured_on="2019-12-31", value="42"))
    assert response.status_code == 302
    assert IndicatorValue.objects.get().measured_on == datetime.date(2019, 12, 31)
    assert "före löftet: ett utgångsvärde" in client.get(detail_url(indicator)).content.decode()


def test_a_value_after_the_period_is_refused_beside_the_date(client, world, indicator):
    client.force_login(world.coordinator)
    response = client.post(detail_url(indicator), value_form(tertial="", measured_on="2021-01-01"))
    assert response.status_code == 200
    assert "Datumet kan inte ligga efter att löftets period slutar" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_coordinator_gives_an_indicator_a_target_value(client, world):
    client.force_login(world.coordinator)
    response = client.post(list_url(world.promise), indicator_form(target_value="30,5"))
    assert response.status_code == 302
    assert Indicator.objects.get().target_value == Decimal("30.5")


def test_an_indicator_value_keeps_its_history(world, indicator):
    value = IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=Decimal("39"))
    value.value = Decimal("45")
    value.save()
    assert [entry.value for entry in value.history.order_by("history_date")] == [Decimal("39"), Decimal("45")]
    indicator.name = "Nytt namn"
    indicator.save()
    assert indicator.history.count() == 2


def test_a_coordinator_adds_a_value_for_a_date(client, world, indicator):
    client.force_login(world.coordinator)
    response = client.post(detail_url(indicator), value_form(tertial="", measured_on="2020-06-15", value="3.25"))
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.year, value.number, value.measured_on, value.value) == (
        None,
        None,
        datetime.date(2020, 6, 15),
        Decimal("3.25"),
    )


def test_it_confirms_the_new_value(client, world, indicator):
    client.force_login(world.coordinator)
    response = client.post(detail_url(indicator), value_form(), follow=True)
    assert [message.level_tag for message in response.context["messages"]] == ["success"]


def test_the_form_offers_the_tertials_of_the_period_labelled_as_people_write_them(client, world, indicator):
    client.force_login(world.coordinator)
    choices = client.get(detail_url(indicator)).context["form"].fields["tertial"].choices
    assert choices[1:] == [("2020T1", "T1 2020"), ("2020T2", "T2 2020"), ("2020T3", "T3 2020")]


def test_the_form_does_not_offer_a_tertial_that_has_not_begun(client, world):
    today = timezone.localdate()
    world.promise.year = today.year
    world.promise.period_start = datetime.date(today.year, 1, 1)
    world.promise.period_end = datetime.date(today.year + 1, 12, 31)
    world.promise.save()
    indicator = Indicator.objects.create(promise=world.promise, name="Bostadsinbrott")
    client.force_login(world.coordinator)
    choices = dict(client.get(detail_url(indicator)).context["form"].fields["tertial"].choices)
    next_year_t3 = f"{today.year + 1}T3"
    assert next_year_t3 not in choices
    response = client.post(detail_url(indicator), value_form(tertial=next_year_t3))
    assert response.context["form"].has_error("tertial", "invalid_choice")
    assert not IndicatorValue.objects.exists()


def test_a_council_member_may_not_add_a_value(client, world, indicator):
    client.force_login(world.council_member)
    assert client.post(detail_url(indicator), value_form()).status_code == 403
    assert not IndicatorValue.objects.exists()


def test_anonymous_visitors_cannot_add_a_value(client, indicator):
    response = client.post(detail_url(indicator), value_form())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("changes", "fields", "code"),
    [
        ({"tertial": "", "measured_on": ""}, ["tertial", "measured_on"], "required"),
        ({"tertial": "2020T2", "measured_on": "2020-06-01"}, ["tertial", "measured_on"], "both"),
        ({"tertial": "2021T1"}, ["tertial"], "invalid_choice"),  # outside the period
        ({"tertial": "2019T3"}, ["tertial"], "invalid_choice"),
        ({"tertial": "nonsense"}, ["tertial"], "invalid_choice"),
        ({"tertial": "", "measured_on": "2021-01-01"}, ["measured_on"], "outside_period"),
        ({"tertial": "", "measured_on": "31/12"}, ["measured_on"], "invalid"),
        ({"value": ""}, ["value"], "required"),
        ({"value": "tolv"}, ["value"], "invalid"),
        ({"value": "1.234"}, ["value"], "max_decimal_places"),
        ({"value": "12345678901"}, ["value"], "max_whole_digits"),
        ({"note": f"Gäller {IDENTITY_NUMBER}"}, ["note"], "identity_number"),
        ({"note": "x" * 2001}, ["note"], "max_length"),
    ],
)
def test_it_refuses_bad_value_input(client, world, indicator, changes, fields, code):
    client.force_login(world.coordinator)
    response = client.post(detail_url(indicator), value_form(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert sorted(form.errors) == sorted(fields)
    assert all(form.has_error(field, code) for field in fields)
    assert not IndicatorValue.objects.exists()


def test_it_refuses_a_date_in_the_future(client, world):
    today = timezone.localdate()
    world.promise.period_start = datetime.date(today.year, 1, 1)
    world.promise.period_end = today + datetime.timedelta(days=400)
    world.promise.save()
    indicator = Indicator.objects.create(promise=world.promise, name="Bostadsinbrott")
    client.force_login(world.coordinator)
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    response = client.post(detail_url(indicator), value_form(tertial="", measured_on=tomorrow))
    assert response.context["form"].has_error("measured_on", "future")
    assert not IndicatorValue.objects.exists()


def test_it_refuses_a_second_value_for_the_same_tertial(client, world, indicator):
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=Decimal("14"))
    client.force_login(world.coordinator)
    response = client.post(detail_url(indicator), value_form(tertial="2020T1"))
    assert response.status_code == 200
    assert response.context["form"].has_error("tertial", "duplicate")
    assert IndicatorValue.objects.count() == 1


def test_it_refuses_a_second_value_for_the_same_date(client, world, indicator):
    IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2020, 6, 15), value=Decimal("2"))
    client.force_login(world.coordinator)
    response = client.post(detail_url(indicator), value_form(tertial="", measured_on="2020-06-15"))
    assert response.context["form"].has_error("measured_on", "duplicate")
    assert IndicatorValue.objects.count() == 1


def test_another_indicator_may_have_a_value_for_the_same_tertial(client, world, indicator):
    other = Indicator.objects.create(promise=world.promise, name="Avloppsvatten")
    IndicatorValue.objects.create(indicator=other, year=2020, number=1, value=Decimal("14"))
    client.force_login(world.coordinator)
    assert client.post(detail_url(indicator), value_form(tertial="2020T1")).status_code == 302
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1


def test_the_error_is_shown_next_to_the_field(client, world, indicator):
    client.force_login(world.coordinator)
    page = client.post(detail_url(indicator), value_form(note=IDENTITY_NUMBER)).content.decode()
    assert 'id="id_note_error"' in page
    assert 'id="error-summary"' in page


def test_the_pages_read_a_fixed_number_of_queries(client, world, indicator, django_assert_max_num_queries):
    def add_indicators(count):
        for _ in range(count):
            extra = Indicator.objects.create(promise=world.promise, name=f"Indikator {Indicator.objects.count()}")
            for tertial in (1, 2, 3):
                IndicatorValue.objects.create(indicator=extra, year=2020, number=tertial, value=tertial)

    client.force_login(world.coordinator)
    client.get(list_url(world.promise))  # the session and the user are read once, outside the count
    add_indicators(1)
    with django_assert_max_num_queries(12) as few:
        client.get(list_url(world.promise))
    add_indicators(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(list_url(world.promise))


def test_an_approved_tertial_takes_no_new_value_until_returned_to_draft(client, world, indicator):
    from tests.conftest import make_report

    report = make_report(world.promise, number=1, status="approved")
    client.force_login(world.coordinator)
    response = client.post(detail_url(indicator), value_form(value="12"))
    assert response.status_code == 200
    assert "Uppföljningen av T1 2020 är godkänd" in response.content.decode()
    assert not IndicatorValue.objects.exists()
    report.status, report.approved_at, report.meeting_date = "draft", None, None
    report.save()
    assert client.post(detail_url(indicator), value_form(value="12")).status_code == 302
