"""Language choice, right-to-left layout and fallback of host-written text."""
import pytest

from consult.i18n import language_name, pick_text, text_direction


def test_lang_parameter_wins_and_is_remembered_in_a_cookie(client):
    response = client.get("/?lang=fr", headers={"Accept-Language": "es"})
    assert '<html lang="fr" dir="ltr">' in response.get_data(as_text=True)
    assert "consult_lang=fr" in response.headers["Set-Cookie"]
    assert '<html lang="fr"' in client.get("/", headers={"Accept-Language": "es"}).get_data(
        as_text=True)


def test_accept_language_is_used_without_parameter_or_cookie(client):
    html = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es"' in html


def test_default_language_when_nothing_matches(client):
    html = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html


def test_unknown_lang_parameter_is_ignored_and_not_stored(client):
    response = client.get("/?lang=xx")
    assert '<html lang="en"' in response.get_data(as_text=True)
    assert "consult_lang" not in response.headers.get("Set-Cookie", "")


def test_arabic_pages_are_right_to_left(client):
    html = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_language_switcher_links_keep_the_page_and_name_each_language_in_itself(
        client, make_consultation):
    consultation = make_consultation(languages=("en", "fr", "ar", "sw"))
    html = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert f'href="/consultations/{consultation.slug}?lang=ar" lang="ar"' in html
    assert ">العربية<" in html and ">Français<" in html and ">Kiswahili<" in html


@pytest.mark.parametrize("code,direction", [("ar", "rtl"), ("en", "ltr"), ("sw", "ltr"),
                                            ("zz-invalid", "ltr")])
def test_text_direction(code, direction):
    assert text_direction(code) == direction


def test_language_name_is_the_autonym():
    assert language_name("fr") == "Français"
    assert language_name("es") == "Español"


def test_pick_text_falls_back_to_the_default_language_and_says_so():
    texts = {"en": "Hello", "fr": "Bonjour"}
    assert pick_text(texts, "fr", "en").text == "Bonjour"
    fallback = pick_text(texts, "ar", "en")
    assert (fallback.text, fallback.language, fallback.is_fallback) == ("Hello", "en", True)
    assert pick_text({"fr": "Bonjour"}, "ar", "en").language == "fr"
    assert pick_text({}, "ar", "en").text == ""


def test_missing_translation_is_shown_in_the_default_language_with_its_lang(
        client, make_consultation):
    consultation = make_consultation(
        languages=("en", "ar"), texts={("title", "en"): "Safer streets"})
    html = client.get(f"/consultations/{consultation.slug}?lang=ar").get_data(as_text=True)
    assert '<h1><span lang="en" dir="ltr" class="fallback">Safer streets</span></h1>' in html


def test_translated_text_is_shown_in_the_readers_language(client, make_consultation):
    consultation = make_consultation(texts={("title", "en"): "Safer streets",
                                            ("title", "fr"): "Des rues plus sûres"})
    html = client.get(f"/consultations/{consultation.slug}?lang=fr").get_data(as_text=True)
    assert "<h1>Des rues plus sûres</h1>" in html


def test_dates_are_formatted_for_the_readers_locale(client, make_consultation):
    import datetime as dt

    consultation = make_consultation(closes_on=dt.date(2027, 3, 5))
    assert "5 mars 2027" in client.get(f"/consultations/{consultation.slug}?lang=fr").get_data(
        as_text=True)


def test_a_short_notice_says_when_parts_are_not_translated(client, make_consultation):
    consultation = make_consultation(languages=("en", "ar"), texts={
        ("title", "en"): "Safer streets", ("title", "ar"): "شوارع أكثر أمانًا"})
    # The sections have an English body and no Arabic one.
    arabic = client.get(f"/consultations/{consultation.slug}?lang=ar").get_data(as_text=True)
    english = client.get(f"/consultations/{consultation.slug}?lang=en").get_data(as_text=True)
    assert 'role="note"' in arabic and 'role="note"' not in english


@pytest.mark.parametrize("header,expected", [("pt-BR,pt;q=0.9", "pt"), ("fr-CA", "fr"),
                                             ("de,sw;q=0.8,en;q=0.3", "sw")])
def test_accept_language_falls_back_from_region_and_follows_quality(client, header, expected):
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}"' in html


def test_consultation_pages_offer_only_the_consultations_languages(client, make_consultation):
    consultation = make_consultation(languages=("fr", "ar"))
    html = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    switcher = html.split('<nav class="langs"')[1].split("</nav>")[0]
    assert 'lang="fr"' in switcher and 'lang="ar"' in switcher and 'lang="en"' not in switcher
    section = client.get(f"/consultations/{consultation.slug}/sections/1").get_data(as_text=True)
    assert 'lang="en"' not in section.split('<nav class="langs"')[1].split("</nav>")[0]


def test_consultation_default_language_is_the_last_resort(client, make_consultation):
    consultation = make_consultation(languages=("fr", "ar"))
    html = client.get(f"/consultations/{consultation.slug}",
                      headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="fr"' in html


def test_a_remembered_language_the_consultation_lacks_is_not_used_there(
        client, make_consultation):
    consultation = make_consultation(languages=("fr", "ar"))
    client.get("/?lang=sw")
    html = client.get(f"/consultations/{consultation.slug}",
                      headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<html lang="sw"' in client.get("/").get_data(as_text=True)


def test_languages_are_discovered_from_the_catalogs(app):
    assert app.config["LANGUAGES"][0] == "en"
    assert set(app.config["LANGUAGES"]) == {"en", "fr", "es", "pt", "ar", "sw"}


def test_a_configured_language_without_catalog_stops_start_up(tmp_path, monkeypatch):
    from consult import create_app

    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="no catalog for 'de'"):
        create_app({"SECRET_KEY": "k", "LANGUAGES": ["en", "de"]})


def test_staff_see_language_names_in_their_own_language(client, auth, make_user, make_org):
    from consult.accounts.models import Role

    auth.login(make_user(make_org(), Role.HOST))
    html = client.get("/manage/consultations/new?lang=fr").get_data(as_text=True)
    assert "anglais" in html.lower() and "swahili" in html.lower()


def test_theme_terms_are_listed_in_the_readers_way_each_isolated_and_escaped(app):
    from consult.main.templating import join_list

    with app.test_request_context("/?lang=ar"):
        listed = str(join_list(["des", "bus", "<b>x</b>"], isolate=True))
    assert listed.count("<bdi>") == 3 and "&lt;b&gt;x&lt;/b&gt;" in listed
    assert "، " in listed or " و" in listed  # the Arabic list separators
