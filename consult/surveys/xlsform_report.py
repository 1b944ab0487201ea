"""The XLSForm import report in the reader's language, for the upload page."""
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext

from consult.consultations.models import Consultation
from consult.surveys.conditions_text import TYPE_LABELS
from consult.surveys.models import QuestionType
from consult.surveys.services import later_references
from consult.surveys.xlsform import ParsedForm
from consult.surveys.xlsform_sheets import Message, ReportItem


def translate(message) -> str:
    """A parser message in the reader's language (values, and messages within, filled in)."""
    if not isinstance(message, Message):
        return str(message)
    values = {name: translate(value) for name, value in message.params.items()}
    return gettext(message.template, **values)


@dataclass
class Item:
    """One line of the report: where in the file, which name, and why."""

    sheet: str
    row: int | None
    name: str
    message: str


@dataclass
class Report:
    """What a form brings (or brought) into a consultation's survey, and what it leaves out."""

    replaced: bool
    pages: int
    questions: int
    #: (type label, count), most frequent first.
    types: list[tuple[str, int]]
    languages: list[str]
    default_language: str
    #: Languages of the form the consultation does not offer: their texts are kept, not shown.
    not_offered: list[str]
    #: Questions whose condition reads a later question: it is dropped.
    dropped_conditions: list[str]
    notes: list[Item] = field(default_factory=list)
    not_imported: list[Item] = field(default_factory=list)


def _items(items: list[ReportItem]) -> list[Item]:
    return [Item(i.sheet, i.row, i.name, translate(i.message)) for i in items]


def build_report(form: ParsedForm, consultation: Consultation, replaced: bool) -> Report:
    """The report of a parsed form for this consultation (before or after replacing)."""
    questions = [q for page in form.pages for q in page.questions]
    counts = Counter(q.type for q in questions)
    return Report(
        replaced, len(form.pages), len(questions),
        [(str(TYPE_LABELS[QuestionType(kind)]), n) for kind, n in counts.most_common()],
        list(form.languages), form.default_language,
        [code for code in form.languages if code not in consultation.languages],
        later_references(form.pages), _items(form.notes), _items(form.not_imported))


def file_error(error: Exception) -> str:
    """Why a file cannot be read at all, for the form field."""
    message = error.args[0] if error.args else None
    if not isinstance(message, Message) or "detail" in message.params:
        return gettext("This file is not an Excel workbook (.xlsx), or it is damaged. Save the "
                       "form from your spreadsheet program as .xlsx and try again.")
    return gettext("This file cannot be used as an XLSForm: %(reason)s.",
                   reason=translate(message))
