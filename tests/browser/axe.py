"""Accessibility checks with axe-core (through axe-playwright-python), limited to WCAG 2.1 A and AA."""

import pytest
from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def axe_violations(page, context=None):
    """The WCAG 2.1 A/AA violations axe finds on the page (or the part `context` selects), as axe reports them."""
    return _axe.run(page, context=context, options=AXE_OPTIONS).response["violations"]


def format_violations(violations):
    """One line per violated rule (id, impact, help, where to read more), then one line per offending element."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'impact unknown'}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            # A target is a list of selectors: more than one when the element is inside an iframe or shadow root.
            target = " >>> ".join(str(selector) for selector in node["target"])
            html = " ".join(node.get("html", "").split())
            if len(html) > 160:
                html = html[:157] + "..."
            lines.append(f"    {target}    {html}")
    return "\n".join(lines)


def assert_no_axe_violations(page, context=None):
    """Fail the test with a readable list if axe finds any WCAG 2.1 A/AA violation on the page."""
    violations = axe_violations(page, context=context)
    if violations:
        count = sum(len(violation["nodes"]) for violation in violations)
        pytest.fail(
            f"axe found {len(violations)} WCAG 2.1 A/AA rule(s) violated by {count} element(s) on {page.url}:\n"
            + format_violations(violations),
            pytrace=False,
        )
