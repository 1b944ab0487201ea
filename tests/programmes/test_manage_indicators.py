"""Staff pages of indicators and proposals: following a question, promoting a comment or a
theme to the vote, the votes, adopting and declining."""
from types import SimpleNamespace

import pytest

from consult.accounts.models import Role
from consult.comments.models import CommentState, Vote, VoteChoice
from consult.comments.services import post_comment
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.programmes import indicators as indicator_services
from consult.programmes.models import (
    Direction,
    Indicator,
    IndicatorProposal,
    ProposalSource,
    ProposalState,
)


@pytest.fixture
def setup(make_org, make_user, make_programme):
    """A programme whose open first round follows no indicator yet, with a published and a
    pending comment, and staff of every kind."""
    host, other = make_org(), make_org()
    programme = make_programme(host=host, indicators=False)
    round_ = programme.rounds[0].consultation
    published = post_comment(round_, "someone", "Buses at night would make me feel safe", "en",
                             state=CommentState.PUBLISHED)
    pending = post_comment(round_, "someone", "Not yet seen", "en", state=CommentState.PENDING)
    db.session.commit()
    return SimpleNamespace(
        programme=programme, round=round_, published=published, pending=pending,
        host_own=make_user(host, Role.HOST), host_other=make_user(other, Role.HOST),
        moderator=make_user(host, Role.MODERATOR), planner=make_user(host, Role.PLANNER),
        site_admin=make_user(site_admin=True))


def _page(setup, name: str) -> str:
    return f"/manage/programmes/{setup.programme.slug}{name}"


def _indicators(setup) -> list[Indicator]:
    return list(db.session.scalars(db.select(Indicator).filter_by(
        programme_id=setup.programme.id).order_by(Indicator.position)))


def test_host_makes_a_likert_question_an_indicator(client, auth, setup):
    auth.login(setup.host_own)
    page = client.get(_page(setup, "/indicators")).get_data(as_text=True)
    assert 'value="feel_safe"' in page and 'value="why"' not in page  # long text: never
    response = client.post_form(_page(setup, "/indicators"), {
        "question": "feel_safe", "direction": "higher_better", "name__en": "Feeling safe",
        "name__fr": "Sentiment de sécurité"})
    assert response.status_code == 302
    [indicator] = _indicators(setup)
    assert indicator.question_key == "feel_safe" and indicator.proposal is None
    assert indicator.texts_for("name") == {"en": "Feeling safe", "fr": "Sentiment de sécurité"}
    page = client.get(_page(setup, "/indicators")).get_data(as_text=True)
    assert "Written by the host" in page and "feel_safe" in page


def test_single_choice_indicator_needs_favourable_answers(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post_form(_page(setup, "/indicators"), {
        "question": "harmed", "direction": "higher_worse", "name__en": "Harm"})
    assert response.status_code == 422
    assert 'id="favourable-error"' in response.get_data(as_text=True)
    response = client.post_form(_page(setup, "/indicators"), {
        "question": "harmed", "direction": "higher_worse", "name__en": "Harm",
        "favourable": ["harmed:no", "feel_safe:agree"]})
    assert response.status_code == 302
    [indicator] = _indicators(setup)
    assert indicator.favourable == ["no"] and indicator.direction is Direction.HIGHER_IS_WORSE


def test_indicator_needs_a_name_in_the_default_language(client, auth, setup):
    auth.login(setup.host_own)
    response = client.post_form(_page(setup, "/indicators"), {
        "question": "trust_hotline", "direction": "higher_better", "name__fr": "Confiance"})
    assert response.status_code == 422
    assert 'id="name__en-error"' in response.get_data(as_text=True)
    assert _indicators(setup) == []


@pytest.mark.parametrize("role", ["moderator", "planner"])
def test_staff_who_do_not_manage_read_but_cannot_add_indicators(client, auth, setup, role):
    auth.login(getattr(setup, role))
    page = client.get(_page(setup, "/indicators"))
    assert page.status_code == 200 and 'name="question"' not in page.get_data(as_text=True)
    response = client.post_form(_page(setup, "/indicators"), {
        "question": "feel_safe", "direction": "higher_better", "name__en": "Feeling safe"})
    assert response.status_code == 403


def test_host_of_another_organisation_cannot_see_indicators_or_proposals(client, auth, setup):
    auth.login(setup.host_other)
    assert client.get(_page(setup, "/indicators")).status_code == 404
    assert client.get(_page(setup, "/proposals")).status_code == 404
    assert client.post_form(_page(setup, "/proposals"), {
        "round": 1, "text__en": "Theirs"}).status_code == 404


def test_promote_a_published_comment_shows_its_text_then_puts_it_to_the_vote(
        client, auth, setup):
    auth.login(setup.host_own)
    page = client.get(_page(setup, f"/proposals?comment={setup.published.id}"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Buses at night would make me feel safe" in html
    response = client.post_form(_page(setup, "/proposals"), {
        "round": 1, "source_comment": setup.published.id,
        "text__en": "Night buses make people feel safe", "text__fr": "Bus de nuit"})
    assert response.status_code == 302
    proposal = db.session.scalar(db.select(IndicatorProposal))
    assert proposal.source is ProposalSource.COMMENT
    assert proposal.source_comment_id == setup.published.id
    html = client.get(_page(setup, "/proposals")).get_data(as_text=True)
    assert f"/consultations/{setup.round.slug}/vote" in html
    assert "Night buses make people feel safe" in html


def test_an_unpublished_comment_cannot_be_promoted(client, auth, setup):
    auth.login(setup.host_own)
    page = client.get(_page(setup, f"/proposals?comment={setup.pending.id}"))
    assert page.status_code == 422
    assert "Not yet seen" not in page.get_data(as_text=True)
    response = client.post_form(_page(setup, "/proposals"), {
        "round": 1, "source_comment": setup.pending.id, "text__en": "Sneaked in"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(IndicatorProposal)) is None


def test_a_huge_comment_number_is_a_clear_error(client, auth, setup):
    auth.login(setup.host_own)
    assert client.get(_page(setup, "/proposals?comment=99999999999999")).status_code == 422


def test_promote_a_theme_prefills_its_name(client, auth, setup, monkeypatch):
    monkeypatch.setattr(indicator_services, "round_themes",
                        lambda consultation, language: [("0123456789ab", "Night buses")])
    auth.login(setup.host_own)
    html = client.get(_page(setup, "/proposals")).get_data(as_text=True)
    assert "theme=1:0123456789ab" in html
    html = client.get(_page(setup, "/proposals?theme=1:0123456789ab")).get_data(as_text=True)
    assert "Night buses</textarea>" in html
    response = client.post_form(_page(setup, "/proposals"), {
        "round": 1, "source_theme": "1:0123456789ab", "text__en": "Night buses"})
    assert response.status_code == 302
    proposal = db.session.scalar(db.select(IndicatorProposal))
    assert proposal.source is ProposalSource.THEME
    assert (proposal.source_theme_key, proposal.source_theme_name) == ("0123456789ab",
                                                                       "Night buses")


def test_proposals_are_voted_in_an_open_round_only(client, auth, setup):
    setup.round.state = State.CLOSED
    db.session.commit()
    auth.login(setup.host_own)
    html = client.get(_page(setup, "/proposals")).get_data(as_text=True)
    assert "open one first" in html
    response = client.post_form(_page(setup, "/proposals"), {"round": 1, "text__en": "X"})
    assert response.status_code == 422
    assert 'id="round-error"' in response.get_data(as_text=True)


def _proposal(setup, text: str, agree: int, disagree: int) -> IndicatorProposal:
    proposal = indicator_services.propose(setup.programme, setup.programme.rounds[0],
                                          {"en": text}, None)
    for n in range(agree + disagree):
        db.session.add(Vote(comment_id=proposal.statement_id, consultation_id=setup.round.id,
                            voter_key=f"v{text}{n}",
                            choice=VoteChoice.AGREE if n < agree else VoteChoice.DISAGREE))
    from consult.comments.models import Comment

    statement = db.session.get(Comment, proposal.statement_id)
    statement.agree_count, statement.disagree_count = agree, disagree
    db.session.commit()
    return proposal


def test_proposals_are_listed_by_support_with_their_votes(client, auth, setup):
    _proposal(setup, "Weakly supported", 1, 3)
    _proposal(setup, "Strongly supported", 5, 1)
    auth.login(setup.planner)
    html = client.get(_page(setup, "/proposals")).get_data(as_text=True)
    assert html.index("Strongly supported") < html.index("Weakly supported")
    assert "Agree: 5 · Disagree: 1 · Pass: 0" in html
    assert "/adopt" not in html  # planners read; managers decide


def test_adopt_a_proposal_as_an_indicator(client, auth, setup):
    proposal = _proposal(setup, "Trust the hotline", 3, 0)
    auth.login(setup.host_own)
    page = client.get(_page(setup, f"/proposals/{proposal.id}/adopt"))
    assert page.status_code == 200 and 'value="Trust the hotline"' in page.get_data(
        as_text=True)
    response = client.post_form(_page(setup, f"/proposals/{proposal.id}/adopt"), {
        "question": "trust_hotline", "direction": "higher_better",
        "name__en": "Trust in the hotline"})
    assert response.status_code == 302
    [indicator] = _indicators(setup)
    assert indicator.proposal_id == proposal.id
    db.session.refresh(proposal)
    assert proposal.state is ProposalState.ADOPTED
    html = client.get(_page(setup, "/indicators")).get_data(as_text=True)
    assert "Written by the host" in html  # a host-written proposal says so
    assert client.get(_page(setup, f"/proposals/{proposal.id}/adopt")).status_code == 409


def test_decline_a_proposal_keeps_it_on_record(client, auth, setup):
    proposal = _proposal(setup, "Not this one", 0, 4)
    auth.login(setup.host_own)
    response = client.post_form(_page(setup, f"/proposals/{proposal.id}/decline"))
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.state is ProposalState.DECLINED
    assert "Not this one" in client.get(_page(setup, "/proposals")).get_data(as_text=True)


def test_decline_without_csrf_token_is_refused(client, auth, setup):
    proposal = _proposal(setup, "Kept", 0, 0)
    auth.login(setup.host_own)
    assert client.post(_page(setup, f"/proposals/{proposal.id}/decline")).status_code == 400
    db.session.refresh(proposal)
    assert proposal.state is ProposalState.OPEN


@pytest.mark.parametrize("role", ["moderator", "planner"])
def test_only_managers_adopt_or_decline(client, auth, setup, role):
    proposal = _proposal(setup, "Theirs to decide", 1, 0)
    auth.login(getattr(setup, role))
    assert client.get(_page(setup, f"/proposals/{proposal.id}/adopt")).status_code == 403
    assert client.post_form(_page(setup, f"/proposals/{proposal.id}/decline")
                            ).status_code == 403


def test_a_proposal_of_another_programme_is_not_found(client, auth, setup, make_programme):
    elsewhere = make_programme()
    proposal = indicator_services.propose(elsewhere, elsewhere.rounds[0], {"en": "Other"},
                                          None)
    db.session.commit()
    auth.login(setup.host_own)
    assert client.get(_page(setup, f"/proposals/{proposal.id}/adopt")).status_code == 404
