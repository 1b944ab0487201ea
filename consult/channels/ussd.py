"""USSD sessions (Africa's Talking's protocol): each request carries the session id and every
input so far joined by '*'; the answer is one screen of at most 182 characters, "CON ..."
to go on or "END ..." to close. The same conversation engine as SMS answers; a question
whose options do not fit is paged ("98" shows the next screen). When the channel takes
comments, the first screen offers the survey or a comment (channels/comments.py). Operations
flush, never commit.

A comment typed on USSD cannot hold "*": the gateway joins the inputs with it, so the text
after the last "*" is what is read.
"""
import hashlib

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload

from consult.channels import comments
from consult.channels import conversation as engine
from consult.channels.limits import allow_inbound
from consult.channels.models import (
    ChannelConnection,
    CommentStep,
    Conversation,
    InboundMessage,
    Provider,
)
from consult.channels.numbers import normalise, number_key
from consult.channels.services import _LEAN, answered
from consult.extensions import db
from consult.surveys.models import Channel

#: Longest screen a USSD gateway shows, "CON " or "END " included.
SCREEN_LIMIT = 182
#: The input that shows the next screen of a paged question.
MORE = "98"


def screens(text: str, more: str, limit: int = SCREEN_LIMIT - 4) -> list[str]:
    """text cut into screens of at most limit characters, at line (else word) boundaries;
    every screen but the last ends with the "98. More" line."""
    if len(text) <= limit:
        return [text]
    footer = f"{MORE}. {more}"
    room = limit - len(footer) - 1
    pieces: list[str] = []
    for line in text.split("\n"):
        while len(line) > room:
            cut = line.rfind(" ", 0, room)
            cut = cut if cut > 0 else room
            pieces.append(line[:cut])
            line = line[cut:].lstrip()
        pieces.append(line)
    pages, current = [], []
    for piece in pieces:
        if current and len("\n".join([*current, piece, footer])) > limit:
            pages.append("\n".join([*current, footer]))
            current = []
        current.append(piece)
    pages.append("\n".join(current))
    return pages


def _connection(service_code: str) -> ChannelConnection | None:
    return db.session.scalar(db.select(ChannelConnection).filter_by(
        provider=Provider.AFRICASTALKING, number=normalise(service_code), ussd=True,
        active=True).order_by(ChannelConnection.id).limit(1).options(*_LEAN))


def _more_label(conversation: Conversation) -> str:
    with force_locale(conversation.language or conversation.connection.languages[0]):
        # Translators: the last line of a USSD screen whose options go on on the next one.
        return _("More")


def message_id_of(text: str, session_id: str) -> str:
    """The idempotency key of one USSD request: its session and the inputs so far."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    count = len(text.split("*")) if text else 0
    return f"ussd:{session_id[:80]}:{count}:{digest}"


def session_turn(service_code: str, number: str, session_id: str, text: str) -> str:
    """The screen ("CON ..." or "END ...") answering one USSD request; a gateway's retry of
    the same request gets the same screen and changes nothing."""
    inputs = text.split("*") if text else []
    message_id = message_id_of(text, session_id)
    earlier = answered(Provider.AFRICASTALKING, message_id)
    if earlier is not None:
        return earlier.reply
    connection = _connection(service_code)
    key = number_key(number)
    if connection is None:
        screen = "END " + _("This service is not available.")
    elif not allow_inbound(key, connection.consultation_id):
        screen = "END " + _("Too many messages. Please try again later.")
    else:
        screen = _turn(connection, key, number, inputs)
    db.session.add(InboundMessage(provider=Provider.AFRICASTALKING,
                                  provider_message_id=message_id, reply=screen))
    db.session.flush()
    return screen


def _turn(connection: ChannelConnection, key: str, number: str, inputs: list[str]) -> str:
    talk = db.session.scalar(db.select(Conversation).filter_by(connection_id=connection.id,
                                                               number_key=key)
                             .options(lazyload(Conversation.connection)))
    commented = False
    if talk is None or not inputs:  # a new session: the menu, or where the participant stopped
        fresh = talk is None
        talk = talk or engine.new_conversation(connection, key)
        talk.screen, talk.comment_step = 0, None
        if connection.takes_comments:
            full = comments.menu(talk)
        else:
            full = engine.respond(talk, "", fresh=fresh, start=True)
    else:
        typed = inputs[-1].strip()
        asking = talk.comment_step is not None
        current = "" if typed != MORE else comments.prompt(talk) if asking else \
            engine.prompt(talk) if not engine.over(talk) else ""
        paged = screens(current, _more_label(talk)) if current else []
        if len(paged) > 1:
            talk.screen = (talk.screen + 1) % len(paged)
            full = current
        else:
            talk.screen = 0
            if talk.comment_step is CommentStep.MENU:
                full, commented = _menu_choice(talk, typed)
            elif asking:
                full, commented = comments.go_on(talk, typed, number, Channel.USSD), True
            else:
                full = engine.respond(talk, typed)
    pages = screens(full, _more_label(talk))
    shown = pages[min(talk.screen, len(pages) - 1)]
    ended = talk.comment_step is None and (commented or engine.over(talk))
    return ("END " if ended else "CON ") + shown


def _menu_choice(talk: Conversation, typed: str) -> tuple[str, bool]:
    """The first menu's choice: (the next screen, whether a comment was chosen). On a
    channel taking comments only, "1" is the comment."""
    survey = talk.connection.takes_survey
    if typed == "1" and survey:
        talk.comment_step = None
        return engine.respond(talk, "", start=True), False
    if typed == ("2" if survey else "1"):
        return comments.start(talk), True
    return comments.menu(talk), False
