"""Computing themes and opinion groups for the stored snapshots (run by jobs, never by a page).

Each analysis has a data token, cheap to read, that changes whenever its input does: pages
compare it with the snapshot's to tell whether newer data waits, and a recomputation whose
token equals the stored one does nothing (so a job delivered twice, or queued by two pages,
does the work once). Planners' theme edits are replayed onto the computed themes here; an
edit alone reuses the stored grouping instead of finding the themes again.
"""
from flask import has_request_context, request
from sqlalchemy import func, select

from consult.analysis.theme_edits import apply_edits
from consult.analysis.themes import VERSION as THEMES_VERSION
from consult.analysis.themes import Theme, ThemeResult, find_themes, term_uses
from consult.comments.models import Comment, CommentState, Vote
from consult.consultations import retention
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.summaries import snapshots, tallies_store
from consult.summaries.opinions import consultation_opinions
from consult.summaries.theme_models import edits_of, edits_revision
from consult.surveys.models import Answer, QuestionType, Response, ResponseState
from consult.surveys.services import get_survey

OPINION_VERSION = "opinion-groups-1 (specs/opinion-groups.md)"
#: Bumped when what a snapshot holds changes shape, so older ones count as stale.
FORMAT = 1
#: Group-informed consensus statements kept (pages show the first few still published).
COMMON_KEPT = 50
FREE_TEXT = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)


def vote_token(consultation: Consultation, memo: bool = True) -> tuple:
    """(votes, highest vote id, published comments, highest published comment id): read once
    per request, which asks for it for the opinion groups and for the themes alike."""
    found = request.environ.setdefault("consult.vote_tokens", {}) \
        if memo and has_request_context() else {}
    if consultation.id not in found:
        found[consultation.id] = tuple(db.session.execute(
            select(func.count(Vote.id), func.max(Vote.id))
            .where(Vote.consultation_id == consultation.id)).one()) + tuple(db.session.execute(
                select(func.count(Comment.id), func.max(Comment.id))
                .where(Comment.consultation_id == consultation.id,
                       Comment.state == CommentState.PUBLISHED)).one())
    return found[consultation.id]


def opinions_token(consultation: Consultation, memo: bool = True) -> tuple:
    """What the opinion groups are computed from: the votes and the published statements."""
    return (FORMAT, *vote_token(consultation, memo))


def themes_data_token(consultation: Consultation, survey, memo: bool = True) -> tuple:
    """What the themes' texts are read from: the published comments and the survey's
    responses (its tallies' token: any submission, change or fold changes it)."""
    votes = vote_token(consultation, memo)
    answers = (0,) * 5 if survey is None else \
        (survey.id, *tallies_store.state_token(survey.id, memo=memo))
    return (FORMAT, *votes[2:], *answers)


def themes_token(consultation: Consultation, survey, memo: bool = True) -> tuple:
    """The themes' data token and the planners' edits."""
    return (*themes_data_token(consultation, survey, memo), *edits_revision(consultation))


def submitted(survey, memo: bool = True) -> int:
    """The survey's submitted responses now: those its tallies count plus those waiting."""
    if survey is None:
        return 0
    frozen = retention.frozen_figures(survey.consultation_id, "tokens")
    if frozen is not None:  # its responses are deleted: as many as when they were
        return frozen["submitted"]
    return tallies_store.respondents(survey.id) + \
        tallies_store.state_token(survey.id, memo=memo)[2]


def source_items(consultation: Consultation, survey, only: str | None = None
                 ) -> dict[str, list[tuple]]:
    """(id, text, language) of each source of free text (or of the one source `only`),
    oldest first: the free-text questions' submitted answers, then the published comments."""
    sources: dict[str, list[tuple]] = {}
    for question in [q for q in (survey.questions if survey else []) if q.type in FREE_TEXT]:
        source = f"question:{question.key}"
        if only not in (None, source):
            continue
        rows = db.session.execute(
            select(Answer.id, Answer.text, Answer.language)
            .join(Response, Response.id == Answer.response_id)
            .where(Answer.question_id == question.id, Response.state == ResponseState.SUBMITTED,
                   Answer.text.is_not(None)).order_by(Answer.id))
        sources[source] = [(i, t, lang or "") for i, t, lang in rows]
    if only in (None, "comments"):
        sources["comments"] = [tuple(row) for row in db.session.execute(
            select(Comment.id, Comment.body, Comment.language).where(
                Comment.consultation_id == consultation.id,
                Comment.state == CommentState.PUBLISHED).order_by(Comment.id))]
    return sources


def _raw_json(result: ThemeResult) -> dict:
    return {"themes": [[t.key, list(t.terms), list(t.members), t.size, list(t.quotes)]
                       for t in result.themes],
            "unassigned": list(result.unassigned), "campaigns": [list(c) for c in
                                                                 result.campaigns]}


def raw_result(stored: dict) -> ThemeResult:
    """A ThemeResult from its stored form."""
    return ThemeResult([Theme(key, tuple(terms), tuple(members), size, tuple(quotes))
                        for key, terms, members, size, quotes in stored["themes"]],
                       tuple(stored["unassigned"]), [tuple(c) for c in stored["campaigns"]])


def _fresh(consultation: Consultation, kind: str, token: tuple, version: str) -> bool:
    stored = snapshots.read(consultation.id, kind)
    text = snapshots.token_text(token)
    return bool(stored) and all(s.fingerprint == text and s.method_version == version
                                for s in stored.values())


def recompute_themes(consultation: Consultation) -> bool:
    """Store the consultation's themes (every source, edits replayed) unless the stored ones
    are current; whether anything was computed. Commits a fold first, so that the token
    read after it stays current; then flushes, never commits."""
    if retention.is_frozen(consultation.id):
        return False  # its raw data is deleted: the stored themes are final (retention.py)
    survey = get_survey(consultation)
    if survey is not None:
        tallies_store.fold(survey.id)
        db.session.commit()
    token = themes_token(consultation, survey, memo=False)
    if _fresh(consultation, snapshots.THEMES, token, THEMES_VERSION):
        return False
    data = snapshots.token_text(themes_data_token(consultation, survey, memo=False))
    responses = submitted(survey, memo=False)
    edits: dict[str, list] = {}
    for edit in edits_of(consultation):
        edits.setdefault(edit.source, []).append(edit.replayable())
    results = {}
    for source, items in source_items(consultation, survey).items():
        ids = [i for i, _, _ in items]
        texts, languages = [t for _, t, _ in items], [lang for _, _, lang in items]
        before = snapshots.detail(consultation.id, snapshots.THEMES, source)
        if before and before.get("data") == data and before.get("ids") == ids and \
                before.get("version") == THEMES_VERSION:
            raw = raw_result(before["raw"])  # only the edits changed: no need to regroup
        else:
            raw = find_themes(texts, languages)
        edited = apply_edits(raw, edits.get(source, []), texts, languages)
        # Survey answers are confidential: how many use each term decides what is published.
        uses = term_uses(texts, [(t.members, t.terms) for t in edited.themes]) \
            if source != "comments" else [None] * len(edited.themes)
        result = {
            "themes": [{"key": t.key, "terms": list(t.terms), "size": t.size,
                        "answers": len(t.members), "uses": used,
                        "quotes": [ids[i] for i in t.quotes], "names": t.names,
                        "edits": list(t.edits), "merged": len(t.merged)}
                       for t, used in zip(edited.themes, uses)],
            "campaigns": [[len(c), ids[c[0]]] for c in raw.campaigns],
            "not_applied": {str(i): why for i, why in edited.not_applied.items()},
            "responses": responses}
        results[source] = (len(items), result, {"data": data, "ids": ids,
                                                "version": THEMES_VERSION,
                                                "raw": _raw_json(raw)})
    snapshots.store(consultation.id, snapshots.THEMES, token, THEMES_VERSION, results)
    return True


def recompute_opinions(consultation: Consultation) -> bool:
    """Store the consultation's opinion groups unless the stored ones are current; whether
    anything was computed. Flushes, never commits."""
    if retention.is_frozen(consultation.id):
        return False  # its votes' keys are deleted: the stored groups are final
    token = opinions_token(consultation, memo=False)
    if _fresh(consultation, snapshots.OPINIONS, token, OPINION_VERSION):
        return False
    opinions = consultation_opinions(consultation).result

    def pairs(rows):
        return [[int(statement), float(value)] for statement, value in rows]

    groups = [{"number": g.id + 1, "size": int(g.size),
               "agree": pairs((r.statement_id, r.probability) for r in g.representative
                              if r.side == "agree"),
               "disagree": pairs((r.statement_id, r.probability) for r in g.representative
                                 if r.side == "disagree")} for g in opinions.groups]
    common = sorted(opinions.group_consensus.items(), key=lambda item: -item[1])[:COMMON_KEPT]
    result = {"participants": len(opinions.group_of), "groups": groups,
              "consensus": pairs((c.statement_id, c.probability)
                                 for c in opinions.consensus_agree),
              "common": pairs(common),
              "divisive": pairs((d.statement_id, d.divisiveness) for d in opinions.divisive)}
    snapshots.store(consultation.id, snapshots.OPINIONS, token, OPINION_VERSION,
                    {"": (int(token[1]), result, None)})
    return True


RECOMPUTE = {snapshots.THEMES: recompute_themes, snapshots.OPINIONS: recompute_opinions}
VERSIONS = {snapshots.THEMES: THEMES_VERSION, snapshots.OPINIONS: OPINION_VERSION}
