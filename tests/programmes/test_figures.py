"""The programme's figures: each indicator in each published round, made of the round's
published counts only (the results page's), the providers' scores and the changes."""
import pytest

from consult.analysis.indicators import (
    HIDDEN_ROUND,
    MANN_WHITNEY_U,
    TOO_FEW,
    TWO_PROPORTION_Z,
    WORSE,
)
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.programmes import indicators as indicator_services
from consult.programmes.figures import programme_figures
from consult.programmes.services import published_rounds
from consult.summaries.report import WOULD_REVEAL
from consult.summaries.services import summary_for
from consult.surveys.services import get_survey
from tests.programmes.public_helpers import SAFE, SOUTH, UNSAFE, next_round, publish
from tests.summaries.helpers import respond


def figures_of(programme):
    db.session.expire_all()
    rounds = published_rounds(programme)
    return programme_figures(list(programme.indicators), rounds)


def published_summary(consultation):
    return summary_for(consultation, get_survey(consultation), planner=False)[0]


def question_of(summary, key):
    return next(q for q in summary.questions if q.info.key == key)


@pytest.fixture
def one_round(make_programme):
    programme = make_programme()
    first = programme.rounds[0].consultation
    respond(first, SAFE, times=14)
    respond(first, UNSAFE, times=11)
    respond(first, SOUTH, times=3)
    publish(first)
    return programme


def test_community_scores_are_made_of_the_round_pages_published_counts(one_round):
    rounds, figures = figures_of(one_round)
    summary = published_summary(one_round.rounds[0].consultation)
    feel, trust, harmed = (f.rounds[0].community for f in figures)
    counts = dict((key, f.count) for key, f in question_of(summary, "feel_safe").categories)
    favourable = counts["agree"] + counts["strongly_agree"]
    assert feel.n == sum(counts.values()) and feel.value == pytest.approx(favourable / feel.n)
    assert feel.favourable_keys == ("agree", "strongly_agree")
    points = {int(k): f.count for k, f in question_of(summary, "trust_hotline").categories}
    mean = sum(p * c for p, c in points.items()) / sum(points.values())
    assert trust.value == pytest.approx(mean) and trust.interval[0] < mean < trust.interval[1]
    choices = dict((k, f.count) for k, f in question_of(summary, "harmed").categories)
    assert harmed.value == pytest.approx(choices["no"] / sum(choices.values()))
    assert [r.position for r in rounds] == [1]


def test_a_round_not_yet_published_contributes_nothing_not_even_its_n(one_round):
    next_round(one_round, "round-2", [(UNSAFE, 40)], state=State.CLOSED)
    rounds, figures = figures_of(one_round)
    assert [r.position for r in rounds] == [1]
    assert all(len(f.rounds) == 1 and f.rounds[0].change is None for f in figures)


def test_a_small_group_is_hidden_as_on_the_round_page(one_round):
    _rounds, figures = figures_of(one_round)
    summary = published_summary(one_round.rounds[0].consultation)
    groups = {(g.dimension_key, g.group): g.score for g in figures[0].groups}
    # South has 3 respondents: hidden on the round's page, hidden here, no n.
    assert groups[("area", "south")].value is None and groups[("area", "south")].n is None
    table = next(b for b in question_of(summary, "feel_safe").breakdowns
                 if b.dimension.key == "area")
    south = dict(table.rows)["south"]
    assert south.count is None
    # Every other group: hidden exactly where a count of its row is hidden on the page.
    for r, (key, size) in enumerate(table.rows):
        if key == "south" or size.count == 0:
            continue
        row = [f.count for c, f in zip(table.columns, table.cells[r]) if c != "no_answer"]
        score = groups[("area", key)]
        assert (score.n is None) == (None in row or size.count is None)
        if score.n is not None:
            assert score.n == sum(row)


def test_padding_a_small_group_reveals_no_more_than_the_round_page(one_round, app):
    """Adding k-1 answers of one's own to a group of 3 must not tell the 3 apart: the group's
    n on the programme is the round page's published (perturbed) count, not true count - 9."""
    first = one_round.rounds[0].consultation
    first.state = State.OPEN
    db.session.commit()
    respond(first, SOUTH, times=9)
    publish(first)
    _rounds, figures = figures_of(one_round)
    summary = published_summary(first)
    table = next(b for b in question_of(summary, "feel_safe").breakdowns
                 if b.dimension.key == "area")
    r = [key for key, _size in table.rows].index("south")
    published = [f.count for c, f in zip(table.columns, table.cells[r]) if c != "no_answer"]
    south = next(g.score for g in figures[0].groups if g.group == "south")
    if None in published:
        assert south.value is None and south.n is None
    else:
        assert south.n == sum(published)


def test_a_hidden_count_hides_the_score_with_its_reason(make_programme):
    programme = make_programme()
    first = programme.rounds[0].consultation
    respond(first, SAFE, times=4)
    publish(first)
    _rounds, figures = figures_of(programme)
    cell = figures[0].rounds[0]
    assert cell.community.value is None and cell.community.n is None
    assert cell.community.hidden in (TOO_FEW, WOULD_REVEAL)


def test_change_between_published_rounds_names_its_test(one_round):
    next_round(one_round, "round-2", [(UNSAFE, 40), (SAFE, 12)])
    _rounds, figures = figures_of(one_round)
    feel, _trust, harmed = figures
    moved = feel.rounds[1].change
    assert moved.method == MANN_WHITNEY_U and moved.verdict == WORSE
    assert moved.p_value < 0.05 and moved.difference < 0
    assert feel.rounds[1].previous_position == 1
    assert harmed.rounds[1].change.method == TWO_PROPORTION_Z


def test_a_change_from_a_hidden_round_is_not_tested(make_programme):
    programme = make_programme()
    first = programme.rounds[0].consultation
    respond(first, SAFE, times=3)
    publish(first)
    next_round(programme, "round-2", [(SAFE, 20)])
    _rounds, figures = figures_of(programme)
    moved = figures[0].rounds[1].change
    assert moved.reason == HIDDEN_ROUND and moved.p_value is None and moved.difference is None


def test_a_change_from_a_round_hidden_to_protect_a_count_is_not_tested(one_round):
    next_round(one_round, "round-2", [(UNSAFE, 40), (SAFE, 5)])  # 5 agreeing: hidden
    _rounds, figures = figures_of(one_round)
    cell = figures[0].rounds[1]
    assert cell.community.value is None and cell.community.hidden == WOULD_REVEAL
    assert cell.change.reason == HIDDEN_ROUND and cell.change.p_value is None


def test_providers_scores_are_their_aggregate_with_n(one_round, make_user):
    round_ = one_round.rounds[0]
    consultation = round_.consultation
    consultation.state = State.OPEN
    db.session.commit()
    feel = one_round.indicators[0]
    for value in ("agree", "agree", "disagree"):
        user = make_user(one_round.host)
        indicator_services.score(round_, feel, user, one_round.host.id, value)
    db.session.commit()
    publish(consultation)
    _rounds, figures = figures_of(one_round)
    theirs = figures[0].rounds[0].providers
    assert theirs.n == 3 and theirs.value == pytest.approx(2 / 3)
    assert figures[1].rounds[0].providers is None  # nobody scored the hotline

