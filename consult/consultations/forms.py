"""Staff forms for consultations and sections, with one column of text fields per language."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
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

from consult.consultations.lifecycle import (
    MODERATION_MODE_LABELS,
    PARTICIPATION_MODE_LABELS,
    VISIBILITY_LABELS,
    ModerationMode,
    ParticipationMode,
    Visibility,
    is_time_zone,
)
from consult.consultations.services import SLUG_PATTERN
from consult.forms import Form
from consult.i18n import language_label, text_direction
from consult.summaries.open_data import LICENCE_HINTS, LICENCES

#: (field, label, multi-line, maximum length) for each translated field.
CONSULTATION_TEXT_FIELDS = (
    ("title", _l("Title"), False, 200),
    ("summary", _l("Summary (one or two sentences)"), True, 600),
    ("body", _l("The proposal in full"), True, 20000),
    ("moderation_policy", _l("Moderation policy (shown on the public moderation page)"), True,
     5000),
)
SECTION_TEXT_FIELDS = (
    ("title", _l("Section title"), False, 200),
    ("body", _l("Section text"), True, 20000),
)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (usable without JavaScript, unlike a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def options(pairs) -> list[SelectChoice]:
    """Select/radio/checkbox choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def text_field_name(field: str, language: str) -> str:
    """Form field name of one translated field in one language, e.g. title__fr."""
    return f"{field}__{language}"


def _language_choices():
    return options((code, language_label(code))
                   for code in current_app.config["CONTENT_LANGUAGES"])


class TranslatedTextsMixin:
    """Reads and writes the per-language text fields added by with_text_fields."""

    TEXT_SPEC: tuple = ()
    LANGUAGES: tuple[str, ...] = ()

    def text_fields(self, language: str):
        """The bound fields of one language column, in TEXT_SPEC order."""
        return [self[text_field_name(name, language)] for name, *_ in self.TEXT_SPEC]

    def texts(self) -> dict[tuple[str, str], str]:
        """{(field, language): text} from the submitted data."""
        return {(name, lang): (self[text_field_name(name, lang)].data or "")
                for name, *_ in self.TEXT_SPEC for lang in self.LANGUAGES}

    def fill_texts(self, target) -> None:
        """Put an object's stored translations into the (unsubmitted) fields."""
        for name, *_ in self.TEXT_SPEC:
            for lang, text in target.texts_for(name).items():
                if lang in self.LANGUAGES:
                    self[text_field_name(name, lang)].data = text

    def require_text_in(self, name: str, language: str, message) -> bool:
        """Add message to the field unless text name is written in language (the fallback)."""
        field = self[text_field_name(name, language)]
        if (field.data or "").strip():
            return True
        field.errors = list(field.errors) + [message]
        return False

    def require_title_in(self, language: str) -> bool:
        """Add an error unless the title is written in language (the fallback language)."""
        return self.require_text_in("title", language, _l(
            "Write the title in the default language; it is shown when a translation is "
            "missing."))


def with_text_fields(base: type, spec: tuple, languages: list[str]) -> type:
    """A subclass of base with a text field per (field, language)."""
    attributes = {"TEXT_SPEC": spec, "LANGUAGES": tuple(languages)}
    for name, label, multiline, maximum in spec:
        for lang in languages:
            kind = TextAreaField if multiline else StringField
            # lang/dir on the input only: the labels stay in the interface language.
            render_kw = {"lang": lang, "dir": text_direction(lang)}
            if multiline:
                render_kw["rows"] = 8 if maximum > 1000 else 3
            attributes[text_field_name(name, lang)] = kind(
                label, validators=[Optional(), Length(max=maximum)], render_kw=render_kw)
    return type(base.__name__, (base,), attributes)


class ConsultationForm(TranslatedTextsMixin, Form):
    """Settings of a consultation and its texts in every offered language."""

    host = SelectField(_l("Host organisation"), coerce=int)
    slug = StringField(
        _l("Web address"), description=_l(
            "Lower-case letters, digits and hyphens, e.g. safer-port-amani. Left empty, it is "
            "made from the title. It cannot change once the consultation is open."),
        validators=[Optional(), Length(max=60), Regexp(SLUG_PATTERN, message=_l(
            "Use lower-case letters, digits and single hyphens only."))])
    default_language = SelectField(_l("Default language"), description=_l(
        "Shown when a text is not translated into the reader's language."))
    languages = MultiCheckboxField(_l("Languages offered"), validators=[
        DataRequired(_l("Offer at least one language."))])
    opens_on = DateField(_l("Opens on"), validators=[Optional()])
    closes_on = DateField(_l("Closes on"), description=_l(
        "The last day people can take part, in the time zone below."), validators=[Optional()])
    time_zone = StringField(
        _l("Time zone"), description=_l(
            "Where the consultation's days are counted, as a name like Africa/Nairobi or "
            "America/Bogota."),
        validators=[Length(max=64)])
    moderation_mode = RadioField(_l("Moderation"), choices=options(
        (m.value, label) for m, label in MODERATION_MODE_LABELS.items()),
        default=ModerationMode.POST.value)
    participation_mode = RadioField(_l("Participation"), choices=options(
        (m.value, label) for m, label in PARTICIPATION_MODE_LABELS.items()),
        default=ParticipationMode.ANONYMOUS.value)
    visibility = RadioField(_l("Visibility"), choices=options(
        (v.value, label) for v, label in VISIBILITY_LABELS.items()),
        default=Visibility.PUBLIC.value)
    min_cell_size = IntegerField(
        _l("Smallest number published"), default=10, description=_l(
            "Counts below this are never shown in results, so nobody can be singled out."),
        validators=[InputRequired(_l("Enter a number.")), NumberRange(
            min=5, max=1000, message=_l("Enter a number from %(min)s to %(max)s."))])

    publish_themes = BooleanField(
        _l("Publish the themes of what people wrote on the public results"), description=_l(
            "Only themes of at least the smallest number published appear, with their terms "
            "and size. Published comments may be quoted; survey answers never are, and a "
            "survey theme shows only the terms that at least that many answers used."))

    retention_months = IntegerField(
        _l("Months the raw data is kept after the results are published"), default=12,
        description=_l(
            "Then the survey answers, free text, unpublished comments' texts and participant "
            "keys are deleted; the published results, published comments and planners' "
            "answers stay. Shown to participants in the privacy notice."),
        validators=[Optional(), NumberRange(
            min=1, max=120, message=_l("Enter a number from %(min)s to %(max)s."))])

    data_licence = SelectField(
        _l("Licence of the open data"), validate_choice=False, description=_l(
            "Published results are also offered as open data (CSV, JSON and a Frictionless "
            "Data Package: counts only, never an answer or a text) under this licence."))

    #: Smallest k allowed: the current one once the consultation has opened (set by the view).
    lowest_min_cell_size: int | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_language.choices = self.languages.choices = _language_choices()
        if not self.time_zone.data:
            self.time_zone.data = current_app.config["CONSULT_TIME_ZONE"]
        self.data_licence.choices = options(
            (spdx, f"{title} ({spdx}): {LICENCE_HINTS[spdx]}")
            for spdx, (title, _url) in LICENCES.items())
        #: (title, URL) of each licence, for links to their texts below the choice.
        self.licence_links = list(LICENCES.values())

    def validate_data_licence(self, field) -> None:
        """One of the licences offered (left out of the form: unchanged)."""
        if field.data and field.data not in LICENCES:
            raise ValidationError(_l("Choose one of the licences offered."))

    def validate_time_zone(self, field) -> None:
        """Only IANA time zone names this server knows."""
        field.data = (field.data or "").strip()
        if not is_time_zone(field.data):
            raise ValidationError(_l("Enter a time zone name such as Africa/Nairobi, "
                                     "Europe/Paris or UTC."))

    def validate_min_cell_size(self, field) -> None:
        """k may go up at any time, never down once the consultation has opened."""
        lowest = self.lowest_min_cell_size
        if lowest is not None and field.data is not None and field.data < lowest:
            raise ValidationError(refused_k_message(lowest))

    def validate_closes_on(self, field) -> None:
        """The closing day cannot come before the opening day."""
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The closing day must be on or after the opening day."))

    def validate_languages(self, field) -> None:
        """The default language must be one of the offered ones."""
        if self.default_language.data not in (field.data or []):
            raise ValidationError(_l("Offer the default language too."))

    def settings(self) -> dict:
        """The consultation settings as model values."""
        return {
            "opens_on": self.opens_on.data,
            "closes_on": self.closes_on.data,
            "moderation_mode": ModerationMode(self.moderation_mode.data),
            "participation_mode": ParticipationMode(self.participation_mode.data),
            "visibility": Visibility(self.visibility.data),
            "min_cell_size": self.min_cell_size.data,
            "publish_themes": self.publish_themes.data,
            "time_zone": self.time_zone.data,
            # Left empty (or not sent), the period stays as it is (12 months when new).
            **({"retention_months": self.retention_months.data}
               if self.retention_months.data is not None else {}),
            **({"data_licence": self.data_licence.data} if self.data_licence.data else {}),
        }


def refused_k_message(lowest: int) -> str:
    """Why a smaller k is refused, in the reader's language."""
    return _l("Once a consultation has opened, this number can be raised but not lowered "
              "(figures already seen with %(k)s would show the small counts they hid). "
              "Enter %(k)s or more.", k=lowest)


def consultation_form_class(languages: list[str]) -> type[ConsultationForm]:
    """The consultation form with text columns for these languages."""
    return with_text_fields(ConsultationForm, CONSULTATION_TEXT_FIELDS, languages)


class SectionForm(TranslatedTextsMixin, Form):
    """A section's title and text in every offered language."""


def section_form_class(languages: list[str]) -> type[SectionForm]:
    """The section form with text columns for these languages."""
    return with_text_fields(SectionForm, SECTION_TEXT_FIELDS, languages)


class PartnersForm(Form):
    """Which organisations co-host the consultation."""

    partners = MultiCheckboxField(_l("Partner organisations"), coerce=int, description=_l(
        "Their members can see this consultation's staff pages; planners there can read the "
        "planner report."))
    moderators = MultiCheckboxField(
        _l("Partners whose moderators may moderate"), coerce=int, description=_l(
            "Their moderators and admins can use this consultation's moderation queue. Only "
            "organisations ticked as partners above are counted."))
