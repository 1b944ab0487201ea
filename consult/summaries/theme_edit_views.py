"""Planners rename, merge, split the themes of the planner report, and undo their edits.

Each form posts here and comes back to the report (post-redirect-get); a rename with errors is
shown again on the theme's own page. Themes are addressed by source and key as the report
showed them; if the themes changed meanwhile (new answers, a colleague's edit) nothing is
saved and the planner is sent back to the report as it is now.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField
from wtforms.validators import InputRequired

from consult import audit
from consult.accounts.forms import EmptyForm
from consult.analysis.theme_edits import ThemeEdit as Replayable
from consult.consultations.forms import (
    TranslatedTextsMixin,
    options,
    text_field_name,
    with_text_fields,
)
from consult.extensions import db
from consult.forms import Form
from consult.i18n import current_language, language_label
from consult.permissions import require, staff_required
from consult.summaries import qualitative, recompute
from consult.summaries.theme_models import ThemeEditKind, add_edit, get_edit, undo_edit
from consult.summaries.views import planner_consultation
from consult.surveys.services import get_survey

blueprint = Blueprint("theme_edits", __name__, url_prefix="/manage")

NAME_SPEC = (("name", _l("Name"), False, 120),)
#: The id a tried-out edit gets: newer than every stored one.
TRYING = 2 ** 62


class RenameForm(TranslatedTextsMixin, Form):
    """A theme's name in every offered language (required in the default one)."""

    def require_name_in(self, language: str) -> bool:
        """Add an error unless the name is written in language (the fallback language)."""
        return self.require_text_in("name", language, _l(
            "Write the name in the default language; it is shown when a translation is "
            "missing."))


class MergeForm(Form):
    """The theme of the same source this one goes into."""

    into = SelectField(_l("Merge into"), validators=[InputRequired(
        message=_l("Choose the theme to merge this one into."))])


def theme_label(theme, language: str, default_language: str) -> str:
    """A theme as a choice or a message names it: the planners' name, else its terms."""
    name = theme.name(language, default_language)
    return str(name) if name else ", ".join(theme.terms[:4])


def anchor(source: str, key: str) -> str:
    """The HTML id of a theme on the report (also the prefix of its forms' field ids)."""
    return f"theme-{source.replace(':', '-')}-{key}"


def _with_ids(form, name: str, source: str, key: str):
    """Field ids unique on the report, where every theme has its forms (names stay plain)."""
    for field in form:
        field.id = f"{anchor(source, key)}-{name}-csrf" if field.name == "csrf_token" else \
            f"{anchor(source, key)}-{field.name}"
        field.label.field_id = field.id
    return form


def edit_forms(consultation, source: str, theme, siblings, posted: str | None = None) -> dict:
    """Rename, merge and split forms of one theme; the `posted` one reads the request."""
    def data(name):
        return {"formdata": request.form if name == posted else None}

    rename = with_text_fields(RenameForm, NAME_SPEC, consultation.languages)(**data("rename"))
    for code in rename.LANGUAGES:
        field = rename[text_field_name("name", code)]
        # Every language's field is on the page at once: each label says its language.
        field.label.text = _("Name in %(language)s", language=language_label(code))
        if posted != "rename":
            field.data = theme.names.get(code, "")
    merge = MergeForm(**data("merge"))
    language = current_language()
    merge.into.choices = options(
        [("", _("Choose a theme"))] +
        [(t.key, theme_label(t, language, consultation.default_language))
         for t in siblings if t.key != theme.key])
    forms = {"rename": rename, "merge": merge, "split": EmptyForm(**data("split"))}
    return {name: _with_ids(form, name, source, theme.key) for name, form in forms.items()}


@blueprint.app_template_global("theme_edit_forms")
def _template_forms(consultation, source: str, theme, siblings) -> dict:
    """Blank edit forms of a theme, for the report (rendered by another feature's view)."""
    return edit_forms(consultation, source, theme, siblings)


@blueprint.app_template_global("theme_anchor")
def _template_anchor(source: str, key: str) -> str:
    """The HTML id of a theme on the report."""
    return anchor(source, key)


def _replay_edits(consultation) -> None:
    """Store the themes with this edit replayed now, so the planner sees it on the report at
    once (the grouping is reused: only the edits are applied again); commits."""
    recompute.recompute_themes(consultation)
    db.session.commit()


def _report(slug: str, source: str | None = None, key: str | None = None):
    target = url_for("manage_summaries.report", slug=slug)
    return redirect(target + (f"#{anchor(source, key)}" if key else "#themes-title"))


def _themes(consultation, source: str):
    """(survey, the source's edited themes as the report shows them); 404 for no such source."""
    survey = get_survey(consultation)
    views = qualitative.theme_views(consultation, survey, planner=True)
    found = next((s for s in views if s.source == source), None)
    require(found is not None, hide=True)
    return survey, found.themes


def _record(consultation, source: str, key: str, detail: str) -> None:
    """Audit a theme edit; never its terms, which are words from participants' answers."""
    audit.record(current_user, "theme.edited", consultation=consultation,
                 target=f"{source} {key}", detail=detail)


def _changed(slug: str, source: str):
    flash(_("The themes changed since the page was shown; nothing was saved. Here they are "
            "as they are now."), "warning")
    return _report(slug, source)


@blueprint.get("/consultations/<slug>/themes/<source>/<key>")
@staff_required
def edit(slug: str, source: str, key: str):
    """One theme with its rename, merge and split forms."""
    consultation = planner_consultation(slug)
    _, themes = _themes(consultation, source)
    theme = next((t for t in themes if t.key == key), None)
    require(theme is not None, hide=True)
    return _page(consultation, source, theme, themes,
                 edit_forms(consultation, source, theme, themes))


def _page(consultation, source, theme, themes, forms, status=200):
    return render_template("summaries/theme_edit.html", consultation=consultation,
                           source=source, theme=theme, themes=themes, forms=forms,
                           k=consultation.min_cell_size), status


@blueprint.post("/consultations/<slug>/themes/<source>/<key>/<any(rename, merge, split):action>")
@staff_required
def change(slug: str, source: str, key: str, action: str):
    """Rename, merge or split one theme."""
    consultation = planner_consultation(slug)
    survey, themes = _themes(consultation, source)
    theme = next((t for t in themes if t.key == key), None)
    if theme is None:
        return _changed(slug, source)
    forms = edit_forms(consultation, source, theme, themes, posted=action)
    if not forms[action].validate_on_submit():
        return _page(consultation, source, theme, themes, forms, 422)
    return {"rename": _rename, "merge": _merge, "split": _split}[action](
        consultation, survey, source, theme, themes, forms)


def _rename(consultation, survey, source, theme, themes, forms):
    """Name a theme (its terms stay visible as its characteristic terms)."""
    form = forms["rename"]
    if not form.require_name_in(consultation.default_language):
        return _page(consultation, source, theme, themes, forms, 422)
    names = {language: text.strip() for (_field, language), text in form.texts().items()}
    add_edit(consultation, source, ThemeEditKind.RENAME, theme.key, theme.terms, current_user,
             names=names)
    _record(consultation, source, theme.key,
            f"rename: {', '.join(code for code, name in names.items() if name)}")
    db.session.commit()
    _replay_edits(consultation)
    flash(_("The theme is now called “%(name)s”.", name=names[consultation.default_language]),
          "success")
    return _report(consultation.slug, source, theme.key)


def _merge(consultation, survey, source, theme, themes, forms):
    """Merge a theme into another theme of the same source."""
    target = next(t for t in themes if t.key == forms["merge"].into.data)
    add_edit(consultation, source, ThemeEditKind.MERGE, theme.key, theme.terms, current_user,
             target=(target.key, target.terms))
    _record(consultation, source, theme.key, f"merge into {target.key}")
    db.session.commit()
    _replay_edits(consultation)
    flash(_("The theme was merged into “%(target)s”.", target=theme_label(
        target, current_language(), consultation.default_language)), "success")
    return _report(consultation.slug, source, target.key)


def _split(consultation, survey, source, theme, themes, forms):
    """Split a theme in two (computed from its texts), if they fall into two groups."""
    trial = qualitative.edited_themes(consultation, survey, source, Replayable(
        TRYING, "split", theme.key, theme.terms))
    parts = [t for t in trial.themes if t.edits == (TRYING,)]
    if TRYING in trial.not_applied or len(parts) < 2:
        flash(_("These answers do not fall into two groups; the theme was left as it was."),
              "error")
        return _report(consultation.slug, source, theme.key)
    add_edit(consultation, source, ThemeEditKind.SPLIT, theme.key, theme.terms, current_user)
    _record(consultation, source, theme.key, "split")
    db.session.commit()
    _replay_edits(consultation)
    flash(_("The theme was split in two: “%(first)s” and “%(second)s”.",
            first=", ".join(parts[0].terms[:4]), second=", ".join(parts[1].terms[:4])),
          "success")
    return _report(consultation.slug, source, parts[0].key)


@blueprint.post("/consultations/<slug>/themes/edits/<int:edit_id>/undo")
@staff_required
def undo(slug: str, edit_id: int):
    """Undo one edit: the themes are replayed without it."""
    consultation = planner_consultation(slug)
    edit = get_edit(consultation, edit_id)
    require(edit is not None, hide=True)
    if EmptyForm().validate_on_submit():
        _record(consultation, edit.source, edit.theme_key, f"undo {edit.kind.value}")
        undo_edit(edit)
        db.session.commit()
        _replay_edits(consultation)
        flash(_("The change to the themes was undone."), "success")
    return _report(slug)
