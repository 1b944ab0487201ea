"""The public moderation statistics under the padding attack: an attacker who adds held
comments of their own and subtracts them cannot tell how many others are held."""
import re
import uuid

from consult.analysis.cell_key import MAX_CHANGE

#: Trials of the attack, each on a fresh consultation (so fresh random keys): the chance of
#: a right subtraction is 37.5% each, so 80 keep the 40% bound over four standard errors away.
TRIALS = 80
VICTIMS = 3  # held comments, published as "fewer than 10"
PADDING = 10  # held comments the attacker adds
#: A phone number makes screening hold a comment for a moderator.
HELD_TEXT = "Call me on +44 7700 900123 about the market lights"


def _post_held(client, consultation, times: int) -> None:
    """Comments through the API, each as a new anonymous participant, each held."""
    for _ in range(times):
        reply = client.post(f"/api/v1/consultations/{consultation.slug}/comments",
                            json={"body": HELD_TEXT, "language": "en"},
                            headers={"Participant-Key": uuid.uuid4().hex,
                                     "Idempotency-Key": uuid.uuid4().hex})
        assert reply.status_code == 201, reply.get_data(as_text=True)
        assert reply.get_json()["state"] != "published"


def _held(client, consultation) -> str:
    """What the public page shows for comments held for review."""
    html = client.get(f"/consultations/{consultation.slug}/moderation?lang=en").get_data(True)
    found = re.search(r'<th scope="row">Held for review</th><td>(.*?)</td>', html)
    assert found, "the page lists held comments"
    return found.group(1)


def _attack(client, make_consultation, host) -> str:
    """Victims held, the page checked, the padding added: what the page then shows."""
    consultation = make_consultation(host=host)
    _post_held(client, consultation, VICTIMS)
    assert "fewer than 10" in _held(client, consultation)
    _post_held(client, consultation, PADDING)
    return _held(client, consultation)


def test_padding_held_comments_cannot_reveal_count(app, client, make_consultation, host,
                                                   capsys):
    app.config["CELL_KEY_PERTURBATION"] = False  # the attack as the review found it
    assert int(_attack(client, make_consultation, host)) - PADDING == VICTIMS

    app.config["CELL_KEY_PERTURBATION"] = True
    wrong = 0
    for _ in range(TRIALS):
        shown = int(_attack(client, make_consultation, host))
        assert abs(shown - (VICTIMS + PADDING)) <= MAX_CHANGE
        wrong += shown - PADDING != VICTIMS
    with capsys.disabled():
        print(f"\nheld-comment padding, {TRIALS} trials: subtraction wrong {wrong / TRIALS:.0%}")
    assert wrong >= 0.4 * TRIALS


def test_the_page_says_its_numbers_are_perturbed_and_shows_them_the_same_each_time(
        app, client, make_consultation, host):
    app.config["CELL_KEY_PERTURBATION"] = True
    consultation = make_consultation(host=host)
    _post_held(client, consultation, 17)
    first = client.get(f"/consultations/{consultation.slug}/moderation?lang=en").get_data(True)
    assert "may differ from the true one by up to 2" in first
    assert first == client.get(f"/consultations/{consultation.slug}/moderation?lang=en"
                               ).get_data(True)
    assert abs(int(_held(client, consultation)) - 17) <= MAX_CHANGE


def test_averaging_live_moderation_statistics_gets_one_reading_a_day(app, client,
                                                                     make_consultation, host):
    """By default the page counts decisions up to the end of yesterday: comments an attacker
    adds one at a time today move nothing they can read until tomorrow."""
    import datetime as dt

    from consult.extensions import db
    from consult.moderation.models import ModerationDecision

    app.config["CELL_KEY_PERTURBATION"] = True
    app.config["MODERATION_STATISTICS_UNTIL_YESTERDAY"] = True
    consultation = make_consultation(host=host)
    _post_held(client, consultation, VICTIMS + PADDING)
    html = client.get(f"/consultations/{consultation.slug}/moderation?lang=en").get_data(True)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    assert "counted up to the end of" in html
    readings = set()
    for _ in range(5):
        _post_held(client, consultation, 1)
        readings.add(_held(client, consultation))
    assert readings == {"0"}, "today's held comments are not counted yet"

    # Yesterday's decisions (the log is append-only: written as a moderator would have).
    for decision in db.session.scalars(db.select(ModerationDecision).filter_by(
            consultation_id=consultation.id)).all()[:VICTIMS + PADDING]:
        db.session.add(ModerationDecision(
            consultation_id=consultation.id, comment_id=decision.comment_id,
            action=decision.action, reason=decision.reason, from_state=decision.from_state,
            to_state=decision.to_state, decided_on=yesterday))
    db.session.commit()
    shown = int(_held(client, consultation))
    assert abs(shown - (VICTIMS + PADDING)) <= MAX_CHANGE
    assert {_held(client, consultation) for _ in range(3)} == {str(shown)}
