"""The programmes' staff pages. The list answers every staff member; its creation form is
for those who host for some organisation (the matrix posts an empty form: 422), others 403.
The matrix's {slug} is a consultation's, never a programme's, so every page of a programme
answers 404 to every signed-in role (an unknown programme tells nobody anything) and sends
signed-out people to sign in. Who may do what on a real programme (hosts, planners,
moderators, partners, other organisations, auditors) is tests/programmes/test_manage_*.py."""
from tests.permission_rows.roles import SIGNED_OUT


def staff_list(role, state):
    return 302 if role in SIGNED_OUT else 200


def create_post(role, state):
    """Hosts (of any organisation) and site admins get the form's errors; others 403."""
    if role in SIGNED_OUT:
        return 302
    return 422 if role in {"host_own", "host_other", "partner_host", "site_admin"} else 403


def programme_page(role, state):
    """Staff only; no programme has the consultation's slug: 404."""
    return 302 if role in SIGNED_OUT else 404


PROGRAMME = "/manage/programmes/{slug}"
RULE = "/manage/programmes/<slug>"

ROUTES = [
    ("/manage/programmes", "GET", "/manage/programmes", staff_list),
    ("/manage/programmes", "POST", "/manage/programmes", create_post),
    (RULE, "GET", PROGRAMME, programme_page),
    (f"{RULE}/settings", "GET", f"{PROGRAMME}/settings", programme_page),
    (f"{RULE}/settings", "POST", f"{PROGRAMME}/settings", programme_page),
    (f"{RULE}/rounds", "POST", f"{PROGRAMME}/rounds", programme_page),
    (f"{RULE}/rounds/next", "POST", f"{PROGRAMME}/rounds/next", programme_page),
    (f"{RULE}/indicators", "GET", f"{PROGRAMME}/indicators", programme_page),
    (f"{RULE}/indicators", "POST", f"{PROGRAMME}/indicators", programme_page),
    (f"{RULE}/proposals", "GET", f"{PROGRAMME}/proposals", programme_page),
    (f"{RULE}/proposals", "POST", f"{PROGRAMME}/proposals", programme_page),
    (f"{RULE}/proposals/<int:proposal_id>/adopt", "GET", f"{PROGRAMME}/proposals/1/adopt",
     programme_page),
    (f"{RULE}/proposals/<int:proposal_id>/adopt", "POST", f"{PROGRAMME}/proposals/1/adopt",
     programme_page),
    (f"{RULE}/proposals/<int:proposal_id>/decline", "POST", f"{PROGRAMME}/proposals/1/decline",
     programme_page),
    (f"{RULE}/auditors", "GET", f"{PROGRAMME}/auditors", programme_page),
    (f"{RULE}/auditors", "POST", f"{PROGRAMME}/auditors", programme_page),
    (f"{RULE}/auditors/<int:user_id>/remove", "POST", f"{PROGRAMME}/auditors/1/remove",
     programme_page),
    (f"{RULE}/commitments", "GET", f"{PROGRAMME}/commitments", programme_page),
    (f"{RULE}/commitments/new", "GET", f"{PROGRAMME}/commitments/new", programme_page),
    (f"{RULE}/commitments/new", "POST", f"{PROGRAMME}/commitments/new", programme_page),
    (f"{RULE}/commitments/<int:commitment_id>", "GET", f"{PROGRAMME}/commitments/1",
     programme_page),
    (f"{RULE}/commitments/<int:commitment_id>", "POST", f"{PROGRAMME}/commitments/1",
     programme_page),
    (f"{RULE}/statuses", "GET", f"{PROGRAMME}/statuses", programme_page),
    (f"{RULE}/statuses", "POST", f"{PROGRAMME}/statuses", programme_page),
    (f"{RULE}/statuses/<int:status_id>", "POST", f"{PROGRAMME}/statuses/1", programme_page),
    (f"{RULE}/statuses/<int:status_id>/<any(up, down):direction>", "POST",
     f"{PROGRAMME}/statuses/1/up", programme_page),
    (f"{RULE}/rounds/<int:position>/self-assessment", "GET",
     f"{PROGRAMME}/rounds/1/self-assessment", programme_page),
    (f"{RULE}/rounds/<int:position>/self-assessment", "POST",
     f"{PROGRAMME}/rounds/1/self-assessment", programme_page),
]
