"""What people wrote, grouped: opinion groups from statement votes, themes and campaigns in
free text, read from the stored snapshots (snapshots.py) with how fresh they are. A page never
computes them: when newer data waits it queues a recomputation (analysis_tasks.py) and shows
the last result, or says that they are being computed.

Only published comments are ever quoted publicly; survey free text is quoted on the planner
report alone, and group sizes below k are suppressed like every other count (k is applied
here, when reading, so a change of k needs no recomputation). Quotes are read by id when
shown, so a comment hidden since the computation is never quoted.

Themes reach the public results only when the host publishes them (Consultation.
publish_themes), and only those of k answers or more (every submission counts: k protects
people, and a campaign's signatories are people). Of a survey theme the public sees the
terms that k answers or more used and the count, never an answer.
"""
import datetime as dt
from dataclasses import dataclass, field

from flask import has_request_context, request
from flask_babel import format_datetime
from sqlalchemy import select

from consult.analysis.theme_edits import EditedThemes, apply_edits
from consult.analysis.theme_edits import ThemeEdit as Replayable
from consult.comments.models import Comment, CommentState
from consult.consultations import retention
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.i18n import LocalText, pick_text
from consult.summaries import analysis_tasks, recompute, snapshots
from consult.summaries.recompute import FREE_TEXT
from consult.summaries.snapshots import OPINIONS, THEMES, Stored, token_text
from consult.summaries.theme_models import ThemeEdit, edits_of
from consult.surveys.models import Answer, Response, ResponseState

OPINION_VERSION = recompute.OPINION_VERSION
THEMES_VERSION = recompute.VERSIONS[THEMES]
#: Fewest clustered participants before groups are shown at all.
MIN_PARTICIPANTS = 15
#: Group-informed consensus statements shown.
COMMON_SHOWN = 5


@dataclass(frozen=True)
class Freshness:
    """When a stored result was computed, from how many inputs, and what waits since."""

    computed_at: dt.datetime  # UTC: a system time, never a participant's
    #: What inputs counts: "comments" or "votes" (public counts, shown), or "answers" (never
    #: shown: survey counts are published only through disclosure control).
    unit: str
    inputs: int
    newer: int  # inputs (for survey questions: responses) that arrived since
    stale: bool  # newer data or edits wait for the next recomputation

    def when(self) -> str:
        """The computation time in the reader's language."""
        return format_datetime(self.computed_at, "medium")


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
    fresh: Freshness | None = None


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
    size: int | None  # answers (or comments), campaign copies included; None below k
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (text, language)
    key: str = ""
    names: dict[str, str] = field(default_factory=dict)  # the planners' name per language
    edits: list[EditNote] = field(default_factory=list)  # planner report only
    merged: int = 0  # how many themes planners merged into this one
    distinct: int | None = None  # planner report only: a campaign counted once

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
    fresh: Freshness | None = None


@dataclass(frozen=True)
class Analysis:
    """What the results page and the report show of the analyses."""

    opinions: OpinionView | None
    themes: list[ThemesOf]
    #: Nothing stored yet while there is data: the page says they are being computed.
    pending: bool


def _suppress(count: int, k: int) -> int | None:
    return count if count >= k else None


def _forget_tokens() -> None:
    """Drop this request's remembered tokens: a job that ran inline has changed them."""
    if has_request_context():
        for name in ("consult.tallies", "consult.vote_tokens"):
            request.environ.pop(name, None)


def _stale(stored: dict[str, Stored], token: tuple, version: str) -> bool:
    text = token_text(token)
    return not stored or any(s.fingerprint != text or s.method_version != version
                             for s in stored.values())


def _read(consultation: Consultation, kind: str, token_of) -> tuple[dict[str, Stored], tuple]:
    """The stored results of one kind and the current token; queues a recomputation when
    they are missing or stale (run at once in immediate mode, then read again)."""
    frozen = retention.frozen_figures(consultation.id, "tokens")
    if frozen is not None:  # the raw data is deleted: the stored results, as last compared
        return snapshots.read(consultation.id, kind), tuple(frozen[kind])
    token, version = token_of(True), recompute.VERSIONS[kind]
    stored = snapshots.read(consultation.id, kind)
    if _stale(stored, token, version) and \
            analysis_tasks.request_recompute(consultation.id, kind):
        _forget_tokens()
        token, stored = token_of(True), snapshots.read(consultation.id, kind)
    return stored, token


def _freshness(stored: Stored, token: tuple, unit: str, newer: int, version: str
               ) -> Freshness:
    return Freshness(stored.computed_at, unit, stored.inputs, max(0, newer),
                     _stale({stored.source: stored}, token, version))


def _published(consultation: Consultation, ids) -> dict[int, Comment]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {c.id: c for c in db.session.scalars(select(Comment).where(
        Comment.consultation_id == consultation.id, Comment.id.in_(ids),
        Comment.state == CommentState.PUBLISHED))}


def _opinions(consultation: Consultation) -> tuple[OpinionView | None, bool]:
    """(the opinion groups in quotable form, None when too few have voted; whether they are
    still to be computed)."""
    stored, token = _read(consultation, OPINIONS,
                          lambda memo: recompute.opinions_token(consultation, memo))
    found = stored.get("")
    if found is None:
        return None, token[1] > 0
    result, k = found.result, consultation.min_cell_size
    if result["participants"] < MIN_PARTICIPANTS or not result["groups"]:
        return None, False
    published = _published(consultation, [i for name in ("consensus", "common", "divisive")
                                          for i, _ in result[name]] +
                           [i for g in result["groups"] for side in ("agree", "disagree")
                            for i, _ in g[side]])

    def statements(pairs) -> list[Statement]:
        return [Statement(c.id, c.body, c.language, share) for c, share in
                ((published.get(i), share) for i, share in pairs) if c is not None]

    groups = [GroupView(g["number"], _suppress(g["size"], k), statements(g["agree"]),
                        statements(g["disagree"])) for g in result["groups"]]
    fresh = _freshness(found, token, "votes", token[1] - found.inputs, OPINION_VERSION)
    return OpinionView(_suppress(result["participants"], k), groups,
                       statements(result["consensus"]),
                       statements(result["common"])[:COMMON_SHOWN],
                       statements(result["divisive"]), fresh), False


def opinion_view(consultation: Consultation) -> OpinionView | None:
    """Opinion groups in quotable form, or None when too few have voted (or none stored)."""
    return _opinions(consultation)[0]


def _note(edit: ThemeEdit, reason: str | None = None) -> EditNote:
    return EditNote(edit.id, edit.kind.value, tuple(edit.terms), edit.texts_for("name"),
                    edit.created_by.name if edit.created_by else None,
                    edit.created_at.date(), reason)


def _texts(consultation: Consultation, source: str, ids) -> dict[int, tuple[str, str]]:
    """(text, language) of these items of a source, if still counted (or published)."""
    ids = list(set(ids))
    if not ids:
        return {}
    if source == "comments":
        return {i: (c.body, c.language) for i, c in _published(consultation, ids).items()}
    rows = db.session.execute(select(Answer.id, Answer.text, Answer.language)
                              .join(Response, Response.id == Answer.response_id)
                              .where(Answer.id.in_(ids),
                                     Response.state == ResponseState.SUBMITTED))
    return {i: (text or "", language or "") for i, text, language in rows}


def _answers(theme: dict) -> int:
    """Submissions in a stored theme, campaign copies included."""
    return theme.get("answers", theme["size"])


def _public_terms(theme: dict, source: str, k: int) -> list[str]:
    """The terms of a stored theme the public may read: a survey theme's only when k answers
    or more used them (fewer could tell what a few people wrote); a comment theme's all."""
    if source == "comments":
        return list(theme["terms"])
    uses = theme.get("uses") or [0] * len(theme["terms"])
    return [term for term, used in zip(theme["terms"], uses) if used >= k]


def _themes(consultation: Consultation, survey, planner: bool, participant_text: bool = True
            ) -> tuple[list[ThemesOf], bool]:
    """(the themes of each free-text question and of the published comments; whether they
    are still to be computed). The public sees none unless the host publishes them.

    planner without participant_text (a programme's auditors): every theme the planners
    see, but no survey answer quoted, a survey theme's terms only when k answers or more
    used them (as the public reads them), and no edit notes (they carry the terms)."""
    if not planner and not consultation.publish_themes:
        return [], False
    stored, token = _read(consultation, THEMES,
                          lambda memo: recompute.themes_token(consultation, survey, memo))
    questions = [f"question:{q.key}" for q in (survey.questions if survey else [])
                 if q.type in FREE_TEXT]
    if not stored:
        # token: (format, published comments, ..., tallies' revision, usable, waiting, ...)
        return [], token[1] > 0 or bool(questions and (token[4] or token[6]))
    k = consultation.min_cell_size
    own_words = planner and participant_text  # the planners' own report
    edits = {e.id: e for e in edits_of(consultation)} if own_words else {}
    responses = recompute.submitted(survey) if questions else 0
    found = []
    for source in questions + ["comments"]:
        if source not in stored:
            continue
        result = stored[source].result
        # Survey free text is quoted to planners only.
        quotable = own_words or source == "comments"
        readable = [(t, list(t["terms"]) if own_words else _public_terms(t, source, k))
                    for t in result["themes"]]
        shown = [(t, terms) for t, terms in readable
                 if own_words or ((planner or _answers(t) >= k) and (terms or t["names"]))]
        campaigns = [(n, first) for n, first in result["campaigns"] if n >= k]
        texts = _texts(consultation, source, [q for t, _ in shown for q in t["quotes"]] +
                       [first for _, first in campaigns]) if quotable else {}
        themes = [ThemeView(tuple(terms), _suppress(_answers(t), k),
                            [texts[q] for q in t["quotes"] if q in texts], t["key"], t["names"],
                            [_note(edits[i]) for i in t["edits"] if i in edits], t["merged"],
                            t["size"] if planner else None)
                  for t, terms in shown]
        missing = [_note(edits[int(i)], why) for i, why in result["not_applied"].items()
                   if int(i) in edits]
        fresh = _freshness(stored[source], token, "comments", token[1] - stored[source].inputs,
                           THEMES_VERSION) if source == "comments" else \
            _freshness(stored[source], token, "answers", responses - result["responses"],
                       THEMES_VERSION)
        if themes or campaigns or missing:
            found.append(ThemesOf(source, themes, [(n, texts.get(first, ("", ""))[0])
                                                   for n, first in campaigns],
                                  sum(1 for t, _ in shown if t["edits"]), missing, fresh))
    return found, False


def theme_views(consultation: Consultation, survey, planner: bool) -> list[ThemesOf]:
    """Themes of each free-text question and of the published comments (as last stored)."""
    return _themes(consultation, survey, planner)[0]


def analysis_for(consultation: Consultation, survey, planner: bool,
                 participant_text: bool = True) -> Analysis:
    """The opinion groups and themes a results page or the report shows (participant_text
    False: the report as a programme's auditors read it, see _themes)."""
    opinions, opinions_pending = _opinions(consultation)
    themes, themes_pending = _themes(consultation, survey, planner, participant_text)
    return Analysis(opinions, themes, opinions_pending or themes_pending)


def edited_themes(consultation: Consultation, survey, source: str,
                  extra: Replayable | None = None) -> EditedThemes | None:
    """One source's stored themes with the planners' edits (and extra, an edit being tried)
    replayed, or None for a source with no stored themes (a planner's edit, never a page)."""
    detail = snapshots.detail(consultation.id, THEMES, source)
    if detail is None:
        return None
    current = {i: (t, lang) for i, t, lang in
               recompute.source_items(consultation, survey, only=source).get(source, [])}
    texts = [current.get(i, ("", "")) for i in detail["ids"]]
    edits = [e.replayable() for e in edits_of(consultation, source)]
    return apply_edits(recompute.raw_result(detail["raw"]), edits + ([extra] if extra else []),
                       [t for t, _ in texts], [lang for _, lang in texts])


def versions() -> dict[str, str]:
    """Algorithm versions, for the methods box."""
    return {"themes": THEMES_VERSION, "opinion groups": OPINION_VERSION}
