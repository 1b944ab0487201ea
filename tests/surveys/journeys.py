"""A three-page survey with skip logic, and answering it page by page through the test client."""
import re
from types import SimpleNamespace as Spec

from consult.consultations.lifecycle import State
from consult.extensions import db
from consult.surveys import services
from tests.surveys.specs import options, question


def three_page_consultation(make_consultation):
    """An open consultation with a three-page survey and skip logic across pages."""
    consultation = make_consultation(state=State.DRAFT)
    services.replace_survey(consultation, [
        Spec(key="you", labels={"en": "About you"}, questions=[
            question("role", "single_choice", required=True, allow_other=True,
                     options=options("trader", "youth")),
            question("age", "number", integer=True),
        ]),
        Spec(key="trade", labels={"en": "Your trade"}, questions=[
            question("stall", "short_text", required=True,
                     show_if={"q": "role", "op": "eq", "value": "trader"}),
            question("areas", "multiple_choice", options=options("port", "market")),
        ]),
        Spec(key="views", labels={}, questions=[
            question("trust", "scale"),
            question("priorities", "ranking", options=options("jobs", "safety", "lights")),
            question("comment", "long_text"),
        ]),
    ])
    consultation.state = State.OPEN
    db.session.commit()
    return consultation


def answer_page(client, consultation, data=None, page=None):
    """GET a survey page, or POST data to it with the idempotency key the page gave."""
    url = f"/consultations/{consultation.slug}/survey" + (f"?page={page}" if page else "")
    if data is None:
        return client.get(url)
    html = client.get(url).get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    return client.post_form(url, {"idempotency_key": key, **data})


def stored_values(consultation, response) -> dict:
    """{question key: stored values} of one response, read afresh from the database."""
    db.session.refresh(response)
    keys = {q.id: q.key for q in services.get_survey(consultation).questions}
    found: dict = {}
    for answer in response.answers:
        found.setdefault(keys[answer.question_id], []).append(
            answer.option_key or answer.text or answer.number)
    return found
