"""Reading a Pol.is export folder (comments.csv, votes.csv or participants-votes.csv,
summary.csv): plain data, no database. Formats: ../shared/data/SOURCES.md."""
import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

#: Pol.is vote signs (in exports, 1 is agree).
AGREE, DISAGREE, PASS = 1, -1, 0
#: Pol.is moderation values: 1 accepted, 0 not yet moderated, -1 rejected.
MODERATION_STATES = {"1": "published", "0": "pending", "-1": "rejected"}


class PolisFormatError(ValueError):
    """The folder is not a Pol.is export we can read; the message says why."""


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
class PolisVotes:
    """The latest vote of each (participant, statement) pair."""

    votes: dict[tuple[str, str], int]
    #: Which file they came from.
    source: str
    #: Rows read (votes.csv holds every vote ever cast, replaced ones included).
    rows: int


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def read_summary(folder: Path) -> dict[str, str]:
    """summary.csv as {key: value} (empty when absent)."""
    path = folder / "summary.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}


def _day(timestamp: str) -> dt.date | None:
    try:
        return dt.datetime.fromtimestamp(int(timestamp) / 1000, dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        return None


def read_comments(folder: Path) -> list[PolisComment]:
    """The statements of comments.csv, in file order."""
    path = folder / "comments.csv"
    if not path.exists():
        raise PolisFormatError(f"{path} is missing")
    rows = _rows(path)
    needed = {"comment-id", "author-id", "moderated", "comment-body"}
    if rows and not needed <= set(rows[0]):
        raise PolisFormatError(f"{path} lacks the columns {sorted(needed - set(rows[0]))}")
    comments = []
    for row in rows:
        state = MODERATION_STATES.get(row["moderated"].strip())
        if state is None:
            raise PolisFormatError(f"comment {row['comment-id']}: moderated is "
                                   f"{row['moderated']!r}, not 1, 0 or -1")
        comments.append(PolisComment(
            comment_id=row["comment-id"].strip(), author_id=row["author-id"].strip(),
            body=row["comment-body"], state=state, created_on=_day(row.get("timestamp", "")),
            is_meta=row.get("is-meta", "").strip().lower() == "true"))
    return comments


def read_votes(folder: Path) -> PolisVotes:
    """votes.csv (latest row per pair wins), or participants-votes.csv when it is absent."""
    log = folder / "votes.csv"
    if log.exists():
        latest: dict[tuple[str, str], tuple[int, int]] = {}
        rows = _rows(log)
        # In time order, so pairs are kept in the order of their first vote: the order in
        # which Pol.is saw participants and statements arrive, which its maths follows.
        rows.sort(key=lambda row: int(row["timestamp"]))
        for row in rows:
            pair = (row["voter-id"].strip(), row["comment-id"].strip())
            stamp = int(row["timestamp"])
            # Equal timestamps: the later row wins.
            if pair not in latest or stamp >= latest[pair][0]:
                latest[pair] = (stamp, _sign(row["vote"]))
        return PolisVotes({pair: vote for pair, (_, vote) in latest.items()}, log.name,
                          len(rows))
    matrix = folder / "participants-votes.csv"
    if not matrix.exists():
        raise PolisFormatError(f"{folder} has neither votes.csv nor participants-votes.csv")
    with matrix.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if "n-disagree" not in header:
            raise PolisFormatError(f"{matrix} has no n-disagree column")
        first = header.index("n-disagree") + 1
        votes, count = {}, 0
        for row in reader:
            count += 1
            for column in range(first, min(len(header), len(row))):
                if row[column].strip():
                    votes[(row[0].strip(), header[column].strip())] = _sign(row[column])
    return PolisVotes(votes, matrix.name, count)


def _sign(value: str) -> int:
    sign = int(float(value))
    if sign not in (AGREE, DISAGREE, PASS):
        raise PolisFormatError(f"a vote of {value!r} is not 1, -1 or 0")
    return sign
