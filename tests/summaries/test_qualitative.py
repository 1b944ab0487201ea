"""Opinion groups and themes on the planner report and the public results."""
import random
from pathlib import Path

import pytest
from markupsafe import escape

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.extensions import db
from tests.surveys.journeys import answer_page, three_page_consultation

POLIS = Path(__file__).resolve().parents[1] / "data" / "polis"
TOPICS = {
    "lights": ["The street lights on the harbour road are broken",
               "Please repair the broken lamps on the harbour road",
               "It is too dark on the harbour road at night, fix the lights"],
    "jobs": ["Young people need jobs and training more than police",
             "Training and apprenticeships for youth would keep them from gangs",
             "Give the youth work and training instead of more patrols"],
}


def test_opinion_groups_of_an_imported_conversation_on_the_report(app, client, auth,
                                                                  make_org, make_user):
    host = make_org("host")
    result = app.test_cli_runner().invoke(
        args=["consult", "import-polis", str(POLIS / "bg2050-volunteers")])
    slug = result.output.strip().splitlines()[-1]
    auth.login(make_user(host, Role.PLANNER))
    html = client.get(f"/manage/consultations/{slug}/report").get_data(as_text=True)
    assert "Opinion groups" in html and "Group 1" in html and "Group 2" in html
    assert "Common ground" in html


@pytest.fixture
def answered(app, make_consultation):
    consultation = three_page_consultation(make_consultation)
    rng = random.Random(3)
    for n in range(60):
        topic = "lights" if n % 2 else "jobs"
        phone = app.test_client()
        text = rng.choice(TOPICS[topic]) + f" ({n})"
        for data in ({"role": "youth"}, {}, {"comment": text}):
            answer_page(phone, consultation, data)
    return consultation


def test_themes_of_free_text_are_quoted_to_planners_only(app, client, auth, make_user,
                                                         answered):
    auth.login(make_user(answered.host, Role.PLANNER))
    report = client.get(f"/manage/consultations/{answered.slug}/report").get_data(as_text=True)
    assert "Themes in what people wrote" in report
    assert "harbour road" in report and "<blockquote" in report
    answered.state = State.CLOSED
    db.session.commit()
    answered.state = State.RESULTS_PUBLISHED
    answered.publish_themes = True
    db.session.commit()
    public = app.test_client().get(f"/consultations/{answered.slug}/results")
    html = public.get_data(as_text=True)
    assert public.status_code == 200 and "Themes in what people wrote" in html
    assert "Please repair the broken lamps" not in html  # survey free text: never quoted


def test_a_new_theme_algorithm_regroups_stored_themes_though_no_text_changed(
        app, make_consultation, monkeypatch):
    from consult.comments.services import post_comment
    from consult.summaries import recompute, snapshots
    from tests.analysis.test_themes import _corpus

    consultation = make_consultation(state=State.RESULTS_PUBLISHED, min_cell_size=5)
    texts, _, _ = _corpus(["en"], per_topic=10, seed=1)
    for n, text in enumerate(texts):
        post_comment(consultation, f"author-{n}", text, "en")
    db.session.commit()
    assert recompute.recompute_themes(consultation)
    db.session.commit()
    grouped = []
    find_themes = recompute.find_themes
    monkeypatch.setattr(recompute, "find_themes",
                        lambda *args, **kwargs: grouped.append(1) or find_themes(*args, **kwargs))
    monkeypatch.setattr(recompute, "THEMES_VERSION", "themes-next")
    assert recompute.recompute_themes(consultation)
    # Same comments, new method: grouped anew, not the old grouping stored under a new name.
    assert grouped
    assert snapshots.read(consultation.id, snapshots.THEMES)["comments"].method_version == \
        "themes-next"


# Themes on the public results: only when the host publishes them, only of k answers or more,
# survey answers never quoted and their rare words never shown.

SECRET = "Mwanaisha"  # a name a few answers mention: fewer than k, so never published


@pytest.fixture
def published(make_consultation):
    """Published results (k = 5): 90 free-text answers on three topics, four naming someone,
    and 24 published comments, with their themes computed."""
    from consult.comments.services import post_comment
    from consult.summaries import recompute
    from tests.analysis.test_themes import _corpus
    from tests.summaries.helpers import respond, survey_consultation

    consultation = survey_consultation(make_consultation, k=5)
    texts, topics, _ = _corpus(["en"], per_topic=30, seed=4)
    for n, (text, topic) in enumerate(zip(texts, topics)):
        named = topic == "lights" and n % 8 == 0  # four answers name the same person
        respond(consultation, {"ideas": f"{text} {SECRET}" if named else text})
    comments, _, _ = _corpus(["en"], per_topic=8, seed=9)
    for n, text in enumerate(comments):
        post_comment(consultation, f"author-{n}", f"Comment {n}: {text}", "en")
    db.session.commit()
    recompute.recompute_themes(consultation)
    db.session.commit()
    return consultation


def _public(app, consultation) -> str:
    return app.test_client().get(f"/consultations/{consultation.slug}/results?lang=en") \
        .get_data(as_text=True)


def _stored(consultation) -> dict:
    from consult.summaries import snapshots

    return {source: s.result for source, s in
            snapshots.read(consultation.id, snapshots.THEMES).items()}


def test_public_results_show_no_themes_until_the_host_publishes_them(app, client, auth,
                                                                     make_user, published):
    assert not published.publish_themes  # off unless the host turns it on
    assert "Themes in what people wrote" not in _public(app, published)
    auth.login(make_user(published.host, Role.PLANNER))
    report = client.get(f"/manage/consultations/{published.slug}/report?lang=en")
    assert "Themes in what people wrote" in report.get_data(as_text=True)  # planners: always
    published.publish_themes = True
    db.session.commit()
    assert "Themes in what people wrote" in _public(app, published)


def test_published_themes_quote_published_comments_never_survey_answers(app, published):
    from consult.surveys.models import Answer

    published.publish_themes = True
    db.session.commit()
    html = _public(app, published)
    stored = _stored(published)
    assert stored["question:ideas"]["themes"] and stored["comments"]["themes"]
    assert "Comment " in html and "<blockquote" in html  # published comments are quoted
    for text in db.session.scalars(db.select(Answer.text).where(Answer.text.is_not(None))):
        assert str(escape(text)) not in html  # no survey answer, whole, anywhere on the page


def test_a_theme_below_k_is_never_public(app, client, auth, make_user, published):
    from consult.summaries import qualitative
    from consult.surveys.services import get_survey

    published.publish_themes = True
    published.min_cell_size = max(t["answers"] for r in _stored(published).values()
                                  for t in r["themes"]) + 1  # every theme now below k
    db.session.commit()
    html = _public(app, published)
    assert "Themes in what people wrote" not in html
    planner_view = qualitative.theme_views(published, get_survey(published), planner=True)
    assert planner_view and all(t.size is None for s in planner_view for t in s.themes)


def test_a_survey_theme_shows_publicly_only_terms_k_answers_used(app, published):
    from consult.summaries import qualitative
    from consult.surveys.services import get_survey

    published.publish_themes = True
    db.session.commit()
    survey = get_survey(published)
    planner = {t.key: t for s in qualitative.theme_views(published, survey, planner=True)
               if s.source == "question:ideas" for t in s.themes}
    # The planners see the name among the terms of the theme that holds those answers...
    assert any(SECRET.lower() in t.terms for t in planner.values())
    public = [t for s in qualitative.theme_views(published, survey, planner=False)
              if s.source == "question:ideas" for t in s.themes]
    assert public
    for theme in public:
        # ...the public never: four answers used it, fewer than k = 5.
        assert SECRET.lower() not in theme.terms and not theme.quotes
        stored = next(t for t in _stored(published)["question:ideas"]["themes"]
                      if t["key"] == theme.key)
        uses = dict(zip(stored["terms"], stored["uses"]))
        assert all(uses[term] >= published.min_cell_size for term in theme.terms)
        assert theme.size >= published.min_cell_size
    assert SECRET not in _public(app, published) and SECRET.lower() not in _public(app, published)


def test_the_host_turns_theme_publication_on_and_the_audit_log_records_it(client, auth,
                                                                           make_user,
                                                                           published):
    from consult.audit.models import AuditEntry
    from consult.consultations.services import get_consultation

    auth.login(make_user(published.host, Role.HOST))
    form = {"default_language": "en", "languages": ["en", "fr"], "moderation_mode": "post",
            "participation_mode": "anonymous", "visibility": "public", "time_zone": "UTC",
            "min_cell_size": "5", "title__en": "Title"}
    edit = f"/manage/consultations/{published.slug}/edit"
    assert "Publish the themes of what people wrote" in client.get(edit).get_data(as_text=True)
    assert client.post_form(edit, {**form, "publish_themes": "y"}).status_code == 302
    db.session.expire_all()
    assert get_consultation(published.slug).publish_themes
    entry = db.session.scalars(db.select(AuditEntry).filter_by(
        action="consultation.themes_publication_changed")).one()
    assert entry.detail == "False -> True" and entry.target == published.slug
    assert client.post_form(edit, form).status_code == 302  # unticked: off again
    db.session.expire_all()
    assert not get_consultation(published.slug).publish_themes


def test_the_demo_publishes_themes_named_by_what_people_wrote(app, client, auth):
    from consult.analysis.stopwords import is_stop_word
    from consult.consultations.services import get_consultation

    app.test_cli_runner().invoke(args=["consult", "demo"])
    themes = []
    for slug in ("youth-jobs-harbour", "safer-port-amani"):
        assert get_consultation(slug).publish_themes
        themes += [t for r in _stored(get_consultation(slug)).values() for t in r["themes"]]
    assert themes
    for theme in themes:  # "des, the, de, les, la", "un, au, ne", "أن, من" no more
        assert theme["terms"] and not any(is_stop_word(term) for term in theme["terms"])
    public = app.test_client().get("/consultations/youth-jobs-harbour/results?lang=en")
    html = public.get_data(as_text=True)
    assert "Themes in what people wrote" in html
    auth.login("planner@demo.example", "consult-demo-2026")
    report = client.get("/manage/consultations/youth-jobs-harbour/report?lang=en")
    for page in (html, report.get_data(as_text=True)):
        for name in ("des, the, de", "un, au, ne", "أن, من", "<bdi>des</bdi>", "<bdi>أن</bdi>"):
            assert name not in page
