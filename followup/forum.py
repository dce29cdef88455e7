"""The forum that follows up a promise and the words of its decision (issue 15).

Not every municipality's follow-up goes to a brottsförebyggande råd: a folkhälsoråd, the kommunstyrelse or a joint
management group may take it, and some only "tar del av" the follow-up rather than approve it. Each council
(:class:`followup.models.Council`) says what kind of forum it is and how it decides; every page, PDF and message
words the decision through :class:`Forum`, so that these defaults are the only place where "the crime-prevention
council" and "approved" are written (a test greps the rest of the code and the translations for them).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ForumKind(models.TextChoices):
    CRIME_PREVENTION = "crime_prevention", gettext_lazy("crime-prevention council")
    PUBLIC_HEALTH = "public_health", gettext_lazy("public health council")
    EXECUTIVE_BOARD = "executive_board", gettext_lazy("municipal executive board")
    MANAGEMENT_GROUP = "management_group", gettext_lazy("management group")
    OTHER = "other", gettext_lazy("other forum")


class Decision(models.TextChoices):
    """How the forum decides on a follow-up, as its minutes say: "godkänd", "fastställd", "har tagit del av"."""

    APPROVED = "approved", gettext_lazy("approves the follow-up")
    ADOPTED = "adopted", gettext_lazy("adopts the follow-up")
    NOTED = "noted", gettext_lazy("takes note of the follow-up")


DEFAULT_KIND = ForumKind.CRIME_PREVENTION
DEFAULT_DECISION = Decision.APPROVED


def default_name() -> str:
    """The forum's name where a report has none: the one place the crime-prevention council is named."""
    return _("the crime-prevention council")


@dataclass(frozen=True)
class Forum:
    """A forum's name and how it decides, worded for every sentence the pages need."""

    name: str = ""
    kind: str = DEFAULT_KIND
    decision: str = DEFAULT_DECISION

    @classmethod
    def of(cls, council) -> Forum:
        """The forum of a council, or the default forum for None."""
        if council is None:
            return cls()
        return cls(name=council.name, kind=council.kind, decision=council.decision)

    @classmethod
    def of_snapshot(cls, snapshot) -> Forum:
        """The forum as a report's snapshot froze it (older snapshots hold the name only)."""
        return cls(
            name=snapshot.council or "",
            kind=getattr(snapshot, "forum_kind", None) or DEFAULT_KIND,
            decision=getattr(snapshot, "decision", None) or DEFAULT_DECISION,
        )

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        """The forum's name, or the words for the default forum."""
        return self.name or default_name()

    @property
    def kind_label(self) -> str:
        return str(ForumKind(self.kind).label) if self.kind in ForumKind.values else str(ForumKind.OTHER.label)

    @property
    def _decision(self) -> Decision:
        return Decision(self.decision) if self.decision in Decision.values else DEFAULT_DECISION

    @property
    def decided(self) -> str:
        """The decision as a participle for a state: "godkänd", "fastställd", "behandlad"."""
        return {
            Decision.APPROVED: _("approved"),
            Decision.ADOPTED: _("adopted"),
            Decision.NOTED: _("taken note of"),
        }[self._decision]

    @property
    def decided_past(self) -> str:
        """The decision as the past tense of its verb: "godkände", "fastställde", "tog del av"."""
        return {
            Decision.APPROVED: _("approved (past tense)"),
            Decision.ADOPTED: _("adopted (past tense)"),
            Decision.NOTED: _("took note of"),
        }[self._decision]

    @property
    def decided_perfect(self) -> str:
        """The decision in the perfect tense: "har godkänt", "har fastställt", "har tagit del av"."""
        return {
            Decision.APPROVED: _("has approved"),
            Decision.ADOPTED: _("has adopted"),
            Decision.NOTED: _("has taken note of"),
        }[self._decision]

    @property
    def decides(self) -> str:
        """The decision in the present tense: "godkänner", "fastställer", "tar del av"."""
        return {
            Decision.APPROVED: _("approves"),
            Decision.ADOPTED: _("adopts"),
            Decision.NOTED: _("takes note of"),
        }[self._decision]

    @property
    def decide_button(self) -> str:
        """The council member's button that records the decision."""
        return {
            Decision.APPROVED: _("Approve the report"),
            Decision.ADOPTED: _("Adopt the report"),
            Decision.NOTED: _("Record that the forum has taken note of the report"),
        }[self._decision]

    # Sentences ---------------------------------------------------------------------------------------------

    @property
    def report_lead(self) -> str:
        """The public report's lead: "Uppföljning av medborgarlöftet, fastställd av Folkhälsorådet i Berg"."""
        return {
            Decision.APPROVED: _("Follow-up of the citizen promise, approved by %(forum)s"),
            Decision.ADOPTED: _("Follow-up of the citizen promise, adopted by %(forum)s"),
            Decision.NOTED: _("Follow-up of the citizen promise, of which %(forum)s has taken note"),
        }[self._decision] % {"forum": self.title}

    def decided_on(self, date_text: str) -> str:
        """ "Godkänd av X den 3 mars 2020." / "X tog del av uppföljningen den 3 mars 2020." """
        return {
            Decision.APPROVED: _("Approved by %(forum)s on %(date)s."),
            Decision.ADOPTED: _("Adopted by %(forum)s on %(date)s."),
            Decision.NOTED: _("%(forum)s took note of the follow-up on %(date)s."),
        }[self._decision] % {"forum": self.title, "date": date_text}

    @property
    def frozen_note(self) -> str:
        """Why the figures of a decided report do not move."""
        return _(
            "The figures were frozen when %(forum)s %(decided)s the report; later changes to the records do not "
            "alter them."
        ) % {"forum": self.title, "decided": self.decided_past}

    @property
    def draft_note(self) -> str:
        return _(
            "Draft: the figures are computed from the records logged so far and may change until %(forum)s "
            "%(decides)s the report."
        ) % {"forum": self.title, "decides": self.decides}

    @property
    def results_pending(self) -> str:
        """The public promise page before any result is published."""
        return _("No results have been published yet. Results are published once %(forum)s %(decided)s them.") % {
            "forum": self.title,
            "decided": self.decided_perfect,
        }
