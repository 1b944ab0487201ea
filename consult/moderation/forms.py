"""Moderation forms: decisions (one comment or many), appeals and their outcome, reports,
watched words. Every decision needs a coded reason; "other" needs a note."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.consultations.forms import options
from consult.forms import Form
from consult.moderation.labels import (
    ACTION_VERBS,
    OUTCOME_LABELS,
    REASON_LABELS,
    WORD_ACTION_LABELS,
)
from consult.moderation.models import (
    MODERATOR_REASONS,
    REPORT_REASONS,
    Action,
    AppealOutcome,
    Reason,
    WordAction,
)
from consult.moderation.services import BULK_ACTIONS

#: Longest note to an author, report details, appeal statement (characters).
NOTE_LENGTH, REPORT_NOTE_LENGTH, STATEMENT_LENGTH = 1000, 500, 1000


def _reason_field() -> SelectField:
    return SelectField(
        _l("Reason"), choices=options([("", _l("Choose a reason"))] + [
            (r.value, REASON_LABELS[r]) for r in MODERATOR_REASONS]),
        validators=[DataRequired(_l("Choose the reason for this decision."))],
        description=_l("The author sees it."))


def _note_field() -> TextAreaField:
    return TextAreaField(
        _l("Note to the author (optional)"), description=_l(
            "Shown to the author with the decision. Needed when the reason is \u201cOther\u201d. "
            "Never write who they are or who complained."),
        validators=[Optional(), Length(max=NOTE_LENGTH, message=_l(
            "Keep it to %(max)d characters or fewer.", max=NOTE_LENGTH))],
        render_kw={"rows": 3, "dir": "auto", "maxlength": NOTE_LENGTH})


class ReasonedForm(Form):
    """A decision's reason and note, with the rule that "other" is explained."""

    reason = _reason_field()
    note = _note_field()

    def validate(self, extra_validators=None) -> bool:
        """The fields' own rules, then: the reason "other" says nothing by itself, so the
        note must (checked here: an empty optional field skips its own validators)."""
        valid = super().validate(extra_validators)
        if self.reason.data == Reason.OTHER.value and not (self.note.data or "").strip():
            self.note.errors = [*self.note.errors,
                                _l("Explain the decision: the reason is \u201cOther\u201d.")]
            return False
        return valid

    @property
    def reason_code(self) -> Reason:
        """The chosen reason."""
        return Reason(self.reason.data)


class DecisionForm(ReasonedForm):
    """One decision on one comment."""

    action = RadioField(_l("What to do"), validators=[
        DataRequired(_l("Choose what to do with this comment."))])
    spans = TextAreaField(
        _l("Text to remove"), description=_l(
            "Only for \u201cRedact and publish\u201d: copy each passage to remove exactly as "
            "it is written, one per line. Each becomes [\u2026]; the original is kept for "
            "moderators only."),
        validators=[Optional(), Length(max=5000)], render_kw={"rows": 3, "dir": "auto"})

    def set_actions(self, actions: list[Action]) -> None:
        """Offer these actions."""
        self.action.choices = options((a.value, ACTION_VERBS[a]) for a in actions)

    def validate(self, extra_validators=None) -> bool:
        """A redaction names what to remove."""
        valid = super().validate(extra_validators)
        if self.action.data == Action.REDACT.value and not self.span_list:
            self.spans.errors = [*self.spans.errors,
                                 _l("Copy the passages to remove, one per line.")]
            return False
        return valid

    @property
    def span_list(self) -> list[str]:
        """The passages to redact, one per line."""
        return [line.strip() for line in (self.spans.data or "").splitlines() if line.strip()]


class BulkForm(ReasonedForm):
    """Approve or reject the comments ticked in the queue."""

    comments = SelectMultipleField(_l("Comments"), coerce=int, validate_choice=False,
                                   validators=[DataRequired(_l("Tick at least one comment."))])
    action = RadioField(_l("Decision for the ticked comments"), choices=options(
        (a.value, ACTION_VERBS[a]) for a in BULK_ACTIONS),
        validators=[DataRequired(_l("Choose approve or reject."))])


class AppealDecisionForm(ReasonedForm):
    """A moderator's answer to an appeal."""

    outcome = RadioField(_l("Outcome of the appeal"), choices=options(
        (o.value, OUTCOME_LABELS[o]) for o in AppealOutcome),
        validators=[DataRequired(_l("Choose whether the decision stands."))])


class AppealForm(Form):
    """An author's appeal against a decision."""

    statement = TextAreaField(
        _l("Why should the moderators look again?"), description=_l(
            "Up to %(max)s characters. Another moderator reads it and decides; you will see "
            "the outcome on this page.", max=STATEMENT_LENGTH),
        validators=[DataRequired(_l("Write a few words about why.")),
                    Length(max=STATEMENT_LENGTH, message=_l(
                        "Keep it to %(max)d characters or fewer.", max=STATEMENT_LENGTH))],
        render_kw={"rows": 5, "dir": "auto", "maxlength": STATEMENT_LENGTH})


class ReportForm(Form):
    """A participant reports a comment to the moderators."""

    reason = RadioField(_l("What is wrong with this comment?"), choices=options(
        (r.value, REASON_LABELS[r]) for r in REPORT_REASONS),
        validators=[DataRequired(_l("Choose what is wrong with it."))])
    note = TextAreaField(
        _l("Anything the moderators should know (optional)"),
        validators=[Optional(), Length(max=REPORT_NOTE_LENGTH, message=_l(
            "Keep it to %(max)d characters or fewer.", max=REPORT_NOTE_LENGTH))],
        render_kw={"rows": 3, "dir": "auto", "maxlength": REPORT_NOTE_LENGTH})


class WatchedWordForm(Form):
    """A word or phrase to watch in new comments."""

    word = StringField(_l("Word or phrase"), description=_l(
        "Found as a whole word whatever its capitals, accents or Arabic tatweel."),
        validators=[DataRequired(_l("Write the word or phrase.")), Length(max=100)],
        render_kw={"dir": "auto", "maxlength": 100})
    language = SelectField(_l("In comments written in"))
    action = RadioField(_l("What happens"), choices=options(
        (a.value, WORD_ACTION_LABELS[a]) for a in WordAction), default=WordAction.HOLD.value,
        validators=[DataRequired(_l("Choose what happens."))])
