"""RapidPro and TextIt: a flow's "Call Webhook" action in, the broadcasts API out.

Why a flow webhook and not an External API channel: an External channel makes the service
at the other end the *phone network* of RapidPro (RapidPro posts its outgoing messages to
the channel's send URL, and the service posts what phones sent to courier's receive URL).
Consult is not a phone network: it needs the messages RapidPro receives on its own numbers.
The documented way for that (the one the Community Health Toolkit uses) is:
- a flow whose only node is "Call Webhook": POST to BASE_URL/channels/rapidpro/sms with the
  header named by CHANNEL_RAPIDPRO_SECRET_HEADER carrying CHANNEL_RAPIDPRO_CALLBACK_SECRET
  (or the secret as the URL's last segment: RapidPro does not sign its webhooks), and the body
      @(json(object("id", input.uuid, "urn", text(input.urn),
                    "to", input.channel.address, "text", input.text)))
  (RapidPro's default webhook body works too, but it sends the contact's name and every
  result of the flow, which Consult neither needs nor wants);
- a trigger starting that flow for every message not handled by another trigger.
Each message's uuid makes it idempotent. Replies go out from the task queue, with retries:
POST {"urns": ["tel:..."], "text": ...} to CHANNEL_RAPIDPRO_API_URL (the workspace's
/api/v2/broadcasts.json) with "Authorization: Token CHANNEL_RAPIDPRO_API_TOKEN". RapidPro
reads a broadcast's text as a template, so every @ is doubled (@@ is a literal @).
"""
import hmac
import json
import urllib.error
import urllib.request

from flask import current_app

from consult.channels.providers import SendFailed, SendRefused
from consult.channels.providers.africastalking import BadCallback, Inbound


def secret_matches(given: str | None) -> bool:
    """Whether the webhook carries the configured shared secret (none configured: never)."""
    expected = current_app.config.get("CHANNEL_RAPIDPRO_CALLBACK_SECRET") or ""
    return bool(expected) and given is not None and hmac.compare_digest(
        given.encode(), expected.encode())


def _text(value) -> str:
    if not isinstance(value, str):
        raise BadCallback("a field is not text")
    return value


def _number_of(urn: str) -> str:
    """The number of a tel URN ("tel:+250788123123"); SMS channels only."""
    scheme, _, path = urn.partition(":")
    if scheme != "tel" or not path.strip():
        raise BadCallback("not a tel URN")
    return path


def parse_sms(body) -> Inbound:
    """The inbound SMS of a webhook's JSON body: the short body above (id, urn, to, text), or
    RapidPro's default one (input.uuid, input.urn, input.channel.address, input.text)."""
    if not isinstance(body, dict):
        raise BadCallback("not a JSON object")
    try:
        if isinstance(body.get("input"), dict):  # the default body
            given = body["input"]
            urn = given["urn"] or {}
            inbound = Inbound(
                number=_number_of(f"{_text(urn['scheme'])}:{_text(urn['path'])}"),
                to=_text((given.get("channel") or body.get("channel") or {})["address"]),
                text=_text(given.get("text") or ""), message_id=_text(given["uuid"]),
                link_id="")
        else:
            inbound = Inbound(number=_number_of(_text(body["urn"])), to=_text(body["to"]),
                              text=_text(body.get("text") or ""),
                              message_id=_text(body["id"]), link_id="")
    except (KeyError, TypeError) as error:
        raise BadCallback(str(error)) from error
    if not inbound.message_id.strip():
        raise BadCallback("empty message uuid")
    return inbound


def send_sms(number: str, sender: str, message: str) -> str:
    """Send one SMS as a broadcast to the number's tel URN (RapidPro picks its channel, so
    sender is not used); the broadcast's id. SendFailed (retry) or SendRefused (do not)."""
    config = current_app.config
    request = urllib.request.Request(
        config["CHANNEL_RAPIDPRO_API_URL"], method="POST",
        data=json.dumps({"urns": [f"tel:{number}"], "text": message.replace("@", "@@")},
                        ensure_ascii=False).encode(),
        headers={"Authorization": f"Token {config['CHANNEL_RAPIDPRO_API_TOKEN'] or ''}",
                 "Accept": "application/json",
                 "Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=config["CHANNEL_SEND_TIMEOUT"]) as answer:
            body = json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        error.close()  # RapidPro's explanation is not read: it may quote the URN
        if 400 <= error.code < 500 and error.code != 429:
            raise SendRefused(f"HTTP {error.code}") from None
        raise SendFailed(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise SendFailed(type(error).__name__) from None
    if not isinstance(body, dict) or body.get("id") is None:
        raise SendFailed("no broadcast id in the answer")
    return str(body["id"])
