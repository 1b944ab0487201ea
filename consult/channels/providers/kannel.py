"""Kannel (the open-source SMS gateway): smsbox's get-url in, the sendsms interface out.

Inbound: an sms-service whose get-url is
  https://HOST/channels/kannel/sms/SECRET?from=%p&to=%P&text=%a&id=%I
(%p the sender, %P the number written to, %a the text, %I Kannel's message id) with
max-messages = 0, so that smsbox sends nothing itself: replies go out through sendsms, from
the task queue, with retries. Kannel cannot sign its requests: the path carries the shared
secret CHANNEL_KANNEL_CALLBACK_SECRET.
Outbound: GET CHANNEL_KANNEL_SENDSMS_URL?username&password&from&to&text&charset=UTF-8, with
coding=2 (UCS-2) when the text is not GSM-7.
"""
import hmac
import urllib.error
import urllib.parse
import urllib.request

from flask import current_app

from consult.channels.providers import SendFailed, SendRefused
from consult.channels.providers.africastalking import BadCallback, Inbound
from consult.channels.segments import is_gsm7


def secret_matches(given: str | None) -> bool:
    """Whether the get-url carries the configured shared secret (none configured: never)."""
    expected = current_app.config.get("CHANNEL_KANNEL_CALLBACK_SECRET") or ""
    return bool(expected) and given is not None and hmac.compare_digest(
        given.encode(), expected.encode())


def parse_sms(args) -> Inbound:
    """The inbound SMS of smsbox's get-url query (from, to, text, id)."""
    try:
        inbound = Inbound(number=args["from"], to=args["to"], text=args.get("text", ""),
                          message_id=args["id"], link_id="")
    except KeyError as error:
        raise BadCallback(str(error)) from error
    if not inbound.message_id.strip() or not inbound.number.strip():
        raise BadCallback("empty id or number")
    return inbound


def send_sms(number: str, sender: str, message: str) -> str:
    """Send one SMS through sendsms; '' (Kannel gives no id). SendFailed or SendRefused."""
    config = current_app.config
    query = {"username": config["CHANNEL_KANNEL_USERNAME"] or "",
             "password": config["CHANNEL_KANNEL_PASSWORD"] or "", "to": number,
             "text": message, "charset": "UTF-8"}
    if sender:
        query["from"] = sender
    if not is_gsm7(message):
        query["coding"] = "2"
    url = config["CHANNEL_KANNEL_SENDSMS_URL"] + "?" + urllib.parse.urlencode(query)
    try:
        with urllib.request.urlopen(url, timeout=config["CHANNEL_SEND_TIMEOUT"]) as answer:
            answer.read()
    except urllib.error.HTTPError as error:
        error.close()  # Kannel's explanation is not read: it may quote the number
        if 400 <= error.code < 500 and error.code != 429:
            raise SendRefused(f"HTTP {error.code}") from None
        raise SendFailed(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise SendFailed(type(error).__name__) from None
    return ""
