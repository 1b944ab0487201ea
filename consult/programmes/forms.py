"""Staff forms of programmes: the programme itself, its rounds, indicators and proposals, the
providers' self-assessment, commitments and their statuses, and auditors."""
import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from consult.boundary import text_int
from consult.consultations.forms import (
    MultiCheckboxField,
    TranslatedTextsMixin,
    options,
    with_text_fields,
)
from consult.consultations.services import SLUG_PATTERN
from consult.forms import Form
from consult.i18n import language_label
from consult.programmes.models import Direction, IndicatorKind
from consult.summaries.open_data import LICENCE_HINTS, LICENCES

PROGRAMME_TEXT_FIELDS = (
    ("title", _l("Title"), False, 200),
    ("description", _l("Description"), True, 5000),
)
NAME_FIELDS = (("name", _l("Short name of the indicator"), False, 120),)
PROPOSAL_FIELDS = (("text", _l("The proposed indicator, in words"), True, 600),)
COMMITMENT_FIELDS = (
    ("title", _l("Commitment"), False, 200),
    ("description", _l("What will be done"), True, 5000),
    # Not a field of the commitment: the note goes into this change's timeline entry.
    ("note", _l("Note for the timeline (what changed and why)"), True, 2000),
)
STATUS_FIELDS = (("label", _l("Label"), False, 80),)
DIRECTION_LABELS = {
    Direction.HIGHER_IS_BETTER: _l("A higher score means things got better"),
    Direction.HIGHER_IS_WORSE: _l("A higher score means things got worse"),
}
KIND_LABELS = {IndicatorKind.LIKERT: _l("agreement (five answers)"),
               IndicatorKind.SCALE: _l("scale from 0 to 10"),
               IndicatorKind.CHOICE: _l("single choice")}
SLUG_MESSAGE = _l("Use lower-case letters, digits and single hyphens only.")


def _language_choices():
    return options((code, language_label(code))
                   for code in current_app.config["CONTENT_LANGUAGES"])


class ProgrammeForm(TranslatedTextsMixin, Form):
    """A programme's host, address, languages, licence, listing and texts."""

    host = SelectField(_l("Host organisation"), coerce=int)
    slug = StringField(
        _l("Web address"), description=_l(
            "Lower-case letters, digits and hyphens, e.g. safer-port. It cannot change."),
        validators=[DataRequired(_l("Give the programme a web address.")), Length(max=80),
                    Regexp(SLUG_PATTERN, message=SLUG_MESSAGE)])
    default_language = SelectField(_l("Default language"), description=_l(
        "Shown when a text is not translated into the reader's language."))
    languages = MultiCheckboxField(_l("Languages offered"), validators=[
        DataRequired(_l("Offer at least one language."))])
    data_licence = SelectField(_l("Licence of the programme's open data"),
                               validate_choice=False)
    listed = BooleanField(_l("List the public programme page"), description=_l(
        "Unlisted, the page is reached only by its address. It is shown only once a round's "
        "results are published."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_language.choices = self.languages.choices = _language_choices()
        self.data_licence.choices = options((spdx, f"{title} ({spdx}): {LICENCE_HINTS[spdx]}")
                                            for spdx, (title, _url) in LICENCES.items())
        self.licence_links = list(LICENCES.values())

    def validate_data_licence(self, field) -> None:
        """One of the licences offered (left out of the form: unchanged)."""
        if field.data and field.data not in LICENCES:
            raise ValidationError(_l("Choose one of the licences offered."))

    def validate_languages(self, field) -> None:
        """The default language must be one of the offered ones."""
        if self.default_language.data not in (field.data or []):
            raise ValidationError(_l("Offer the default language too."))


def programme_form_class(languages: list[str]) -> type[ProgrammeForm]:
    """The programme form with text columns for these languages."""
    return with_text_fields(ProgrammeForm, PROGRAMME_TEXT_FIELDS, languages)


class AddRoundForm(Form):
    """Take one of the host's consultations as the next round."""

    consultation = SelectField(_l("Consultation"), coerce=int, validate_choice=False,
                               validators=[InputRequired(_l("Choose a consultation."))])


class NextRoundForm(Form):
    """Start the next round as a draft copy of the last one."""

    next_slug = StringField(
        _l("Web address of the new round's consultation"), description=_l(
            "A draft copy of the last round: its texts, sections, languages, settings and "
            "survey (with the same question keys, so answers compare)."),
        validators=[DataRequired(_l("Give the new round a web address.")), Length(max=60),
                    Regexp(SLUG_PATTERN, message=SLUG_MESSAGE)])


class IndicatorForm(TranslatedTextsMixin, Form):
    """Follow a question of the latest round as an indicator."""

    question = SelectField(_l("Question"), validators=[InputRequired(_l("Choose a question."))])
    direction = RadioField(_l("Direction"), choices=options(
        (d.value, label) for d, label in DIRECTION_LABELS.items()),
        default=Direction.HIGHER_IS_BETTER.value)
    favourable = MultiCheckboxField(
        _l("Answers counted as favourable"), validate_choice=False, description=_l(
            "Single-choice questions only: tick the answers of the chosen question that "
            "count as favourable."))

    def favourable_of(self, question_key: str) -> list[str]:
        """The ticked option keys of one question (values are QUESTION:OPTION)."""
        prefix = f"{question_key}:"
        return [v[len(prefix):] for v in (self.favourable.data or []) if v.startswith(prefix)]


def indicator_form_class(languages: list[str]) -> type[IndicatorForm]:
    """The indicator form with a name field per language."""
    return with_text_fields(IndicatorForm, NAME_FIELDS, languages)


class ProposalForm(TranslatedTextsMixin, Form):
    """Put an indicator to the vote, drawn from a comment, a theme, or the host's words."""

    round = SelectField(_l("Round it is voted in"), coerce=int, validate_choice=False,
                        validators=[InputRequired(_l("Choose an open round."))])
    source_comment = HiddenField()
    source_theme = HiddenField()

    def names(self) -> dict[str, str]:
        """{language: text} of the proposal, written ones only."""
        return {lang: text for (_f, lang), text in self.texts().items() if text.strip()}


def proposal_form_class(languages: list[str]) -> type[ProposalForm]:
    """The proposal form with a text field per language."""
    return with_text_fields(ProposalForm, PROPOSAL_FIELDS, languages)


class SelfAssessmentForm(Form):
    """The providers' own scores of a round's indicators (fields added per indicator)."""

    organisation = SelectField(_l("The organisation you score for"), coerce=int,
                               validate_choice=False)

    def indicator_fields(self):
        """The bound indicator fields, in the programme's order."""
        return [f for f in self if f.name.startswith("indicator_")]


def self_assessment_form_class(items: list[tuple]) -> type[SelfAssessmentForm]:
    """The form with a radio group per (indicator id, label, choices)."""
    attributes = {f"indicator_{indicator_id}": RadioField(label, choices=options(choices),
                                                          validators=[Optional()])
                  for indicator_id, label, choices in items}
    return type("SelfAssessmentForm", (SelfAssessmentForm,), attributes)


class CommitmentForm(TranslatedTextsMixin, Form):
    """A commitment of the action plan, what it answers, and a note for its timeline."""

    responsible = StringField(_l("Responsible"), description=_l(
        "The organisation, office or role that answers for it."), validators=[
        DataRequired(_l("Say who is responsible.")), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[Optional()])
    status = SelectField(_l("Status"), coerce=int, validate_choice=False)
    progress = IntegerField(_l("Progress (percent)"), default=0, validators=[
        InputRequired(_l("Enter a number.")), NumberRange(
            min=0, max=100, message=_l("Enter a number from %(min)s to %(max)s."))])
    indicators = MultiCheckboxField(_l("Indicators it answers"), coerce=int)
    questions = MultiCheckboxField(_l("Questions of a round it answers"))
    themes = MultiCheckboxField(_l("Themes of a round it answers"))
    statements = StringField(
        _l("Numbers of published comments it answers"), description=_l(
            "The comment numbers shown in a round's thread, separated by spaces or commas."),
        validators=[Optional(), Length(max=400)])

    def validate_statements(self, field) -> None:
        """Numbers only."""
        if comment_numbers(field.data) is None:
            raise ValidationError(_l("Write comment numbers only, e.g. 12, 40."))

    def commitment_texts(self) -> dict[tuple[str, str], str]:
        """{(field, language): text} of the commitment's own fields (not the note)."""
        return {k: v for k, v in self.texts().items() if k[0] != "note"}

    def note(self) -> dict[str, str]:
        """{language: text} of the timeline note."""
        return {lang: text for (f, lang), text in self.texts().items() if f == "note"}


def number_in(text: str | None) -> int | None:
    """The positive whole number text is (one a column can hold), else None."""
    try:
        value = text_int(text or "")
    except ValueError:
        return None
    return value if value > 0 else None


def comment_numbers(text: str | None) -> list[int] | None:
    """The comment numbers in text (None when something else is written)."""
    numbers = [number_in(p) for p in re.split(r"[\s,;]+", text or "") if p]
    return None if None in numbers else numbers


def commitment_form_class(languages: list[str]) -> type[CommitmentForm]:
    """The commitment form with text columns for these languages."""
    return with_text_fields(CommitmentForm, COMMITMENT_FIELDS, languages)


class StatusForm(TranslatedTextsMixin, Form):
    """A commitment status: its labels and whether it closes a commitment."""

    key = StringField(_l("Key"), description=_l(
        "A short code kept in the open data, e.g. on_hold: lower-case letters, digits and "
        "underscores."), validators=[Optional(), Length(max=40), Regexp(
            r"^[a-z0-9_]+$", message=_l("Use lower-case letters, digits and underscores."))])
    closed = BooleanField(_l("Closed: a commitment in this status is finished (kept or "
                             "dropped) and never overdue"))


def status_form_class(languages: list[str]) -> type[StatusForm]:
    """The status form with a label field per language."""
    return with_text_fields(StatusForm, STATUS_FIELDS, languages)


class AuditorForm(Form):
    """Give read-only audit of the programme to an existing staff account."""

    email = StringField(_l("E-mail address of a staff account"), validators=[
        DataRequired(_l("Enter an e-mail address.")), Length(max=254)])
