"""A programme's audit pages (read-only): the matrix's {slug} is a consultation's, never a
programme's, so every signed-in role gets 404 (an unknown programme tells nobody anything)
and signed-out people are sent to sign in. Who reads a real programme's audit, and that
they can change nothing, is tests/programmes/test_audit.py."""
from tests.permission_rows.roles import SIGNED_OUT


def audit_page(role, state):
    """Staff only; no programme has the consultation's slug: 404."""
    return 302 if role in SIGNED_OUT else 404


AUDIT = "/manage/programmes/{slug}/audit"

ROUTES = [
    ("/manage/programmes/<slug>/audit", "GET", AUDIT, audit_page),
    ("/manage/programmes/<slug>/audit/log", "GET", f"{AUDIT}/log", audit_page),
    ("/manage/programmes/<slug>/audit/rounds/<int:position>/report", "GET",
     f"{AUDIT}/rounds/1/report", audit_page),
    ("/manage/programmes/<slug>/audit/rounds/<int:position>/moderation", "GET",
     f"{AUDIT}/rounds/1/moderation", audit_page),
]
