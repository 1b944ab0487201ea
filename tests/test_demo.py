"""Demo data: a realistic consultation in four languages, staff logins, loaded idempotently."""
from click.testing import CliRunner

from consult.accounts.models import Membership, Organisation, User
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation, Section
from consult.consultations.services import get_consultation
from consult.demo import DEMO_PASSWORD, DEMO_USERS
from consult.extensions import db


def _counts():
    return [db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Organisation, User, Membership, Consultation, Section)]


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


def test_demo_shows_a_draft_a_closed_consultation_and_a_missing_translation(app):
    app.test_cli_runner().invoke(args=["consult", "demo"])
    states = {c.slug: c.state for c in db.session.scalars(db.select(Consultation))}
    assert State.DRAFT in states.values() and State.CLOSED in states.values()
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
