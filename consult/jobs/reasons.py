"""Why a job failed, in words staff can act on. A task raises JobFailed(code) for a failure
that retrying cannot fix; anything else is retried, then shown as "unexpected"."""
from flask_babel import lazy_gettext as _l

UNEXPECTED = "unexpected"
STALLED = "stalled"

REASON_LABELS = {
    UNEXPECTED: _l("Something went wrong on the server. It was tried again several times; "
                   "ask your administrator to look at the worker's log."),
    STALLED: _l("The worker running this job stopped before finishing it; it was queued "
                "again."),
    "invalid_file": _l("The file could not be read. Check its format and upload it again."),
    "too_large": _l("The file is larger than this site accepts."),
    "gone": _l("What this job worked on no longer exists."),
}


def reason_label(code: str | None) -> str:
    """The translated reason for code (the unexpected one for an unknown code)."""
    return str(REASON_LABELS.get(code or UNEXPECTED, REASON_LABELS[UNEXPECTED]))
