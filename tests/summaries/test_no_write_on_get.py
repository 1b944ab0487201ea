"""Summary pages never write: a GET of every public and staff summary page performs no INSERT,
UPDATE or DELETE, even with responses waiting to be folded into the tallies and analyses out
of date (the page queues that work instead), and its figures still count every response."""
from sqlalchemy import event

from consult.accounts.models import Role
from consult.comments import services as comments
from consult.comments.models import VoteChoice
from consult.comments.votes import cast_vote
from consult.extensions import db
from consult.summaries import qualitative
from consult.surveys.services import get_survey
from tests.analysis.test_themes import _corpus
from tests.jobs.test_analysis_jobs import queued, run_queued  # noqa: F401  (fixture)
from tests.summaries.helpers import respond, survey_consultation

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "UPSERT", "MERGE")


def _add_data(consultation, texts, voters: int) -> None:
    """Responses with free text, comments and votes on them."""
    for text in texts:
        respond(consultation, {"role": "trader", "area": "port", "ideas": text})
    posted = [comments.post_comment(consultation, f"author-{n}-{voters}", text, "en")
              for n, text in enumerate(texts[:8])]
    db.session.commit()
    for comment in posted[:4]:
        for voter in range(voters):
            cast_vote(comment, f"voter-{voter}", VoteChoice.AGREE if voter % 2 else
                      VoteChoice.DISAGREE)
    db.session.commit()


def test_no_summary_page_writes_even_with_work_waiting(app, client, auth, make_user,
                                                       make_consultation, queued):  # noqa: F811
    consultation = survey_consultation(make_consultation, k=5)
    texts, _, _ = _corpus(["en"], per_topic=10, seed=2)
    _add_data(consultation, texts, voters=6)
    auth.login(make_user(consultation.host, Role.PLANNER))
    report = f"/manage/consultations/{consultation.slug}/report"
    client.get(report)
    run_queued()  # the analyses are stored (and the responses folded in by that job)
    more, _, _ = _corpus(["en"], per_topic=2, seed=3)
    _add_data(consultation, more, voters=3)  # six responses now wait to be folded in
    survey = get_survey(consultation)
    (source,) = [s for s in qualitative.theme_views(consultation, survey, planner=True)
                 if s.source == "question:ideas"]
    pages = [f"/consultations/{consultation.slug}/results?lang=en",
             f"/consultations/{consultation.slug}/results/questions/role?lang=en",
             f"/api/v1/consultations/{consultation.slug}/summary",
             report + "?lang=en",
             f"/manage/consultations/{consultation.slug}/themes/question:ideas/"
             f"{source.themes[0].key}"]
    written, read = [], []

    def watch(conn, cursor, statement, parameters, context, executemany):
        read.append(statement)
        if statement.lstrip().upper().startswith(WRITES):
            written.append(statement.split("\n")[0][:80])

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        answers = [client.get(page) for page in pages]
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert [a.status_code for a in answers] == [200] * len(pages)
    assert written == [] and len(read) > 20  # the listener saw every statement
    results, report_html = answers[0].get_data(as_text=True), answers[3].get_data(as_text=True)
    assert "36 responses counted" in results  # the six waiting ones included, exactly
    assert answers[2].get_json()["respondents"]["count"] == 36
    assert "Newer responses are not yet included." in report_html
    assert "newer responses are" not in report_html  # survey counts: only ever protected
    assert "newer votes are not yet included." in report_html or "Opinion groups" not in \
        report_html
    assert queued.pending_count() >= 1  # what the pages asked for waits for the worker
    run_queued()
    assert "not yet included" not in client.get(report).get_data(as_text=True)
