"""`consult import-polis`: both Pol.is conversations of tests/data/polis import, and the
counts match the files (computed here independently of the importer).

Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed
under CC BY 4.0 with Attribution to The Computational Democracy Project.
"""
import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from consult.comments.models import Comment, CommentState, Vote, VoteChoice
from consult.comments.polis_import import external_id
from consult.consultations.services import get_consultation
from consult.extensions import db

POLIS = Path(__file__).resolve().parents[1] / "data" / "polis"
CONVERSATIONS = ["15-per-hour-seattle", "bg2050-volunteers"]


def _expected(folder: Path) -> dict:
    with (folder / "comments.csv").open(newline="") as handle:
        comments = list(csv.DictReader(handle))
    latest = {}
    with (folder / "votes.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            pair = (row["voter-id"], row["comment-id"])
            if pair not in latest or int(row["timestamp"]) >= latest[pair][0]:
                latest[pair] = (int(row["timestamp"]), int(row["vote"]))
    return {"statements": len(comments),
            "states": Counter({"1": "published", "0": "pending", "-1": "rejected"}[
                c["moderated"]] for c in comments),
            "participants": len({voter for voter, _ in latest}),
            "votes": {(voter, comment): vote for (voter, comment), (_, vote) in latest.items()}}


def _import(app, folder: Path, *args):
    result = app.test_cli_runner().invoke(args=["consult", "import-polis", str(folder), *args])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()


def _imported(slug: str) -> dict:
    consultation = get_consultation(slug)
    comments = list(db.session.scalars(db.select(Comment).filter_by(
        consultation_id=consultation.id)))
    by_id = {c.id: c for c in comments}
    sign = {VoteChoice.AGREE: 1, VoteChoice.DISAGREE: -1, VoteChoice.PASS: 0}
    votes = {(external_id(v.voter_key), by_id[v.comment_id].external_id): sign[v.choice]
             for v in db.session.scalars(db.select(Vote).filter_by(
                 consultation_id=consultation.id))}
    return {"comments": comments, "votes": votes, "consultation": consultation}


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_a_polis_conversation_imports_with_the_counts_of_its_files(app, make_org,
                                                                   conversation):
    make_org()
    folder = POLIS / conversation
    expected = _expected(folder)
    lines = _import(app, folder, "--slug", conversation)
    assert lines[-1] == conversation
    assert f"Imported {expected['statements']} statements" in lines[0]
    assert f"{len(expected['votes'])} votes by {expected['participants']} participants" \
        in lines[1]
    found = _imported(conversation)
    comments = found["comments"]
    assert len(comments) == expected["statements"]
    assert Counter(c.state.value for c in comments) == expected["states"]
    assert found["votes"] == expected["votes"]
    assert len({voter for voter, _ in found["votes"]}) == expected["participants"]
    for comment in comments:  # counters equal the votes
        mine = Counter(v for (_, c), v in expected["votes"].items() if c == comment.external_id)
        assert (comment.agree_count, comment.disagree_count, comment.pass_count) == (
            mine[1], mine[-1], mine[0])
    assert all(c.author_key.startswith("polis:") for c in comments)


def test_participants_votes_csv_is_used_when_votes_csv_is_absent(app, make_org, tmp_path):
    make_org()
    source = POLIS / "bg2050-volunteers"
    folder = tmp_path / "bg2050"
    folder.mkdir()
    for name in ("comments.csv", "participants-votes.csv", "summary.csv"):
        shutil.copy(source / name, folder / name)
    lines = _import(app, folder)
    assert "from participants-votes.csv" in lines[1]
    found = _imported(lines[-1])
    assert found["votes"] == _expected(source)["votes"]
    consultation = found["consultation"]
    assert consultation.text("title", "en").text == "Together, we'll build the BG of 2050."
    assert consultation.state.value == "closed"
    meta = [c for c in found["comments"] if c.is_meta]
    assert meta and all(c.priority == 49.0 for c in meta)


def test_a_rejected_statement_is_not_shown_and_a_taken_slug_is_refused(app, client, make_org):
    make_org()
    folder = POLIS / "15-per-hour-seattle"
    slug = _import(app, folder)[-1]
    rejected = db.session.scalar(db.select(Comment).filter_by(state=CommentState.REJECTED))
    html = client.get(f"/consultations/{slug}/comments").get_data(as_text=True)
    assert rejected.body not in html
    result = app.test_cli_runner().invoke(args=["consult", "import-polis", str(folder),
                                                "--slug", slug])
    assert result.exit_code != 0 and "already exists" in result.output


def test_a_folder_that_is_not_a_polis_export_is_refused(app, make_org, tmp_path):
    make_org()
    (tmp_path / "comments.csv").write_text("a,b\n1,2\n")
    result = app.test_cli_runner().invoke(args=["consult", "import-polis", str(tmp_path)])
    assert result.exit_code != 0 and "Pol.is" in result.output
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0
