"""Twilio: the incoming-message webhook, signed with X-Twilio-Signature, and the Messages API.

Inbound (Twilio's documented webhook): an application/x-www-form-urlencoded POST with
MessageSid, AccountSid, From, To, Body, NumMedia, NumSegments and more (Twilio adds fields
without notice, so every field posted is signed and checked, and only those four are read).
Twilio signs it: base64(HMAC-SHA1(auth token, URL + each POST name and value, sorted by name)).
The URL is the one configured in Twilio's console, which behind a reverse proxy is not the
one the app sees: it is built from BASE_URL (the public address, with any path prefix) and
the path and query as received, so the number's webhook in Twilio must be exactly
BASE_URL + /channels/twilio/sms. The answer is an empty TwiML <Response/>: the reply goes out
through the Messages API from the task queue, with retries, like every provider's.
Outbound: POST To, From, Body to CHANNEL_TWILIO_API_URL/2010-04-01/Accounts/{Sid}/Messages.json
with HTTP Basic auth (account SID, auth token).

The official SDK (twilio) is not used: what we need of it is the signature (a few lines of
hmac, checked against Twilio's own published vectors in the tests) and one form POST, where
the SDK is the whole generated REST API and brings requests, PyJWT and aiohttp with it.
"""
import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from flask import current_app

from consult.channels.providers import SendFailed, SendRefused
from consult.channels.providers.africastalking import BadCallback, Inbound

#: The empty TwiML document: Twilio sends nothing itself (the reply goes through the queue).
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """Twilio's signature of a request: the URL then every name and value (sorted by name,
    a repeated name's values in order), HMAC-SHA1 with the auth token, base64."""
    signed = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_url(path: str, query: str) -> str:
    """The URL Twilio signed: the public BASE_URL, then the path and query as received."""
    url = current_app.config["BASE_URL"].rstrip("/") + path
    return url + "?" + query if query else url


def signature_matches(given: str | None, url: str, params: Iterable[tuple[str, str]]) -> bool:
    """Whether the X-Twilio-Signature given is Twilio's for this URL and these fields (no auth
    token configured: never)."""
    token = current_app.config.get("CHANNEL_TWILIO_AUTH_TOKEN") or ""
    if not token or not given:
        return False
    return hmac.compare_digest(given.encode(), signature(token, url, params).encode())


def parse_sms(form) -> Inbound:
    """The inbound SMS of the webhook's fields (MessageSid, From, To, Body)."""
    try:
        inbound = Inbound(number=form["From"], to=form["To"], text=form.get("Body", ""),
                          message_id=form["MessageSid"], link_id="")
    except KeyError as error:
        raise BadCallback(str(error)) from error
    if not inbound.message_id.strip() or not inbound.number.strip():
        raise BadCallback("empty MessageSid or From")
    return inbound


def send_sms(number: str, sender: str, message: str) -> str:
    """Send one SMS through the Messages API; its message SID. SendFailed (retry) or
    SendRefused (do not: an invalid or unsubscribed number, or bad credentials)."""
    config = current_app.config
    sid = config["CHANNEL_TWILIO_ACCOUNT_SID"] or ""
    credentials = base64.b64encode(f"{sid}:{config['CHANNEL_TWILIO_AUTH_TOKEN'] or ''}"
                                   .encode()).decode()
    url = (config["CHANNEL_TWILIO_API_URL"].rstrip("/")
           + f"/2010-04-01/Accounts/{urllib.parse.quote(sid, safe='')}/Messages.json")
    request = urllib.request.Request(
        url, method="POST",
        # urlencode sends the text as UTF-8: Twilio chooses GSM-7 or UCS-2 itself.
        data=urllib.parse.urlencode({"To": number, "From": sender, "Body": message}).encode(),
        headers={"Authorization": f"Basic {credentials}", "Accept": "application/json",
                 "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=config["CHANNEL_SEND_TIMEOUT"]) as answer:
            body = json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        error.close()  # Twilio's explanation is not read: it quotes the number
        if 400 <= error.code < 500 and error.code != 429:
            raise SendRefused(f"HTTP {error.code}") from None
        raise SendFailed(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise SendFailed(type(error).__name__) from None
    if not isinstance(body, dict) or not body.get("sid"):
        raise SendFailed("no message sid in the answer")
    return str(body["sid"])
