"""Background analysis and housekeeping: themes and opinion groups recomputed by a job into one
stored snapshot each, pages that only read them (and queue the work), consultations closed at
their closing day, old drafts purged."""
import datetime as dt
import json

import pytest
from huey.storage import MemoryStorage, RedisStorage
from sqlalchemy import select, update

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.comments import services as comments
from consult.consultations.lifecycle import State
from consult.consultations.tasks import close_due_consultations
from consult.extensions import db
from consult.jobs import huey
from consult.summaries import qualitative, recompute, tallies_store
from consult.summaries.analysis_tasks import (
    fold_waiting_responses,
    recompute_analysis,
    refresh_stale_analyses,
    stale_analyses,
    surveys_to_fold,
)
from consult.summaries.snapshots import OPINIONS, THEMES, AnalysisSnapshot
from consult.summaries.theme_models import ThemeEditKind, add_edit
from consult.surveys.models import Response
from consult.surveys.responses import start_draft
from consult.surveys.services import get_survey
from consult.surveys.tasks import purge_old_drafts
from tests.analysis.test_themes import _corpus
from tests.summaries.helpers import respond, survey_consultation


@pytest.fixture
def queued(app):
    """A real queue (in memory) instead of immediate mode: queued jobs wait for run_queued."""
    saved = huey.storage_class, huey.storage_kwargs
    huey.storage_class, huey.storage_kwargs = MemoryStorage, {}
    huey.immediate = False  # a fresh, empty storage
    app.config["ANALYSIS_DELAY"] = 0
    yield huey
    huey.immediate = True
    huey.storage_class, huey.storage_kwargs = saved


def run_queued() -> int:
    """Run every queued job, as a worker would; how many ran."""
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


@pytest.fixture
def commented(make_consultation):
    """Published results of a consultation with 30 comments on three topics."""
    consultation = make_consultation(state=State.RESULTS_PUBLISHED, min_cell_size=5,
                                     publish_themes=True)
    texts, _, _ = _corpus(["en"], per_topic=10, seed=1)
    for n, text in enumerate(texts):
        comments.post_comment(consultation, f"author-{n}", text, "en")
    db.session.commit()
    return consultation


def _snapshots(consultation_id: int) -> list[tuple]:
    db.session.expire_all()
    return [(s.kind, s.source, s.inputs, json.loads(s.result)) for s in db.session.scalars(
        select(AnalysisSnapshot).where(AnalysisSnapshot.consultation_id == consultation_id)
        .order_by(AnalysisSnapshot.kind, AnalysisSnapshot.source))]


def test_recomputing_twice_leaves_one_snapshot_per_source_with_the_same_result(
        app, commented):
    recompute_analysis(commented.id, THEMES)
    recompute_analysis(commented.id, OPINIONS)
    first = _snapshots(commented.id)
    assert [(kind, source, inputs) for kind, source, inputs, _ in first] == [
        (OPINIONS, "", 0), (THEMES, "comments", 30)]
    assert len(first[1][3]["themes"]) >= 2
    recompute_analysis(commented.id, THEMES)  # current: nothing is done again
    assert _snapshots(commented.id) == first
    # As if the data had changed meanwhile, and with nothing kept to reuse: computed again.
    db.session.execute(update(AnalysisSnapshot).values(fingerprint="[]", detail="{}"))
    db.session.commit()
    recompute_analysis(commented.id, THEMES)
    recompute_analysis(commented.id, OPINIONS)
    assert _snapshots(commented.id) == first
    assert db.session.scalar(select(db.func.count(AnalysisSnapshot.id))) == 2


def test_a_page_without_a_snapshot_answers_at_once_that_it_is_being_computed(
        client, commented, queued, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("a page computed the themes")

    monkeypatch.setattr(recompute, "find_themes", never)
    url = f"/consultations/{commented.slug}/results"
    html = client.get(url).get_data(as_text=True)
    assert "Themes and opinion groups are being computed." in html
    assert "Themes in what people wrote" not in html
    assert queued.pending_count() == 2  # themes and opinion groups
    client.get(url)
    assert queued.pending_count() == 2  # queued once, however many readers ask
    monkeypatch.undo()
    assert run_queued() == 2
    html = client.get(url).get_data(as_text=True)
    assert "being computed" not in html and "Themes in what people wrote" in html
    assert "from 30 comments." in html and "not yet included" not in html
    assert queued.pending_count() == 0


def test_a_page_still_answers_when_the_queue_is_unreachable(app, client, commented):
    saved = huey.storage_class, huey.storage_kwargs
    huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": "redis://127.0.0.1:9/0"}
    huey.immediate = False  # nothing listens on port 9
    try:
        response = client.get(f"/consultations/{commented.slug}/results")
    finally:
        huey.immediate = True
        huey.storage_class, huey.storage_kwargs = saved
    assert response.status_code == 200
    assert "being computed" in response.get_data(as_text=True)


def test_newer_data_is_counted_on_the_page_until_the_recomputation(client, commented, queued):
    recompute.recompute_themes(commented)
    db.session.commit()
    for n in range(3):
        comments.post_comment(commented, f"late-{n}", "Fix the harbour lights at night", "en")
    db.session.commit()
    url = f"/consultations/{commented.slug}/results"
    html = client.get(url).get_data(as_text=True)
    assert "from 30 comments. 3 newer comments are not yet included." in html
    run_queued()
    html = client.get(url).get_data(as_text=True)
    assert "from 33 comments." in html and "not yet included" not in html


def test_a_theme_edit_shows_after_the_recomputation(client, auth, make_user, commented,
                                                    queued):
    recompute.recompute_themes(commented)
    db.session.commit()
    planner = make_user(commented.host, Role.PLANNER)
    auth.login(planner)
    (source,) = qualitative.theme_views(commented, None, planner=True)
    theme = source.themes[0]
    add_edit(commented, "comments", ThemeEditKind.RENAME, theme.key, theme.terms, planner,
             names={"en": "Harbour lights"})
    db.session.commit()
    report = f"/manage/consultations/{commented.slug}/report"
    html = client.get(report).get_data(as_text=True)
    assert "Harbour lights" not in html
    assert "Recent changes are not yet included; they are being added." in html
    run_queued()
    html = client.get(report).get_data(as_text=True)
    assert "Harbour lights" in html and "Recent changes" not in html


def test_the_sweep_queues_every_stale_analysis_once(commented, queued):
    assert sorted(stale_analyses()) == [(commented.id, OPINIONS), (commented.id, THEMES)]
    refresh_stale_analyses.call_local()
    refresh_stale_analyses.call_local()  # a second sweep before the worker ran: no more
    assert queued.pending_count() == 2 and run_queued() == 2
    assert stale_analyses() == []


def test_the_periodic_fold_counts_what_submissions_left_waiting(make_consultation):
    consultation = survey_consultation(make_consultation)
    respond(consultation, {"role": "trader"}, times=3)
    survey_id = get_survey(consultation).id
    assert surveys_to_fold() == [survey_id] and tallies_store.waiting_count(survey_id) == 3
    fold_waiting_responses()  # a periodic task: in immediate mode it runs when called
    assert surveys_to_fold() == [] and tallies_store.waiting_count(survey_id) == 0
    question = next(q for q in get_survey(consultation).questions if q.key == "support")
    question.is_segment = True  # the tallies no longer fit the questions: rebuilt
    db.session.commit()
    assert surveys_to_fold() == [survey_id]
    fold_waiting_responses()
    assert surveys_to_fold() == [] and tallies_store.respondents(survey_id) == 3


def _state_changes() -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "consultation.state_changed")).all()


def test_consultations_close_once_at_the_end_of_their_closing_day_in_their_time_zone(
        app, make_consultation):
    now = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)
    nairobi = make_consultation(closes_on=dt.date(2026, 3, 10), time_zone="Africa/Nairobi")
    new_york = make_consultation(closes_on=dt.date(2026, 3, 10), time_zone="America/New_York")
    open_ended = make_consultation(closes_on=None)
    revision = nairobi.revision
    assert close_due_consultations(now) == 1  # 02:30 on the 11th in Nairobi: its day is over
    assert close_due_consultations(now) == 0  # run twice: nothing more
    db.session.expire_all()
    assert (nairobi.state, new_york.state, open_ended.state) == (
        State.CLOSED, State.OPEN, State.OPEN)
    assert nairobi.revision == revision + 1  # cached pages of it are redrawn
    (entry,) = _state_changes()
    assert (entry.actor_id, entry.consultation_id, entry.target) == (
        None, nairobi.id, nairobi.slug)
    assert entry.detail.startswith("open -> closed")
    later = now + dt.timedelta(hours=5)  # past midnight in New York too
    assert close_due_consultations(later) == 1 and close_due_consultations(later) == 0
    assert len(_state_changes()) == 2


def test_the_nightly_task_purges_old_drafts_and_keeps_recent_ones(app, make_consultation):
    survey = get_survey(survey_consultation(make_consultation, state=State.OPEN))
    old, recent = start_draft(survey, "old", "en"), start_draft(survey, "recent", "en")
    db.session.flush()
    old.saved_on = dt.date.today() - dt.timedelta(days=app.config["DRAFT_LIFETIME_DAYS"] + 1)
    db.session.commit()
    purge_old_drafts()  # a periodic task: in immediate mode it runs when called
    db.session.expire_all()
    assert [r.respondent_key for r in db.session.scalars(select(Response))] == ["recent"]
    assert recent.id is not None
