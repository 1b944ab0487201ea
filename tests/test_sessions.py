"""Sessions end when idle or too old, and quick exit forgets everything."""
import time

from consult.accounts.participants import KEY


def _age_session(client, **seconds):
    with client.session_transaction() as session:
        for key, delta in seconds.items():
            session[key] = int(time.time()) - delta


def test_session_is_cleared_after_30_idle_minutes(client):
    client.post_form("/codename")
    _age_session(client, _seen=31 * 60)
    client.get("/")
    with client.session_transaction() as session:
        assert KEY not in session


def test_session_survives_short_pauses(client):
    client.post_form("/codename")
    _age_session(client, _seen=10 * 60)
    client.get("/")
    with client.session_transaction() as session:
        assert KEY in session


def test_session_is_cleared_after_12_hours_even_when_active(client):
    client.post_form("/codename")
    _age_session(client, _born=12 * 3600 + 5, _seen=10)
    client.get("/")
    with client.session_transaction() as session:
        assert KEY not in session


def test_reading_without_taking_part_sets_no_session_cookie(client, make_consultation):
    consultation = make_consultation()
    response = client.get(f"/consultations/{consultation.slug}")
    assert "consult_session" not in response.headers.get("Set-Cookie", "")


def test_quick_exit_forgets_the_session_and_leaves_for_a_neutral_site(client, app):
    client.post_form("/codename")
    response = client.get("/exit")
    assert response.status_code == 302
    assert response.headers["Location"] == app.config["QUICK_EXIT_URL"]
    assert '"cookies"' in response.headers["Clear-Site-Data"]
    with client.session_transaction() as session:
        assert KEY not in session


def test_quick_exit_link_is_on_every_participant_page(client, make_consultation):
    consultation = make_consultation()
    for url in ("/", f"/consultations/{consultation.slug}",
                f"/consultations/{consultation.slug}/sections/1", "/codename", "/receipt",
                "/no-such-page"):
        assert 'class="exit" href="/exit"' in client.get(url).get_data(as_text=True), url
