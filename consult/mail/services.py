"""Queue a mail in the recipient's language; render and deliver it in the background.

Only staff receive mail: no participant e-mail address exists anywhere in Consult.
"""
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

from consult.jobs import after_commit, task
from consult.mail.delivery import deliver

#: Templates live in templates/mail/: NAME.subject.txt, NAME.txt and NAME.html.
TEMPLATE_FOLDER = "mail"


def send_mail(recipient: str, template: str, language: str, **context) -> None:
    """Send template to recipient in language once the current transaction commits.

    context must be plain data (it travels through the queue); links are made absolute with
    BASE_URL, so templates use `url_for(..., _external=True)`.
    """
    after_commit(lambda: send_mail_task(recipient, template, language, context))


@task()
def send_mail_task(recipient: str, template: str, language: str, context: dict) -> None:
    """Render and deliver one mail (retried with backoff when the server is unreachable)."""
    deliver(render_mail(recipient, template, language, context))


def render_mail(recipient: str, template: str, language: str, context: dict) -> EmailMessage:
    """The message in language: subject, plain text and an HTML alternative."""
    app = current_app
    with app.test_request_context(base_url=app.config["BASE_URL"]), force_locale(language):
        path = f"{TEMPLATE_FOLDER}/{template}"
        context = {**context, "language": language}
        subject = render_template(f"{path}.subject.txt", **context)
        text = render_template(f"{path}.txt", **context)
        html = render_template(f"{path}.html", **context)
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())
    message["From"] = app.config["MAIL_FROM"]
    message["To"] = recipient
    message["Message-ID"] = make_msgid(domain=app.config["MAIL_FROM"].rpartition("@")[2]
                                       .strip(">") or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = language  # after set_content, which drops Content-* headers
    return message
