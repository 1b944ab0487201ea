"""E-mail: rendered in the recipient's language, text plus HTML, delivered to a real SMTP
server only once the transaction commits."""
import pytest
from jinja2 import ChoiceLoader, DictLoader

from consult.extensions import db
from consult.mail import send_mail
from consult.mail.delivery import deliver
from consult.mail.services import render_mail

TEMPLATES = {
    "mail/hello.subject.txt": "{{ _('Sign in') }}",
    "mail/hello.txt": "{{ _('Sign in') }}: {{ url_for('accounts.login', _external=True) }}",
    "mail/hello.html": "<p><a href=\"{{ url_for('accounts.login', _external=True) }}\">"
                       "{{ _('Sign in') }}</a> {{ name }}</p>",
}


@pytest.fixture
def hello_template(app):
    app.jinja_loader  # noqa: B018 - made now, so it can be wrapped
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])


def test_mail_arrives_after_commit_in_text_and_html(app, smtp_server, hello_template):
    send_mail("staff@example.org", "hello", "en", name="<b>Amina</b>")
    assert smtp_server.messages == []  # nothing leaves before the transaction commits
    db.session.commit()
    [message] = smtp_server.to("staff@example.org")
    assert message["Subject"] == "Sign in"
    assert message["From"] == "Consult <consult@example.org>"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "http://consult.example.org/manage/login" in text
    assert "&lt;b&gt;Amina&lt;/b&gt;" in html  # context is escaped in HTML


def test_mail_of_a_rolled_back_action_is_never_sent(app, smtp_server, hello_template):
    send_mail("staff@example.org", "hello", "en")
    db.session.rollback()
    db.session.commit()
    assert smtp_server.messages == []


def test_mail_is_written_in_the_recipients_language(app, smtp_server, hello_template):
    send_mail("personnel@example.org", "hello", "fr")
    send_mail("staff@example.org", "hello", "ar")
    db.session.commit()
    [french] = smtp_server.to("personnel@example.org")
    [arabic] = smtp_server.to("staff@example.org")
    assert french["Subject"] == "Se connecter"
    assert french["Content-Language"] == "fr"
    assert arabic["Subject"] != "Sign in" and arabic["Content-Language"] == "ar"


def test_console_backend_prints_instead_of_sending(app, smtp_server, hello_template, capsys):
    app.config["MAIL_BACKEND"] = "console"
    deliver(render_mail("staff@example.org", "hello", "en", {}))
    assert "To: staff@example.org" in capsys.readouterr().out
    assert smtp_server.messages == []


def test_development_prints_mail_by_default(tmp_path, monkeypatch):
    from consult import create_app

    monkeypatch.setenv("CONSULT_ENV", "development")
    monkeypatch.delenv("MAIL_BACKEND", raising=False)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
                      "QUEUE_URL": "immediate"})
    assert app.config["MAIL_BACKEND"] == "console"
