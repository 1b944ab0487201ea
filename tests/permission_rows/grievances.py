"""Grievances: the complaint form and statistics exist only where a reviewer is named (not in
the matrix's consultation: 404); the case page by code is for everyone; a reviewer's pages
answer 404 to everyone who is not its member (host-org is no reviewer); the consultation's
grievance page is for its staff, and only managers choose the reviewer."""
from tests.permission_rows.roles import MANAGERS, SIGNED_OUT, staff


def everyone(status):
    return lambda role, state: status


def reviewer_page(role, state):
    """Signed-out people are sent to sign in; no staff member of the matrix is a reviewer."""
    return 302 if role in SIGNED_OUT else 404


def staff_index(role, state):
    return 302 if role in SIGNED_OUT else 200


def choose_reviewer(role, state):
    """Managers save (no reviewer: 303); the consultation's other staff 403; others 404."""
    if role in SIGNED_OUT:
        return 302
    if role == "host_other":
        return 404
    return 303 if role in MANAGERS else 403


REVIEWER = "/manage/reviewers/host-org"

ROUTES = [
    ("/consultations/<slug>/grievance", "GET", "/consultations/{slug}/grievance", everyone(404)),
    ("/consultations/<slug>/grievance", "POST", "/consultations/{slug}/grievance",
     everyone(404)),
    ("/consultations/<slug>/grievances", "GET", "/consultations/{slug}/grievances",
     everyone(404)),
    ("/grievances/case", "GET", "/grievances/case", everyone(200)),
    ("/grievances/case", "POST", "/grievances/case", everyone(422)),
    ("/manage/consultations/<slug>/grievances", "GET", "/manage/consultations/{slug}/grievances",
     staff(200)),
    ("/manage/consultations/<slug>/grievances", "POST",
     "/manage/consultations/{slug}/grievances", choose_reviewer),
    ("/manage/reviewers/", "GET", "/manage/reviewers/", staff_index),
    ("/manage/reviewers/<slug>", "GET", REVIEWER, reviewer_page),
    ("/manage/reviewers/<slug>/set-up", "GET", f"{REVIEWER}/set-up", reviewer_page),
    ("/manage/reviewers/<slug>/set-up", "POST", f"{REVIEWER}/set-up", reviewer_page),
    ("/manage/reviewers/<slug>/unlock", "GET", f"{REVIEWER}/unlock", reviewer_page),
    ("/manage/reviewers/<slug>/unlock", "POST", f"{REVIEWER}/unlock", reviewer_page),
    ("/manage/reviewers/<slug>/lock", "POST", f"{REVIEWER}/lock", reviewer_page),
    ("/manage/reviewers/<slug>/recover", "GET", f"{REVIEWER}/recover", reviewer_page),
    ("/manage/reviewers/<slug>/recover", "POST", f"{REVIEWER}/recover", reviewer_page),
    ("/manage/reviewers/<slug>/cases/<int:case_id>", "GET", f"{REVIEWER}/cases/1",
     reviewer_page),
    ("/manage/reviewers/<slug>/cases/<int:case_id>", "POST", f"{REVIEWER}/cases/1",
     reviewer_page),
    ("/manage/reviewers/<slug>/settings", "GET", f"{REVIEWER}/settings", reviewer_page),
    ("/manage/reviewers/<slug>/settings", "POST", f"{REVIEWER}/settings", reviewer_page),
]
