"""The SVG charts: valid XML, a text alternative, escaped texts and numbers in the page's language."""

import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from followup.charts import format_number, line_chart_svg, progress_bar_svg

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def parse(markup):
    assert isinstance(markup, SafeString)
    return ET.fromstring(markup)  # noqa: S314 - our own markup, parsed to check it


def labelled_by(svg):
    """The texts the SVG's aria-labelledby points at, in order."""
    texts = {element.get("id"): element.text for element in svg if element.get("id")}
    return [texts[element_id] for element_id in svg.get("aria-labelledby").split()]


# format_number


def test_it_formats_numbers_for_the_language():
    assert format_number(Fraction(2 * 121, 366)) == "0,7"
    assert format_number(2.65) == "2,7"
    assert format_number(Decimal("12.00"), -2) == "12"
    with translation.override("en"):
        assert format_number(Fraction(2 * 121, 366)) == "0.7"


# progress_bar_svg


def test_the_bar_is_an_image_titled_by_its_label():
    svg = parse(progress_bar_svg(achieved=3, target=8, expected=2.6, label="3 av 8, förväntat 2,6", element_id="bar-1"))

    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "bar-1-title"
    assert labelled_by(svg) == ["3 av 8, förväntat 2,6"]


def test_the_bar_fills_its_share_and_marks_the_expected_point():
    svg = parse(progress_bar_svg(achieved=3, target=8, expected=Fraction(13, 5), label="x", element_id="b"))

    track, fill = svg.findall(f"{SVG}rect")
    assert float(track.get("width")) == 239
    assert float(fill.get("width")) == pytest.approx(239 * 3 / 8, abs=0.01)
    marker = svg.find(f"{SVG}line")
    assert float(marker.get("x1")) == pytest.approx(1.5 + 237 * 2.6 / 8, abs=0.01)


def test_the_bar_is_capped_at_the_target_and_may_have_no_marker():
    svg = parse(progress_bar_svg(achieved=12, target=8, label="12 av 8", element_id="b"))

    assert float(svg.findall(f"{SVG}rect")[1].get("width")) == 239
    assert svg.find(f"{SVG}line") is None


def test_an_empty_bar_has_only_its_track():
    svg = parse(progress_bar_svg(achieved=0, target=8, expected=0, label="0 av 8", element_id="b"))
    assert len(svg.findall(f"{SVG}rect")) == 1


def test_the_bar_escapes_its_label():
    markup = progress_bar_svg(achieved=1, target=2, label='<script>alert("x")</script> & co', element_id="b")

    assert "<script>" not in markup
    assert labelled_by(parse(markup)) == ['<script>alert("x")</script> & co']


def test_each_bar_gets_its_own_id_when_none_is_given():
    first = parse(progress_bar_svg(achieved=1, target=2, label="a"))
    second = parse(progress_bar_svg(achieved=1, target=2, label="b"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


# line_chart_svg

POINTS = [("T1 2020", Decimal("12")), ("T2 2020", Decimal("9.5")), ("T3 2020", 7)]


def test_the_chart_has_a_title_and_a_description():
    svg = parse(
        line_chart_svg(
            title="Narkotikabrott", description="12, 9,5 och 7", points=POINTS, unit="anmälningar", element_id="c"
        )
    )

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.find(f"{SVG}title").get("id") == "c-title"
    assert svg.find(f"{SVG}desc").get("id") == "c-desc"
    assert labelled_by(svg) == ["Narkotikabrott", "12, 9,5 och 7"]


def test_the_chart_draws_and_labels_every_point():
    svg = parse(line_chart_svg(title="t", description="d", points=POINTS, unit="anmälningar", element_id="c"))

    assert len(svg.findall(f"{SVG}circle")) == 3
    assert len(svg.find(f"{SVG}polyline").get("points").split()) == 3
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    for label in ("T1 2020", "T2 2020", "T3 2020", "12", "9,50", "7", "anmälningar"):
        assert label in texts


def test_a_higher_value_is_drawn_higher():
    svg = parse(line_chart_svg(title="t", description="d", points=POINTS, element_id="c"))
    heights = [float(circle.get("cy")) for circle in svg.findall(f"{SVG}circle")]
    assert heights[0] < heights[1] < heights[2]  # SVG's y grows downwards


def test_the_chart_escapes_every_text():
    markup = line_chart_svg(
        title="<script>alert(1)</script>",
        description="a & b < c",
        points=[("<b>T1</b>", 1), ("T2", 2)],
        unit="<i>st</i>",
        element_id="c",
    )

    assert "<script>" not in markup and "<b>" not in markup and "<i>" not in markup
    svg = parse(markup)
    assert labelled_by(svg) == ["<script>alert(1)</script>", "a & b < c"]
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "<b>T1</b>" in texts and "<i>st</i>" in texts


@pytest.mark.parametrize(
    "points",
    [
        [],
        [("T1 2020", 5)],
        [("T1 2020", 0), ("T2 2020", 0)],
        [("T1 2020", -3), ("T2 2020", 4.25)],
        [(f"T{number % 3 + 1} {2000 + number}", number * 1.5) for number in range(12)],
    ],
    ids=["empty", "one point", "all zero", "negative", "many points"],
)
def test_the_chart_is_valid_svg_whatever_the_points(points):
    svg = parse(line_chart_svg(title="t", description="d", points=points, element_id="c"))
    assert len(svg.findall(f"{SVG}circle")) == len(points)
    for element in svg.iter():
        for name in ("x", "y", "cx", "cy", "x1", "y1", "x2", "y2"):
            if element.get(name) is not None:
                float(element.get(name))  # coordinates are plain numbers with a dot, never localised


def test_the_axis_starts_below_a_negative_value():
    svg = parse(line_chart_svg(title="t", description="d", points=[("a", -3), ("b", 4)], element_id="c"))
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "-4" in texts or "−4" in texts
