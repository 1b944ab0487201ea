"""The summary tallies (consult/summaries/tallies_store.py) always equal a GROUP BY over every
answer (tests/summaries/scan.py), whatever mix of submissions, web drafts, changes, paper
imports, purges, segment changes and summary views came before."""
import datetime as dt
import random
import threading
import time

import pytest

from consult.extensions import db
from consult.summaries import queries, tallies_store
from consult.summaries.analysis_tasks import fold_survey
from consult.summaries.services import question_infos, summary_for
from consult.summaries.tallies_models import SurveyTally
from consult.surveys import changes, paper_import, responses, services
from consult.surveys.models import Channel, Response, ResponseState
from consult.surveys.paper import PaperRow
from tests.summaries.helpers import respond, survey_consultation
from tests.summaries.scan import scan_aggregates

ROLES = ["trader", "resident", "official", "other"]


def _answers(rng: random.Random) -> dict:
    """A random valid response to the survey of helpers.survey_consultation."""
    found = {}
    if rng.random() < 0.9:
        found["role"] = rng.choice(ROLES)
    if rng.random() < 0.8:
        found["area"] = rng.choice(["port", "market"])
    if rng.random() < 0.9:
        found["support"] = rng.choice("12345")
    if rng.random() < 0.7:
        found["priorities"] = rng.sample(["jobs", "light", "buses"], rng.randint(1, 3))
    if rng.random() < 0.8:
        found["trust"] = rng.randint(0, 10)
    if rng.random() < 0.6:
        found["age"] = rng.choice([18, 30, 30, 44.5, 61])
    if rng.random() < 0.7:
        found["order"] = rng.sample(["jobs", "safety", "lights"], rng.randint(1, 3))
    if rng.random() < 0.3:
        found["ideas"] = rng.choice(["More light", "Plus de lumière"])
    return found


def _sorted(aggregates) -> tuple:
    return tuple(tuple(sorted(rows, key=repr)) for rows in (
        aggregates.headline, aggregates.cells, aggregates.multi_answered,
        aggregates.segment_cells, aggregates.segment_multi_answered))


def _check(consultation) -> None:
    """The tallies' counts equal the counts made from the answers."""
    db.session.expire_all()
    survey = services.get_survey(consultation)
    infos = question_infos(survey)
    shape = ([q.id for q in infos if q.can_segment],
             [q.id for q in infos if q.type == "multiple_choice"])
    assert _sorted(queries.aggregates(survey.id, *shape)) == \
        _sorted(scan_aggregates(survey.id, *shape))


def _web(survey, rng, n):
    """A participant's draft, saved page by page, then submitted (or left as a draft)."""
    response = responses.start_draft(survey, f"web-{n}", rng.choice(["en", "fr"]))
    values = _answers(rng)
    for page in survey.pages:
        responses.save_page(response, page.questions, values, {}, page.position + 1)
    if rng.random() < 0.8:
        responses.submit(response, survey, f"web-idem-{n}")


def _change(survey, rng, n):
    """A counted response changed through a change draft (or the change abandoned)."""
    counted = db.session.scalars(db.select(Response).filter_by(
        survey_id=survey.id, state=ResponseState.SUBMITTED).order_by(db.func.random())
        .limit(1)).first()
    if counted is None or counted.respondent_key.startswith(changes.CHANGE_PREFIX):
        return
    draft = changes.start_change(survey, counted)
    values = _answers(rng)
    draft.language = rng.choice(["en", "fr"])
    for page in survey.pages:
        responses.save_page(draft, page.questions, values, {}, page.position + 1)
    if rng.random() < 0.85:
        changes.apply_change(survey, counted, draft, f"change-idem-{n}")


def _paper(survey, rng, n):
    """A few paper rows imported (the same file twice now and then)."""
    rows = [PaperRow(number=i, cells=[str(i)], language="en", values=_answers(rng))
            for i in range(1, rng.randint(2, 5))]
    batch = f"batch-{n if rng.random() < 0.7 else 0}"
    paper_import.import_rows(survey, batch, ["n"], rows)


def _purge(survey, rng, n):
    """Drafts (and abandoned changes) purged, as the daily command does."""
    responses.purge_drafts(0, today=dt.date.today() + dt.timedelta(days=1))


def _toggle_segment(survey, rng, n):
    """A planner makes another question a segment (or stops)."""
    key = rng.choice(["support", "area"])
    question = next(q for q in survey.questions if q.key == key)
    question.is_segment = not question.is_segment


def _api(survey, rng, n):
    respond(survey.consultation, _answers(rng), times=rng.randint(1, 4),
            language=rng.choice(["en", "fr"]),
            channel=rng.choice([Channel.WEB, Channel.API, Channel.SMS]))


def _view(survey, rng, n):
    summary_for(survey.consultation, survey, planner=True)


STEPS = [(_api, 6), (_web, 4), (_change, 4), (_paper, 2), (_purge, 1), (_toggle_segment, 1),
         (_view, 3)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tallies_equal_a_scan_after_any_mix_of_operations(make_consultation, monkeypatch,
                                                          seed):
    monkeypatch.setattr(tallies_store, "FOLD_EVERY", 3)  # fold inside submissions often
    monkeypatch.setattr(tallies_store, "COMPACT_AFTER", 40)  # and compact often
    rng = random.Random(seed)
    consultation = survey_consultation(make_consultation)
    steps, weights = zip(*STEPS)
    for n in range(60):
        step = rng.choices(steps, weights)[0]
        step(services.get_survey(consultation), rng, n)
        db.session.commit()
        if n % 6 == 5:
            _check(consultation)
    _check(consultation)
    survey = services.get_survey(consultation)
    assert db.session.scalar(db.select(db.func.count()).select_from(Response).where(
        Response.survey_id == survey.id, Response.state == ResponseState.SUBMITTED)) > 20


def test_a_view_counts_what_is_waiting_without_folding_it(make_consultation):
    consultation = survey_consultation(make_consultation)
    survey = services.get_survey(consultation)
    before = queries.fingerprint(survey.id)
    respond(consultation, {"role": "trader"}, times=3)
    waiting = db.select(db.func.count()).select_from(Response).where(
        Response.untallied.is_not(None), Response.state == ResponseState.SUBMITTED)
    assert db.session.scalar(waiting) == 3
    after = queries.fingerprint(survey.id)
    assert after != before and db.session.scalar(waiting) == 3  # read, never written
    _check(consultation)  # ...and counted all the same
    fold_survey(survey.id)  # the job submissions queue
    assert db.session.scalar(waiting) == 0 and queries.fingerprint(survey.id) != after
    _check(consultation)


def test_rebuild_tallies_command_recounts_from_scratch(app, make_consultation):
    consultation = survey_consultation(make_consultation)
    respond(consultation, {"role": "trader", "priorities": ["jobs"]}, times=4)
    survey = services.get_survey(consultation)
    fold_survey(survey.id)  # counted in the tallies, as the queued fold does
    _check(consultation)
    db.session.execute(db.update(SurveyTally).values(n=SurveyTally.n + 7))  # damage them
    db.session.commit()
    assert db.session.scalar(db.select(db.func.sum(SurveyTally.n)).where(
        SurveyTally.survey_id == survey.id, SurveyTally.kind == "h")) == 11
    result = app.test_cli_runner().invoke(args=["consult", "rebuild-tallies",
                                                consultation.slug])
    assert result.exit_code == 0, result.output
    assert "4 submitted responses" in result.output
    _check(consultation)


def test_unknown_slug_is_refused_by_rebuild_tallies(app):
    result = app.test_cli_runner().invoke(args=["consult", "rebuild-tallies", "nope"])
    assert result.exit_code != 0 and "nope" in result.output


def _in_another_transaction(app, action) -> threading.Thread:
    """Run action (then commit) in its own app context, session and connection."""
    def run():
        with app.app_context():
            action()
            db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_concurrent_folds_neither_miss_nor_double_count(app, make_consultation):
    if app.config["CONSULT_TEST_BACKEND"] != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time")
    consultation = survey_consultation(make_consultation)
    survey_id = services.get_survey(consultation).id
    respond(consultation, {"role": "trader", "area": "port"}, times=2)
    queries.fingerprint(survey_id)
    # A submission not yet committed while another transaction folds: not counted by it...
    survey = services.get_survey(consultation)
    responses.submit_all(survey, {"role": "resident", "priorities": ["jobs"]}, {}, "fr",
                         "idem-late", "hash", Channel.API, respondent_key="late")
    _in_another_transaction(app, lambda: tallies_store.fold(survey_id)).join(20)
    db.session.commit()
    _check(consultation)  # ...but by the next fold, once committed.
    # A change holds the survey's tallies until it commits; a fold meanwhile waits for it.
    counted = db.session.scalars(db.select(Response).filter_by(respondent_key="late")).one()
    draft = changes.start_change(survey, counted)
    next(a for a in draft.answers if a.option_key == "resident").option_key = "official"
    changes.apply_change(survey, counted, draft, "idem-late-change")
    waiting = _in_another_transaction(app, lambda: tallies_store.fold(survey_id))
    time.sleep(0.5)
    assert waiting.is_alive()
    db.session.commit()
    waiting.join(20)
    _check(consultation)
