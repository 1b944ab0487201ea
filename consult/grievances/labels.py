"""The words of the grievance pages: stages, what the complainant is told at each, and the
categories a reviewer starts with."""
from flask_babel import lazy_gettext as _l

from consult.grievances.models import Stage

STAGE_LABELS = {
    # Translators: a grievance (complaint) has arrived and nobody has read it yet.
    Stage.RECEIVED: _l("Received"),
    Stage.ACKNOWLEDGED: _l("Acknowledged"),
    Stage.UNDER_REVIEW: _l("Under review"),
    # Translators: the reviewer passed the grievance on to another body that can act on it.
    Stage.REFERRED: _l("Referred"),
    Stage.RESOLVED: _l("Resolved"),
    # Translators: the reviewer cannot deal with this grievance (outside its remit).
    Stage.NOT_ADMISSIBLE: _l("Not admissible"),
}

#: What the complainant reads on the case page at each stage (the same for every case).
STAGE_MESSAGES = {
    Stage.RECEIVED: _l("Your grievance has arrived. The independent reviewer will "
                       "acknowledge it soon. Nobody else can read it."),
    Stage.ACKNOWLEDGED: _l("The independent reviewer has read your grievance and will look "
                           "into it."),
    Stage.UNDER_REVIEW: _l("The independent reviewer is looking into what happened. This can "
                           "take some weeks."),
    Stage.REFERRED: _l("The independent reviewer has passed your grievance to a body that can "
                       "act on it, without your name."),
    Stage.RESOLVED: _l("The independent reviewer has closed your grievance: it considers it "
                       "resolved."),
    Stage.NOT_ADMISSIBLE: _l("The independent reviewer cannot deal with this grievance: it is "
                             "outside what it may review. You may turn to another body."),
}

#: The categories every reviewer starts with (it may rename, translate or remove them).
DEFAULT_CATEGORIES = {
    "harm": _l("Harm caused by the programme's activities"),
    "conduct": _l("Conduct of staff, police or officials (abuse, extortion)"),
    "privacy": _l("Personal information leaked or misused"),
    "exclusion": _l("Exclusion or discrimination"),
    "other": _l("Something else"),
}
