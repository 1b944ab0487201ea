"""What people wrote, grouped: opinion groups from statement votes, themes and campaigns in
free text. Kept per data fingerprint, like the figures (themes take seconds on large inputs).

Only published comments are ever quoted publicly; survey free text is quoted on the planner
report alone, and group sizes below k are suppressed like every other count.
"""
from dataclasses import dataclass, field

from consult import fragments
from consult.analysis.themes import VERSION as THEMES_VERSION
from consult.analysis.themes import find_themes
from consult.comments.models import Comment, CommentState, Vote
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.summaries.opinions import consultation_opinions
from consult.surveys.models import Answer, QuestionType, Response, ResponseState

OPINION_VERSION = "opinion-groups-1 (specs/opinion-groups.md)"
#: Fewest clustered participants before groups are shown at all.
MIN_PARTICIPANTS = 15


@dataclass(frozen=True)
class Statement:
    """A published comment quoted as a statement, with a score from the analysis."""

    id: int
    body: str
    language: str
    share: float  # agree share (or disagree, for the "disagree" side) in the group or overall


@dataclass(frozen=True)
class GroupView:
    """One opinion group: its size (None below k) and what sets it apart."""

    number: int
    size: int | None
    agrees_with: list[Statement]
    disagrees_with: list[Statement]


@dataclass(frozen=True)
class OpinionView:
    """Groups, consensus and divisive statements of a consultation."""

    participants: int | None
    groups: list[GroupView]
    consensus: list[Statement]
    #: Statements every group tends to agree with (group-informed consensus, §8), best first.
    common_ground: list[Statement]
    divisive: list[Statement]


@dataclass(frozen=True)
class ThemeView:
    """A theme of one question's answers or of the comments."""

    terms: tuple[str, ...]
    size: int | None  # distinct submissions; None below k
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (text, language)


@dataclass(frozen=True)
class ThemesOf:
    """The themes of one source of free text (a question or the comments)."""

    source: str  # "question:KEY" or "comments"
    themes: list[ThemeView]
    campaigns: list[tuple[int, str]]  # (how many share the text, the text) — sizes >= k only


def _published(consultation: Consultation) -> dict[int, Comment]:
    return {c.id: c for c in db.session.scalars(db.select(Comment).filter_by(
        consultation_id=consultation.id, state=CommentState.PUBLISHED))}


def _suppress(count: int, k: int) -> int | None:
    return count if count >= k else None


def opinion_view(consultation: Consultation) -> OpinionView | None:
    """Opinion groups in quotable form, or None when too few have voted."""
    key = ("opinions", consultation.id, consultation.min_cell_size, *_vote_fingerprint(
        consultation))
    return fragments.cached(key, lambda: (_opinion_view(consultation),))[0]


def _vote_fingerprint(consultation: Consultation) -> tuple:
    return tuple(db.session.execute(
        db.select(db.func.count(Vote.id), db.func.max(Vote.id))
        .filter(Vote.consultation_id == consultation.id)).one()) + tuple(db.session.execute(
            db.select(db.func.count(Comment.id), db.func.max(Comment.id))
            .filter(Comment.consultation_id == consultation.id,
                    Comment.state == CommentState.PUBLISHED)).one())


def _opinion_view(consultation: Consultation) -> OpinionView | None:
    opinions = consultation_opinions(consultation).result
    if len(opinions.group_of) < MIN_PARTICIPANTS or not opinions.groups:
        return None
    k = consultation.min_cell_size
    published = _published(consultation)

    def statement(statement_id, share) -> Statement | None:
        comment = published.get(statement_id)
        return None if comment is None else Statement(comment.id, comment.body,
                                                      comment.language, float(share))

    groups = []
    for group in opinions.groups:
        sides = {"agree": [], "disagree": []}
        for rep in group.representative:
            quoted = statement(rep.statement_id, rep.probability)
            if quoted is not None:
                sides[rep.side].append(quoted)
        groups.append(GroupView(group.id + 1, _suppress(group.size, k), sides["agree"],
                                sides["disagree"]))
    consensus = [s for s in (statement(c.statement_id, c.probability)
                             for c in opinions.consensus_agree) if s]
    divisive = [s for s in (statement(d.statement_id, d.divisiveness)
                            for d in opinions.divisive) if s]
    informed = sorted(opinions.group_consensus.items(), key=lambda item: -item[1])
    common = [s for s in (statement(i, value) for i, value in informed) if s][:5]
    return OpinionView(_suppress(len(opinions.group_of), k), groups, consensus, common,
                       divisive)


def theme_views(consultation: Consultation, survey, planner: bool) -> list[ThemesOf]:
    """Themes of each free-text question and of the published comments."""
    key = ("themes", consultation.id, consultation.min_cell_size, planner,
           *_vote_fingerprint(consultation), *_answer_fingerprint(survey))
    return fragments.cached(key, lambda: (_theme_views(consultation, survey, planner),))[0]


def _answer_fingerprint(survey) -> tuple:
    if survey is None:
        return (0, 0)
    return tuple(db.session.execute(
        db.select(db.func.count(Response.id), db.func.max(Response.id))
        .filter(Response.survey_id == survey.id,
                Response.state == ResponseState.SUBMITTED)).one())


def _theme_views(consultation: Consultation, survey, planner: bool) -> list[ThemesOf]:
    k = consultation.min_cell_size
    found = []
    sources: list[tuple[str, list[tuple[str, str]], bool]] = []
    if survey is not None:
        free = [q for q in survey.questions
                if q.type in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)]
        for question in free:
            rows = db.session.execute(
                db.select(Answer.text, Answer.language)
                .join(Response, Response.id == Answer.response_id)
                .filter(Answer.question_id == question.id,
                        Response.state == ResponseState.SUBMITTED,
                        Answer.text.is_not(None))).all()
            # Survey free text is quoted to planners only.
            sources.append((f"question:{question.key}",
                            [(t, lang or "") for t, lang in rows], planner))
    comments = _published(consultation)
    sources.append(("comments", [(c.body, c.language) for c in comments.values()], True))
    for source, texts, quotable in sources:
        result = find_themes([t for t, _ in texts], [lang for _, lang in texts])
        themes = [ThemeView(t.terms, _suppress(t.size, k),
                            [texts[i] for i in t.quotes] if quotable else [])
                  for t in result.themes if t.size >= k or planner]
        campaigns = [(len(c), texts[c[0]][0]) for c in result.campaigns if len(c) >= k]
        if themes or campaigns:
            found.append(ThemesOf(source, themes, campaigns if quotable else
                                  [(n, "") for n, _ in campaigns]))
    return found


def versions() -> dict[str, str]:
    """Algorithm versions, for the methods box."""
    return {"themes": THEMES_VERSION, "opinion groups": OPINION_VERSION}

