"""What a participant would receive, played through the conversation engine without keeping
or sending anything: the whole exchange runs in the caller's transaction, which the caller
rolls back (views: manage_views.preview)."""
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from consult.channels import services
from consult.channels.models import ChannelConnection, Provider
from consult.channels.numbers import NumberKeyMissing
from consult.channels.segments import Segments, count_segments
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.surveys.services import get_survey

#: Shown instead of a reply that needs to seal the number (a comment, YES after the survey).
NO_NUMBER_KEY = _l("This reply needs CHANNEL_NUMBER_KEY to be set in the server's "
                   "configuration.")
#: The number the played conversation comes from: never a real one, and never kept.
PREVIEW_NUMBER = "+000000000000"


@dataclass(frozen=True)
class Exchange:
    """One message a participant sends and the reply they would get, with its cost."""

    sent: str
    reply: str
    segments: Segments


def _connection(consultation: Consultation,
                connections: list[ChannelConnection]) -> ChannelConnection:
    """The first active SMS channel, or a stand-in (never added to the session by itself)
    answering the survey, or taking comments when the consultation has no survey."""
    found = next((c for c in connections if c.active and not c.ussd), None)
    if found is not None:
        return found
    word = consultation.slug.split("-")[0].upper()
    survey = get_survey(consultation) is not None
    return ChannelConnection(consultation_id=consultation.id, consultation=consultation,
                             provider=Provider.AFRICASTALKING, number="0000",
                             keywords=word if survey else "", survey_enabled=survey,
                             comments_enabled=not survey,
                             comment_keywords="" if survey else word,
                             language_codes="", active=True, ussd=False)


def play(consultation: Consultation, connections: list[ChannelConnection], language: str,
         messages: list[str]) -> list[Exchange]:
    """The keyword (the survey's, or on a channel taking comments only, a comment's), the
    language choice (when several are offered), then each message, with the replies a
    participant would get. A draft or closed consultation is played as if open.
    Writes only in the current transaction: the caller must roll it back."""
    if consultation.state is not State.OPEN or consultation.closes_on is not None:
        consultation.state, consultation.closes_on = State.OPEN, None  # rolled back after
    connection = _connection(consultation, connections)
    key = "preview:" + secrets.token_hex(16)
    sent = [connection.start_keyword]
    if len(connection.languages) > 1 and language in connection.languages:
        sent.append(str(connection.languages.index(language) + 1))
    exchanges = []
    for text in [*sent, *messages]:
        try:
            # The same routing as a real message (survey, comments, receipts, YES), without
            # the idempotency record and the rate limits (their counters outlive a rollback).
            reply = services._route(connection, key, PREVIEW_NUMBER, text)
            # As the real route's inbound record does: the stand-in channel and a new
            # conversation get their ids before the next message looks the conversation up.
            db.session.flush()
        except NumberKeyMissing:
            reply = str(NO_NUMBER_KEY)
        exchanges.append(Exchange(text, reply, count_segments(reply)))
    return exchanges
