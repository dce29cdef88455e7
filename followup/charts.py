"""Charts as server-rendered SVG: no chart library, nothing loaded from another host, readable without JavaScript.

Every function here returns the markup of one ``<svg>`` element as a safe string, ready to put in a template
(the dashboard) or in the HTML that WeasyPrint turns into a PDF (the exports). Each chart is an image with a
text alternative: ``role="img"`` and ``aria-labelledby`` pointing at its ``<title>`` (and ``<desc>``), and the
page shows the same numbers in a table as well. Texts are escaped one by one with :func:`format_html`; only
the finished SVG is marked safe.

Colours are SVG presentation attributes rather than CSS classes, so a chart looks the same on the page, in a
PDF and as a standalone file, and needs no inline ``style`` (which a strict CSP would refuse). Numbers are
formatted for the active language ("0,7" in Swedish) by :func:`format_number`.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

__all__ = ["format_number", "line_chart_svg", "progress_bar_svg"]

Number = int | float | Decimal | Fraction

# The portal's palette (static/css/portal.css), repeated here because a PDF has no stylesheet of ours.
INK = "#1b1b1b"
MUTED = "#4a4a4a"
LINE = "#c9ced4"
BAND = "#f3f5f7"
BRAND = "#1d4f91"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def format_number(value: Number, decimals: int = 1) -> str:
    """``value`` rounded (half up) and localised: ``format_number(Fraction(121, 183))`` is "0,7" in Swedish.

    A negative ``decimals`` shows decimals only when needed, as Django's ``floatformat`` does: with -2,
    12.00 is "12" and 12.5 is "12,50".
    """
    # floatformat reads a Fraction as the text "121/183" and gives up, so hand it a Decimal or a float.
    if isinstance(value, Fraction):
        value = float(value)
    return floatformat(value, decimals)


def _svg_id(element_id: str | None) -> str:
    """The id the chart's title and description hang from; unique per call unless the caller gives one."""
    return element_id or f"chart-{uuid.uuid4().hex[:12]}"


def _open_svg(*, element_id: str, width: int, height: int, css_class: str, described: bool) -> str:
    labelled_by = f"{element_id}-title {element_id}-desc" if described else f"{element_id}-title"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-labelledby="{}" font-family="{}">',
        css_class,
        width,
        height,
        width,
        height,
        labelled_by,
        FONT,
    )


def progress_bar_svg(
    *,
    achieved: Number,
    target: Number,
    expected: Number | None = None,
    label: str,
    element_id: str | None = None,
) -> SafeString:
    """A horizontal bar of ``achieved`` out of ``target``, with a marker where ``expected`` lies.

    ``label`` is the whole text alternative and becomes the SVG's ``<title>``, e.g. "3 of 8, expected 2,6":
    the caller words and translates it, since only the caller knows whether the bar counts records or places.
    The bar is capped at the target (going beyond shows as full; the label has the real figure) and so is the
    marker; no marker is drawn when ``expected`` is None. A target of 0 draws a full bar.
    ``element_id`` prefixes the title's id and must be unique in the page; a random one is made when omitted.

    The bar is 240 × 24 units and scales with its container (give it ``width: 100%`` in CSS).
    """
    element_id = _svg_id(element_id)
    width, height, bar_top, bar_height = 240, 24, 6, 12
    target = float(target)
    share = 1.0 if target <= 0 else min(1.0, max(0.0, float(achieved) / target))
    parts = [
        _open_svg(element_id=element_id, width=width, height=height, css_class="progress-bar", described=False),
        format_html('<title id="{}-title">{}</title>', element_id, label),
        format_html(
            '<rect x="0.5" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1"/>',
            bar_top,
            width - 1,
            bar_height,
            BAND,
            MUTED,
        ),
    ]
    if share > 0:
        parts.append(
            format_html(
                '<rect x="0.5" y="{}" width="{}" height="{}" fill="{}"/>',
                bar_top,
                _coordinate((width - 1) * share),
                bar_height,
                BRAND,
            )
        )
    if expected is not None:
        expected_share = 1.0 if target <= 0 else min(1.0, max(0.0, float(expected) / target))
        x = _coordinate(1.5 + (width - 3) * expected_share)
        # The marker reaches above and below the bar so that it stands out against both the filled part and
        # the white page; the small triangle on top keeps it visible where it meets the end of the fill.
        parts.append(
            format_html('<line x1="{}" y1="1" x2="{}" y2="{}" stroke="{}" stroke-width="3"/>', x, x, height - 1, INK)
        )
        parts.append(
            format_html(
                '<path d="M {} 0 L {} 0 L {} 5 Z" fill="{}"/>',
                _coordinate(float(x) - 4),
                _coordinate(float(x) + 4),
                x,
                INK,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above went through format_html


def line_chart_svg(
    *,
    title: str,
    description: str,
    points: Sequence[tuple[str, Number]],
    unit: str = "",
    element_id: str | None = None,
) -> SafeString:
    """A line chart of ``points`` in order, e.g. an indicator's values per tertial.

    ``points`` are ``(label, value)`` pairs such as ``("T1 2020", 12)``; the labels go on the horizontal axis
    and each value is written above its point. ``title`` and ``description`` become the chart's ``<title>``
    and ``<desc>`` (its text alternative: say what it shows and, ideally, the values); ``unit`` labels the
    vertical axis. The vertical axis starts at 0 unless a value is negative. With no points the chart is an
    empty frame that still carries its title and description. ``element_id`` prefixes the ids of the title
    and description and must be unique in the page; a random one is made when omitted.

    The chart is 560 × 300 units and scales with its container (give it ``width: 100%`` in CSS).
    """
    element_id = _svg_id(element_id)
    width, height = 560, 300
    rotate_labels = len(points) > 6
    left, right, top, bottom = 64, 16, 36, 80 if rotate_labels else 48
    inset = 16 if rotate_labels else 44
    plot_width, plot_height = width - left - right, height - top - bottom
    values = [float(value) for _label, value in points]
    low, high, step = _axis(min([0.0, *values]), max([0.0, *values]))

    def y_of(value: float) -> float:
        return top + plot_height * (high - value) / (high - low)

    def x_of(index: int) -> float:
        # The first and last points keep clear of the frame so that their labels fit inside the chart.
        if len(points) == 1:
            return left + plot_width / 2
        return left + inset + (plot_width - 2 * inset) * index / (len(points) - 1)

    parts = [
        _open_svg(element_id=element_id, width=width, height=height, css_class="line-chart", described=True),
        format_html('<title id="{}-title">{}</title>', element_id, title),
        format_html('<desc id="{}-desc">{}</desc>', element_id, description),
    ]
    if unit:
        parts.append(format_html('<text x="{}" y="20" font-size="14" fill="{}">{}</text>', left, MUTED, unit))
    tick_decimals = _decimals_of(step)
    ticks = round((high - low) / step)
    for index in range(ticks + 1):
        value = low + step * index
        y = _coordinate(y_of(value))
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>', left, y, width - right, y, LINE
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="14" fill="{}" text-anchor="end">{}</text>',
                left - 8,
                _coordinate(float(y) + 5),
                INK,
                format_number(value, tick_decimals),
            )
        )
    parts.append(
        format_html(
            '<path d="M {} {} V {} H {}" fill="none" stroke="{}" stroke-width="1.5"/>',
            left,
            top,
            top + plot_height,
            width - right,
            MUTED,
        )
    )
    coordinates = [(_coordinate(x_of(index)), _coordinate(y_of(value))) for index, value in enumerate(values)]
    if len(coordinates) > 1:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="3" stroke-linejoin="round"/>',
                " ".join(f"{x},{y}" for x, y in coordinates),
                BRAND,
            )
        )
    for (label, value), (x, y) in zip(points, coordinates, strict=True):
        parts.append(format_html('<circle cx="{}" cy="{}" r="5" fill="{}"/>', x, y, BRAND))
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="14" font-weight="bold" fill="{}" text-anchor="middle">{}</text>',
                x,
                _coordinate(float(y) - 10),
                INK,
                format_number(value, -2),
            )
        )
        label_y = top + plot_height + 20
        if rotate_labels:
            parts.append(
                format_html(
                    '<text class="chart__x chart__x--rotated" x="{}" y="{}" font-size="13" fill="{}" text-anchor="end" '
                    'transform="rotate(-40 {} {})">{}</text>',
                    x,
                    label_y,
                    INK,
                    x,
                    label_y,
                    label,
                )
            )
        else:
            parts.append(
                format_html(
                    '<text class="chart__x" x="{}" y="{}" font-size="13" fill="{}" text-anchor="middle">{}</text>',
                    x,
                    label_y,
                    INK,
                    label,
                )
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above went through format_html


def _coordinate(value: float) -> str:
    """A coordinate with at most two decimals and a dot, whatever the language: SVG is not localised."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _decimals_of(step: float) -> int:
    """How many decimals the tick labels need so that every tick (a multiple of ``step``) shows exactly."""
    decimals = 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-9:
        decimals += 1
    return decimals


def _axis(low: float, high: float, intervals: int = 4) -> tuple[float, float, float]:
    """A rounded axis range and step around ``low``..``high`` (1, 2, 2.5 or 5 times a power of ten)."""
    if high <= low:
        high = low + 1
    raw_step = (high - low) / intervals
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(
        (factor * magnitude for factor in (1, 2, 2.5, 5) if factor * magnitude >= raw_step * 0.999), 10 * magnitude
    )
    return math.floor(low / step) * step, math.ceil(high / step) * step, step
