"""The indicator trend chart: structure, text alternative, escaping, right-to-left, hidden
rounds and size (no database: the chart is drawn from plain scores)."""
import re
import xml.etree.ElementTree as ElementTree

import pytest

from consult import create_app
from consult.analysis.indicators import LIKERT, SCALE, IndicatorSpec, round_score
from consult.programmes.charts import indicator_chart
from tests.conftest import base_config

SPEC = IndicatorSpec(LIKERT, order=("1", "2", "3", "4", "5"))
ROUNDS = ["Round 1", "Round 2", "Round 3"]


@pytest.fixture(scope="module")
def chart_app():
    """An app for formatting and translation only: its database is never touched."""
    return create_app(base_config("sqlite://"))


@pytest.fixture
def request_in(chart_app):
    """Enter a request in a language, for the locale's formats."""
    contexts = []

    def enter(language: str = "en"):
        context = chart_app.test_request_context(f"/?lang={language}")
        context.push()
        contexts.append(context)

    yield enter
    for context in reversed(contexts):
        context.pop()


def likert(agreeing: int, others: int, k: int = 10):
    """A Likert round with `agreeing` answers in the top two."""
    return round_score(SPEC, {"2": others, "4": agreeing}, k)


def parse(svg) -> ElementTree.Element:
    """The drawing as XML (it must be well formed)."""
    return ElementTree.fromstring(str(svg))


def tick_xs(svg) -> list[float]:
    """The x of each round's label under the plot."""
    ticks = [t for t in parse(svg).iter("text") if t.get("text-anchor") == "middle"][0]
    return [float(span.get("x")) for span in ticks.iter("tspan")]


def test_chart_is_an_image_with_title_and_description(request_in):
    request_in()
    chart = indicator_chart("ind-safe", "Feeling safe", LIKERT, ROUNDS,
                            [likert(42, 58), likert(50, 50), likert(60, 40)])
    root = parse(chart.svg)
    assert root.tag == "svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "ind-safe-t ind-safe-d"
    assert root.find("title").get("id") == "ind-safe-t"
    assert root.find("title").text == "Feeling safe"
    assert root.find("desc").get("id") == "ind-safe-d"
    assert root.get("viewBox").startswith("0 0 360 ") and root.get("width") == "100%"
    assert "chart" in root.get("class").split()
    # The scale of a share: 0% to 100%.
    assert [s.text for s in root.find("text").iter("tspan")] == ["0%", "50%", "100%"]


def test_description_says_every_figure_of_every_series(request_in):
    request_in()
    community = [likert(42, 58), likert(50, 50)]
    providers = [likert(8, 2, k=5), None]
    chart = indicator_chart("ind-safe", "Feeling safe", LIKERT, ROUNDS[:2], community,
                            providers, k=10)
    desc = parse(chart.svg).find("desc").text
    assert desc == ("Community members: Round 1: 42% (33%–52%); Round 2: 50% (40%–60%). "
                    "Service providers (self-assessment): Round 1: 80% (49%–94%); "
                    "Round 2: not scored.")
    assert [(r.label, r.community, r.providers) for r in chart.rows] == [
        ("Round 1", "42% (33%–52%)", "80% (49%–94%)"),
        ("Round 2", "50% (40%–60%)", "not scored")]
    assert chart.rows[0].community_score is community[0]


def test_means_are_drawn_on_a_zero_to_ten_scale(request_in):
    request_in()
    spec = IndicatorSpec(SCALE)
    scores = [round_score(spec, {6: 20, 7: 20}, 10), round_score(spec, {8: 40}, 10)]
    chart = indicator_chart("ind-trust", "Trust", SCALE, ROUNDS[:2], scores)
    root = parse(chart.svg)
    assert [s.text for s in root.find("text").iter("tspan")] == ["0", "5", "10"]
    assert chart.rows[0].community == "6.5 (6.3–6.7)"
    assert chart.rows[1].community == "8.0 (8.0–8.0)"  # everyone gave 8: no spread


def test_figures_follow_the_reader_locale(request_in):
    request_in("fr")
    chart = indicator_chart("ind-safe", "Sécurité", LIKERT, ["Tour 1"], [likert(42, 58)])
    assert chart.rows[0].community == "42\u00a0% (33\u00a0%–52\u00a0%)"


def test_labels_with_markup_are_escaped(request_in):
    request_in()
    attack = '<script>alert("x")</script>'
    chart = indicator_chart(f'ind-"{attack}', attack, LIKERT, [attack, "Round 2"],
                            [likert(42, 58), likert(50, 50)], ticks=[attack, "2"])
    svg = str(chart.svg)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)  # still well formed: nothing broke out of an attribute
    assert root.find("title").text == attack
    assert root.get("id") == f'ind-"{attack}'


def test_right_to_left_mirrors_the_rounds(request_in):
    request_in("ar")
    scores = [likert(42, 58), likert(50, 50), likert(60, 40)]
    ltr = indicator_chart("ind-safe", "t", LIKERT, ROUNDS, scores, direction="ltr")
    rtl = indicator_chart("ind-safe", "t", LIKERT, ROUNDS, scores, direction="rtl")
    assert parse(rtl.svg).get("direction") == "rtl"
    left_to_right, right_to_left = tick_xs(ltr.svg), tick_xs(rtl.svg)
    assert left_to_right == sorted(left_to_right)
    assert right_to_left == sorted(right_to_left, reverse=True)  # the first round on the right
    assert right_to_left == [360 - x for x in left_to_right]


def test_hidden_round_breaks_the_line_is_marked_and_explained(request_in):
    request_in()
    hidden = likert(3, 4)  # 7 answers, k = 10
    assert hidden.value is None
    chart = indicator_chart("ind-safe", "t", LIKERT, ROUNDS,
                            [likert(42, 58), hidden, likert(60, 40)], k=10)
    root = parse(chart.svg)
    community = root.find("g")
    paths = [p.get("d") for p in community.iter("path")]
    line = next(d for d in paths if "L" not in d and "V" not in d and "h0" not in d
                and "l6" not in d)
    assert line.count("M") == 2  # two lone points: no line drawn across the hidden round
    assert any("l6 6" in d for d in paths)  # the cross on the axis
    legend = [s.text for s in root.findall("text")[-1].iter("tspan")]
    assert "no figure: fewer than 10 answers, none, or not scored" in legend
    assert chart.rows[1].community == "fewer than 10 answers"
    assert "Round 2: fewer than 10 answers" in root.find("desc").text
    assert "7" not in chart.rows[1].community  # the hidden count is not told


def test_without_hidden_rounds_the_legend_has_no_cross(request_in):
    request_in()
    chart = indicator_chart("ind-safe", "t", LIKERT, ROUNDS[:2], [likert(42, 58)] * 2)
    assert "not scored" not in str(chart.svg) and "l6 6" not in str(chart.svg)


def test_twelve_rounds_stay_small_with_one_decimal(request_in):
    request_in()
    rounds = [f"Round {n}" for n in range(1, 13)]
    community = [likert(40 + n, 160 - n) for n in range(12)]
    providers = [likert(3 + n % 4, 6, k=5) for n in range(12)]
    one = str(indicator_chart("ind-safe", "Feeling safe", LIKERT, rounds, community).svg)
    both = str(indicator_chart("ind-safe", "Feeling safe", LIKERT, rounds, community,
                               providers).svg)
    assert len(one.encode()) < 2500
    # About 900 bytes of it are the description, which says all 24 figures.
    assert len(both.encode()) < 3400
    assert not re.search(r"\d\.\d\d", both)
    # Rounds 1, 3, ..., 11 and 12 are labelled: 12 labels do not fit a phone's width.
    assert len(tick_xs(both)) == 7


def test_missing_scores_and_no_rounds_never_raise(request_in):
    request_in()
    short = indicator_chart("ind-safe", "t", LIKERT, ROUNDS, [likert(42, 58)], providers=[])
    assert [r.community for r in short.rows] == ["42% (33%–52%)", "not scored", "not scored"]
    assert [r.providers for r in short.rows] == ["not scored"] * 3
    assert "not scored" in str(short.svg)  # the legend explains the crosses
    empty = indicator_chart("ind-safe", "t", LIKERT, [], [])
    assert parse(empty.svg).get("role") == "img" and empty.rows == []


def test_a_long_series_on_a_page_of_charts_is_described_by_its_ends_without_a_legend(
        request_in):
    rounds = [f"Round {n}" for n in range(1, 13)]
    scores = [likert(30 + n, 70 - n) for n in range(12)]
    chart = indicator_chart("ind-long", "Feeling safe", LIKERT, rounds, scores,
                            every_figure=False, legend=False)
    root = parse(chart.svg)
    desc = root.find("desc").text
    assert desc.startswith("Community members: Round 1: 30%") and "Round 12: 41%" in desc
    assert "lowest 30% (Round 1), highest 41% (Round 12)" in desc
    assert "Round 5:" not in desc and "95% interval" not in chart.svg
    assert len(chart.rows) == 12  # the indicator's own page has every round
