"""Deleting a counted survey response: its counts undone from the tallies exactly once, its
answers and drafts gone, and a note left so that its receipt can say when it was deleted.

The note (DeletedResponse) holds no answer and no participant key: only keyed hashes of the
receipt and of the respondent's key, so the receipt page can find it again, and the day.
Operations flush, never commit.
"""
import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.jobs.files import EXPORT, StoredFile, delete_file
from consult.security import keyed_hash
from consult.summaries import tallies_store
from consult.surveys.changes import change_key, normalise_receipt
from consult.surveys.models import Answer, Response, ResponseState, Survey


class DeletedResponse(db.Model):
    """A survey response that was deleted: which survey, on which day, and by whom (the
    participant, or staff on a lawful request); never its answers or its participant."""

    __tablename__ = "deleted_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    #: Keyed hash of the receipt: coming back with it tells the day it was deleted.
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Keyed hash of the respondent's key: their contributions page lists the deletion.
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    deleted_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: Erased by staff on a lawful request rather than by the participant.
    by_staff: Mapped[bool] = mapped_column(Boolean, default=False)


class ResponseGone(ValueError):
    """The response was already deleted (a repeated or parallel request)."""


class ConsultationClosed(ValueError):
    """Participants may delete their response only while the consultation takes answers."""


def _receipt_hash(receipt: str) -> str:
    return keyed_hash(receipt, "deleted-response-receipt")


def _key_hash(respondent_key: str) -> str:
    return keyed_hash(respondent_key, "deleted-response-key")


def may_delete(consultation: Consultation) -> bool:
    """Whether participants may still delete their response (while answers are taken)."""
    return consultation.allows("respond")


def delete_response(consultation: Consultation, survey: Survey, response: Response,
                    by_staff: bool = False) -> DeletedResponse:
    """Delete a counted response and its drafts, undoing its counts once; flushes.

    Raises ConsultationClosed for a participant once answers are no longer taken (staff
    erasing on a lawful request may act at any time), and ResponseGone when a repeated or
    parallel request deleted it first: the tallies' lock (taken by forget) puts the second
    after the first, which then finds nothing to undo and no row to delete, and the caller
    rolls back its empty work.
    """
    if not by_staff and not may_delete(consultation):
        raise ConsultationClosed(consultation.slug)
    response_id, key, receipt = response.id, response.respondent_key, response.receipt
    if response in db.session:
        db.session.expunge(response)
    # Undo its counts if they were folded (and bump the revision: every kept page and stamp
    # reading the tallies changes), under the survey's tally lock.
    tallies_store.forget(survey.id, [response_id])
    mine = select(Response.id).where(
        Response.survey_id == survey.id,
        Response.respondent_key.in_([key, change_key(key)]))
    db.session.execute(delete(Answer).where(Answer.response_id.in_(mine)))
    drafts = delete(Response).where(Response.survey_id == survey.id,
                                    Response.respondent_key == change_key(key))
    db.session.execute(drafts)
    gone = db.session.execute(delete(Response).where(
        Response.id == response_id, Response.state == ResponseState.SUBMITTED)).rowcount
    if gone != 1:
        raise ResponseGone(response_id)
    # Finished exports are copies of every answer, this response's among them: they go too
    # (staff export again; a deleted response must not stay downloadable).
    for file_id in db.session.scalars(select(StoredFile.id).where(
            StoredFile.consultation_id == consultation.id, StoredFile.purpose == EXPORT)):
        delete_file(file_id)
    note = DeletedResponse(survey_id=survey.id, receipt_hash=_receipt_hash(receipt or ""),
                           key_hash=_key_hash(key), deleted_on=dt.date.today(),
                           by_staff=by_staff)
    db.session.add(note)
    db.session.flush()
    return note


def deleted_by_receipt(text: str) -> DeletedResponse | None:
    """The deletion note of the response that had this receipt, if it was deleted."""
    receipt = normalise_receipt(text)
    if receipt is None:
        return None
    return db.session.scalar(select(DeletedResponse).filter_by(
        receipt_hash=_receipt_hash(receipt)))


def deleted_for(respondent_key: str) -> list[tuple[DeletedResponse, Consultation]]:
    """The participant's deleted responses with their consultations, newest first."""
    query = (select(DeletedResponse, Consultation)
             .join(Survey, Survey.id == DeletedResponse.survey_id)
             .join(Consultation, Consultation.id == Survey.consultation_id)
             .where(DeletedResponse.key_hash == _key_hash(respondent_key))
             .order_by(DeletedResponse.id.desc()))
    return [(note, consultation) for note, consultation in db.session.execute(query)]
