"""What people wrote, grouped: opinion groups from statement votes, themes and campaigns in
free text. Kept per data fingerprint, like the figures (themes take seconds on large inputs).

Only published comments are ever quoted publicly; survey free text is quoted on the planner
report alone, and group sizes below k are suppressed like every other count. Planners' renames,
merges and splits (theme_models) are replayed onto the computed themes.
"""
import datetime as dt
from dataclasses import dataclass, field
from typing import Sequence

from flask import current_app, has_request_context, request

from consult import fragments
from consult.analysis.theme_edits import EditedThemes, apply_edits
from consult.analysis.theme_edits import ThemeEdit as Replayable
from consult.analysis.themes import VERSION as THEMES_VERSION
from consult.analysis.themes import ThemeResult, find_themes
from consult.comments.models import Comment, CommentState, Vote
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.i18n import LocalText, pick_text
from consult.summaries import queries as summary_queries
from consult.summaries.opinions import consultation_opinions
from consult.summaries.theme_models import ThemeEdit, edits_of, edits_revision
from consult.surveys.models import Answer, QuestionType, Response, ResponseState

OPINION_VERSION = "opinion-groups-1 (specs/opinion-groups.md)"
#: Fewest clustered participants before groups are shown at all.
MIN_PARTICIPANTS = 15
#: Computed themes kept per process for replaying edits: few, as each holds every text index.
RESULTS_KEPT = 8


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
class EditNote:
    """A planner's edit as the report lists it (staff only)."""

    id: int
    kind: str  # "rename", "merge" or "split"
    terms: tuple[str, ...]  # the edited theme's terms when the edit was made
    names: dict[str, str]  # a rename's name per language
    by: str | None  # the staff member, None once their account is gone
    on: dt.date
    reason: str | None = None  # why it no longer applies (theme_edits.MISSING, ...)

    def name(self, language: str, default_language: str) -> LocalText:
        """A rename's name in language (or a fallback)."""
        return pick_text(self.names, language, default_language)


@dataclass(frozen=True)
class ThemeView:
    """A theme of one question's answers or of the comments."""

    terms: tuple[str, ...]
    size: int | None  # distinct submissions; None below k
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (text, language)
    key: str = ""
    names: dict[str, str] = field(default_factory=dict)  # the planners' name per language
    edits: list[EditNote] = field(default_factory=list)  # planner report only
    merged: int = 0  # how many themes planners merged into this one

    def name(self, language: str, default_language: str) -> LocalText | None:
        """The planners' name in language (or a fallback), None while unnamed."""
        return pick_text(self.names, language, default_language) if self.names else None


@dataclass(frozen=True)
class ThemesOf:
    """The themes of one source of free text (a question or the comments)."""

    source: str  # "question:KEY" or "comments"
    themes: list[ThemeView]
    campaigns: list[tuple[int, str]]  # (how many share the text, the text) — sizes >= k only
    edited: int = 0  # shown themes that planners renamed, merged or split
    not_applied: list[EditNote] = field(default_factory=list)  # planner report only


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
    """(votes, highest vote id, published comments, highest comment id): read once per
    request, which asks for it for the opinion groups and for the themes alike."""
    memo = request.environ.setdefault("consult.vote_fingerprints", {}) \
        if has_request_context() else {}
    if consultation.id not in memo:
        memo[consultation.id] = _read_vote_fingerprint(consultation)
    return memo[consultation.id]


def _read_vote_fingerprint(consultation: Consultation) -> tuple:
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
    fingerprint = _texts_fingerprint(consultation, survey)
    key = ("themes", consultation.id, consultation.min_cell_size, planner, *fingerprint,
           edits_revision(consultation))
    return fragments.cached(key, lambda: (_theme_views(consultation, survey, planner,
                                                       fingerprint),))[0]


def _texts_fingerprint(consultation: Consultation, survey) -> tuple:
    """Changes whenever the texts themes are found in change (answers, published comments)."""
    return (*_vote_fingerprint(consultation), *_answer_fingerprint(survey))


def _answer_fingerprint(survey) -> tuple:
    """The summary's own fingerprint (its tallies' revision, shared within a request): it
    changes whenever a response is submitted, changed or removed, without counting them."""
    if survey is None:
        return (0, 0)
    return summary_queries.fingerprint(survey.id)


def _source_texts(consultation: Consultation, survey) -> dict[str, list[tuple[str, str]]]:
    """(text, language) of each source: free-text questions, then published comments."""
    sources: dict[str, list[tuple[str, str]]] = {}
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
            sources[f"question:{question.key}"] = [(t, lang or "") for t, lang in rows]
    comments = _published(consultation)
    sources["comments"] = [(c.body, c.language) for c in comments.values()]
    return sources


def _computed(consultation: Consultation, source: str, texts: list[tuple[str, str]],
              fingerprint: tuple) -> ThemeResult:
    """find_themes of one source, kept for the data fingerprint: an edit replays onto it
    instead of recomputing, and the report and the results page share it."""
    cache = current_app.extensions.setdefault("consult_theme_results",
                                              fragments.FragmentCache(RESULTS_KEPT))
    key = (consultation.id, source, fingerprint)
    return cache.get_or_render(key, lambda: (find_themes([t for t, _ in texts],
                                                         [lang for _, lang in texts]),))[0]


def _replayed(result: ThemeResult, texts: list[tuple[str, str]],
              edits: Sequence[Replayable]) -> EditedThemes:
    return apply_edits(result, edits, [t for t, _ in texts], [lang for _, lang in texts])


def edited_themes(consultation: Consultation, survey, source: str,
                  extra: Replayable | None = None) -> EditedThemes | None:
    """One source's themes with the planners' edits (and extra, an edit being tried), or None
    for a source the consultation does not have."""
    texts = _source_texts(consultation, survey).get(source)
    if texts is None:
        return None
    fingerprint = _texts_fingerprint(consultation, survey)
    edits = [e.replayable() for e in edits_of(consultation, source)]
    return _replayed(_computed(consultation, source, texts, fingerprint), texts,
                     edits + ([extra] if extra else []))


def _note(edit: ThemeEdit, reason: str | None = None) -> EditNote:
    return EditNote(edit.id, edit.kind.value, tuple(edit.terms), edit.texts_for("name"),
                    edit.created_by.name if edit.created_by else None,
                    edit.created_at.date(), reason)


def _theme_views(consultation: Consultation, survey, planner: bool,
                 fingerprint: tuple) -> list[ThemesOf]:
    k = consultation.min_cell_size
    found = []
    stored: dict[str, list[ThemeEdit]] = {}
    for edit in edits_of(consultation):
        stored.setdefault(edit.source, []).append(edit)
    for source, texts in _source_texts(consultation, survey).items():
        # Survey free text is quoted to planners only.
        quotable = planner or source == "comments"
        edits = {e.id: e for e in stored.get(source, [])}
        result = _computed(consultation, source, texts, fingerprint)
        edited = _replayed(result, texts, [e.replayable() for e in edits.values()])
        shown = [t for t in edited.themes if t.size >= k or planner]
        themes = [ThemeView(t.terms, _suppress(t.size, k),
                            [texts[i] for i in t.quotes] if quotable else [], t.key, t.names,
                            [_note(edits[i]) for i in t.edits] if planner else [],
                            len(t.merged))
                  for t in shown]
        campaigns = [(len(c), texts[c[0]][0]) for c in result.campaigns if len(c) >= k]
        missing = [_note(edits[i], why) for i, why in edited.not_applied.items()] \
            if planner else []
        if themes or campaigns or missing:
            found.append(ThemesOf(source, themes, campaigns if quotable else
                                  [(n, "") for n, _ in campaigns],
                                  sum(1 for t in shown if t.edits), missing))
    return found


def versions() -> dict[str, str]:
    """Algorithm versions, for the methods box."""
    return {"themes": THEMES_VERSION, "opinion groups": OPINION_VERSION}

