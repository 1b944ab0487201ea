"""Autosave: the survey script keeps what is on a page in the participant's draft between page
submits. Nothing is required yet and the page does not move on; what is typed but not valid
keeps the draft's earlier value. The page submit (views.answer) stays the reference."""
import datetime as dt

from flask import jsonify, request
from sqlalchemy.exc import IntegrityError

from consult.extensions import db
from consult.surveys import changes, responses
from consult.surveys.answers import check_page
from consult.surveys.models import Response, ResponseState

#: The form field the script adds to a page's form data to ask for an autosave.
FIELD = "autosave"


def requested() -> bool:
    """Whether this POST is the script's autosave rather than the page submit."""
    return request.method == "POST" and request.form.get(FIELD) == "1"


def refused(reason: str, status: int = 403):
    """The small answer to an autosave that may not save (closed, no codename, counted...)."""
    return jsonify({"status": "refused", "reason": reason}), status


def _typed(submitted: dict[str, list[str]], key: str) -> bool:
    return any(value.strip() for value in submitted.get(key) or [])


def _still_a_draft(draft: Response) -> bool:
    """Touch the draft only while it is one: a submit or an applied change that got there
    first wins (the row is locked from here on where the database locks rows)."""
    touched = db.session.execute(
        db.update(Response).where(Response.id == draft.id,
                                  Response.state == ResponseState.DRAFT)
        .values(saved_on=dt.date.today()).execution_options(synchronize_session=False))
    return touched.rowcount == 1


def save(survey, key: str, language: str, page, number: int,
         submitted: dict[str, list[str]], earlier: dict, changing: bool):
    """Store the page's answers in the draft (or the change draft); JSON, never a submission.

    200 when everything on the page is saved; 422 with the keys of answers that are not valid
    yet (their earlier value is kept); 409 when there is no draft to save to any more.
    """
    values, others, errors = check_page(page.questions, submitted, earlier, language)
    # An empty answer is saved as empty even when required; a wrong one is not saved at all.
    unsaved = sorted(k for k in errors if _typed(submitted, k) or
                     _typed(submitted, f"{k}__other"))
    questions = [q for q in page.questions if q.key not in unsaved]
    try:
        draft = (changes.change_for(survey, key) if changing
                 else responses.start_draft(survey, key, language))
        if draft is None or not _still_a_draft(draft):
            db.session.rollback()
            return refused("submitted", 409)
        draft.language = language
        responses.save_page(draft, questions, values, others, draft.current_page or number)
        db.session.commit()
    except IntegrityError:
        # A parallel request made the draft first: the next autosave or submit saves it.
        db.session.rollback()
        return refused("conflict", 409)
    if unsaved:
        return jsonify({"status": "partial", "unsaved": unsaved}), 422
    return jsonify({"status": "saved"})
