"""The demo consultation has comments in several languages, replies and votes, once."""
from consult.comments.models import Comment
from consult.consultations.services import get_consultation
from consult.demo import load_demo
from consult.extensions import db


def test_demo_comments_are_created_once_with_counts_that_match(app, client):
    load_demo()
    db.session.commit()
    load_demo()
    db.session.commit()
    consultation = get_consultation("safer-port-amani")
    comments = list(db.session.scalars(db.select(Comment).filter_by(
        consultation_id=consultation.id).filter(  # not the moderation demo's (its own test)
        ~Comment.author_key.startswith("demo-mod-"))))
    assert len(comments) == 9 and {c.language for c in comments} >= {"en", "fr", "es", "ar"}
    top = next(c for c in comments if c.body.startswith("The bus station"))
    assert (top.agree_count, top.disagree_count, top.pass_count, top.reply_count) == (14, 2, 1, 2)
    html = client.get("/consultations/safer-port-amani/comments").get_data(as_text=True)
    assert "The bus station is the worst place after dark." in html
