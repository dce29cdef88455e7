"""The snapshot type: the whole report reads back as it was written, and every older stored shape still reads."""

import datetime
from decimal import Decimal

from django.utils import translation

from followup.indicators import Trend
from followup.progress import Status
from followup.snapshot import (
    SCHEMA_VERSION,
    ActivitySnapshot,
    IndicatorSnapshot,
    PeriodSnapshot,
    Snapshot,
    ValueSnapshot,
)

ROW = ActivitySnapshot(
    id=12,
    title="Trafikkontroller",
    focus_area="Trafik",
    kind="Trafikkontroll",
    description="Kontroller i kommunens samtliga kommundelar.",
    unit="kontroller",
    target_count=None,
    recurrence="continuous",
    lead_organisation="Polisen Strängnäs",
    partner_organisations=("Strängnäs kommun",),
    achieved=303,
    expected=0.0,
    target_places=("Mariefred", "Stallarholmen"),
    target_place_kind="district",
    covered_places=("Mariefred",),
    computed_status=Status.ON_TRACK,
    status=Status.AT_RISK,
    comment="Vintern gav färre kontroller.",
    comment_public=True,
    verdict="",
    verdict_reason="",
    per_tertial={"2020T1": 120, "2020T2": 183},
    per_municipality=(("Eskilstuna", 3), ("Strängnäs", 299), ("", 1)),
)

INDICATOR = IndicatorSnapshot(
    id=4,
    name="Individer i identifierade ungdomsnätverk",
    unit="individer",
    source="Polisen",
    better="lower",
    target_value=Decimal("30.00"),
    baseline=ValueSnapshot(start=datetime.date(2019, 12, 31), end=datetime.date(2019, 12, 31), value=Decimal("42")),
    values=(
        ValueSnapshot(
            start=datetime.date(2020, 1, 1), end=datetime.date(2020, 4, 30), value=Decimal("39.00"), code="2020T1"
        ),
        ValueSnapshot(
            start=datetime.date(2020, 5, 1),
            end=datetime.date(2020, 8, 31),
            value=Decimal("35.50"),
            code="2020T2",
            note="Efter sommaren",
        ),
    ),
)

WHOLE = Snapshot(
    period=PeriodSnapshot(datetime.date(2020, 5, 1), datetime.date(2020, 8, 31), code="2020T2", label="T2 2020"),
    promise_period=PeriodSnapshot(datetime.date(2020, 1, 1), datetime.date(2021, 12, 31)),
    periods=(
        PeriodSnapshot(datetime.date(2020, 1, 1), datetime.date(2020, 4, 30), code="2020T1", label="T1 2020"),
        PeriodSnapshot(datetime.date(2020, 5, 1), datetime.date(2020, 8, 31), code="2020T2", label="T2 2020"),
    ),
    is_final=False,
    judged_at=datetime.date(2020, 8, 31),
    taken_at=datetime.datetime(2020, 9, 20, 12, tzinfo=datetime.UTC),
    meeting_date=datetime.date(2020, 9, 20),
    promise_title="Medborgarlöfte 2020–2021",
    municipalities=("Eskilstuna", "Strängnäs"),
    summary="Arbetet går enligt plan.",
    council="Brottsförebyggande rådet",
    activities=(ROW,),
    indicators=(INDICATOR,),
)


def test_the_whole_report_reads_back_what_it_wrote():
    assert Snapshot.from_dict(WHOLE.to_dict()) == WHOLE
    assert WHOLE.to_dict()["version"] == SCHEMA_VERSION


def test_it_writes_plain_json_values_and_keeps_decimals_exact():
    data = WHOLE.to_dict()
    row = data["activities"][0]
    assert row["status"] == "at_risk" and row["computed_status"] == "on_track"
    assert row["target_places"] == ["Mariefred", "Stallarholmen"]
    assert row["per_municipality"][2] == {"municipality": "", "quantity": 1}
    assert data["indicators"][0]["values"][1]["value"] == "35.50"
    assert data["promise_period"] == {"start": "2020-01-01", "end": "2021-12-31", "code": "", "label": ""}
    assert ROW.missing_places == ["Stallarholmen"]


def test_only_a_comment_chosen_to_be_public_is_public():
    assert ROW.public_comment == "Vintern gav färre kontroller."
    internal = ActivitySnapshot.from_dict({**ROW.to_dict(), "comment_public": False})
    assert internal.public_comment == ""


def test_an_indicator_is_judged_from_its_baseline_to_its_latest_value():
    assert INDICATOR.series[0].value == Decimal("42")
    assert (INDICATOR.trend, INDICATOR.in_desired_direction, INDICATOR.target_reached) == (Trend.FALLING, True, False)


def test_a_version_1_snapshot_still_reads():
    # What approval froze before the snapshot held the whole report: no version, period, summary or indicators.
    stored = {
        "tertial": "2020T2",
        "judged_at": "2020-08-31",
        "taken_at": "2020-09-20T12:00:00+00:00",
        "activities": [{"id": 1, "title": "Insatser", "computed_status": "behind", "per_tertial": {"2020T1": 2}}],
    }
    snapshot = Snapshot.from_dict(stored)
    assert snapshot.version == 1
    assert snapshot.tertial == "2020T2"
    assert (snapshot.period.start, snapshot.period.end) == (datetime.date(2020, 5, 1), datetime.date(2020, 8, 31))
    assert [period.code for period in snapshot.periods] == ["2020T1", "2020T2"]
    assert (snapshot.promise_period, snapshot.summary, snapshot.council, snapshot.indicators) == (None,) * 4
    item = snapshot.activities[0]
    assert (item.status, item.computed_status, item.achieved, item.comment_public) == (
        Status.BEHIND,
        Status.BEHIND,
        0,
        False,
    )


def test_an_older_snapshot_without_a_chosen_status_reads_the_computed_one():
    item = ActivitySnapshot.from_dict({"id": 1, "title": "Insatser", "computed_status": "behind"})
    assert (item.status, item.computed_status, item.achieved, item.per_tertial) == (Status.BEHIND, Status.BEHIND, 0, {})


def test_a_draft_has_an_empty_snapshot():
    assert Snapshot.from_dict({}).is_empty
    assert Snapshot.from_dict(None).activities == ()


def test_the_differences_name_what_moved_and_ignore_when_it_was_taken():
    later = Snapshot.from_dict(
        {**WHOLE.to_dict(), "taken_at": "2021-01-01T00:00:00+00:00", "meeting_date": "2021-01-02"}
    )
    assert WHOLE.differences(later) == []
    moved = Snapshot.from_dict({**WHOLE.to_dict(), "activities": [{**ROW.to_dict(), "achieved": 304}]})
    assert WHOLE.differences(moved) == ["Trafikkontroller"]
    fewer = Snapshot.from_dict({**WHOLE.to_dict(), "indicators": []})
    with translation.override("en"):
        assert WHOLE.differences(fewer) == ["the indicators"]


def test_it_counts_statuses_and_verdicts():
    final = Snapshot(
        is_final=True,
        activities=(
            ActivitySnapshot(id=1, title="A", status=Status.DONE, verdict="kept"),
            ActivitySnapshot(id=2, title="B", status=Status.MISSED, verdict="partly_kept"),
            ActivitySnapshot(id=3, title="C", status=Status.MISSED, verdict="not_kept"),
            ActivitySnapshot(id=4, title="D", status=Status.ON_TRACK),
        ),
    )
    assert final.verdict_counts == {"kept": 1, "partly_kept": 1, "not_kept": 1, "": 1}
    assert final.on_course_count == 2
    assert final.status_counts[Status.MISSED] == 2
