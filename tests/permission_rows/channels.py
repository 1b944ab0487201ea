"""Provider callbacks: no session or role opens them; only the configured shared secret does
(none is configured in the matrix, so every caller gets 403 and nothing changes)."""


def refused(role, state):
    """Without the shared secret, everyone, staff included, is refused."""
    return 403


ROUTES = [
    ("/channels/africastalking/sms", "POST", "/channels/africastalking/sms", refused),
    ("/channels/africastalking/sms/<secret>", "POST", "/channels/africastalking/sms/guess",
     refused),
    ("/channels/africastalking/ussd", "POST", "/channels/africastalking/ussd", refused),
    ("/channels/africastalking/ussd/<secret>", "POST", "/channels/africastalking/ussd/guess",
     refused),
]
ROUTES.append(("/channels/kannel/sms/<secret>", "GET", "/channels/kannel/sms/guess", refused))
