"""The conversation engine: a survey answered one message at a time, through the same checks,
skip logic, drafts and submission as the web (surveys.answers, surveys.responses).

It reads and writes through the survey services and flushes, never commits. Every reply is
translated into the participant's chosen language (respond sets the locale). Commands are in
commands.py, questions as messages and replies as answers in answers.py.
"""
import secrets
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from consult.analysis.conditions import prune_hidden, visible_keys
from consult.channels.answers import NotAnAnswer, _digits, _submitted, question_text
from consult.channels.commands import COMMANDS, command
from consult.channels.models import ChannelConnection, Conversation, Step
from consult.channels.survey_shape import QuestionShape as Question
from consult.channels.survey_shape import SurveyShape as Survey
from consult.channels.survey_shape import survey_of
from consult.consultations.lifecycle import ParticipationMode
from consult.extensions import db
from consult.i18n import language_name
from consult.surveys import responses
from consult.surveys.answers import check_page
from consult.surveys.models import Channel, QuestionType, Response, ResponseState

__all__ = ["command", "question_text"]  # re-exported: costs and the staff page read them


def is_keyword(connection: ChannelConnection, text: str) -> bool:
    """Whether the message is one of the channel's keywords (its first word, any case)."""
    words = text.strip().upper().split()
    return bool(words) and words[0] in connection.keyword_list


def new_conversation(connection: ChannelConnection, number_key: str) -> Conversation:
    """A conversation for a number key, with a fresh respondent key (not derived from it)."""
    conversation = Conversation(connection_id=connection.id, connection=connection,
                                number_key=number_key, step=Step.LANGUAGE,
                                respondent_key="sms:" + secrets.token_hex(24))
    db.session.add(conversation)
    return conversation


def _fresh_turn(conversation: Conversation) -> None:
    """Forget what the last message read: each message reads the response once (_response),
    never what an earlier message left (the survey is kept by revision: _survey)."""
    conversation._turn = {}


def _survey(conversation: Conversation) -> Survey | None:
    """The channel's survey as plain data, kept per process and consultation revision (a
    read of every page, question, option and text only after an edit)."""
    return survey_of(conversation.connection.consultation)


def _response(conversation: Conversation, survey: Survey) -> Response | None:
    """The conversation's response (draft or submitted), read once per message: save_page
    and submit change the object itself, so it stays current. Keyed by respondent key, which
    _finish replaces."""
    turn = conversation.__dict__.setdefault("_turn", {})
    key = ("response", survey.id, conversation.respondent_key)
    if key not in turn:
        turn[key] = responses.response_for(survey, conversation.respondent_key)
    return turn[key]


def _start_draft(conversation: Conversation, survey: Survey) -> Response:
    """The conversation's response, started as an empty draft the first time."""
    draft = _response(conversation, survey)
    if draft is None:
        draft = responses.start_draft(survey, conversation.respondent_key,
                                      conversation.language, _channel(conversation))
        conversation._turn[("response", survey.id, conversation.respondent_key)] = draft
    return draft


def respond(conversation: Conversation, text: str, fresh: bool = False,
            start: bool = False) -> str:
    """Handle one inbound message on a conversation; the reply to send. fresh: the
    conversation was just made for this message (a keyword); start: the message starts or
    resumes the survey as a keyword would (USSD's menu, where nobody types one)."""
    _fresh_turn(conversation)
    connection = conversation.connection
    language = conversation.language or connection.languages[0]
    with force_locale(language):
        return _respond(conversation, connection, text, fresh, start)


def answerable(connection: ChannelConnection, survey: Survey | None) -> bool:
    """Whether the channel's survey can be answered now (else every reply ends the session)."""
    consultation = connection.consultation
    return survey is not None and bool(survey.questions) and connection.takes_survey \
        and consultation.participation_mode is ParticipationMode.ANONYMOUS \
        and consultation.allows("respond")


def _respond(conversation: Conversation, connection: ChannelConnection, text: str,
             fresh: bool, start: bool) -> str:
    consultation = connection.consultation
    survey = _survey(conversation)
    keyword = connection.start_keyword
    if not answerable(connection, survey) and consultation.allows("respond"):
        return _("This survey cannot be answered by SMS.")
    if not consultation.allows("respond"):
        return _("This consultation is not taking answers now.")
    said = command(text, conversation.language)
    if said == "stop":
        if conversation.step is not Step.DONE:
            conversation.step = Step.STOPPED
        if not keyword:  # USSD: the participant dials the code again
            return _("You will get no more messages. Dial this code again to continue where "
                     "you stopped.")
        return _("You will get no more messages. Send %(keyword)s to continue where you "
                 "stopped.", keyword=keyword)
    if said == "help":
        return _help(keyword)
    if conversation.step is Step.DONE:
        return _("Your answers were already counted. Thank you.")
    draft = _response(conversation, survey)
    if draft is not None and draft.state is ResponseState.SUBMITTED:
        conversation.step = Step.DONE
        return _("Your answers were already counted. Your receipt: %(receipt)s",
                 receipt=draft.receipt)
    resuming = start or is_keyword(connection, text)
    if conversation.step is Step.STOPPED:
        conversation.step = Step.QUESTION if conversation.language else Step.LANGUAGE
        resuming = True
    if conversation.step is Step.LANGUAGE:
        return _choose_language(conversation, connection, text, asking=fresh or resuming)
    if resuming or conversation.question_key is None:
        return _ask(conversation, survey, _current(conversation, survey))
    return _answer(conversation, survey, text, said)


def over(conversation: Conversation) -> bool:
    """Whether nothing more is to be asked (a USSD session then ENDs)."""
    _fresh_turn(conversation)
    return conversation.step in (Step.DONE, Step.STOPPED) or not answerable(
        conversation.connection, _survey(conversation))


def prompt(conversation: Conversation) -> str:
    """What the conversation is asking now, again, without moving it (USSD paging)."""
    _fresh_turn(conversation)
    connection = conversation.connection
    with force_locale(conversation.language or connection.languages[0]):
        if conversation.step is Step.LANGUAGE:
            return _choose_language(conversation, connection, "", asking=True)
        survey = _survey(conversation)
        return _ask(conversation, survey, _current(conversation, survey))


def _help(keyword: str) -> str:
    if not keyword:  # USSD
        return _("Answer each question with one message. %(back)s: the previous question. "
                 "%(skip)s: skip a question. %(stop)s: stop; dial this code again later to "
                 "go on.", back=COMMANDS["back"], skip=COMMANDS["skip"],
                 stop=COMMANDS["stop"])
    return _("Answer each question with one message. %(back)s: the previous question. "
             "%(skip)s: skip a question. %(stop)s: stop; send %(keyword)s later to go on.",
             back=COMMANDS["back"], skip=COMMANDS["skip"], stop=COMMANDS["stop"],
             keyword=keyword)


def _choose_language(conversation: Conversation, connection: ChannelConnection, text: str,
                     asking: bool) -> str:
    """Ask for the language (when there are several), or read the choice."""
    languages = connection.languages
    survey = _survey(conversation)
    if len(languages) == 1:
        return _set_language(conversation, survey, languages[0])
    if asking and conversation.language in languages:  # chosen before, to comment
        return _set_language(conversation, survey, conversation.language)
    choice = _digits(text.strip())
    if not asking:
        if choice.isdigit() and 1 <= int(choice) <= len(languages):
            return _set_language(conversation, survey, languages[int(choice) - 1])
        if choice.lower() in languages:
            return _set_language(conversation, survey, choice.lower())
    lines = [_("Reply with the number of your language:")]
    lines += [f"{n}. {language_name(code)}" for n, code in enumerate(languages, start=1)]
    return "\n".join(lines)


def _set_language(conversation: Conversation, survey: Survey, language: str) -> str:
    conversation.language = language
    conversation.step = Step.QUESTION
    with force_locale(language):
        return _ask(conversation, survey, _current(conversation, survey))


def _known(conversation: Conversation, survey: Survey) -> dict[str, Any]:
    """The answers saved so far, hidden ones left out."""
    draft = _response(conversation, survey)
    if draft is None:
        return {}
    values, _others = responses.saved_answers(draft, survey)
    return prune_hidden([(q.key, q.show_if) for q in survey.questions], values)


def _visible(survey: Survey, known: dict[str, Any]) -> list[Question]:
    """The questions shown given the answers so far, in order (notes included)."""
    by_key = {q.key: q for q in survey.questions}
    return [by_key[k] for k in visible_keys([(q.key, q.show_if) for q in survey.questions],
                                            known)]


def _current(conversation: Conversation, survey: Survey) -> Question | None:
    """The question to ask now: the conversation's, or the first unanswered one."""
    by_key = {q.key: q for q in survey.questions}
    if conversation.question_key in by_key:
        return by_key[conversation.question_key]
    return _after(survey, None, _known(conversation, survey))


def _after(survey: Survey, question: Question | None, known: dict[str, Any]) -> Question | None:
    """The first shown question that comes after question (from the start when None)."""
    order = {q.key: n for n, q in enumerate(survey.questions)}
    start = -1 if question is None else order[question.key]
    return next((q for q in _visible(survey, known) if order[q.key] > start), None)


def _answer(conversation: Conversation, survey: Survey, text: str, said: str | None) -> str:
    question = _current(conversation, survey)
    if question is None:
        return _finish(conversation, survey)
    known = _known(conversation, survey)
    language = conversation.language
    if said == "back":
        order = {q.key: n for n, q in enumerate(survey.questions)}
        earlier = [q for q in _visible(survey, known) if order[q.key] < order[question.key]
                   and q.type is not QuestionType.NOTE]
        return _ask(conversation, survey, earlier[-1] if earlier else question)
    if said == "skip":
        if question.required:
            return _("This question needs an answer.") + "\n" + question_text(question,
                                                                               language)
        values, others = {}, {}
    else:
        try:
            submitted = _submitted(question, text, language)
        except NotAnAnswer as error:
            return str(error) + "\n" + question_text(question, language)
        earlier = {k: v for k, v in known.items() if k != question.key}
        values, others, errors = check_page([question], submitted, earlier, language)
        if errors:
            return errors[question.key] + "\n" + question_text(question, language)
    draft = _start_draft(conversation, survey)
    draft.language = language
    known = {**{k: v for k, v in known.items() if k != question.key}, **values}
    following = _after(survey, question, known)
    responses.save_page(draft, [question], values, others,
                        _page_number(survey, following or question))
    return _ask(conversation, survey, following)


def _channel(conversation: Conversation) -> Channel:
    """What a response started here is counted as."""
    return Channel.USSD if conversation.connection.ussd else Channel.SMS


def _page_number(survey: Survey, question: Question) -> int:
    """The survey page (1-based) a question is on: where the web resumes the draft."""
    return next(n for n, page in enumerate(survey.pages, start=1) if page.id == question.page_id)


def _ask(conversation: Conversation, survey: Survey, question: Question | None) -> str:
    """Move to question (notes on the way are shown before it) and give its text; past the
    last question, submit."""
    language = conversation.language
    notes = []
    known = _known(conversation, survey)
    while question is not None and question.type is QuestionType.NOTE:
        notes.append(question.text("label", language).text)
        question = _after(survey, question, known)
    if question is None:
        conversation.question_key = None
        return "\n".join([*notes, _finish(conversation, survey)])
    conversation.question_key = question.key
    conversation.step = Step.QUESTION
    return "\n".join([*notes, question_text(question, language)])


def _finish(conversation: Conversation, survey: Survey) -> str:
    """Submit the draft once every shown, required question is answered; else ask the first
    one missing (a draft purged or changed by BACK)."""
    known = _known(conversation, survey)
    missing = next((q for q in _visible(survey, known) if q.required
                    and q.type is not QuestionType.NOTE and q.key not in known), None)
    if missing is not None:
        return _ask(conversation, survey, missing)
    draft = _start_draft(conversation, survey)
    if draft.state is not ResponseState.SUBMITTED:
        responses.submit(draft, survey, f"{conversation.respondent_key}:submit")
    conversation.step = Step.DONE
    conversation.question_key = None
    # Unlink: from now on nothing leads from the number (its keyed hash) to the answers, even
    # for someone holding CHANNEL_NUMBER_KEY; the receipt in this reply is the way back.
    conversation.respondent_key = "sms:" + secrets.token_hex(24)
    return _("Thank you, your answers are counted. Your receipt: %(receipt)s. Keep it to see "
             "your answers and the results at %(url)s", receipt=draft.receipt,
             url=current_app.config["BASE_URL"].rstrip("/") + "/receipt")


def greeting_language(connection: ChannelConnection) -> str:
    """The language of replies to a number with no conversation yet."""
    return connection.languages[0]


def hint_to_start(connection: ChannelConnection, language: str | None = None) -> str:
    """What a message that is not a keyword gets from a number with no conversation (or one
    that has only commented): the keywords of what the channel takes."""
    with force_locale(language or greeting_language(connection)):
        hints = []
        if connection.takes_survey and connection.keyword_list:
            hints.append(_("Send %(keyword)s to answer the survey.",
                           keyword=connection.keyword_list[0]))
        if connection.takes_comments and connection.comment_keyword_list:
            hints.append(_("Send %(keyword)s to send a comment.",
                           keyword=connection.comment_keyword_list[0]))
        return " ".join(hints) or _("This service is not available.")

