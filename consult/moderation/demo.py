"""Demo moderation for the open demo consultation: a few comments waiting for approval, one
reported, one held for a phone number, one rejected and appealed, and a watched word. Created
once: a consultation with any report or decision is left alone."""
from consult.accounts.services import get_user_by_email
from consult.comments.models import CommentState
from consult.comments.services import post_comment
from consult.consultations.services import get_consultation
from consult.extensions import db
from consult.moderation import services
from consult.moderation.models import Action, ModerationDecision, Reason, Report, WordAction

SLUG = "safer-port-amani"
#: (author, language, body) of comments waiting for approval.
WAITING = [
    ("demo-mod-1", "en", "Will the hotline be free from every network, and open at night?"),
    ("demo-mod-2", "fr", "Qui contrôlera les patrouilles de quartier ? Il faut un comité élu."),
]
REPORTED = ("demo-mod-3", "en", "The council never listens. These meetings are theatre.")
HELD = ("demo-mod-4", "en", "I saw who collects the money at the bus station. Call me on "
        "+255 700 123 456 and I will tell you.")
APPEALED = ("demo-mod-5", "es", "Lo que de verdad necesitamos es un nuevo estadio de fútbol.")


def load_demo_moderation() -> None:
    """Add the demo moderation items once (flushes)."""
    consultation = get_consultation(SLUG)
    moderator = get_user_by_email("moderator@demo.example")
    admin = get_user_by_email("admin@demo.example")
    if consultation is None or moderator is None or admin is None:
        return
    for model in (ModerationDecision, Report):
        if db.session.scalar(db.select(model.id).filter_by(
                consultation_id=consultation.id).limit(1)):
            return
    for author, language, body in WAITING:
        post_comment(consultation, author, body, language, state=CommentState.PENDING)
    author, language, body = REPORTED
    reported = post_comment(consultation, author, body, language,
                            state=CommentState.PUBLISHED)
    for n, reason in enumerate((Reason.ABUSE, Reason.OFF_TOPIC)):
        services.report_comment(reported, f"demo-reporter-{n}", reason, "", 3)
    author, language, body = HELD
    post_comment(consultation, author, body, language)  # screening holds it for the number
    author, language, body = APPEALED
    appealed = post_comment(consultation, author, body, language,
                            state=CommentState.PUBLISHED)
    [decision] = services.decide(appealed, Action.REJECT, Reason.OFF_TOPIC, admin,
                                 "Esta consulta trata de la seguridad en el puerto.")
    services.appeal_decision(decision, author, "Un estadio daría a los jóvenes un lugar "
                             "seguro por la noche: es seguridad.")
    services.add_watched_word(consultation, "bribe", "en", WordAction.FLAG, moderator)
