"""Channel operations: connect a channel, receive a message exactly once and route it (a
receipt code, an appeal, a comment, the survey). They flush, never commit; the caller commits
once (and sends the reply after the commit)."""
import datetime as dt
from dataclasses import dataclass
from typing import cast

from sqlalchemy.orm import defaultload, lazyload

from consult.channels import comments, notices, results
from consult.channels import conversation as engine
from consult.channels.commands import first_word
from consult.channels.limits import allow_inbound
from consult.channels.models import (
    ChannelConnection,
    Conversation,
    InboundMessage,
    Provider,
    Step,
)
from consult.channels.numbers import normalise, number_key
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.surveys.models import Channel

__all__ = ["notices"]  # imported so its signal receivers and tasks exist in every process


def connect(consultation: Consultation, provider: Provider, number: str, keywords: str,
            languages: list[str] | None = None, survey: bool = True,
            comments: bool = False, ussd: bool = False,
            comment_keywords: str = "") -> ChannelConnection:
    """Connect a number or shortcode (or, ussd, a USSD service code) on a provider to a
    consultation; keywords start the survey (survey: answered here at all; without it the
    channel takes comments only and keeps no survey keyword), comment_keywords a comment
    (comments: taken here at all; implied by comment keywords)."""
    comment_keywords = " ".join(comment_keywords.upper().split())
    connection = ChannelConnection(
        consultation_id=consultation.id, consultation=consultation, provider=provider,
        number=normalise(number), keywords=" ".join(keywords.upper().split()) if survey else "",
        language_codes=" ".join(languages or []), survey_enabled=survey,
        comments_enabled=comments or bool(comment_keywords),
        comment_keywords=comment_keywords, active=True, ussd=ussd)
    db.session.add(connection)
    db.session.flush()
    return connection


def keyword_clashes(provider: Provider, number: str, ussd: bool, words: list[str]) -> list[str]:
    """The words (upper-cased) another active channel on this provider and number already
    answers to; on a USSD code, any active channel there (a code leads to one menu)."""
    taken = db.session.scalars(db.select(ChannelConnection).filter_by(
        provider=provider, number=normalise(number), ussd=ussd, active=True))
    if ussd:
        return [normalise(number)] if next(iter(taken), None) is not None else []
    used = {word for c in taken for word in (*c.keywords.upper().split(),
                                             *c.comment_keywords.upper().split())}
    return sorted({w.upper() for w in words} & used)


def connections_for(consultation: Consultation) -> list[ChannelConnection]:
    """A consultation's channels."""
    return list(db.session.scalars(db.select(ChannelConnection)
                                   .filter_by(consultation_id=consultation.id)
                                   .order_by(ChannelConnection.id)))


@dataclass(frozen=True)
class Received:
    """What handling an inbound message gave: the reply, and whether it is new (to be sent)
    or a gateway's retry of a message already answered (sent before: not again)."""

    reply: str
    new: bool
    connection_id: int | None = None
    sender: str = ""  # the channel's number or shortcode, which the reply goes out from


#: The channel's consultation, without its texts and sections: a message never shows them,
#: and loading them was most of the time a message took (read lazily if ever needed).
_LEAN = (defaultload(ChannelConnection.consultation).lazyload(Consultation.texts),
         defaultload(ChannelConnection.consultation).lazyload(Consultation.sections))


def _conversation(connection: ChannelConnection, key: str) -> Conversation | None:
    # The connection is in the session already: no join, no second load of its consultation.
    return db.session.scalar(db.select(Conversation).filter_by(connection_id=connection.id,
                                                               number_key=key)
                             .options(lazyload(Conversation.connection)))


#: _connection found no conversation to hand on: _route looks it up.
_UNKNOWN = object()


def _connection(provider: Provider, to: str, key: str, text: str
                ) -> tuple[ChannelConnection | None, object]:
    """(the active channel a message to this number is for: the only one, or the one whose
    keyword it is, or the one this number is already talking to; this number's conversation
    on it when that was read to choose, else _UNKNOWN)."""
    candidates = list(db.session.scalars(
        db.select(ChannelConnection).filter_by(provider=provider, number=normalise(to),
                                               active=True, ussd=False)
        .order_by(ChannelConnection.id).options(*_LEAN)))
    if len(candidates) <= 1:
        return (candidates[0] if candidates else None), _UNKNOWN
    # A shared shortcode: this number's conversations on all of its channels, in one read,
    # both to choose the channel and to hand its conversation on (not read twice).
    talks = list(db.session.scalars(
        db.select(Conversation).filter(
            Conversation.number_key == key,
            Conversation.connection_id.in_([c.id for c in candidates]))
        .order_by(Conversation.seen_on.desc(), Conversation.id.desc())
        .options(lazyload(Conversation.connection))))
    by_keyword = [c for c in candidates if engine.is_keyword(c, text)
                  or comments.is_comment_keyword(c, text)]
    if by_keyword:
        chosen = by_keyword[0]
        return chosen, next((t for t in talks if t.connection_id == chosen.id), None)
    if not talks:
        return None, _UNKNOWN
    # Its connection is a candidate, in the session: reading it costs no statement.
    return talks[0].connection, talks[0]


def answered(provider: Provider, message_id: str) -> InboundMessage | None:
    """The record of a message already handled (a gateway retry), if any."""
    return db.session.scalar(db.select(InboundMessage).filter_by(
        provider=provider, provider_message_id=message_id[:120]))


def receive(provider: Provider, to: str, number: str, text: str, message_id: str) -> Received:
    """Handle one inbound message exactly once: a retry (same provider message id) gets the
    first reply back and changes nothing. The number is only hashed, never stored."""
    message_id = message_id[:120]
    earlier = answered(provider, message_id)
    if earlier is not None:
        return Received(earlier.reply, new=False)
    key = number_key(number)
    connection, talk = _connection(provider, to, key, text)
    reply = ""
    if connection is not None and not allow_inbound(key, connection.consultation_id):
        connection = None  # over a limit: recorded, not answered
    if connection is not None:
        reply = _route(connection, key, number, text, talk)
    db.session.add(InboundMessage(provider=provider, provider_message_id=message_id,
                                  reply=reply))
    db.session.flush()
    return Received(reply, new=True, connection_id=connection.id if connection else None,
                    sender=connection.number if connection else "")


def _route(connection: ChannelConnection, key: str, number: str, text: str,
           talk: object = _UNKNOWN) -> str:
    """The reply to one message: a receipt code gets "you said, we did" (in any state), an
    APPEAL from a comment's author files an appeal, a comment keyword or a comment being
    written goes to comments, YES after the survey asks for "you said, we did", the rest
    to the survey (on a comments-only channel: how to comment). talk: the number's
    conversation when already read (None: it has none)."""
    for special in (lambda: results.receipt_reply(connection, text),
                    lambda: notices.appeal_by_reply(connection, key, number, text)):
        reply = special()
        if reply is not None:
            return reply
    talk = _conversation(connection, key) if talk is _UNKNOWN else cast(Conversation | None,
                                                                           talk)
    if talk is not None:
        talk.seen_on = dt.date.today()
    if comments.is_comment_keyword(connection, text):
        return comments.start(talk or engine.new_conversation(connection, key))
    if talk is not None and talk.comment_step is not None:
        return comments.go_on(talk, text, number, Channel.SMS)
    if not connection.takes_survey:
        return comments.outside(connection, talk, text)
    fresh = False
    if talk is None or (talk.step is Step.LANGUAGE and talk.language is not None):
        # No survey started (a new number, or one that has only commented): a keyword starts
        # it, anything else is told how to.
        if not engine.is_keyword(connection, text):
            return engine.hint_to_start(connection)
        if talk is None:
            talk, fresh = engine.new_conversation(connection, key), True
    if talk.step is Step.DONE and first_word(text, "yes", talk.language):
        return results.opt_in(talk, number)
    before = talk.step
    reply = engine.respond(talk, text, fresh=fresh)
    if talk.step is Step.DONE and before is not Step.DONE:
        offered = results.offer(talk)
        reply = "\n".join([reply, offered]) if offered else reply
    return reply


def purge_old(older_than_days: int, today: dt.date | None = None) -> tuple[int, int]:
    """Delete conversations silent for more than older_than_days (their drafts go with the
    survey's own purge) and inbound records as old (no gateway retries that late); how many
    of each. Less kept, less to lose."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=older_than_days)
    talks = db.session.execute(db.delete(Conversation).where(Conversation.seen_on < cutoff))
    inbound = db.session.execute(db.delete(InboundMessage).where(
        InboundMessage.received_on < cutoff))
    return talks.rowcount, inbound.rowcount
