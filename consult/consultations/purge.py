"""Deleting a consultation's raw data once its retention period is over (retention.py).

What goes: every survey response (submitted or draft) with its answers, the survey's
tallies (exact counts, small ones included) and exported files; the texts of comments that
are not published (pending, hidden, rejected, withdrawn) with their translations, the
originals of redacted comments, appeal statements and reports; every participant key
(comment authors, voters, blocks, channel conversations) and the codename participants who
took part here and nowhere else. Votes go too: their counts stay on the published comments
and in the stored opinion groups.

What stays: the published figures (frozen first: see retention.py), published comments,
planners' answers, the moderation log, the staff audit log.

Order: freeze and commit, then delete in batches, each in its own short transaction (no
giant transaction on PostgreSQL; SQLite's writers wait only a batch), then mark the record.
Safe to run again at any point: a purge stopped half-way resumes where it was.
"""
import datetime as dt
import json
import time
from dataclasses import dataclass, field

from sqlalchemy import delete, or_, select, update

from consult import audit
from consult.accounts.models import Participant
from consult.channels.models import (
    ChannelComment,
    ChannelConnection,
    Conversation,
    ResultsFollowup,
)
from consult.comments.models import Comment, CommentState, Vote
from consult.comments.translations import CommentTranslation
from consult.consultations import retention
from consult.consultations.models import Consultation
from consult.consultations.services import touch
from consult.extensions import db
from consult.jobs.files import StoredFile
from consult.moderation.models import Appeal, ParticipantBlock, RedactionRecord, Report
from consult.summaries import recompute, services
from consult.summaries.snapshots import token_text
from consult.summaries.tallies_models import SurveyTally, SurveyTallyState
from consult.surveys.deletion import DeletedResponse
from consult.surveys.models import Answer, Response
from consult.surveys.services import get_survey

#: Rows deleted or changed per transaction.
BATCH = 5000


@dataclass
class Purged:
    """How many rows of each kind went (or, in a dry run, would go)."""

    counts: dict[str, int] = field(default_factory=dict)
    #: Seconds each step took (bench/purge.py reports them).
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        """Count n more rows of a kind."""
        self.counts[name] = self.counts.get(name, 0) + (n or 0)


def freeze(consultation: Consultation) -> None:
    """Store the published figures and the analyses' data tokens as they are now, so the
    results read them once the raw data starts going (commits; never again once done)."""
    if retention.is_frozen(consultation.id):
        return
    survey = get_survey(consultation)
    counts = None
    if survey is not None:
        counts = services.counts_json(*services.published_counts(consultation, survey))
    tokens = {kind: json.loads(token_text(token)) for kind, token in (
        ("opinions", recompute.opinions_token(consultation, memo=False)),
        ("themes", recompute.themes_token(consultation, survey, memo=False)))}
    tokens["submitted"] = recompute.submitted(survey, memo=False)
    retention.freeze(consultation.id, {"counts": counts, "tokens": tokens})
    db.session.commit()


def _in_batches(ids_of, act) -> int:
    """Run act(ids) on successive batches of ids (ids_of(after, limit) gives the next ones,
    ascending), committing each; how many ids in all."""
    done, after = 0, 0
    while True:
        ids = list(ids_of(after, BATCH))
        if not ids:
            return done
        act(ids)
        db.session.commit()
        done, after = done + len(ids), ids[-1]


def _ids(column, *conditions):
    """ids_of for _in_batches: the next ids of column's table matching conditions."""
    def ids_of(after: int, limit: int):
        return db.session.scalars(select(column).where(*conditions, column > after)
                                  .order_by(column).limit(limit)).all()
    return ids_of


def _execute(statement) -> int:
    return db.session.execute(statement).rowcount or 0


def _responses(survey_id: int, purged: Purged) -> None:
    """Every response of the survey (drafts too), its answers first."""
    def act(ids):
        purged.add("answers", _execute(delete(Answer).where(Answer.response_id.in_(ids))))
        purged.add("responses", _execute(delete(Response).where(Response.id.in_(ids))))

    _in_batches(_ids(Response.id, Response.survey_id == survey_id), act)
    purged.add("tally rows", _execute(delete(SurveyTally).where(
        SurveyTally.survey_id == survey_id)))
    _execute(delete(SurveyTallyState).where(SurveyTallyState.survey_id == survey_id))
    # The notes of responses deleted at their authors' request hold keyed hashes of a
    # receipt and a participant key: raw data like the rest.
    purged.add("deletion notes", _execute(delete(DeletedResponse).where(
        DeletedResponse.survey_id == survey_id)))
    db.session.commit()


def _comments(consultation_id: int, purged: Purged) -> None:
    """Authors' keys of every comment; texts of the unpublished ones, their translations
    and redacted originals."""
    here = Comment.consultation_id == consultation_id
    unpublished = Comment.state != CommentState.PUBLISHED

    def keys(ids):
        purged.add("comment authors", _execute(update(Comment).where(
            Comment.id.in_(ids)).values(author_key="", idempotency_key=None)))

    def texts(ids):
        purged.add("comment texts", _execute(update(Comment).where(
            Comment.id.in_(ids)).values(body="")))
        purged.add("comment translations", _execute(delete(CommentTranslation).where(
            CommentTranslation.comment_id.in_(ids))))

    def originals(ids):
        purged.add("redacted originals", _execute(delete(RedactionRecord).where(
            RedactionRecord.comment_id.in_(ids))))

    _in_batches(_ids(Comment.id, here, Comment.author_key != ""), keys)
    _in_batches(_ids(Comment.id, here, unpublished, Comment.body != ""), texts)
    redacted = select(RedactionRecord.comment_id).join(
        Comment, Comment.id == RedactionRecord.comment_id).where(here)
    _in_batches(_ids(Comment.id, here, Comment.id.in_(redacted)), originals)


def _participants(consultation_id: int, survey_id: int | None, purged: Purged) -> None:
    """Codename participants who took part here and nowhere else (their codename hash goes
    with them); a codename used elsewhere too stays for the other consultations."""
    key = Participant.key
    here = [select(Comment.id).where(Comment.consultation_id == consultation_id,
                                     Comment.author_key == key).exists(),
            select(Vote.id).where(Vote.consultation_id == consultation_id,
                                  Vote.voter_key == key).exists(),
            select(Report.id).where(Report.consultation_id == consultation_id,
                                    Report.reporter_key == key).exists()]
    if survey_id is not None:
        here.append(select(Response.id).where(Response.survey_id == survey_id,
                                              Response.respondent_key == key).exists())
    # Keys used outside this consultation, looked up for a whole batch at once (one pass
    # over each table, not one per participant: votes and reports have no index by key).
    elsewhere = ((Comment.author_key, Comment.consultation_id != consultation_id),
                 (Vote.voter_key, Vote.consultation_id != consultation_id),
                 (Report.reporter_key, Report.consultation_id != consultation_id),
                 (Response.respondent_key, Response.survey_id != (survey_id or 0)))

    def act(ids):
        keys = dict(db.session.execute(select(Participant.key, Participant.id)
                                       .where(Participant.id.in_(ids))).all())
        for column, condition in elsewhere:
            for used in db.session.scalars(select(column).distinct().where(
                    column.in_(list(keys)), condition)):
                keys.pop(used, None)
        purged.add("participants", _execute(delete(Participant).where(
            Participant.id.in_(list(keys.values())))))

    _in_batches(_ids(Participant.id, or_(*here)), act)


def _keys_and_texts(consultation_id: int, purged: Purged) -> None:
    """Votes, reports, blocks' keys, appeal statements, conversations and exported files."""
    def votes(ids):
        purged.add("votes", _execute(delete(Vote).where(Vote.id.in_(ids))))

    _in_batches(_ids(Vote.id, Vote.consultation_id == consultation_id), votes)
    purged.add("reports", _execute(delete(Report).where(
        Report.consultation_id == consultation_id)))
    blocks = db.session.scalars(select(ParticipantBlock).where(
        ParticipantBlock.consultation_id == consultation_id,
        ~ParticipantBlock.author_key.startswith("deleted:"))).all()
    for block in blocks:  # unique per consultation: each gets a placeholder of its own
        block.author_key = f"deleted:{block.id}"
    purged.add("blocked keys", len(blocks))
    purged.add("appeal statements", _execute(update(Appeal).where(
        Appeal.consultation_id == consultation_id, Appeal.statement != "").values(
        statement="")))
    connections = select(ChannelConnection.id).where(
        ChannelConnection.consultation_id == consultation_id)
    purged.add("conversations", _execute(delete(Conversation).where(
        Conversation.connection_id.in_(connections))))
    # Sealed numbers still owed a message by SMS, and the keyed hashes of deleted responses.
    purged.add("sealed numbers", _execute(delete(ChannelComment).where(
        ChannelComment.consultation_id == consultation_id)) + _execute(delete(
            ResultsFollowup).where(ResultsFollowup.consultation_id == consultation_id)))
    purged.add("exported files", _execute(delete(StoredFile).where(
        StoredFile.consultation_id == consultation_id)))
    db.session.commit()


def purge(consultation: Consultation, today: dt.date) -> Purged:
    """Freeze the published figures, delete the raw data, note the day and audit it as the
    system (commits as it goes)."""
    purged = Purged()
    started = time.perf_counter()
    freeze(consultation)
    survey = get_survey(consultation)
    steps = [("freeze", lambda: None),
             ("participants", lambda: _participants(consultation.id, survey and survey.id,
                                                    purged)),
             ("responses", lambda: survey and _responses(survey.id, purged)),
             ("comments", lambda: _comments(consultation.id, purged)),
             ("keys and texts", lambda: _keys_and_texts(consultation.id, purged))]
    for name, step in steps:
        step()
        now = time.perf_counter()
        purged.seconds[name], started = now - started, now
    record = retention.record_of(consultation.id)
    record.raw_data_deleted_on = today
    touch(consultation)  # the pages say so from now on
    audit.record(None, "consultation.raw_data_deleted", consultation=consultation,
                 target=consultation.slug, detail=", ".join(
                     f"{name}: {n}" for name, n in purged.counts.items() if n))
    db.session.commit()
    return purged
