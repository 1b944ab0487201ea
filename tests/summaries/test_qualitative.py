"""Opinion groups and themes on the planner report and the public results."""
import random
from pathlib import Path

import pytest

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
