"""The public programme page: indicators over the published rounds with charts and tables,
the action plan, translated, within its budget, and nothing the rounds' pages do not show."""
import datetime as dt
import re

from consult.accounts.models import Role
from consult.comments.models import CommentState
from consult.comments.services import post_comment
from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.programmes import commitments, services
from consult.programmes import indicators as indicator_services
from consult.programmes.commitments import CommitmentState
from consult.programmes.models import Direction
from tests.programmes.public_helpers import (
    SAFE,
    SECRET,
    SOUTH,
    UNSAFE,
    commit_to,
    indicator_link,
    next_round,
    publish,
    replace,
    wide_survey,
)
from tests.summaries.helpers import respond

PAGE_BUDGET = 60_000


def page(client, programme, **params):
    response = client.get(f"/programmes/{programme.slug}", query_string=params)
    return response.status_code, response.get_data(as_text=True)


def published_programme(make_programme, **settings):
    programme = make_programme(**settings)
    first = programme.rounds[0].consultation
    respond(first, SAFE, times=14)
    respond(first, UNSAFE, times=11)
    respond(first, SOUTH, times=3)
    publish(first)
    return programme


def test_an_unknown_programme_is_not_found(client):
    assert client.get("/programmes/no-such-programme").status_code == 404


def test_before_any_published_round_only_its_managers_see_a_preview(
        app, client, auth, make_programme, make_user, make_org):
    programme = make_programme()
    respond(programme.rounds[0].consultation, SAFE, times=12)
    assert page(client, programme)[0] == 404
    for outsider in (make_user(make_org(), Role.HOST), make_user(programme.host, Role.MODERATOR)):
        auth.login(outsider)
        assert page(client, programme)[0] == 404
        auth.logout()
    auth.login(make_user(programme.host, Role.HOST))
    status, html = page(client, programme)
    assert status == 200 and "Preview" in html and " · n=" not in html
    auth.logout()
    # The staff preview was not kept for the public.
    assert page(app.test_client(), programme)[0] == 404


def test_the_page_shows_each_indicator_with_chart_table_and_round_links(client, make_programme):
    programme = published_programme(make_programme)
    next_round(programme, "round-two", [(UNSAFE, 40), (SAFE, 12)])
    status, html = page(client, programme)
    assert status == 200
    for name in ("Feeling safe", "Trust in the hotline", "Harm from the pilot"):
        assert name in html
    assert html.count('<svg class="chart trend"') == 3 and "<script" not in html
    feel_safe = programme.indicators[0]
    link = f"/programmes/{programme.slug}/indicators/{feel_safe.id}"
    assert link in html
    detail = client.get(link).get_data(as_text=True)
    assert "/consultations/round-two/results/questions/feel_safe" in detail
    assert detail.count('<svg class="chart trend"') == 1
    assert "/consultations/round-two/results\"" in html
    round_page = client.get("/consultations/round-two/results").get_data(as_text=True)
    assert "/consultations/round-two/results/data/datapackage.json" in round_page
    assert "Change tested by the Mann-Whitney test." in detail
    harm = client.get(f"/programmes/{programme.slug}/indicators/{programme.indicators[2].id}")
    assert "Change tested by the two-proportion test." in harm.get_data(as_text=True)
    assert ": worse</td>" in html and "Set by the host." in html


def test_a_round_not_yet_published_shows_nothing_even_with_answers(client, make_programme):
    programme = published_programme(make_programme)
    next_round(programme, "round-closed", [(UNSAFE, 40)], state=State.CLOSED)
    status, html = page(client, programme)
    assert status == 200 and "round-closed" not in html and "Round 2" not in html
    assert "n=40" not in html and "n=68" not in html


def test_a_small_group_is_hidden_on_the_page_as_on_the_rounds_page(client, make_programme):
    programme = published_programme(make_programme)
    html = client.get(f"/programmes/{programme.slug}/indicators/{programme.indicators[0].id}"
                      ).get_data(as_text=True)
    round_page = client.get(
        f"/consultations/{programme.rounds[0].consultation.slug}/results/questions/feel_safe"
    ).get_data(as_text=True)
    assert "South fewer than 10 answers" in html or "South not shown" in html
    assert "fewer than 10" in round_page


def test_no_free_text_answer_ever_appears(client, make_programme):
    programme = published_programme(make_programme)
    html = page(client, programme)[1]
    assert SECRET not in html
    for name in ("indicators", "indicator_rounds", "changes", "commitments"):
        for suffix in ("csv", "json"):
            data = client.get(f"/programmes/{programme.slug}/data/{name}.{suffix}")
            assert data.status_code == 200 and SECRET.encode() not in data.data


def _proposed_from_a_comment(make_programme, body):
    programme = make_programme(indicators=False)
    round_ = programme.rounds[0]
    comment = post_comment(round_.consultation, "participant-x", body, "en",
                           state=CommentState.PUBLISHED)
    db.session.commit()
    proposal = indicator_services.propose(programme, round_, {"en": "Feeling safe at night"},
                                          None, comment=comment)
    indicator_services.add_indicator(
        programme, indicator_services.question_in(round_.consultation, "feel_safe"),
        {"en": "Feeling safe"}, Direction.HIGHER_IS_BETTER, [], None, proposal)
    db.session.commit()
    respond(round_.consultation, SAFE, times=12)
    publish(round_.consultation)
    return programme, comment


def test_an_indicator_shows_the_published_comment_it_came_from(client, make_programme):
    programme, _comment = _proposed_from_a_comment(make_programme, "Walking home is scary")
    html = page(client, programme)[1]
    assert "Proposed from a comment (Round 1):" in html and "Walking home is scary" in html


def test_an_unpublished_comment_used_as_a_proposal_source_never_shows_its_text(
        client, make_programme):
    programme, comment = _proposed_from_a_comment(make_programme, "Hidden words Qwertzuiop")
    comment.state = CommentState.HIDDEN
    db.session.commit()
    html = page(client, programme)[1]
    assert "Qwertzuiop" not in html and "no longer published" in html


def test_commitments_by_status_with_due_dates_progress_links_and_timeline(
        client, make_programme):
    programme = published_programme(make_programme)
    feel = programme.indicators[0]
    late = commit_to(programme, "Repair the street lights", progress=30,
                     due_on=dt.date.today() - dt.timedelta(days=3), links=[indicator_link(feel)],
                     note="Contract signed")
    commit_to(programme, "Train hotline staff", status_key="done", progress=100,
              due_on=dt.date.today() - dt.timedelta(days=30))
    done = next(s for s in programme.statuses if s.key == "done")
    commitments.update_commitment(late, CommitmentState(
        {("title", "en"): "Repair the street lights"}, "City council", late.due_on, done, 100),
        {"en": "All lamps work"}, None)
    db.session.commit()
    html = page(client, programme)[1]
    assert html.count("Overdue") == 0  # both done now
    assert '<progress id="progress-' in html and 'value="100"' in html
    assert "Responsible: City council" in html and f'href="#indicator-{feel.id}"' in html
    assert "Timeline (2 entries)" in html and "All lamps work" in html
    assert "Contract signed" in html and "changed: status, progress, and who is responsible" \
        in html


def test_an_overdue_commitment_is_flagged(client, make_programme):
    programme = published_programme(make_programme)
    commit_to(programme, "Open the night bus", due_on=dt.date.today() - dt.timedelta(days=1))
    commit_to(programme, "Paint the crossings", due_on=dt.date.today() + dt.timedelta(days=9))
    assert page(client, programme)[1].count("<strong>Overdue</strong>") == 1


def test_providers_scores_appear_beside_the_communitys(client, make_programme, make_user):
    programme = make_programme()
    round_ = programme.rounds[0]
    respond(round_.consultation, SAFE, times=12)
    for value in ("agree", "disagree"):
        indicator_services.score(round_, programme.indicators[0], make_user(programme.host),
                                 programme.host.id, value)
    db.session.commit()
    publish(round_.consultation)
    html = page(client, programme)[1]
    assert "Service providers (self-assessment)" in html and "50% (" in html and "n=2" in html


def test_other_languages_mark_untranslated_text_and_arabic_reads_right_to_left(
        client, make_programme):
    programme = published_programme(make_programme, languages=("en", "fr", "ar"))
    french = page(client, programme, lang="fr")[1]
    assert "Programme 1 [fr]" in french and 'class="fallback"' in french  # indicator names
    arabic = page(client, programme, lang="ar")[1]
    assert 'dir="rtl"' in arabic and 'direction="rtl"' in arabic


def test_the_kept_page_changes_when_the_plan_or_a_rounds_data_does(client, make_programme):
    programme = published_programme(make_programme)
    first = page(client, programme)[1]
    assert page(client, programme)[1] == first
    commit_to(programme, "Light the market")
    assert "Light the market" in page(client, programme)[1]
    round_ = programme.rounds[0].consultation
    round_.state = State.CLOSED
    db.session.commit()
    assert page(client, programme)[0] == 404


def test_an_indicator_page_shows_every_round_and_the_programme_page_the_latest(
        client, make_programme):
    programme = published_programme(make_programme)
    for n in range(2, 7):
        next_round(programme, f"round-{n}", [(SAFE, 10 + n), (UNSAFE, 12)])
    status, html = page(client, programme)
    feel_safe = programme.indicators[0]
    section = html.split(f'id="indicator-{feel_safe.id}"')[1].split("</section>")[0]
    assert section.count('<th scope="row">') == 4 and "Every round (6)" in section
    detail = client.get(f"/programmes/{programme.slug}/indicators/{feel_safe.id}")
    assert detail.get_data(as_text=True).count('<th scope="row">') == 6
    assert client.get(f"/programmes/{programme.slug}/indicators/999999").status_code == 404


def test_an_indicator_page_is_not_found_before_a_round_is_published(client, make_programme):
    programme = make_programme()
    url = f"/programmes/{programme.slug}/indicators/{programme.indicators[0].id}"
    assert client.get(url).status_code == 404


def test_ten_indicators_over_twelve_rounds_stay_within_the_page_budget(
        app, make_org, make_consultation, make_user):
    """The page with the stylesheet (a first visit downloads both), providers' scores in
    every round, six commitments with notes: under the project's 60 KB in every language."""
    host = make_org()
    officer = make_user(host, Role.PLANNER)
    programme = services.create_programme(host, "wide", "en", ["en", "fr", "ar"],
                                          {("title", "en"): "Community safety"}, None)
    for n in range(12):
        consultation = make_consultation(host=host, languages=("en", "fr"), sections=0)
        replace(consultation, wide_survey(10))
        services.add_round(programme, consultation, None)
        if n == 0:
            for q in range(1, 11):
                indicator_services.add_indicator(
                    programme, indicator_services.question_in(consultation, f"q{q}"),
                    {"en": f"Indicator number {q}"}, Direction.HIGHER_IS_BETTER, [], None)
        db.session.commit()
        answer = {f"q{q}": ("agree" if (q + n) % 3 else "disagree") for q in range(1, 11)}
        respond(consultation, {**answer, "area": "north"}, times=12)
        respond(consultation, {**answer, "area": "south"}, times=10 + n)
        round_ = programme.rounds[-1]
        for indicator in programme.indicators:
            indicator_services.score(round_, indicator, officer, host.id, "agree")
        db.session.commit()
        publish(consultation)
    for n in range(6):
        commit_to(programme, f"Commitment number {n}", links=[indicator_link(
            programme.indicators[n])], note="A note on progress so far")
    for language in ("en", "fr", "ar"):
        client = app.test_client()
        status, html = page(client, programme, lang=language)
        stylesheet = re.search(r'href="([^"]+\.css)"', html).group(1)
        with client.get(stylesheet) as response:
            css = len(response.get_data())
        size = len(html.encode()) + css
        print(f"\nprogramme page, 10 indicators x 12 rounds ({language}): {size} bytes "
              f"with the stylesheet ({css})")
        assert status == 200 and html.count("<svg") == 10 and 'stroke-dasharray="5 3"' in html
        assert size < PAGE_BUDGET
