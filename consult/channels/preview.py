"""What a participant would receive, played through the conversation engine without keeping
or sending anything: the whole exchange runs in the caller's transaction, which the caller
rolls back (views: manage_views.preview)."""
import secrets
from dataclasses import dataclass

from consult.channels import conversation as engine
from consult.channels.models import ChannelConnection, Provider
from consult.channels.segments import Segments, count_segments
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation


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
    talk = engine.new_conversation(connection, "preview:" + secrets.token_hex(16))
    keyword = connection.keyword_list[0]
    sent = [keyword]
    if len(connection.languages) > 1 and language in connection.languages:
        sent.append(str(connection.languages.index(language) + 1))
    exchanges = []
    for n, text in enumerate([*sent, *messages]):
        reply = engine.respond(talk, text, fresh=n == 0)
        exchanges.append(Exchange(text, reply, count_segments(reply)))
    return exchanges
