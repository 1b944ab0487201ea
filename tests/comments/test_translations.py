"""Reviewed translations of comments for staff; machine translation off unless configured."""
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from consult.accounts.models import Role
from consult.comments.translations import CommentTranslation
from consult.extensions import db
from consult.machine_translation import LibreTranslate

SWAHILI = "Taa za barabarani karibu na soko zimeharibika kwa miezi mingi sasa."


class EchoTranslator:
    """A stand-in translator configured as tests.comments.test_translations:echo_translator."""

    name = "Echo"

    def translate(self, text, source, target):
        return f"[{source}->{target}] {text}"


def echo_translator(config):
    return EchoTranslator()


@pytest.fixture
def moderated(consultation, make_comment, make_user, auth):
    """A Swahili comment, and a moderator of the host signed in."""
    comment = make_comment(consultation, body=SWAHILI, language="sw")
    moderator = make_user(consultation.host, Role.MODERATOR)
    auth.login(moderator)
    return consultation, comment, moderator


def _translate_url(consultation, comment):
    return f"/manage/consultations/{consultation.slug}/comments/{comment.id}/translation"


def test_a_moderator_adds_a_translation_and_the_original_stays(client, moderated):
    consultation, comment, moderator = moderated
    page = client.get(_translate_url(consultation, comment)).get_data(as_text=True)
    assert f'<blockquote lang="sw" dir="auto"><p>{SWAHILI}</p></blockquote>' in page
    assert "machine draft" not in page  # no translator configured: no button
    response = client.post_form(_translate_url(consultation, comment), {
        "language": "en", "body": "The street lights near the market have been broken for "
                                  "months now.", "action": "save"})
    assert response.status_code == 302
    listing = client.get(f"/manage/consultations/{consultation.slug}/comments")
    html = listing.get_data(as_text=True)
    assert SWAHILI in html and "The street lights near the market" in html
    saved = db.session.scalars(db.select(CommentTranslation)).one()
    assert saved.reviewed_by_id == moderator.id and not saved.machine_assisted
    db.session.refresh(comment)
    assert comment.body == SWAHILI and comment.language == "sw"


def test_saving_again_replaces_the_translation_into_that_language(client, moderated):
    consultation, comment, _ = moderated
    for body in ("First try.", "Second, better try."):
        client.post_form(_translate_url(consultation, comment),
                         {"language": "fr", "body": body, "action": "save"})
    assert [t.body for t in db.session.scalars(db.select(CommentTranslation))] == [
        "Second, better try."]


def test_an_empty_translation_gets_a_field_error(client, moderated):
    consultation, comment, _ = moderated
    response = client.post_form(_translate_url(consultation, comment),
                                {"language": "en", "body": "  ", "action": "save"})
    assert response.status_code == 422
    assert 'id="body-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CommentTranslation.id))) == 0


def test_a_language_outside_the_choices_is_refused(client, moderated):
    consultation, comment, _ = moderated
    response = client.post_form(_translate_url(consultation, comment),
                                {"language": "sw", "body": "x", "action": "save"})
    assert response.status_code == 422


def test_who_may_translate(client, app, consultation, make_comment, make_user, make_org, auth):
    comment = make_comment(consultation, body=SWAHILI, language="sw")
    url = _translate_url(consultation, comment)
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    auth.login(make_user(make_org("elsewhere"), Role.HOST))
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login(make_user(consultation.host, Role.PLANNER))
    assert client.get(url).status_code == 200


def test_machine_translation_makes_no_outside_call_by_default(client, moderated, monkeypatch):
    consultation, comment, _ = moderated

    def refuse(*args, **kwargs):
        raise AssertionError("no network call may be made")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    response = client.post_form(_translate_url(consultation, comment),
                                {"language": "en", "body": "", "action": "suggest"})
    assert response.status_code == 422  # treated as an (empty) save: nothing suggested


def test_a_configured_translator_gives_a_draft_that_is_saved_only_when_reviewed(
        app, client, moderated):
    consultation, comment, _ = moderated
    app.config["MACHINE_TRANSLATOR"] = "tests.comments.test_translations:echo_translator"
    page = client.post_form(_translate_url(consultation, comment),
                            {"language": "en", "body": "", "action": "suggest"})
    html = page.get_data(as_text=True)
    assert f"[sw-&gt;en] {SWAHILI}" in html and 'name="machine_assisted" value="1"' in html
    assert db.session.scalar(db.select(db.func.count(CommentTranslation.id))) == 0
    client.post_form(_translate_url(consultation, comment), {
        "language": "en", "body": "Street lights near the market are broken.",
        "machine_assisted": "1", "action": "save"})
    assert db.session.scalars(db.select(CommentTranslation)).one().machine_assisted


def test_the_libretranslate_adapter_speaks_its_protocol():
    received = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.update(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            body = json.dumps({"translatedText": "Hello"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.handle_request, daemon=True).start()
    translator = LibreTranslate({"MACHINE_TRANSLATION_URL": f"http://127.0.0.1:"
                                 f"{server.server_port}/", "MACHINE_TRANSLATION_API_KEY": "k"})
    assert translator.translate("Habari", "sw", "en") == "Hello"
    assert received == {"q": "Habari", "source": "sw", "target": "en", "format": "text",
                        "api_key": "k"}
    server.server_close()
