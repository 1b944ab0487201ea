"""The summary as a JSON document: the API's /summary, `flask consult summary`, the same for
both (the planner's adds free-text quotes). Keys, not labels, identify everything; labels
come in every language the consultation has."""
from consult.consultations.models import Consultation
from consult.summaries.breakdowns import Breakdown
from consult.summaries.figures import Figure
from consult.summaries.report import QuestionSummary, Summary
from consult.summaries.services import Meta
from consult.surveys.models import Survey

#: Version strings of the methods, so a reader can tell which rules made the figures.
ALGORITHMS = {
    "disclosure": "consult-sdc/2: counts 1..k-1 hidden, complementary cells hidden until a "
                  "linear-programming audit gives every hidden count, and every sum of a "
                  "row's or column's hidden cells, a feasible range at least k wide (a sum "
                  "may also be 0 or k and more), else the table is withheld; breakdown "
                  "margins fixed by the one-way tables",
    "intervals": "wilson-95/1: Wilson score interval, 95%",
    "quantiles": "type-7/1: linear interpolation (Hyndman & Fan type 7)",
    "ranking": "borda/1: m - rank points per ranking, and the mean rank",
    "likert": "top-two/1: agreeing = the top two points of five",
}
#: The perturbation's version string, when it is on.
PERTURBATION = ("cell-key/1: each record has a random key 0..255; a count moves by the "
                "p-table's change at (count, sum of its records' keys mod 256), -2..+2 with "
                "mean 0 and variance 1, never below k; shares, means and rankings are made "
                "from the perturbed counts")


def figure_json(item: Figure) -> dict:
    """A figure without its empty fields."""
    out: dict = {"count": item.count}
    if item.hidden:
        out["hidden"] = item.hidden
    if item.share is not None:
        out.update(share=round(item.share, 6), interval=[round(item.low, 6),
                                                         round(item.high, 6)], base=item.base)
    return out


def _labels(item, field: str = "label") -> dict[str, str]:
    return item.texts_for(field) if item is not None else {}


def _breakdown_json(table: Breakdown) -> dict:
    dimension = table.dimension
    return {
        "by": {"kind": dimension.kind, "key": dimension.key},
        "columns": list(table.columns),
        "withheld": table.withheld,
        "rows": [{"key": key, **figure_json(size),
                  "cells": [figure_json(cell) for cell in table.cells[n]],
                  **({"median": table.medians[n]} if table.medians else {})}
                 for n, (key, size) in enumerate(table.rows)],
    }


def _question_json(item: QuestionSummary, question, planner: bool) -> dict:
    options = {o.key: o for o in question.options} if question is not None else {}
    out = {
        "key": item.info.key, "type": item.info.type, "labels": _labels(question),
        "answered": figure_json(item.answered), "skipped": figure_json(item.skipped),
        "categories": [{"key": key, "labels": _labels(options.get(key)), **figure_json(f)}
                       for key, f in item.categories],
        "notes": list(item.notes),
        "breakdowns": [_breakdown_json(b) for b in item.breakdowns],
    }
    if item.likert is not None:
        agreeing = item.likert["agreeing"]
        out["likert"] = {"mean": item.likert["mean"],
                         "agreeing": figure_json(agreeing) if agreeing else None}
    if item.numbers is not None:
        out["numbers"] = dict(item.numbers)
    if item.ranking is not None:
        out["ranking"] = [dict(row) for row in item.ranking]
    if planner:
        out["quotes"] = list(item.quotes)
    return out


def summary_document(consultation: Consultation, survey: Survey | None,
                     summary: Summary | None, meta: Meta | None, planner: bool) -> dict:
    """The whole document; summary None when the consultation has no survey."""
    head = {"consultation": consultation.slug, "state": consultation.state.value,
            "audience": "planner" if planner else "public", "k": consultation.min_cell_size}
    if summary is None or survey is None:
        return {**head, "survey": None}
    questions = {q.key: q for q in survey.questions}
    suppression = summary.suppression
    return {
        **head,
        "generated_at": meta.generated_at,
        "data_hash": meta.data_hash,
        "respondents": figure_json(summary.respondents),
        "languages": [{"key": key, **figure_json(f)} for key, f in summary.languages],
        "channels": [{"key": key, **figure_json(f)} for key, f in summary.channels],
        "questions": [_question_json(q, questions.get(q.info.key), planner)
                      for q in summary.questions],
        "methods": {
            "suppressed": {"small": suppression.small,
                           "complementary": suppression.complementary,
                           "withheld_tables": suppression.withheld_tables,
                           "statistics": suppression.statistics},
            "algorithms": {**ALGORITHMS, **({"perturbation": PERTURBATION}
                                            if meta.perturbed else {})},
            "perturbation": meta.perturbation,
            "data_hash": "HMAC-SHA-256 of every count read, keyed with the server's secret",
        },
    }
