"""Bar charts as inline SVG, drawn on the server: no JavaScript, no chart library.

Widths are percentages of the chart, so one drawing fits a 360 px phone, a desktop and a
printed page; text keeps its size. Right-to-left pages get the mirror image (bars grow from
the right, labels start on the right). Each chart is an image with a title and a description
(role="img"); the page shows the same figures in a table beside it. A hidden count is drawn
as a short hatched stub with its reason instead of a bar.
"""
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from consult.summaries.figures import SMALL, Figure

ROW = 40  # px per bar: a line of label, then the bar
BAR = 14
LONGEST = 72  # % of the width the longest bar takes; the rest holds its value
STUB = 6  # % width of the hatched stub of a hidden count
LABEL_CHARACTERS = 44  # labels are cut (with …) to fit a phone; the table has them whole


def hidden_text(item: Figure, k: int) -> str:
    """What a hidden count reads as."""
    if item.hidden == SMALL:
        return _("fewer than %(k)s", k=format_decimal(k))
    return _("hidden")


def value_text(item: Figure, k: int) -> str:
    """A bar's value: share and count, the count alone, or why it is hidden."""
    if item.count is None:
        return hidden_text(item, k)
    if item.share is not None:
        return _("%(share)s (%(count)s)", share=format_percent(item.share),
                 count=format_decimal(item.count))
    return format_decimal(item.count)


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[:LABEL_CHARACTERS - 1] + "…"


def bar_chart(chart_id: str, title: str, bars: list[tuple[str, Figure]], k: int,
              direction: str = "ltr") -> Markup:
    """An SVG bar chart of labelled figures (shares when they have them, else counts)."""
    rtl = direction == "rtl"
    by_share = any(f.share is not None for _, f in bars)
    largest = max([f.count or 0 for _, f in bars] + [1])

    def x(percent: float) -> str:  # mirrored on right-to-left pages
        return f"{100 - percent if rtl else percent:.2f}%"

    parts = [
        Markup('<svg class="chart" id="{0}" role="img" aria-labelledby="{0}-title {0}-desc" '
               'width="100%" height="{1}" direction="{2}" xmlns="http://www.w3.org/2000/svg">'
               ).format(chart_id, ROW * len(bars) + 4, direction),
        Markup('<title id="{0}-title">{1}</title><desc id="{0}-desc">{2}</desc>').format(
            chart_id, title, "; ".join(f"{label}: {value_text(f, k)}" for label, f in bars)),
        Markup('<defs><pattern id="{0}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
               ' patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-ground" '
               'fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" class="hatch-line" '
               'stroke="#4a5562" stroke-width="2"/></pattern></defs>').format(chart_id),
    ]
    for n, (label, item) in enumerate(bars):
        top = ROW * n
        parts.append(Markup('<text class="label" x="{0}" y="{1}">{2}</text>').format(
            x(0.3), top + 14, _cut(label)))
        if item.count is None:
            width, fill, css = STUB, f"url(#{chart_id}-hatch)", "stub"
        else:
            share = item.share if by_share and item.share is not None else item.count / largest
            width, fill, css = LONGEST * share, "#0b5cad", "bar"
        start = 100 - width if rtl else 0
        parts.append(Markup('<rect class="{0}" x="{1:.2f}%" y="{2}" width="{3:.2f}%" '
                            'height="{4}" fill="{5}" stroke="#4a5562" stroke-width="{6}"/>'
                            ).format(css, start, top + 20, max(width, 0.4), BAR, fill,
                                     1 if item.count is None else 0))
        parts.append(Markup('<text class="value" x="{0}" dx="{1}" y="{2}">{3}</text>').format(
            x(width), -6 if rtl else 6, top + 32, value_text(item, k)))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)

