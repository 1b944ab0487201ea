"""Withdrawing a comment erases its words (and every copy of them), leaves "withdrawn by its
author" in the thread, and drops the votes on it from the opinion groups."""
from consult.accounts.models import Role
from consult.comments.models import Comment, CommentState, Vote, VoteChoice
from consult.comments.services import post_comment as stored_comment
from consult.comments.translations import CommentTranslation, save_translation
from consult.comments.votes import cast_vote
from consult.extensions import db
from consult.moderation.models import Action, Reason, RedactionRecord
from consult.moderation.services import decide
from consult.summaries.opinions import consultation_opinions
from tests.participants.conftest import database_dump, post_comment

SECRET = "Ziwani checkpoint officer Baraka takes bribes 0712345678"


def _withdraw(client, comment_id):
    return client.post_form(f"/receipt/comments/{comment_id}/withdraw")


def test_withdraw_leaves_no_text_in_a_database_dump(app, client, consultation, make_user):
    mine = post_comment(client, consultation, SECRET)
    comment = db.session.get(Comment, mine)
    moderator = make_user(consultation.host, Role.MODERATOR)
    save_translation(comment, "fr", f"{SECRET} (traduit)", moderator)
    decide(comment, Action.REDACT, Reason.PERSONAL_INFORMATION, moderator,
           spans=["0712345678"])
    for n in range(3):
        cast_vote(comment, f"voter-{n}", VoteChoice.AGREE)
    db.session.commit()
    assert SECRET in database_dump()  # the redaction's original, at least
    page = client.get(f"/receipt/comments/{mine}/withdraw")
    assert page.status_code == 200 and "erased for good" in page.get_data(as_text=True)
    response = _withdraw(client, mine)
    assert response.status_code == 303
    db.session.expire_all()
    dump = database_dump()
    for words in ("Ziwani", "Baraka", "0712345678", "traduit"):
        assert words not in dump
    comment = db.session.get(Comment, mine)
    assert comment.state is CommentState.WITHDRAWN and comment.body == ""
    assert db.session.scalar(db.select(db.func.count(CommentTranslation.id))) == 0
    assert db.session.scalar(db.select(db.func.count(RedactionRecord.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 0
    assert comment.vote_count == 0


def test_the_thread_shows_withdrawn_by_its_author_and_replies_stay(app, client, consultation):
    mine = post_comment(client, consultation, "Words I take back")
    reply = stored_comment(consultation, "someone-else", "A reply that stays", "en",
                           parent=db.session.get(Comment, mine), state=CommentState.PUBLISHED)
    db.session.commit()
    _withdraw(client, mine)
    html = app.test_client().get(f"/consultations/{consultation.slug}/comments/{mine}") \
        .get_data(as_text=True)
    assert "Withdrawn by its author." in html and "Words I take back" not in html
    assert "A reply that stays" in html and reply.state is CommentState.PUBLISHED


def test_withdrawing_from_the_thread_page_erases_too(app, client, consultation):
    mine = post_comment(client, consultation, "Posted then regretted")
    client.post_form(f"/consultations/{consultation.slug}/comments/{mine}/withdraw")
    db.session.expire_all()
    assert "Posted then regretted" not in database_dump()


def test_votes_on_a_withdrawn_comment_are_dropped_from_the_opinion_groups(
        app, client, consultation):
    mine = post_comment(client, consultation, "A statement I withdraw")
    others = [stored_comment(consultation, "author-x", f"Statement {n}", "en",
                             state=CommentState.PUBLISHED) for n in range(3)]
    db.session.commit()
    for n in range(8):
        for statement in [db.session.get(Comment, mine), *others]:
            cast_vote(statement, f"voter-{n}", VoteChoice.AGREE if n % 2 else VoteChoice.DISAGREE)
    db.session.commit()
    _withdraw(client, mine)
    db.session.expire_all()
    result = consultation_opinions(consultation).result
    assert mine not in result.extremity and others[0].id in result.extremity
    assert db.session.scalar(db.select(db.func.count(Vote.id)).filter_by(comment_id=mine)) == 0


def test_someone_with_another_receipt_cannot_withdraw_your_comment(app, client, consultation):
    mine = post_comment(client, consultation, "Not yours to withdraw")
    stranger = app.test_client()
    post_comment(stranger, consultation, "The stranger's own comment")
    assert stranger.get(f"/receipt/comments/{mine}/withdraw").status_code == 404
    assert _withdraw(stranger, mine).status_code == 404
    listed = stranger.get("/receipt/comments").get_data(as_text=True)
    assert "Not yours to withdraw" not in listed and "The stranger&#39;s own comment" in listed
    db.session.expire_all()
    comment = db.session.get(Comment, mine)
    assert comment.state is CommentState.PUBLISHED and comment.body == "Not yours to withdraw"


def test_withdrawing_twice_is_harmless(app, client, consultation):
    mine = post_comment(client, consultation, "Twice")
    assert _withdraw(client, mine).status_code == 303
    assert _withdraw(client, mine).status_code == 303
    listed = client.get("/receipt/comments").get_data(as_text=True)
    assert "Withdrawn by its author." in listed


def test_the_comment_page_leads_to_the_confirmation_first(app, client, consultation):
    mine = post_comment(client, consultation, "Think twice")
    html = client.get(f"/consultations/{consultation.slug}/comments/{mine}").get_data(
        as_text=True)
    assert f'href="/receipt/comments/{mine}/withdraw"' in html
    assert db.session.get(Comment, mine).body == "Think twice"


def test_a_copy_of_the_sqlite_file_holds_no_erased_words_in_its_free_pages(
        app, client, consultation):
    """iterdump reads only live rows: an attacker with a copy of the file reads its bytes.
    Without secure_delete, SQLite leaves an erased comment's words in the page's free space."""
    if db.session.connection().dialect.name != "sqlite":
        return  # PostgreSQL's dead tuples are VACUUM's business (see the deployment guide)
    mine = post_comment(client, consultation, SECRET)
    path = db.engine.url.database

    def file_bytes() -> bytes:
        db.session.commit()
        db.session.execute(db.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        with open(path, "rb") as copied:
            return copied.read()

    assert b"Ziwani" in file_bytes()
    _withdraw(client, mine)
    assert b"Ziwani" not in file_bytes()
