"""`consult opinion-groups SLUG`: Pol.is's own groups come back from the imported conversation."""
import csv
import io
import json
from pathlib import Path

import pytest

from tests.analysis.polis_fixtures import adjusted_rand_index, load_polis

DATA = Path(__file__).resolve().parent / "data" / "polis"


@pytest.fixture
def imported(app, make_org):
    make_org("host")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["consult", "import-polis", str(DATA / "bg2050-volunteers")])
    assert result.exit_code == 0, result.output
    return runner, result.output.strip().splitlines()[-1]


def test_groups_of_the_imported_conversation_match_polis(imported):
    runner, slug = imported
    result = runner.invoke(args=["consult", "opinion-groups", slug])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["participant", "group"]
    ours = {participant: int(group) for participant, group in rows[1:]}
    theirs = {str(p): g for p, g in load_polis("bg2050-volunteers").polis_groups.items()}
    shared = sorted(set(ours) & set(theirs))
    assert len(shared) == len(theirs)
    assert adjusted_rand_index([ours[p] for p in shared], [theirs[p] for p in shared]) >= 0.95


def test_json_output_and_an_unknown_slug(imported):
    runner, slug = imported
    document = json.loads(runner.invoke(args=["consult", "opinion-groups", slug,
                                              "--format", "json"]).output)
    assert {"participant", "group"} == set(document["participants"][0])
    assert runner.invoke(args=["consult", "opinion-groups", "nope"]).exit_code != 0


def test_computing_groups_lets_divisive_statements_route_first(imported):
    from consult.comments.models import Comment
    from consult.extensions import db

    runner, slug = imported
    before = {c.id: c.priority for c in db.session.scalars(db.select(Comment))}
    runner.invoke(args=["consult", "opinion-groups", slug])
    db.session.expire_all()
    comments = list(db.session.scalars(db.select(Comment)))
    assert any(c.extremity > 0 for c in comments)
    raised = [c for c in comments if c.extremity > 0 and not c.is_meta]
    assert all(c.priority > before[c.id] for c in raised)
