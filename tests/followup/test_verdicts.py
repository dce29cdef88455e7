"""Verdicts have words of their own: Hållet, Delvis hållet, Inte hållet, never a status label."""

import pytest
from django.utils import translation

from followup.progress import Status
from followup.verdicts import Verdict


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_verdict_reads_like_a_status(language):
    with translation.override(language):
        verdicts = {str(verdict.label) for verdict in Verdict}
        statuses = {str(status.label) for status in Status}
    assert len(verdicts) == 3
    assert not verdicts & statuses


def test_the_swedish_verdicts():
    with translation.override("sv"):
        assert [str(verdict.label) for verdict in Verdict] == ["Hållet", "Delvis hållet", "Inte hållet"]
