"""Staff pages of the action plan (commitments, their links and timelines, statuses) and of
the providers' self-assessment."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest

from consult.accounts.models import Role
from consult.comments.models import CommentState
from consult.comments.services import post_comment
from consult.consultations.lifecycle import State
from consult.consultations.services import set_partners
from consult.extensions import db
from consult.programmes import commitments as plan
from consult.programmes.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    LinkKind,
    SelfAssessment,
)


@pytest.fixture
def setup(make_org, make_user, make_programme):
    """A programme (three indicators, an open first round with a partner), a published
    comment, and staff of every kind."""
    host, other, partner = make_org(), make_org(), make_org()
    programme = make_programme(host=host)
    round_ = programme.rounds[0].consultation
    set_partners(round_, [partner])
    comment = post_comment(round_, "someone", "Fix the lights", "en",
                           state=CommentState.PUBLISHED)
    db.session.commit()
    return SimpleNamespace(
        programme=programme, round=round_, comment=comment,
        host_own=make_user(host, Role.HOST), host_other=make_user(other, Role.HOST),
        partner_host=make_user(partner, Role.HOST), partner_admin=make_user(partner, Role.ADMIN),
        moderator=make_user(host, Role.MODERATOR), planner=make_user(host, Role.PLANNER),
        site_admin=make_user(site_admin=True))


def _page(setup, name: str) -> str:
    return f"/manage/programmes/{setup.programme.slug}{name}"


def _status(setup, key: str) -> CommitmentStatus:
    return db.session.scalar(db.select(CommitmentStatus).filter_by(
        programme_id=setup.programme.id, key=key))


def _form(setup, **changes) -> dict:
    values = {"title__en": "Light the bus stops", "title__fr": "Éclairer les arrêts",
              "description__en": "Solar lights at every stop.", "responsible": "City works",
              "due_on": "2030-06-30", "status": _status(setup, "planned").id, "progress": "0"}
    return {**values, **changes}


@pytest.mark.parametrize("role", ["planner", "host_own", "site_admin"])
def test_planners_and_managers_record_a_commitment_with_its_links(client, auth, setup, role):
    auth.login(getattr(setup, role))
    indicator = setup.programme.indicators[0]
    response = client.post_form(_page(setup, "/commitments/new"), _form(
        setup, indicators=[indicator.id], questions=[f"{setup.round.id}:why"],
        statements=str(setup.comment.id), note__en="Agreed with the council."))
    assert response.status_code == 302
    commitment = db.session.scalar(db.select(Commitment))
    assert commitment.texts_for("title")["fr"] == "Éclairer les arrêts"
    assert commitment.due_on == dt.date(2030, 6, 30)
    assert sorted(link.kind.value for link in commitment.links) == [
        "indicator", "question", "statement"]
    [entry] = plan.timelines([commitment.id])[commitment.id]
    assert entry.texts["note"] == {"en": "Agreed with the council."}
    listing = client.get(_page(setup, "/commitments")).get_data(as_text=True)
    assert "Light the bus stops" in listing and "City works" in listing


def test_a_commitment_edit_adds_a_timeline_entry(client, auth, setup):
    auth.login(setup.planner)
    client.post_form(_page(setup, "/commitments/new"), _form(setup))
    commitment = db.session.scalar(db.select(Commitment))
    response = client.post_form(_page(setup, f"/commitments/{commitment.id}"), _form(
        setup, status=_status(setup, "under_way").id, progress="40",
        note__en="Half the stops have lights.", note__fr="La moitié des arrêts."))
    assert response.status_code == 302
    entries = list(db.session.scalars(db.select(CommitmentUpdate).order_by(CommitmentUpdate.id)))
    assert len(entries) == 2
    assert entries[0].status_key == "planned" and entries[0].progress == 0  # kept as it was
    assert entries[1].changed_parts == ["status", "progress"]
    assert entries[1].texts["note"]["fr"] == "La moitié des arrêts."
    html = client.get(_page(setup, f"/commitments/{commitment.id}")).get_data(as_text=True)
    assert "Half the stops have lights." in html and "Timeline" in html


def test_commitment_form_errors_are_tied_to_their_fields(client, auth, setup):
    auth.login(setup.planner)
    response = client.post_form(_page(setup, "/commitments/new"), _form(
        setup, title__en="", responsible="", progress="140", statements="twelve"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("title__en", "responsible", "progress", "statements"):
        assert f'id="{field}-error"' in html, field
    assert db.session.scalar(db.select(Commitment)) is None


def test_a_commitment_cannot_link_an_unpublished_or_foreign_comment(client, auth, setup,
                                                                    make_consultation):
    pending = post_comment(setup.round, "x", "Held back", "en", state=CommentState.PENDING)
    foreign = post_comment(make_consultation(), "x", "Elsewhere", "en",
                           state=CommentState.PUBLISHED)
    db.session.commit()
    auth.login(setup.planner)
    response = client.post_form(_page(setup, "/commitments/new"), _form(
        setup, statements=f"{pending.id}, {foreign.id}"))
    assert response.status_code == 422
    assert 'id="statements-error"' in response.get_data(as_text=True)


def test_an_overdue_commitment_is_flagged(client, auth, setup):
    auth.login(setup.planner)
    client.post_form(_page(setup, "/commitments/new"), _form(setup, due_on="2020-01-31"))
    assert "Overdue" in client.get(_page(setup, "/commitments")).get_data(as_text=True)


def test_a_commitment_of_another_programme_is_not_found(client, auth, setup, make_programme):
    elsewhere = make_programme()
    other = plan.create_commitment(elsewhere, plan.CommitmentState(
        {("title", "en"): "Theirs"}, "Them", None, elsewhere.statuses[0], 0), [], {}, None)
    db.session.commit()
    auth.login(setup.planner)
    assert client.get(_page(setup, f"/commitments/{other.id}")).status_code == 404


@pytest.mark.parametrize("role", ["moderator", "partner_host"])
def test_who_may_not_plan_cannot_see_or_change_the_plan(client, auth, setup, role):
    auth.login(getattr(setup, role))
    expected = 403 if role == "moderator" else 404
    assert client.get(_page(setup, "/commitments")).status_code == expected
    assert client.post_form(_page(setup, "/commitments/new"), _form(setup)
                            ).status_code == expected
    assert client.get(_page(setup, "/statuses")).status_code == expected


def test_host_of_another_organisation_cannot_see_the_plan(client, auth, setup):
    auth.login(setup.host_other)
    assert client.get(_page(setup, "/commitments")).status_code == 404
    assert client.get(_page(setup, "/commitments/new")).status_code == 404


def test_statuses_are_renamed_added_closed_and_reordered(client, auth, setup):
    auth.login(setup.planner)
    delayed = _status(setup, "delayed")
    response = client.post_form(_page(setup, f"/statuses/{delayed.id}"), {
        f"status-{delayed.id}-label__en": "Late", f"status-{delayed.id}-label__fr": "En retard"})
    assert response.status_code == 302
    db.session.refresh(delayed)
    assert delayed.texts_for("label") == {"en": "Late", "fr": "En retard"}
    response = client.post_form(_page(setup, "/statuses"), {
        "new-key": "on_hold", "new-label__en": "On hold", "new-closed": "y"})
    assert response.status_code == 302
    on_hold = _status(setup, "on_hold")
    assert on_hold.closed and on_hold.position == 6
    assert client.post_form(_page(setup, f"/statuses/{on_hold.id}/up")).status_code == 302
    db.session.expire_all()
    assert [s.key for s in setup.programme.statuses][-2:] == ["on_hold", "dropped"]


def test_a_status_key_is_unique_and_a_label_required(client, auth, setup):
    auth.login(setup.planner)
    response = client.post_form(_page(setup, "/statuses"), {
        "new-key": "planned", "new-label__en": "Again"})
    assert response.status_code == 422 and 'id="new-key-error"' in response.get_data(
        as_text=True)
    planned = _status(setup, "planned")
    response = client.post_form(_page(setup, f"/statuses/{planned.id}"), {
        f"status-{planned.id}-label__fr": "Prévu"})
    assert response.status_code == 422
    assert f'id="status-{planned.id}-label__en-error"' in response.get_data(as_text=True)


def _scores(setup) -> list[SelfAssessment]:
    return list(db.session.scalars(db.select(SelfAssessment).order_by(SelfAssessment.id)))


def _assess(setup) -> str:
    return _page(setup, "/rounds/1/self-assessment")


def _answers(setup, organisation_id: int, **values) -> dict:
    ids = {i.question_key: i.id for i in setup.programme.indicators}
    return {"organisation": organisation_id,
            **{f"indicator_{ids[key]}": value for key, value in values.items()}}


@pytest.mark.parametrize("role", ["partner_host", "moderator", "host_own"])
def test_providers_score_the_rounds_indicators(client, auth, setup, role):
    user = getattr(setup, role)
    auth.login(user)
    page = client.get(_assess(setup)).get_data(as_text=True)
    assert "Strongly_Agree" in page and 'value="10"' in page
    organisation = next(iter(user.organisation_ids))
    response = client.post_form(_assess(setup), _answers(
        setup, organisation, feel_safe="agree", trust_hotline="7", harmed="no"))
    assert response.status_code == 302
    scores = _scores(setup)
    assert sorted((s.option_key or "", s.number or 0) for s in scores) == [
        ("", 7.0), ("agree", 0), ("no", 0)]
    assert {s.organisation_id for s in scores} == {organisation}


def test_the_self_assessment_corrects_rather_than_doubles(client, auth, setup):
    auth.login(setup.partner_host)
    organisation = next(iter(setup.partner_host.organisation_ids))
    client.post_form(_assess(setup), _answers(setup, organisation, feel_safe="agree"))
    page = client.get(_assess(setup)).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="agree"', page)  # pre-filled with my score
    client.post_form(_assess(setup), _answers(setup, organisation, feel_safe="disagree"))
    assert [s.option_key for s in _scores(setup)] == ["disagree"]


def test_the_self_assessment_is_read_only_once_the_round_closes(client, auth, setup):
    setup.round.state = State.CLOSED
    db.session.commit()
    auth.login(setup.partner_host)
    page = client.get(_assess(setup))
    assert page.status_code == 200 and "no longer takes self-assessments" in page.get_data(
        as_text=True)
    organisation = next(iter(setup.partner_host.organisation_ids))
    response = client.post_form(_assess(setup), _answers(setup, organisation, feel_safe="agree"))
    assert response.status_code == 409
    assert _scores(setup) == []


def test_a_provider_scores_only_for_their_own_organisation(client, auth, setup):
    auth.login(setup.partner_host)
    response = client.post_form(_assess(setup), _answers(
        setup, setup.programme.host_organisation_id, feel_safe="agree"))
    assert response.status_code == 422
    assert 'id="organisation-error"' in response.get_data(as_text=True)
    assert _scores(setup) == []


def test_an_answer_outside_the_choices_is_refused(client, auth, setup):
    auth.login(setup.moderator)
    organisation = setup.programme.host_organisation_id
    response = client.post_form(_assess(setup), _answers(setup, organisation, trust_hotline="11"))
    assert response.status_code == 422
    assert _scores(setup) == []


def test_host_of_another_organisation_cannot_self_assess(client, auth, setup):
    auth.login(setup.host_other)
    assert client.get(_assess(setup)).status_code == 404
    assert client.post_form(_assess(setup), {"organisation": 1}).status_code == 404


def test_self_assessment_without_csrf_token_is_refused(client, auth, setup):
    auth.login(setup.moderator)
    response = client.post(_assess(setup), data=_answers(
        setup, setup.programme.host_organisation_id, feel_safe="agree"))
    assert response.status_code == 400
    assert _scores(setup) == []


def test_the_dashboard_links_the_self_assessment_while_the_round_takes_it(client, auth, setup):
    auth.login(setup.moderator)
    assert "/rounds/1/self-assessment" in client.get(_page(setup, "")).get_data(as_text=True)



def test_the_rounds_staff_page_links_the_self_assessment(client, auth, setup):
    auth.login(setup.partner_host)
    html = client.get(f"/manage/consultations/{setup.round.slug}").get_data(as_text=True)
    assert _assess(setup) in html


def test_an_edit_keeps_a_link_to_a_theme_no_longer_computed(client, auth, setup):
    theme = plan.Link(LinkKind.THEME, consultation_id=setup.round.id, key="0123456789ab")
    commitment = plan.create_commitment(setup.programme, plan.CommitmentState(
        {("title", "en"): "Lights"}, "City works", None, _status(setup, "planned"), 0),
        [theme], {}, None)
    db.session.commit()
    auth.login(setup.planner)
    page = client.get(_page(setup, f"/commitments/{commitment.id}")).get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*value="{setup.round.id}:0123456789ab"', page)
    response = client.post_form(_page(setup, f"/commitments/{commitment.id}"), _form(
        setup, title__en="Lights", title__fr="", description__en="", due_on="",
        themes=[f"{setup.round.id}:0123456789ab"], note__en="Ordered."))
    assert response.status_code == 302
    db.session.refresh(commitment)
    assert [(link.kind, link.key) for link in commitment.links] == [
        (LinkKind.THEME, "0123456789ab")]
    last = plan.timelines([commitment.id])[commitment.id][-1]
    assert last.changed_parts == [] and last.texts["note"] == {"en": "Ordered."}
