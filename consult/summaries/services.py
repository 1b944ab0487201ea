"""A consultation's summary: read the counts (queries.py), protect them (report.py), and keep
the result per process until the data changes.

The cache key is a cheap fingerprint (the survey's tallies token, see tallies_store.py: their
revision and the responses waiting to be folded in; the consultation's revision and k), read
on every view without writing; any new, changed or removed response changes it, so a cached
summary is never stale. The counts are kept once for both readers;
the protected summary is kept per reader (public, planner).

With CELL_KEY_PERTURBATION on (the default), every count reaches the summary with its cell
key and a floor of k, so the published figures are perturbed (analysis/cell_key.py) after
disclosure control; off, the counts are plain and published as they are.
"""
import datetime as dt
import json
from dataclasses import dataclass, replace

from flask import current_app

from consult import fragments
from consult.analysis.cell_key import CellCount, parameters, with_floor
from consult.consultations import retention
from consult.consultations.models import Consultation
from consult.security import keyed_hash
from consult.summaries import queries
from consult.summaries.report import Summary, build_summary
from consult.summaries.tally import QuestionInfo, tally
from consult.surveys.models import Channel, QuestionType, Survey

#: Free-text answers shown per question on the planner report.
QUOTES_PER_QUESTION = 5


@dataclass(frozen=True)
class Meta:
    """When and from what data a summary was made (the methods box)."""

    #: UTC time the counts were read, to the minute.
    generated_at: str
    #: Keyed SHA-256 (HMAC) of every count read: equal for equal data; a reader cannot
    #: test guesses of hidden counts against it without the server's secret.
    data_hash: str
    fingerprint: tuple
    #: The cell-key perturbation's parameters (CELL_KEY_PERTURBATION on), else None.
    perturbation: dict | None = None

    @property
    def perturbed(self) -> bool:
        """Whether the published counts are perturbed by cell keys."""
        return self.perturbation is not None


def question_infos(survey: Survey) -> list[QuestionInfo]:
    """What the summary needs of each question, in survey order."""
    return [QuestionInfo(q.id, q.key, q.type.value, tuple(o.key for o in q.options),
                         q.allow_other, q.is_segment) for q in survey.questions]


def _shape(infos: list[QuestionInfo]) -> tuple[list[int], list[int]]:
    """(segment question ids, multiple choice question ids)."""
    return ([q.id for q in infos if q.can_segment],
            [q.id for q in infos if q.type == QuestionType.MULTIPLE_CHOICE.value])


def _read(survey: Survey, infos: list[QuestionInfo], fingerprint: tuple):
    """The counts and their Meta (one round of queries)."""
    counts = queries.aggregates(survey.id, *_shape(infos), current=True)
    canonical = json.dumps([sorted(map(repr, rows)) for rows in (
        counts.headline, counts.cells, counts.multi_answered, counts.segment_cells,
        counts.segment_multi_answered)], separators=(",", ":"))
    now = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    meta = Meta(now.isoformat().replace("+00:00", "Z"), keyed_hash(canonical, "summary-data"),
                fingerprint)
    return counts, meta


#: The fields of queries.Aggregates, in order.
AGGREGATES = ("headline", "cells", "multi_answered", "segment_cells", "segment_multi_answered")


def _as_published(counts: queries.Aggregates, k: int, perturbed: bool) -> queries.Aggregates:
    """The counts as the summary publishes them: keyed with floor k (perturbed), or plain."""
    def fix(rows):
        return tuple(row[:-1] + ((with_floor(row[-1], k) if perturbed else int(row[-1])),)
                     for row in rows)

    return replace(counts, **{name: fix(getattr(counts, name)) for name in AGGREGATES})


def published_counts(consultation: Consultation, survey: Survey,
                     infos: list[QuestionInfo] | None = None) -> tuple[queries.Aggregates, Meta]:
    """The counts the published figures are made of and their Meta: read (and kept) while
    the raw data is there, the frozen ones once its deletion began (retention.py)."""
    infos = question_infos(survey) if infos is None else infos
    if retention.is_frozen(consultation.id):
        counts, meta = fragments.cached(
            ("summary-frozen", consultation.id, consultation.revision),
            lambda: frozen_counts(retention.frozen_figures(consultation.id, "counts")))
        return counts, replace(meta, fingerprint=(consultation.revision,
                                                  consultation.min_cell_size, "frozen"))
    segments, multi = _shape(infos)
    fingerprint = (consultation.revision, consultation.min_cell_size,
                   *queries.fingerprint(survey.id, segments, multi))
    return fragments.cached(("summary", consultation.id, fingerprint, "counts"),
                            lambda: _read(survey, infos, fingerprint))


def counts_json(counts: queries.Aggregates, meta: Meta) -> dict:
    """The counts and Meta as JSON data (each count as [count, cell key]), to freeze."""
    def rows(items):
        return [[*row[:-1], [int(row[-1]), getattr(row[-1], "key", 0)]] for row in items]

    return {"aggregates": {name: rows(getattr(counts, name)) for name in AGGREGATES},
            "generated_at": meta.generated_at, "data_hash": meta.data_hash}


def frozen_counts(data: dict) -> tuple[queries.Aggregates, Meta]:
    """The counts and Meta of counts_json's data."""
    def rows(items):
        return tuple(tuple(row[:-1]) + (CellCount(*row[-1]),) for row in items)

    counts = queries.Aggregates(**{name: rows(data["aggregates"][name]) for name in AGGREGATES})
    return counts, Meta(data["generated_at"], data["data_hash"], ())


def summary_for(consultation: Consultation, survey: Survey, planner: bool
                ) -> tuple[Summary, Meta]:
    """The protected summary (with free-text quotes when planner) and its Meta."""
    infos = question_infos(survey)
    perturbed = bool(current_app.config.get("CELL_KEY_PERTURBATION", True))
    counts, meta = published_counts(consultation, survey, infos)
    key = ("summary", consultation.id, meta.fingerprint)

    def build() -> tuple:
        quotes = None
        if planner:
            texts = [q.id for q in infos if q.type in ("short_text", "long_text")]
            quotes = queries.quotes(survey.id, texts, QUOTES_PER_QUESTION)
        k = consultation.min_cell_size
        published = _as_published(counts, k, perturbed)
        summary = build_summary(infos, tally(published, infos), k, quotes,
                                consultation.languages, [c.value for c in Channel])
        return (summary,)

    (summary,) = fragments.cached(key + ("planner" if planner else "public", perturbed), build)
    return summary, replace(meta, perturbation=parameters() if perturbed else None)
