"""One indicator over a programme's rounds as an inline SVG, drawn on the server.

No JavaScript, no chart library (like consult/summaries/charts.py). A viewBox 360 units wide
and width 100%, so one drawing fits a 360 px phone and scales up to the .chart max width. The
community's figure per round is a dot on a solid line with its 95% interval as a vertical
whisker; the providers' self-assessment, a few units beside it, is a square on a dashed line:
shape and dash tell them apart, never colour alone. A round without a figure (fewer than k
answers, none, or not scored) breaks the line and is marked with a cross on the axis, which the
legend explains. Right-to-left pages get the mirror image (first round on the right, the scale
on the right); the direction attribute keeps text anchors reading the right way.

The image has a title and a description that says every figure (role="img"), or for the
programme page, where ten charts must fit the page budget, the first, latest, lowest and
highest; the same figures come back as rows for the table shown beside it. The drawing is kept small
(coordinates to one decimal, one path per series and layer): 12 rounds fit in about 2.5 KB.
"""
from dataclasses import dataclass
from typing import Sequence

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from consult.analysis.indicators import NO_ANSWERS, SCALE, TOO_FEW, RoundScore

WIDTH = 360
LEGEND_ROW = 15  # px per legend line, at the top
AXIS = 34  # room for the scale's labels ("100%")
PLOT_HEIGHT = 110
TICKS_HEIGHT = 18  # room for the rounds' labels under the plot
OFFSET = 4  # px each series stands aside from the round's centre
COMMUNITY_COLOUR = "#0b5cad"
PROVIDER_COLOUR = "#8a4b00"


@dataclass(frozen=True)
class ChartRow:
    """One round as the table beside the chart shows it."""

    label: str
    community: str  # e.g. "42% (35%–49%)", or why there is no figure
    providers: str | None  # None when the chart has no provider series
    community_score: RoundScore | None
    provider_score: RoundScore | None


@dataclass(frozen=True)
class IndicatorChart:
    """The drawing and its rows."""

    svg: Markup
    rows: list[ChartRow]


def _n(x: float) -> str:
    """A coordinate to one decimal, without a trailing .0 (every byte counts, 10 per page)."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _labelled(n: int, count: int) -> bool:
    """Whether round n (from 0) gets its label on the axis: every round up to 8, else every
    other one and the last (a phone's width holds no more; the table has every round)."""
    return count <= 8 or n % 2 == 0 or n == count - 1


def _shown(score: RoundScore | None) -> bool:
    return score is not None and score.value is not None


def figure_text(score: RoundScore | None, k: int) -> str:
    """A round's figure with its interval, or why there is none."""
    if score is None:
        return _("not scored")
    if score.value is None:
        if score.hidden == TOO_FEW:
            return _("fewer than %(k)s answers", k=format_decimal(k))
        return _("no answers") if score.hidden == NO_ANSWERS else _("not shown")
    if score.kind == SCALE:
        value = format_decimal(score.value, format="0.0")
        ends = [format_decimal(end, format="0.0") for end in score.interval or ()]
    else:
        value = format_percent(score.value)
        ends = [format_percent(end) for end in score.interval or ()]
    if not ends:
        return value
    # Translators: a figure and its 95% interval, e.g. "42% (35%–49%)" or "6.4 (5.9–6.9)".
    return _("%(value)s (%(low)s–%(high)s)", value=value, low=ends[0], high=ends[1])


def _series_sentence(name: str, labels: Sequence[str], scores: Sequence[RoundScore | None],
                     k: int) -> str:
    """"Community members: Round 1: 42% (35%–49%); Round 2: …." for the description."""
    # Translators: one round in a chart's description, e.g. "Round 1: 42% (35%–49%)".
    figures = "; ".join(_("%(round)s: %(figure)s", round=label, figure=figure_text(score, k))
                        for label, score in zip(labels, scores))
    # Translators: a chart's description of one series, e.g. "Community members: Round 1: …".
    return _("%(series)s: %(figures)s.", series=name, figures=figures)


def _series_summary(name: str, labels: Sequence[str], scores: Sequence[RoundScore | None],
                    k: int) -> str:
    """"Community members: Round 1: 42% (…), Round 12: 55% (…); lowest …, highest …." for
    the description of a long series (the table on the indicator's page has every round)."""
    shown = [(label, score) for label, score in zip(labels, scores) if _shown(score)]
    if not shown:
        return _series_sentence(name, labels[-1:], scores[len(labels) - 1:len(labels)], k)
    ends = [shown[0], shown[-1]] if len(shown) > 1 else shown[:1]
    low = min(shown, key=lambda item: item[1].value)
    high = max(shown, key=lambda item: item[1].value)
    figures = "; ".join(_("%(round)s: %(figure)s", round=label, figure=figure_text(score, k))
                        for label, score in ends)
    # Translators: the end of a long chart's description, e.g. "lowest 38% (Round 3), highest
    # 60% (Round 9)".
    extremes = _("lowest %(low)s (%(low_round)s), highest %(high)s (%(high_round)s)",
                 low=_short(low[1]), low_round=low[0], high=_short(high[1]),
                 high_round=high[0])
    # Translators: a long chart's description of one series, e.g. "Community members: Round
    # 1: 42% (35%–49%); Round 12: 55% (50%–60%); lowest 38% (Round 3), highest 60% (Round 9)."
    return _("%(series)s: %(figures)s; %(extremes)s.", series=name, figures=figures,
             extremes=extremes)


def _short(score: RoundScore) -> str:
    return format_decimal(score.value, format="0.0") if score.kind == SCALE \
        else format_percent(score.value)


def indicator_chart(chart_id: str, title: str, kind: str, rounds: Sequence[str],
                    community: Sequence[RoundScore | None],
                    providers: Sequence[RoundScore | None] | None = None, k: int = 10,
                    direction: str = "ltr", ticks: Sequence[str] | None = None,
                    every_figure: bool = True, legend: bool = True) -> IndicatorChart:
    """An indicator over the rounds: community (and provider) figures with 95% intervals.

    rounds: each round's full label (description and table); ticks: the axis labels (default
    the round numbers, which fit 12 rounds on a phone); community/providers: one score per
    round (None: no figure); kind: the indicator's kind (SCALE: means 0-10, else shares);
    every_figure False: the description gives the first and latest figures and the extremes
    of each series (a page that shows a few rounds' table links to the page with them all);
    legend False: no legend inside the drawing (a page of several charts explains the marks
    once: LEGEND_TEXT).
    """
    rtl = direction == "rtl"
    count = len(rounds)
    ticks = list(ticks) if ticks is not None else [format_decimal(n + 1) for n in range(count)]
    series = [(_("Community members"), list(community), COMMUNITY_COLOUR, "", "round", 7)]
    if providers is not None:
        series.append((_("Service providers (self-assessment)"), list(providers),
                       PROVIDER_COLOUR, ' stroke-dasharray="5 3"', "square", 6))
    gaps = any(not _shown(scores[n] if n < len(scores) else None)
               for _name, scores, *_rest in series for n in range(count))
    legend_rows = len(series) + 1 + gaps if legend else 0  # series, the interval, the cross
    top = legend_rows * LEGEND_ROW + 8
    bottom = top + PLOT_HEIGHT
    height = bottom + TICKS_HEIGHT
    scale_max = 10.0 if kind == SCALE else 1.0
    # Whole px per round, so most coordinates need no decimal.
    slot = (WIDTH - AXIS - 6) // max(count, 1)

    def x(position: float) -> float:  # mirrored on right-to-left pages
        at = AXIS + position
        return WIDTH - at if rtl else at

    def y(value: float) -> float:
        return bottom - min(max(value, 0.0), scale_max) / scale_max * PLOT_HEIGHT

    describe = _series_sentence if every_figure else _series_summary
    desc = " ".join(describe(name, rounds, scores, k) for name, scores, *_r in series)
    parts = [
        Markup('<svg class="chart trend" id="{0}" role="img" aria-labelledby="{0}-t {0}-d" '
               'viewBox="0 0 {1} {2}" width="100%" direction="{3}" font-size="11">'
               '<title id="{0}-t">{4}</title>'
               '<desc id="{0}-d">{5}</desc>').format(chart_id, WIDTH, height, direction,
                                                      title, desc)]
    # The scale: three grid lines and their labels, beside the plot.
    grid = [0.0, 0.5, 1.0]
    parts.append(Markup('<path d="{0}" stroke="#c9ced4" fill="none"/>').format(
        "".join(f"M{_n(x(0))} {_n(y(g * scale_max))}H{_n(x(WIDTH - AXIS - 6))}" for g in grid)))
    parts.append(Markup('<text text-anchor="end">{0}</text>').format(Markup("").join(
        Markup('<tspan x="{0}" y="{1}">{2}</tspan>').format(
            _n(x(-4)), _n(y(g * scale_max) + 4),
            format_decimal(g * 10) if kind == SCALE else format_percent(g)) for g in grid)))
    # Every tspan of a text is one line of tokens: ticks share the text's y.
    parts.append(Markup('<text y="{0}" text-anchor="middle">{1}</text>').format(
        bottom + 14, Markup("").join(
            Markup('<tspan x="{0}">{1}</tspan>').format(_n(x((n + 0.5) * slot)), tick)
            for n, tick in enumerate(ticks[:count]) if _labelled(n, count))))
    # The series: whiskers, a line broken where a round has no figure, markers, crosses.
    shift = [0.0] if len(series) == 1 else [-OFFSET, OFFSET]
    for (name, scores, colour, dash, cap, size), aside in zip(series, shift):
        whiskers, line, dots, crosses = [], [], [], []
        joined = False
        for n in range(count):
            score = scores[n] if n < len(scores) else None
            cx = _n(x((n + 0.5) * slot + aside))
            if not _shown(score):
                crosses.append(f"M{cx} {_n(bottom)}m-3-3l6 6m0-6l-6 6")
                joined = False
                continue
            cy = _n(y(score.value))
            if score.interval is not None:
                whiskers.append(f"M{cx} {_n(y(score.interval[0]))}V{_n(y(score.interval[1]))}")
            line.append(f"{'L' if joined else 'M'}{cx} {cy}")
            dots.append(f"M{cx} {cy}h0")
            joined = True
        group = Markup('<g stroke="{0}" stroke-width="1.5" fill="none">').format(colour)
        if whiskers:
            group += Markup('<path d="{0}"/>').format("".join(whiskers))
        if line:
            group += Markup('<path d="{0}"{1}/><path d="{2}" stroke-width="{3}" '
                            'stroke-linecap="{4}"/>').format(
                "".join(line), Markup(dash), "".join(dots), size, cap)
        if crosses:
            group += Markup('<path d="{0}"/>').format("".join(crosses))
        parts.append(group + Markup("</g>"))
    if legend:
        parts.extend(_legend(series, gaps, k, x))
    parts.append(Markup("</svg>"))
    rows = []
    for n, label in enumerate(rounds):
        mine = community[n] if n < len(community) else None
        theirs = providers[n] if providers is not None and n < len(providers) else None
        rows.append(ChartRow(label, figure_text(mine, k),
                             figure_text(theirs, k) if providers is not None else None,
                             mine, theirs))
    return IndicatorChart(Markup("").join(parts), rows)


def legend_text() -> str:
    """What a chart's marks mean, said once for a page of charts drawn without legends."""
    # Translators: %(percent)s is "95%" as the language writes it.
    return _("In each chart, community members are a solid line with round dots and service "
             "providers (their self-assessment) a dashed line with squares; a vertical line is "
             "a figure's %(percent)s interval; a cross on the axis marks a round without a "
             "figure (too few answers, none, or not scored).", percent=format_percent(0.95))


def _legend(series: list, gaps: bool, k: int, x) -> list[Markup]:
    """The legend, one line each: the series (marker on its line), the interval, the cross."""
    parts = []
    sample, mark = f"M{_n(x(-AXIS + 2))} 0H{_n(x(-AXIS + 20))}", f"M{_n(x(-AXIS + 11))} 0"
    for row, (_name, _scores, colour, dash, cap, size) in enumerate(series):
        parts.append(Markup(
            '<g transform="translate(0 {0})" stroke="{1}"><path d="{2}"{3}/>'
            '<path d="{4}h0" stroke-width="{5}" stroke-linecap="{6}"/></g>').format(
            row * LEGEND_ROW + 10, colour, sample, Markup(dash), mark, size, cap))
    # Translators: legend of a chart's whiskers; %(percent)s is "95%" as the language writes it.
    extra = [(f"{mark}m0-5v10", _("%(percent)s interval", percent=format_percent(0.95)))]
    if gaps:
        extra.append((f"{mark}m-3-3l6 6m0-6l-6 6",
                      # Translators: legend of the cross marking a round without a figure.
                      _("no figure: fewer than %(k)s answers, none, or not scored",
                        k=format_decimal(k))))
    for row, (symbol, _text) in enumerate(extra, start=len(series)):
        parts.append(Markup('<path transform="translate(0 {0})" d="{1}" stroke="#4a5562" '
                            'stroke-width="1.5"/>').format(row * LEGEND_ROW + 10, symbol))
    texts = [name for name, *_r in series] + [text for _m, text in extra]
    parts.append(Markup('<text>{0}</text>').format(Markup("").join(
        Markup('<tspan x="{0}" y="{1}">{2}</tspan>').format(
            _n(x(-AXIS + 26)), row * LEGEND_ROW + 14, text) for row, text in enumerate(texts))))
    return parts
