"""Fixtures for the channels: a survey connected to an Africa's Talking shortcode, the
settings channels need, and a recording stand-in for the provider's API."""
from types import SimpleNamespace as Spec

import pytest

from consult.channels import services
from consult.channels.models import Provider
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import services as surveys
from tests.channels.gateway import Gateway
from tests.surveys.specs import options, question

SECRET = "callback-secret-4c1d"
SHORTCODE = "21525"


def sms_survey(make_consultation, languages=("en", "fr", "ar"), **settings):
    """An open consultation with a survey touching every SMS-answerable type and skip logic."""
    consultation = make_consultation(state=State.DRAFT, languages=languages, **settings)
    surveys.replace_survey(consultation, [
        Spec(key="you", labels={"en": "About you"}, questions=[
            question("role", "single_choice", required=True, allow_other=True,
                     options=options("trader", "youth"),
                     labels={"en": "Your role?", "fr": "Votre rôle ?", "ar": "دورك؟"}),
            question("stall", "short_text", required=True,
                     show_if={"q": "role", "op": "eq", "value": "trader"}),
            question("age", "number", integer=True,
                     constraint={"q": ".", "op": "le", "value": 120},
                     constraint_messages={"en": "An age is under 120."}),
        ]),
        Spec(key="views", labels={}, questions=[
            question("intro", "note", labels={"en": "Now your views.", "fr": "Votre avis."}),
            question("areas", "multiple_choice", options=options("port", "market", "lights")),
            question("trust", "scale"),
            question("since", "date"),
            question("comment", "long_text"),
        ]),
    ])
    consultation.state = State.OPEN
    db.session.commit()
    return consultation


@pytest.fixture
def channel_settings(app):
    """The settings channels read (a number key, Africa's Talking's secret)."""
    app.config.update(CHANNEL_NUMBER_KEY="test-number-key-0b7e",
                      CHANNEL_AFRICASTALKING_CALLBACK_SECRET=SECRET,
                      CHANNEL_AFRICASTALKING_USERNAME="sandbox",
                      CHANNEL_AFRICASTALKING_API_KEY="test-api-key")
    return app


@pytest.fixture
def gateway(channel_settings):
    """A recording stand-in for Africa's Talking's messaging API, configured as the API URL."""
    server = Gateway()
    channel_settings.config["CHANNEL_AFRICASTALKING_API_URL"] = server.url
    yield server
    server.stop()


@pytest.fixture
def connected(channel_settings, make_consultation):
    """A three-language survey connected to the Africa's Talking shortcode, keyword SAFE."""
    consultation = sms_survey(make_consultation)
    connection = services.connect(consultation, Provider.AFRICASTALKING, SHORTCODE, "safe sur")
    db.session.commit()
    return Spec(consultation=consultation, connection=connection)


@pytest.fixture
def sms(channel_settings):
    """Send an SMS through the engine as a participant: sms(text, number=...) -> reply."""
    counter = iter(range(1, 100_000))

    def send(text: str, number: str = "+254711000111", to: str = SHORTCODE) -> str:
        received = services.receive(Provider.AFRICASTALKING, to, number, text,
                                    f"msg-{next(counter)}")
        db.session.commit()
        return received.reply

    return send


RECEIPT_MESSAGE = ("Thank you, your answers are counted. Your receipt: %(receipt)s. Keep it to "
                   "see your answers and the results at %(url)s")


def in_language(language: str, message: str, **values) -> str:
    """An SMS text as the catalog of language has it (SMS is plain text: nothing escaped)."""
    from flask_babel import force_locale, gettext

    with force_locale(language):
        return gettext(message, **values)


def receipt_words(language: str) -> str:
    """The final message's words that come before the receipt code, in language."""
    return in_language(language, RECEIPT_MESSAGE, receipt="\x00", url="").split("\x00")[0]
