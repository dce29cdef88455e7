"""The snapshot: a report's figures as the council approved them, in one type that every reader and writer shares.

Approval freezes every activity's figures into ``TertialReport.snapshot`` (a JSON column); every public page,
feed, API answer and PDF of an approved report is drawn from it, never from the live records. The live figures
of a report not yet approved take the same shape (:func:`followup.selectors.activity_rows`), so a page shows a
draft and an approved report in one way.

This module is the only one that knows the stored shape. :meth:`Snapshot.from_dict` reads what any earlier
version wrote (a key added later has a default), and :meth:`Snapshot.to_dict` writes plain JSON values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime

from activities.models import Activity

from .progress import Status


@dataclass(frozen=True)
class ActivitySnapshot:
    """One activity's line in a report: its target, what was achieved by the day judged, and the assessment."""

    id: int
    title: str
    focus_area: str = ""
    kind: str = ""
    unit: str = ""
    target_count: int | None = None
    recurrence: str = ""
    lead_organisation: str = ""
    partner_organisations: tuple[str, ...] = ()
    achieved: int = 0
    # Expected by the day judged (target × share of the period elapsed); 0 for a target without a count.
    expected: float = 0.0
    target_places: tuple[str, ...] = ()
    covered_places: tuple[str, ...] = ()
    computed_status: Status = Status.ON_TRACK
    # The status the report gives: the computed one unless someone chose another in the assessment.
    status: Status = Status.ON_TRACK
    comment: str = ""
    verdict: str = ""
    verdict_reason: str = ""
    # Quantity per tertial code (e.g. "2020T1") up to the report's tertial.
    per_tertial: dict[str, int] = field(default_factory=dict)

    @property
    def missing_places(self) -> list[str]:
        return [name for name in self.target_places if name not in self.covered_places]

    @property
    def has_count(self) -> bool:
        return self.target_count is not None

    @property
    def recurrence_label(self) -> str:
        return Activity.Recurrence(self.recurrence).label if self.recurrence else ""

    @classmethod
    def from_dict(cls, data: dict) -> ActivitySnapshot:
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        computed = data.get("computed_status") or data.get("status") or Status.ON_TRACK
        values["computed_status"] = Status(computed)
        values["status"] = Status(data.get("status") or computed)
        for name in ("partner_organisations", "target_places", "covered_places"):
            values[name] = tuple(data.get(name) or ())
        values["per_tertial"] = dict(data.get("per_tertial") or {})
        return cls(**values)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["computed_status"] = str(self.computed_status)
        data["status"] = str(self.status)
        for name in ("partner_organisations", "target_places", "covered_places"):
            data[name] = list(data[name])
        return data


@dataclass(frozen=True)
class Snapshot:
    """What approval froze: the tertial, the day its figures were judged at, when it was taken, every activity."""

    tertial: str = ""
    judged_at: date | None = None
    taken_at: datetime | None = None
    activities: tuple[ActivitySnapshot, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.tertial and not self.activities

    def activity(self, activity_id) -> ActivitySnapshot | None:
        return next((item for item in self.activities if item.id == activity_id), None)

    @classmethod
    def from_dict(cls, data: dict | None) -> Snapshot:
        data = data or {}
        judged, taken = data.get("judged_at"), data.get("taken_at")
        return cls(
            tertial=data.get("tertial", ""),
            judged_at=date.fromisoformat(judged) if judged else None,
            taken_at=datetime.fromisoformat(taken) if taken else None,
            activities=tuple(ActivitySnapshot.from_dict(item) for item in data.get("activities", [])),
        )

    def to_dict(self) -> dict:
        return {
            "tertial": self.tertial,
            "judged_at": self.judged_at.isoformat() if self.judged_at else None,
            "taken_at": self.taken_at.isoformat() if self.taken_at else None,
            "activities": [item.to_dict() for item in self.activities],
        }
