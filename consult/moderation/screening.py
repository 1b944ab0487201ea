"""Screening a new comment before it is stored: blocked authors, watched words, personal
information. comments.services.post_comment asks `screen` and then `record_screening`.

Watched words that block refuse the comment (the author is told which words); words that hold,
and phone numbers or e-mail addresses, keep it pending with a reason its author sees; words
that flag publish it and put it in the moderators' queue.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _

from consult.analysis.screening import WatchedPhrase, find_watched, personal_information
from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.moderation.log import record
from consult.moderation.models import (
    Action,
    ParticipantBlock,
    Reason,
    ScreeningFlag,
    WatchedWord,
    WordAction,
)


@dataclass
class Verdict:
    """What screening found in a new comment."""

    #: The author is blocked in this consultation.
    blocked_author: bool = False
    #: Watched words found, by what they do (labels as the moderators wrote them).
    words: dict[WordAction, list[str]] = field(default_factory=dict)
    #: Kinds of personal information found ("email", "phone").
    personal: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """The comment may not be posted at all."""
        return self.blocked_author or WordAction.BLOCK in self.words

    @property
    def hold_reason(self) -> Reason | None:
        """Why the comment waits for a moderator, if it does."""
        if self.personal:
            return Reason.PERSONAL_INFORMATION
        if WordAction.HOLD in self.words:
            return Reason.WATCHED_WORD
        return None


class Refused(ValueError):
    """Screening refused a comment; `verdict` says why."""

    def __init__(self, verdict: Verdict):
        super().__init__("refused")
        self.verdict = verdict


def phrases_for(consultation_id: int, language: str) -> list[WatchedPhrase]:
    """The consultation's watched words for comments in language (and in every language)."""
    rows = db.session.execute(db.select(WatchedWord.normalised, WatchedWord.action,
                                        WatchedWord.word).filter(
        WatchedWord.consultation_id == consultation_id,
        WatchedWord.language.in_((language, "*"))).order_by(WatchedWord.id))
    return [WatchedPhrase(r.normalised, r.action.value, r.word) for r in rows]


def screen(consultation_id: int, author_key: str, text: str, language: str) -> Verdict:
    """Screen a comment about to be posted (two small queries)."""
    verdict = Verdict()
    verdict.blocked_author = db.session.scalar(db.select(ParticipantBlock.id).filter_by(
        consultation_id=consultation_id, author_key=author_key, active=True)) is not None
    for phrase in find_watched(text, phrases_for(consultation_id, language)):
        verdict.words.setdefault(WordAction(phrase.action), []).append(phrase.label)
    verdict.personal = personal_information(text)
    return verdict


def initial_state(verdict: Verdict, default: CommentState) -> CommentState:
    """The state a screened comment starts in."""
    return CommentState.PENDING if verdict.hold_reason else default


def record_screening(comment: Comment, verdict: Verdict) -> None:
    """After the comment is stored: queue it if held or flagged, and log a hold."""
    reason = verdict.hold_reason
    if reason is not None:
        comment.moderation_reason = reason.value
        db.session.add(ScreeningFlag(
            consultation_id=comment.consultation_id, comment_id=comment.id, reason=reason,
            action=WordAction.HOLD, words=", ".join(w for ws in verdict.words.values()
                                                    for w in ws)))
        record(comment, Action.HOLD, reason, comment.state)
    elif WordAction.FLAG in verdict.words:
        db.session.add(ScreeningFlag(
            consultation_id=comment.consultation_id, comment_id=comment.id,
            reason=Reason.WATCHED_WORD, action=WordAction.FLAG,
            words=", ".join(verdict.words[WordAction.FLAG])))
        db.session.flush()


def refusal_message(verdict: Verdict) -> str:
    """Why a comment was refused, for its author, in their language."""
    if verdict.blocked_author:
        return _("The moderators have blocked you from commenting in this consultation. You "
                 "can still read it; \u201cMy contributions\u201d shows their reason.")
    return _("Your comment contains words that are not accepted here: %(words)s. Please "
             "write it another way.", words=", ".join(verdict.words[WordAction.BLOCK]))


def hold_message(reason: str | None) -> str:
    """Why a new comment waits for a moderator, for its author."""
    if reason == Reason.PERSONAL_INFORMATION.value:
        return _("Your comment waits for a moderator because it seems to hold a phone number "
                 "or an e-mail address, which could put someone at risk once published. Until "
                 "a moderator has read it, only you can see it.")
    if reason == Reason.WATCHED_WORD.value:
        return _("Your comment waits for a moderator because it contains words they read "
                 "first. Until a moderator has read it, only you can see it.")
    return _("Thank you. Your comment will be published once a moderator has read it; until "
             "then only you can see it.")
