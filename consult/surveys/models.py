"""A consultation's survey: ordered pages of questions with options, all texts translated."""
import enum

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import enum_column
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.translatable import TextRow, Translatable


class QuestionType(enum.Enum):
    """What kind of answer a question takes."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    LIKERT = "likert"  # 5-point agree/disagree
    SCALE = "scale"  # 0 to 10
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    RANKING = "ranking"
    DATE = "date"
    NOTE = "note"  # text shown, no answer


#: Types whose answers are option keys.
CHOICE_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE,
                          QuestionType.LIKERT, QuestionType.RANKING})


class PageText(TextRow, db.Model):
    """One translated field of a survey page (title)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("survey_page.id", ondelete="CASCADE"), primary_key=True)


class QuestionText(TextRow, db.Model):
    """One translated field of a question (label, hint, constraint message)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True)


class OptionText(TextRow, db.Model):
    """One translated field of an option (label)."""

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("question_option.id", ondelete="CASCADE"), primary_key=True)


class Survey(db.Model):
    """The survey of one consultation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), unique=True)

    consultation: Mapped[Consultation] = relationship()
    pages: Mapped[list["SurveyPage"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="SurveyPage.position",
        lazy="selectin")

    @property
    def questions(self) -> list["Question"]:
        """Every question, page by page, in order."""
        return [q for page in self.pages for q in page.questions]


class SurveyPage(Translatable, db.Model):
    """A few questions shown together (a phone shows one page at a time)."""

    TRANSLATED_FIELDS = ("title",)
    TEXT_MODEL = PageText
    __table_args__ = (UniqueConstraint("survey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    #: Stable identifier (an XLSForm group name, or page-N).
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)

    survey: Mapped[Survey] = relationship(back_populates="pages")
    texts: Mapped[list[PageText]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="page", cascade="all, delete-orphan", order_by="Question.position",
        lazy="selectin")

    @property
    def content_default_language(self) -> str:
        """Fallback language: the consultation's default."""
        return self.survey.consultation.default_language


class Question(Translatable, db.Model):
    """One question: a stable key, a type, translated texts, skip logic and a constraint."""

    TRANSLATED_FIELDS = ("label", "hint", "constraint_message")
    TEXT_MODEL = QuestionText
    __table_args__ = (UniqueConstraint("survey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("survey_page.id", ondelete="CASCADE"),
                                         index=True)
    #: Stable identifier used in exports, the API and conditions; never changes once answered.
    key: Mapped[str] = mapped_column(String(80))
    type: Mapped[QuestionType] = mapped_column(enum_column(QuestionType))
    #: Order within its page.
    position: Mapped[int] = mapped_column(Integer)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    #: A segment question (stakeholder type, area, age band) used for summary breakdowns.
    is_segment: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Number questions: whole numbers only (True) or decimals (False).
    integer: Mapped[bool | None] = mapped_column(Boolean)
    #: Choice questions: an "other" option with free text.
    allow_other: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When the question is shown (analysis/conditions.py format); None: always.
    show_if: Mapped[dict | None] = mapped_column(JSON)
    #: What a valid answer satisfies, "." being the answer; None: anything of the right type.
    constraint: Mapped[dict | None] = mapped_column(JSON)

    survey: Mapped[Survey] = relationship()
    page: Mapped[SurveyPage] = relationship(back_populates="questions")
    texts: Mapped[list[QuestionText]] = relationship(cascade="all, delete-orphan",
                                                     lazy="selectin")
    options: Mapped[list["QuestionOption"]] = relationship(
        back_populates="question", cascade="all, delete-orphan",
        order_by="QuestionOption.position", lazy="selectin")

    @property
    def content_default_language(self) -> str:
        """Fallback language: the consultation's default."""
        return self.page.survey.consultation.default_language


class QuestionOption(Translatable, db.Model):
    """One choice of a choice question, with a stable key."""

    TRANSLATED_FIELDS = ("label",)
    TEXT_MODEL = OptionText
    __table_args__ = (UniqueConstraint("question_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"),
                                             index=True)
    #: Stored in answers and exports; never changes once answered.
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)

    question: Mapped[Question] = relationship(back_populates="options")
    texts: Mapped[list[OptionText]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def content_default_language(self) -> str:
        """Fallback language: the consultation's default."""
        return self.question.page.survey.consultation.default_language
