"""Planners rename, merge, split and undo themes on the planner report; edits survive a
recomputation and show on the public results."""
import re

import pytest
from flask_babel import force_locale, ngettext
from markupsafe import escape

from consult.accounts.models import Role
from consult.extensions import db
from consult.summaries import qualitative
from consult.summaries.theme_models import ThemeEdit, ThemeEditKind, add_edit
from consult.surveys.services import get_survey
from tests.analysis.test_themes import _corpus
from tests.summaries.helpers import respond, survey_consultation

SOURCE = "question:ideas"


@pytest.fixture
def themed(make_consultation):
    """Published results with 90 answers to a free-text question on three topics."""
    consultation = survey_consultation(make_consultation, k=5)
    consultation.publish_themes = True  # the public results show them too
    texts, _, _ = _corpus(["en"], per_topic=30, seed=1)
    for text in texts:
        respond(consultation, {"ideas": text})
    return consultation


@pytest.fixture
def planner(themed, auth, make_user):
    user = make_user(themed.host, Role.PLANNER)
    auth.login(user)
    return user


def _themes(consultation, planner=True):
    views = qualitative.theme_views(consultation, get_survey(consultation), planner)
    return next(s for s in views if s.source == SOURCE).themes


def _about(consultation, word):
    """The theme (as the report shows it) whose terms or name mention word."""
    return next(t for t in _themes(consultation)
                if any(word in term for term in t.terms) or word in str(t.names))


def _url(consultation, theme, action=None):
    base = f"/manage/consultations/{consultation.slug}/themes/{SOURCE}/{theme.key}"
    return base + (f"/{action}" if action else "")


def _report(client, consultation):
    return client.get(f"/manage/consultations/{consultation.slug}/report").get_data(as_text=True)


def _edits():
    return db.session.scalars(db.select(ThemeEdit)).all()


def test_a_planner_renames_a_theme_and_sees_it_at_once(client, themed, planner):
    assert "Street lighting" not in _report(client, themed)  # the themes are now cached
    lights = _about(themed, "lights")
    response = client.post_form(_url(themed, lights, "rename"),
                                {"name__en": "Street lighting", "name__fr": "Éclairage"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#theme-question-ideas-{lights.key}")
    html = _report(client, themed)
    assert "Street lighting" in html and "Characteristic terms:" in html
    assert "The theme is now called “Street lighting”." in html
    (edit,) = _edits()
    assert edit.kind is ThemeEditKind.RENAME and edit.created_by_id == planner.id
    assert edit.texts_for("name") == {"en": "Street lighting", "fr": "Éclairage"}
    assert edit.theme_key == lights.key and tuple(edit.terms) == lights.terms
    french = client.get(f"/manage/consultations/{themed.slug}/report?lang=fr")
    assert "Éclairage" in french.get_data(as_text=True)


def test_a_name_is_required_in_the_default_language(client, themed, planner):
    lights = _about(themed, "lights")
    response = client.post_form(_url(themed, lights, "rename"), {"name__fr": "Éclairage"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and _edits() == []
    field = f"theme-question-ideas-{lights.key}-name__en"
    assert f'aria-describedby="{field}-error"' in html
    assert "Write the name in the default language" in html


def test_a_too_long_name_gets_a_translated_error_and_nothing_is_saved(client, themed,
                                                                      planner):
    lights = _about(themed, "lights")
    response = client.post_form(_url(themed, lights, "rename") + "?lang=fr",
                                {"name__en": "x" * 121})
    assert response.status_code == 422 and _edits() == []
    with force_locale("fr"):
        message = ngettext("Field cannot be longer than %(max)d character.",
                           "Field cannot be longer than %(max)d characters.", 120, max=120)
    assert "120" in message and "Field" not in message
    assert str(escape(message)) in response.get_data(as_text=True)


def test_a_planner_merges_a_theme_into_another(client, themed, planner):
    jobs, patrols = _about(themed, "jobs"), _about(themed, "patrols")
    response = client.post_form(_url(themed, patrols, "merge"), {"into": jobs.key})
    assert response.status_code == 302 and jobs.key in response.headers["Location"]
    merged = next(t for t in _themes(themed) if t.key == jobs.key)
    assert merged.size == jobs.size + patrols.size and merged.merged == 1
    assert patrols.key not in {t.key for t in _themes(themed)}
    html = _report(client, themed)
    assert "Planners merged 1 other theme into this one." in html
    (edit,) = _edits()
    assert (edit.kind, edit.target_key) == (ThemeEditKind.MERGE, jobs.key)


def test_merging_into_an_unknown_theme_is_refused(client, themed, planner):
    jobs = _about(themed, "jobs")
    for into in ("", "0123456789ab", jobs.key):  # none, no such theme, itself
        response = client.post_form(_url(themed, jobs, "merge"), {"into": into})
        assert response.status_code == 422, into
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert _edits() == []


def test_a_planner_splits_a_theme_in_two_and_undoes_it(client, themed, planner):
    jobs, patrols = _about(themed, "jobs"), _about(themed, "patrols")
    client.post_form(_url(themed, patrols, "merge"), {"into": jobs.key})
    merged = next(t for t in _themes(themed) if t.key == jobs.key)
    response = client.post_form(_url(themed, merged, "split"))
    assert response.status_code == 302
    html = _report(client, themed)
    assert "The theme was split in two:" in html
    themes = _themes(themed)
    assert len(themes) == 3
    parts = [t for t in themes if t.edits and t.edits[-1].kind == "split"]
    assert len(parts) == 2 and sum(t.size for t in parts) <= merged.size
    assert all(t.merged == 0 for t in themes)
    split = next(e for e in _edits() if e.kind is ThemeEditKind.SPLIT)
    response = client.post_form(f"/manage/consultations/{themed.slug}/themes/edits/"
                                f"{split.id}/undo")
    assert response.status_code == 302
    assert "The change to the themes was undone." in _report(client, themed)
    themes = _themes(themed)
    assert len(themes) == 2 and len(_edits()) == 1
    assert next(t for t in themes if t.key == jobs.key).merged == 1


def test_undo_of_a_rename_gives_back_the_terms(client, themed, planner):
    lights = _about(themed, "lights")
    client.post_form(_url(themed, lights, "rename"), {"name__en": "Street lighting"})
    html = _report(client, themed)
    undo = re.search(r'action="(/manage/consultations/[^"]+/undo)"', html).group(1)
    client.post_form(undo)
    assert _edits() == [] and "Street lighting" not in _report(client, themed)


def test_the_theme_page_shows_the_forms(client, themed, planner):
    lights = _about(themed, "lights")
    html = client.get(_url(themed, lights)).get_data(as_text=True)
    assert "Edit a theme" in html and "Name in" in html and "Split in two" in html
    assert client.get(_url(themed, lights) + "x").status_code == 404
    assert client.get(f"/manage/consultations/{themed.slug}/themes/question:nope/"
                      f"{lights.key}").status_code == 404


def test_a_theme_that_changed_meanwhile_saves_nothing(client, themed, planner):
    gone = qualitative.ThemeView(("ferry",), 5, key="0123456789ab")
    response = client.post_form(_url(themed, gone, "rename"), {"name__en": "Ferry"})
    assert response.status_code == 302 and _edits() == []


@pytest.mark.parametrize("role", ["participant", "other_org", "moderator", "host"])
def test_only_planners_of_the_consultation_edit_themes(app, themed, make_org, make_user,
                                                       role):
    from tests.conftest import PASSWORD

    lights = _about(themed, "lights")
    owner = make_user(themed.host, Role.PLANNER)
    add_edit(themed, SOURCE, ThemeEditKind.RENAME, lights.key, lights.terms, owner,
             names={"en": "Lights"})
    db.session.commit()
    (edit,) = _edits()
    client = app.test_client()
    if role == "participant":
        client.post_form("/codename")
    else:
        user = {"other_org": lambda: make_user(make_org(), Role.PLANNER),
                "moderator": lambda: make_user(themed.host, Role.MODERATOR),
                "host": lambda: make_user(themed.host, Role.HOST)}[role]()
        client.post_form("/manage/login", {"email": user.email, "password": PASSWORD})
    expected = {"participant": 302, "other_org": 404, "moderator": 403, "host": 403}[role]
    answers = [client.post_form(_url(themed, lights, "rename"), {"name__en": "Mine"}),
               client.post_form(_url(themed, lights, "merge"), {"into": lights.key}),
               client.post_form(_url(themed, lights, "split")),
               client.post_form(f"/manage/consultations/{themed.slug}/themes/edits/"
                                f"{edit.id}/undo"),
               client.get(_url(themed, lights))]
    assert [a.status_code for a in answers] == [expected] * 5
    if role == "participant":
        assert all("/manage/login" in a.headers["Location"] for a in answers)
    assert len(_edits()) == 1


def test_an_edit_of_another_consultation_cannot_be_undone(client, themed, planner,
                                                          make_consultation):
    other = survey_consultation(make_consultation, k=5)
    add_edit(other, SOURCE, ThemeEditKind.SPLIT, "0123456789ab", ["x"], planner)
    db.session.commit()
    (edit,) = _edits()
    response = client.post_form(f"/manage/consultations/{themed.slug}/themes/edits/"
                                f"{edit.id}/undo")
    assert response.status_code == 404 and len(_edits()) == 1


def test_a_form_without_its_security_token_is_refused(client, themed, planner):
    lights = _about(themed, "lights")
    response = client.post(_url(themed, lights, "rename"), data={"name__en": "Lights"})
    assert response.status_code == 400 and _edits() == []


def test_edits_survive_a_recomputation_after_new_answers(client, themed, planner):
    lights, jobs = _about(themed, "lights"), _about(themed, "jobs")
    patrols = _about(themed, "patrols")
    client.post_form(_url(themed, lights, "rename"), {"name__en": "Street lighting"})
    client.post_form(_url(themed, patrols, "merge"), {"into": jobs.key})
    add_edit(themed, SOURCE, ThemeEditKind.RENAME, "0123456789ab", ["ferry", "boats"], planner,
             names={"en": "Ferries"})
    db.session.commit()
    more, _, _ = _corpus(["en"], per_topic=20, seed=7)
    for text in more:
        respond(themed, {"ideas": text})
    themes = _themes(themed)
    assert lights.key not in {t.key for t in themes}  # recomputed: new keys
    named = next(t for t in themes if t.names)
    assert named.names == {"en": "Street lighting"} and named.size > lights.size
    merged = next(t for t in themes if t.merged)
    # The patrols theme may come back split in two (four themes for 150 answers): the merge
    # follows the part whose terms match best.
    assert "jobs" in merged.terms and {"patrols", "police", "traders"} & set(merged.terms)
    assert merged.size > jobs.size + patrols.size
    html = _report(client, themed)
    assert "Street lighting" in html and "These changes to the themes no longer apply" in html
    assert "Ferries" in html and "the theme is no longer found." in html


def test_public_results_show_the_names_and_merges(app, client, themed, planner):
    lights, jobs = _about(themed, "lights"), _about(themed, "jobs")
    patrols = _about(themed, "patrols")
    client.post_form(_url(themed, lights, "rename"), {"name__en": "Street lighting"})
    client.post_form(_url(themed, patrols, "merge"), {"into": jobs.key})
    html = app.test_client().get(f"/consultations/{themed.slug}/results").get_data(
        as_text=True)
    assert "Street lighting" in html and "Characteristic terms:" in html
    assert "Planners merged 1 other theme into this one." in html
    assert "Planners edited 2 themes (renamed, merged or split them)." in html
    assert "Rename, merge or split" not in html and "<blockquote" not in html
    assert "csrf_token" not in html and "User " not in html


def test_a_name_is_shown_as_text_never_as_markup(app, client, themed, planner):
    lights = _about(themed, "lights")
    client.post_form(_url(themed, lights, "rename"), {"name__en": "<script>x()</script>"})
    public = app.test_client().get(f"/consultations/{themed.slug}/results").get_data(
        as_text=True)
    for html in (_report(client, themed), public):
        assert "<script>x()" not in html and "&lt;script&gt;x()" in html
