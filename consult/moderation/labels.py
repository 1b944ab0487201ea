"""Names of moderation actions, reasons and outcomes for people, translated at render time."""
from flask_babel import lazy_gettext as _l

from consult.comments.models import CommentState
from consult.moderation.models import Action, AppealOutcome, Reason, WordAction

#: A comment's state, as moderators read it.
STATE_LABELS = {
    CommentState.PENDING: _l("Waiting for moderation"),
    CommentState.PUBLISHED: _l("Published"),
    CommentState.HIDDEN: _l("Hidden"),
    CommentState.REJECTED: _l("Rejected"),
    CommentState.WITHDRAWN: _l("Withdrawn by its author"),
}

ACTION_LABELS = {
    Action.APPROVE: _l("Approved"),
    Action.REJECT: _l("Rejected"),
    Action.HIDE: _l("Hidden"),
    Action.RESTORE: _l("Restored"),
    Action.REDACT: _l("Redacted"),
    Action.BLOCK: _l("Author blocked"),
    Action.UNBLOCK: _l("Author unblocked"),
    Action.HOLD: _l("Held for review"),
    Action.APPEAL_UPHELD: _l("Appeal: decision upheld"),
    Action.APPEAL_OVERTURNED: _l("Appeal: decision overturned"),
}

#: Buttons of the moderator's actions.
ACTION_VERBS = {
    Action.APPROVE: _l("Approve"),
    Action.REJECT: _l("Reject"),
    Action.HIDE: _l("Hide"),
    Action.RESTORE: _l("Restore"),
    Action.REDACT: _l("Redact and publish"),
    Action.BLOCK: _l("Block the author in this consultation"),
    Action.UNBLOCK: _l("Unblock the author"),
}

REASON_LABELS = {
    Reason.SPAM: _l("Spam"),
    Reason.ABUSE: _l("Abuse or harassment"),
    Reason.THREAT: _l("Threat"),
    Reason.PERSONAL_INFORMATION: _l("Personal information"),
    Reason.OFF_TOPIC: _l("Off-topic"),
    Reason.MISINFORMATION: _l("Misinformation"),
    Reason.DUPLICATE: _l("Duplicate"),
    Reason.OTHER: _l("Other"),
    Reason.WITHIN_POLICY: _l("Within the moderation policy"),
    Reason.REPORTED: _l("Reported by several participants, waiting for review"),
    Reason.WATCHED_WORD: _l("Contains words the moderators read first"),
}

WORD_ACTION_LABELS = {
    WordAction.BLOCK: _l("Block: refuse the comment"),
    WordAction.HOLD: _l("Hold: a moderator reads it before it is published"),
    WordAction.FLAG: _l("Flag: publish it and put it in the queue"),
}

OUTCOME_LABELS = {
    AppealOutcome.UPHELD: _l("The decision stands"),
    AppealOutcome.OVERTURNED: _l("The decision was overturned"),
}


def reason_label(code: str | None) -> str:
    """The translated name of a reason code (as stored on a comment); "" for none."""
    try:
        return str(REASON_LABELS[Reason(code)]) if code else ""
    except ValueError:
        return ""
