"""Paper responses: a survey's CSV template, and a filled one read back and checked row by row.

Every row is checked with the rules of the web survey and the API (answers.check_survey):
required questions, types, constraints and skip logic; answers to questions a row's earlier
answers hide are dropped. Nothing here reads the request: bytes in, plain results out.

The template has a `language` column, then one column per answerable question (notes have
none) in survey order, and a `KEY__other` column after each choice question with "other".
A cell holds an option key, or several separated by SEPARATOR (multiple choice; ranking, most
important first), a number, a date as YYYY-MM-DD, or text.
"""
import csv
import io
from dataclasses import dataclass, field
from typing import Any, Sequence

from flask_babel import lazy_gettext as _l

from consult.surveys.answers import (
    LONG_TEXT_LIMIT,
    NOT_AN_OPTION,
    OTHER,
    OTHER_NEEDS_TEXT,
    REQUIRED,
    SHORT_TEXT_LIMIT,
    check_survey,
)
from consult.surveys.models import QuestionType

#: Between the option keys of one cell (multiple choice; ranking, most important first).
#: Spaces also separate keys that contain none, as in XLSForm's select_multiple.
SEPARATOR = "|"
#: Suffix of the column holding an "other" answer's text.
OTHER_SUFFIX = "__other"
#: Name of the language column ("_language" if a question already has that key).
LANGUAGE = "language"
#: Largest file read (bytes) and most responses in one file: keeps the preview, and the signed
#: rows it carries to the confirm step, within the request size limits.
MAX_BYTES = 1_000_000
MAX_ROWS = 5000
#: Field delimiters accepted; spreadsheets in some languages save CSV with ";".
DELIMITERS = (",", ";", "\t")

MULTIPLE = frozenset({QuestionType.MULTIPLE_CHOICE, QuestionType.RANKING})
#: Types whose "other" choice has a text column (answers._choice reads it).
OTHER_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE,
                         QuestionType.LIKERT})

EMPTY_FILE = _l("The file is empty.")
TOO_LARGE = _l("The file is larger than %(size)s. Please split it into smaller files.")
SPREADSHEET = _l("This is a spreadsheet file, not CSV. In your spreadsheet program, use "
                 "“Save as” and choose the format “CSV UTF-8”.")
NOT_UTF8 = _l("The file is not UTF-8 text. In your spreadsheet program, use “Save as” and "
              "choose the format “CSV UTF-8”.")
NOT_CSV = _l("The file cannot be read as CSV (near line %(line)s). Please save it again as "
             "“CSV UTF-8”.")
NO_ROWS = _l("The file has a header row but no responses under it.")
TOO_MANY_ROWS = _l("The file has more than %(limit)s responses. Please split it into smaller "
                   "files.")
UNKNOWN_COLUMNS = _l("Columns this survey does not have: %(columns)s. Please use the column "
                     "names of this survey's template.")
MISSING_COLUMNS = _l("Columns missing: %(columns)s. Please use this survey's template, which "
                     "has every column.")
REPEATED_COLUMNS = _l("Columns that appear more than once: %(columns)s.")
OUTSIDE_COLUMNS = _l("This row has values outside the template's columns.")
UNKNOWN_LANGUAGE = _l("This consultation is not offered in “%(value)s”. Please use one of: "
                      "%(codes)s.")
BAD_OPTION = _l("“%(value)s” is not an option of this question. Its options are: %(keys)s.")
REPEATED_OPTION = _l("An option key appears more than once.")
EMPTY_REQUIRED = _l("This question must be answered, but the cell is empty.")
EMPTY_OTHER = _l("The answer is “other”, but this cell, which says what it means, is empty.")

#: What to write in a question's column, by type (shown on the explanation page).
HOW_TO_ANSWER = {
    QuestionType.SINGLE_CHOICE: _l("One option key."),
    QuestionType.LIKERT: _l("One option key."),
    QuestionType.MULTIPLE_CHOICE: _l("One or more option keys, separated by “%(separator)s”."),
    QuestionType.RANKING: _l("Option keys in order of preference, the most important first, "
                             "separated by “%(separator)s”."),
    QuestionType.NUMBER: _l("A number, like 12 or 3.5."),
    QuestionType.SCALE: _l("A whole number from 0 to 10."),
    QuestionType.DATE: _l("A date as year-month-day, like 2026-03-31."),
    QuestionType.SHORT_TEXT: _l("Text, up to %(limit)s characters."),
    QuestionType.LONG_TEXT: _l("Text, up to %(limit)s characters."),
}
WHOLE_NUMBER = _l("A whole number, like 12.")


class PaperFileError(ValueError):
    """A file that cannot be imported at all; .messages are its translated reasons."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = [str(m) for m in messages]


@dataclass
class PaperRow:
    """One non-blank row: what was written, and either clean values or errors."""

    number: int
    cells: list[str]
    language: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    #: (column, translated message), in column order.
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PaperCheck:
    """A whole file checked: its header, its non-blank rows, and how many blank rows it had."""

    header: list[str]
    rows: list[PaperRow]
    blank: int = 0

    @property
    def valid(self) -> list[PaperRow]:
        """Rows that can be imported."""
        return [row for row in self.rows if not row.errors]

    @property
    def invalid(self) -> list[PaperRow]:
        """Rows with at least one error."""
        return [row for row in self.rows if row.errors]


def answerable(survey) -> list:
    """Questions that take an answer (every type but notes), in survey order."""
    return [q for q in survey.questions if q.type is not QuestionType.NOTE]


def language_column(survey) -> str:
    """The language column's name: "language", unless a question has that key."""
    keys = {q.key for q in survey.questions}
    return LANGUAGE if LANGUAGE not in keys else f"_{LANGUAGE}"


def how_to_answer(question) -> str:
    """What to write in a question's column, translated."""
    if question.type is QuestionType.NUMBER and question.integer:
        return str(WHOLE_NUMBER)
    limit = LONG_TEXT_LIMIT if question.type is QuestionType.LONG_TEXT else SHORT_TEXT_LIMIT
    return str(HOW_TO_ANSWER[question.type] % {"separator": SEPARATOR, "limit": limit})


def has_other_column(question) -> bool:
    """Whether the template has a KEY__other column for this question."""
    return question.allow_other and question.type in OTHER_TYPES


def columns(survey) -> list[str]:
    """The template's header: language, then each question (and its "other" text)."""
    names = [language_column(survey)]
    for question in answerable(survey):
        names.append(question.key)
        if has_other_column(question):
            names.append(question.key + OTHER_SUFFIX)
    return names


def template_csv(survey) -> bytes:
    """The empty template: the header row, UTF-8 with a byte-order mark (so Excel reads
    every script correctly)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(columns(survey))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def size_label(limit: int) -> str:
    """A size in bytes for people, like "1 MB"."""
    return f"{limit / 1_000_000:g} MB"


def decode(raw: bytes) -> str:
    """The text of an uploaded CSV file (UTF-8, with or without BOM); PaperFileError if it is
    empty, too large, a spreadsheet or not UTF-8 text."""
    if len(raw) > MAX_BYTES:
        raise PaperFileError(TOO_LARGE % {"size": size_label(MAX_BYTES)})
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # .xlsx/.ods (zip), old .xls
        raise PaperFileError(SPREADSHEET)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, Excel's "Unicode text"
        raise PaperFileError(NOT_UTF8)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PaperFileError(NOT_UTF8) from error
    if "\x00" in text:
        raise PaperFileError(NOT_CSV % {"line": text[:text.index("\x00")].count("\n") + 1})
    if not text.strip():
        raise PaperFileError(EMPTY_FILE)
    return text


def _delimiter(text: str, known: set[str]) -> str:
    """The delimiter that splits the first line into the most known column names."""
    first = text.lstrip("\r\n").splitlines()[0]

    def score(delimiter: str) -> int:
        try:
            cells = next(csv.reader([first], delimiter=delimiter))
        except (csv.Error, StopIteration):
            return -1
        return sum(cell.strip() in known for cell in cells)

    return max(DELIMITERS, key=score)  # ties keep the first, the comma


def read_csv(raw: bytes, known: set[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(row number, cells)]) of a CSV file, rows numbered as a spreadsheet shows
    them (the header is usually row 1); PaperFileError when the file cannot be read."""
    text = decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, known))
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    filled = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if header is None:
                if any(c.strip() for c in cells):
                    header = [c.strip() for c in cells]
                continue
            records.append((number, cells))
            filled += any(c.strip() for c in cells)
            if filled > MAX_ROWS:
                raise PaperFileError(TOO_MANY_ROWS % {"limit": MAX_ROWS})
    except csv.Error as error:
        raise PaperFileError(NOT_CSV % {"line": reader.line_num}) from error
    if header is None:
        raise PaperFileError(EMPTY_FILE)
    if not filled:
        raise PaperFileError(NO_ROWS)
    return header, records


def check_header(survey, header: Sequence[str]) -> None:
    """PaperFileError listing unknown, missing and repeated columns, if any.

    Every question column must be there (a missing one usually means another survey's or an
    older template); the language and "other" columns may be left out. Unnamed columns are
    ignored as long as they stay empty.
    """
    expected = columns(survey)
    named = [name for name in header if name]
    problems = []
    unknown = [name for name in dict.fromkeys(named) if name not in expected]
    if unknown:
        problems.append(UNKNOWN_COLUMNS % {"columns": ", ".join(unknown)})
    missing = [q.key for q in answerable(survey) if q.key not in named]
    if missing:
        problems.append(MISSING_COLUMNS % {"columns": ", ".join(missing)})
    repeated = [name for name in dict.fromkeys(named) if named.count(name) > 1]
    if repeated:
        problems.append(REPEATED_COLUMNS % {"columns": ", ".join(repeated)})
    if problems:
        raise PaperFileError(*problems)


def split_keys(cell: str, keys: set[str]) -> list[str]:
    """Option keys of a cell: separated by SEPARATOR, or by spaces when keys have none."""
    found: list[str] = []
    for part in (p.strip() for p in cell.split(SEPARATOR)):
        if part in keys or OTHER == part or not part:
            found.extend([part] if part else [])
        else:
            found.extend(part.split())
    return found


def check_row(survey, header: Sequence[str], number: int, cells: Sequence[str],
              languages: Sequence[str], default_language: str,
              message_language: str) -> PaperRow | None:
    """One row checked as the web and the API check a response; None for a blank row.

    Error messages are in the current locale; constraint messages in message_language.
    """
    row = PaperRow(number, list(cells))
    named: dict[str, str] = {}
    for position, cell in enumerate(cells):
        text = cell.strip()
        if not text:
            continue
        name = header[position] if position < len(header) else ""
        if name:
            named[name] = text
        elif not row.errors:
            row.errors.append(("", str(OUTSIDE_COLUMNS)))
    questions = {q.key: q for q in answerable(survey)}
    answers: dict[str, Any] = {}
    for key, text in named.items():
        question = questions.get(key)
        if question is not None:
            answers[key] = (split_keys(text, {o.key for o in question.options})
                            if question.type in MULTIPLE else text)
    others = {key: named[key + OTHER_SUFFIX] for key in questions
              if key + OTHER_SUFFIX in named}
    if not answers and not others and not row.errors:
        return None  # blank, or only a language: nothing was answered
    language_name = language_column(survey)
    row.language = named.get(language_name, "").lower() or default_language
    if row.language not in languages:
        row.errors.append((language_name, str(UNKNOWN_LANGUAGE % {
            "value": named[language_name], "codes": ", ".join(languages)})))
    values, texts, errors = check_survey(survey.pages, answers, others, message_language)
    order = {name: position for position, name in enumerate(header)}
    for key in sorted(errors, key=lambda k: order.get(k, len(order))):
        row.errors.append(_paper_error(questions[key], answers.get(key), errors[key]))
    if not row.errors:
        row.values, row.texts = values, texts
    return row


def _paper_error(question, value, message: str) -> tuple[str, str]:
    """(column, message) of an answer checker's error, made specific for a spreadsheet."""
    if message == str(NOT_AN_OPTION) and value is not None:
        keys = [o.key for o in question.options] + ([OTHER] if question.allow_other else [])
        chosen = value if isinstance(value, list) else [value]
        wrong = [v for v in chosen if v not in keys]
        if not wrong:
            return question.key, str(REPEATED_OPTION)
        return question.key, str(BAD_OPTION % {"value": wrong[0], "keys": ", ".join(keys)})
    if message == str(REQUIRED):
        return question.key, str(EMPTY_REQUIRED)
    if message == str(OTHER_NEEDS_TEXT):
        return question.key + OTHER_SUFFIX, str(EMPTY_OTHER)
    return question.key, message


def check_records(survey, header: Sequence[str], records: Sequence[tuple[int, list[str]]],
                  languages: Sequence[str], default_language: str,
                  message_language: str) -> PaperCheck:
    """Rows already read (e.g. carried over from the preview) checked again, blanks counted."""
    result = PaperCheck(list(header), [])
    for number, cells in records:
        row = check_row(survey, header, number, cells, languages, default_language,
                        message_language)
        if row is None:
            result.blank += 1
        else:
            result.rows.append(row)
    return result


def check_file(survey, raw: bytes, languages: Sequence[str], default_language: str,
               message_language: str) -> PaperCheck:
    """A whole uploaded file read and checked; PaperFileError if it cannot be imported at all."""
    header, records = read_csv(raw, set(columns(survey)))
    check_header(survey, header)
    return check_records(survey, header, records, languages, default_language,
                         message_language)
