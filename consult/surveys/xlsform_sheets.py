"""Reading an XLSForm workbook: sheets, columns, cells, languages; errors and report items."""
import datetime
import posixpath
import re
import zipfile
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from babel import Locale, UnknownLocaleError, localedata

ALIASES = {"list name": "list_name", "constraintmsg": "constraint_message",
           "requiredmsg": "required_message", "constraint message": "constraint_message",
           "required message": "required_message", "choice filter": "choice_filter"}
TRANSLATED = ("label", "hint", "constraint_message", "required_message")
SHEETS = ("settings", "survey", "choices")
EMPTY_ROWS_TO_STOP = 50  # sheets may claim a million formatted but blank rows
#: An .xlsx is a zip archive: a small upload can unpack to gigabytes (a "zip bomb"). Real
#: XLSForms unpack to a few megabytes at most.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
#: Most filled rows read from one sheet (as paper import's 5,000 responses): real forms have a
#: few hundred; a larger sheet is refused as soon as its row 5,001 is met, before the rest is
#: read, so a huge file cannot hold a worker past its timeout.
MAX_ROWS = 5000
#: Longest language code stored (the language columns of translated texts hold 12).
LANGUAGE_CODE_LENGTH = 12


class Message(str):
    """A report message: English text (as the CLI prints it) that keeps its template and
    values, so a page can show it in the reader's language."""

    template: str
    params: dict

    def __new__(cls, template: str, **params) -> "Message":
        text = template % {k: str(v) for k, v in params.items()} if params else template
        message = super().__new__(cls, text)
        message.template, message.params = template, params
        return message


def N_(template: str, **params) -> Message:
    """A report message, marked for the catalog and translated where it is shown."""
    return Message(template, **params)


class XLSFormError(ValueError):
    """The file cannot be read as an XLSForm at all; the message (args[0]) says why."""


def too_many_rows(sheet: str) -> XLSFormError:
    """The refusal of a sheet past MAX_ROWS filled rows."""
    return XLSFormError(N_("the %(sheet)s sheet has more than %(limit)s rows; split the form or "
                           "shorten its lists", sheet=sheet, limit=MAX_ROWS))


@dataclass
class ReportItem:
    """One line of the import report: where, what, and why."""

    sheet: str
    row: int | None
    name: str
    message: str


@cache
def _language_names() -> dict[str, str]:
    """English language names, lower-cased, to the two/three-letter codes Babel has data for."""
    codes = {c for c in localedata.locale_identifiers() if "_" not in c and 2 <= len(c) <= 3}
    # One locale's name table, rather than parsing every locale: the same names, 40x faster.
    names = {name.lower(): code for code, name in sorted(Locale("en").languages.items())
             if code in codes}
    names.update({code: code for code in codes})
    return names


def language_code(text: str) -> str | None:
    """The code for "Swahili (sw)", "english", "en" or "Chinese"; None when unknown."""
    text = text.strip()
    match = re.search(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\s*\)\s*$", text)
    if match:
        return _known_code(match.group(1))
    if text.lower() in _language_names():
        return _language_names()[text.lower()]
    return _known_code(text) if re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)+", text) else None


@lru_cache(maxsize=1024)  # bounded: the codes come from uploaded files, any number of them
def _known_code(code: str) -> str | None:
    """Babel's spelling of a written code ("pt-BR" is "pt_BR"), or None when Babel does not
    know the language: texts are stored, labelled and formatted under this code, in columns
    of LANGUAGE_CODE_LENGTH characters."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):
        return None
    # Babel drops parts it does not know ("en-ZZZ" is en) and maps some codes to another
    # language ("und" is en_US): neither is what the form says.
    spelled = str(locale)
    if spelled.lower() != code.replace("-", "_").lower():
        return None
    return spelled if len(spelled) <= LANGUAGE_CODE_LENGTH else None


def _cell(value: Any) -> str:
    """A cell as text the way pyxform reads it: 2022.0 is "2022", a boolean is "TRUE"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value).strip()


def _read_sheet(name: str, sheet) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(raw headers, [(row number, {header: text})]), stopping at a long run of blank rows;
    XLSFormError past MAX_ROWS filled rows."""
    rows = sheet.iter_rows(values_only=True)
    headers: list[str] = []
    number = 0
    for number, values in enumerate(rows, start=1):
        headers = [_cell(v) for v in values]
        if any(headers):
            break
    while headers and not headers[-1]:
        headers.pop()
    out, blank = [], 0
    for number, values in enumerate(rows, start=number + 1):
        cells = {h: _cell(v) for h, v in zip(headers, values) if h}
        if not any(cells.values()):
            blank += 1
            if blank >= EMPTY_ROWS_TO_STOP:
                break
            continue
        blank = 0
        out.append((number, cells))
        if len(out) > MAX_ROWS:  # the archive check counts the same way; this is the backstop
            raise too_many_rows(name)
    return headers, out


def split_header(header: str) -> tuple[str, str | None]:
    """("label", "Swahili (sw)") for "label::Swahili (sw)"; names are case- and space-folded."""
    base, _, language = header.partition("::")
    base = " ".join(base.split()).lower()
    base = ALIASES.get(base, base).replace(" ", "_")
    return base, (language.strip() or None)


def load_sheets(path_or_file: str | Path | IO[bytes]) -> dict[str, tuple[list, list]]:
    """Every sheet we use, read in full, or XLSFormError."""
    import openpyxl  # heavy; only the import needs it

    _refuse_zip_bomb(path_or_file)
    _refuse_long_sheets(path_or_file)
    try:
        workbook = openpyxl.load_workbook(path_or_file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not .xlsx
        raise XLSFormError(N_("not a readable .xlsx workbook (%(detail)s)",
                              detail=f"{error.__class__.__name__}: {error}")) from error
    try:
        sheets = {name.strip().lower(): workbook[name] for name in workbook.sheetnames}
        if "survey" not in sheets:
            raise XLSFormError(N_("the workbook has no 'survey' sheet"))
        return {name: _read_sheet(name, sheets[name]) for name in SHEETS if name in sheets}
    except XLSFormError:
        raise
    except Exception as error:
        raise XLSFormError(N_("the workbook could not be read (%(detail)s)",
                              detail=str(error))) from error
    finally:
        workbook.close()  # read-only workbooks keep the file open until closed


def _refuse_zip_bomb(path_or_file: str | Path | IO[bytes]) -> None:
    """XLSFormError when the archive would unpack to more than MAX_UNPACKED_BYTES, judged from
    its directory before anything is decompressed."""
    try:
        with zipfile.ZipFile(path_or_file) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: openpyxl says the file is unreadable, in the usual words
    finally:
        if hasattr(path_or_file, "seek"):
            path_or_file.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise XLSFormError(N_("the workbook unpacks to more than %(size)s MB, far more than a "
                              "survey needs", size=MAX_UNPACKED_BYTES // (1024 * 1024)))


class LanguageColumns:
    """Resolves translated columns to language codes and records the order met."""

    def __init__(self, default: str | None, headers: list[tuple[str, str]],
                 report: list[ReportItem]):
        self.codes: dict[str, str | None] = {}
        self.seen: list[str] = []
        for sheet, header in headers:
            base, language = split_header(header)
            if base in TRANSLATED and language and language not in self.codes:
                self.codes[language] = code = language_code(language)
                if code is None:
                    report.append(ReportItem(sheet, 1, header, N_(
                        "texts in %(language)s are not imported: unknown language (write it "
                        "as 'Name (code)')", language=repr(language))))
                elif code not in self.seen:
                    self.seen.append(code)
        self.default = default or (self.seen[0] if self.seen else "en")

    def texts(self, cells: dict[str, str], base: str) -> dict[str, str]:
        """{language code: text} of one translated field in a row."""
        out: dict[str, str] = {}
        plain = ""
        for header, value in cells.items():
            name, language = split_header(header)
            if name != base or not value:
                continue
            if language is None:
                plain = value
            elif self.codes.get(language):
                out[self.codes[language]] = value
        if plain:  # an untranslated column is in the default language
            out.setdefault(self.default, plain)
        return out

    def ordered(self) -> list[str]:
        """Language codes, the default first, then in the order the columns name them."""
        return [self.default] + [code for code in self.seen if code != self.default]


def read_settings(sheet) -> dict[str, str]:
    """The settings sheet's first row as {column: value} (form_title, default_language...)."""
    if not sheet or not sheet[1]:
        return {}
    return {split_header(k)[0]: v for k, v in sheet[1][0][1].items()}


def _refuse_long_sheets(path_or_file: str | Path | IO[bytes]) -> None:
    """XLSFormError naming the first sheet past MAX_ROWS filled rows, found by streaming each
    sheet's XML and stopping there: openpyxl, even read-only, reads a whole sheet to size it
    when the file states no dimension, which a crafted 120,000-row file does not."""
    try:
        with zipfile.ZipFile(path_or_file) as archive:
            for name, member in _sheet_members(archive).items():
                with archive.open(member) as xml:
                    if _filled_rows(xml, MAX_ROWS + 1) > MAX_ROWS + 1:  # + 1: the header
                        raise too_many_rows(name)
    except XLSFormError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        return  # not a readable workbook: openpyxl says so, in the usual words
    finally:
        if hasattr(path_or_file, "seek"):
            path_or_file.seek(0)


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: path of its XML in the archive}, from the workbook and its relations."""
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in relations}
    out = {}
    for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter():
        if sheet.tag.endswith("}sheet"):
            relation = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = targets.get(relation, "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            if path in archive.namelist():
                out[sheet.get("name", path).strip().lower()] = path
    return out


def _filled_rows(xml: IO[bytes], limit: int) -> int:
    """Rows holding at least one value, counted up to limit + 1 (then reading stops)."""
    filled, row_filled = 0, False
    for _, element in ElementTree.iterparse(xml, events=("end",)):
        tag = element.tag.rpartition("}")[2]
        if tag in ("v", "t") and element.text:
            row_filled = True
        elif tag == "row":
            filled += row_filled
            row_filled = False
            element.clear()  # keep memory flat however long the sheet
            if filled > limit:
                break
    return filled
