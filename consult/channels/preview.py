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
    """The first active SMS channel, or a stand-in (never added to the session by itself)."""
    found = next((c for c in connections if c.active and not c.ussd), None)
    if found is not None:
        return found
    return ChannelConnection(consultation_id=consultation.id, consultation=consultation,
                             provider=Provider.AFRICASTALKING, number="0000",
                             keywords=consultation.slug.split("-")[0].upper(),
                             language_codes="", survey_enabled=True, active=True, ussd=False)


def play(consultation: Consultation, connections: list[ChannelConnection], language: str,
         messages: list[str]) -> list[Exchange]:
    """The keyword, the language choice (when several are offered), then each message, with
    the replies a participant would get. A draft or closed consultation is played as if open.
    Writes only in the current transaction: the caller must roll it back."""
    if consultation.state is not State.OPEN or consultation.closes_on is not None:
        consultation.state, consultation.closes_on = State.OPEN, None  # rolled back after
    connection = _connection(consultation, connections)
    key = "preview:" + secrets.token_hex(16)
    sent = [connection.keyword_list[0]]
    if len(connection.languages) > 1 and language in connection.languages:
        sent.append(str(connection.languages.index(language) + 1))
    exchanges = []
    for text in [*sent, *messages]:
        try:
            # The same routing as a real message (survey, comments, receipts, YES), without
            # the idempotency record and the rate limits (their counters outlive a rollback).
            reply = services._route(connection, key, PREVIEW_NUMBER, text)
        except NumberKeyMissing:
            reply = str(NO_NUMBER_KEY)
        exchanges.append(Exchange(text, reply, count_segments(reply)))
    return exchanges
