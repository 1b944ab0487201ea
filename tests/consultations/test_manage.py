"""Host pages: create and edit in several languages, sections, partners, lifecycle."""
import pytest

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.consultations.models import Consultation
from consult.consultations.services import get_consultation
from consult.extensions import db


@pytest.fixture
def host(make_org, make_user, auth):
    """A signed-in host of organisation 'coastal'."""
    organisation = make_org("coastal")
    user = make_user(organisation, Role.HOST)
    auth.login(user)
    return organisation


def _create_form(**changes):
    data = {"host": "1", "slug": "", "default_language": "en", "languages": ["en", "fr", "ar"],
            "moderation_mode": "pre", "participation_mode": "codename", "visibility": "public",
            "min_cell_size": "10", "opens_on": "2027-01-10", "closes_on": "2027-02-10",
            "title__en": "Safer Port Amani", "title__fr": "Port Amani plus sûr",
            "title__ar": "ميناء أماني أكثر أمانًا", "summary__en": "A pilot."}
    data.update(changes)
    return data


def test_create_page_shows_every_language_side_by_side(client, host):
    html = client.get("/manage/consultations/new").get_data(as_text=True)
    for code in ("en", "fr", "es", "pt", "ar", "sw"):
        assert f'<fieldset class="lang-column" data-lang="{code}">' in html
    assert 'dir="rtl" id="title__ar" lang="ar"' in html
    assert 'for="title__fr"' in html


def test_host_creates_a_draft_in_three_languages(client, host):
    response = client.post_form("/manage/consultations/new", _create_form())
    assert response.status_code == 302
    consultation = get_consultation("safer-port-amani")
    assert consultation.state is State.DRAFT and consultation.languages == ["en", "fr", "ar"]
    assert consultation.text("title", "ar").text == "ميناء أماني أكثر أمانًا"
    assert consultation.moderation_mode.value == "pre" and consultation.min_cell_size == 10
    assert response.headers["Location"] == "/manage/consultations/safer-port-amani"


def test_texts_of_languages_not_offered_are_not_stored(client, host):
    client.post_form("/manage/consultations/new", _create_form(title__es="No ofrecido"))
    assert "es" not in get_consultation("safer-port-amani").texts_for("title")


@pytest.mark.parametrize("changes,field", [
    ({"title__en": ""}, "title__en"),
    ({"closes_on": "2027-01-01"}, "closes_on"),
    ({"default_language": "es"}, "languages"),
    ({"min_cell_size": "2"}, "min_cell_size"),
    ({"slug": "Not A Slug"}, "slug"),
    ({"languages": []}, "languages"),
])
def test_invalid_consultation_is_refused_with_an_error_on_the_field(client, host, changes,
                                                                     field):
    response = client.post_form("/manage/consultations/new", _create_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and f'href="#{field}"' in html
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def test_taken_slug_is_refused(client, host, make_consultation):
    taken = make_consultation(host=host)
    response = client.post_form("/manage/consultations/new", _create_form(slug=taken.slug))
    assert 'id="slug-error"' in response.get_data(as_text=True)


def test_host_cannot_create_for_another_organisation(client, host, make_org):
    other = make_org("other")
    response = client.post_form("/manage/consultations/new", _create_form(host=str(other.id)))
    assert response.status_code == 422 and 'id="host-error"' in response.get_data(as_text=True)


def test_edit_shows_offered_languages_and_saves_changes(client, host, make_consultation):
    consultation = make_consultation(host=host, state=State.DRAFT, languages=("en", "fr"))
    html = client.get(f"/manage/consultations/{consultation.slug}/edit").get_data(as_text=True)
    assert 'name="title__fr"' in html and 'name="title__ar"' not in html
    assert f'value="{consultation.text("title", "fr").text}"' in html
    response = client.post_form(f"/manage/consultations/{consultation.slug}/edit", _create_form(
        languages=["en", "fr"], title__en="New title", title__fr="Nouveau titre"))
    assert response.status_code == 302
    db.session.expire_all()
    assert consultation.text("title", "fr").text == "Nouveau titre"


def test_ticking_a_new_language_shows_its_column_when_the_form_comes_back(
        client, host, make_consultation):
    consultation = make_consultation(host=host, languages=("en",))
    html = client.post_form(f"/manage/consultations/{consultation.slug}/edit", _create_form(
        languages=["en", "sw"], default_language="sw", title__en="T")).get_data(as_text=True)
    assert 'name="title__sw"' in html and 'id="title__sw-error"' in html


def test_sections_added_edited_reordered_and_deleted(client, host, make_consultation):
    consultation = make_consultation(host=host, state=State.DRAFT, sections=0,
                                     languages=("en", "ar"))
    slug = consultation.slug
    base = f"/manage/consultations/{slug}/sections"
    for title in ("First", "Second"):
        assert client.post_form(f"{base}/new", {"title__en": title, "body__en": "Text",
                                                "title__ar": "عنوان"}).status_code == 302
    client.post_form(f"{base}/2/edit", {"title__en": "Second, edited"})
    client.post_form(f"{base}/2/up")
    client.post_form(f"{base}/1/delete")
    db.session.expire_all()
    assert [(s.number, s.text("title", "en").text) for s in consultation.sections] == [
        (2, "Second, edited")]


def test_section_needs_a_title_in_the_default_language(client, host, make_consultation):
    consultation = make_consultation(host=host, state=State.DRAFT, sections=0)
    response = client.post_form(f"/manage/consultations/{consultation.slug}/sections/new",
                                {"title__fr": "Seulement en français"})
    assert 'id="title__en-error"' in response.get_data(as_text=True)


def test_structure_is_frozen_once_open(client, host, make_consultation):
    consultation = make_consultation(host=host, state=State.OPEN, sections=2)
    response = client.post_form(f"/manage/consultations/{consultation.slug}/sections/1/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert len(consultation.sections) == 2


def test_partners_are_chosen_from_other_organisations(client, host, make_consultation,
                                                      make_org):
    consultation = make_consultation(host=host)
    council = make_org("council")
    html = client.get(f"/manage/consultations/{consultation.slug}/partners").get_data(
        as_text=True)
    assert "Organisation" in html and f'value="{host.id}"' not in html
    client.post_form(f"/manage/consultations/{consultation.slug}/partners",
                     {"partners": [str(council.id)]})
    db.session.expire_all()
    assert consultation.partners == [council]


def test_open_close_and_publish_from_the_dashboard(client, host, make_consultation):
    consultation = make_consultation(host=host, state=State.DRAFT)
    url = f"/manage/consultations/{consultation.slug}/state"
    for action, state in [("open", State.OPEN), ("close", State.CLOSED),
                          ("publish_results", State.RESULTS_PUBLISHED)]:
        client.post_form(url, {"action": action})
        db.session.expire_all()
        assert consultation.state is state


def test_a_consultation_without_sections_cannot_open(client, host, make_consultation):
    consultation = make_consultation(host=host, state=State.DRAFT, sections=0)
    response = client.post_form(f"/manage/consultations/{consultation.slug}/state",
                                {"action": "open"}, follow_redirects=True)
    assert "at least one section" in response.get_data(as_text=True)
    db.session.expire_all()
    assert consultation.state is State.DRAFT


def test_dashboard_shows_translation_progress(client, host, make_consultation):
    consultation = make_consultation(host=host, languages=("en", "fr"), sections=1, texts={
        ("title", "en"): "T", ("title", "fr"): "T"})
    html = client.get(f"/manage/consultations/{consultation.slug}").get_data(as_text=True)
    assert "3 of 3" in html and "2 of 3" in html


def test_host_of_another_organisation_cannot_see_or_change_a_draft(
        client, auth, make_user, make_org, make_consultation):
    draft = make_consultation(host=make_org("a"), state=State.DRAFT)
    auth.login(make_user(make_org("b"), Role.HOST))
    for url in (f"/manage/consultations/{draft.slug}", f"/manage/consultations/{draft.slug}/edit",
                f"/consultations/{draft.slug}"):
        assert client.get(url).status_code == 404, url
    assert client.post_form(f"/manage/consultations/{draft.slug}/state",
                            {"action": "open"}).status_code == 404
    assert draft.slug not in client.get("/manage/").get_data(as_text=True)
    db.session.expire_all()
    assert draft.state is State.DRAFT


def test_index_lists_only_my_organisations_consultations(client, host, make_consultation,
                                                         make_org):
    mine = make_consultation(host=host)
    theirs = make_consultation(host=make_org())
    html = client.get("/manage/").get_data(as_text=True)
    assert mine.slug in html and theirs.slug not in html


def test_a_draft_can_take_a_new_web_address_but_an_open_one_keeps_its_own(
        client, host, make_consultation):
    draft = make_consultation(host=host, state=State.DRAFT, languages=("en",))
    response = client.post_form(f"/manage/consultations/{draft.slug}/edit", _create_form(
        languages=["en"], slug="port-amani-2027"))
    assert response.headers["Location"] == "/manage/consultations/port-amani-2027"
    opened = make_consultation(host=host, state=State.OPEN, languages=("en",))
    client.post_form(f"/manage/consultations/{opened.slug}/edit", _create_form(
        languages=["en"], slug="something-else"))
    db.session.expire_all()
    assert get_consultation("something-else") is None and opened.slug.startswith("consultation-")


def test_a_draft_cannot_take_a_web_address_already_in_use(client, host, make_consultation):
    draft = make_consultation(host=host, state=State.DRAFT, languages=("en",))
    other = make_consultation(host=host, languages=("en",))
    response = client.post_form(f"/manage/consultations/{draft.slug}/edit", _create_form(
        languages=["en"], slug=other.slug))
    assert 'id="slug-error"' in response.get_data(as_text=True)


def test_built_in_form_messages_are_translated_even_where_wtforms_has_no_catalog(client, host):
    from tests.conftest import translated

    response = client.post_form("/manage/consultations/new?lang=sw",
                                _create_form(min_cell_size="many", opens_on="soon"))
    html = response.get_data(as_text=True)
    assert translated("sw", "Not a valid integer value.") in html
    assert translated("sw", "Not a valid date value.") in html
