"""Staff erasing a participant's contribution on a lawful request: a comment's words, or a
whole survey response. Recorded in the audit log by number and ground, never with the words
or the receipt (the log outlives the erasure and is read by every host). Flushes, never
commits."""
from consult.accounts.models import User
from consult.audit import services as audit
from consult.comments.erasure import erase_on_request, is_erased
from consult.comments.models import Comment
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.surveys import deletion
from consult.surveys.changes import response_by_receipt
from consult.surveys.models import Response
from consult.surveys.services import get_survey

COMMENT, RESPONSE = "comment", "response"


def find(consultation: Consultation, kind: str, reference: str) -> Comment | Response | None:
    """The consultation's comment with this number, or its counted response with this
    receipt; None when there is none (or it is another consultation's)."""
    if kind == COMMENT:
        number = reference.strip().lstrip("#")
        comment = db.session.get(Comment, int(number)) if number.isdigit() else None
        return comment if comment is not None and comment.consultation_id == consultation.id \
            else None
    survey = get_survey(consultation)
    response = response_by_receipt(reference)
    return response if survey is not None and response is not None \
        and response.survey_id == survey.id else None


def already_erased(target: Comment | Response) -> bool:
    """Whether there is nothing left to erase (a comment whose words are gone)."""
    return isinstance(target, Comment) and is_erased(target)


def erase(consultation: Consultation, target: Comment | Response, ground: str,
          actor: User) -> None:
    """Erase the comment's words or delete the response (its counts undone), and record it."""
    if isinstance(target, Comment):
        erase_on_request(target)
        audit.record(actor, "contribution.comment_erased", consultation=consultation,
                     target=f"comment {target.id}", detail=ground)
        return
    survey = get_survey(consultation)
    deletion.delete_response(consultation, survey, target, by_staff=True)
    audit.record(actor, "contribution.response_erased", consultation=consultation,
                 target="survey response", detail=ground)
