"""What the summary pages call things, in the reader's language: categories, rows,
channels, notes; and the helpers the templates use to draw charts."""
import datetime as dt

from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.i18n import current_language, language_label, text_direction
from consult.summaries.charts import bar_chart, value_text
from consult.summaries.exports import SEPARATOR
from consult.summaries.figures import Figure
from consult.summaries.report import TOO_FEW, WOULD_REVEAL, QuestionSummary
from consult.summaries.tally import ANSWERED, NO_ANSWER, OTHER

CHANNEL_LABELS = {
    "web": _l("Website"),
    # Translators: responses sent by other programs through Consult's programming interface.
    "api": _l("Programming interface (API)"),
    "paper": _l("Paper forms"),
    "sms": _l("Text messages (SMS)"),
    "ussd": _l("USSD menus"),
    "xlsform": _l("Field survey forms"),
}

NOTES = {
    TOO_FEW: _l("Statistics are not shown: fewer than %(k)s people answered, or the number "
                "who did is hidden."),
    WOULD_REVEAL: _l("Some statistics are not shown: they would let hidden counts be worked "
                     "out."),
}


def template_helpers(survey) -> dict:
    """Functions the summary templates call, bound to this survey's questions."""
    questions = {q.key: q for q in survey.questions} if survey is not None else {}
    by_id = {q.id: q for q in questions.values()}

    def label(key: str) -> str:
        question = questions.get(key)
        return question.text("label", current_language()).text if question else key

    def option_label(question_id: int, key: str) -> str:
        if key == OTHER:
            return _("Other")
        if key == NO_ANSWER:
            return _("No answer")
        if key == ANSWERED:
            return _("Answered")
        question = by_id.get(question_id)
        option = next((o for o in question.options if o.key == key), None) if question else None
        if option is not None:
            return option.text("label", current_language()).text
        return format_decimal(int(key)) if key.isdigit() else key

    def category(info, key: str) -> str:
        return option_label(info.id, key)

    def row(dimension, key: str) -> str:
        if dimension.kind == "language":
            return language_label(key)
        if dimension.kind == "channel":
            return str(CHANNEL_LABELS.get(key, key))
        return option_label(dimension.segment_id, key)

    def dimension_title(dimension) -> str:
        if dimension.kind == "language":
            return _("By language")
        if dimension.kind == "channel":
            return _("By channel")
        return _("By answer to “%(question)s”", question=label(dimension.key))

    def chart(item: QuestionSummary, k: int) -> str:
        bars = [(category(item.info, key), f) for key, f in item.categories]
        return bar_chart(f"chart-{item.info.key}", label(item.info.key), bars, k,
                         text_direction(current_language()))

    def line_chart(name: str, title: str, rows: list[tuple[str, Figure]], k: int) -> str:
        return bar_chart(f"chart-{name}", title, rows, k, text_direction(current_language()))

    def made_at(iso: str) -> str:
        return format_datetime(dt.datetime.fromisoformat(iso.replace("Z", "+00:00")), "medium")

    return {"question_label": label, "made_at": made_at, "separator": SEPARATOR,
            "category_label": category, "row_label": row, "dimension_title": dimension_title,
            "question_chart": chart,
            "line_chart": line_chart, "figure_text": value_text, "note_texts": NOTES,
            "channel_labels": CHANNEL_LABELS}
