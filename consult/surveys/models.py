"""A consultation's survey: ordered pages of questions with options, all texts translated;
responses and their answers."""
import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import enum_column
from consult.analysis.cell_key import new_key
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


class Channel(enum.Enum):
    """How a response reached Consult."""

    WEB = "web"
    API = "api"
    PAPER = "paper"
    SMS = "sms"
    USSD = "ussd"
    XLSFORM = "xlsform"


class ResponseState(enum.Enum):
    """A draft is saved page by page; a submitted response is counted."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class Response(db.Model):
    """One participant's answers to one survey: at most one per participant and survey.

    Deliberately no IP address, user agent or time of day: only the day it was submitted.
    """

    __table_args__ = (UniqueConstraint("survey_id", "respondent_key"),
                      # Submitted responses not yet in the summary tallies (tallies_store.py).
                      Index("ix_response_untallied", "survey_id",
                            sqlite_where=db.text("untallied IS NOT NULL AND state = 'submitted'"),
                            postgresql_where=db.text(
                                "untallied IS NOT NULL AND state = 'submitted'")))

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           index=True)
    #: The participant's opaque key (or a per-row key for paper and imported responses).
    respondent_key: Mapped[str] = mapped_column(String(64))
    #: Language the participant answered in.
    language: Mapped[str] = mapped_column(String(12))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel), default=Channel.WEB)
    state: Mapped[ResponseState] = mapped_column(enum_column(ResponseState),
                                                 default=ResponseState.DRAFT)
    #: Key of the submission that counted; a replay with the same key returns the same receipt.
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    #: SHA-256 of the submitted answers, to refuse the same key with different answers.
    payload_hash: Mapped[str | None] = mapped_column(String(64))
    #: Short code the participant keeps to check the response was counted.
    receipt: Mapped[str | None] = mapped_column(String(16), unique=True)
    #: Page a draft resumes at (1-based).
    current_page: Mapped[int] = mapped_column(Integer, default=1)
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Last day a draft was saved, for expiry (a day, not a time).
    saved_on: Mapped[dt.date] = mapped_column(Date, default=dt.date.today)
    #: Summary tallies: 0 until counted in them, NULL once counted (summaries/tallies_store.py).
    untallied: Mapped[int | None] = mapped_column(SmallInteger, default=0, server_default="0")
    #: Random cell key (0..255) fixed at submission, for the published counts' perturbation
    #: (analysis/cell_key.py); drawn with `secrets`, never derived from the participant.
    cell_key: Mapped[int] = mapped_column(SmallInteger, default=new_key, server_default="0")

    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", lazy="selectin")


class Answer(db.Model):
    """One value of a response: an option key (one row per chosen option), a number or text."""

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"),
                                             index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"),
                                             index=True)
    #: Chosen option (choice questions); several rows for multiple choice and ranking.
    option_key: Mapped[str | None] = mapped_column(String(80))
    #: Rank of the option (ranking questions, 1 = first).
    rank: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[float | None] = mapped_column(Numeric(18, 6, asdecimal=False))
    #: Free text, an "other" answer, or an ISO date.
    text: Mapped[str | None] = mapped_column(Text)
    #: Language of free text as written (declared, corrected by detection); None otherwise.
    language: Mapped[str | None] = mapped_column(String(12))

    response: Mapped[Response] = relationship(back_populates="answers")
