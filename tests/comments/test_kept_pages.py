"""Kept thread and vote pages (comments/kept_pages.py): what a reader could learn, or miss,
from a page kept for everyone. Each kept page is first read, so that it is kept, then the
change is made, then it is read again."""
import re

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from consult import create_app
from consult.accounts.models import Role
from consult.comments import services
from consult.comments.models import Comment, CommentState
from consult.comments.revisions import CommentRevision
from consult.consultations.lifecycle import ModerationMode, ParticipationMode, State
from consult.extensions import db
from tests.conftest import Client, base_config, translated

_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
_KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
_PRESSED = re.compile(r'/(\d+)/vote">(?:(?!</form>).)*?value="(\w+)" aria-pressed="true"',
                      re.S)


def _thread(consultation, query=""):
    return f"/consultations/{consultation.slug}/comments{query}"


def _vote_page(consultation, query=""):
    return f"/consultations/{consultation.slug}/vote{query}"


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _statements(client, url) -> int:
    count = 0

    def count_one(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", count_one)
    try:
        _html(client, url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count_one)
    return count


def _moderate(app, make_user, consultation, comment, data):
    """A moderator's decision through the moderation page, from their own browser."""
    moderator = make_user(consultation.host, Role.MODERATOR)
    browser = app.test_client()
    browser.post_form("/manage/login", {"email": moderator.email,
                                        "password": "correct horse battery"})
    response = browser.post_form(
        f"/manage/consultations/{consultation.slug}/moderation/comments/{comment.id}", data)
    assert response.status_code == 303


def test_a_comment_hidden_by_a_moderator_leaves_the_kept_first_page_at_once(
        app, client, consultation, make_comment, make_user):
    comment = make_comment(consultation, body="Names the neighbour who reported them")
    assert "Names the neighbour" in _html(client, _thread(consultation))
    _moderate(app, make_user, consultation, comment, {"action": "hide", "reason": "abuse"})
    assert "Names the neighbour" not in _html(client, _thread(consultation))
    assert "Names the neighbour" not in _html(app.test_client(), _thread(consultation))


def test_a_redacted_passage_leaves_the_kept_first_page_at_once(app, client, consultation,
                                                                make_comment, make_user):
    comment = make_comment(consultation, body="Call Juma on 0712 345 678 about the bus.")
    for sort in ("", "?sort=agreed", "?sort=unvoted"):
        assert "0712 345 678" in _html(client, _thread(consultation, sort))
    _moderate(app, make_user, consultation, comment, {
        "action": "redact", "reason": "personal_information", "spans": "0712 345 678"})
    for sort in ("", "?sort=agreed", "?sort=unvoted"):
        html = _html(client, _thread(consultation, sort))
        assert "0712 345 678" not in html and "Call Juma on […]" in html


def test_a_withdrawn_comment_leaves_every_readers_kept_page_at_once(app, client, consultation):
    author = app.test_client()
    author.post_form(_thread(consultation), {"body": "I should not have said this"},
                     follow_redirects=True)
    assert "I should not have said this" in _html(client, _thread(consultation))
    mine = db.session.scalar(db.select(Comment))
    author.post_form(_thread(consultation, f"/{mine.id}/withdraw"))
    assert "I should not have said this" not in _html(client, _thread(consultation))
    assert "I should not have said this" not in _html(author, _thread(consultation))


def test_a_change_through_another_worker_is_seen_at_the_next_request(app, client,
                                                                     consultation,
                                                                     make_comment):
    comment = make_comment(consultation, body="Said once")
    other_worker = create_app({**base_config(app.config["DATABASE_URL"]),
                               "CONSULT_TEST_BACKEND": app.config["CONSULT_TEST_BACKEND"]})
    other_worker.test_client_class = Client
    elsewhere = other_worker.test_client()
    try:
        assert "Said once" in _html(elsewhere, _thread(consultation))
        assert "Agree <b>0</b>" in _html(elsewhere, _thread(consultation))
        client.post_form(_thread(consultation, f"/{comment.id}/vote"), {"vote": "agree"})
        assert "Agree <b>1</b>" in _html(elsewhere, _thread(consultation))
        services.set_state(comment, CommentState.HIDDEN)
        db.session.commit()
        assert "Said once" not in _html(elsewhere, _thread(consultation))
    finally:
        with other_worker.app_context():
            db.session.remove()
            db.engine.dispose()


def test_one_readers_csrf_token_and_form_key_never_reach_another_reader(app, consultation,
                                                                       make_comment):
    make_comment(consultation, body="Something to vote on")
    first, second = app.test_client(), app.test_client()
    for url in (_thread(consultation), _vote_page(consultation)):
        pages = [_html(first, url), _html(second, url), _html(first, url)]
        tokens = [set(_TOKEN.findall(page)) for page in pages]
        assert all(len(found) == 1 for found in tokens)
        assert tokens[0] != tokens[1]
        assert not any("\ue000" in page for page in pages)  # no placeholder left
    first_key, second_key = (_KEY.findall(_html(c, _thread(consultation)))
                             for c in (first, second))
    assert first_key != second_key
    # The token on the second reader's kept page is theirs: it works for them...
    token = _TOKEN.search(_html(second, _thread(consultation))).group(1)
    response = second.post(_thread(consultation), data={"csrf_token": token,
                                                        "body": "With my own token"})
    assert response.status_code == 303
    # ...and for nobody else.
    response = first.post(_thread(consultation), data={"csrf_token": token,
                                                       "body": "With someone else's token"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 2


def test_one_readers_votes_are_never_pressed_on_another_readers_page(app, consultation,
                                                                    make_comment):
    one, two = make_comment(consultation, body="One"), make_comment(consultation, body="Two")
    first, second, newcomer = app.test_client(), app.test_client(), app.test_client()
    first.post_form(_thread(consultation, f"/{one.id}/vote"), {"vote": "disagree"})
    second.post_form(_thread(consultation, f"/{two.id}/vote"), {"vote": "pass"})
    for _ in range(2):  # the second time from the kept page
        assert _PRESSED.findall(_html(first, _thread(consultation))) == [
            (str(one.id), "disagree")]
        assert _PRESSED.findall(_html(second, _thread(consultation))) == [(str(two.id), "pass")]
        assert _PRESSED.findall(_html(newcomer, _thread(consultation))) == []


def test_language_variants_of_a_kept_page_never_mix(app, client, consultation, make_comment):
    make_comment(consultation, body="Something to vote on")
    agree_fr = translated("fr", "Agree")
    for _ in range(2):
        english = _html(client, _thread(consultation, "?lang=en"))
        french = _html(client, _thread(consultation, "?lang=fr"))
        assert '<html lang="en"' in english and "Agree <b>" in english
        assert f"{agree_fr} <b>" not in english
        assert '<html lang="fr"' in french and f"{agree_fr} <b>" in french
        assert "Agree <b>" not in french
        vote_fr = _html(client, _vote_page(consultation, "?lang=fr"))
        vote_en = _html(client, _vote_page(consultation, "?lang=en"))
        assert f">{agree_fr}</button>" in vote_fr and ">Agree</button>" not in vote_fr
        assert ">Agree</button>" in vote_en and f">{agree_fr}</button>" not in vote_en
    # A browser asking for French gets French, one asking for English gets English.
    french_browser = app.test_client()
    french_browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    assert f"{agree_fr} <b>" in _html(french_browser, _thread(consultation))
    assert "Agree <b>" in _html(app.test_client(), _thread(consultation))


def test_a_message_meant_for_one_reader_never_reaches_another(app, consultation):
    author, reader = app.test_client(), app.test_client()
    author.post_form(_thread(consultation), {"body": "Thanks to me"})
    _html(reader, _thread(consultation))
    assert "Your comment is published" in _html(author, _thread(consultation))
    assert "Your comment is published" not in _html(reader, _thread(consultation))


def test_a_readers_own_pending_comment_shows_to_them_alone_on_a_kept_thread(
        app, make_consultation):
    consultation = make_consultation(moderation_mode=ModerationMode.PRE)
    author, reader = app.test_client(), app.test_client()
    assert "No comments yet." in _html(reader, _thread(consultation))
    author.post_form(_thread(consultation), {"body": "Held for review"}, follow_redirects=True)
    for _ in range(2):
        html = _html(author, _thread(consultation))
        assert "Held for review" in html and "Awaiting moderation" in html
        assert "Held for review" not in _html(reader, _thread(consultation))


def test_a_signed_in_moderator_neither_gets_nor_leaves_a_kept_page(app, client, auth,
                                                                   consultation, make_user,
                                                                   make_comment):
    make_comment(consultation, body="Something")
    reader = app.test_client()
    assert "Sign out" not in _html(reader, _thread(consultation))
    moderator = make_user(consultation.host, Role.MODERATOR)
    auth.login(moderator)
    for url in (_thread(consultation), _vote_page(consultation)):
        assert "Sign out" in _html(client, url)
        assert "Sign out" not in _html(reader, url)


def test_a_codename_holder_never_gets_the_gate_kept_for_readers_without_one(app,
                                                                          make_consultation):
    consultation = make_consultation(participation_mode=ParticipationMode.CODENAME)
    without, holder = app.test_client(), app.test_client()
    holder.post_form("/codename")
    for _ in range(2):
        html = _html(without, _thread(consultation))
        assert "ask participants to use a codename" in html and 'name="body"' not in html
        html = _html(holder, _thread(consultation))
        assert "ask participants to use a codename" not in html and 'name="body"' in html


def test_forms_of_a_kept_page_post_back_to_the_readers_own_address(client, consultation,
                                                                   make_comment):
    comment = make_comment(consultation)
    for query in ("?sort=agreed&lang=fr", "?lang=fr&sort=agreed", ""):
        html = _html(client, _thread(consultation, query))
        here = _thread(consultation, query).replace("&", "&amp;")
        assert f'<form method="post" action="{here}" class="comment-form"' in html
        assert f'name="next" value="{here}#c{comment.id}"' in html


def test_junk_query_strings_cannot_fill_the_cache(client, consultation, make_comment):
    make_comment(consultation)
    kept = _statements(client, _thread(consultation))
    assert _statements(client, _thread(consultation)) == 1  # kept: the facts only
    for query in ("?x=1", "?sort=bogus", "?lang=xx", "?sort=agreed&sort=newest"):
        # Rendered afresh each time: the thread's own statements, never kept.
        assert _statements(client, _thread(consultation, query)) > 1
        assert _statements(client, _thread(consultation, query)) > 1
    assert kept > 1


def test_a_kept_page_costs_one_statement_and_a_voters_three(client, consultation,
                                                            make_comment):
    comment = make_comment(consultation)
    _html(client, _thread(consultation))
    _html(client, _vote_page(consultation))
    assert _statements(client, _thread(consultation)) == 1
    assert _statements(client, _vote_page(consultation)) == 1
    client.post_form(_thread(consultation, f"/{comment.id}/vote"), {"vote": "agree"})
    _html(client, _thread(consultation))
    # The facts, whether they wrote in this thread, and their votes on the page.
    assert _statements(client, _thread(consultation)) == 3


def test_a_hidden_statement_leaves_the_kept_vote_page_at_once(app, client, consultation,
                                                              make_comment, make_user):
    statement = make_comment(consultation, body="The only statement")
    assert "The only statement" in _html(client, _vote_page(consultation))
    _moderate(app, make_user, consultation, statement, {"action": "hide", "reason": "spam"})
    html = _html(client, _vote_page(consultation))
    assert "The only statement" not in html and "You have voted on every statement" in html


def test_newcomers_are_drawn_among_the_top_statements_and_voters_never_see_theirs_again(
        app, client, consultation, make_comment):
    made = [make_comment(consultation, body=f"Statement {n}") for n in range(7)]
    for comment in made[:2]:  # seen more: lower routing priority than the five others
        for voter in range(30):
            services_vote(comment, f"voter-{voter}")
    db.session.commit()
    seen = {m.group(1) for m in (re.search(r"(Statement \d)", _html(app.test_client(),
                                                                     _vote_page(consultation)))
                                 for _ in range(40))}
    assert seen <= {f"Statement {n}" for n in range(2, 7)} and len(seen) > 1
    for _ in range(5):  # a voter walks through the five, never shown one twice
        html = _html(client, _vote_page(consultation))
        shown = int(re.search(r'id="c(\d+)"', html).group(1))
        client.post_form(f"/consultations/{consultation.slug}/comments/{shown}/vote",
                         {"vote": "pass"})
        assert f'id="c{shown}"' not in _html(client, _vote_page(consultation))


def services_vote(comment, voter):
    """A vote through the service (the counters and the revision move with it)."""
    from consult.comments.models import VoteChoice
    from consult.comments.votes import cast_vote

    cast_vote(comment, voter, VoteChoice.AGREE)


def test_the_comment_revision_moves_once_per_transaction_and_never_on_rollback(
        app, consultation, make_comment):
    def revision():
        return db.session.scalar(db.select(db.func.sum(CommentRevision.revision)).filter_by(
            consultation_id=consultation.id)) or 0

    comment = make_comment(consultation)
    before = revision()
    services_vote(comment, "a")
    services_vote(comment, "b")
    services.set_state(comment, CommentState.HIDDEN)
    db.session.commit()
    assert revision() == before + 1
    services.set_state(comment, CommentState.PUBLISHED)
    db.session.rollback()
    db.session.commit()
    assert revision() == before + 1
    comment.body = "Edited outside any service"
    db.session.commit()
    assert revision() == before + 2
    another = make_comment(consultation)
    assert revision() == before + 3
    db.session.delete(another)
    db.session.commit()
    assert revision() == before + 4


def test_a_section_that_is_not_there_stays_404_for_a_reader_of_kept_pages(client,
                                                                       consultation):
    for _ in range(2):
        assert client.get(f"/consultations/{consultation.slug}/sections/99").status_code == 404
        assert client.get(f"/consultations/{consultation.slug}/sections/1").status_code == 200
    assert client.get("/consultations/no-such-thing/comments").status_code == 404
    assert client.get("/consultations/no-such-thing/vote").status_code == 404


def test_votes_on_two_comments_never_wait_for_each_others_commit(app, consultation,
                                                                 make_comment):
    """On PostgreSQL a moved counter stays locked until its transaction's commit reaches the
    disk: votes on different comments of a consultation move different counters."""
    if app.config["CONSULT_TEST_BACKEND"] != "postgresql":
        pytest.skip("SQLite has one writer at a time anyway")
    from consult.comments.revisions import SHARDS, _bump_statement

    one, two = make_comment(consultation), make_comment(consultation)
    assert one.id % SHARDS != two.id % SHARDS
    statement = _bump_statement("postgresql")
    first, second = db.engine.connect(), db.engine.connect()
    try:
        first.execute(statement, {"id": consultation.id, "shard": one.id % SHARDS})
        second.execute(text("SET LOCAL lock_timeout = '2s'"))
        second.execute(statement, {"id": consultation.id, "shard": two.id % SHARDS})
        second.rollback()
        second.execute(text("SET LOCAL lock_timeout = '200ms'"))
        with pytest.raises(OperationalError):  # the same counter does wait
            second.execute(statement, {"id": consultation.id, "shard": one.id % SHARDS})
    finally:
        second.rollback()
        first.rollback()
        first.close()
        second.close()


def test_a_drafts_pages_are_never_kept_for_readers_after_staff_preview_them(app, client, auth,
                                                                          make_consultation,
                                                                          make_user):
    consultation = make_consultation(state=State.DRAFT)
    reader = app.test_client()
    for url in (_thread(consultation), _vote_page(consultation)):
        assert reader.get(url).status_code == 404
    auth.login(make_user(consultation.host, Role.HOST))
    for url in (_thread(consultation), _vote_page(consultation)):
        assert client.get(url).status_code == 200
        assert reader.get(url).status_code == 404
