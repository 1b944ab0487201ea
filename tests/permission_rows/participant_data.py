"""A participant's own data (download, their comments, withdraw, delete a response: only what
the session's own key wrote) and staff erasure on a lawful request (hosts and admins)."""
from tests.permission_rows.roles import MANAGERS, SIGNED_OUT


def own_data(role, state):
    """Anyone with a participant key (a codename, or a staff account's) gets their own data;
    a visitor with no key has none (404)."""
    return 404 if role == "anonymous" else 200


def nobody(role, state):
    """Comment 1 is someone else's and nobody in the matrix answered the survey: 404."""
    return 404


def erasure(ok):
    def expect(role, state):
        if role in SIGNED_OUT:
            return 302
        if role == "host_other":
            return 404
        return ok if role in MANAGERS else 403
    return expect


ROUTES = [
    ("/receipt/download", "GET", "/receipt/download", own_data),
    ("/receipt/comments", "GET", "/receipt/comments", own_data),
    ("/receipt/comments/<int:comment_id>/withdraw", "GET", "/receipt/comments/1/withdraw",
     nobody),
    ("/receipt/comments/<int:comment_id>/withdraw", "POST", "/receipt/comments/1/withdraw",
     nobody),
    ("/receipt/responses/<slug>/delete", "GET", "/receipt/responses/{slug}/delete", nobody),
    ("/receipt/responses/<slug>/delete", "POST", "/receipt/responses/{slug}/delete", nobody),
    ("/manage/consultations/<slug>/erasure", "GET", "/manage/consultations/{slug}/erasure",
     erasure(200)),
    ("/manage/consultations/<slug>/erasure", "POST", "/manage/consultations/{slug}/erasure",
     erasure(422)),
]
