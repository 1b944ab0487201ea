"""The staff audit log (hosts and admins of an organisation, site admins; moderators and
planners 403), and a "you said, we did" response's history (whoever writes responses)."""
from tests.permission_rows.roles import SIGNED_OUT


def audit_log(role, state):
    """Every host reads their own organisation's entries; moderators and planners none."""
    if role in SIGNED_OUT:
        return 302
    return 403 if role in {"moderator", "planner"} else 200


def response_history(role, state):
    """As the other response pages: planners and managers of the host; there is no
    response 1 in the matrix, so those who may read it get 404."""
    if role in SIGNED_OUT:
        return 302
    if role == "host_other":
        return 404
    return 403 if role in {"partner_host", "moderator"} else 404


ROUTES = [
    ("/manage/audit", "GET", "/manage/audit", audit_log),
    ("/manage/audit.csv", "GET", "/manage/audit.csv", audit_log),
    ("/manage/consultations/<slug>/responses/<int:response_id>/history", "GET",
     "/manage/consultations/{slug}/responses/1/history", response_history),
]
