"""Programmes and their rounds: create, add a consultation as the next round, start the next
round as a copy of the last, and look them up. Operations flush, never commit.

Indicators and proposals are in indicators.py, commitments in commitments.py.
"""
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import func, select

from consult import audit
from consult.accounts.models import Organisation, User
from consult.comments.models import Comment, CommentState
from consult.consultations import services as consultations
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.programmes.models import (
    CommitmentStatus,
    Programme,
    ProgrammeAuditor,
    ProgrammeRound,
)
from consult.surveys import services as surveys

#: The statuses a new programme's action plan starts with (key, label, closed); hosts may
#: rename them, translate them and add their own.
DEFAULT_STATUSES = (
    ("planned", _l("Planned"), False),
    ("under_way", _l("Under way"), False),
    ("delayed", _l("Delayed"), False),
    # Translators: a commitment that was kept (a commitment, not a task: the gender may differ).
    ("done", lazy_pgettext("commitment status", "Done"), True),
    ("dropped", _l("Dropped"), True),
)


class RoundRefused(ValueError):
    """A consultation that cannot become a round of this programme (the reason is its arg)."""


def get_programme(slug: str) -> Programme | None:
    """The programme with this slug."""
    return db.session.scalar(select(Programme).where(Programme.slug == slug))


def programmes_of(organisation_ids: set[int] | None) -> list[Programme]:
    """Programmes hosted by these organisations (every programme when None), newest first."""
    query = select(Programme).order_by(Programme.id.desc())
    if organisation_ids is not None:
        query = query.where(Programme.host_organisation_id.in_(organisation_ids))
    return list(db.session.scalars(query))


def audited_by(user: User) -> list[Programme]:
    """Programmes this account audits."""
    return list(db.session.scalars(
        select(Programme).join(ProgrammeAuditor).where(ProgrammeAuditor.user_id == user.id)
        .order_by(Programme.id.desc())))


def programme_of(consultation: Consultation) -> ProgrammeRound | None:
    """The round this consultation is, if it is one."""
    return db.session.scalar(
        select(ProgrammeRound).where(ProgrammeRound.consultation_id == consultation.id))


def touch(programme: Programme) -> None:
    """Mark the programme changed, so kept renderings of its pages are made afresh."""
    programme.revision = (programme.revision or 0) + 1


def create_programme(host: Organisation, slug: str, default_language: str,
                     languages: list[str], texts: dict[tuple[str, str], str],
                     actor: User | None) -> Programme:
    """A new programme with the default commitment statuses; texts {(field, language): text}."""
    programme = Programme(
        slug=slug, host=host, default_language=default_language,
        language_codes=" ".join(consultations.ordered_languages(default_language, languages)))
    for (field, language), text in texts.items():
        programme.set_text(field, language, text)
    for position, (key, label, closed) in enumerate(DEFAULT_STATUSES, start=1):
        status = CommitmentStatus(key=key, position=position, closed=closed)
        status.programme = programme
        # The label is stored in each offered language, as translated when it was created.
        for language in programme.languages:
            status.set_text("label", language, _label_in(label, language))
    db.session.add(programme)
    db.session.flush()
    audit.record(actor, "programme.created", organisation_id=host.id, target=slug)
    return programme


def _label_in(label, language: str) -> str:
    from flask_babel import force_locale

    with force_locale(language):
        return str(label)


def update_programme(programme: Programme, default_language: str, languages: list[str],
                     texts: dict[tuple[str, str], str], data_licence: str,
                     listed: bool, actor: User | None) -> None:
    """Change a programme's texts, languages, licence and listing."""
    programme.default_language = default_language
    programme.language_codes = " ".join(
        consultations.ordered_languages(default_language, languages))
    for (field, language), text in texts.items():
        programme.set_text(field, language, text)
    programme.data_licence = data_licence
    programme.listed = listed
    touch(programme)
    db.session.flush()
    audit.record(actor, "programme.edited", organisation_id=programme.host_organisation_id,
                 target=programme.slug)


def add_round(programme: Programme, consultation: Consultation,
              actor: User | None) -> ProgrammeRound:
    """Add a consultation of the programme's host as its next round."""
    if consultation.host_organisation_id != programme.host_organisation_id:
        raise RoundRefused(_l("Only a consultation of the programme's host can be a round."))
    if programme_of(consultation) is not None:
        raise RoundRefused(_l("This consultation is already a round of a programme."))
    position = (db.session.scalar(select(func.max(ProgrammeRound.position))
                                  .where(ProgrammeRound.programme_id == programme.id)) or 0) + 1
    found = ProgrammeRound(programme=programme, consultation=consultation, position=position)
    db.session.add(found)
    touch(programme)
    db.session.flush()
    audit.record(actor, "programme.round_added", organisation_id=programme.host_organisation_id,
                 consultation=consultation, target=programme.slug, detail=str(position))
    return found


def rounds_of(programme: Programme) -> list[ProgrammeRound]:
    """The programme's rounds in order, with their consultations."""
    return list(programme.rounds)


def last_round(programme: Programme) -> ProgrammeRound | None:
    """The latest round, or None before the first."""
    return programme.rounds[-1] if programme.rounds else None


def start_next_round(programme: Programme, slug: str, actor: User | None) -> ProgrammeRound:
    """A new draft consultation copying the last round's texts, sections, languages,
    settings and survey (question keys kept, so answers compare), added as the next round."""
    previous = last_round(programme)
    if previous is None:
        raise RoundRefused(_l("Add a first round before starting the next one."))
    source = previous.consultation
    copy = consultations.create_consultation(
        source.host, slug, source.default_language, source.languages,
        time_zone=source.time_zone, moderation_mode=source.moderation_mode,
        participation_mode=source.participation_mode, min_cell_size=source.min_cell_size,
        visibility=source.visibility, publish_themes=source.publish_themes,
        retention_months=source.retention_months,
        data_licence=source.data_licence,
        reviewer_organisation_id=source.reviewer_organisation_id)
    for row in source.texts:
        copy.set_text(row.field, row.language, row.text)
    copy.partners = list(source.partners)
    copy.moderating_partners = list(source.moderating_partners)
    for section in source.sections:
        consultations.add_section(copy, {(row.field, row.language): row.text
                                         for row in section.texts})
    survey = surveys.get_survey(source)
    if survey is not None:
        surveys.replace_survey(copy, survey_specs(survey))
    db.session.flush()
    audit.record(actor, "consultation.created", consultation=copy, target=slug,
                 detail=f"copy of {source.slug}")
    return add_round(programme, copy, actor)


def survey_specs(survey) -> list[SimpleNamespace]:
    """Page specifications of a survey (as replace_survey reads them), texts and keys kept."""
    return [SimpleNamespace(key=page.key, labels=page.texts_for("title"), questions=[
        SimpleNamespace(
            key=q.key, type=q.type.value, labels=q.texts_for("label"),
            hints=q.texts_for("hint"), required=q.required, is_segment=q.is_segment,
            integer=q.integer, allow_other=q.allow_other, show_if=q.show_if,
            constraint=q.constraint, constraint_messages=q.texts_for("constraint_message"),
            options=[SimpleNamespace(key=o.key, labels=o.texts_for("label"))
                     for o in q.options])
        for q in page.questions]) for page in survey.pages]


def published_rounds(programme: Programme) -> list[ProgrammeRound]:
    """Rounds whose results the public may read, in order."""
    return [r for r in programme.rounds if r.consultation.state is State.RESULTS_PUBLISHED]


def add_auditor(programme: Programme, user: User, actor: User | None) -> ProgrammeAuditor:
    """Give a staff account read-only audit of the programme (once)."""
    found = next((a for a in programme.auditors if a.user_id == user.id), None)
    if found is None:
        found = ProgrammeAuditor(user=user)
        programme.auditors.append(found)
        db.session.flush()
        audit.record(actor, "programme.auditor_added",
                     organisation_id=programme.host_organisation_id,
                     target=programme.slug, detail=str(user.id))
    return found


def remove_auditor(programme: Programme, user_id: int, actor: User | None) -> None:
    """Take the audit of the programme away from an account."""
    found = next((a for a in programme.auditors if a.user_id == user_id), None)
    if found is not None:
        programme.auditors.remove(found)
        db.session.flush()
        audit.record(actor, "programme.auditor_removed",
                     organisation_id=programme.host_organisation_id,
                     target=programme.slug, detail=str(user_id))


def get_round(programme: Programme, position: int) -> ProgrammeRound | None:
    """The programme's round at this position (1 for the first)."""
    return next((r for r in programme.rounds if r.position == position), None)


def free_consultations(programme: Programme) -> list[Consultation]:
    """The host's consultations that are no programme's round yet (candidates for the next
    round), newest first."""
    taken = select(ProgrammeRound.consultation_id)
    return list(db.session.scalars(
        select(Consultation).where(
            Consultation.host_organisation_id == programme.host_organisation_id,
            Consultation.id.not_in(taken)).order_by(Consultation.id.desc())))


def round_comments(programme: Programme, ids: list[int]) -> dict[int, Comment]:
    """The published comments of the programme's rounds among these ids, by id."""
    # Out-of-range numbers (typed by hand) match nothing, and must not reach the database.
    ids = [i for i in ids if 0 < i < 2**31]
    if not ids:
        return {}
    rounds = [r.consultation_id for r in programme.rounds]
    return {c.id: c for c in db.session.scalars(select(Comment).where(
        Comment.id.in_(ids), Comment.consultation_id.in_(rounds),
        Comment.state == CommentState.PUBLISHED))}
