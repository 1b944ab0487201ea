"""Staff actions on consultations, surveys, themes, watched words and "you said, we did" land
in the audit log, filed under the consultation's host organisation, with what changed."""
from types import SimpleNamespace as Spec

import pytest

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.summaries.planner_responses import PlannerResponse
from consult.surveys import services as surveys
from tests.surveys.specs import options, question


@pytest.fixture
def host(make_org, make_user, auth):
    """A signed-in host of organisation 'coastal', and a partner organisation."""
    organisation = make_org("coastal")
    user = make_user(organisation, Role.HOST)
    auth.login(user)
    return Spec(organisation=organisation, user=user, partner=make_org("harbour-partner"))


@pytest.fixture
def draft(host, make_consultation):
    """A draft of the host's, in English and French, with a one-page survey."""
    consultation = make_consultation(host=host.organisation, state=State.DRAFT,
                                     languages=("en", "fr"))
    surveys.replace_survey(consultation, [Spec(key="you", labels={"en": "About you"}, questions=[
        question("role", "single_choice", options=options("trader", "youth"))])])
    db.session.commit()
    return consultation


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action=action)
                                   .order_by(AuditEntry.id)))


def _one(action: str, host) -> AuditEntry:
    """The only entry of action, checked to be the host's, by the signed-in host."""
    found = _entries(action)
    assert len(found) == 1, f"{action}: {[(e.target, e.detail) for e in found]}"
    entry = found[0]
    assert entry.organisation_id == host.organisation.id and entry.actor_id == host.user.id
    return entry


def _edit_form(consultation, **changes):
    data = {"host": str(consultation.host_organisation_id), "slug": consultation.slug,
            "default_language": "en", "languages": ["en", "fr"], "moderation_mode": "post",
            "participation_mode": "anonymous", "visibility": "public", "min_cell_size": "10",
            "time_zone": "UTC", "title__en": "Safer Port Amani", "title__fr": "Port plus sûr"}
    return {**data, **changes}


def test_creating_a_consultation_is_recorded(client, host):
    client.post_form("/manage/consultations/new", _edit_form(
        Spec(host_organisation_id=host.organisation.id, slug="")))
    entry = _one("consultation.created", host)
    assert entry.target == "safer-port-amani" and entry.consultation_id is not None
    assert "languages: - -> en, fr" in entry.detail


def test_an_edit_names_the_fields_changed_and_k_and_moderation_get_entries(client, host,
                                                                            draft):
    client.post_form(f"/manage/consultations/{draft.slug}/edit", _edit_form(draft))
    db.session.expire_all()
    baseline = len(_entries("consultation.edited"))
    client.post_form(f"/manage/consultations/{draft.slug}/edit", _edit_form(
        draft, min_cell_size="15", moderation_mode="pre", closes_on="2027-03-01",
        title__fr="Un port plus sûr", summary__en="A pilot for the port."))
    edited = _entries("consultation.edited")[baseline:]
    assert len(edited) == 1 and edited[0].organisation_id == host.organisation.id
    assert edited[0].detail == "closes_on: - -> 2027-03-01; summary (en); title (fr)"
    assert "Un port" not in edited[0].detail  # texts are named, never copied
    assert _one("consultation.min_cell_size_changed", host).detail == "10 -> 15"
    assert _one("consultation.moderation_changed", host).detail == "post -> pre"


def test_an_edit_that_changes_nothing_adds_no_entry(client, host, draft):
    client.post_form(f"/manage/consultations/{draft.slug}/edit", _edit_form(draft))
    before = len(_entries("consultation.edited"))
    client.post_form(f"/manage/consultations/{draft.slug}/edit", _edit_form(draft))
    assert len(_entries("consultation.edited")) == before


def test_state_changes_and_publishing_results_are_recorded_from_and_to(client, host, draft):
    base = f"/manage/consultations/{draft.slug}/state"
    for action in ("open", "close", "publish_results"):
        assert client.post_form(base, {"action": action}).status_code == 302
    changes = [e.detail for e in _entries("consultation.state_changed")]
    assert changes == ["draft -> open", "open -> closed"]
    assert _one("consultation.results_published", host).detail == "closed -> results_published"


def test_a_refused_state_change_is_not_recorded(client, host, draft):
    client.post_form(f"/manage/consultations/{draft.slug}/state", {"action": "close"})
    assert _entries("consultation.state_changed") == []


def test_partner_changes_are_recorded_by_name(client, host, draft):
    client.post_form(f"/manage/consultations/{draft.slug}/partners",
                     {"partners": [str(host.partner.id)], "moderators": [str(host.partner.id)]})
    detail = _one("consultation.partners_changed", host).detail
    assert detail == (f"partners: - -> {host.partner.name}; "
                      f"moderating: - -> {host.partner.name}")


def test_section_edits_are_recorded(client, host, draft):
    base = f"/manage/consultations/{draft.slug}/sections"
    client.post_form(f"{base}/new", {"title__en": "Lights", "body__fr": "Des lampes"})
    client.post_form(f"{base}/3/edit", {"title__en": "Lights", "title__fr": "Lumières"})
    client.post_form(f"{base}/3/up")
    client.post_form(f"{base}/1/delete")
    assert _one("section.added", host).target == "section 3"
    assert _one("section.edited", host).detail == "body (fr); title (fr)"
    assert _one("section.moved", host).detail == "up"
    assert _one("section.deleted", host).target == "section 1"


def test_survey_edits_are_recorded_by_question_key(client, host, draft):
    base = f"/manage/consultations/{draft.slug}/survey"
    client.post_form(f"{base}/pages/you/questions/new", {
        "key": "stall", "type": "short_text", "page": "you", "label__en": "Your stall?",
        "show_question": "", "show_op": "answered", "number_kind": "integer"})
    client.post_form(f"{base}/questions/stall/edit", {
        "key": "stall", "type": "short_text", "page": "you", "label__en": "Your stall?",
        "label__fr": "Votre étal ?", "required": "y", "show_question": "",
        "show_op": "answered", "number_kind": "integer"})
    client.post_form(f"{base}/questions/role/options/new", {"key": "fisher",
                                                            "label__en": "Fisher"})
    client.post_form(f"{base}/questions/stall/delete")
    added = _one("survey.question_added", host)
    assert added.target == "stall" and added.detail == "type: short_text; page: you"
    changed = [(e.target, e.detail) for e in _entries("survey.question_changed")]
    assert changed == [("stall", "required: False -> True; label (fr)"),
                       ("role", "option fisher added; label (en)")]
    assert _one("survey.question_removed", host).target == "stall"


def test_watched_words_added_and_removed_are_recorded(client, auth, make_user, host, draft):
    host.user = make_user(host.organisation, Role.MODERATOR)
    auth.logout()
    auth.login(host.user)
    client.post_form(f"/manage/consultations/{draft.slug}/moderation/words",
                     {"word": "scam", "language": "*", "action": "hold"})
    added = _one("watched_word.added", host)
    assert added.target == "scam" and added.detail == "language: *; action: hold"
    from consult.moderation.models import WatchedWord

    word = db.session.scalars(db.select(WatchedWord)).one()
    client.post_form(f"/manage/consultations/{draft.slug}/moderation/words/{word.id}/delete")
    assert _one("watched_word.removed", host).target == "scam"


def test_planner_responses_written_changed_published_and_deleted_are_recorded(client, host,
                                                                               draft):
    base = f"/manage/consultations/{draft.slug}/responses"
    form = {"topic": "", "decision": "under_study", "title__en": "Lights"}
    client.post_form(f"{base}/new", form)
    response = db.session.scalars(db.select(PlannerResponse)).one()
    client.post_form(f"{base}/{response.id}/edit", {**form, "decision": "adopted"})
    client.post_form(f"{base}/{response.id}/edit", {**form, "decision": "adopted"})  # same
    client.post_form(f"{base}/{response.id}/publish")
    client.post_form(f"{base}/{response.id}/delete")
    saved = [e.detail for e in _entries("planner_response.saved")]
    assert saved == ["new; decision: under_study; topic: -",
                     "decision: under_study -> adopted"]
    assert _entries("planner_response.saved")[0].target == f"{response.id}: Lights"
    for action in ("planner_response.published", "planner_response.deleted"):
        _one(action, host)


def test_theme_edits_are_recorded_without_the_themes_terms(client, auth, make_user,
                                                            make_consultation):
    from tests.analysis.test_themes import _corpus
    from tests.summaries.helpers import respond, survey_consultation
    from tests.summaries.test_theme_edits import SOURCE, _themes, _url

    consultation = survey_consultation(make_consultation, k=5)
    for text in _corpus(["en"], per_topic=30, seed=1)[0]:
        respond(consultation, {"ideas": text})
    planner = make_user(consultation.host, Role.PLANNER)
    auth.login(planner)
    theme = _themes(consultation)[0]
    client.post_form(_url(consultation, theme, "rename"), {"name__en": "Harbour works"})
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="theme.edited")).one()
    assert entry.organisation_id == consultation.host_organisation_id
    assert entry.actor_id == planner.id and entry.target == f"{SOURCE} {theme.key}"
    assert entry.detail == "rename: en"
    assert not any(term in entry.detail + entry.target for term in theme.terms)
