"""A programme's open data: its indicators over the published rounds, the changes between
rounds, and the action plan, as CSV, JSON and a Frictionless Data Package.

Made from the same figures as the programme page (figures.py: the rounds' published
summaries, never a response), written by summaries/open_data.py so the bytes are
deterministic and the page's unkeyed SHA-256 of datapackage.json can be checked. No
participant's words: commitment texts are the planners' own; indicator names the host's.
"""
from flask import current_app

from consult import fragments
from consult.analysis.indicators import NO_ANSWERS, TOO_FEW, Change, RoundScore
from consult.programmes.commitments import commitments_of, timelines
from consult.programmes.figures import IndicatorFigures, RoundInfo, measure, programme_figures
from consult.programmes.models import (
    Commitment,
    Indicator,
    LinkKind,
    Programme,
    ProgrammeRound,
)
from consult.summaries.open_data import (
    COMPLEMENTARY,
    PERTURBED,
    PUBLISHED,
    SMALL,
    SUPPRESSED,
    Field,
    Package,
    Table,
    build_package,
)

#: A figure that is not there for a reason other than protection.
NOT_AVAILABLE = "not_available"
#: Why: nobody answered; the round did not ask the question; no provider scored it.
NOT_ASKED, NOT_SCORED = "not_asked", "not_scored"
STATUSES = (PUBLISHED, PERTURBED, SUPPRESSED, NOT_AVAILABLE)
REASONS = (SMALL, COMPLEMENTARY, NO_ANSWERS, NOT_ASKED, NOT_SCORED)


def _score_fields(prefix: str, who: str) -> tuple[Field, ...]:
    return (
        Field(f"{prefix}_value", "number", f"{who}: the favourable share (0 to 1) or the "
              "mean (0 to 10), as the measure column of the indicators table says."),
        Field(f"{prefix}_low", "number", f"{who}: lower end of the 95% interval (Wilson "
              "for shares, Student's t for means)."),
        Field(f"{prefix}_high", "number", f"{who}: upper end of the 95% interval."),
        Field(f"{prefix}_n", "integer", f"{who}: answers counted (empty when suppressed)."),
        Field(f"{prefix}_status", "string",
              "published: as counted; perturbed: made of counts moved by the cell-key method; "
              "suppressed: hidden to protect people; not_available: there is no figure",
              STATUSES, True),
        Field(f"{prefix}_reason", "string",
              "Why the value is empty: small (fewer than k answered); complementary (it would "
              "let a hidden count be worked out); no_answers; not_asked (the round's survey "
              "does not ask it); not_scored (no provider scored it).", REASONS),
    )


def score_values(score: RoundScore | None, perturbed: bool, missing: str) -> tuple:
    """The _score_fields values of a score (missing: the reason when there is none)."""
    if score is None:
        return (None, None, None, None, NOT_AVAILABLE, missing)
    if score.value is None:
        if score.hidden == NO_ANSWERS:
            return (None, None, None, score.n, NOT_AVAILABLE, NO_ANSWERS)
        return (None, None, None, None, SUPPRESSED,
                SMALL if score.hidden == TOO_FEW else COMPLEMENTARY)
    low, high = score.interval if score.interval is not None else (None, None)
    return (score.value, low, high, score.n, PERTURBED if perturbed else PUBLISHED, None)


def _origin(indicator: Indicator) -> str:
    return indicator.proposal.source.value if indicator.proposal is not None else "host"


def _indicators(programme: Programme, indicators: list[Indicator]) -> Table:
    language = programme.default_language
    rows = tuple((i.question_key, i.position, i.text("name", language).text, i.kind.value,
                  i.direction.value, measure(i.kind), " ".join(sorted(i.favourable or ())),
                  _origin(i)) for i in indicators)
    return Table("indicators", "Indicators", "The indicators followed round after round.", (
        Field("indicator_key", "string", "The key of the question it follows in every round.",
              required=True),
        Field("position", "integer", "Its place on the programme page.", required=True),
        Field("name", "string", "Its short name in the programme's default language."),
        Field("kind", "string", "The question's kind.", ("likert", "scale", "choice"), True),
        Field("direction", "string", "Whether a higher answer is better or worse.",
              ("higher_better", "higher_worse"), True),
        Field("measure", "string", "share_favourable: the share of favourable answers (a "
              "Likert's top two, or bottom two where higher is worse; a single choice's "
              "favourable options); mean: the mean of a 0-10 scale.",
              ("share_favourable", "mean"), True),
        Field("favourable_options", "string", "A single choice's favourable option keys, "
              "space-separated."),
        Field("origin", "string", "Where it came from: a published comment, a theme of the "
              "comments, or the host.", ("comment", "theme", "host"), True),
    ), ("indicator_key",), rows)


def _rounds(indicators: list[Indicator], figures: list[IndicatorFigures]) -> Table:
    rows = []
    for indicator, found in zip(indicators, figures):
        for cell in found.rounds:
            rows.append((indicator.question_key, cell.round.position, cell.round.slug,
                         *score_values(cell.community, cell.round.perturbed, NOT_ASKED),
                         *score_values(cell.providers, False, NOT_SCORED)))
    return Table("indicator_rounds", "Indicators by round",
                 "Each indicator in each round whose results are published: the community's "
                 "score (from the round's published counts) beside the service providers' "
                 "self-assessment (staff scoring for their institution; published with its "
                 "n, never per person).", (
                     Field("indicator_key", "string", "The indicator.", required=True),
                     Field("round", "integer", "The round's number.", required=True),
                     Field("consultation", "string", "The round's consultation (its slug).",
                           required=True),
                     *_score_fields("community", "Community members"),
                     *_score_fields("providers", "Service providers"),
                 ), ("indicator_key", "round"), tuple(rows))


def change_values(moved: Change) -> tuple:
    """difference, statistic, p_value, method, verdict, reason of a change."""
    return (moved.difference, moved.statistic, moved.p_value, moved.method, moved.verdict,
            moved.reason)


def _changes(indicators: list[Indicator], figures: list[IndicatorFigures]) -> Table:
    rows = tuple((indicator.question_key, cell.previous_position, cell.round.position,
                  *change_values(cell.change))
                 for indicator, found in zip(indicators, figures) for cell in found.rounds
                 if cell.change is not None)
    return Table("changes", "Changes between rounds",
                 "The community's score from one published round to the next that asked "
                 "the question, and a two-sided test of no change at the 5% level.", (
                     Field("indicator_key", "string", "The indicator.", required=True),
                     Field("from_round", "integer", "The earlier round.", required=True),
                     Field("to_round", "integer", "The later round.", required=True),
                     Field("difference", "number", "Later minus earlier figure (share 0-1 or "
                           "mean points); empty when either round is hidden."),
                     Field("statistic", "number", "The test's z (normal approximation)."),
                     Field("p_value", "number", "Two-sided p-value."),
                     Field("method", "string", "two-proportion-z/1: pooled two-proportion "
                           "z-test (single choice); mann-whitney-u/1: Mann-Whitney U with tie "
                           "and continuity corrections (Likert, scale).",
                           ("two-proportion-z/1", "mann-whitney-u/1"), True),
                     Field("verdict", "string", "better or worse: p < 0.05 and the figure "
                           "moved the way the test says; else no_clear_change.",
                           ("better", "worse", "no_clear_change"), True),
                     Field("reason", "string", "Why there is no test or no verdict.",
                           ("hidden_round", "no_answers", "no_variation", "not_comparable",
                            "mixed")),
                 ), ("indicator_key", "to_round"), rows)


def _answers(link, slugs: dict[int, str], keys: dict[int, str]) -> str:
    if link.kind is LinkKind.INDICATOR:
        return f"indicator:{keys.get(link.indicator_id, link.indicator_id)}"
    where = slugs.get(link.consultation_id, str(link.consultation_id))
    if link.kind is LinkKind.STATEMENT:
        return f"statement:{where}/{link.comment_id}"
    return f"{link.kind.value}:{where}/{link.key}"


def _commitments(programme: Programme, commitments: list[Commitment],
                 updates: dict[int, list]) -> Table:
    language = programme.default_language
    slugs = {r.consultation_id: r.consultation.slug for r in programme.rounds}
    keys = {i.id: i.question_key for i in programme.indicators}
    rows = tuple((c.id, c.text("title", language).text, c.status.key,
                  "yes" if c.status.closed else "no", c.progress, c.due_on, c.responsible,
                  " ".join(sorted(_answers(link, slugs, keys) for link in c.links)),
                  len(updates.get(c.id, ())),
                  updates[c.id][-1].created_on if updates.get(c.id) else None)
                 for c in commitments)
    return Table("commitments", "Commitments (the action plan)",
                 "What the planners committed to, as they wrote it, with its state now; "
                 "its timeline is on the programme page.", (
                     Field("commitment", "integer", "The commitment's number.", required=True),
                     Field("title", "string", "Its title in the programme's default language."),
                     Field("status", "string", "Its status (the programme's own list).",
                           required=True),
                     Field("closed", "string", "Whether the status ends it (done or dropped).",
                           ("yes", "no"), True),
                     Field("progress", "integer", "Progress, in percent.", required=True),
                     Field("due_on", "date", "When it is due."),
                     Field("responsible", "string", "Who answers for it.", required=True),
                     Field("answers", "string", "What it answers, space-separated: "
                           "indicator:<key>, question:<round>/<key>, theme:<round>/<key>, "
                           "statement:<round>/<comment number>."),
                     Field("updates", "integer", "Entries in its timeline.", required=True),
                     Field("last_update_on", "date", "The day of its latest entry."),
                 ), ("commitment",), rows)


def programme_tables(programme: Programme, indicators: list[Indicator],
                     figures: list[IndicatorFigures], commitments: list[Commitment],
                     updates: dict[int, list]) -> list[Table]:
    """The programme's tables: indicators, indicator_rounds, changes, commitments."""
    return [_indicators(programme, indicators), _rounds(indicators, figures),
            _changes(indicators, figures), _commitments(programme, commitments, updates)]


def _properties(programme: Programme, rounds: list[RoundInfo]) -> dict:
    return {
        "programme": {
            "slug": programme.slug, "default_language": programme.default_language,
            "languages": programme.languages,
            "rounds": [{"round": r.position, "consultation": r.slug, "k": r.k,
                        "perturbed": r.perturbed} for r in rounds],
            "methods": {
                "share": "favourable share with a 95% Wilson score interval",
                "mean": "mean of a 0-10 scale with a 95% Student's t interval",
                "change": "two-proportion z-test for single choices; Mann-Whitney U for "
                          "ordered answers (Likert, scale); normal approximation, tie "
                          "correction, two-sided, 5% level",
                "providers": "self-assessments of staff for their institution, published "
                             "as an aggregate with its n, never per person",
            },
        },
        "description": "Published aggregates of a programme's rounds: indicators round by "
                       "round, changes between rounds and the action plan; never an "
                       "individual answer, never a participant's text.",
    }


def programme_package(programme: Programme, published: list[ProgrammeRound], stamp,
                      computed: tuple | None = None) -> Package:
    """The programme's data package, kept per stamp (what the programme page is keyed by);
    computed: programme_figures' result for these rounds, when the caller has it."""
    def build() -> tuple:
        indicators = list(programme.indicators)
        rounds, figures = computed or programme_figures(indicators, published)
        commitments = commitments_of(programme)
        updates = timelines([c.id for c in commitments])
        title = programme.text("title", programme.default_language).text or programme.slug
        return (build_package(
            programme.slug, title, programme.data_licence,
            programme_tables(programme, indicators, figures, commitments, updates),
            _properties(programme, rounds)),)

    perturbed = bool(current_app.config.get("CELL_KEY_PERTURBATION", True))
    (package,) = fragments.cached(("programme-open-data", programme.id, stamp, perturbed),
                                  build)
    return package

