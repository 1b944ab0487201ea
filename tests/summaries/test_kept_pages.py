"""Public results and consultation pages kept whole for anonymous readers (consult/page_cache.py):
what changes shows at the next request, what is personal is never kept, and a kept page reads
the database with one statement and recomputes nothing."""
import pytest
from sqlalchemy import event

from consult.accounts.models import Role
from consult.comments.models import Comment, CommentState
from consult.consultations import services as consultations
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.moderation.models import Action, Reason
from consult.moderation.services import decide
from consult.summaries import planner_responses
from consult.summaries.stamps import _statement, results_facts
from consult.surveys.services import get_survey
from tests.summaries.helpers import respond, survey_consultation
from tests.summaries.test_qualitative import POLIS
from tests.summaries.test_theme_edits import (
    _about,
    _url,
    themed,  # noqa: F401 (a fixture)
)

RESIDENT = {"role": "resident", "area": "market", "support": "2", "trust": 3}
TRADER = {"role": "trader", "area": "port", "support": "4", "trust": 7}


def _results(app, slug: str, suffix: str = "") -> str:
    """The public results as a new anonymous reader gets them."""
    response = app.test_client().get(f"/consultations/{slug}/results{suffix}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def published(make_consultation):
    """Results published: 12 traders, 7 residents (k = 10 hides the residents)."""
    consultation = survey_consultation(make_consultation)
    respond(consultation, TRADER, times=12)
    respond(consultation, RESIDENT, times=7)
    return consultation


def _statements(app):
    """Count the SQL statements run until the block ends."""
    seen = []

    def count(*_args):
        seen.append(1)

    engine = db.engines[None]
    event.listen(engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(engine, "before_cursor_execute", count)


def test_a_kept_results_page_runs_one_statement_and_recomputes_nothing(app, published):
    first = _results(app, published.slug, "?lang=en")
    seen, stop = _statements(app)
    try:
        again = _results(app, published.slug, "?lang=en")
        question = app.test_client().get(
            f"/consultations/{published.slug}/results/questions/support?lang=en")
        assert question.status_code == 200
        seen.clear()
        _results(app, published.slug, "?lang=en")
    finally:
        stop()
    assert again == first
    assert len(seen) == 1  # the consultation's facts and the results' stamp


def test_stamp_reads_its_own_consultations_survey_not_the_first_one(app, make_consultation,
                                                                    published):
    """Bug: the survey subquery, nested in the tallies' subqueries, was not correlated, so
    every consultation's stamp read the first consultation's survey and tallies."""
    other = survey_consultation(make_consultation)
    facts, stamp = results_facts(other.slug)
    assert stamp[0] == get_survey(other).id != get_survey(published).id
    before = _results(app, other.slug, "?lang=en")
    other.state = State.OPEN
    db.session.commit()
    respond(other, TRADER, times=11)
    other.state = State.RESULTS_PUBLISHED
    db.session.commit()
    assert results_facts(other.slug)[1] != stamp
    assert "11 responses counted" in _results(app, other.slug, "?lang=en") != before
    # Either way round: responses to the first consultation leave the other's stamp alone.
    stamp = results_facts(other.slug)[1]
    published.state = State.OPEN
    db.session.commit()
    respond(published, TRADER, times=2)
    published.state = State.RESULTS_PUBLISHED
    db.session.commit()
    assert results_facts(other.slug)[1] == stamp


def test_raising_k_changes_the_kept_results_at_once(app, published):
    assert "12" in _results(app, published.slug, "?lang=en")
    published.min_cell_size = 15
    consultations.touch(published)  # what the settings form does
    db.session.commit()
    html = _results(app, published.slug, "?lang=en")
    assert "fewer than 15" in html and ">12<" not in html


def test_a_new_response_counted_changes_the_kept_results(app, published):
    assert "19 responses counted" in _results(app, published.slug, "?lang=en")
    published.state = State.OPEN
    db.session.commit()
    respond(published, RESIDENT, times=3)
    published.state = State.RESULTS_PUBLISHED
    db.session.commit()
    html = _results(app, published.slug, "?lang=en")
    assert "22 responses counted" in html


def test_a_theme_renamed_by_a_planner_shows_on_the_kept_public_results(
        app, client, themed, make_user, auth):  # noqa: F811
    _results(app, themed.slug)  # kept
    auth.login(make_user(themed.host, Role.PLANNER))
    lights = _about(themed, "lights")
    client.post_form(_url(themed, lights, "rename"), {"name__en": "Street lighting"})
    assert "Street lighting" in _results(app, themed.slug)


def test_language_versions_of_a_kept_page_never_mix(app, published):
    english = _results(app, published.slug, "?lang=en")
    french = _results(app, published.slug, "?lang=fr")
    assert 'lang="en"' in english and 'lang="fr"' in french and english != french
    assert _results(app, published.slug, "?lang=en") == english
    chosen = app.test_client()
    chosen.get(f"/consultations/{published.slug}?lang=fr")  # the language cookie
    html = chosen.get(f"/consultations/{published.slug}/results").get_data(as_text=True)
    assert '<html lang="fr"' in html


def test_staff_never_get_the_anonymous_page_and_never_leave_theirs(app, client, auth,
                                                                  make_user, published):
    anonymous = _results(app, published.slug, "?lang=en")
    auth.login(make_user(published.host, Role.PLANNER))
    staff = client.get(f"/consultations/{published.slug}/results?lang=en").get_data(True)
    assert "Sign out" in staff and "csrf_token" in staff
    assert "Sign out" not in anonymous
    again = _results(app, published.slug, "?lang=en")
    assert "Sign out" not in again and "csrf_token" not in again


def test_other_query_strings_are_rendered_but_never_kept(app, published):
    """An attacker cannot fill the cache (and evict what others read) with ?x=1, ?x=2..."""
    def pages() -> int:
        return sum(1 for key in app.extensions["consult_fragments"]._entries if key[0] == "page")

    _results(app, published.slug, "?lang=en")
    assert pages() == 1
    for n in range(30):
        _results(app, published.slug, f"?lang=en&x={n}")
    assert pages() == 1


def test_a_consultation_page_shows_a_new_planner_response_at_once(app, client, auth,
                                                                   make_user, published):
    page = f"/consultations/{published.slug}?lang=en"
    assert "Lights installed by March" not in app.test_client().get(page).get_data(True)
    planner = make_user(published.host, Role.PLANNER)
    response = planner_responses.save_response(
        published, None, "", planner_responses.Decision.ADOPTED,
        {("title", "en"): "Lights installed by March", ("body", "en"): "Forty lamps."},
        author=planner)
    db.session.commit()
    assert "Lights installed by March" not in app.test_client().get(page).get_data(True)
    planner_responses.set_published(response, True, author=planner)
    db.session.commit()
    assert "Lights installed by March" in app.test_client().get(page).get_data(True)


@pytest.fixture
def conversation(app, make_org, make_user):
    """An imported Pol.is conversation with its results published and its opinion groups
    computed (the queue runs jobs at once in tests)."""
    host = make_org("host")
    result = app.test_cli_runner().invoke(
        args=["consult", "import-polis", str(POLIS / "bg2050-volunteers")])
    consultation = consultations.get_consultation(result.output.strip().splitlines()[-1])
    consultation.state = State.RESULTS_PUBLISHED
    db.session.commit()
    return consultation, make_user(host, Role.MODERATOR)


def test_attack_a_hidden_statement_stays_quoted_on_kept_results(app, conversation):
    """A comment a moderator hides must leave the public results at the next request, even
    though the page was kept and the opinion groups are not recomputed yet."""
    consultation, moderator = conversation
    _results(app, consultation.slug)  # queues the opinion groups
    html = _results(app, consultation.slug)
    quoted = [c for c in db.session.scalars(db.select(Comment).filter_by(
        consultation_id=consultation.id, state=CommentState.PUBLISHED)) if c.body in html]
    assert quoted, "the kept page quotes some statements"
    decide(quoted[0], Action.HIDE, Reason.PERSONAL_INFORMATION, moderator)
    db.session.commit()
    assert quoted[0].body not in _results(app, consultation.slug)


def test_stamp_cost_does_not_grow_with_votes_yet_a_vote_moves_it(app, conversation):
    """The stamp once counted every vote and published comment on each request (a busy
    consultation's results grew slower with every vote); it now reads the comments'
    revision counters, which a vote, a withdrawn vote or a new comment still moves."""
    from consult.comments.models import VoteChoice
    from consult.comments.votes import cast_vote

    consultation, _moderator = conversation
    before = results_facts(consultation.slug)[1]
    statement = db.session.scalars(db.select(Comment).filter_by(
        consultation_id=consultation.id, state=CommentState.PUBLISHED)).first()
    cast_vote(statement, "a-new-voter", VoteChoice.AGREE)
    db.session.commit()
    after_vote = results_facts(consultation.slug)[1]
    assert after_vote != before
    cast_vote(statement, "a-new-voter", VoteChoice.DISAGREE)
    db.session.commit()
    assert results_facts(consultation.slug)[1] not in (before, after_vote)
    sql = str(_statement().compile(dialect=db.engine.dialect)).lower()
    assert "from vote" not in sql and "count(comment.id)" not in sql
