"""Provider callbacks: thin — check the shared secret, parse the provider's fields, receive the
message exactly once, commit, queue the reply after the commit."""
from flask import Blueprint, abort, current_app, request
from sqlalchemy.exc import IntegrityError

from consult.channels import services, ussd
from consult.channels.models import Provider
from consult.channels.numbers import seal
from consult.channels.providers import africastalking, kannel, rapidpro, twilio
from consult.channels.tasks import send_after_commit
from consult.extensions import csrf, db
from consult.permissions import public

blueprint = Blueprint("channels", __name__, url_prefix="/channels")
csrf.exempt(blueprint)  # gateways post without a session; the shared secret stands instead


def _refuse_without_secret(secret: str | None) -> None:
    """403 unless the shared secret is in the path or the configured header: Africa's Talking
    does not sign its callbacks. Nothing is read before this."""
    header = current_app.config["CHANNEL_AFRICASTALKING_SECRET_HEADER"]
    if not africastalking.secret_matches(secret if secret is not None
                                         else request.headers.get(header)):
        abort(403)


@blueprint.post("/africastalking/sms")
@blueprint.post("/africastalking/sms/<secret>")
@public
def africastalking_sms(secret: str | None = None):
    """Africa's Talking's inbound SMS callback: 403 without the shared secret, and then
    nothing is read or changed."""
    _refuse_without_secret(secret)
    try:
        inbound = africastalking.parse_sms(request.form)
    except africastalking.BadCallback:
        abort(400)
    return _receive(Provider.AFRICASTALKING, inbound)


@blueprint.get("/kannel/sms/<secret>")
@public
def kannel_sms(secret: str):
    """Kannel smsbox's get-url: 403 without the shared secret in the path; the reply goes
    out through sendsms (the sms-service has max-messages = 0), so the body is empty."""
    if not kannel.secret_matches(secret):
        abort(403)
    try:
        inbound = kannel.parse_sms(request.args, request.query_string)
    except africastalking.BadCallback:
        abort(400)
    return _receive(Provider.KANNEL, inbound)


@blueprint.post("/twilio/sms")
@public
def twilio_sms():
    """Twilio's incoming-message webhook: 403 unless X-Twilio-Signature is Twilio's for the
    public URL and every field posted; the reply goes out through the Messages API, so the
    answer is an empty TwiML response."""
    url = twilio.signed_url(request.path, request.query_string.decode("latin-1"))
    if not twilio.signature_matches(request.headers.get("X-Twilio-Signature"), url,
                                    request.form.items(multi=True)):
        abort(403)
    try:
        inbound = twilio.parse_sms(request.form)
    except africastalking.BadCallback:
        abort(400)
    _receive(Provider.TWILIO, inbound)
    return twilio.EMPTY_TWIML, 200, {"Content-Type": "text/xml; charset=utf-8"}


@blueprint.post("/rapidpro/sms")
@blueprint.post("/rapidpro/sms/<secret>")
@public
def rapidpro_sms(secret: str | None = None):
    """A RapidPro or TextIt flow's webhook: 403 without the shared secret (in the path or the
    configured header), and then nothing is read or changed."""
    header = current_app.config["CHANNEL_RAPIDPRO_SECRET_HEADER"]
    if not rapidpro.secret_matches(secret if secret is not None
                                   else request.headers.get(header)):
        abort(403)
    try:
        inbound = rapidpro.parse_sms(request.get_json(force=True, silent=True))
    except africastalking.BadCallback:
        abort(400)
    return _receive(Provider.RAPIDPRO, inbound)


def _receive(provider: Provider, inbound: africastalking.Inbound):
    """Receive an inbound SMS once, commit, and queue its reply after the commit."""
    received = services.receive(provider, inbound.to, inbound.number, inbound.text,
                                inbound.message_id)
    if received.new and received.reply:
        send_after_commit(provider, seal(inbound.number), received.sender, received.reply)
    try:
        db.session.commit()
    except IntegrityError:
        # A parallel delivery of the same message won: it was answered there, once.
        db.session.rollback()
        if services.answered(provider, inbound.message_id) is None:
            raise
    return "", 200


@blueprint.post("/africastalking/ussd")
@blueprint.post("/africastalking/ussd/<secret>")
@public
def africastalking_ussd(secret: str | None = None):
    """Africa's Talking's USSD callback: one screen as text/plain, "CON ..." or "END ..."."""
    _refuse_without_secret(secret)
    try:
        asked = africastalking.parse_ussd(request.form)
    except africastalking.BadCallback:
        abort(400)
    screen = ussd.session_turn(asked.service_code, asked.number, asked.session_id, asked.text)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same request, answered in parallel: that screen stands
        earlier = services.answered(Provider.AFRICASTALKING, ussd.message_id_of(asked.text,
                                                                               asked.session_id))
        if earlier is None:
            raise
        screen = earlier.reply
    return screen, 200, {"Content-Type": "text/plain; charset=utf-8"}
