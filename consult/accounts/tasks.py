"""Background jobs of staff accounts."""
import datetime as dt

from flask import current_app
from huey import crontab

from consult.accounts import notifications, password_reset, services
from consult.extensions import db
from consult.jobs import periodic_task, task
from consult.mail import send_mail


@task()
def send_password_reset(email: str, language: str) -> None:
    """Mail a reset link to the active account with this e-mail address; nothing otherwise.

    Run in the background for every request, known address or not, so the page answers the
    same way, in the same time, whether an account exists (no one learns who has one).
    """
    user = services.get_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = password_reset.issue_token(user)
    send_mail(user.email, password_reset.MAIL_TEMPLATE, language, token=token, name=user.name,
              hours=password_reset.reset_hours())
    db.session.commit()


@periodic_task(crontab(minute="0"))
def send_daily_digests() -> None:
    """Every hour, from DIGEST_HOUR (UTC) on: today's digest to each staff member who asked
    for it and has not had it (a worker that was down at that hour catches up)."""
    now = dt.datetime.now(dt.UTC)
    if now.hour >= int(current_app.config["DIGEST_HOUR"]):
        notifications.send_digests(now.date())
