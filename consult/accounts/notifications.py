"""Staff notification preferences (language of their mail, the daily digest) and the digest.

The digest tells a staff member, once a day, how many items arrived in the moderation queues of
the consultations they may moderate, and how many appeals wait for them. Counts and links
only: mail leaves the platform, so no participant's words go into it.

Comments and reports keep their day, never their time (participants' records), so a digest
counts whole days: from the day of the last digest up to the end of yesterday (UTC). Each day
is counted by exactly one digest; what arrives today is in tomorrow's.
"""
import datetime as dt
from dataclasses import asdict, dataclass

from flask import current_app
from sqlalchemy import func, or_, update

from consult.accounts.models import Role, User
from consult.accounts.participants import account_key
from consult.comments.models import Comment, CommentState
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.mail import send_mail
from consult.moderation.models import Appeal, ModerationDecision, Report, ScreeningFlag
from consult.permissions import can_moderate

MAIL_TEMPLATE = "digest"
#: Consultations listed in one digest (a site administrator moderates every one); the rest
#: are counted in one line.
MAX_CONSULTATIONS = 50
#: Roles whose holders may moderate something (permissions.can_moderate).
MODERATING_ROLES = frozenset({Role.MODERATOR, Role.ADMIN})


def mail_language(user: User) -> str:
    """The language to write to user in: their choice, else the one they last used the site
    in, else the site's default (a language no longer offered counts as none)."""
    offered = current_app.config["LANGUAGES"]
    for code in (user.mail_language, user.last_language):
        if code in offered:
            return code
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def set_preferences(user: User, language: str, daily_digest: bool) -> None:
    """Save the language of user's mail and whether they get the daily digest."""
    if language not in current_app.config["LANGUAGES"]:
        raise ValueError("not an interface language")
    user.mail_language = language
    user.daily_digest = daily_digest
    db.session.flush()


def note_language(user: User, language: str) -> bool:
    """Remember the interface language user is using; whether it changed (then the caller
    commits one small write)."""
    if user.last_language == language or language not in current_app.config["LANGUAGES"]:
        return False
    user.last_language = language
    return True


def may_moderate_somewhere(user: User) -> bool:
    """Whether user holds a role that moderates anything (so a digest could tell them of it)."""
    return user.is_site_admin or any(m.role in MODERATING_ROLES and m.organisation.active
                                     for m in user.memberships)


@dataclass(frozen=True)
class DigestEntry:
    """What waits in one consultation's queue for one staff member (counts only)."""

    slug: str
    title: str
    title_language: str
    #: New since the last digest and still waiting: comments for approval, reported comments,
    #: comments held or flagged by screening.
    pending: int
    reported: int
    held: int
    #: Appeals waiting that this person may decide (new or not).
    appeals: int

    @property
    def total(self) -> int:
        """Every item of this entry."""
        return self.pending + self.reported + self.held + self.appeals

    @property
    def tab(self) -> str:
        """The queue tab a link opens: the first with something in it."""
        return next(name for name, count in (("pending", self.pending), ("reported",
                    self.reported), ("held", self.held), ("appeals", self.appeals)) if count)


def _window(query, column, since: dt.date, until: dt.date):
    return query.filter(column >= since, column < until)


def queue_counts(since: dt.date, until: dt.date) -> dict[int, dict[str, int]]:
    """Per consultation: items still waiting that arrived on days since..until (excluded)."""
    pending = _window(db.select(Comment.consultation_id, func.count()).filter(
        Comment.state == CommentState.PENDING, Comment.moderation_reason.is_(None)),
        Comment.created_on, since, until).group_by(Comment.consultation_id)
    reported = _window(db.select(Report.consultation_id, func.count(Report.comment_id.distinct()))
                       .filter(Report.open.is_(True)), Report.created_on, since, until
                       ).group_by(Report.consultation_id)
    held = _window(db.select(ScreeningFlag.consultation_id, func.count()).join(
        Comment, Comment.id == ScreeningFlag.comment_id).filter(ScreeningFlag.open.is_(True)),
        Comment.created_on, since, until).group_by(ScreeningFlag.consultation_id)
    counts: dict[int, dict[str, int]] = {}
    for name, query in (("pending", pending), ("reported", reported), ("held", held)):
        for consultation_id, number in db.session.execute(query):
            counts.setdefault(consultation_id, {})[name] = number
    return counts


def appeals_waiting_for(user: User) -> dict[int, int]:
    """Per consultation: undecided appeals user may decide, i.e. not against their own
    decision and not about a comment they wrote (moderation.services.decide_appeal)."""
    query = db.select(Appeal.consultation_id, func.count()).join(
        ModerationDecision, ModerationDecision.id == Appeal.decision_id).join(
        Comment, Comment.id == ModerationDecision.comment_id).filter(
        Appeal.outcome.is_(None),
        or_(ModerationDecision.moderator_id.is_(None), ModerationDecision.moderator_id != user.id),
        Comment.author_key != account_key(user)).group_by(Appeal.consultation_id)
    return dict(db.session.execute(query).all())


def digest_entries(user: User, counts: dict[int, dict[str, int]], language: str
                   ) -> list[DigestEntry]:
    """What the digest tells user: only consultations they may moderate, with something in
    them; by title."""
    appeals = appeals_waiting_for(user)
    ids = {i for i, c in counts.items() if any(c.values())} | {i for i, n in appeals.items() if n}
    if not ids:
        return []
    entries = []
    for consultation in db.session.scalars(db.select(Consultation).filter(
            Consultation.id.in_(ids))):
        if not can_moderate(user, consultation):
            continue
        found = counts.get(consultation.id, {})
        title = consultation.text("title", language)
        entries.append(DigestEntry(
            slug=consultation.slug, title=title.text or consultation.slug,
            title_language=title.language, pending=found.get("pending", 0),
            reported=found.get("reported", 0), held=found.get("held", 0),
            appeals=appeals.get(consultation.id, 0)))
    return sorted(entries, key=lambda e: (e.title.casefold(), e.slug))


def _claim(user_id: int, today: dt.date) -> bool:
    """Mark today's digest of user as made, unless a run (this one retried, or another worker)
    already did: the row update is the lock, so two runs never both send."""
    result = db.session.execute(
        update(User).where(User.id == user_id, User.active.is_(True),
                           User.daily_digest.is_(True),
                           or_(User.digest_sent_on.is_(None), User.digest_sent_on < today))
        .values(digest_sent_on=today).execution_options(synchronize_session=False))
    return result.rowcount == 1


def send_digest(user: User, today: dt.date, cache: dict) -> bool:
    """Make today's digest of user and queue it (after commit) if it tells anything; False
    when there was nothing to tell or it was already made today. The caller commits."""
    since = user.digest_sent_on or today - dt.timedelta(days=1)
    if not _claim(user.id, today):
        return False
    if since not in cache:
        cache[since] = queue_counts(since, today)
    language = mail_language(user)
    entries = digest_entries(user, cache[since], language)
    if not entries:
        return False
    shown = entries[:MAX_CONSULTATIONS]
    send_mail(user.email, MAIL_TEMPLATE, language, name=user.name,
              entries=[asdict(e) | {"tab": e.tab} for e in shown],
              more=len(entries) - len(shown), total=sum(e.total for e in entries))
    return True


def send_digests(today: dt.date) -> int:
    """Send today's digest to every active staff member who asked for it and has not had it
    today; each in its own transaction, so a failure redoes nobody's. How many were sent."""
    waiting = list(db.session.scalars(db.select(User.id).filter(
        User.active.is_(True), User.daily_digest.is_(True),
        or_(User.digest_sent_on.is_(None), User.digest_sent_on < today)).order_by(User.id)))
    cache: dict = {}
    sent = 0
    for user_id in waiting:
        user = db.session.get(User, user_id)
        sent += send_digest(user, today, cache)
        db.session.commit()
    return sent
