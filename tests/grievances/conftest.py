"""Fixtures of the grievance tests: a reviewer organisation with its passphrase set, its staff,
a consultation that names it, and helpers to file and to unlock."""
import re
from types import SimpleNamespace

import pytest

from consult.accounts.models import OrganisationKind, Role
from consult.extensions import db
from consult.grievances import keys, services

PASSPHRASE = "seven correct horses on a battery"
HAPPENED = "Xylophone checkpoint officer demanded quokka money"
WANTED = "Refund the zanzibarine fee please"
CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


@pytest.fixture
def reviewer_setup(app, make_org, make_user, make_consultation):
    """A reviewer with keys (cheap argon2id for speed), a member, and a consultation naming it."""
    app.config["GRIEVANCE_KDF_COST"] = "min"
    app.config["GRIEVANCE_STATISTICS_UNTIL_YESTERDAY"] = False
    reviewer = make_org("ombuds", kind=OrganisationKind.INDEPENDENT_REVIEWER)
    staff = make_user(reviewer, Role.MODERATOR)
    manager = make_user(reviewer, Role.ADMIN)
    recovery = keys.set_up(reviewer.id, PASSPHRASE, manager)
    host = make_org("host-org")
    consultation = make_consultation(host=host)
    services.set_reviewer(consultation, reviewer, None)
    db.session.commit()
    return SimpleNamespace(reviewer=reviewer, staff=staff, manager=manager, host=host,
                           consultation=consultation, recovery=recovery)


def category_ids(organisation_id: int) -> list[int]:
    """The reviewer's active categories' ids."""
    return [c.id for c in keys.categories(organisation_id)]


def file_by_form(client, setup, happened=HAPPENED, wanted=WANTED, **extra) -> str:
    """File a grievance through the page, as a phone without JavaScript would; the case code."""
    url = f"/consultations/{setup.consultation.slug}/grievance"
    page = client.get(url)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      page.get_data(as_text=True)).group(1)
    data = {"csrf_token": token, "category": str(category_ids(setup.reviewer.id)[0]),
            "happened": happened, "wanted": wanted, "contact_ok": "y", **extra}
    response = client.post(url, data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    return CODE.search(response.get_data(as_text=True)).group(0)


def unlock(client, auth, setup, user=None, passphrase=PASSPHRASE):
    """Sign in as reviewer staff and open the inbox; the unlock response."""
    auth.login(user or setup.staff)
    return client.post_form(f"/manage/reviewers/{setup.reviewer.slug}/unlock",
                            {"passphrase": passphrase})
