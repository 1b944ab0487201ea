"""Codenames: seven words, shown once, stored only as a hash, typed back with typos."""
from consult.accounts import services
from consult.accounts.models import Participant
from consult.accounts.participants import CODENAME, KEY
from consult.extensions import db
from consult.security import CODENAME_WORDS, generate_codename, normalise_codename


def test_a_codename_has_seven_words_from_the_list():
    words = generate_codename().split()
    assert len(words) == CODENAME_WORDS == 7


def test_codenames_differ():
    assert len({generate_codename() for _ in range(200)}) == 200


def test_typed_codename_is_normalised_and_tolerates_typos_after_four_letters():
    codename = "abandon ability able about above absent absorb"
    assert normalise_codename("  ABANDON  abilitx able-about above absentt absorb ") == codename
    assert normalise_codename("abandon ability able") is None
    assert normalise_codename("zzzz ability able about above absent absorb") is None


def test_getting_a_codename_shows_it_once_and_stores_only_its_hash(client, app):
    html = client.post_form("/codename").get_data(as_text=True)
    codename = html.split('<p class="codename" dir="ltr" lang="en"><bdi>')[1].split("<")[0]
    assert len(codename.split()) == 7
    participant = db.session.scalars(db.select(Participant)).one()
    stored = " ".join(str(v) for v in (participant.key, participant.codename_hash,
                                       participant.created_on))
    assert codename not in stored and codename.split()[0] not in stored
    assert codename not in client.get("/receipt").get_data(as_text=True)


def test_participant_comes_back_with_the_codename_on_another_device(app, client):
    participant, codename = services.create_codename_participant()
    db.session.commit()
    other_phone = app.test_client()
    response = other_phone.post_form("/receipt", {"codename": codename.upper()})
    assert response.status_code == 302
    with other_phone.session_transaction() as session:
        assert session[KEY] == participant.key and session[CODENAME] is True


def test_unknown_codename_gets_a_clear_error(client):
    response = client.post_form("/receipt", {"codename": "abandon ability able about above "
                                                         "absent absorb"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="codename-error"' in html


def test_participants_store_nothing_that_identifies_them(app):
    columns = {c.name for c in Participant.__table__.columns}
    assert columns == {"id", "key", "codename_hash", "created_on"}
    assert str(Participant.__table__.c.created_on.type) == "DATE"


def test_codename_guesses_are_throttled(rate_limited, client):
    guess = {"codename": "abandon ability able about above absent absorb"}
    statuses = [client.post_form("/receipt", guess).status_code for _ in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


def test_receipt_guesses_are_throttled_with_codename_guesses(rate_limited, client):
    statuses = [client.post_form("/receipt", {"receipt": "AAAA-AAAA"}).status_code
                for _ in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429
