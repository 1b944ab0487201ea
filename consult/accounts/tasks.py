"""Background jobs of staff accounts."""
from consult.accounts import password_reset, services
from consult.extensions import db
from consult.jobs import task
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
