"""`consult import-polis` on damaged or crafted folders: one line naming the file and the row,
exit status 1, nothing saved; duplicate ids refused, empty statements listed in the report.

Built from the 15-per-hour-seattle conversation in tests/data/polis. Data was gathered using
the Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with
Attribution to The Computational Democracy Project.
"""
import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from consult.comments.models import Comment, Vote
from consult.consultations.models import Consultation
from consult.extensions import db

SEATTLE = Path(__file__).resolve().parents[1] / "data" / "polis" / "15-per-hour-seattle"


def _folder(tmp_path: Path, votes_file: str = "participants-votes.csv") -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    for name in ("comments.csv", "summary.csv", votes_file):
        shutil.copy(SEATTLE / name, folder / name)
    return folder


def _edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _append(path: Path, line: str) -> None:
    _edit(path, lambda text: text + line + "\n")


def _replace_cell(path: Path, row: int, column: int, value: str) -> None:
    """Set one cell (rows from 1, the header included) and write the file back as CSV."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[row - 1][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _damage(name: str, folder: Path) -> None:
    comments, matrix = folder / "comments.csv", folder / "participants-votes.csv"
    log = folder / "votes.csv"
    match name:
        case "empty_participants_votes":
            matrix.write_text("")
        case "short_row":
            _append(matrix, "999,0,1")
        case "short_comment_row":
            _append(comments, "1403067224363")
        case "inf_vote":
            _replace_cell(matrix, 3, 7, "inf")
        case "nan_vote":
            _replace_cell(matrix, 3, 7, "nan")
        case "inf_vote_in_votes_csv":
            _append(log, "1403054214196,x,0,0,inf")
        case "huge_field":
            _append(comments, '1,x,999,1,0,0,1,"' + "x" * (csv.field_size_limit() + 1) + '"')
        case "folder_for_comments":
            comments.unlink()
            comments.mkdir()
        case "folder_for_participants_votes":
            matrix.unlink()
            matrix.mkdir()
        case "device_for_comments":
            comments.unlink()
            comments.symlink_to("/dev/zero")
        case "nul_in_a_statement":
            _replace_cell(comments, 3, 7, "a statement\x00with a NUL")
        case "nul_in_a_vote":
            _replace_cell(matrix, 3, 7, "1\x00")
        case "over_long_participant_id":
            _replace_cell(matrix, 3, 0, "9" * 300)
        case "over_long_comment_id":
            _replace_cell(comments, 3, 2, "7" * 300)
        case "over_long_comment_column":
            _replace_cell(matrix, 1, 7, "7" * 300)
        case "duplicate_comment_id":
            _edit(comments, lambda text: text + text.splitlines()[1] + "\n")
        case "timestamp_not_a_number":
            _append(log, "soon,x,0,0,1")
        case "timestamp_past_python_int_digits":  # int() refuses over 4,300 digits
            _append(log, "9" * 5000 + ",x,0,0,1")
        case "not_utf8":
            comments.write_bytes(comments.read_bytes() + b"1,x,999,1,0,0,1,caf\xe9\n")


#: (damage, file named, row named, words of the reason, file holding the votes)
CASES = [
    ("empty_participants_votes", "participants-votes.csv", None, "empty", None),
    ("short_row", "participants-votes.csv", "row 341", "3 fields", None),
    ("short_comment_row", "comments.csv", "row 56", "1 fields", None),
    ("inf_vote", "participants-votes.csv", "row 3", "'inf' is not 1, -1 or 0", None),
    ("nan_vote", "participants-votes.csv", "row 3", "'nan' is not 1, -1 or 0", None),
    ("inf_vote_in_votes_csv", "votes.csv", "row 2997", "'inf'", "votes.csv"),
    ("huge_field", "comments.csv", "row 56", "field limit", None),
    ("folder_for_comments", "comments.csv", None, "a folder, not a file", None),
    ("folder_for_participants_votes", "participants-votes.csv", None, "a folder", None),
    ("device_for_comments", "comments.csv", None, "not a regular file", None),
    ("nul_in_a_statement", "comments.csv", "row 3", "NUL", None),
    ("nul_in_a_vote", "participants-votes.csv", "row 3", "NUL", None),
    ("over_long_participant_id", "participants-votes.csv", "row 3", "not an id", None),
    ("over_long_comment_id", "comments.csv", "row 3", "not an id", None),
    ("over_long_comment_column", "participants-votes.csv", "row 1", "not an id", None),
    ("duplicate_comment_id", "comments.csv", "row 56", "already on row 2", None),
    ("timestamp_not_a_number", "votes.csv", "row 2997", "timestamp", "votes.csv"),
    ("timestamp_past_python_int_digits", "votes.csv", "row 2997", "timestamp", "votes.csv"),
    ("not_utf8", "comments.csv", "line 71", "not UTF-8", None),
]


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.mark.parametrize(("damage", "file", "row", "reason", "votes_file"), CASES,
                         ids=[case[0] for case in CASES])
def test_a_malformed_polis_folder_is_refused_in_one_line_and_saves_nothing(
        app, make_org, tmp_path, damage, file, row, reason, votes_file):
    make_org()
    folder = _folder(tmp_path, votes_file or "participants-votes.csv")
    _damage(damage, folder)
    result = app.test_cli_runner().invoke(args=["consult", "import-polis", str(folder)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a traceback
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: not a Pol.is export"), result.output
    assert file in lines[0] and reason in lines[0]
    assert row is None or f"{row}:" in lines[0]
    assert "x" * 100 not in lines[0]  # a huge or crafted value is not echoed back in full
    db.session.rollback()
    assert (_count(Consultation), _count(Comment), _count(Vote)) == (0, 0, 0)


def test_a_statement_without_text_is_skipped_and_named_in_the_report(app, make_org, tmp_path):
    make_org()
    folder = _folder(tmp_path)
    _append(folder / "comments.csv", "1403067224363,x,999,215,0,0,1,  ")
    result = app.test_cli_runner().invoke(args=["consult", "import-polis", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Skipped statement 999 (comments.csv row 56): no text." in result.output
    assert db.session.scalar(db.select(Comment).filter_by(external_id="999")) is None
    assert _count(Comment) == 54


def test_an_over_long_slug_is_refused_before_anything_is_saved(app, make_org, tmp_path):
    make_org()
    result = app.test_cli_runner().invoke(
        args=["consult", "import-polis", str(_folder(tmp_path)), "--slug", "a" * 500])
    assert result.exit_code == 1 and "is not a slug" in result.output
    assert _count(Consultation) == 0
