"""Handing a message to the mail server (SMTP, standard library) or printing it (development)."""
import smtplib
import ssl
import sys
from email.message import EmailMessage

from flask import current_app


def deliver(message: EmailMessage) -> None:
    """Send message with MAIL_BACKEND: "smtp" or "console" (print it; `make run`)."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "console":
        print(message.as_string(), file=sys.stdout, flush=True)
        return
    if config["MAIL_BACKEND"] != "smtp":
        raise RuntimeError("MAIL_BACKEND must be 'smtp' or 'console'")
    connect = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    kwargs = {"context": ssl.create_default_context()} if config["MAIL_USE_SSL"] else {}
    with connect(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                 timeout=config["MAIL_TIMEOUT"], **kwargs) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
