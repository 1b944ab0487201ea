"""Moderation pages for tests/test_pseudo_locale.py: the queue's tabs with items, a review
with reports, flags, history and an appeal, watched words, the public page, reporting, and a
participant's decisions and appeal, in normal and error states."""
from consult.accounts.models import Role
from consult.comments.services import post_comment
from consult.extensions import db
from consult.moderation import services
from consult.moderation.models import Action, Reason, WordAction

CONTENT = "§"


def moderation_pages(client, consultation, user):
    """(name, response) pairs; client is signed in as user, who becomes a moderator."""
    from consult.accounts import services as accounts

    accounts.add_membership(user, consultation.host, Role.MODERATOR)
    other = accounts.create_user("mod2@example.org", "correct horse battery", f"{CONTENT} Mod")
    accounts.add_membership(other, consultation.host, Role.MODERATOR)
    services.add_watched_word(consultation, f"{CONTENT}word", "*", WordAction.FLAG, user)
    db.session.commit()
    participant = client.application.test_client()
    base = f"/consultations/{consultation.slug}"
    participant.post_form(f"{base}/comments", {"body": f"{CONTENT} mail a@example.org"})
    participant.post_form(f"{base}/comments", {"body": f"{CONTENT} a {CONTENT}word"})
    yield "comment refused: links", participant.post_form(f"{base}/comments", {
        "body": f"{CONTENT} https://a.example https://b.example https://c.example"})
    reported = post_comment(consultation, "pseudo-author", f"{CONTENT} reported", "en")
    for n in range(3):
        services.report_comment(reported, f"reporter-{n}", Reason.ABUSE, f"{CONTENT} why", 3)
    hidden = post_comment(consultation, "pseudo-author", f"{CONTENT} hidden", "en")
    post_comment(consultation, "x", f"{CONTENT} reply", "en", parent=hidden)
    [decision] = services.decide(hidden, Action.HIDE, Reason.OTHER, other, f"{CONTENT} note")
    appeal = services.appeal_decision(decision, "pseudo-author", f"{CONTENT} appeal")
    redacted = post_comment(consultation, "pseudo-author", f"{CONTENT} call Juma", "en")
    services.decide(redacted, Action.REDACT, Reason.PERSONAL_INFORMATION, other,
                    spans=["Juma"])
    post_comment(consultation, "pseudo-author", f"{CONTENT} waiting", "en",
                 state=services.PENDING)
    db.session.commit()
    queue = f"/manage/consultations/{consultation.slug}/moderation"
    for tab in ("pending", "reported", "held", "appeals"):
        yield f"queue: {tab}", client.get(f"{queue}?tab={tab}&language=en&section=0")
    yield "queue: nothing ticked", client.post_form(f"{queue}?tab=pending", {"action": "x"})
    yield "review: reported", client.get(f"{queue}/comments/{reported.id}")
    yield "review: hidden, appealed", client.get(f"{queue}/comments/{hidden.id}")
    yield "review: redacted", client.get(f"{queue}/comments/{redacted.id}")
    yield "review: errors", client.post_form(f"{queue}/comments/{reported.id}", {
        "action": "redact", "reason": "other"})
    yield "appeal decision: errors", client.post_form(f"{queue}/appeals/{appeal.id}",
                                                      {"outcome": "x"})
    yield "watched words", client.get(f"{queue}/words")
    yield "watched word: errors", client.post_form(f"{queue}/words", {"word": "!!",
                                                                       "language": "*"})
    yield "public moderation page", client.get(f"{base}/moderation")
    consultation.min_cell_size = 1
    db.session.commit()
    yield "public moderation page, counts shown", client.get(f"{base}/moderation")
    yield "report a comment", participant.get(f"{base}/comments/{redacted.id}/report")
    yield "report: errors", participant.post_form(f"{base}/comments/{redacted.id}/report")
    yield "thread with placeholders", participant.get(f"{base}/comments")
    yield "my contributions with decisions", participant.get("/receipt")
    author = client.application.test_client()
    author.post_form(f"{base}/comments", {"body": f"{CONTENT} mine"})
    mine = db.session.scalar(db.select(services.Comment).filter_by(body=f"{CONTENT} mine"))
    [own] = services.decide(mine, Action.REJECT, Reason.SPAM, other)
    db.session.commit()
    yield "my contributions, appealable", author.get("/receipt")
    yield "appeal form", author.get(f"/receipt/decisions/{own.id}/appeal")
    yield "appeal: errors", author.post_form(f"/receipt/decisions/{own.id}/appeal")
