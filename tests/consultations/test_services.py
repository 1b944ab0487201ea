"""Consultation services: texts per language, sections, lifecycle, partners."""
import pytest

from consult.consultations import services
from consult.consultations.lifecycle import ALLOWS, TRANSITIONS, State, allows
from consult.extensions import db


def test_texts_are_stored_per_field_and_language_with_fallback(make_consultation):
    consultation = make_consultation(languages=("fr", "en"), texts={
        ("title", "fr"): "Des rues plus sûres", ("title", "en"): "Safer streets",
        ("summary", "fr"): "Un résumé"})
    assert consultation.text("title", "en").text == "Safer streets"
    summary = consultation.text("summary", "en")
    assert (summary.text, summary.language, summary.is_fallback) == ("Un résumé", "fr", True)


def test_clearing_a_translation_removes_it(make_consultation):
    consultation = make_consultation(languages=("en", "fr"))
    services.set_texts(consultation, {("title", "fr"): "  "})
    db.session.commit()
    assert "fr" not in consultation.texts_for("title")


def test_unknown_field_is_refused(make_consultation):
    with pytest.raises(KeyError):
        make_consultation().set_text("colour", "en", "blue")


def test_default_language_is_listed_first(make_org, app):
    consultation = services.create_consultation(make_org(), "c", "fr", ["en", "fr", "ar", "en"])
    assert consultation.languages == ["fr", "en", "ar"]


def test_sections_keep_their_url_number_when_reordered_or_deleted(make_consultation):
    consultation = make_consultation(sections=3)
    first, second, third = consultation.sections
    services.move_section(third, -1)
    services.delete_section(first)
    db.session.commit()
    assert [(s.number, s.position) for s in consultation.sections] == [(3, 1), (2, 2)]
    added = services.add_section(consultation, {("title", "en"): "Fourth"})
    assert (added.number, added.position) == (4, 3)


def test_moving_past_either_end_changes_nothing(make_consultation):
    consultation = make_consultation(sections=2)
    services.move_section(consultation.sections[0], -1)
    services.move_section(consultation.sections[1], +1)
    assert [s.number for s in consultation.sections] == [1, 2]


@pytest.mark.parametrize("start,action,end", [
    (State.DRAFT, "open", State.OPEN), (State.OPEN, "close", State.CLOSED),
    (State.CLOSED, "reopen", State.OPEN), (State.CLOSED, "publish_results",
                                           State.RESULTS_PUBLISHED)])
def test_allowed_transitions(make_consultation, start, action, end):
    consultation = make_consultation(state=start)
    assert services.change_state(consultation, action) is end


@pytest.mark.parametrize("start,action", [
    (State.DRAFT, "close"), (State.OPEN, "publish_results"), (State.RESULTS_PUBLISHED, "open"),
    (State.OPEN, "delete")])
def test_refused_transitions_leave_the_state_alone(make_consultation, start, action):
    consultation = make_consultation(state=start)
    with pytest.raises(services.TransitionError):
        services.change_state(consultation, action)
    assert consultation.state is start


def test_opening_records_the_opening_day(make_consultation):
    import datetime as dt

    consultation = make_consultation(state=State.DRAFT)
    services.change_state(consultation, "open")
    assert consultation.opens_on == dt.date.today()


def test_lifecycle_table_covers_every_state():
    assert set(ALLOWS) == set(State)
    assert {s for pair in TRANSITIONS for s in pair} == set(State)
    assert allows(State.OPEN, "respond") and not allows(State.CLOSED, "respond")
    assert allows(State.DRAFT, "edit_structure") and not allows(State.OPEN, "edit_structure")


def test_host_is_never_its_own_partner(make_consultation, make_org):
    consultation = make_consultation()
    partner = make_org()
    services.set_partners(consultation, [consultation.host, partner])
    assert consultation.partners == [partner]


def test_translation_progress_counts_fields_per_language(make_consultation):
    consultation = make_consultation(languages=("en", "fr"), sections=1, texts={
        ("title", "en"): "T", ("summary", "en"): "S", ("title", "fr"): "T fr"})
    # written: consultation title+summary, section title+body = 4; fr has both titles.
    assert services.translation_progress(consultation) == {"en": (4, 4), "fr": (2, 4)}


def test_slugs_are_ascii_and_unique(make_consultation, app):
    assert services.slugify("Sécurité à Port-Amani!") == "securite-a-port-amani"
    assert services.slugify("مدينة آمنة").startswith("consultation-")
    consultation = make_consultation()
    assert services.unique_slug(consultation.slug) == consultation.slug + "-2"


def test_listed_consultations_hide_unlisted_and_drafts(make_consultation):
    from consult.consultations.lifecycle import Visibility

    listed = make_consultation()
    make_consultation(visibility=Visibility.UNLISTED)
    make_consultation(state=State.DRAFT)
    assert services.listed_consultations((State.OPEN,)) == [listed]
