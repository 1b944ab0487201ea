"""The staff audit log in the browser, /manage/audit, and its CSV download.

Organisation hosts and admins read their organisations' entries; site administrators read
every entry, the site's own (no organisation) included, and filter by organisation.
Moderators and planners have no access (can_read_audit_log). Times on the page are in the
site's time zone (CONSULT_TIME_ZONE, named on the page); the CSV gives them in UTC.
"""
import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from consult import audit
from consult.accounts.models import Organisation
from consult.audit import search
from consult.audit.labels import ACTION_LABELS, action_label
from consult.extensions import db
from consult.forms import Form
from consult.i18n import current_language
from consult.permissions import can_read_audit_log, is_site_admin, require, staff_required

blueprint = Blueprint("audit_log", __name__, url_prefix="/manage")

#: The organisation filter's value for entries of no organisation (site administrators').
SITE = "site"


class AuditFilterForm(Form):
    """The log's filters, sent by GET (they change nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    organisation = SelectField(_l("Organisation"), default="")
    consultation = SelectField(_l("Consultation"), default="")
    action = SelectField(_l("Action"), default="")
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])

    def validate_until(self, field) -> None:
        """The last day cannot come before the first."""
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The last day must be on or after the first day."))


def _readable() -> frozenset[int] | None:
    """The organisations whose entries this staff member reads (None: all, site admins);
    403 for staff who read none (moderators and planners)."""
    if is_site_admin(current_user):
        return None
    readable = frozenset(o for o in current_user.organisation_ids
                         if can_read_audit_log(current_user, o))
    require(bool(readable))
    return readable


def _filters() -> tuple[AuditFilterForm, search.AuditFilter]:
    """The filter form read from the query string, and the filter it makes.

    An organisation or consultation the reader may not see is 404, whether it exists or not.
    """
    readable = _readable()
    query = db.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    if readable is not None:
        query = query.where(Organisation.id.in_(readable))
    organisations = db.session.execute(query).all()
    consultations = search.consultations_of(readable)
    form = AuditFilterForm(formdata=request.args)
    form.organisation.choices = [("", _("All organisations"))] + (
        [(SITE, _("The site itself (no organisation)"))] if readable is None else []) + [
        (str(id_), name) for id_, name in organisations]
    form.consultation.choices = [("", _("All consultations"))] + [
        (slug, slug) for slug, _id in consultations]
    form.action.choices = [("", _("All actions"))] + sorted(
        ((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda c: c[1])
    for name in ("organisation", "consultation"):
        chosen = request.args.get(name, "")
        require(chosen in {value for value, _label in form[name].choices}, hide=True)
    chosen_organisation = request.args.get("organisation", "")
    scope = readable
    if chosen_organisation not in ("", SITE):
        scope = frozenset({int(chosen_organisation)})
    valid = form.validate()
    return form, search.AuditFilter(
        organisation_ids=scope, site_only=chosen_organisation == SITE,
        consultation_id=dict(consultations).get(request.args.get("consultation", "")),
        action=(form.action.data or None) if valid else None,
        since=form.since.data if valid else None, until=form.until.data if valid else None,
        zone=current_app.config["CONSULT_TIME_ZONE"])


@blueprint.get("/audit")
@staff_required
def index():
    """The entries that match the filters, newest first, a page at a time."""
    form, where = _filters()
    before = request.args.get("before", type=int)
    rows, next_before = search.page(where, before)
    zone = ZoneInfo(where.zone)
    language = current_language()

    def moment(entry) -> str:
        """An entry's time in the site's time zone, as the reader's language writes it."""
        return format_datetime(entry.created_at.replace(tzinfo=dt.timezone.utc), "medium",
                               tzinfo=zone, locale=language)

    query = {name: value for name, value in request.args.items() if name != "before" and value}
    return render_template(
        "audit/log.html", form=form, rows=rows, next_before=next_before, before=before,
        query=query, moment=moment, zone=where.zone, action_label=action_label,
        several=len(form.organisation.choices) > 2), 422 if form.errors else 200


@blueprint.get("/audit.csv")
@staff_required
def download():
    """The same entries as CSV, streamed; the download itself is recorded in the log."""
    form, where = _filters()
    if form.errors:
        abort(422)
    header = [_("Entry"), _("Time (UTC)"), _("Organisation"), _("Consultation"),
              _("Staff member"), _("Action code"), _("Action"), _("Target"), _("Details")]
    detail = "; ".join(f"{name}: {value}" for name, value in request.args.items() if value)
    for organisation_id in (where.organisation_ids or [None]):
        audit.record(current_user, "audit.exported", organisation_id=organisation_id,
                     detail=detail)
    db.session.commit()
    filename = f"audit-log-{dt.date.today().isoformat()}.csv"
    return Response(stream_with_context(search.csv_lines(where, header)),
                    mimetype="text/csv", headers={
                        "Content-Disposition": f'attachment; filename="{filename}"',
                        "X-Content-Type-Options": "nosniff"})
