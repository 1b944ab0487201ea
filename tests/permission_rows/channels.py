"""Provider callbacks: no session or role opens them; only the configured shared secret does
(none is configured in the matrix, so every caller gets 403 and nothing changes). The
channels staff page: staff who see the consultation read it; managers connect."""
from tests.permission_rows.roles import MANAGERS, SIGNED_OUT, staff


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
ROUTES += [  # Twilio: no auth token configured, so no signature can match
    ("/channels/twilio/sms", "POST", "/channels/twilio/sms", refused),
    ("/channels/rapidpro/sms", "POST", "/channels/rapidpro/sms", refused),
    ("/channels/rapidpro/sms/<secret>", "POST", "/channels/rapidpro/sms/guess", refused),
]


def managers(ok: int):
    """Managers only (the matrix's post is not a valid form: 422); other staff 403."""
    def expect(role, state):
        if role in SIGNED_OUT or role == "host_other":
            return staff(ok)(role, state)
        return ok if role in MANAGERS else 403
    return expect


ROUTES += [
    ("/manage/consultations/<slug>/channels", "GET", "/manage/consultations/{slug}/channels",
     staff(200)),
    ("/manage/consultations/<slug>/channels", "POST", "/manage/consultations/{slug}/channels",
     managers(422)),
]
ROUTES.append(  # the test-message form: every staff member who sees the page may play it
    ("/manage/consultations/<slug>/channels/preview", "POST",
     "/manage/consultations/{slug}/channels/preview", staff(422)))
