"""Moderation decisions, reports, appeals and watched words. Operations flush, never commit.

Every change to what a comment shows goes through here and is written to the decision log in
the same transaction; a comment's state moves with comments.services.set_state, so reply
counts stay right.
"""
import datetime as dt

from sqlalchemy.exc import IntegrityError

from consult.accounts.models import User
from consult.accounts.participants import account_key
from consult.analysis.screening import normalise_phrase, without_format_characters
from consult.comments.models import Comment, CommentState
from consult.comments.services import set_state
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.moderation.log import record
from consult.moderation.models import (
    APPEALABLE,
    Action,
    Appeal,
    AppealOutcome,
    ModerationDecision,
    ParticipantBlock,
    Reason,
    RedactionRecord,
    Report,
    ScreeningFlag,
    WatchedWord,
    WordAction,
)

PUBLISHED, PENDING, HIDDEN, REJECTED = (CommentState.PUBLISHED, CommentState.PENDING,
                                        CommentState.HIDDEN, CommentState.REJECTED)
#: Marker that replaces each redacted span.
REDACTION_MARK = "[…]"

#: action -> (states it may be taken from, state it leads to; None: unchanged).
TRANSITIONS: dict[Action, tuple[frozenset, CommentState | None]] = {
    Action.APPROVE: (frozenset({PENDING, PUBLISHED, HIDDEN}), PUBLISHED),
    Action.REJECT: (frozenset({PENDING, PUBLISHED, HIDDEN}), REJECTED),
    Action.HIDE: (frozenset({PENDING, PUBLISHED}), HIDDEN),
    Action.RESTORE: (frozenset({HIDDEN, REJECTED}), PUBLISHED),
    Action.REDACT: (frozenset({PENDING, PUBLISHED, HIDDEN}), PUBLISHED),
    Action.BLOCK: (frozenset({PENDING, PUBLISHED, HIDDEN, REJECTED}), None),
    Action.UNBLOCK: (frozenset(CommentState) - {CommentState.WITHDRAWN}, None),
}
#: Actions a moderator may take on many comments at once from the queue.
BULK_ACTIONS = (Action.APPROVE, Action.REJECT)


class ModerationError(ValueError):
    """A decision that may not be taken; `kind` says why (the views explain it)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def is_own(comment: Comment, user: User) -> bool:
    """Whether the staff member wrote this comment (under their account's key)."""
    return comment.author_key == account_key(user)


def allowed_actions(comment: Comment, blocked: bool) -> list[Action]:
    """What a moderator may do to this comment now."""
    actions = [a for a, (sources, _) in TRANSITIONS.items()
               if comment.state in sources and a not in (Action.BLOCK, Action.UNBLOCK)]
    if comment.state is not CommentState.WITHDRAWN:
        actions.append(Action.UNBLOCK if blocked else Action.BLOCK)
    return actions


def active_block(consultation_id: int, author_key: str) -> ParticipantBlock | None:
    """The participant's block in this consultation, if one is in force."""
    return db.session.scalar(db.select(ParticipantBlock).filter_by(
        consultation_id=consultation_id, author_key=author_key, active=True))


def decide(comment: Comment, action: Action, reason: Reason, moderator: User, note: str = "",
           spans: list[str] | None = None) -> list[ModerationDecision]:
    """A moderator's decision on one comment, logged; returns the decisions written (a block
    writes one for each comment of the author it hides)."""
    if is_own(comment, moderator):
        raise ModerationError("own")
    sources, target = TRANSITIONS[action]
    if comment.state not in sources:
        raise ModerationError("state")
    if action is Action.BLOCK:
        return _block(comment, reason, moderator, note)
    if action is Action.UNBLOCK:
        return _unblock(comment, reason, moderator, note)
    before = comment.state
    if action is Action.REDACT:
        original = redact(comment, spans or [])
    set_state(comment, target)
    if action is Action.REDACT or target is not PUBLISHED:
        comment.moderation_reason = reason.value
    elif not comment.redacted:  # a redacted comment keeps saying why it was redacted
        comment.moderation_reason = None
    decision = record(comment, action, reason, before, moderator, note)
    if action is Action.REDACT:
        db.session.add(RedactionRecord(comment_id=comment.id, decision_id=decision.id,
                                       original=original))
    close_items([comment.id])
    return [decision]


def redact(comment: Comment, spans: list[str]) -> str:
    """Replace every occurrence of each span with the marker; returns the text before."""
    spans = [s for s in (span.strip() for span in spans) if s]
    if not spans or not all(s in comment.body for s in spans):
        raise ModerationError("spans")
    original = comment.body
    body = original
    for span in sorted(spans, key=len, reverse=True):
        body = body.replace(span, REDACTION_MARK)
    comment.body = body
    comment.redacted = True
    return original


def bulk_decide(comments: list[Comment], action: Action, reason: Reason, moderator: User,
                note: str = "") -> tuple[int, int]:
    """Approve or reject several comments; (decided, skipped: own or not possible now)."""
    if action not in BULK_ACTIONS:
        raise ModerationError("bulk")
    done = skipped = 0
    for comment in comments:
        try:
            decide(comment, action, reason, moderator, note)
            done += 1
        except ModerationError:
            skipped += 1
    return done, skipped


def _block(comment: Comment, reason: Reason, moderator: User, note: str
           ) -> list[ModerationDecision]:
    """Block the author in this consultation: hide all they posted there, logged per comment."""
    block = db.session.scalar(db.select(ParticipantBlock).filter_by(
        consultation_id=comment.consultation_id, author_key=comment.author_key))
    if block is None:
        block = ParticipantBlock(consultation_id=comment.consultation_id,
                                 author_key=comment.author_key)
        db.session.add(block)
    elif block.active:
        raise ModerationError("blocked")
    block.active = True
    db.session.flush()
    theirs = list(db.session.scalars(db.select(Comment).filter(
        Comment.consultation_id == comment.consultation_id,
        Comment.author_key == comment.author_key,
        Comment.state.in_((PUBLISHED, PENDING))).order_by(Comment.id)))
    decisions = []
    for target in [comment, *(c for c in theirs if c.id != comment.id)]:
        before = target.state
        if before in (PUBLISHED, PENDING):
            set_state(target, HIDDEN)
            target.moderation_reason = reason.value
        decisions.append(record(target, Action.BLOCK, reason, before, moderator, note,
                                block_id=block.id))
    close_items([d.comment_id for d in decisions])
    return decisions


def _unblock(comment: Comment, reason: Reason, moderator: User, note: str
             ) -> list[ModerationDecision]:
    """Lift the author's block: what the block hid (and is still hidden) comes back."""
    block = active_block(comment.consultation_id, comment.author_key)
    if block is None:
        raise ModerationError("not_blocked")
    block.active = False
    hidden_by_block = db.session.execute(
        db.select(ModerationDecision.comment_id, ModerationDecision.from_state)
        .filter_by(block_id=block.id, action=Action.BLOCK)).all()
    restore = {row.comment_id: row.from_state for row in hidden_by_block}
    decisions = []
    targets = db.session.scalars(db.select(Comment).filter(Comment.id.in_(
        set(restore) | {comment.id})).order_by(Comment.id))
    for target in targets:
        before = target.state
        if target.state is HIDDEN and restore.get(target.id) in (PUBLISHED, PENDING):
            set_state(target, restore[target.id])
            target.moderation_reason = None
        if target.state is not before or target.id == comment.id:
            decisions.append(record(target, Action.UNBLOCK, reason, before, moderator, note,
                                    block_id=block.id))
    return decisions


def close_items(comment_ids: list[int]) -> None:
    """A decision answers the open reports and screening flags of these comments."""
    for model in (Report, ScreeningFlag):
        db.session.execute(db.update(model).where(model.comment_id.in_(comment_ids),
                                                  model.open.is_(True)).values(open=False))


def report_comment(comment: Comment, reporter_key: str, reason: Reason, note: str,
                   threshold: int) -> Report | None:
    """A participant's report (None if they reported it before). At threshold open reports
    from different participants a published comment is hidden until a moderator decides."""
    if comment.state is not PUBLISHED or comment.author_key == reporter_key:
        raise ModerationError("not_reportable")
    try:
        with db.session.begin_nested():
            report = Report(consultation_id=comment.consultation_id, comment_id=comment.id,
                            reporter_key=reporter_key, reason=reason, note=note.strip(),
                            created_on=dt.date.today())
            db.session.add(report)
    except IntegrityError:
        return None
    open_reports = db.session.scalars(db.select(Report.reason).filter_by(
        comment_id=comment.id, open=True)).all()
    if len(open_reports) >= threshold:
        set_state(comment, HIDDEN)
        comment.moderation_reason = Reason.REPORTED.value
        record(comment, Action.HIDE, Reason.REPORTED, PUBLISHED)
    return report


def appeal_decision(decision: ModerationDecision, author_key: str | None,
                    statement: str) -> Appeal:
    """The author's one appeal against a moderator's decision on their comment."""
    if not author_key or decision.comment.author_key != author_key:
        raise ModerationError("not_author")
    if not may_appeal(decision):
        raise ModerationError("not_appealable")
    try:
        with db.session.begin_nested():
            appeal = Appeal(consultation_id=decision.consultation_id, decision_id=decision.id,
                            statement=statement.strip(), created_on=dt.date.today())
            db.session.add(appeal)
    except IntegrityError:
        raise ModerationError("appealed") from None
    return appeal


def may_appeal(decision: ModerationDecision) -> bool:
    """Whether a decision is one its author may appeal (a moderator's, against them)."""
    return decision.action in APPEALABLE and not decision.automatic


def decide_appeal(appeal: Appeal, outcome: AppealOutcome, reason: Reason, moderator: User,
                  note: str = "") -> ModerationDecision:
    """Uphold or overturn an appeal; a different moderator from the one appealed against."""
    original = appeal.decision
    comment = original.comment
    if appeal.outcome is not None:
        raise ModerationError("decided")
    if original.moderator_id == moderator.id:
        raise ModerationError("same_moderator")
    if is_own(comment, moderator):
        raise ModerationError("own")
    before = comment.state
    if outcome is AppealOutcome.OVERTURNED:
        _undo(original, comment, reason, moderator, note)
    decision = record(comment, Action.APPEAL_UPHELD if outcome is AppealOutcome.UPHELD
                      else Action.APPEAL_OVERTURNED, reason, before, moderator, note)
    appeal.outcome = outcome
    appeal.outcome_decision_id = decision.id
    db.session.flush()
    return decision


def _undo(original: ModerationDecision, comment: Comment, reason: Reason, moderator: User,
          note: str) -> None:
    """Undo an overturned decision: the comment shows again, unredacted, its author unblocked."""
    if original.action is Action.BLOCK:
        if active_block(comment.consultation_id, comment.author_key) is not None:
            _unblock(comment, reason, moderator, note)
        return
    if original.action is Action.REDACT:
        kept = db.session.scalar(db.select(RedactionRecord).filter_by(decision_id=original.id))
        if kept is not None:
            comment.body = kept.original
        comment.redacted = False
    if comment.state in (HIDDEN, REJECTED):
        set_state(comment, PUBLISHED)
    comment.moderation_reason = None


def add_watched_word(consultation: Consultation, word: str, language: str, action: WordAction,
                     user: User) -> WatchedWord:
    """Watch a word or phrase in new comments of one language ("*": every language)."""
    normalised = normalise_phrase(word)
    if not normalised:
        raise ModerationError("empty_word")
    # One character can spell out to many ("ﷺ" is 18 letters): check what is stored.
    if len(normalised) > WatchedWord.normalised.type.length:
        raise ModerationError("long_word")
    if db.session.scalar(db.select(WatchedWord.id).filter_by(
            consultation_id=consultation.id, language=language, normalised=normalised)):
        raise ModerationError("duplicate_word")
    watched = WatchedWord(consultation_id=consultation.id,
                          word=without_format_characters(word).strip(),
                          normalised=normalised, language=language, action=action,
                          created_by_id=user.id)
    db.session.add(watched)
    db.session.flush()
    return watched


def watched_words(consultation_id: int) -> list[WatchedWord]:
    """A consultation's watched words, by language then word."""
    return list(db.session.scalars(db.select(WatchedWord).filter_by(
        consultation_id=consultation_id).order_by(WatchedWord.language, WatchedWord.normalised)))


def delete_watched_word(consultation_id: int, word_id: int) -> bool:
    """Stop watching a word; False when it is not one of this consultation's."""
    deleted = db.session.execute(db.delete(WatchedWord).filter_by(
        id=word_id, consultation_id=consultation_id))
    return bool(deleted.rowcount)
