"""A round's open data: the published summary of a consultation as tables and a data package.

The tables are made from the very summary the public results page shows (services.summary_for,
planner=False: no quote, no free text, never an answer), frozen figures included once the raw
data is deleted (services.published_counts), so a hidden cell on the page is a suppressed row
here, with its reason, and a perturbed count is the same perturbed count.
"""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from consult import fragments
from consult.consultations.models import Consultation
from consult.summaries.breakdowns import Breakdown
from consult.summaries.document import ALGORITHMS, PERTURBATION
from consult.summaries.figures import HIDDEN, SMALL, Figure
from consult.summaries.open_data import (
    COMPLEMENTARY,
    PERTURBED,
    PUBLISHED,
    SUPPRESSED,
    WITHHELD,
    Field,
    Package,
    Table,
    build_package,
    status_fields,
)
from consult.summaries.open_data import SMALL as SMALL_REASON
from consult.summaries.report import Summary
from consult.summaries.services import Meta, summary_for
from consult.summaries.tally import ANSWERED, NO_ANSWER, OTHER
from consult.surveys.models import Survey
from consult.surveys.services import get_survey

#: The columns of a published figure: its count, share and interval, status and reason.
FIGURE_FIELDS = (
    Field("count", "integer", "The number of respondents (empty when suppressed)."),
    Field("share", "number", "The count as a share (0 to 1) of its base; empty when the "
          "count or its base is not published."),
    Field("share_base", "string", "What the share is of: answered (those who answered the "
          "question; in a breakdown, those of the group who answered) or respondents.",
          ("answered", "respondents")),
    Field("interval_low", "number", "Lower end of the share's 95% Wilson score interval."),
    Field("interval_high", "number", "Upper end of the share's 95% Wilson score interval."),
    *status_fields(),
)


def status(item: Figure, perturbed: bool, withheld: bool = False) -> tuple[str, str | None]:
    """(status, reason) of a published figure: suppressed cells always say why."""
    if item.count is None:
        if item.hidden == SMALL:
            return SUPPRESSED, SMALL_REASON
        return SUPPRESSED, WITHHELD if withheld else COMPLEMENTARY
    # The cell-key method never moves a zero (no record, no key): it is published as it is.
    return (PERTURBED if perturbed and item.count else PUBLISHED), None


def figure_values(item: Figure, perturbed: bool, withheld: bool = False) -> tuple:
    """The FIGURE_FIELDS values of a figure."""
    state, why = status(item, perturbed, withheld)
    if item.count is None:
        return (None, None, None, None, None, state, why)
    return (item.count, item.share, item.base if item.share is not None else None, item.low,
            item.high, state, why)


def _totals(summary: Summary, perturbed: bool) -> Table:
    rows = [("respondents", "all", *figure_values(summary.respondents, perturbed))]
    rows += [("language", key, *figure_values(f, perturbed)) for key, f in summary.languages]
    rows += [("channel", key, *figure_values(f, perturbed)) for key, f in summary.channels]
    return Table("totals", "Respondents, by language and by channel",
                 "Submitted responses counted: all of them, then by language and by channel.",
                 (Field("group", "string", "respondents, language or channel",
                        ("respondents", "language", "channel"), True),
                  Field("key", "string", "all, a language code (BCP 47) or a channel",
                        required=True),
                  *FIGURE_FIELDS), ("group", "key"), tuple(rows))


class _Labels:
    """Questions' and options' labels in the consultation's default language."""

    def __init__(self, survey: Survey, language: str) -> None:
        self.language = language
        self.questions = {q.key: q for q in survey.questions}
        with force_locale(language):  # the words of the special categories, once
            self.special = {OTHER: _("Other"), NO_ANSWER: _("No answer"),
                            ANSWERED: _("Answered")}

    def question(self, key: str) -> str:
        question = self.questions.get(key)
        return question.text("label", self.language).text if question is not None else key

    def option(self, question_key: str, key: str) -> str:
        if key in self.special:
            return str(self.special[key])
        question = self.questions.get(question_key)
        option = next((o for o in question.options if o.key == key), None) \
            if question is not None else None
        return option.text("label", self.language).text if option is not None else key


def _questions(summary: Summary, labels: _Labels, perturbed: bool) -> Table:
    rows = []
    for position, item in enumerate(summary.questions, start=1):
        answered, skipped = (figure_values(f, perturbed) for f in (item.answered, item.skipped))
        rows.append((item.info.key, position, item.info.type, labels.question(item.info.key),
                     answered[0], *answered[5:], skipped[0], *skipped[5:]))
    return Table("questions", "Questions", "Each summarised question: how many answered it "
                 "and how many did not.",
                 (Field("question_key", "string", "The question's stable key.", required=True),
                  Field("position", "integer", "Its place in the survey.", required=True),
                  Field("type", "string", "The question's type.", required=True),
                  Field("label", "string", "The question in the consultation's default "
                        "language."),
                  Field("answered", "integer", "Respondents who answered it."),
                  *status_fields("answered_"),
                  Field("skipped", "integer", "Respondents who did not answer it."),
                  *status_fields("skipped_")), ("question_key",), tuple(rows))


def _answers(summary: Summary, labels: _Labels, perturbed: bool) -> Table:
    rows = tuple((item.info.key, key, labels.option(item.info.key, key),
                  *figure_values(f, perturbed))
                 for item in summary.questions for key, f in item.categories)
    return Table("answers", "Answers to each question",
                 "One row per question and answer category (option, scale point, first "
                 "choice of a ranking, or answered for free-text questions, whose text is "
                 "never published).",
                 (Field("question_key", "string", "The question's stable key.", required=True),
                  Field("option_key", "string", "The answer category's stable key.",
                        required=True),
                  Field("label", "string", "The category in the consultation's default "
                        "language."),
                  *FIGURE_FIELDS), ("question_key", "option_key"), rows)


def _breakdown_rows(question_key: str, table: Breakdown, perturbed: bool):
    dimension = table.dimension
    for r, (group, _size) in enumerate(table.rows):
        for column, cell in zip(table.columns, table.cells[r]):
            yield (question_key, dimension.kind, dimension.key, group, column,
                   *figure_values(cell, perturbed, table.withheld and cell.hidden == HIDDEN))


def _breakdowns(summary: Summary, perturbed: bool) -> Table:
    rows = tuple(row for item in summary.questions for table in item.breakdowns
                 for row in _breakdown_rows(item.info.key, table, perturbed))
    return Table("breakdowns", "Answers by group",
                 "Each question split by language, by channel and by each segment question: "
                 "one row per cell (group x answer category), protected with its margins.",
                 (Field("question_key", "string", "The question's stable key.", required=True),
                  Field("by_kind", "string", "What splits the respondents.",
                        ("language", "channel", "segment"), True),
                  Field("by_key", "string", "language, channel, or the segment question's key.",
                        required=True),
                  Field("group_key", "string", "The group: a language code, a channel, or the "
                        "segment question's answer (no_answer: those who skipped it).",
                        required=True),
                  Field("option_key", "string", "The answer category (no_answer: the group's "
                        "respondents who skipped the question).", required=True),
                  *FIGURE_FIELDS),
                 ("question_key", "by_kind", "by_key", "group_key", "option_key"), rows)


def round_tables(survey: Survey, summary: Summary, meta: Meta, language: str) -> list[Table]:
    """The published summary as tables: totals, questions, answers, breakdowns."""
    labels = _Labels(survey, language)
    return [_totals(summary, meta.perturbed), _questions(summary, labels, meta.perturbed),
            _answers(summary, labels, meta.perturbed), _breakdowns(summary, meta.perturbed)]


def round_properties(consultation: Consultation, summary: Summary, meta: Meta) -> dict:
    """What the package says of the round besides its tables. No time at all, not even the
    day of publication (retention.py may record it later than it was, for results published
    before it kept the day): the bytes change only when the published figures, their
    labels or licence do."""
    suppression = summary.suppression
    return {
        "round": {
            "consultation": consultation.slug,
            "k": summary.k, "languages": consultation.languages,
            "default_language": consultation.default_language,
            "suppressed": {"small": suppression.small,
                           "complementary": suppression.complementary,
                           "withheld_tables": suppression.withheld_tables},
            "algorithms": {**ALGORITHMS, **({"perturbation": PERTURBATION}
                                            if meta.perturbed else {})},
            "perturbation": meta.perturbation,
        },
        "description": "Published aggregates of a consultation's survey: never an individual "
                       "answer, never free text. Every count carries a status; suppressed "
                       "counts are empty and say why.",
    }


def _build(consultation: Consultation, survey: Survey, summary: Summary, meta: Meta) -> Package:
    language = consultation.default_language
    return build_package(
        consultation.slug, consultation.text("title", language).text,
        consultation.data_licence, round_tables(survey, summary, meta, language),
        round_properties(consultation, summary, meta))


def round_package(consultation: Consultation) -> Package | None:
    """The round's data package as published (None without a survey), kept per data
    fingerprint (its revision: texts, k, licence, state; its tallies; frozen or not)."""
    survey = get_survey(consultation)
    if survey is None:
        return None
    summary, meta = summary_for(consultation, survey, planner=False)
    perturbed = bool(current_app.config.get("CELL_KEY_PERTURBATION", True))
    (package,) = fragments.cached(
        ("open-data", consultation.id, meta.fingerprint, perturbed),
        lambda: (_build(consultation, survey, summary, meta),))
    return package
