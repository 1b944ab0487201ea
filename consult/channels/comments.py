"""Comments by SMS and USSD: a comment keyword (or "comment" in the USSD menu) starts one;
language when needed, then the proposal as a whole or one of its sections, then the text.

Posted through the web's comment service with its screening (blocked authors, watched words,
personal information held) and the new-participant limits, but ALWAYS pre-moderated: nobody
can read a comment that arrived by phone before a moderator has. The comment keeps its channel,
language and day; the author's number is kept sealed only until the decision is texted
(notices.py). Operations flush, never commit; replies are in the conversation's language.
"""
import secrets

from flask_babel import force_locale
from flask_babel import gettext as _

from consult.channels.answers import _digits
from consult.channels.commands import COMMANDS, WORDS, command
from consult.channels.conversation import hint_to_start
from consult.channels.models import (
    ChannelComment,
    ChannelConnection,
    CommentStep,
    Conversation,
)
from consult.channels.numbers import seal
from consult.comments import services as comment_services
from consult.comments.text import MAX_LENGTH
from consult.consultations.lifecycle import ParticipationMode
from consult.consultations.models import Section
from consult.extensions import db
from consult.i18n import language_name
from consult.moderation import limits, screening
from consult.moderation.models import Reason
from consult.surveys.models import Channel


def is_comment_keyword(connection: ChannelConnection, text: str) -> bool:
    """Whether the message starts with one of the channel's comment keywords."""
    words = text.strip().upper().split()
    return connection.takes_comments and bool(words) and \
        words[0] in connection.comment_keyword_list


def _language(conversation: Conversation) -> str:
    return conversation.language or conversation.connection.languages[0]


def refusal(connection: ChannelConnection) -> str | None:
    """Why no comment can be sent on this channel now (translated), or None."""
    consultation = connection.consultation
    if not consultation.allows("comment"):
        return _("This consultation is not taking comments now.")
    if not connection.takes_comments or \
            consultation.participation_mode is not ParticipationMode.ANONYMOUS:
        return _("Comments on this consultation cannot be sent by SMS.")
    return None


def start(conversation: Conversation) -> str:
    """Begin a comment on this conversation; the first question to ask."""
    with force_locale(_language(conversation)):
        refused = refusal(conversation.connection)
        if refused is not None:
            conversation.comment_step = None
            return refused
        if conversation.author_key is None:
            conversation.author_key = "sms:" + secrets.token_hex(24)
        conversation.comment_section_id = None
        languages = conversation.connection.languages
        if conversation.language is None and len(languages) > 1:
            conversation.comment_step = CommentStep.LANGUAGE
            return _language_menu(languages)
        conversation.language = _language(conversation)
    return _after_language(conversation)


def menu(conversation: Conversation) -> str:
    """USSD's first screen: the survey or a comment, or (a channel taking comments only)
    "Send a comment" alone, so the caller knows what the code is for before writing."""
    conversation.comment_step = CommentStep.MENU
    with force_locale(_language(conversation)):
        if not conversation.connection.takes_survey:
            return "\n".join([_("Reply with a number:"), "1. " + _("Send a comment")])
        return "\n".join([_("Reply with a number:"), "1. " + _("Answer the survey"),
                          "2. " + _("Send a comment")])


def prompt(conversation: Conversation) -> str:
    """What the comment being written asks now, again, without moving it (USSD paging)."""
    step = conversation.comment_step
    if step is CommentStep.MENU:
        return menu(conversation)
    with force_locale(_language(conversation)):
        if step is CommentStep.LANGUAGE:
            return _language_menu(conversation.connection.languages)
        if step is CommentStep.SECTION:
            return _section_menu(conversation)
        return _ask_text(conversation)


def _language_menu(languages: list[str]) -> str:
    lines = [_("Reply with the number of your language:")]
    lines += [f"{n}. {language_name(code)}" for n, code in enumerate(languages, start=1)]
    return "\n".join(lines)


def _after_language(conversation: Conversation) -> str:
    """Ask for the section when the proposal has any, else for the text."""
    with force_locale(_language(conversation)):
        if conversation.connection.consultation.sections:
            conversation.comment_step = CommentStep.SECTION
            return _section_menu(conversation)
        return _ask_text(conversation)


def _section_menu(conversation: Conversation) -> str:
    language = _language(conversation)
    lines = [_("What is your comment about? Reply with a number:"),
             # Translators: the first choice of an SMS menu: a comment on the whole proposal.
             "1. " + _("The proposal as a whole")]
    lines += [f"{n}. {section.text('title', language).text}" for n, section in enumerate(
        conversation.connection.consultation.sections, start=2)]
    return "\n".join(lines)


def _ask_text(conversation: Conversation) -> str:
    conversation.comment_step = CommentStep.TEXT
    return _("Write your comment in one message (at most %(max)s characters). A moderator "
             "reads every comment sent by phone before it is published; we will tell you by "
             "SMS. %(stop)s: cancel.", max=MAX_LENGTH, stop=COMMANDS["stop"])


def outside(connection: ChannelConnection, conversation: Conversation | None, text: str
            ) -> str:
    """The reply, on a channel taking comments only, to a message that neither starts nor
    continues a comment: HELP and STOP are answered, anything else is told how to comment
    (a survey keyword included: there is no survey here)."""
    language = conversation.language if conversation is not None and \
        conversation.language in connection.languages else connection.languages[0]
    keywords = connection.comment_keyword_list
    with force_locale(language):
        said = command(text, language)
        if said == "help" and keywords:
            return _("Send %(keyword)s to write a comment. A moderator reads every comment "
                     "sent by phone before it is published; we will tell you by SMS. "
                     "%(stop)s: cancel.", keyword=keywords[0], stop=COMMANDS["stop"])
        if said == "stop" and keywords:
            return _("Stopped. Send %(keyword)s to write a comment.", keyword=keywords[0])
        return hint_to_start(connection, language)


def _help(conversation: Conversation) -> str:
    keywords = conversation.connection.comment_keyword_list
    return _("Your comment goes to the moderators first. %(back)s: the previous step. "
             "%(stop)s: cancel; send %(keyword)s later to write one.",
             back=COMMANDS["back"], stop=COMMANDS["stop"],
             keyword=keywords[0] if keywords else "")


def go_on(conversation: Conversation, text: str, number: str, provider_channel: Channel
          ) -> str:
    """The next message of a comment being written; the reply. number is sealed (never
    stored in clear) once the comment is posted, so its decision can be texted."""
    with force_locale(_language(conversation)):
        said = command(text, conversation.language)
        if said == "stop":
            conversation.comment_step = None
            return _("Your comment was not sent.")
        if said == "help":
            return _help(conversation)
        refused = refusal(conversation.connection)
        if refused is not None:
            conversation.comment_step = None
            return refused
        step = conversation.comment_step
        if said == "back":
            return _back(conversation)
        if step is CommentStep.LANGUAGE:
            return _choose_language(conversation, text)
        if step is CommentStep.SECTION:
            return _choose_section(conversation, text)
        return _post(conversation, text, number, provider_channel)


def _back(conversation: Conversation) -> str:
    """One step back: from the text to the section, from the section to the language."""
    step = conversation.comment_step
    languages = conversation.connection.languages
    if step is CommentStep.TEXT and conversation.connection.consultation.sections:
        conversation.comment_step = CommentStep.SECTION
        return _section_menu(conversation)
    if step is not CommentStep.LANGUAGE and len(languages) > 1:
        conversation.comment_step = CommentStep.LANGUAGE
        return _language_menu(languages)
    if step is CommentStep.SECTION:
        return _section_menu(conversation)
    return _language_menu(languages) if step is CommentStep.LANGUAGE else _ask_text(conversation)


def _choose_language(conversation: Conversation, text: str) -> str:
    languages = conversation.connection.languages
    choice = _digits(text.strip()).lower()
    if choice.isdigit() and 1 <= int(choice) <= len(languages):
        conversation.language = languages[int(choice) - 1]
    elif choice in languages:
        conversation.language = choice
    else:
        return _language_menu(languages)
    return _after_language(conversation)


def _choose_section(conversation: Conversation, text: str) -> str:
    sections: list[Section] = conversation.connection.consultation.sections
    choice = _digits(text.strip())
    if not choice.isdigit() or not 1 <= int(choice) <= len(sections) + 1:
        return _("Please reply with the number of an option, like 1.") + "\n" + \
            _section_menu(conversation)
    conversation.comment_section_id = None if int(choice) == 1 else sections[int(choice) - 2].id
    return _ask_text(conversation)


def _post(conversation: Conversation, text: str, number: str, channel: Channel) -> str:
    """Post the comment, pre-moderated and screened like the web's; the reply."""
    body = text.strip()
    if not body:
        return _ask_text(conversation)
    if len(body) > MAX_LENGTH:
        return _("Your comment is longer than %(max)s characters. Please send a shorter one.",
                 max=MAX_LENGTH)
    consultation = conversation.connection.consultation
    author = conversation.author_key
    limit = limits.refusal(author, body)
    if limit is not None:
        return limits.message(limit)
    section = db.session.get(Section, conversation.comment_section_id) \
        if conversation.comment_section_id else None
    try:
        comment = comment_services.post_comment(
            consultation, author, body, conversation.language, section=section,
            pre_moderated=True, channel=channel)
    except screening.Refused as refused:  # blocked words or author: told why, may rewrite
        if refused.verdict.blocked_author:  # the web's wording points to a web page
            conversation.comment_step = None
            return _("The moderators have blocked you from commenting in this consultation.")
        return screening.refusal_message(refused.verdict)
    limits.record_post(author)
    db.session.add(ChannelComment(
        comment_id=comment.id, consultation_id=consultation.id,
        connection_id=conversation.connection_id, number_key=conversation.number_key,
        sealed_number=seal(number), language=conversation.language))
    conversation.comment_step = None
    conversation.comment_section_id = None
    db.session.flush()
    return held_message(comment.moderation_reason)


def held_message(reason: str | None) -> str:
    """What the author of a comment sent by phone is told once it is posted."""
    if reason == Reason.PERSONAL_INFORMATION.value:
        return _("Thank you. Your comment seems to hold a phone number or an e-mail address, "
                 "which could put someone at risk: a moderator will read it first. We will "
                 "tell you by SMS whether it is published.")
    return _("Thank you. A moderator will read your comment before it is published. We will "
             "tell you by SMS whether it is.")


def appeal_hint() -> str:
    """How to appeal by reply (in the current locale)."""
    return _("To appeal, reply %(appeal)s and your reason in one message.",
             appeal=WORDS["appeal"])
