"""The snapshot type: what approval freezes reads back as it was written, and older snapshots still read."""

import datetime

from followup.progress import Status
from followup.snapshot import ActivitySnapshot, Snapshot

ROW = ActivitySnapshot(
    id=12,
    title="Trafikkontroller",
    focus_area="Trafik",
    kind="Trafikkontroll",
    unit="kontroller",
    target_count=None,
    recurrence="continuous",
    lead_organisation="Polisen Strängnäs",
    partner_organisations=("Strängnäs kommun",),
    achieved=303,
    expected=0.0,
    target_places=("Mariefred", "Stallarholmen"),
    covered_places=("Mariefred",),
    computed_status=Status.ON_TRACK,
    status=Status.AT_RISK,
    comment="Vintern gav färre kontroller.",
    verdict="",
    verdict_reason="",
    per_tertial={"2020T1": 120, "2020T2": 183},
)


def test_a_snapshot_reads_back_what_it_wrote():
    snapshot = Snapshot(
        tertial="2020T2",
        judged_at=datetime.date(2020, 8, 31),
        taken_at=datetime.datetime(2020, 9, 20, 12, tzinfo=datetime.UTC),
        activities=(ROW,),
    )
    assert Snapshot.from_dict(snapshot.to_dict()) == snapshot


def test_it_writes_plain_json_values():
    data = ROW.to_dict()
    assert data["status"] == "at_risk" and data["computed_status"] == "on_track"
    assert data["target_places"] == ["Mariefred", "Stallarholmen"]
    assert ROW.missing_places == ["Stallarholmen"]


def test_an_older_snapshot_without_a_chosen_status_reads_the_computed_one():
    item = ActivitySnapshot.from_dict({"id": 1, "title": "Insatser", "computed_status": "behind"})
    assert (item.status, item.computed_status, item.achieved, item.per_tertial) == (Status.BEHIND, Status.BEHIND, 0, {})


def test_a_report_not_yet_approved_has_an_empty_snapshot():
    assert Snapshot.from_dict({}).is_empty
    assert Snapshot.from_dict(None).activities == ()
