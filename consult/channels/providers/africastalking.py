"""Africa's Talking: inbound SMS callbacks and the messaging API.

Inbound (their documented callback): a form POST with from, to, text, date, id, linkId (and
networkCode). Africa's Talking does not sign callbacks, so the callback must carry the shared
secret CHANNEL_AFRICASTALKING_CALLBACK_SECRET, in the URL path or in the header named by
CHANNEL_AFRICASTALKING_SECRET_HEADER. Outbound: POST {username, to, message, from} to
CHANNEL_AFRICASTALKING_API_URL with the apiKey header.
"""
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from flask import current_app

from consult.channels.providers import SendFailed, SendRefused

#: Recipient status codes that mean accepted (100 Processed, 101 Sent, 102 Queued).
ACCEPTED = {100, 101, 102}
#: Statuses that will never succeed on a retry (invalid number, blacklisted, ...).
PERMANENT = {403, 404, 406, 407}


@dataclass(frozen=True)
class Inbound:
    """One inbound SMS as the callback gave it."""

    number: str
    to: str
    text: str
    message_id: str
    link_id: str


class BadCallback(ValueError):
    """The callback lacks a field Africa's Talking always sends."""


def secret_matches(given: str | None) -> bool:
    """Whether the callback carries the configured shared secret (none configured: never)."""
    expected = current_app.config.get("CHANNEL_AFRICASTALKING_CALLBACK_SECRET") or ""
    return bool(expected) and given is not None and hmac.compare_digest(
        given.encode(), expected.encode())


def parse_sms(form) -> Inbound:
    """The inbound SMS of a callback's form fields."""
    try:
        return Inbound(number=form["from"], to=form["to"], text=form.get("text", ""),
                       message_id=form["id"], link_id=form.get("linkId", ""))
    except KeyError as error:
        raise BadCallback(str(error)) from error


@dataclass(frozen=True)
class UssdRequest:
    """One USSD request: the session, the service code dialled, the number, inputs so far."""

    session_id: str
    service_code: str
    number: str
    text: str


def parse_ussd(form) -> UssdRequest:
    """The USSD request of a callback's form fields (sessionId, serviceCode, phoneNumber,
    text; networkCode is not used)."""
    try:
        return UssdRequest(session_id=form["sessionId"], service_code=form["serviceCode"],
                           number=form["phoneNumber"], text=form.get("text", ""))
    except KeyError as error:
        raise BadCallback(str(error)) from error


def send_sms(number: str, sender: str, message: str) -> str:
    """Send one SMS; the provider's message id. SendFailed (retry) or SendRefused (do not)."""
    config = current_app.config
    fields = {"username": config["CHANNEL_AFRICASTALKING_USERNAME"], "to": number,
              "message": message}
    if sender:
        fields["from"] = sender
    request = urllib.request.Request(
        config["CHANNEL_AFRICASTALKING_API_URL"], method="POST",
        data=urllib.parse.urlencode(fields).encode(),
        headers={"apiKey": config["CHANNEL_AFRICASTALKING_API_KEY"] or "",
                 "Accept": "application/json",
                 "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=config["CHANNEL_SEND_TIMEOUT"]) as answer:
            body = json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        error.close()  # its body (the provider's explanation) is not read: it may quote the number
        if 400 <= error.code < 500 and error.code != 429:
            raise SendRefused(f"HTTP {error.code}") from None
        raise SendFailed(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise SendFailed(type(error).__name__) from None
    recipients = (body.get("SMSMessageData") or {}).get("Recipients") or []
    if not recipients:
        raise SendFailed("no recipient in the answer")
    status = recipients[0].get("statusCode")
    if status in ACCEPTED:
        return str(recipients[0].get("messageId", ""))
    if status in PERMANENT:
        raise SendRefused(f"status {status}")
    raise SendFailed(f"status {status}")
