"""Translated names of the audit log's actions. A feature that records a new action adds its
code here, so the log page and the CSV never show a bare code."""
from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "consultation.created": _l("Consultation created"),
    "consultation.edited": _l("Consultation edited"),
    "consultation.state_changed": _l("Consultation state changed"),
    "consultation.min_cell_size_changed": _l("Minimum group size changed"),
    "consultation.themes_publication_changed": _l("Publication of themes changed"),
    "consultation.results_published": _l("Results published"),
    "survey.imported": _l("Survey imported"),
    "responses.imported": _l("Responses imported"),
    "responses.exported": _l("Responses exported"),
    "planner_response.saved": _l("\"You said, we did\" response saved"),
    "theme.edited": _l("Theme edited"),
    "job.failed": _l("Background job failed"),
    "account.signed_in": _l("Signed in with a password only"),
    "account.signed_in_two_factor": _l("Signed in with two-factor sign-in"),
    "account.signed_in_recovery_code": _l("Signed in with a recovery code"),
    "account.second_factor_refused": _l("Sign-in refused: wrong second-factor code"),
    "account.password_changed": _l("Password changed"),
    "account.password_reset": _l("Password reset by e-mail"),
    "account.two_factor_enabled": _l("Two-factor sign-in turned on"),
    "account.two_factor_disabled": _l("Two-factor sign-in turned off"),
    "account.recovery_codes_regenerated": _l("New recovery codes made"),
    "organisation.two_factor_required": _l("Two-factor sign-in required of the organisation"),
    "organisation.two_factor_not_required": _l(
        "Two-factor sign-in no longer required of the organisation"),
    "organisation.created": _l("Organisation created"),
    "organisation.renamed": _l("Organisation renamed"),
    "organisation.deactivated": _l("Organisation deactivated"),
    "organisation.reactivated": _l("Organisation reactivated"),
    "invitation.sent": _l("Invitation sent"),
    "invitation.resent": _l("Invitation sent again"),
    "invitation.revoked": _l("Invitation revoked"),
    "invitation.accepted": _l("Invitation accepted"),
    "member.roles_changed": _l("Member's roles changed"),
    "member.removed": _l("Member removed"),
    "account.deactivated": _l("Account deactivated"),
    "account.reactivated": _l("Account reactivated"),
    "account.site_admin_granted": _l("Made a site administrator"),
    "consultation.moderation_changed": _l("Moderation mode changed"),
    "consultation.partners_changed": _l("Partner organisations changed"),
    "section.added": _l("Section added"),
    "section.edited": _l("Section edited"),
    "section.moved": _l("Section moved"),
    "section.deleted": _l("Section deleted"),
    "survey.created": _l("Survey created"),
    "survey.page_added": _l("Survey page added"),
    "survey.page_changed": _l("Survey page changed"),
    "survey.page_removed": _l("Survey page deleted"),
    "survey.question_added": _l("Question added"),
    "survey.question_changed": _l("Question changed"),
    "survey.question_removed": _l("Question deleted"),
    "planner_response.published": _l("\"You said, we did\" response published"),
    "planner_response.withdrawn": _l("\"You said, we did\" response withdrawn"),
    "planner_response.deleted": _l("\"You said, we did\" response deleted"),
    "watched_word.added": _l("Watched word added"),
    "watched_word.removed": _l("Watched word removed"),
    "audit.exported": _l("Audit log downloaded"),
}


def action_label(code: str) -> str:
    """The translated name of an action code (the code itself if unknown)."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
