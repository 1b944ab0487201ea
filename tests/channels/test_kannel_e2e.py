"""End to end through a real Kannel: a phone's messages go from a fake SMSC (Kannel's `fake`
line protocol) through bearerbox and smsbox's get-url to Consult served by gunicorn, whose
replies go back through sendsms, smsbox and bearerbox to the fake SMSC. A full survey in
French and one in Arabic (UCS-2 both ways), then the database and the app's log are read.

Needs the Debian package `kannel` (/usr/sbin/bearerbox, /usr/sbin/smsbox): skipped without
it, failed without it when CONSULT_REQUIRE_KANNEL=1 (CI, .ci/run).
"""
import http.cookiejar
import os
import re
import urllib.parse
import urllib.request
from types import SimpleNamespace as Spec

import pytest
from flask import request
from flask_babel import force_locale, gettext

from bench.live_server import free_port, gunicorn
from consult import create_app
from consult.channels.models import Conversation, InboundMessage
from consult.channels.providers import kannel as adapter
from consult.comments.models import Comment, CommentState
from consult.extensions import db
from consult.surveys.models import Answer, Channel, Question, Response, ResponseState
from tests.channels.conftest import RECEIPT_MESSAGE
from tests.channels.kannel_gateway import (
    SENDSMS_PASSWORD,
    SENDSMS_USER,
    FakeSMSC,
    Kannel,
    missing_binaries,
)
from tests.conftest import _CSRF, base_config

REQUIRED = os.environ.get("CONSULT_REQUIRE_KANNEL") == "1"
SECRET = "kannel-e2e-secret-5d21"
SHORTCODE, KEYWORD, COMMENT_KEYWORD, SLUG = "3456", "SAFE", "SEMA", "sms-e2e"
FRENCH_PHONE, ARABIC_PHONE, AUTHOR_PHONE = "+22507000111", "+21698765432", "+21355501234"
MODERATOR, PASSWORD = "moderator@e2e.example", "correct horse battery staple"
#: The consultation the served app holds: sms_survey's, connected to the Kannel shortcode.
SETUP = f"""
from consult import create_app
from consult.accounts.models import OrganisationKind, Role
from consult.accounts.services import add_membership, create_organisation, create_user
from consult.channels.models import Provider
from consult.channels.services import connect
from consult.consultations import services as consultations
from consult.extensions import db
from tests.channels.conftest import sms_survey

def make(state, languages, **settings):
    host = create_organisation("e2e-host", "E2E host", OrganisationKind.CIVIL_SOCIETY)
    add_membership(create_user("{MODERATOR}", "{PASSWORD}", "Moderator"), host, Role.MODERATOR)
    made = consultations.create_consultation(host, "{SLUG}", languages[0], list(languages))
    consultations.set_texts(made, {{("title", code): "SMS" for code in languages}})
    consultations.add_section(made, {{("title", code): "Port" for code in languages}})
    made.state = state
    return made

with create_app().app_context():
    connect(sms_survey(make), Provider.KANNEL, "{SHORTCODE}", "{KEYWORD}",
            comment_keywords="{COMMENT_KEYWORD}")
    db.session.commit()
"""
#: Each survey as typed on the phone: the keyword, the language, then one answer a message.
FRENCH = ["safe", "2", "1", "Étal 12, marché du port", "30", "1 3", "7", "15/08/2025",
          "Plus de lumière le soir"]
ARABIC = ["SAFE", "3", "2", "٣٥", "1 2", "8", "٣١/٠٣/٢٠٢٦", "نريد إنارة أفضل في الميناء"]
#: A comment by SMS: the keyword, Arabic, the first section, the words.
COMMENT = ["SEMA", "3", "2", "بوابة الميناء مظلمة في الليل ويخاف الناس المرور منها"]


def test_a_ucs2_message_from_smsbox_is_read_as_utf16(app):
    """smsbox's get-url of an Arabic SMS (coding 2), as a real smsbox sent it: %a is the
    message's raw UTF-16BE bytes, percent-encoded."""
    query = (b"from=%2B22507000111&to=1234&text=%064%06C%061%06'%00+%06c%06a%00%2F%06%60%06c"
             b"&id=a1e131ee-dc49-4cdb-bcb0-840acaccc60b&coding=2")
    with app.test_request_context("/channels/kannel/sms/x?" + query.decode()):
        assert adapter.parse_sms(request.args, request.query_string).text == "شكرا ٣١/٠٣"


def _require_kannel() -> None:
    lacking = missing_binaries()
    if lacking:
        message = f"{', '.join(lacking)} missing (Debian package `kannel`)"
        if REQUIRED:
            pytest.fail(f"{message}, and CONSULT_REQUIRE_KANNEL=1 requires the Kannel test")
        pytest.skip(message)


@pytest.fixture
def operator(empty_database_url, tmp_path, monkeypatch):
    """Consult under gunicorn (2 workers, replies sent at once), a real Kannel in front of
    it, and the fake SMSC connected to bearerbox."""
    _require_kannel()
    sendsms_port = free_port()
    settings = {
        "QUEUE_URL": "immediate", "CHANNEL_NUMBER_KEY": "e2e-number-key-61fa",
        "CHANNEL_KANNEL_CALLBACK_SECRET": SECRET, "CHANNEL_KANNEL_USERNAME": SENDSMS_USER,
        "CHANNEL_KANNEL_PASSWORD": SENDSMS_PASSWORD, "BASE_URL": "http://consult.example.org",
        "CHANNEL_KANNEL_SENDSMS_URL": f"http://127.0.0.1:{sendsms_port}/cgi-bin/sendsms"}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "kannel").mkdir()
    with gunicorn(tmp_path, workers=2, demo=False, database_url=empty_database_url,
                  setup=SETUP) as port:
        kannel = Kannel(tmp_path / "kannel", f"http://127.0.0.1:{port}/channels/kannel/sms/"
                        f"{SECRET}", sendsms_port)
        try:
            kannel.start()
            smsc = FakeSMSC(kannel.ports["fake"])
            yield Spec(smsc=smsc, kannel=kannel, database_url=empty_database_url,
                       log=tmp_path / "gunicorn.log", base=f"http://127.0.0.1:{port}")
            smsc.close()
        finally:
            kannel.stop()


def converse(operator, phone: str, texts: list[str]) -> list[str]:
    """Type each text on phone, waiting for its reply; the replies, in order."""
    replies = []
    for text in texts:
        before = len(operator.smsc.delivered)
        operator.smsc.send(phone, SHORTCODE, text)
        delivered = operator.smsc.wait_for(before + 1)
        assert len(delivered) > before, f"no reply to {text!r}:\n{operator.kannel.logs()}"
        reply = delivered[before]
        assert (reply.sender, reply.receiver) == (SHORTCODE, phone)
        replies.append(reply)
    return replies


def _receipt(language: str, text: str) -> str:
    with force_locale(language):
        words = gettext(RECEIPT_MESSAGE, receipt="\x00", url="").split("\x00")[0]
    found = re.search(re.escape(words) + r"([A-Z0-9]{4}-[A-Z0-9]{4})", text)
    assert found, text
    return found.group(1)


@pytest.mark.slow
def test_a_survey_in_french_and_one_in_arabic_through_a_real_kannel(operator):
    french = converse(operator, FRENCH_PHONE, FRENCH)
    arabic = converse(operator, ARABIC_PHONE, ARABIC)
    assert len(operator.smsc.wait_for(len(FRENCH) + len(ARABIC) + 1, timeout=2)) == \
        len(FRENCH) + len(ARABIC)  # one reply a message, nothing more
    # French with ô and ç is not GSM-7: it goes as UCS-2 and arrives intact.
    assert "Français" in french[0].text and "العربية" in french[0].text
    assert french[1].coding == "ucs-2" and french[1].text.startswith("Votre rôle ?")
    assert arabic[1].coding == "ucs-2" and arabic[1].text.startswith("دورك؟")
    app = create_app(base_config(operator.database_url))
    with app.app_context():
        receipts = {"fr": _receipt("fr", french[-1].text), "ar": _receipt("ar", arabic[-1].text)}
        responses = db.session.scalars(db.select(Response).order_by(Response.id)).all()
        assert [(r.language, r.channel, r.state, r.receipt) for r in responses] == [
            ("fr", Channel.SMS, ResponseState.SUBMITTED, receipts["fr"]),
            ("ar", Channel.SMS, ResponseState.SUBMITTED, receipts["ar"])]
        texts = dict(db.session.execute(
            db.select(Question.key, Answer.text).join(Answer.response).join(
                Question, Question.id == Answer.question_id)
            .where(Response.language == "ar", Answer.text.is_not(None))).all())
        assert texts["comment"] == ARABIC[-1]  # UCS-2 in: the Arabic words intact
        assert db.session.scalar(db.select(db.func.count(InboundMessage.id))) == \
            len(FRENCH) + len(ARABIC)
        assert db.session.scalar(db.select(db.func.count(Conversation.id))) == 2
        stored = _every_value()
        db.session.remove()
        db.engine.dispose()
    for phone in (FRENCH_PHONE, ARABIC_PHONE):
        digits = phone.lstrip("+")
        assert digits not in stored, f"{phone} is stored"
        assert digits not in operator.log.read_text(), f"{phone} is in the app's log"


def _every_value() -> str:
    """Every value of every table, as one text (to look for a phone number in)."""
    return "\n".join(str(value) for table in db.metadata.sorted_tables
                     for row in db.session.execute(db.select(table)) for value in row)


def _staff_post(opener, base: str, path: str, fields: dict) -> int:
    """POST a staff form the way a browser does: the page's CSRF token, then the form."""
    with opener.open(base + path) as page:
        token = next(g for g in _CSRF.search(page.read().decode()).groups() if g)
    data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
    with opener.open(base + path, data=data) as answer:
        return answer.status


@pytest.mark.slow
def test_a_comment_by_sms_in_arabic_is_moderated_and_the_author_texted(operator):
    replies = converse(operator, AUTHOR_PHONE, COMMENT)
    app = create_app(base_config(operator.database_url))
    with app.app_context():
        comment = db.session.scalars(db.select(Comment)).one()
        assert comment.state is CommentState.PENDING  # always pre-moderated by SMS
        assert comment.body == COMMENT[-1] and comment.language == "ar"  # UCS-2 intact
        comment_id = comment.id
        day = comment.created_on
        db.session.remove()
        db.engine.dispose()
    # The moderator rejects it on the served app's review page, with a reason.
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    _staff_post(opener, operator.base, "/manage/login", {"email": MODERATOR,
                                                         "password": PASSWORD})
    assert _staff_post(opener, operator.base,
                       f"/manage/consultations/{SLUG}/moderation/comments/{comment_id}",
                       {"action": "reject", "reason": "off_topic", "note": ""}) == 200
    notice = operator.smsc.wait_for(len(COMMENT) + 1)[len(COMMENT)]
    assert notice.receiver == AUTHOR_PHONE and notice.coding == "ucs-2"
    with app.app_context(), force_locale("ar"):
        from flask_babel import format_date

        expected = gettext("Your comment of %(day)s is not published. Reason: %(reason)s.",
                           day=format_date(day, "medium"), reason=gettext("Off-topic"))
        db.session.remove()
    assert notice.text.startswith(expected), (notice.text, replies[-1].text)
    with app.app_context():
        assert db.session.get(Comment, comment_id).state is CommentState.REJECTED
        assert AUTHOR_PHONE.lstrip("+") not in _every_value()
        db.session.remove()
        db.engine.dispose()
