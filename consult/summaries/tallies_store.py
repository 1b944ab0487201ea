"""Keep a survey's summary counts pre-aggregated, so that a summary never scans its answers.

Why: at 1,000,000 responses the GROUP BYs over every answer took 26 s (PostgreSQL) to
140 s (SQLite); the same counts kept in tally rows (tallies_models.py) are read in
milliseconds. The rows have exactly the grains the summary reads (queries.Aggregates:
headline, cells and multiple-choice respondents by language and channel; cells and
multiple-choice respondents by each segment answer), not a full cube of every segment by
every other: breakdowns are one-way, so a few thousand rows hold a whole survey, and the
figures are made from the same counts as before (exact, not estimated).

How: every response carries `untallied` (0 from its insertion, so every path that writes
a submitted response is covered, bulk loads included). A fold counts the submitted
responses still at 0 in one INSERT ... SELECT ... GROUP BY over just them, and sets them
to NULL in the same transaction (PostgreSQL: UPDATE ... RETURNING marks and lists them in
one statement, then the INSERT counts exactly those; SQLite: the INSERT then the UPDATE,
inside its single write transaction). Folds, undos and rebuilds first lock the survey's
SurveyTallyState row (an UPDATE: a row lock on PostgreSQL, the write lock on SQLite), so
no response is counted twice or missed.
A draft is never counted; submitting it leaves it at 0, so the next fold counts it,
whenever its draft began (a highest-id watermark would miss it, and on PostgreSQL ids
commit out of order).

When: never on a page view (GET handlers write nothing): a fold job runs after every
FOLD_EVERY-th submission and a periodic one every minute (summaries/analysis_tasks.py), and
paper imports fold after each batch. A view reads the tally rows plus the few responses still
waiting, aggregated on the fly without writing (`current_rows`), so its figures are exact.
Measured with 100,000 responses already counted, folding 256 new ones takes about 25 ms on
SQLite and 45 ms on PostgreSQL (0.1 and 0.2 ms a response, against 0.6 and 1.5 ms to store
one). Changing a counted response first undoes its counts (`forget`, negative rows) and puts
it back at 0.
A change of which questions are segments or multiple choice (the shape) rebuilds the
survey's tallies from its answers: rare, and slower (a full scan).
"""
from flask import has_request_context, request
from sqlalchemy import (
    Integer,
    Numeric,
    String,
    and_,
    any_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from consult.analysis.cell_key import KEYS
from consult.extensions import db, upsert_insert
from consult.jobs import after_commit
from consult.summaries.tallies_models import (
    CELL,
    HEADLINE,
    MULTI,
    SEGMENT_CELL,
    SEGMENT_MULTI,
    SurveyTally,
    SurveyTallyState,
)
from consult.summaries.tally import SINGLE_CHOICE_TYPES
from consult.surveys.models import Answer, Question, QuestionType, Response, ResponseState

#: Submissions fold their survey's waiting responses when their id is a multiple of this.
FOLD_EVERY = 256
#: Appended tally rows that make a fold merge the survey's rows (see compact()).
COMPACT_AFTER = 20_000
#: Responses counted at once that make PostgreSQL re-read the response table's statistics.
REANALYSE_AFTER = 50_000

#: The question types that may break others down (as QuestionInfo.can_segment says).
SEGMENT_TYPES = tuple(QuestionType(kind) for kind in sorted(SINGLE_CHOICE_TYPES))
TALLY = SurveyTally.__table__
#: Written as a constant (not a bound parameter) so that the planners can prove the partial
#: index ix_response_untallied applies.
SUBMITTED = literal_column(f"'{ResponseState.SUBMITTED.value}'")
COLUMNS = ("survey_id", "kind", "language", "channel", "segment_id", "segment_option",
           "question_id", "option_key", "rank", "number", "n", "key_sum")
#: The columns that tell one tally cell from another (the rest are summed).
GROUPING = COLUMNS[:-2]


def shape_of(segment_ids, multi_ids) -> str:
    """The stored form of the questions the tallies are made for."""
    return ",".join(map(str, sorted(segment_ids))) + ";" + ",".join(map(str, sorted(multi_ids)))


def _parse(shape: str) -> tuple[list[int], list[int]]:
    segments, _, multi = shape.partition(";")
    return ([int(n) for n in segments.split(",") if n], [int(n) for n in multi.split(",") if n])


def current_shape(survey_id: int) -> str:
    """The shape of the survey's questions now (as services.question_infos sees them)."""
    rows = db.session.execute(select(Question.id, Question.type, Question.is_segment)
                              .where(Question.survey_id == survey_id)).all()
    return shape_of([i for i, kind, segment in rows if segment and kind in SEGMENT_TYPES],
                    [i for i, kind, _ in rows if kind is QuestionType.MULTIPLE_CHOICE])


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _typed(value, kind):
    if value is None:
        return cast(null(), kind)
    return value if isinstance(value, ColumnElement) else literal(value, kind)


def _grains(survey_id: int, source, shape: str, sign: int):
    """One SELECT (UNION ALL) of every tally row of the responses in `source` (a selectable
    with id, language, channel and cell_key columns), counts and key sums multiplied by
    sign."""
    return union_all(*_grain_selects(survey_id, source, shape, sign))


def _grain_selects(survey_id: int, source, shape: str, sign: int) -> list:
    """The SELECTs of _grains, one per kind of row (and multiple choice question)."""
    segments, multi = _parse(shape)
    answer, segment, other = Answer.__table__, aliased(Answer.__table__), \
        aliased(Answer.__table__)
    text, number = String(), Numeric(18, 6, asdecimal=False)
    n = (func.count() * sign).label("n")
    # Each row counts responses once (a multiple choice option's answer rows are one per
    # response), so summing their keys gives the cell key of exactly what it counts.
    key_sum = (func.sum(source.c.cell_key) * sign).label("key_sum")

    def row(kind, language, channel, segment_id, segment_option, question_id, option_key,
            rank, value):
        values = (literal(survey_id), literal(kind), _typed(language, text),
                  _typed(channel, text), _typed(segment_id, Integer()),
                  _typed(segment_option, text), _typed(question_id, Integer()),
                  _typed(option_key, text), _typed(rank, Integer()), _typed(value, number))
        # Named like the tally table's columns, so that current_rows can union them with it.
        return (*(v.label(name) for v, name in zip(values, COLUMNS)), n, key_sum)

    keys = (answer.c.question_id, answer.c.option_key, answer.c.rank, answer.c.number)
    by = (source.c.language, source.c.channel)
    parts = [
        select(*row(HEADLINE, *by, None, None, None, None, None, None)).group_by(*by),
        select(*row(CELL, *by, None, None, *keys))
        .select_from(answer.join(source, source.c.id == answer.c.response_id))
        .group_by(*by, *keys),
    ]

    def answered(response_id, question_id):
        return select(other.c.id).where(other.c.response_id == response_id,
                                        other.c.question_id == question_id).exists()

    for question_id in multi:
        parts.append(select(*row(MULTI, *by, None, None, question_id, None, None, None))
                     .where(answered(source.c.id, question_id)).group_by(*by))
    if segments:
        joined = (segment.c.question_id, segment.c.option_key)
        # "+ 0" keeps SQLite from reading every segment answer by ix_answer_question_id:
        # a fold starts from its few responses, then their answers (measured: 480 ms -> ms).
        is_segment = (segment.c.question_id + 0).in_(segments)
        # A ranking is broken down by the option ranked first: its later ranks stay out.
        parts.append(
            select(*row(SEGMENT_CELL, None, None, *joined, *keys))
            .select_from(answer.join(segment, segment.c.response_id == answer.c.response_id)
                         .join(source, source.c.id == answer.c.response_id))
            .where(is_segment,
                   answer.c.question_id != segment.c.question_id,
                   segment.c.option_key.is_not(None),
                   or_(answer.c.rank.is_(None), answer.c.rank == 1))
            .group_by(*joined, *keys))
        for question_id in multi:
            parts.append(
                select(*row(SEGMENT_MULTI, None, None, *joined, question_id, None, None, None))
                .select_from(segment.join(source, source.c.id == segment.c.response_id))
                .where(is_segment, segment.c.option_key.is_not(None),
                       answered(segment.c.response_id, question_id))
                .group_by(*joined))
    return parts


def _append(survey_id: int, source, shape: str, sign: int) -> int:
    """Insert the tally rows of `source`; how many rows were inserted."""
    statement = insert(TALLY).from_select(COLUMNS, _grains(survey_id, source, shape, sign))
    return db.session.execute(statement).rowcount or 0


def _tune_postgres() -> None:
    """A fold of many responses is a few large aggregates: JIT compilation costs more than it
    saves, hash aggregation needs more than 4 MB to stay in memory, and sorting a million
    rows under a linguistic collation to group them took 5 s of a 13 s fold (measured at
    100,000 responses) where hashing takes under 2 s. Transaction-local, in one statement."""
    if _postgres():
        db.session.execute(db.text(
            "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true), "
            "set_config('enable_sort', 'off', true)"))


def _lock(survey_id: int) -> SurveyTallyState | None:
    """Lock the survey's state row (creating it empty); its values, read under the lock."""
    state = SurveyTallyState.__table__
    touch = update(state).where(state.c.survey_id == survey_id) \
        .values(revision=state.c.revision)
    if db.session.execute(touch).rowcount == 0:
        dialect = db.session.get_bind().dialect.name
        made = db.session.execute(upsert_insert(state, dialect).values(
            survey_id=survey_id, shape="", revision=0, appended=0).on_conflict_do_nothing())
        if made.rowcount != 1:  # made meanwhile by another transaction: lock it
            db.session.execute(touch)
    return db.session.get(SurveyTallyState, survey_id, populate_existing=True)


def _waiting(survey_id: int):
    """The condition on `response` of the submitted responses not yet counted."""
    response = Response.__table__
    return and_(response.c.survey_id == survey_id, response.c.state == SUBMITTED,
                response.c.untallied.is_not(None))


def _fold_waiting(survey_id: int, shape: str) -> int:
    """Count the waiting responses and mark them counted; tally rows inserted."""
    response = Response.__table__
    waiting = _waiting(survey_id)
    columns = (response.c.id, response.c.language, response.c.channel,
               response.c.cell_key)
    if _postgres():
        # Marked and listed in one statement: exactly the responses this fold counts. Their
        # answers cannot change before it commits (a change takes the lock first), and the
        # planner, told how many ids there are, reads just their answers by index.
        ids = db.session.scalars(update(response).where(waiting).values(untallied=None)
                                 .returning(response.c.id)).all()
        if not ids:
            return 0
        source = select(*columns).where(
            response.c.id == any_(bindparam("delta_ids", ids, type_=ARRAY(Integer))))
        added = _append(survey_id, source.subquery("delta"), shape, 1)
        if len(ids) >= REANALYSE_AFTER:
            # Statistics taken while these rows waited would have the planner scan the
            # whole table for waiting ones (15 ms at 100,000 responses, 130 ms at a million)
            # instead of reading the partial index (under a millisecond) until autoanalyze.
            db.session.execute(db.text("ANALYZE response"))
        return added
    # SQLite: within the one write transaction, nothing else writes between the two.
    added = _append(survey_id, select(*columns).where(waiting).subquery("delta"), shape, 1)
    db.session.execute(update(response).where(waiting).values(untallied=None))
    return added


def fold(survey_id: int, shape: str | None = None, rebuild: bool = True) -> int | None:
    """Count the survey's waiting responses (flushes, never commits); when the questions'
    shape changed, rebuild everything (or, with rebuild=False, do nothing). The tallies'
    revision once current, else None."""
    state = _lock(survey_id)
    shape = current_shape(survey_id) if shape is None else shape
    if state.shape != shape or state.revision == 0:
        if not rebuild:
            return None
        _rebuild(state, shape, counted_before=state.revision > 0)
        return state.revision
    _tune_postgres()
    added = _fold_waiting(survey_id, shape)
    if added:
        state.revision += 1
        state.appended += added
        if state.appended > COMPACT_AFTER:
            compact(state)
    db.session.flush()
    return state.revision


def _rebuild(state: SurveyTallyState, shape: str, counted_before: bool = True) -> None:
    """Recount the survey from its answers: the counted responses (none when its tallies
    were never made), then the waiting ones."""
    _tune_postgres()
    response = Response.__table__
    if counted_before:
        db.session.execute(delete(TALLY).where(TALLY.c.survey_id == state.survey_id))
        counted = select(response.c.id, response.c.language, response.c.channel,
                         response.c.cell_key).where(
            response.c.survey_id == state.survey_id,
            response.c.state == SUBMITTED,
            response.c.untallied.is_(None)).subquery("counted")
        _append(state.survey_id, counted, shape, 1)
    state.appended = _fold_waiting(state.survey_id, shape)
    state.shape = shape
    state.revision += 1
    db.session.flush()


def compact(state: SurveyTallyState) -> None:
    """Merge the survey's tally rows into one per combination of keys (zero sums dropped)."""
    keys = [TALLY.c[name] for name in GROUPING]
    top = db.session.scalar(select(func.max(TALLY.c.id))
                            .where(TALLY.c.survey_id == state.survey_id))
    if top is None:
        return
    mine = and_(TALLY.c.survey_id == state.survey_id, TALLY.c.id <= top)
    # Key sums are kept modulo 256 (all a cell key needs) so that they never outgrow the
    # column however many responses are counted.
    merged = select(*keys, func.sum(TALLY.c.n), func.sum(TALLY.c.key_sum) % KEYS) \
        .where(mine).group_by(*keys).having(func.sum(TALLY.c.n) != 0)
    db.session.execute(insert(TALLY).from_select(COLUMNS, merged))
    db.session.execute(delete(TALLY).where(mine))
    state.appended = 0


def forget(survey_id: int, response_ids) -> None:
    """Before counted responses' answers change or go: undo their counts and put them back
    to be counted again (flushes, never commits). The revision always moves, so that a view's
    token (state_token) changes even while nothing has been counted yet."""
    response_ids = list(response_ids)
    if not response_ids:
        return
    state = _lock(survey_id)
    response = Response.__table__
    these = and_(response.c.survey_id == survey_id, response.c.id.in_(response_ids))
    if state.revision and state.shape:
        counted = select(response.c.id, response.c.language, response.c.channel,
                         response.c.cell_key).where(
            these, response.c.state == SUBMITTED,
            response.c.untallied.is_(None)).subquery("counted")
        state.appended += _append(survey_id, counted, state.shape, -1)
    state.revision += 1
    db.session.execute(update(response).where(these).values(untallied=0))
    db.session.flush()


def after_submission(survey_id: int, response_id: int) -> None:
    """Every FOLD_EVERY-th response id, queue a fold of the survey for when the submission
    commits (at most one waits per survey): the submission itself does no extra work."""
    if FOLD_EVERY and response_id % FOLD_EVERY == 0:
        from consult.summaries.analysis_tasks import request_fold

        after_commit(lambda: request_fold(survey_id))


def rebuild(survey_id: int) -> None:
    """Recount a survey's tallies from scratch (flushes, never commits)."""
    state = _lock(survey_id)
    _rebuild(state, current_shape(survey_id))


def respondents(survey_id: int) -> int:
    """Submitted responses counted in the survey's tallies."""
    return int(db.session.scalar(select(func.coalesce(func.sum(TALLY.c.n), 0)).where(
        TALLY.c.survey_id == survey_id, TALLY.c.kind == HEADLINE)))


def _usable(survey_id: int, shape: str):
    """The survey's tally state row if its tallies are made for this shape, else None."""
    state = db.session.execute(select(SurveyTallyState.revision, SurveyTallyState.shape)
                               .where(SurveyTallyState.survey_id == survey_id)).first()
    return state if state is not None and state.shape == shape else None


def state_token(survey_id: int, shape: str | None = None, memo: bool = True) -> tuple:
    """(tallies' revision, whether they fit the shape, responses waiting, highest waiting id):
    changes whenever the counts do, read without writing (two indexed lookups; once per
    request unless memo is False)."""
    found = request.environ.setdefault("consult.tallies", {}) \
        if memo and has_request_context() else {}
    if survey_id not in found:
        shape = current_shape(survey_id) if shape is None else shape
        state = db.session.execute(select(SurveyTallyState.revision, SurveyTallyState.shape)
                                   .where(SurveyTallyState.survey_id == survey_id)).first()
        waiting = db.session.execute(select(func.count(), func.max(Response.__table__.c.id))
                                     .where(_waiting(survey_id))).one()
        found[survey_id] = (state.revision if state else 0,
                            state is not None and state.shape == shape,
                            int(waiting[0]), waiting[1] or 0)
    return found[survey_id]


def waiting_count(survey_id: int) -> int:
    """Submitted responses not yet folded into the tallies."""
    return int(db.session.scalar(select(func.count()).where(_waiting(survey_id))))


def current_rows(survey_id: int, shape: str):
    """A subquery of tally rows (the COLUMNS) whose sums are the survey's counts now: the
    stored rows plus those of the responses still waiting, aggregated without writing; or,
    when the tallies are not made for this shape yet, the rows of every submitted response
    (a full scan, until the next fold rebuilds them)."""
    response = Response.__table__
    columns = (response.c.id, response.c.language,
               type_coerce(response.c.channel, String).label("channel"), response.c.cell_key)
    if _usable(survey_id, shape) is None:
        everyone = select(*columns).where(response.c.survey_id == survey_id,
                                          response.c.state == SUBMITTED)
        return _grains(survey_id, everyone.subquery("everyone"), shape, 1).subquery("rows")
    waiting = select(*columns).where(_waiting(survey_id)).subquery("waiting")
    stored = select(*(TALLY.c[name] for name in COLUMNS)).where(TALLY.c.survey_id == survey_id)
    return union_all(stored, *_grain_selects(survey_id, waiting, shape, 1)).subquery("rows")
