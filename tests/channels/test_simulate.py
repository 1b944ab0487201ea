"""`flask consult sms-simulate`: the engine played in the terminal, nothing kept; the demo's
channel on safer-port-amani."""
import re

from consult.channels.models import ChannelConnection, Conversation, InboundMessage
from consult.extensions import db
from consult.surveys.models import Response
from tests.channels.conftest import receipt_words, sms_survey


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_sms_simulate_plays_a_whole_survey_in_french_and_keeps_nothing(app, make_consultation):
    consultation = sms_survey(make_consultation)
    result = app.test_cli_runner().invoke(
        args=["consult", "sms-simulate", consultation.slug, "--language", "fr"],
        input="2\n\n30\nskip\n5\nskip\nRien\n")
    assert result.exit_code == 0, result.output
    assert "> 2\nVotre rôle ?" in result.output
    assert re.search(re.escape(receipt_words("fr")) + r"[A-Z0-9]{4}-[A-Z0-9]{4}", result.output)
    assert "nothing was kept" in result.output
    db.session.rollback()
    for model in (Response, Conversation, InboundMessage, ChannelConnection):
        assert _count(model) == 0, model


def test_sms_simulate_refuses_an_unknown_consultation_or_language(app, make_consultation):
    consultation = sms_survey(make_consultation)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["consult", "sms-simulate", "nope"]).exit_code != 0
    refused = runner.invoke(args=["consult", "sms-simulate", consultation.slug, "--language",
                                  "sw"])
    assert refused.exit_code != 0 and "not 'sw'" in refused.output


def test_the_demo_connects_an_sms_channel_to_safer_port_amani_once(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["consult", "demo"])
    runner.invoke(args=["consult", "demo"])
    connection = db.session.scalars(db.select(ChannelConnection)).one()
    assert connection.consultation.slug == "safer-port-amani"
    assert connection.keyword_list == ["AMANI", "SALAMA"]
    assert connection.comment_keywords == "SEMA MAONI"  # a comment by SMS too
    played = runner.invoke(args=["consult", "sms-simulate", "safer-port-amani", "--language",
                                 "fr"], input="1\n")
    assert "> AMANI" in played.output and "Où passez-vous" in played.output
