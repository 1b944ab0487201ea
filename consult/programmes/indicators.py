"""Community-led indicators: proposed from the community's own words, put to the vote as a
statement, adopted by the host; and the providers' self-assessment of them in each round.
Operations flush, never commit.
"""
import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consult import audit
from consult.accounts.models import User
from consult.comments.models import Comment, CommentState
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.programmes.models import (
    Direction,
    Indicator,
    IndicatorKind,
    IndicatorProposal,
    Programme,
    ProgrammeRound,
    ProposalSource,
    ProposalState,
    SelfAssessment,
)
from consult.programmes.services import touch
from consult.surveys.models import Question, QuestionType, Survey

#: The question types an indicator can follow, and the kind each becomes.
KIND_OF_TYPE = {QuestionType.LIKERT: IndicatorKind.LIKERT,
                QuestionType.SCALE: IndicatorKind.SCALE,
                QuestionType.SINGLE_CHOICE: IndicatorKind.CHOICE}
#: Prefix of the author key of the statements proposals are voted on as: no participant's
#: key has it (participant keys are hex digests), so they are told apart from contributions.
PROPOSAL_AUTHOR = "programme:"


class IndicatorRefused(ValueError):
    """An indicator or proposal that cannot be made (the reason is its arg)."""


def indicator_questions(consultation: Consultation) -> list[Question]:
    """The questions of a round's survey that can be indicators."""
    return list(db.session.scalars(
        select(Question).join(Survey).where(Survey.consultation_id == consultation.id,
                                             Question.type.in_(KIND_OF_TYPE))
        .order_by(Question.page_id, Question.position)))


def question_in(consultation: Consultation, key: str) -> Question | None:
    """The question with this key in a round's survey."""
    return db.session.scalar(select(Question).join(Survey).where(
        Survey.consultation_id == consultation.id, Question.key == key))


def add_indicator(programme: Programme, question: Question, names: dict[str, str],
                  direction: Direction, favourable: list[str], actor: User | None,
                  proposal: IndicatorProposal | None = None) -> Indicator:
    """Follow a question across the rounds as an indicator, by its key."""
    kind = KIND_OF_TYPE.get(question.type)
    if kind is None:
        raise IndicatorRefused(_l("Only a Likert, 0-10 scale or single-choice question can be "
                                  "an indicator."))
    if any(i.question_key == question.key for i in programme.indicators):
        raise IndicatorRefused(_l("This question is already an indicator."))
    keys = {o.key for o in question.options}
    if kind is IndicatorKind.CHOICE and (not favourable or not set(favourable) <= keys):
        raise IndicatorRefused(_l("Choose which answers count as favourable."))
    indicator = Indicator(
        question_key=question.key, kind=kind, direction=direction,
        favourable=list(favourable) if kind is IndicatorKind.CHOICE else [],
        position=len(programme.indicators) + 1, adopted_on=dt.date.today(), proposal=proposal)
    programme.indicators.append(indicator)
    for language, name in names.items():
        indicator.set_text("name", language, name)
    if proposal is not None:
        proposal.state = ProposalState.ADOPTED
    touch(programme)
    db.session.flush()
    audit.record(actor, "programme.indicator_adopted",
                 organisation_id=programme.host_organisation_id, target=programme.slug,
                 detail=question.key)
    return indicator


def propose(programme: Programme, round_: ProgrammeRound, texts: dict[str, str],
            actor: User | None, *, comment: Comment | None = None,
            theme: tuple[Consultation, str, str] | None = None) -> IndicatorProposal:
    """Put an indicator to the vote in an open round, drawn from a published comment of a
    round, or from a theme (its round, key and name), or written by the host.

    The proposal is posted in the round as a published statement in the programme's default
    language (written by the host, so not screened), which participants vote on.
    """
    if round_.programme_id != programme.id or round_.consultation.state is not State.OPEN:
        raise IndicatorRefused(_l("Proposals are put to the vote in an open round."))
    rounds = {r.consultation_id for r in programme.rounds}
    if comment is not None and (comment.state is not CommentState.PUBLISHED
                                or comment.consultation_id not in rounds):
        raise IndicatorRefused(_l("Only a published comment of one of the programme's rounds "
                                  "can be promoted."))
    if theme is not None and theme[0].id not in rounds:
        raise IndicatorRefused(_l("Only a theme of one of the programme's rounds can be "
                                  "promoted."))
    statement_text = texts.get(programme.default_language) or next(iter(texts.values()), "")
    if not statement_text.strip():
        raise IndicatorRefused(_l("Write the proposed indicator."))
    proposal = IndicatorProposal(
        programme=programme, created_by_id=actor.id if actor is not None else None,
        source=(ProposalSource.COMMENT if comment is not None
                else ProposalSource.THEME if theme is not None else ProposalSource.HOST),
        source_consultation_id=(comment.consultation_id if comment is not None
                                else theme[0].id if theme is not None else None),
        source_comment_id=comment.id if comment is not None else None,
        source_theme_key=theme[1] if theme is not None else None,
        source_theme_name=theme[2][:200] if theme is not None else None)
    for language, text in texts.items():
        proposal.set_text("text", language, text)
    db.session.add(proposal)
    db.session.flush()
    statement = Comment(
        consultation_id=round_.consultation_id, author_key=f"{PROPOSAL_AUTHOR}{programme.id}",
        body=statement_text.strip(), language=programme.default_language,
        state=CommentState.PUBLISHED, created_on=dt.date.today())
    db.session.add(statement)
    db.session.flush()
    proposal.statement_id = statement.id
    touch(programme)
    audit.record(actor, "programme.indicator_proposed",
                 organisation_id=programme.host_organisation_id,
                 consultation=round_.consultation, target=programme.slug,
                 detail=f"proposal {proposal.id}")
    return proposal


def proposals_of(programme: Programme) -> list[IndicatorProposal]:
    """The programme's proposals, newest first."""
    return list(db.session.scalars(
        select(IndicatorProposal).where(IndicatorProposal.programme_id == programme.id)
        .order_by(IndicatorProposal.id.desc())))


def support(proposals: list[IndicatorProposal]) -> dict[int, tuple[int, int, int]]:
    """(agree, disagree, pass) votes on each proposal's statement, by proposal id (the
    statement keeps its counts as votes are cast)."""
    ids = {p.statement_id: p.id for p in proposals if p.statement_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Comment.id, Comment.agree_count, Comment.disagree_count, Comment.pass_count)
        .where(Comment.id.in_(ids)))
    found = {ids[c]: (a, d, p) for c, a, d, p in rows}
    return {p: found.get(p, (0, 0, 0)) for p in ids.values()}


def decline(proposal: IndicatorProposal, actor: User | None) -> None:
    """Decide not to adopt a proposal (it stays on record, with its votes)."""
    proposal.state = ProposalState.DECLINED
    touch(proposal.programme)
    db.session.flush()
    audit.record(actor, "programme.indicator_declined",
                 organisation_id=proposal.programme.host_organisation_id,
                 target=proposal.programme.slug, detail=f"proposal {proposal.id}")


def score(round_: ProgrammeRound, indicator: Indicator, user: User, organisation_id: int,
          value: str | float) -> SelfAssessment:
    """Record (or correct) one staff member's own score of an indicator in a round, while the
    round takes answers (drafts and open rounds)."""
    if round_.consultation.state not in (State.DRAFT, State.OPEN):
        raise IndicatorRefused(_l("Self-assessments are taken while the round is open."))
    question = question_in(round_.consultation, indicator.question_key)
    if question is None:
        raise IndicatorRefused(_l("This round's survey does not ask this indicator's question."))
    option_key, number = None, None
    if indicator.kind is IndicatorKind.SCALE:
        number = float(value)
        if not 0 <= number <= 10:
            raise IndicatorRefused(_l("Give a score from 0 to 10."))
    else:
        option_key = str(value)
        if option_key not in {o.key for o in question.options}:
            raise IndicatorRefused(_l("Choose one of the answers."))
    found = db.session.scalar(select(SelfAssessment).where(
        SelfAssessment.round_id == round_.id, SelfAssessment.indicator_id == indicator.id,
        SelfAssessment.user_id == user.id))
    if found is None:
        found = SelfAssessment(round_id=round_.id, indicator_id=indicator.id, user_id=user.id)
        db.session.add(found)
    found.organisation_id = organisation_id
    found.option_key, found.number, found.scored_on = option_key, number, dt.date.today()
    touch(round_.programme)
    db.session.flush()
    return found


def self_assessment_counts(round_ids: list[int]) -> dict[tuple[int, int], dict]:
    """{(round id, indicator id): {value: count}} of the self-assessments: one grouped query
    (value is the option key, or the number for scales)."""
    if not round_ids:
        return {}
    rows = db.session.execute(
        select(SelfAssessment.round_id, SelfAssessment.indicator_id, SelfAssessment.option_key,
               SelfAssessment.number, func.count())
        .where(SelfAssessment.round_id.in_(round_ids))
        .group_by(SelfAssessment.round_id, SelfAssessment.indicator_id,
                  SelfAssessment.option_key, SelfAssessment.number))
    counts: dict[tuple[int, int], dict] = {}
    for round_id, indicator_id, option_key, number, count in rows:
        value = option_key if option_key is not None else number
        counts.setdefault((round_id, indicator_id), {})[value] = int(count)
    return counts


def get_proposal(programme: Programme, proposal_id: int) -> IndicatorProposal | None:
    """One of the programme's proposals."""
    proposal = db.session.get(IndicatorProposal, proposal_id)
    return proposal if proposal is not None and proposal.programme_id == programme.id else None


def round_themes(consultation: Consultation, language: str) -> list[tuple[str, str]]:
    """(key, name) of each theme of a round's free text as last computed: the planners'
    name, or its first terms while it has none. Only themes of k answers or more: the host
    staff who promote them need not read the planner report, so no small group's words."""
    from consult.summaries.qualitative import theme_views
    from consult.surveys.services import get_survey

    found = []
    for of in theme_views(consultation, get_survey(consultation), planner=True):
        for theme in of.themes:
            if theme.size is None:  # fewer than k answers
                continue
            name = theme.name(language, consultation.default_language)
            found.append((theme.key, str(name) if name else ", ".join(theme.terms[:3])))
    return found


def sources_of(programme: Programme, proposals: list[IndicatorProposal]) -> dict[int, str]:
    """What each proposal came from, in words, by proposal id: the comment's text while it
    is published, the theme's name, or that the host wrote it."""
    from consult.programmes.services import round_comments

    comments = round_comments(programme, [p.source_comment_id for p in proposals
                                          if p.source_comment_id is not None])
    found = {}
    for p in proposals:
        comment = comments.get(p.source_comment_id)
        if p.source is ProposalSource.COMMENT and comment is not None:
            found[p.id] = str(_l("Comment %(number)s: “%(text)s”", number=comment.id,
                                 text=comment.body))
        elif p.source is ProposalSource.COMMENT:
            found[p.id] = str(_l("A comment no longer published"))
        elif p.source is ProposalSource.THEME:
            found[p.id] = str(_l("Theme: %(name)s", name=p.source_theme_name or ""))
        else:
            found[p.id] = str(_l("Written by the host"))
    return found


def by_support(proposals: list[IndicatorProposal], votes: dict[int, tuple[int, int, int]]
               ) -> list[IndicatorProposal]:
    """Open proposals first, each group by agree minus disagree, then by agree votes."""
    def key(p: IndicatorProposal) -> tuple:
        agree, disagree, _passed = votes.get(p.id, (0, 0, 0))
        return p.state is not ProposalState.OPEN, disagree - agree, -agree
    return sorted(proposals, key=key)


def theme_of(programme: Programme, value: str | None, language: str
             ) -> tuple[ProgrammeRound, str, str] | None:
    """(round, key, name) of a theme chosen as 'POSITION:KEY' among the rounds' themes, or
    None."""
    from consult.programmes.services import get_round

    position, _sep, key = (value or "").partition(":")
    round_ = get_round(programme, int(position)) if position.isascii() and \
        position.isdecimal() and len(position) < 6 else None
    if round_ is None:
        return None
    name = dict(round_themes(round_.consultation, language)).get(key)
    return (round_, key, name) if name is not None else None
