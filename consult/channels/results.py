""""You said, we did" by SMS: texting a receipt code returns what the planners published for
that consultation; after the survey, a participant may reply YES to be texted it once when it
is published (their number kept sealed for that alone, then deleted: notices.py sends it).

Replies fit in MAX_SEGMENTS SMS segments (GSM-7 or UCS-2, segments.py): the planners' answers
are listed by title and decision, as many as fit, then the page that has them all.
"""
import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from consult.channels.commands import WORDS
from consult.channels.models import ChannelConnection, Conversation, ResultsFollowup
from consult.channels.numbers import seal
from consult.channels.segments import count_segments
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.summaries.planner_responses import DECISION_LABELS, responses_of
from consult.surveys.models import Response, ResponseState, Survey

#: Longest reply, in SMS segments (4 UCS-2 segments are 268 Arabic characters).
MAX_SEGMENTS = 4
#: Longest title of one answer in the list (characters).
TITLE_LENGTH = 60
#: A receipt code as a participant may type it back: with or without its dash, any case.
RECEIPT = re.compile(r"^([A-Z0-9]{4})[-\s]?([A-Z0-9]{4})$")


def fits(text: str) -> bool:
    """Whether text costs at most MAX_SEGMENTS segments."""
    return count_segments(text).count <= MAX_SEGMENTS


def results_text(consultation: Consultation, language: str) -> str:
    """The published "you said, we did" of a consultation as one SMS, in language."""
    published = responses_of(consultation, published_only=True)
    with force_locale(language):
        if not published:
            return _("Nothing has been published yet about what was done with what people "
                     "said. Send your receipt code again later.")
        title = consultation.text("title", language).text
        # Translators: the first line of an SMS listing the planners' answers.
        lines = [_("You said, we did: %(title)s", title=title[:TITLE_LENGTH])]
        tail = _("All of it: %(url)s", url=current_app.config["BASE_URL"].rstrip("/")
                 + f"/consultations/{consultation.slug}")
        for n, response in enumerate(published):
            line = f"- {response.text('title', language).text[:TITLE_LENGTH]}: " \
                   f"{DECISION_LABELS[response.decision]}"
            rest = len(published) - n
            if not fits("\n".join([*lines, line, tail])) or (
                    rest > 1 and not fits("\n".join([*lines, line, _more(rest - 1), tail]))):
                lines.append(_more(rest))
                break
            lines.append(line)
        return "\n".join([*lines, tail])


def _more(count: int) -> str:
    return _("and %(count)s more", count=count)


def receipt_reply(connection: ChannelConnection, text: str) -> str | None:
    """The reply to a receipt code of this channel's consultation, or None when the message
    is not one (then it is handled as any other). In the language the survey was answered in."""
    match = RECEIPT.match(text.strip().upper())
    if match is None:
        return None
    found = db.session.execute(
        db.select(Response.language).join(Survey, Survey.id == Response.survey_id).filter(
            Response.receipt == f"{match.group(1)}-{match.group(2)}",
            Response.state == ResponseState.SUBMITTED,
            Survey.consultation_id == connection.consultation_id)).first()
    if found is None:
        return None
    languages = connection.consultation.languages
    return results_text(connection.consultation,
                        found.language if found.language in languages else languages[0])


def offer(conversation: Conversation) -> str:
    """The line offering, after the survey, to text "you said, we did" when published ("" when
    it already is, on USSD, or when the consultation no longer takes part)."""
    connection = conversation.connection
    if connection.ussd or not connection.consultation.allows("respond") or \
            responses_of(connection.consultation, published_only=True):
        return ""
    with force_locale(conversation.language or connection.languages[0]):
            return _("Reply %(yes)s to be texted once what the planners do with what people said, "
                 "if they publish it before this consultation closes. Your number is kept "
                 "encrypted until then, then deleted.", yes=WORDS["yes"])


def opt_in(conversation: Conversation, number: str) -> str:
    """YES after the survey: keep the number sealed until "you said, we did" is published (or
    the consultation closes); when it already is, send it now and keep nothing."""
    connection = conversation.connection
    language = conversation.language or connection.languages[0]
    if responses_of(connection.consultation, published_only=True):
        return results_text(connection.consultation, language)
    with force_locale(language):
        if not connection.consultation.allows("respond"):
            return _("This consultation is closed: send your receipt code later to read what "
                     "was done with what people said.")
        followup = db.session.scalar(db.select(ResultsFollowup).filter_by(
            connection_id=connection.id, number_key=conversation.number_key))
        if followup is None:
            followup = ResultsFollowup(consultation_id=connection.consultation_id,
                                       connection_id=connection.id,
                                       number_key=conversation.number_key)
            db.session.add(followup)
        followup.sealed_number = seal(number)
        followup.language = language
        db.session.flush()
        return _("Thank you. We will text it to you once when it is published, then delete "
                 "your number.")
