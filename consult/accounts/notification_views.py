"""A staff member's notification settings: the language of their mail and the daily digest."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, RadioField
from wtforms.validators import DataRequired

from consult.accounts import notifications
from consult.extensions import db
from consult.forms import Form
from consult.i18n import language_name, select_locale
from consult.permissions import is_signed_in, staff_required

blueprint = Blueprint("notifications", __name__, url_prefix="/manage/account")


class NotificationsForm(Form):
    """The language of one's mail, and whether the daily digest comes."""

    language = RadioField(_l("Language of your e-mail"), validators=[
        DataRequired(_l("Choose the language of your e-mail."))])
    daily_digest = BooleanField(_l("Send me a daily digest"))


@blueprint.before_app_request
def note_language() -> None:
    """Before each request of a signed-in staff member: remember the language they use the
    site in, the default language of their mail (written only when it changes)."""
    if request.endpoint == "static" or not is_signed_in(current_user):
        return
    # select_locale, not get_locale: get_locale would fix this request's locale before a
    # consultation's view narrows it to the languages it offers.
    if notifications.note_language(current_user, select_locale()):
        db.session.commit()


@blueprint.route("/notifications", methods=["GET", "POST"])
@staff_required
def index():
    """Choose the language of one's mail and turn the daily digest on or off."""
    user = current_user._get_current_object()
    # The saved settings fill the page; a post stands on what it sent (nothing is assumed).
    saved = {"language": notifications.mail_language(user), "daily_digest": user.daily_digest}
    form = NotificationsForm(data=saved if request.method == "GET" else None)
    form.language.choices = [(code, language_name(code))
                             for code in current_app.config["LANGUAGES"]]
    if form.validate_on_submit():
        notifications.set_preferences(user, form.language.data, form.daily_digest.data)
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for(".index"), code=303)
    return render_template("accounts/notifications.html", form=form,
                           moderates=notifications.may_moderate_somewhere(user),
                           digest_hour=current_app.config["DIGEST_HOUR"]), \
        422 if form.errors else 200
