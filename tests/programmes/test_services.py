"""Programmes, rounds, indicators, proposals, self-assessments and commitments (services)."""
import datetime as dt

import pytest
from sqlalchemy import select, text

from consult.accounts.models import Role
from consult.append_only import AppendOnlyError
from consult.comments import services as comments
from consult.comments.models import Comment, CommentState
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.programmes import commitments, indicators, services
from consult.programmes.models import (
    CommitmentUpdate,
    Direction,
    IndicatorKind,
    LinkKind,
    ProposalSource,
    ProposalState,
)
from consult.surveys import services as surveys


def test_next_round_copies_texts_sections_languages_and_question_keys(make_programme):
    programme = make_programme()
    first = programme.rounds[0].consultation
    second = services.start_next_round(programme, "round-2", None)
    db.session.commit()
    copy = second.consultation
    assert second.position == 2 and copy.state is State.DRAFT
    assert copy.languages == first.languages and copy.texts_for("title") == first.texts_for("title")
    assert [s.texts_for("title") for s in copy.sections] == \
        [s.texts_for("title") for s in first.sections]
    keys = [q.key for q in surveys.get_survey(copy).questions]
    assert keys == [q.key for q in surveys.get_survey(first).questions]
    segment = indicators.question_in(copy, "area")
    assert segment.is_segment and [o.key for o in segment.options] == ["north", "south"]
    assert indicators.question_in(copy, "feel_safe").texts_for("label")["fr"] == \
        "Je me sens en sécurité la nuit"


def test_consultation_of_another_host_cannot_become_a_round(make_programme, make_consultation):
    programme = make_programme()
    with pytest.raises(services.RoundRefused):
        services.add_round(programme, make_consultation(), None)


def test_consultation_is_a_round_of_one_programme_only(make_programme):
    programme = make_programme()
    other = services.create_programme(programme.host, "other", "en", ["en"], {}, None)
    with pytest.raises(services.RoundRefused):
        services.add_round(other, programme.rounds[0].consultation, None)


def test_indicators_follow_likert_scale_and_single_choice_questions_only(make_programme):
    programme = make_programme()
    assert [(i.question_key, i.kind) for i in programme.indicators] == [
        ("feel_safe", IndicatorKind.LIKERT), ("trust_hotline", IndicatorKind.SCALE),
        ("harmed", IndicatorKind.CHOICE)]
    first = programme.rounds[0].consultation
    with pytest.raises(indicators.IndicatorRefused):
        indicators.add_indicator(programme, indicators.question_in(first, "why"), {"en": "x"},
                                 programme.indicators[0].direction, [], None)


def test_proposal_from_a_published_comment_is_voted_on_as_a_statement(make_programme):
    programme = make_programme()
    first = programme.rounds[0].consultation
    said = comments.post_comment(first, "a" * 64, "Street lights on the harbour road",
                                 "en", state=CommentState.PUBLISHED)
    proposal = indicators.propose(programme, programme.rounds[0],
                                  {"en": "The harbour road is lit at night"}, None, comment=said)
    db.session.commit()
    statement = db.session.get(Comment, proposal.statement_id)
    assert statement.state is CommentState.PUBLISHED and statement.consultation_id == first.id
    assert proposal.source is ProposalSource.COMMENT and proposal.source_comment_id == said.id
    statement.agree_count, statement.disagree_count = 7, 2
    db.session.commit()
    assert indicators.support([proposal]) == {proposal.id: (7, 2, 0)}


def test_unpublished_comment_cannot_be_promoted(make_programme):
    programme = make_programme()
    first = programme.rounds[0].consultation
    held = comments.post_comment(first, "b" * 64, "Call me on 0712 345 678", "en",
                                 state=CommentState.PENDING)
    with pytest.raises(indicators.IndicatorRefused):
        indicators.propose(programme, programme.rounds[0], {"en": "Lit"}, None, comment=held)


def test_adopting_a_proposal_records_where_the_indicator_came_from(make_programme):
    programme = make_programme(indicators=False)
    first = programme.rounds[0].consultation
    proposal = indicators.propose(programme, programme.rounds[0], {"en": "Feeling safe"}, None,
                                  theme=(first, "lights-road", "Lights, road, night"))
    indicator = indicators.add_indicator(
        programme, indicators.question_in(first, "feel_safe"), {"en": "Feeling safe"},
        Direction.HIGHER_IS_BETTER, [], None, proposal=proposal)
    db.session.commit()
    assert proposal.state is ProposalState.ADOPTED
    assert indicator.proposal.source_theme_name == "Lights, road, night"


def test_self_assessment_is_kept_per_person_and_corrected_not_doubled(
        make_programme, make_user):
    programme = make_programme()
    round_ = programme.rounds[0]
    officer = make_user(programme.host, Role.PLANNER)
    safe, trust, _ = programme.indicators
    indicators.score(round_, safe, officer, programme.host_organisation_id, "agree")
    indicators.score(round_, safe, officer, programme.host_organisation_id, "strongly_agree")
    indicators.score(round_, trust, officer, programme.host_organisation_id, 7)
    db.session.commit()
    counts = indicators.self_assessment_counts([round_.id])
    assert counts[(round_.id, safe.id)] == {"strongly_agree": 1}
    assert counts[(round_.id, trust.id)] == {7.0: 1}
    with pytest.raises(indicators.IndicatorRefused):
        indicators.score(round_, trust, officer, programme.host_organisation_id, 11)
    with pytest.raises(indicators.IndicatorRefused):
        indicators.score(round_, safe, officer, programme.host_organisation_id, "maybe")


def _state(programme, status_key, progress, texts=None):
    status = next(s for s in programme.statuses if s.key == status_key)
    return commitments.CommitmentState(
        texts or {("title", "en"): "Light the harbour road"}, "Port Amani council",
        dt.date(2027, 3, 1), status, progress)


def test_commitment_changes_append_to_its_timeline_and_never_overwrite(make_programme, make_user):
    programme = make_programme()
    planner = make_user(programme.host, Role.PLANNER)
    link = commitments.Link(LinkKind.INDICATOR, indicator_id=programme.indicators[0].id)
    made = commitments.create_commitment(programme, _state(programme, "planned", 0), [link],
                                         {"en": "Agreed at the scorecard meeting"}, planner)
    assert commitments.update_commitment(made, _state(programme, "planned", 0), {}, planner) \
        is None
    commitments.update_commitment(made, _state(programme, "under_way", 40),
                                  {"en": "Poles ordered", "fr": "Poteaux commandés"}, planner)
    db.session.commit()
    history = commitments.timelines([made.id])[made.id]
    assert [(e.status_key, e.progress, e.changed_parts) for e in history] == [
        ("planned", 0, []), ("under_way", 40, ["status", "progress"])]
    assert history[1].text("note", "fr", "en").text == "Poteaux commandés"
    assert history[0].texts["title"] == {"en": "Light the harbour road"}
    with pytest.raises(AppendOnlyError):
        history[0].progress = 99
        db.session.flush()
    db.session.rollback()


def test_commitment_timeline_cannot_be_rewritten_in_sql(make_programme):
    programme = make_programme()
    made = commitments.create_commitment(programme, _state(programme, "planned", 0), [], {},
                                         None)
    db.session.commit()
    with pytest.raises(Exception):
        db.session.execute(text("UPDATE commitment_update SET progress = 100"))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(CommitmentUpdate.progress)
                             .where(CommitmentUpdate.commitment_id == made.id)) == 0


def test_commitment_refuses_a_status_of_another_programme_and_bad_progress(make_programme):
    programme, other = make_programme(), make_programme()
    with pytest.raises(commitments.CommitmentRefused):
        commitments.create_commitment(programme, _state(other, "planned", 0), [], {}, None)
    with pytest.raises(commitments.CommitmentRefused):
        commitments.create_commitment(programme, _state(programme, "planned", 101), [], {},
                                      None)


def test_receipts_find_commitments_answering_a_question_theme_or_statement(make_programme):
    programme = make_programme()
    first = programme.rounds[0].consultation
    made = commitments.create_commitment(
        programme, _state(programme, "done", 100),
        [commitments.Link(LinkKind.QUESTION, consultation_id=first.id, key="why")], {}, None)
    db.session.commit()
    assert commitments.answering(first.id, {"why"}, set(), set(), set()) == [made]
    assert commitments.answering(first.id, {"area"}, set(), set(), set()) == []
    assert not commitments.is_overdue(made, dt.date(2030, 1, 1))


def test_done_status_of_a_commitment_is_not_the_word_for_a_finished_job(make_org):
    """'Done' of a commitment has its own context: French and Spanish agree it with
    'engagement'/'compromiso', not with the job's 'tâche'/'tarea'."""
    programme = services.create_programme(make_org(), "gendered", "fr", ["fr", "es"], {}, None)
    done = next(s for s in programme.statuses if s.key == "done")
    assert done.texts_for("label") == {"fr": "Réalisé", "es": "Cumplido"}
