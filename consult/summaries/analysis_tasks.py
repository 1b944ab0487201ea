"""Background work of the summaries: recomputing themes and opinion groups, and folding new
responses into the summary tallies. Pages only queue this work, never do it.

Debounced: at most one recomputation is queued per consultation and kind, and one fold per
survey, marked by a key in the queue's own storage (not the database, so that a page that
queues writes nothing). The key is removed when the job ends, so data arriving meanwhile
queues the next one. Periodic sweeps catch what no page asked for, and free the key of a job
whose worker died.
"""
import logging
import time

from flask import current_app
from huey import crontab
from sqlalchemy import select

from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.jobs import huey, periodic_task, task
from consult.summaries import recompute, snapshots, tallies_store
from consult.summaries.tallies_models import SurveyTallyState
from consult.surveys.models import Question, QuestionType, Response
from consult.surveys.services import get_survey

log = logging.getLogger(__name__)
#: Seconds a key may stay before a sweep takes its job for lost (the worker died).
STUCK_AFTER = 30 * 60
#: Seconds a queued job waits before it runs (ANALYSIS_DELAY overrides it).
DELAY = 10


def _key(*parts) -> str:
    return "consult:" + ":".join(map(str, parts))


def _claim(key: str) -> bool:
    """Mark work as queued; False when it already is (a key older than STUCK_AFTER is
    taken over: its job was lost)."""
    if huey.put_if_empty(key, time.time()):
        return True
    since = huey.get(key, peek=True)
    if since is not None and time.time() - since > STUCK_AFTER:
        huey.put(key, time.time())
        return True
    return False


def _queue(job, key: str, *args) -> bool:
    """Queue job(*args) unless the same is queued; in immediate mode (the tests) run it now.
    Whether it ran already."""
    if huey.immediate:
        job(*args)
        return True
    try:
        if _claim(key):
            delay = int(current_app.config.get("ANALYSIS_DELAY", DELAY))
            if delay > 0:  # a burst of new data is taken in by one run
                job.schedule(args=args, delay=delay)
            else:
                job(*args)
    except Exception:  # the queue is unreachable: the page still answers; a sweep retries
        log.warning("could not queue %s", key)
    return False


def request_recompute(consultation_id: int, kind: str) -> bool:
    """Queue a recomputation of one kind of analysis; whether it has run already (only in
    immediate mode)."""
    return _queue(recompute_analysis, _key("analysis", kind, consultation_id),
                  consultation_id, kind)


def request_fold(survey_id: int) -> None:
    """Queue a fold of the survey's waiting responses into its tallies."""
    _queue(fold_survey, _key("fold", survey_id), survey_id)


@task(retries=2, retry_delay=60)
def recompute_analysis(consultation_id: int, kind: str) -> None:
    """Recompute and store one kind of analysis of a consultation (nothing when current)."""
    try:
        consultation = db.session.get(Consultation, consultation_id)
        if consultation is not None and kind in recompute.RECOMPUTE:
            started = time.perf_counter()
            if recompute.RECOMPUTE[kind](consultation):
                db.session.commit()
                log.info("%s of consultation %s computed in %.1f s", kind, consultation_id,
                         time.perf_counter() - started)
    finally:
        db.session.rollback()
        huey.delete(_key("analysis", kind, consultation_id))


@task(retries=3, retry_delay=10)
def fold_survey(survey_id: int) -> None:
    """Fold the survey's waiting responses (rebuilding its tallies if its questions'
    shape changed)."""
    try:
        tallies_store.fold(survey_id)
        db.session.commit()
    finally:
        db.session.rollback()
        huey.delete(_key("fold", survey_id))


def surveys_to_fold() -> list[int]:
    """Surveys with responses waiting, or whose tallies were made for other questions."""
    response = Response.__table__
    waiting = set(db.session.scalars(select(response.c.survey_id).distinct().where(
        response.c.untallied.is_not(None), response.c.state == tallies_store.SUBMITTED)))
    states = dict(db.session.execute(select(SurveyTallyState.survey_id,
                                            SurveyTallyState.shape)).all())
    questions = db.session.execute(select(Question.survey_id, Question.id, Question.type,
                                          Question.is_segment)
                                   .where(Question.survey_id.in_(list(states)))).all()
    shapes: dict[int, tuple[list, list]] = {survey: ([], []) for survey in states}
    for survey, question, kind, segment in questions:
        if segment and kind in tallies_store.SEGMENT_TYPES:
            shapes[survey][0].append(question)
        if kind is QuestionType.MULTIPLE_CHOICE:
            shapes[survey][1].append(question)
    changed = {s for s, shape in states.items() if tallies_store.shape_of(*shapes[s]) != shape}
    return sorted(waiting | changed)


@periodic_task(crontab(minute="*"))
def fold_waiting_responses() -> None:
    """Every minute: fold what the submissions' queued folds left waiting."""
    for survey_id in surveys_to_fold():
        tallies_store.fold(survey_id)
        db.session.commit()


def stale_analyses() -> list[tuple[int, str]]:
    """(consultation id, kind) of every analysis whose stored result is missing or older
    than its data, among consultations taking part or done (drafts have no data)."""
    found = []
    for consultation in db.session.scalars(select(Consultation).where(
            Consultation.state != State.DRAFT).order_by(Consultation.id)):
        survey = get_survey(consultation)
        tokens = {snapshots.THEMES: recompute.themes_token(consultation, survey, memo=False),
                  snapshots.OPINIONS: recompute.opinions_token(consultation, memo=False)}
        for kind, token in tokens.items():
            stored = snapshots.read(consultation.id, kind)
            text = snapshots.token_text(token)
            if not stored or any(s.fingerprint != text or
                                 s.method_version != recompute.VERSIONS[kind]
                                 for s in stored.values()):
                found.append((consultation.id, kind))
    return found


@periodic_task(crontab(minute="*/5"))
def refresh_stale_analyses() -> None:
    """Every five minutes: queue the recomputation of every stale analysis."""
    for consultation_id, kind in stale_analyses():
        request_recompute(consultation_id, kind)

