"""Reading a Pol.is export folder (comments.csv, votes.csv or participants-votes.csv,
summary.csv): plain data, no database. Formats: tests/data/SOURCES.md.

Every problem is a PolisFormatError whose message is one line naming the file and the row
(the header is row 1, as a spreadsheet numbers it), so a folder is refused before anything
reaches the database."""
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Pol.is vote signs (in exports, 1 is agree).
AGREE, DISAGREE, PASS = 1, -1, 0
#: The vote cells Pol.is writes (pandas re-saves add ".0"); anything else, inf and nan
#: included, is refused rather than guessed.
VOTES = {"1": AGREE, "-1": DISAGREE, "0": PASS, "1.0": AGREE, "-1.0": DISAGREE, "0.0": PASS,
         "-0": PASS, "-0.0": PASS}
#: Pol.is moderation values: 1 accepted, 0 not yet moderated, -1 rejected.
MODERATION_STATES = {"1": "published", "0": "pending", "-1": "rejected"}
#: Pol.is participant and comment ids are small integers; a bound keeps them within our
#: external-id and participant-key columns (40 and 64 characters).
ID = re.compile(r"[0-9A-Za-z_.-]{1,40}")
#: Bytes that no text Pol.is writes contains (NUL and the other C0 controls but tab and
#: line breaks); the database would refuse some of them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PolisFormatError(ValueError):
    """The folder is not a Pol.is export we can read; the message says where and why."""


@dataclass(frozen=True)
class PolisComment:
    """One statement of a conversation."""

    comment_id: str
    author_id: str
    body: str
    #: "published", "pending" or "rejected"
    state: str
    created_on: dt.date | None
    is_meta: bool


@dataclass
class PolisComments:
    """The statements kept, and the rows left out (with why), for the import report."""

    statements: list[PolisComment]
    #: (row, comment id, reason) of each statement not imported.
    skipped: list[tuple[int, str, str]]


@dataclass
class PolisVotes:
    """The latest vote of each (participant, statement) pair."""

    votes: dict[tuple[str, str], int]
    #: Which file they came from.
    source: str
    #: Rows read (votes.csv holds every vote ever cast, replaced ones included).
    rows: int


def _rows(path: Path, needed: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: cell}) of each data row, or PolisFormatError naming file and row."""
    header: list[str] = []
    for number, cells in _records(path):
        if number == 1:
            header = [cell.strip() for cell in cells]
            if missing := sorted(needed - set(header)):
                raise PolisFormatError(f"{path.name}, row 1: the columns {missing} are missing")
            continue
        if len(cells) != len(header):
            raise PolisFormatError(f"{path.name}, row {number}: {len(cells)} fields where the "
                                   f"header has {len(header)}")
        yield number, dict(zip(header, cells))
    if not header:
        raise PolisFormatError(f"{path.name}: the file is empty (not even a header row)")


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The file's CSV records, numbered from 1; every read failure names the file and row."""
    if not path.is_file():  # a folder, a device or a pipe would be read forever or fail
        why = ("a folder, not a file" if path.is_dir() else
               "not a regular file" if path.exists() else "the file is missing")
        raise PolisFormatError(f"{path.name}: {why}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PolisFormatError(f"{path.name}: cannot be read ({error.strerror})") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise PolisFormatError(f"{path.name}, line {line}: not UTF-8 text") from error
    number = 0
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if any(CONTROL.search(cell) for cell in cells):
                raise PolisFormatError(f"{path.name}, row {number}: a NUL or other control "
                                       "character; this is not a CSV file Pol.is wrote")
            yield number, cells
    except csv.Error as error:  # a field past csv.field_size_limit(), a stray quote...
        raise PolisFormatError(f"{path.name}, row {number + 1}: not readable as CSV "
                               f"({error})") from error


def _id(path: Path, number: int, value: str, what: str) -> str:
    """A participant or comment id, or PolisFormatError."""
    value = value.strip()
    if not ID.fullmatch(value):
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise PolisFormatError(f"{path.name}, row {number}: {what} {shown!r} is not an id "
                               "(1 to 40 letters, digits, '.', '_' or '-')")
    return value


def _sign(path: Path, number: int, value: str) -> int:
    """A vote cell as 1, -1 or 0, or PolisFormatError."""
    sign = VOTES.get(value.strip())
    if sign is None:
        raise PolisFormatError(f"{path.name}, row {number}: a vote of {value.strip()[:20]!r} "
                               "is not 1, -1 or 0")
    return sign


def read_summary(folder: Path) -> dict[str, str]:
    """summary.csv as {key: value} (empty when absent)."""
    path = folder / "summary.csv"
    if not path.exists():
        return {}
    return {cells[0]: cells[1] for _, cells in _records(path) if len(cells) >= 2}


def _day(timestamp: str) -> dt.date | None:
    try:
        return dt.datetime.fromtimestamp(int(timestamp) / 1000, dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        return None


def read_comments(folder: Path) -> PolisComments:
    """The statements of comments.csv, in file order; a duplicate id is refused, a statement
    with no text is skipped (and listed)."""
    path = folder / "comments.csv"
    needed = {"comment-id", "author-id", "moderated", "comment-body"}
    comments: list[PolisComment] = []
    skipped: list[tuple[int, str, str]] = []
    rows: dict[str, int] = {}
    for number, row in _rows(path, needed):
        comment_id = _id(path, number, row["comment-id"], "the comment-id")
        if comment_id in rows:
            raise PolisFormatError(f"{path.name}, row {number}: the comment-id {comment_id} is "
                                   f"already on row {rows[comment_id]}")
        rows[comment_id] = number
        state = MODERATION_STATES.get(row["moderated"].strip())
        if state is None:
            raise PolisFormatError(f"{path.name}, row {number}: moderated is "
                                   f"{row['moderated'][:20]!r}, not 1, 0 or -1")
        author = _id(path, number, row["author-id"], "the author-id")
        if not row["comment-body"].strip():
            skipped.append((number, comment_id, "no text"))
            continue
        comments.append(PolisComment(
            comment_id=comment_id, author_id=author, body=row["comment-body"], state=state,
            created_on=_day(row.get("timestamp", "")),
            is_meta=row.get("is-meta", "").strip().lower() == "true"))
    return PolisComments(comments, skipped)


def read_votes(folder: Path) -> PolisVotes:
    """votes.csv (latest row per pair wins), or participants-votes.csv when it is absent."""
    log = folder / "votes.csv"
    if log.exists():
        return _vote_log(log)
    matrix = folder / "participants-votes.csv"
    if not matrix.exists():
        raise PolisFormatError(f"{folder.name} has neither votes.csv nor participants-votes.csv")
    records = _records(matrix)
    header = [cell.strip() for cell in next(records, (1, []))[1]]
    if not header:
        raise PolisFormatError(f"{matrix.name}: the file is empty (not even a header row)")
    if "n-disagree" not in header:
        raise PolisFormatError(f"{matrix.name}, row 1: there is no n-disagree column")
    first = header.index("n-disagree") + 1
    comment_ids = [_id(matrix, 1, cell, "the column") for cell in header[first:]]
    votes, count = {}, 0
    for number, row in records:
        count += 1
        if len(row) != len(header):
            raise PolisFormatError(f"{matrix.name}, row {number}: {len(row)} fields where the "
                                   f"header has {len(header)}")
        voter = _id(matrix, number, row[0], "the participant")
        for comment_id, cell in zip(comment_ids, row[first:]):
            if cell.strip():
                votes[(voter, comment_id)] = _sign(matrix, number, cell)
    return PolisVotes(votes, matrix.name, count)


def _vote_log(log: Path) -> PolisVotes:
    """votes.csv: every vote ever cast; the latest of each pair counts."""
    rows = []
    for number, row in _rows(log, {"timestamp", "voter-id", "comment-id", "vote"}):
        stamp = row["timestamp"].strip()
        # At most 20 digits: int() refuses a string past 4,300 (a ValueError, not a message).
        if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 20:
            raise PolisFormatError(f"{log.name}, row {number}: the timestamp {stamp[:20]!r} is "
                                   "not a whole number of milliseconds")
        rows.append((int(stamp), _id(log, number, row["voter-id"], "the voter-id"),
                     _id(log, number, row["comment-id"], "the comment-id"),
                     _sign(log, number, row["vote"])))
    # In time order, so pairs are kept in the order of their first vote: the order in which
    # Pol.is saw participants and statements arrive, which its maths follows. The sort is
    # stable, so of equal timestamps the later row wins.
    rows.sort(key=lambda row: row[0])
    latest = {(voter, comment_id): vote for _, voter, comment_id, vote in rows}
    return PolisVotes(latest, log.name, len(rows))
