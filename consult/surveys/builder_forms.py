"""Forms of the survey builder: pages, questions (settings, a simple show-if condition, number
limits), options and the XLSForm upload; texts in every offered language side by side."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from consult.consultations.forms import TranslatedTextsMixin, options, with_text_fields
from consult.forms import Form
from consult.surveys.builder import OPTION_KEY, OTHER_TYPES, QUESTION_KEY
from consult.surveys.conditions_text import OPERATOR_LABELS, TYPE_LABELS, simple_leaf
from consult.surveys.models import CHOICE_TYPES, Question, QuestionType

PAGE_TEXT_FIELDS = (("title", _l("Page title"), False, 200),)
QUESTION_TEXT_FIELDS = (
    ("label", _l("Question"), True, 1000),
    ("hint", _l("Hint (optional)"), True, 1000),
    ("constraint_message", _l("Message when the answer is outside the limits (optional)"),
     False, 300),
)
OPTION_TEXT_FIELDS = (("label", _l("Option label"), False, 300),)
#: Comparisons a show-if condition may make, by the type of the question it reads.
OPERATORS_FOR = {
    **{t: ("answered", "not_answered", "eq", "ne") for t in QuestionType},
    QuestionType.MULTIPLE_CHOICE: ("answered", "not_answered", "includes"),
    QuestionType.RANKING: ("answered", "not_answered", "includes"),
    QuestionType.NUMBER: ("answered", "not_answered", "eq", "ne", "lt", "le", "gt", "ge"),
    QuestionType.SCALE: ("answered", "not_answered", "eq", "ne", "lt", "le", "gt", "ge"),
}
#: Fields that shape what participants are asked (removed when the lifecycle freezes them).
STRUCTURE_FIELDS = ("key", "type", "page", "required", "number_kind", "minimum", "maximum",
                    "allow_other", "show_question", "show_op", "show_value",
                    "remove_condition", "remove_constraint")
KEY_MESSAGE = _l("Use letters (a–z), digits and underscores only, starting with a letter.")


def parse_number(text: str | None) -> int | float | None:
    """A number typed by a host (a comma as decimal mark too); ValueError if not one."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return int(number) if number == number.to_integral_value() else float(number)


def number_bounds(constraint: dict | None) -> tuple | None:
    """(minimum, maximum) of a constraint made of "at least"/"at most" tests; None when the
    constraint is anything else (it is then shown as it is)."""
    if constraint is None:
        return (None, None)
    parts = constraint["all"] if set(constraint) == {"all"} else [constraint]
    bounds = {}
    for part in parts:
        if part.get("q") != "." or part.get("op") not in ("ge", "le") or part["op"] in bounds:
            return None
        bounds[part["op"]] = part.get("value")
    return (bounds.get("ge"), bounds.get("le"))


def number_constraint(minimum, maximum) -> dict | None:
    """The constraint for optional limits, in the shape the XLSForm import stores."""
    parts = [{"q": ".", "op": op, "value": value}
             for op, value in (("ge", minimum), ("le", maximum)) if value is not None]
    return None if not parts else parts[0] if len(parts) == 1 else {"all": parts}


class PageForm(TranslatedTextsMixin, Form):
    """A page's title in every offered language."""


def page_form_class(languages: list[str]) -> type[PageForm]:
    """The page form with a title column per language."""
    return with_text_fields(PageForm, PAGE_TEXT_FIELDS, languages)


class QuestionForm(TranslatedTextsMixin, Form):
    """A question's settings and texts. The view removes the fields that may not change."""

    key = StringField(_l("Key"), description=_l(
        "A short name that never changes once people answer, used in exports, the API and "
        "conditions, e.g. age_group."),
        validators=[InputRequired(_l("Enter a key.")), Length(max=80)],
        render_kw={"dir": "ltr", "autocapitalize": "none", "spellcheck": "false"})
    type = SelectField(_l("Type of answer"), choices=options(
        (t.value, label) for t, label in TYPE_LABELS.items()))
    page = SelectField(_l("Page"))
    required = BooleanField(_l("An answer is required"))
    is_segment = BooleanField(_l("Segment question: results are broken down by its answers"),
                              description=_l("For example stakeholder type, area or age band."))
    number_kind = RadioField(_l("Numbers accepted"), default="integer", choices=options([
        ("integer", _l("Whole numbers only")), ("decimal", _l("Decimals too"))]))
    minimum = StringField(_l("Smallest number accepted (optional)"),
                          render_kw={"inputmode": "decimal"})
    maximum = StringField(_l("Largest number accepted (optional)"),
                          render_kw={"inputmode": "decimal"})
    allow_other = BooleanField(_l("Offer “Other”, with a free text answer"))
    show_question = SelectField(_l("Show this question only when this earlier question"),
                                default="")
    show_op = SelectField(_l("Comparison"), choices=options(OPERATOR_LABELS.items()),
                          default="eq")
    show_value = StringField(_l("Value"), description=_l(
        "An option key for a choice question, a number for a number question; left empty "
        "for “is answered” and “is not answered”."), render_kw={"dir": "ltr"})
    remove_condition = BooleanField(_l("Remove this condition: always show the question"))
    remove_constraint = BooleanField(_l("Remove this check of the answer"))

    def setup(self, original_key: str | None, earlier: list[Question], pages) -> None:
        """Choices that depend on the survey: its pages and the earlier questions."""
        self.original_key = original_key
        self.earlier = {q.key: q for q in earlier if q.type is not QuestionType.NOTE}
        if "page" in self:
            self.page.choices = options(pages)
        if "show_question" in self:
            self.show_question.choices = options(
                [("", _l("(always show it)"))] + [(key, key) for key in self.earlier])

    def validate_key(self, field) -> None:
        """A new or changed key must be well formed (imported keys may stay as they are)."""
        if field.data != self.original_key and not QUESTION_KEY.match(field.data or ""):
            raise ValidationError(KEY_MESSAGE)

    def validate_show_value(self, field) -> None:
        """The comparison must fit the chosen question, and the value its answers."""
        question = self.earlier.get(self.show_question.data)
        if question is None:
            return
        op, value = self.show_op.data, (field.data or "").strip()
        allowed = OPERATORS_FOR[question.type]
        if op not in allowed:
            raise ValidationError(_l("This comparison does not fit the answers of “%(key)s”; "
                                     "use one of: %(ops)s.", key=question.key, ops=", ".join(
                                         str(OPERATOR_LABELS[o]) for o in allowed)))
        if op in ("answered", "not_answered"):
            return
        if not value:
            raise ValidationError(_l("Enter the value to compare with."))
        if question.type in CHOICE_TYPES:
            keys = [o.key for o in question.options] + (["other"] if question.allow_other
                                                         else [])
            if value not in keys:
                raise ValidationError(_l("Use one of the option keys of “%(key)s”: %(keys)s.",
                                         key=question.key, keys=", ".join(keys)))
        elif question.type in (QuestionType.NUMBER, QuestionType.SCALE):
            try:
                parse_number(value)
            except ValueError:
                raise ValidationError(_l("Enter a number, like 12 or 3.5.")) from None

    def validate_minimum(self, field) -> None:
        """A limit is a number; whole numbers only take whole limits."""
        self._limit(field)

    def validate_maximum(self, field) -> None:
        """A limit is a number, not below the smallest one."""
        maximum = self._limit(field)
        try:
            minimum = parse_number(self.minimum.data)
        except ValueError:
            return
        if None not in (minimum, maximum) and minimum > maximum:
            raise ValidationError(_l("The largest number cannot be smaller than the smallest."))

    def _limit(self, field):
        try:
            number = parse_number(field.data)
        except ValueError:
            raise ValidationError(_l("Enter a number, like 12 or 3.5.")) from None
        if number is not None and self.number_kind.data == "integer" and \
                not isinstance(number, int):
            raise ValidationError(_l("Whole numbers only take whole-number limits."))
        return number

    def fill(self, question: Question) -> None:
        """Show a question's settings and texts in the (unsubmitted) form."""
        for name in ("key", "required", "is_segment", "allow_other"):
            if name in self:
                self[name].data = getattr(question, name)
        if "type" in self:
            self.type.data = question.type.value
        if "page" in self:
            self.page.data = question.page.key
        bounds = number_bounds(question.constraint)
        if "minimum" in self and bounds is not None:
            self.minimum.data, self.maximum.data = (
                "" if v is None else str(v) for v in bounds)
            self.number_kind.data = "decimal" if question.integer is False else "integer"
        leaf = simple_leaf(question.show_if, self.earlier)
        if "show_question" in self and leaf is not None:
            self.show_question.data, self.show_op.data = leaf["q"], leaf["op"]
            self.show_value.data = "" if leaf.get("value") is None else str(leaf["value"])
        self.fill_texts(question)

    def condition(self, current: dict | None) -> dict | None:
        """The show-if condition the form asks for (current when it only shows it)."""
        if "remove_condition" in self:
            return None if self.remove_condition.data else current
        if "show_question" not in self:
            return current
        if not self.show_question.data:
            return None
        question = self.earlier[self.show_question.data]
        op, value = self.show_op.data, (self.show_value.data or "").strip()
        if op in ("answered", "not_answered"):
            return {"q": question.key, "op": op}
        if question.type in (QuestionType.NUMBER, QuestionType.SCALE):
            return {"q": question.key, "op": op, "value": parse_number(value)}
        return {"q": question.key, "op": op, "value": value}

    def constraint(self, current: dict | None, kind: QuestionType) -> dict | None:
        """The check of the answer the form asks for (current when it only shows it)."""
        if "remove_constraint" in self:
            return None if self.remove_constraint.data else current
        if "minimum" not in self:
            return current
        if kind is not QuestionType.NUMBER:  # limits only apply to numbers
            return None
        return number_constraint(parse_number(self.minimum.data),
                                 parse_number(self.maximum.data))

    def require_label_in(self, language: str) -> bool:
        """Add an error unless the question is written in the default language."""
        return self.require_text_in("label", language, _l(
            "Write the question in the default language; it is shown when a translation "
            "is missing."))


def question_form_class(languages: list[str]) -> type[QuestionForm]:
    """The question form with text columns for these languages."""
    return with_text_fields(QuestionForm, QUESTION_TEXT_FIELDS, languages)


class OptionForm(TranslatedTextsMixin, Form):
    """An option's key and its label in every offered language."""

    key = StringField(_l("Key"), description=_l(
        "Stored with each answer and used in exports and conditions, e.g. 1, yes or trader."),
        validators=[InputRequired(_l("Enter a key.")), Length(max=80)],
        render_kw={"dir": "ltr", "autocapitalize": "none", "spellcheck": "false"})

    def validate_key(self, field) -> None:
        """A new or changed key must be well formed."""
        if field.data != getattr(self, "original_key", None) and \
                not OPTION_KEY.match(field.data or ""):
            raise ValidationError(_l("Use letters (a–z), digits, underscores, hyphens and dots "
                                     "only."))

    def require_label_in(self, language: str) -> bool:
        """Add an error unless the option is written in the default language."""
        return self.require_text_in("label", language, _l(
            "Write the option in the default language; it is shown when a translation "
            "is missing."))


def option_form_class(languages: list[str]) -> type[OptionForm]:
    """The option form with a label column per language."""
    return with_text_fields(OptionForm, OPTION_TEXT_FIELDS, languages)


class UploadForm(Form):
    """An XLSForm workbook to check, or to make the survey."""

    file = FileField(_l("XLSForm file (.xlsx)"), validators=[
        FileRequired(_l("Choose an .xlsx file to upload."))])

    def validate_file(self, field) -> None:
        """Only Excel workbooks (.xlsx) are read."""
        name = (getattr(field.data, "filename", "") or "").lower()
        if not name.endswith(".xlsx"):
            raise ValidationError(_l("Choose an XLSForm saved as an Excel workbook (.xlsx)."))


def remove_fields(form: Form, names) -> None:
    """Drop fields the host may not change now: they are neither shown nor read."""
    for name in names:
        if name in form:
            del form[name]


def fields_to_remove(question: Question | None, structure: bool, answered: bool,
                     earlier: dict) -> set[str]:
    """Fields the question form leaves out: by the lifecycle (structure), the answers, the
    question's type, and whether its condition and check fit the simple fields."""
    if not structure:
        return set(STRUCTURE_FIELDS)
    removed = {"key", "type"} if answered and question is not None else set()
    if question is None:
        return removed | {"remove_condition", "remove_constraint"}
    bounds = number_bounds(question.constraint)
    if question.type is not QuestionType.NUMBER or bounds is None:
        removed |= {"number_kind", "minimum", "maximum"}
    if question.constraint is None or (question.type is QuestionType.NUMBER and bounds):
        removed.add("remove_constraint")
    if question.type not in OTHER_TYPES:
        removed.add("allow_other")
    if question.show_if is None or simple_leaf(question.show_if, earlier) is not None:
        removed.add("remove_condition")
    else:
        removed |= {"show_question", "show_op", "show_value"}
    return removed
