"""The summary's pre-aggregated counts (see tallies_store.py): tally rows and, per survey,
the state that serialises their upkeep."""
from sqlalchemy import ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db

#: Kinds of tally row, one per kind of aggregate in queries.Aggregates.
HEADLINE, CELL, MULTI, SEGMENT_CELL, SEGMENT_MULTI = "h", "c", "m", "s", "t"


class SurveyTally(db.Model):
    """A count of submitted responses (or answer rows) with one combination of keys.

    Rows are appended by each fold (negative counts undo a changed response) and summed on
    reading; compaction merges them now and then. The columns a kind does not use are NULL:
    headline (language, channel); cell (language, channel, question, option, rank, number);
    multi (language, channel, question); segment cell (segment question and option, question,
    option, rank, number); segment multi (segment question and option, question).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(String(1))
    language: Mapped[str | None] = mapped_column(String(12))
    channel: Mapped[str | None] = mapped_column(String(24))
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"))
    segment_option: Mapped[str | None] = mapped_column(String(80))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"))
    option_key: Mapped[str | None] = mapped_column(String(80))
    rank: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[float | None] = mapped_column(Numeric(18, 6, asdecimal=False))
    n: Mapped[int] = mapped_column(Integer)
    #: Sum of the counted records' cell keys (negative in undo rows): the cell key of a
    #: published count is this summed over its rows, modulo 256 (analysis/cell_key.py).
    key_sum: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SurveyTallyState(db.Model):
    """Per survey: the segment and multiple-choice questions the tallies were made for, a
    revision bumped by every change to them (the summary's cache key), and how many rows
    were appended since the last compaction. Its row is the lock every fold takes."""

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           primary_key=True)
    #: "segments;multiple choice" question ids, e.g. "3,4;7".
    shape: Mapped[str] = mapped_column(String(2000), default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    appended: Mapped[int] = mapped_column(Integer, default=0)
