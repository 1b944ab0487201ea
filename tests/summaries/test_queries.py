"""The SQL aggregates: equal to counts made by hand, drafts never counted, and a number of
statements that does not grow with the number of questions."""
from types import SimpleNamespace as Spec

from sqlalchemy import event

from consult.extensions import db
from consult.summaries import queries
from consult.summaries.services import question_infos, summary_for
from consult.surveys import changes, services
from consult.surveys.models import Channel, Response, ResponseState
from tests.summaries.helpers import respond, survey_consultation
from tests.summaries.reference import QUESTIONS, normalised, reference_aggregates
from tests.surveys.specs import options, question

TRADER = {"role": "trader", "area": "port", "support": "4", "priorities": ["jobs", "light"],
          "trust": 7, "age": 30, "order": ["jobs", "safety", "lights"], "ideas": "More light"}
RESIDENT = {"role": "resident", "area": "market", "support": "2", "priorities": ["buses"],
            "trust": 3, "age": 51, "order": ["safety", "jobs"]}
OFFICIAL = {"role": "official", "support": "5", "age": 44.5}
RECORDS = [("en", "web", TRADER)] * 12 + [("fr", "web", RESIDENT)] * 11 + \
          [("en", "paper", OFFICIAL)] * 3 + [("fr", "api", {"area": "port", "trust": 10})] * 2


def _fill(consultation):
    for language, channel, answers in RECORDS:
        respond(consultation, answers, language=language, channel=Channel(channel))


def _aggregates(consultation):
    survey = services.get_survey(consultation)
    infos = question_infos(survey)
    ids = {q.id: n for n, q in enumerate(infos, start=1)}
    found = queries.aggregates(survey.id, [q.id for q in infos if q.can_segment],
                               [q.id for q in infos if q.type == "multiple_choice"])
    return normalised(found, ids)


def test_sql_counts_equal_counts_made_by_hand(make_consultation):
    consultation = survey_consultation(make_consultation)
    _fill(consultation)
    found = _aggregates(consultation)
    assert found == reference_aggregates(RECORDS)
    # A few figures spelled out, as a reader of the report would check them.
    assert dict(((lang, ch), n) for lang, ch, n in found.headline) == {
        ("en", "web"): 12, ("fr", "web"): 11, ("en", "paper"): 3, ("fr", "api"): 2}
    assert ("en", "web", 4, "light", None, None, 12) in found.cells  # chose "light"
    assert ("fr", "web", 7, "jobs", 2, None, 11) in found.cells  # ranked jobs second
    assert ("en", "paper", 6, None, None, 44.5, 3) in found.cells  # a decimal age
    assert ("fr", "web", 4, 11) in found.multi_answered
    assert (1, "trader", 2, "port", None, None, 12) in found.segment_cells
    assert (2, "port", 5, None, None, 10.0, 2) in found.segment_cells  # trust by area
    assert (1, "resident", 4, 11) in found.segment_multi_answered


def test_drafts_are_never_counted(make_consultation):
    consultation = survey_consultation(make_consultation)
    _fill(consultation)
    respond(consultation, TRADER, times=2)
    drafts = db.session.scalars(db.select(Response).order_by(Response.id.desc()).limit(2))
    for draft in drafts:
        draft.state = ResponseState.DRAFT
    db.session.commit()
    assert _aggregates(consultation) == reference_aggregates(RECORDS)


def test_fingerprint_changes_with_every_new_or_changed_response(make_consultation):
    consultation = survey_consultation(make_consultation)
    survey = services.get_survey(consultation)
    empty = queries.fingerprint(survey.id)
    respond(consultation, TRADER)
    first = queries.fingerprint(survey.id)
    assert first != empty
    assert queries.fingerprint(survey.id) == first  # nothing new, nothing recounted
    counted = db.session.scalars(db.select(Response)).one()
    draft = changes.start_change(survey, counted)
    for answer in draft.answers:
        if answer.option_key == "port":
            answer.option_key = "market"
    changes.apply_change(survey, counted, draft, "idem-change")
    db.session.commit()
    assert queries.fingerprint(survey.id) != first


def _survey_of(make_consultation, extra: int):
    """A published consultation whose survey has 3 + extra questions of every kind."""
    consultation = survey_consultation(make_consultation)
    kinds = ["single_choice", "multiple_choice", "likert", "scale", "number", "ranking",
             "short_text"]
    more = [question(f"extra{n}", kinds[n % len(kinds)],
                     options=options("a", "b", "c") if kinds[n % len(kinds)] in (
                         "single_choice", "multiple_choice", "ranking") else
                     options("1", "2", "3", "4", "5") if kinds[n % len(kinds)] == "likert"
                     else [], is_segment=n == 0)
            for n in range(extra)]
    survey = services.get_survey(consultation)
    pages = [Spec(key=p.key, labels={}, questions=[
        question(q.key, q.type.value, is_segment=q.is_segment, allow_other=q.allow_other,
                 options=options(*[o.key for o in q.options]))
        for q in p.questions]) for p in survey.pages]
    pages.append(Spec(key="more", labels={}, questions=more))
    state = consultation.state
    services.replace_survey(consultation, pages)
    consultation.state = state
    db.session.commit()
    answers = {q.key: v for q, v in zip(more, ["a", ["b"], "3", 4, 9, ["c", "a"], "x"] * 5)}
    respond(consultation, {**TRADER, **answers}, times=4)
    return consultation


def _statements(app, action) -> int:
    count = 0

    def seen(*_):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    return count


def test_the_number_of_statements_does_not_grow_with_the_number_of_questions(
        app, make_consultation):
    few, many = (_survey_of(make_consultation, n) for n in (2, 24))
    assert len(services.get_survey(many).questions) >= 30

    def report(consultation):
        db.session.expire_all()  # a fresh request: nothing loaded yet, nothing cached
        app.extensions.pop("consult_fragments", None)
        survey = services.get_survey(consultation)
        summary_for(consultation, survey, planner=True)

    counts = [_statements(app, lambda c=c: report(c)) for c in (few, many)]
    assert counts[0] == counts[1], counts
    assert counts[0] <= 24, counts


def test_question_infos_match_the_reference_survey(make_consultation):
    consultation = survey_consultation(make_consultation)
    infos = question_infos(services.get_survey(consultation))
    assert [(q.key, q.type, q.options, q.is_segment) for q in infos] == \
        [(q.key, q.type, q.options, q.is_segment) for q in QUESTIONS] + [("info", "note", (),
                                                                          False)]
