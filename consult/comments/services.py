"""Writing comments: post, reply, withdraw, change state. Operations flush, never commit.

Counters (a parent's published replies) change in the same transaction as the comment, with
relative UPDATEs, so parallel writers never lose an increment.
"""
import datetime as dt

from sqlalchemy.orm.util import identity_key

from consult.analysis.routing import priority
from consult.comments import erasure
from consult.comments.language import comment_language
from consult.comments.models import Comment, CommentState
from consult.comments.text import normalise
from consult.consultations.lifecycle import ModerationMode
from consult.consultations.models import Consultation, Section
from consult.extensions import db
from consult.moderation import screening
from consult.surveys.models import Channel


class NotTheAuthor(PermissionError):
    """Only a comment's author may do this."""


class CannotReply(ValueError):
    """The parent is not a published comment of this consultation."""


class KeyReused(ValueError):
    """An idempotency key that already made another author's comment, or another comment."""


def get_comment(comment_id: int) -> Comment | None:
    """A comment by id."""
    return db.session.get(Comment, comment_id)


def comment_by_idempotency_key(key: str) -> Comment | None:
    """The comment a post with this key made, if any."""
    return db.session.scalar(db.select(Comment).filter_by(idempotency_key=key))


def replay_of(key: str | None, author_key: str, consultation: Consultation, body: str,
              section: Section | None = None, parent: Comment | None = None) -> Comment | None:
    """The comment an earlier post with this idempotency key made, when this post is its
    replay (a double tap, a lost answer); None when the key is new.

    Raises KeyReused when the key made another participant's comment (a replayed key must
    neither reveal nor stand in for someone else's words) or a comment with other content.
    """
    earlier = comment_by_idempotency_key(key) if key else None
    if earlier is None:
        return None
    section_id = parent.section_id if parent is not None else (
        section.id if section is not None else None)
    if earlier.author_key != author_key or earlier.consultation_id != consultation.id \
            or earlier.parent_id != (parent.id if parent is not None else None) \
            or earlier.section_id != section_id or _as_typed(earlier) != normalise(body):
        raise KeyReused(key)
    return earlier


def _as_typed(comment: Comment) -> str:
    """The comment's text as its author sent it (before any moderator's redaction)."""
    if not comment.redacted:
        return comment.body
    from consult.moderation.models import RedactionRecord  # moderation builds on comments

    first = db.session.scalar(db.select(RedactionRecord.original).filter_by(
        comment_id=comment.id).order_by(RedactionRecord.id).limit(1))
    return first if first is not None else comment.body


def initial_state(consultation: Consultation) -> CommentState:
    """Pre-moderated consultations hold new comments for review; others publish at once."""
    if consultation.moderation_mode is ModerationMode.PRE:
        return CommentState.PENDING
    return CommentState.PUBLISHED


def post_comment(consultation: Consultation, author_key: str, body: str, language: str,
                 section: Section | None = None, parent: Comment | None = None,
                 idempotency_key: str | None = None,
                 state: CommentState | None = None, pre_moderated: bool = False,
                 channel: Channel | None = None) -> Comment:
    """A new comment (a reply when parent is given), pending or published by the
    consultation's moderation mode (always pending when pre_moderated: SMS and USSD). A reply
    belongs to its parent's section.

    Unless state is given (imports, tests), the comment is screened first (moderation/
    screening.py): refused with screening.Refused, or held for review, or flagged.
    """
    if parent is not None:
        if parent.consultation_id != consultation.id or parent.state is not CommentState.PUBLISHED:
            raise CannotReply(parent.id)
        section_id = parent.section_id
    else:
        section_id = section.id if section is not None else None
    text = normalise(body)
    language = comment_language(text, language)
    verdict = None
    if state is None:
        verdict = screening.screen(consultation.id, author_key, text, language)
        if verdict.refused:
            raise screening.Refused(verdict)
        state = screening.initial_state(verdict, CommentState.PENDING if pre_moderated
                                        else initial_state(consultation))
    comment = Comment(
        consultation_id=consultation.id, section_id=section_id,
        parent_id=parent.id if parent is not None else None,
        depth=parent.depth + 1 if parent is not None else 0, author_key=author_key,
        body=text, language=language, state=state, created_on=dt.date.today(),
        channel=channel, idempotency_key=idempotency_key, priority=priority(0, 0, 0))
    db.session.add(comment)
    db.session.flush()
    if verdict is not None:
        screening.record_screening(comment, verdict)
    if comment.state is CommentState.PUBLISHED and parent is not None:
        _add_replies(parent.id, 1)
    return comment


def set_state(comment: Comment, state: CommentState) -> None:
    """Move a comment to another state, keeping its parent's reply count right (moderation
    uses this too)."""
    before = comment.state
    if before is state:
        return
    comment.state = state
    db.session.flush()
    if comment.parent_id is not None:
        if state is CommentState.PUBLISHED:
            _add_replies(comment.parent_id, 1)
        elif before is CommentState.PUBLISHED:
            _add_replies(comment.parent_id, -1)


def withdraw(comment: Comment, author_key: str | None) -> None:
    """The author takes their comment back: its words are erased (comments/erasure.py) and
    it shows as withdrawn by its author; replies stay."""
    if not author_key or comment.author_key != author_key:
        raise NotTheAuthor(comment.id)
    set_state(comment, CommentState.WITHDRAWN)
    erasure.erase_text(comment)


def _add_replies(parent_id: int, delta: int) -> None:
    db.session.execute(db.update(Comment).where(Comment.id == parent_id)
                       .values(reply_count=Comment.reply_count + delta))
    parent = db.session.identity_map.get(identity_key(Comment, parent_id))
    if parent is not None:  # keep a loaded parent in step without another SELECT
        db.session.expire(parent, ["reply_count"])


def published_count(consultation_id: int) -> int:
    """Published comments (replies included) of a consultation."""
    return db.session.scalar(
        db.select(db.func.count(Comment.id))
        .filter(Comment.consultation_id == consultation_id,
                Comment.state == CommentState.PUBLISHED)) or 0
