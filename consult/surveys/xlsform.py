"""Read an XLSForm workbook (.xlsx) into plain survey specifications and an import report."""
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from consult.surveys.xlsform_expressions import (
    PendingConditions,
    range_bounds,
    resolve_conditions,
)
from consult.surveys.xlsform_sheets import (
    N_,
    SHEETS,
    LanguageColumns,
    Message,
    ReportItem,
    XLSFormError,
    language_code,
    load_sheets,
    read_settings,
    split_header,
)

QUESTION_TYPES = ("single_choice", "multiple_choice", "likert", "scale", "number", "short_text",
                  "long_text", "ranking", "note", "date")
SIMPLE_TYPES = {"integer": "number", "int": "number", "decimal": "number", "text": "short_text",
                "date": "date", "note": "note", "range": "number"}
CHOICE_KINDS = {"select_one": "single_choice", "select_multiple": "multiple_choice",
                "rank": "ranking"}
METADATA = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
            "username", "email", "audit", "start-geopoint"}
_WHY_NOT: dict[Message, tuple[str, ...]] = {
    N_("a calculation, not a question; Consult does not compute values"): ("calculate",),
    N_("locations are not collected"): ("geopoint", "geotrace", "geoshape"),
    N_("files and media are not collected"): ("image", "audio", "video", "file",
                                              "background-audio"),
    N_("barcodes are not supported"): ("barcode",),
    N_("acknowledgements are not supported"): ("acknowledge",),
    N_("hidden values are not supported"): ("hidden",),
    N_("time and date-time answers are not supported"): ("time", "datetime"),
    N_("options from an external file are not supported"): (
        "select_one_from_file", "select_multiple_from_file", "select_one_external"),
    N_("external data is not supported"): ("xml-external", "csv-external"),
}
UNSUPPORTED = {kind: why for why, kinds in _WHY_NOT.items() for kind in kinds}
METADATA_MESSAGE = N_("not collected: Consult stores no device or time data")
#: Report messages about a group or a repeat, by kind.
NEVER_CLOSED = {"group": N_("this group is never closed; it ends with the sheet"),
                "repeat": N_("this repeat is never closed; it ends with the sheet")}
END_WITHOUT_BEGIN = {"group": N_("an end group without its begin group, ignored"),
                     "repeat": N_("an end repeat without its begin repeat, ignored")}
TRUE_VALUES = {"yes", "true", "true()", "1"}
FALSE_VALUES = {"", "no", "false", "false()", "0"}
MEDIA = ("image", "audio", "video", "big-image", "media")
@dataclass
class ParsedOption:
    """One option of a choice list: its key and label per language code."""

    key: str
    labels: dict[str, str]


@dataclass
class ParsedQuestion:
    """One imported question, with conditions already in Consult's format."""

    key: str
    type: str
    labels: dict[str, str]
    hints: dict[str, str]
    required: bool
    options: list[ParsedOption]
    allow_other: bool
    integer: bool | None
    show_if: dict | None
    constraint: dict | None
    constraint_messages: dict[str, str]
    row: int


@dataclass
class ParsedPage:
    """A page: an XLSForm group, or a run of questions outside any group."""

    key: str
    labels: dict[str, str]
    questions: list[ParsedQuestion]


@dataclass
class ParsedForm:
    """A whole form: settings, pages, and what could not come across unchanged."""

    title: str | None
    form_id: str | None
    default_language: str
    languages: list[str]
    pages: list[ParsedPage]
    not_imported: list[ReportItem] = field(default_factory=list)
    notes: list[ReportItem] = field(default_factory=list)


def parse_xlsform(path_or_file: str | Path | IO[bytes]) -> ParsedForm:
    """Read an XLSForm .xlsx into pages of questions and a report; XLSFormError if unreadable."""
    sheets = load_sheets(path_or_file)
    headers, rows = sheets["survey"]
    columns = {split_header(h)[0] for h in headers}
    if not {"type", "name"} <= columns:
        raise XLSFormError(N_("the survey sheet has no 'type' and 'name' columns"))
    settings = read_settings(sheets.get("settings"))
    not_imported: list[ReportItem] = []
    notes: list[ReportItem] = []
    default = None
    if settings.get("default_language"):
        default = language_code(settings["default_language"])
        if default is None:  # its texts would be filed under a guessed language: refuse
            raise XLSFormError(N_(
                "the settings sheet's default_language %(language)s is not a language Consult "
                "knows; write it as a name and code, such as 'English (en)'",
                language=repr(settings["default_language"][:40])))
    choice_headers = sheets.get("choices", ([], []))[0]
    languages = LanguageColumns(default, [("survey", h) for h in headers]
                           + [("choices", h) for h in choice_headers], not_imported)
    choices = _choice_lists(sheets.get("choices"), languages, not_imported)
    pages = _Walk(choices, languages, not_imported, notes).run(rows)
    for items in (not_imported, notes):  # conditions are reported last; show them in row order
        items.sort(key=lambda item: (SHEETS.index(item.sheet), item.row or 0))
    return ParsedForm(settings.get("form_title") or None, settings.get("form_id") or None,
                      languages.default, languages.ordered(), pages, not_imported, notes)


def _plain_fields(cells: dict[str, str]) -> dict[str, str]:
    """The row's untranslated columns by folded name (type, name, required...)."""
    out: dict[str, str] = {}
    for header, value in cells.items():
        base, language = split_header(header)
        if language is None:
            out.setdefault(base, value)
    return out


def _choice_lists(sheet, languages: LanguageColumns,
                  report: list[ReportItem]) -> dict[str, list[ParsedOption]]:
    """Options by list name, from the choices sheet ("list_name" or "list name" header)."""
    lists: dict[str, list[ParsedOption]] = {}
    for number, cells in (sheet[1] if sheet else []):
        fields = _plain_fields(cells)
        list_name, key = fields.get("list_name", ""), fields.get("name", "")
        if not list_name or not key:
            report.append(ReportItem("choices", number, key or list_name, N_(
                "an option needs both a list_name and a name")))
            continue
        options = lists.setdefault(list_name, [])
        if any(option.key == key for option in options):
            report.append(ReportItem("choices", number, key, N_(
                "the option name is used twice in the list %(list)s", list=repr(list_name))))
            continue
        # An option with an image but no text still needs something people can read.
        options.append(ParsedOption(key, languages.texts(cells, "label")
                                    or {languages.default: key}))
    return lists


def _split_type(text: str) -> tuple[str, list[str]]:
    """("select_one", ["yes_no", "or_other"]) for "select one  yes_no or_other"."""
    words = text.split()
    if not words:
        return "", []
    if len(words) > 1:
        joined = f"{words[0]}_{words[1]}".lower()
        if joined.startswith(("select_", "begin_", "end_")) and joined != "end_":
            if not joined.startswith("select_") or joined in CHOICE_KINDS or \
                    joined in UNSUPPORTED:
                return joined, words[2:]
    head = words[0].lower()
    return head.removeprefix("uri:"), words[1:]


class _Walk:
    """One pass over the survey rows: groups become pages, repeats and the rest are reported."""

    def __init__(self, choices, languages: LanguageColumns, not_imported: list[ReportItem],
                 notes: list[ReportItem]):
        self.choices, self.languages = choices, languages
        self.not_imported, self.notes = not_imported, notes
        self.stack: list[tuple[str, str, int, str]] = []  # (kind, name, row, relevant)
        self.pages: list[tuple[ParsedPage, int | None]] = []  # (page, row of its group)
        self.loose: ParsedPage | None = None
        self.pending: list[PendingConditions] = []
        self.rows: dict[str, int] = {}

    def drop(self, row: int, name: str, message: Message) -> None:
        self.not_imported.append(ReportItem("survey", row, name, message))

    def note(self, row: int | None, name: str, message: Message) -> None:
        self.notes.append(ReportItem("survey", row, name, message))

    def run(self, rows: list[tuple[int, dict[str, str]]]) -> list[ParsedPage]:
        for number, cells in rows:
            self.row(number, cells, _plain_fields(cells))
        for kind, name, row, _ in self.stack:
            self.note(row, name, NEVER_CLOSED[kind])
        resolve_conditions(self.pending, self.drop, self.note)
        return self.finish()

    def repeat(self) -> str | None:
        return next((name for kind, name, _, _ in self.stack if kind == "repeat"), None)

    def row(self, number: int, cells: dict[str, str], fields: dict[str, str]) -> None:
        head, args = _split_type(fields.get("type", ""))
        name = fields.get("name", "")
        repeat = self.repeat()
        if head.startswith("end_"):
            kind = "repeat" if head in ("end_repeat", "end_loop") else "group"
            if self.stack and self.stack[-1][0] == kind:
                self.stack.pop()
            else:
                self.note(number, name, END_WITHOUT_BEGIN[kind])
            return
        if repeat is not None:
            self.drop(number, name or head, N_("inside the repeat %(repeat)s, which is not "
                                               "imported", repeat=repr(repeat)))
        elif head in ("begin_repeat", "begin_loop"):
            self.drop(number, name, N_("repeats (questions asked several times over) are not "
                                       "supported: the repeat and every question inside it "
                                       "are not imported"))
        elif head == "begin_group":
            self.begin_group(number, name, cells)
        if head in ("begin_repeat", "begin_loop", "begin_group"):
            kind = "group" if head == "begin_group" else "repeat"
            self.stack.append((kind, name, number, fields.get("relevant", "")))
        elif repeat is None:
            self.question(number, head, args, name, cells, fields)

    def begin_group(self, number: int, name: str, cells: dict[str, str]) -> None:
        outer = next((n for kind, n, _, _ in self.stack if kind == "group"), None)
        if outer is not None:
            self.note(number, name, N_("a group inside the group %(outer)s: its questions "
                                       "are placed on the page of %(outer)s",
                                       outer=repr(outer)))
            return
        self.pages.append((ParsedPage(name, self.languages.texts(cells, "label"), []), number))
        self.loose = None

    def page(self) -> ParsedPage:
        if any(kind == "group" for kind, *_ in self.stack):
            return self.pages[-1][0]
        if self.loose is None:  # consecutive questions outside groups share one page
            self.loose = ParsedPage("", {}, [])
            self.pages.append((self.loose, None))
        return self.loose

    def question(self, number: int, head: str, args: list[str], name: str,
                 cells: dict[str, str], fields: dict[str, str]) -> None:
        labels = self.languages.texts(cells, "label")
        if not head:
            if name or labels:
                self.drop(number, name, N_("the row has no type"))
            return
        if head in METADATA:
            return self.drop(number, name or head, METADATA_MESSAGE)
        if head in UNSUPPORTED:
            return self.drop(number, name or head, N_("%(type)s: %(reason)s", type=head,
                                                      reason=UNSUPPORTED[head]))
        if head not in CHOICE_KINDS and head not in SIMPLE_TYPES:
            return self.drop(number, name or head, N_("unknown question type %(type)s",
                                                      type=repr(head)))
        if not name:
            return self.drop(number, head, N_("the question has no name"))
        if name in self.rows:
            return self.drop(number, name, N_("the name is already used on row %(row)s",
                                              row=self.rows[name]))
        if head == "note" and not labels:
            return self.drop(number, name, N_("a note without text (media are not imported)"))
        qtype, integer, options, allow_other, bounds = SIMPLE_TYPES.get(head), None, [], False, None
        appearance = fields.get("appearance", "")
        if head in CHOICE_KINDS:
            if not args or args[0] not in self.choices:
                listed = args[0] if args else ""
                return self.drop(number, name, N_("the choice list %(list)s is not in the "
                                                  "choices sheet", list=repr(listed)))
            qtype, options = CHOICE_KINDS[head], self.choices[args[0]]
            allow_other = "or_other" in args[1:]
            if allow_other:
                self.note(number, name, N_("or_other: an 'Other' answer with free text is "
                                           "offered"))
        elif head == "range":
            ranged = range_bounds(fields.get("parameters", ""))
            if ranged is None:
                return self.drop(number, name, N_("the range parameters cannot be read: "
                                                  "%(parameters)s",
                                                  parameters=repr(fields.get("parameters"))))
            qtype, integer, bounds, message = ranged
            self.note(number, name, message)
        elif head in ("integer", "int", "decimal"):
            integer = head != "decimal"
        elif head == "text" and "multiline" in appearance.lower():
            qtype = "long_text"
        self.report_ignored(number, name, head, cells, fields)
        required = self.required(number, name, fields.get("required", ""))
        question = ParsedQuestion(
            name, qtype, labels, self.languages.texts(cells, "hint"),
            required and qtype != "note", list(options), allow_other, integer, None, None,
            self.languages.texts(cells, "constraint_message"), number)
        if not labels:
            self.note(number, name, N_("the question has no label"))
        self.rows[name] = number
        self.page().questions.append(question)
        groups = [(row, n, relevant) for kind, n, row, relevant in self.stack
                  if kind == "group" and relevant]
        self.pending.append(PendingConditions(question, fields.get("relevant", ""),
                                              fields.get("constraint", ""), groups, bounds))

    def required(self, number: int, name: str, value: str) -> bool:
        if value.lower() in TRUE_VALUES | FALSE_VALUES:
            return value.lower() in TRUE_VALUES
        self.note(number, name, N_("required only when %(value)s: imported as optional",
                                   value=repr(value)))
        return False

    def report_ignored(self, number: int, name: str, head: str, cells: dict[str, str],
                       fields: dict[str, str]) -> None:
        """Notes for the parts of a row that are dropped while the question is kept."""
        if fields.get("choice_filter"):
            self.note(number, name, N_("choice_filter %(filter)s ignored: every option is "
                                       "shown", filter=repr(fields["choice_filter"])))
        if fields.get("default"):
            self.note(number, name, N_("the default answer %(default)s is not kept",
                                       default=repr(fields["default"])))
        if fields.get("appearance", "").startswith("ex:"):
            self.note(number, name, N_("the external app it launches is not supported; "
                                       "imported as a plain question"))
        if any(split_header(h)[0] == "required_message" and v for h, v in cells.items()):
            self.note(number, name, N_("the custom required message is not kept"))
        if any(split_header(h)[0] in MEDIA and v for h, v in cells.items()):
            self.note(number, name, N_("images, audio and video are not imported"))

    def finish(self) -> list[ParsedPage]:
        """Pages that hold questions, each with a unique key (page-N outside groups)."""
        kept, used = [], set()
        for page, row in self.pages:
            if not page.questions:
                self.drop(row, page.key, N_("none of the group's questions could be imported, "
                                            "so it makes no page"))
                continue
            kept.append(page)
        for number, page in enumerate(kept, start=1):
            key, suffix = page.key or f"page-{number}", 1
            while key in used:
                suffix += 1
                key = f"{page.key or 'page'}-{number}-{suffix}"
            page.key = key
            used.add(key)
        return kept
