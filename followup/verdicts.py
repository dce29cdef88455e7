"""The words of a verdict and of its reason: their own words, never the status labels.

A verdict says whether a promised activity was kept, given once, at the period's last report; a status says where
an activity stands at a date. They are different judgements, so they are worded differently: Hållet, Delvis hållet,
Inte hållet against Uppfyllt, Enligt plan, Risk, Efter plan, Ej uppfyllt. Plain choices, so that the assessment's
fields and the snapshot's readers share them without the snapshot importing the models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    KEPT = "kept", _("Kept")
    PARTLY_KEPT = "partly_kept", _("Partly kept")
    NOT_KEPT = "not_kept", _("Not kept")


class Reason(models.TextChoices):
    EXTERNAL_EVENT = "external_event", _("External event")
    RESOURCES = "resources", _("Resources")
    REPRIORITISED = "reprioritised", _("Reprioritised")
    OTHER = "other", _("Other")
