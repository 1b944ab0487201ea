"""Demo data: a realistic consultation in four languages, staff logins, loaded idempotently."""
from click.testing import CliRunner

from consult.accounts.models import Membership, Organisation, User
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation, Section
from consult.consultations.services import get_consultation
from consult.demo import DEMO_PASSWORD, DEMO_USERS
from consult.extensions import db


def _counts():
    from consult.programmes.models import (
        Commitment,
        CommitmentUpdate,
        IndicatorProposal,
        Programme,
        SelfAssessment,
    )
    from consult.surveys.models import Response

    return [db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Organisation, User, Membership, Consultation, Section, Programme,
                          IndicatorProposal, SelfAssessment, Commitment, CommitmentUpdate,
                          Response)]


def test_demo_command_is_idempotent_and_prints_the_logins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["consult", "demo"])
    assert first.exit_code == 0, first.output
    counts = _counts()
    second = runner.invoke(args=["consult", "demo"])
    assert second.exit_code == 0 and _counts() == counts
    for email, *_ in DEMO_USERS:
        assert email in first.output
    assert DEMO_PASSWORD in first.output
    assert "auditor@demo.example" in first.output  # the programme's auditor


def test_demo_consultation_is_complete_in_four_languages(app):
    app.test_cli_runner().invoke(args=["consult", "demo"])
    consultation = get_consultation("safer-port-amani")
    assert consultation.state is State.OPEN
    assert set(consultation.languages) == {"en", "fr", "es", "ar"}
    assert 4 <= len(consultation.sections) <= 6
    for language in consultation.languages:
        for item in (consultation, *consultation.sections):
            for field in item.TRANSLATED_FIELDS:
                assert not item.text(field, language).is_fallback, (field, language)
    assert consultation.partners and consultation.partners[0].slug == "port-amani-council"


def test_demo_shows_a_draft_published_results_and_a_missing_translation(app):
    app.test_cli_runner().invoke(args=["consult", "demo"])
    states = {c.slug: c.state for c in db.session.scalars(db.select(Consultation))}
    assert states["border-market-lighting"] is State.DRAFT
    # Closed, then its results published: the closed consultation of the demo.
    assert states["youth-jobs-harbour"] is State.RESULTS_PUBLISHED
    draft = get_consultation("border-market-lighting")
    assert draft.text("body", "es").is_fallback


def test_consult_console_script_runs_the_same_commands(app, monkeypatch):
    from consult import cli

    monkeypatch.setattr(cli, "_create_app", lambda: app)
    result = CliRunner().invoke(cli.build_console_group(), ["demo"])
    assert result.exit_code == 0, result.output
    assert "admin@demo.example" in result.output


def test_demo_consultation_has_a_survey_in_its_four_languages(app, client):
    from consult.surveys.models import QuestionType
    from consult.surveys.services import get_survey

    app.test_cli_runner().invoke(args=["consult", "demo"])
    consultation = get_consultation("safer-port-amani")
    survey = get_survey(consultation)
    assert len(survey.pages) == 3
    assert {q.type for q in survey.questions} >= {QuestionType.SINGLE_CHOICE,
                                                  QuestionType.LIKERT, QuestionType.SCALE}
    for question in survey.questions:
        for language in consultation.languages:
            assert not question.text("label", language).is_fallback, (question.key, language)
    assert client.get("/consultations/safer-port-amani/survey?lang=ar").status_code == 200


def test_demo_results_are_published_with_figures_translated_and_protected(app, client):
    from consult.comments.models import Comment, Vote
    from consult.summaries.planner_responses import responses_of
    from consult.surveys.models import Channel, QuestionType, Response
    from consult.surveys.services import get_survey, survey_parts

    runner = app.test_cli_runner()
    runner.invoke(args=["consult", "demo"])
    consultation = get_consultation("youth-jobs-harbour")
    survey = get_survey(consultation)
    assert {q.type for q in survey.questions} >= {
        QuestionType.SINGLE_CHOICE, QuestionType.LIKERT, QuestionType.NUMBER,
        QuestionType.LONG_TEXT}
    assert any(q.is_segment for q in survey.questions)
    published = responses_of(consultation, published_only=True)
    assert len(published) == 2
    for language in consultation.languages:
        for item in (*survey_parts(survey), *published):
            for field in item.TRANSLATED_FIELDS:
                if item.text(field, "en").text:  # hints are optional, but then everywhere
                    assert not item.text(field, language).is_fallback, (item, field, language)
    responses = list(db.session.scalars(db.select(Response).filter_by(survey_id=survey.id)))
    assert 60 <= len(responses) <= 150
    assert {r.language for r in responses} == set(consultation.languages)
    assert {r.channel for r in responses} >= {Channel.WEB, Channel.PAPER}
    def counted(model, **where):
        return db.session.scalar(db.select(db.func.count()).select_from(model)
                                 .filter_by(**where))

    comments = counted(Comment, consultation_id=consultation.id)
    votes = counted(Vote, consultation_id=consultation.id)
    assert comments >= 5 and votes >= 15 * comments

    page = client.get("/consultations/youth-jobs-harbour/results?lang=ar")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "140" in html and 'dir="rtl"' in html
    # Free text is for planners only; a "fewer than k" cell shows the protection at work.
    assert "tuteur" not in html and "مرشد في الميناء لكل متدرب" not in html
    assert client.get("/consultations/youth-jobs-harbour/results?lang=en").get_data(
        as_text=True).count("fewer than 10") >= 1

    runner.invoke(args=["consult", "demo"])  # created once
    assert [counted(Response, survey_id=survey.id), counted(Comment, consultation_id=
            consultation.id), counted(Vote, consultation_id=consultation.id)] == [
        len(responses), comments, votes]


def test_demo_names_an_independent_reviewer_whose_inbox_opens(app, client):
    """A newcomer sees the grievance flow at once: the consultation page links to the form,
    and the demo reviewer's passphrase (printed by `consult demo`) opens its keys."""
    from consult.demo import DEMO_REVIEWER_PASSPHRASE
    from consult.grievances import keys

    output = app.test_cli_runner().invoke(args=["consult", "demo"]).output
    assert DEMO_REVIEWER_PASSPHRASE in output and "reviewer@demo.example" in output
    page = client.get("/consultations/safer-port-amani?lang=en").get_data(as_text=True)
    assert "/consultations/safer-port-amani/grievance" in page
    assert client.get("/consultations/safer-port-amani/grievance").status_code == 200
    reviewer = db.session.scalars(db.select(Organisation).filter_by(
        slug="port-amani-ombudsperson")).one()
    assert keys.open_private_key(keys.keys_of(reviewer.id), DEMO_REVIEWER_PASSPHRASE)


def test_demo_programme_shows_a_trend_indicators_from_comments_and_an_action_plan(app, client):
    """A newcomer sees the programme at once: three published rounds with a trend, a fourth
    open one, indicators adopted from proposals, self-assessments and commitments."""
    import datetime as dt

    from consult.programmes import commitments, services
    from consult.programmes.models import (
        IndicatorProposal,
        ProgrammeAuditor,
        ProposalSource,
        ProposalState,
        SelfAssessment,
    )
    from consult.surveys.models import Answer, Channel, Question, Response, Survey

    app.test_cli_runner().invoke(args=["consult", "demo"])
    programme = services.get_programme("community-safety-port-amani")
    assert programme.host.slug == "coastal-voices"
    for language in programme.languages:
        for field in programme.TRANSLATED_FIELDS:
            assert not programme.text(field, language).is_fallback, (field, language)
    rounds = programme.rounds
    assert [r.consultation.state for r in rounds] == [State.RESULTS_PUBLISHED] * 3 + [State.OPEN]
    assert rounds[0].consultation.opens_on <= dt.date.today() - dt.timedelta(days=365)
    assert {p.slug for p in rounds[1].consultation.partners} >= {"port-amani-council"}

    def agreeing(round_):
        """Share of the round's answers to feel_safe that agree (4 or 5)."""
        base = (db.select(db.func.count()).select_from(Answer).join(Question)
                .join(Survey).where(Survey.consultation_id == round_.consultation_id,
                                    Question.key == "feel_safe"))
        return (db.session.scalar(base.where(Answer.option_key.in_(["4", "5"])))
                / db.session.scalar(base))

    shares = [agreeing(r) for r in rounds[:3]]
    assert shares == sorted(shares) and shares[2] - shares[0] > 0.15
    responses = db.session.scalars(db.select(Response).join(Survey).where(
        Survey.consultation_id == rounds[0].consultation_id)).all()
    assert 200 <= len(responses) <= 1500
    assert {r.channel for r in responses} == {Channel.WEB, Channel.PAPER, Channel.SMS}
    assert len({r.language for r in responses}) == 4
    first = rounds[0].consultation
    assert all(first.opens_on <= r.submitted_on <= first.closes_on for r in responses)

    assert [i.question_key for i in programme.indicators] == [
        "feel_safe", "trust_hotline", "harmed"]
    assert {i.proposal.source for i in programme.indicators} == {
        ProposalSource.COMMENT, ProposalSource.HOST}
    states = {p.state for p in db.session.scalars(db.select(IndicatorProposal).filter_by(
        programme_id=programme.id))}
    assert states == {ProposalState.ADOPTED, ProposalState.DECLINED, ProposalState.OPEN}
    for round_ in rounds[:3]:
        assert db.session.scalar(db.select(db.func.count()).select_from(SelfAssessment)
                                 .filter_by(round_id=round_.id)) >= 9

    plan = commitments.commitments_of(programme)
    assert len({c.status.key for c in plan}) >= 4 and any(commitments.is_overdue(c) for c in plan)
    timelines = commitments.timelines([c.id for c in plan])
    assert all(len(entries) >= 2 for entries in timelines.values())
    assert all(e.created_on < dt.date.today() for entries in timelines.values() for e in entries)
    assert db.session.scalar(db.select(ProgrammeAuditor).filter_by(
        programme_id=programme.id)).user.email == "auditor@demo.example"

    page = client.get("/consultations/community-safety-port-amani-1/results?lang=fr")
    assert page.status_code == 200 and str(len(responses)) in page.get_data(as_text=True)
    page = client.get("/programmes/community-safety-port-amani?lang=ar")
    assert page.status_code == 200 and "السلامة المجتمعية في بورت أماني" in page.get_data(
        as_text=True)
    client.post_form("/manage/login", {"email": "auditor@demo.example",
                                       "password": DEMO_PASSWORD})
    assert client.get("/manage/programmes/community-safety-port-amani/audit").status_code == 200
