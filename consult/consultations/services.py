"""Operations on consultations and sections. They flush, never commit; views commit once."""
import datetime as dt
import re
import unicodedata
from functools import cache
from typing import NamedTuple

from flask import current_app
from sqlalchemy import bindparam, func

from consult.accounts.models import Organisation
from consult.consultations import retention
from consult.consultations.lifecycle import (
    TRANSITIONS,
    ParticipationMode,
    State,
    Visibility,
    effective_state,
)
from consult.consultations.models import Consultation, Section
from consult.extensions import db
from consult.security import random_token

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class TransitionError(ValueError):
    """A lifecycle move that the transition table does not allow."""


class ClosingDayOver(TransitionError):
    """Opening refused: the closing day is already over (it would be closed at once)."""


class SettingRefused(ValueError):
    """A settings change the rules refuse; field names the setting, for the form."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class ConsultationFacts(NamedTuple):
    """What the busiest pages need of a consultation; state is the effective state."""

    id: int
    revision: int
    state: State
    language_codes: str
    default_language: str
    participation_mode: ParticipationMode
    #: The revision of its comments where the page reads it (comments/revisions.py), else 0.
    comments: int = 0

    @property
    def effective_state(self) -> State:
        """The same as state (already effective), named as on Consultation."""
        return self.state


def slugify(text: str, max_length: int = 60) -> str:
    """ASCII slug of a title; a random one when the title has no Latin letters (e.g. Arabic)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].strip("-")
    return slug or "consultation-" + random_token(4).lower().replace("_", "").replace("-", "")


def unique_slug(text: str) -> str:
    """A slug from text that no consultation uses yet."""
    base = slugify(text)
    slug, n = base, 2
    while db.session.scalar(db.select(Consultation.id).filter_by(slug=slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def get_consultation(slug: str) -> Consultation | None:
    """The consultation with this slug, its texts and sections loaded."""
    return db.session.scalar(db.select(Consultation).filter_by(slug=slug))


#: The columns ConsultationFacts is read from (with closes_on and time_zone for the state).
FACT_COLUMNS = ("id", "revision", "state", "language_codes", "default_language",
                "participation_mode", "closes_on", "time_zone")


@cache
def _facts_statement():
    """The SELECT of consultation_revision, built once (the busiest pages all run it)."""
    return db.select(*(getattr(Consultation, name) for name in FACT_COLUMNS)) \
        .where(Consultation.slug == bindparam("slug"))


def facts_of(row) -> ConsultationFacts:
    """ConsultationFacts from a row holding FACT_COLUMNS."""
    return ConsultationFacts(row.id, row.revision,
                             effective_state(row.state, row.closes_on, row.time_zone),
                             row.language_codes, row.default_language, row.participation_mode)


def consultation_revision(slug: str) -> ConsultationFacts | None:
    """The ConsultationFacts of a consultation, read with one small query; None if unknown."""
    row = db.session.execute(_facts_statement(), {"slug": slug}).one_or_none()
    return None if row is None else facts_of(row)


def listed_consultations(states: tuple[State, ...]) -> list[Consultation]:
    """Public consultations whose effective state is one of states, newest first."""
    # An open consultation past its closing day is closed: read open ones too, then decide.
    stored = set(states) | ({State.OPEN} if State.CLOSED in states else set())
    found = db.session.scalars(
        db.select(Consultation)
        .filter(Consultation.state.in_(stored), Consultation.visibility == Visibility.PUBLIC)
        .order_by(Consultation.opens_on.desc().nulls_last(), Consultation.id.desc()))
    return [c for c in found if c.effective_state in states]


def consultations_of(organisation_ids: set[int] | None) -> list[Consultation]:
    """Consultations hosted by or partnered with these organisations (None: all of them)."""
    query = db.select(Consultation).order_by(Consultation.id.desc())
    if organisation_ids is not None:
        partnered = (db.select(Consultation.id).join(Consultation.partners)
                     .filter(Organisation.id.in_(organisation_ids)))
        query = query.filter(Consultation.host_organisation_id.in_(organisation_ids)
                             | Consultation.id.in_(partnered))
    return list(db.session.scalars(query))


def create_consultation(host: Organisation, slug: str, default_language: str,
                        languages: list[str], **settings) -> Consultation:
    """A new draft consultation; texts are set afterwards with set_texts."""
    settings.setdefault("time_zone", current_app.config["CONSULT_TIME_ZONE"])
    consultation = Consultation(
        slug=slug, host=host, default_language=default_language,
        language_codes=" ".join(ordered_languages(default_language, languages)),
        state=State.DRAFT, **settings)
    db.session.add(consultation)
    db.session.flush()
    return consultation


def ordered_languages(default_language: str, languages: list[str]) -> list[str]:
    """Offered languages with the default first and no repeats."""
    return [default_language] + [c for c in dict.fromkeys(languages) if c != default_language]


def update_settings(consultation: Consultation, default_language: str, languages: list[str],
                    **settings) -> None:
    """Change a consultation's languages and settings (dates, time zone, modes, k, visibility).

    Raises SettingRefused("min_cell_size") for a smaller k once the consultation has opened:
    figures published with the larger k would then show the cells it hid.
    """
    k = settings.get("min_cell_size", consultation.min_cell_size)
    if consultation.state is not State.DRAFT and k < consultation.min_cell_size:
        raise SettingRefused("min_cell_size")
    consultation.default_language = default_language
    consultation.language_codes = " ".join(ordered_languages(default_language, languages))
    for name, value in settings.items():
        setattr(consultation, name, value)
    touch(consultation)


def set_texts(target: Consultation | Section, texts: dict[tuple[str, str], str]) -> None:
    """Set translated fields from {(field, language): text}; empty text removes a translation."""
    for (field, language), value in texts.items():
        target.set_text(field, language, value)
    touch(target if isinstance(target, Consultation) else target.consultation)


def touch(consultation: Consultation) -> None:
    """Record that the consultation changed (invalidates cached pages)."""
    consultation.revision = (consultation.revision or 0) + 1


def add_section(consultation: Consultation, texts: dict[tuple[str, str], str]) -> Section:
    """Append a section with its texts."""
    number = (db.session.scalar(db.select(func.max(Section.number))
                                .filter_by(consultation_id=consultation.id)) or 0) + 1
    section = Section(consultation=consultation, number=number,
                      position=len(consultation.sections) + 1)
    db.session.add(section)
    set_texts(section, texts)
    db.session.flush()
    return section


def move_section(section: Section, offset: int) -> None:
    """Move a section up (-1) or down (+1) in its consultation's order."""
    sections = list(section.consultation.sections)
    index = sections.index(section)
    target = index + offset
    if 0 <= target < len(sections):
        sections[index], sections[target] = sections[target], sections[index]
        _renumber(sections)
        # Keep the loaded collection in page order too, for later changes in this unit of work.
        section.consultation.sections.sort(key=lambda s: s.position)
        touch(section.consultation)


def delete_section(section: Section) -> None:
    """Delete a draft's section; the others close ranks."""
    consultation = section.consultation
    consultation.sections.remove(section)
    db.session.delete(section)
    _renumber(consultation.sections)
    touch(consultation)


def _renumber(sections: list[Section]) -> None:
    for position, section in enumerate(sections, start=1):
        section.position = position


def get_section(consultation: Consultation, number: int) -> Section | None:
    """A consultation's section by its URL number."""
    return next((s for s in consultation.sections if s.number == number), None)


def set_partners(consultation: Consultation, organisations: list[Organisation],
                 moderating: list[Organisation] | None = None) -> None:
    """Replace the partner organisations (the host is never its own partner), and those of
    them whose moderators may moderate (None: keep the grants of partners that stay)."""
    consultation.partners = [o for o in organisations if o.id != consultation.host_organisation_id]
    if moderating is None:
        moderating = consultation.moderating_partners
    consultation.moderating_partners = [o for o in moderating if o in consultation.partners]
    touch(consultation)


def change_state(consultation: Consultation, action: str) -> State:
    """Apply a lifecycle action (open, close, reopen, publish_results); returns the new state.

    Moves start from the effective state: an open consultation past its closing day is
    closed (so its results can be published), and reopening it needs a later closing day.
    """
    current = consultation.effective_state
    for (source, target), name in TRANSITIONS.items():
        if name == action and source is current:
            if target is State.OPEN and effective_state(
                    target, consultation.closes_on, consultation.time_zone) is not target:
                raise ClosingDayOver(action)
            consultation.state = target
            if target is State.OPEN and consultation.opens_on is None:
                consultation.opens_on = dt.date.today()
            if target is State.RESULTS_PUBLISHED:  # the retention period starts
                retention.record_publication(consultation)
            touch(consultation)
            return target
    raise TransitionError(action)


def translation_progress(consultation: Consultation, extra: list | tuple = ()
                         ) -> dict[str, tuple[int, int]]:
    """Per offered language, (fields translated, fields written in any language), over the
    consultation, its sections and extra translatable objects (e.g. the survey's parts)."""
    return progress_of([consultation, *consultation.sections, *extra], consultation.languages)


def progress_of(objects: list, languages: list[str]) -> dict[str, tuple[int, int]]:
    """Per language, (fields of objects with text in it, fields with text in any language)."""
    written = sum(len({r.field for r in o.texts}) for o in objects)
    return {lang: (sum(o.translated_count(lang) for o in objects), written)
            for lang in languages}
