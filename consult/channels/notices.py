"""Due process by SMS: the author of a comment sent by phone is texted the moderators' decision
(published, or not with the translated reason) and may appeal by replying APPEAL and a reason;
those who asked are texted "you said, we did" once when it is published.

Moderation and summaries do not know channels: they send signals (moderation.signals,
planner_responses.response_published) that this module receives, in the deciding or publishing
transaction; messages are queued after its commit (tasks.send_after_commit), never on a
rollback. A sealed number is emptied as soon as its message is queued, and every number kept
for a consultation is deleted when it closes (forget_closed, every hour).

The receivers are connected when this module is imported: channels.services imports it, and
every process imports that (the provider views, the worker through channels.tasks, the CLI).
"""
import logging

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from huey import crontab

from consult.channels.commands import first_word
from consult.channels.comments import appeal_hint
from consult.channels.models import (
    ChannelComment,
    ChannelConnection,
    Provider,
    ResultsFollowup,
)
from consult.channels.numbers import seal
from consult.channels.results import results_text
from consult.comments.models import Comment, CommentState
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.jobs import after_commit, periodic_task, task
from consult.moderation import services as moderation
from consult.moderation.labels import REASON_LABELS
from consult.moderation.models import Action, Appeal, ModerationDecision
from consult.moderation.signals import decision_recorded
from consult.summaries.planner_responses import PlannerResponse, response_published

log = logging.getLogger(__name__)

#: Longest moderator's note quoted in a notice (characters); the whole one is on the web.
NOTE_LENGTH = 200
#: Longest appeal statement taken by SMS (moderation.forms.STATEMENT_LENGTH).
STATEMENT_LENGTH = 1000
#: Followups sent per transaction.
BATCH = 200


def sender(connection: ChannelConnection) -> str:
    """The number notices go out from: the channel's own, or for a USSD code the same
    provider's SMS number for this consultation ("": the provider's default sender)."""
    if not connection.ussd:
        return connection.number
    found = db.session.scalar(db.select(ChannelConnection.number).filter_by(
        consultation_id=connection.consultation_id, provider=connection.provider,
        ussd=False, active=True).order_by(ChannelConnection.id).limit(1))
    return found or ""


def _send(connection: ChannelConnection, sealed_number: str, message: str) -> None:
    from consult.channels.tasks import send_after_commit  # tasks imports services, then this

    send_after_commit(Provider(connection.provider), sealed_number, sender(connection),
                      message)


def decision_message(decision: ModerationDecision, comment: Comment) -> str | None:
    """What the author is told of a decision (in the current locale), or None for one that
    says nothing to them (an unblock: the decision owed is still to come)."""
    day = format_date(comment.created_on, "medium")
    reason = str(REASON_LABELS[decision.reason])
    action = decision.action
    if action in (Action.APPROVE, Action.RESTORE):
        text = _("Your comment of %(day)s is published. Thank you.", day=day)
    elif action is Action.REDACT:
        text = _("Your comment of %(day)s is published with parts removed. Reason: "
                 "%(reason)s.", day=day, reason=reason) + " " + appeal_hint()
    elif action in (Action.REJECT, Action.HIDE):
        text = _("Your comment of %(day)s is not published. Reason: %(reason)s.", day=day,
                 reason=reason) + " " + appeal_hint()
    elif action is Action.BLOCK:
        text = _("Your comment of %(day)s is not published, and you can no longer comment in "
                 "this consultation. Reason: %(reason)s.", day=day, reason=reason) + " " + \
            appeal_hint()
    elif action is Action.APPEAL_UPHELD:
        text = _("Another moderator read your appeal: the decision on your comment of %(day)s "
                 "stands. Reason: %(reason)s.", day=day, reason=reason)
    elif action is Action.APPEAL_OVERTURNED:
        text = _("Another moderator read your appeal and undid the decision on your comment "
                 "of %(day)s.", day=day)
        if comment.state is CommentState.PUBLISHED:
            text += " " + _("It is published.")
    else:
        return None
    if decision.note:
        note = decision.note if len(decision.note) <= NOTE_LENGTH else \
            decision.note[:NOTE_LENGTH - 1] + "…"
        text += "\n" + _("The moderators' note: %(note)s", note=note)
    return text


@decision_recorded.connect
def notify_decision(decision: ModerationDecision, **_extra) -> None:
    """A moderator's decision on a comment sent by phone: text its author, once, and forget
    the number (an appeal by SMS seals it again for the outcome)."""
    if decision.automatic:  # a hold at posting (told in the reply), reports: nothing owed
        return
    held = db.session.scalar(db.select(ChannelComment).filter_by(
        comment_id=decision.comment_id))
    if held is None or held.sealed_number is None:
        return
    with force_locale(held.language):
        message = decision_message(decision, decision.comment)
    if message is None:
        return
    _send(held.connection, held.sealed_number, message)
    held.sealed_number = None
    db.session.flush()


def appeal_by_reply(connection: ChannelConnection, key: str, number: str,
                    text: str) -> str | None:
    """APPEAL and a reason, from the number that sent a comment: an appeal against the decision
    now standing on that number's latest decided comment in this consultation. None when the
    message is not an appeal from such a number (then it is handled as any other)."""
    # Most messages are not appeals: look for the word (in any language the consultation
    # offers, where a comment's language is among) before reading the number's comments.
    if not any(first_word(text, "appeal", code) for code in
               [None, *connection.consultation.languages]):
        return None
    theirs = list(db.session.scalars(db.select(ChannelComment).filter_by(
        consultation_id=connection.consultation_id, number_key=key)
        .order_by(ChannelComment.id.desc())))
    languages = connection.languages
    if not theirs or not any(first_word(text, "appeal", code) for code in
                             {theirs[0].language, *languages}):
        return None
    held, decision = _appealable(theirs)
    with force_locale(held.language if held is not None else theirs[0].language):
        if decision is None:
            return _("There is no decision on your comments that you can appeal.")
        statement = text.strip().split(maxsplit=1)[1:]
        if not statement:
            return appeal_hint()
        try:
            moderation.appeal_decision(decision, decision.comment.author_key,
                                       statement[0][:STATEMENT_LENGTH])
        except moderation.ModerationError:
            return _("You have already appealed this decision.")
        held.sealed_number = seal(number)  # owed: the outcome
        db.session.flush()
        return _("Your appeal was sent. Another moderator will decide; we will tell you by "
                 "SMS.")


def _appealable(theirs: list[ChannelComment]) -> tuple:
    """(the ChannelComment, its standing decision) a reply APPEAL is about: the most recent
    decision that still stands on one of these comments, may be appealed and was not."""
    by_comment = {held.comment_id: held for held in theirs}
    decisions = db.session.scalars(db.select(ModerationDecision).filter(
        ModerationDecision.comment_id.in_(by_comment)).order_by(ModerationDecision.id))
    standing: dict[int, ModerationDecision] = {}
    for decision in decisions:
        standing[decision.comment_id] = decision  # the last one of each comment stands
    candidates = [d for d in standing.values() if moderation.may_appeal(d)]
    appealed = set(db.session.scalars(db.select(Appeal.decision_id).filter(
        Appeal.decision_id.in_([d.id for d in candidates])))) if candidates else set()
    candidates = [d for d in candidates if d.id not in appealed]
    if not candidates:
        return None, None
    latest = max(candidates, key=lambda d: d.id)
    return by_comment[latest.comment_id], latest


@response_published.connect
def queue_followups(response: PlannerResponse, **_extra) -> None:
    """A planner published "you said, we did": text it to those who asked, after the commit."""
    consultation_id = response.consultation_id
    if db.session.scalar(db.select(ResultsFollowup.id).filter_by(
            consultation_id=consultation_id).limit(1)) is not None:
        after_commit(lambda: send_followups(consultation_id))


@task(retries=3, retry_delay=30)
def send_followups(consultation_id: int) -> None:
    """Queue "you said, we did" for every number that asked, and delete each number as it is
    queued (in batches, each committed: a retry sends nobody twice)."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        return
    texts: dict[str, str] = {}
    while True:
        batch = list(db.session.scalars(db.select(ResultsFollowup).filter_by(
            consultation_id=consultation_id).order_by(ResultsFollowup.id).limit(BATCH)))
        if not batch:
            return
        for followup in batch:
            if followup.language not in texts:
                texts[followup.language] = results_text(consultation, followup.language)
            _send(followup.connection, followup.sealed_number, texts[followup.language])
            db.session.delete(followup)
        db.session.commit()


def forget_closed() -> tuple[int, int]:
    """Delete what channels keep to reach people about consultations no longer open: the
    comments' sealed numbers and number keys, and unsent followups; how many of each."""
    closed = db.select(Consultation.id).filter(Consultation.state != State.OPEN)
    comments = db.session.execute(db.delete(ChannelComment).where(
        ChannelComment.consultation_id.in_(closed)))
    followups = db.session.execute(db.delete(ResultsFollowup).where(
        ResultsFollowup.consultation_id.in_(closed)))
    return comments.rowcount, followups.rowcount


@periodic_task(crontab(minute="23"))
def forget_numbers_of_closed_consultations() -> None:
    """Every hour: numbers kept for closed consultations are deleted (a closed consultation
    takes no comment and owes no decision on one that could still be posted)."""
    comments, followups = forget_closed()
    db.session.commit()
    if comments or followups:
        log.info("deleted %s comment contacts and %s followups of closed consultations",
                 comments, followups)
