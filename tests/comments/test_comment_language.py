"""A comment keeps the language it was written in, and readers of another language see it."""
import re

from consult.comments.models import Comment
from consult.extensions import db

SWAHILI = "Taa za barabarani karibu na soko zimeharibika kwa miezi mingi sasa."


def test_a_comment_in_another_language_is_stored_and_labelled(client, consultation):
    slug = consultation.slug
    page = client.get(f"/consultations/{slug}/comments").get_data(as_text=True)

    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    client.post_form(f"/consultations/{slug}/comments", {"body": SWAHILI,
                                                         "idempotency_key": key})
    comment = db.session.scalars(db.select(Comment)).one()
    assert comment.language == "sw"  # declared English (the interface), detected Swahili
    html = client.get(f"/consultations/{slug}/comments").get_data(as_text=True)
    assert 'lang="sw"' in html and "· Swahili" in html


def test_a_comment_in_the_page_language_is_not_labelled(client, consultation, make_comment):
    make_comment(consultation, body="The lights near the market are broken.", language="en")
    html = client.get(f"/consultations/{consultation.slug}/comments").get_data(as_text=True)
    assert "· English" not in html


def test_the_vote_page_labels_a_statement_in_another_language(client, consultation,
                                                                make_comment):
    make_comment(consultation, body=SWAHILI, language="sw")
    html = client.get(f"/consultations/{consultation.slug}/vote").get_data(as_text=True)
    assert 'lang="sw"' in html and "· Swahili" in html
