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
    "survey_answered": _l("People have already answered this survey, so it cannot be "
                          "replaced. Nothing was changed."),
    "survey_not_draft": _l("The survey can only be replaced while the consultation is a "
                           "draft. Nothing was changed."),
    "import_not_allowed": _l("Paper responses cannot be imported in the consultation's "
                             "current state. Nothing was imported."),
}


def reason_label(code: str | None) -> str:
    """The translated reason for code (the unexpected one for an unknown code)."""
    return str(REASON_LABELS.get(code or UNEXPECTED, REASON_LABELS[UNEXPECTED]))
