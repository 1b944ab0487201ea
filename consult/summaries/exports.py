"""Responses exported for planners, streamed: CSV (a header row, then one row per counted
response) or JSON (an array of one object per response). Memory stays constant: rows are read
from a server-side cursor in batches and written out one response at a time.

While the consultation is open, an export holds the responses of past days only (see _plan).

Columns: response (an opaque id, see opaque_id), language, channel, submitted_on (a day),
then one column per question key (notes have none), plus KEY__other for choice questions that
take an "other" text. Values are option keys, or labels in a chosen language. In CSV a
multiple choice or a ranking is its options joined by SEPARATOR (ranking: first ranked
first); in JSON it is a list. Text that a spreadsheet would run as a formula starts with an
apostrophe in CSV.

A planner's download streams these; past EXPORT_INLINE_MAX_RESPONSES the worker writes the same
bytes (file_chunks) into a stored file instead (export_jobs.py).
"""
import csv
import datetime as dt
import io
import itertools
import json
from dataclasses import dataclass
from typing import Iterator

from consult.consultations.lifecycle import State
from consult.security import keyed_hash
from consult.summaries import queries
from consult.surveys.models import Question, QuestionType, Survey

#: Between the options of a multiple choice or ranking answer in CSV (as on paper forms).
SEPARATOR = "|"
OTHER_SUFFIX = "__other"
FIXED_COLUMNS = ["response", "language", "channel", "submitted_on"]
#: First characters that make spreadsheets evaluate a cell (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MULTI_TYPES = (QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING)


def _questions(survey: Survey) -> list[Question]:
    return [q for q in survey.questions if q.type is not QuestionType.NOTE]


def columns(survey: Survey) -> list[str]:
    """The header row."""
    names = list(FIXED_COLUMNS)
    for question in _questions(survey):
        names.append(question.key)
        if question.allow_other:
            names.append(question.key + OTHER_SUFFIX)
    return names


def _option_labels(survey: Survey, language: str | None) -> dict[tuple[int, str], str]:
    """(question id, option key) -> what the export writes for that option."""
    return {(q.id, o.key): o.text("label", language).text if language else o.key
            for q in survey.questions for o in q.options}


@dataclass(frozen=True)
class _Plan:
    """What writing an export needs from the survey, as plain data read before streaming.

    The body streams after the view has returned, when its database session is gone and the
    survey's ORM objects are detached: nothing may lazy-load then (DetachedInstanceError).
    """

    survey_id: int
    #: While the consultation is open: only responses submitted before this day (see _plan).
    submitted_before: dt.date | None
    columns: list[str]
    keys: dict[int, str]
    multi: set[int]
    position: dict[tuple[int, str], int]
    labels: dict[tuple[int, str], str]


def _plan(survey: Survey, language: str | None) -> _Plan:
    """Read everything the export needs from the ORM now.

    While the consultation is open, today's responses wait for tomorrow's export: someone
    exporting again and again would otherwise see each response arrive, and learn its time
    of day. Whole past days tell no more than the submitted_on column already does.
    """
    questions = _questions(survey)
    before = dt.date.today() if survey.consultation.effective_state is State.OPEN else None
    return _Plan(survey.id, before, columns(survey), {q.id: q.key for q in questions},
                 {q.id for q in questions if q.type in MULTI_TYPES},
                 {(q.id, o.key): o.position for q in survey.questions for o in q.options},
                 _option_labels(survey, language))


def opaque_id(response_id: int) -> str:
    """The id an export shows for a response: a keyed hash of its database id, stable from
    one export to the next but neither sequential nor reversible, so polling the export
    while the consultation is open does not time each response."""
    return keyed_hash(str(response_id), "export-response")[:20]


def _records(plan: _Plan) -> Iterator[dict]:
    """One dict per counted response: fixed columns, then values by question key (lists for
    multiple choice and ranking)."""
    keys, multi, position, labels = plan.keys, plan.multi, plan.position, plan.labels
    rows = queries.response_rows(plan.survey_id, submitted_before=plan.submitted_before)
    for response_id, answers in itertools.groupby(rows, key=lambda row: row[0]):
        first = next(answers)
        day = first[3]
        record = {"response": opaque_id(response_id), "language": first[1],
                  "channel": first[2], "submitted_on": day.isoformat() if day else None}
        picked: dict[int, list] = {}
        for *_, question_id, option, rank, number, text in itertools.chain((first,), answers):
            key = keys.get(question_id)
            if key is None:
                continue
            if option is not None:
                order = rank if rank is not None else position.get((question_id, option), 0)
                picked.setdefault(question_id, []).append(
                    (order, labels.get((question_id, option), option)))
                if text:
                    record[key + OTHER_SUFFIX] = text
            elif number is not None:
                record[key] = int(number) if float(number).is_integer() else number
            else:
                record[key] = text
        for question_id, chosen in picked.items():
            chosen.sort(key=lambda pair: pair[0])
            values = [value for _, value in chosen]
            record[keys[question_id]] = values if question_id in multi else values[0]
        yield record


def csv_cell(value) -> str:
    """A value as a CSV cell a spreadsheet will not run as a formula (the audit log's CSV
    uses it too)."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = SEPARATOR.join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def csv_lines(survey: Survey, language: str | None = None) -> Iterator[str]:
    """The CSV export, line by line (the header first); the survey is read at once."""
    return _csv_lines(_plan(survey, language))


def _csv_lines(plan: _Plan) -> Iterator[str]:
    names = plan.columns
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(names)
    for record in _records(plan):
        yield line(csv_cell(record.get(name)) for name in names)


def json_chunks(survey: Survey, language: str | None = None) -> Iterator[str]:
    """The JSON export: an array written one response at a time; the survey is read at once."""
    return _json_chunks(_plan(survey, language))


def _json_chunks(plan: _Plan) -> Iterator[str]:
    names = plan.columns[len(FIXED_COLUMNS):]
    yield "["
    for n, record in enumerate(_records(plan)):
        answers = {name: record[name] for name in names if name in record}
        head = {name: record[name] for name in FIXED_COLUMNS}
        yield ("," if n else "") + "\n" + json.dumps({**head, "answers": answers},
                                                     ensure_ascii=False)
    yield "\n]\n"


def plan(survey: Survey, language: str | None = None) -> _Plan:
    """What an export of this survey needs, read now (for a background export)."""
    return _plan(survey, language)


def file_chunks(export: _Plan, kind: str) -> Iterator[tuple[str, int]]:
    """The export file as it is downloaded (CSV starting with a byte-order mark, which tells
    spreadsheet programs it is UTF-8), in pieces, each with the responses written so far."""
    if kind == "csv":
        lines = _csv_lines(export)
        yield "\ufeff" + next(lines), 0
        for written, line in enumerate(lines, start=1):
            yield line, written
        return
    written = 0
    for chunk in _json_chunks(export):
        written += chunk.startswith(("\n{", ",\n{"))
        yield chunk, written
