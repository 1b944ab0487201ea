"""k (the smallest number published) can go up at any time, never down once a consultation
has opened: results already seen with k would otherwise show the small cells they hid."""
import pytest

from consult.accounts.models import Role
from consult.consultations.lifecycle import State
from consult.consultations.services import SettingRefused, get_consultation, update_settings
from consult.extensions import db


def _form(k: int) -> dict:
    return {"default_language": "en", "languages": ["en"], "moderation_mode": "post",
            "participation_mode": "anonymous", "visibility": "public", "time_zone": "UTC",
            "min_cell_size": str(k), "title__en": "Title"}


@pytest.fixture
def host_client(client, make_user, auth):
    """client, signed in as a host of the consultation it is given."""

    def sign_in(consultation):
        auth.login(make_user(consultation.host, Role.HOST))
        return client

    return sign_in


@pytest.mark.parametrize("state", [State.OPEN, State.CLOSED, State.RESULTS_PUBLISHED])
def test_lowering_k_after_opening_is_refused(host_client, make_consultation, state):
    consultation = make_consultation(state=state, min_cell_size=10)
    client = host_client(consultation)
    response = client.post_form(f"/manage/consultations/{consultation.slug}/edit", _form(5))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="min_cell_size-error"' in html and "can be raised but not lowered" in html
    db.session.expire_all()
    assert get_consultation(consultation.slug).min_cell_size == 10
    # Defence in depth: the service refuses it too, whatever calls it.
    consultation = get_consultation(consultation.slug)
    with pytest.raises(SettingRefused) as refused:
        update_settings(consultation, "en", ["en"], min_cell_size=9)
    assert refused.value.field == "min_cell_size" and consultation.min_cell_size == 10


def test_raising_k_after_opening_is_allowed(host_client, make_consultation):
    consultation = make_consultation(state=State.RESULTS_PUBLISHED, min_cell_size=10)
    client = host_client(consultation)
    response = client.post_form(f"/manage/consultations/{consultation.slug}/edit", _form(25))
    assert response.status_code == 302
    db.session.expire_all()
    assert get_consultation(consultation.slug).min_cell_size == 25
    again = client.post_form(f"/manage/consultations/{consultation.slug}/edit", _form(25))
    assert again.status_code == 302  # keeping the same k is not lowering it


def test_a_draft_may_still_lower_k(host_client, make_consultation):
    consultation = make_consultation(state=State.DRAFT, min_cell_size=20)
    client = host_client(consultation)
    response = client.post_form(f"/manage/consultations/{consultation.slug}/edit", _form(10))
    assert response.status_code == 302
    db.session.expire_all()
    assert get_consultation(consultation.slug).min_cell_size == 10
