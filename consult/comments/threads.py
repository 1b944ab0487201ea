"""Reading threads: a page of top-level comments in one of four orders, with replies to a
fixed depth, in a fixed number of queries whatever the size of the thread.

Pages are keyset-paginated (the cursor is the last row's sort value and id), so "more" links
stay correct while comments arrive, and a deep page costs what the first one does.
"""
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, or_

from consult.boundary import text_float, text_int
from consult.comments.models import Comment, CommentState, Vote, VoteChoice
from consult.comments.pseudonyms import pseudonym
from consult.comments.votes import votes_of
from consult.extensions import db

PAGE_SIZE = 20
#: Replies shown beneath each comment of a thread page, level by level; the rest, and the
#: replies to replies, continue on the comment's own page, which shows its replies (a page
#: of twenty) each with its first replies. Either page holds at most 60 comments, light
#: enough for a phone on 3G.
THREAD_REPLIES = (2,)
PAGE_REPLIES = (2,)

#: Sort name -> the comment column ordered by (descending, then id descending).
SORTS = {
    "newest": None,
    "agreed": Comment.agree_count,
    "discussed": Comment.reply_count,
    "unvoted": Comment.priority,
}
DEFAULT_SORT = "newest"

#: Withdrawn, hidden and rejected comments stay in a thread, as a marker (with the reason
#: category), while they hold replies.
PLACEHOLDER_STATES = (CommentState.WITHDRAWN, CommentState.HIDDEN, CommentState.REJECTED)


@dataclass
class Thread:
    """What a thread page shows."""

    comments: list[Comment]
    #: Replies shown, by parent id, oldest first.
    replies: dict[int, list[Comment]] = field(default_factory=dict)
    #: The viewer's own comments awaiting moderation, shown to them alone.
    pending: list[Comment] = field(default_factory=list)
    #: The viewer's votes, by comment id.
    votes: dict[int, VoteChoice] = field(default_factory=dict)
    #: Pseudonyms by comment id.
    names: dict[int, str] = field(default_factory=dict)
    #: Ids of the viewer's own comments.
    mine: set[int] = field(default_factory=set)
    #: Published replies not shown, by comment id (for "more replies" links).
    more: dict[int, int] = field(default_factory=dict)
    #: Cursor of the next page, None on the last one.
    next_cursor: str | None = None

    def all_comments(self) -> list[Comment]:
        """Every comment on the page, replies included."""
        return [*self.pending, *self.comments, *(r for rs in self.replies.values() for r in rs)]


def parse_sort(value: str | None) -> str:
    """A known sort name, else the default."""
    return value if value in SORTS else DEFAULT_SORT


def parse_cursor(value: str | None, sort: str) -> tuple | None:
    """(sort value, id) or (id,) from a cursor string; None when absent or malformed."""
    if not value:
        return None
    parts = value.split("_")
    try:
        if SORTS[sort] is None:
            return (text_int(parts[0]),) if len(parts) == 1 else None
        if len(parts) != 2:
            return None
        # Bounded and finite: a cursor is compared with columns (10**20 overflowed them).
        kind = text_float if sort == "unvoted" else text_int
        return kind(parts[0]), text_int(parts[1])
    except ValueError:
        return None


def _cursor_of(comment: Comment, sort: str) -> str:
    column = SORTS[sort]
    if column is None:
        return str(comment.id)
    return f"{getattr(comment, column.key)!r}_{comment.id}"


def _listed():
    """Comments a thread shows to everyone: published ones, and markers holding replies."""
    return or_(Comment.state == CommentState.PUBLISHED,
               and_(Comment.state.in_(PLACEHOLDER_STATES), Comment.reply_count > 0))


def _shown_to(viewer_key: str | None):
    if not viewer_key:
        return _listed()
    return or_(_listed(), and_(Comment.author_key == viewer_key,
                               Comment.state == CommentState.PENDING))


def load_thread(consultation_id: int, section_id: int | None, sort: str, cursor: tuple | None,
                viewer_key: str | None) -> Thread:
    """A page of a consultation's (section_id None) or a section's thread."""
    column = SORTS[sort]
    query = db.select(Comment).filter(
        Comment.consultation_id == consultation_id, Comment.section_id == section_id,
        Comment.parent_id.is_(None))
    if sort == "unvoted":
        query = query.filter(Comment.state == CommentState.PUBLISHED)
        if viewer_key:
            query = query.filter(~exists().where(Vote.comment_id == Comment.id,
                                                 Vote.voter_key == viewer_key))
    else:
        query = query.filter(_listed())
    if column is None:
        if cursor:
            query = query.filter(Comment.id < cursor[0])
        query = query.order_by(Comment.id.desc())
    else:
        if cursor:
            query = query.filter(or_(column < cursor[0],
                                     and_(column == cursor[0], Comment.id < cursor[1])))
        query = query.order_by(column.desc(), Comment.id.desc())
    rows = list(db.session.scalars(query.limit(PAGE_SIZE + 1)))
    thread = Thread(comments=rows[:PAGE_SIZE])
    if len(rows) > PAGE_SIZE:
        thread.next_cursor = _cursor_of(rows[PAGE_SIZE - 1], sort)
    if viewer_key and cursor is None:
        thread.pending = list(db.session.scalars(
            db.select(Comment).filter(
                Comment.consultation_id == consultation_id, Comment.section_id == section_id,
                Comment.parent_id.is_(None), Comment.author_key == viewer_key,
                Comment.state == CommentState.PENDING).order_by(Comment.id.desc())))
    _add_replies(thread, [c.id for c in thread.comments], THREAD_REPLIES, viewer_key)
    return _finish(thread, consultation_id, viewer_key)


def has_comment_in(consultation_id: int, section_id: int | None, author_key: str) -> bool:
    """Whether author_key wrote any comment (any state, any depth) in this thread."""
    return db.session.scalar(db.select(Comment.id).filter(
        Comment.author_key == author_key, Comment.consultation_id == consultation_id,
        Comment.section_id == section_id).limit(1)) is not None


def load_replies(comment: Comment, cursor: tuple | None, viewer_key: str | None) -> Thread:
    """A comment's own page: a page of its replies, oldest first, each with a level of theirs."""
    query = db.select(Comment).filter(Comment.parent_id == comment.id,
                                      _shown_to(viewer_key))
    if cursor:
        query = query.filter(Comment.id > cursor[0])
    rows = list(db.session.scalars(query.order_by(Comment.id).limit(PAGE_SIZE + 1)))
    thread = Thread(comments=[comment], replies={comment.id: rows[:PAGE_SIZE]})
    if len(rows) > PAGE_SIZE:
        thread.next_cursor = str(rows[PAGE_SIZE - 1].id)
    _add_replies(thread, [r.id for r in rows[:PAGE_SIZE]], PAGE_REPLIES, viewer_key)
    return _finish(thread, comment.consultation_id, viewer_key)


def _add_replies(thread: Thread, parent_ids: list[int], limits: tuple[int, ...],
                 viewer_key: str | None) -> None:
    """The first replies of each parent, limits[n] of them at level n: one query a level."""
    for limit in limits:
        if not parent_ids:
            return
        number = func.row_number().over(partition_by=Comment.parent_id,
                                        order_by=Comment.id).label("number")
        ranked = (db.select(Comment.id, number)
                  .filter(Comment.parent_id.in_(parent_ids), _shown_to(viewer_key))
                  .subquery())
        rows = db.session.scalars(
            db.select(Comment).join(ranked, Comment.id == ranked.c.id)
            .filter(ranked.c.number <= limit).order_by(Comment.id))
        parent_ids = []
        for reply in rows:
            thread.replies.setdefault(reply.parent_id, []).append(reply)
            parent_ids.append(reply.id)


def _finish(thread: Thread, consultation_id: int, viewer_key: str | None) -> Thread:
    shown = thread.all_comments()
    thread.votes = votes_of(viewer_key, [c.id for c in shown
                                         if c.state is CommentState.PUBLISHED])
    thread.names = {c.id: pseudonym(c.author_key, consultation_id) for c in shown}
    thread.mine = {c.id for c in shown if viewer_key and c.author_key == viewer_key}
    thread.more = {c.id: hidden_replies(thread, c) for c in shown if c.id in thread.replies}
    return thread


def hidden_replies(thread: Thread, comment: Comment) -> int:
    """Published replies of comment that the page does not show."""
    shown = sum(r.state is CommentState.PUBLISHED for r in thread.replies.get(comment.id, []))
    return max(comment.reply_count - shown, 0)


def may_see(comment: Comment, viewer_key: str | None) -> bool:
    """Whether a comment's own page is shown: published or a marker to all, any state to
    its author (so they can see that it is pending, or was rejected)."""
    if viewer_key and comment.author_key == viewer_key:
        return True
    return comment.state is CommentState.PUBLISHED or comment.state in PLACEHOLDER_STATES
