"""Participant pages: home, a consultation, one section."""
from consult.consultations.lifecycle import State, Visibility


def test_home_lists_open_consultations_in_the_readers_language(client, make_consultation):
    consultation = make_consultation(texts={("title", "en"): "Safer streets",
                                            ("title", "fr"): "Des rues plus sûres"})
    make_consultation(state=State.DRAFT, texts={("title", "en"): "Secret draft"})
    make_consultation(visibility=Visibility.UNLISTED, texts={("title", "en"): "Unlisted one"})
    html = client.get("/?lang=fr").get_data(as_text=True)
    assert "Des rues plus sûres" in html and f"/consultations/{consultation.slug}" in html
    assert "Secret draft" not in html and "Unlisted one" not in html


def test_unlisted_consultation_is_reachable_by_its_link(client, make_consultation):
    consultation = make_consultation(visibility=Visibility.UNLISTED)
    assert client.get(f"/consultations/{consultation.slug}").status_code == 200


def test_consultation_page_shows_every_section_in_order(client, make_consultation):
    consultation = make_consultation(sections=3)
    html = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    positions = [html.index(f"Section {n} [en]</h2>") for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert "Body of section 2." in html
    assert 'href="#section-2"' in html


def test_section_page(client, make_consultation):
    consultation = make_consultation(sections=2)
    html = client.get(f"/consultations/{consultation.slug}/sections/2?lang=fr").get_data(
        as_text=True)
    assert "<h1>Section 2 [fr]</h1>" in html
    assert client.get(f"/consultations/{consultation.slug}/sections/9").status_code == 404


def test_draft_is_404_for_the_public(client, make_consultation):
    consultation = make_consultation(state=State.DRAFT)
    assert client.get(f"/consultations/{consultation.slug}").status_code == 404


def test_host_text_is_escaped(client, make_consultation):
    consultation = make_consultation(texts={("title", "en"): "<script>alert(1)</script>"})
    html = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_consultation_page_html_and_css_weigh_under_40_kb(client, make_consultation):
    long_text = "A realistic paragraph of the proposal, about eighty characters long here. " * 6
    consultation = make_consultation(sections=5, texts={
        ("title", "en"): "Community safety pilot", ("summary", "en"): long_text,
        ("body", "en"): long_text})
    html = client.get(f"/consultations/{consultation.slug}").data
    with client.get("/static/consult.css") as css:
        total = len(html) + len(css.data)
    assert total < 40 * 1024, total


def test_cached_page_shows_a_change_made_by_another_worker(app, client, make_consultation):
    from consult.consultations.services import change_state, set_texts
    from consult.extensions import db

    consultation = make_consultation(texts={("title", "en"): "Old title"})
    assert "Old title" in client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    set_texts(consultation, {("title", "en"): "New title"})
    change_state(consultation, "close")
    db.session.commit()
    html = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "New title" in html and "Old title" not in html and "Closed" in html


def test_draft_preview_is_never_served_from_the_cache_to_the_public(
        client, auth, make_user, make_consultation):
    from consult.accounts.models import Role
    from consult.consultations.services import change_state
    from consult.extensions import db

    consultation = make_consultation(state=State.DRAFT)
    auth.login(make_user(consultation.host, Role.HOST))
    assert "Preview" in client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    auth.logout()
    assert client.get(f"/consultations/{consultation.slug}").status_code == 404
    change_state(consultation, "open")
    db.session.commit()
    assert "Preview" not in client.get(f"/consultations/{consultation.slug}").get_data(
        as_text=True)
