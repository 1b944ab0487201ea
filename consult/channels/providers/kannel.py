"""Kannel (the open-source SMS gateway): smsbox's get-url in, the sendsms interface out.

Inbound: an sms-service whose get-url is
  https://HOST/channels/kannel/sms/SECRET?from=%p&to=%P&text=%a&id=%I&coding=%c
(%p the sender, %P the number written to, %a the text, %I Kannel's message id, %c its
coding: smsbox passes a UCS-2 message's text, Arabic for one, as its raw UTF-16BE bytes) with
max-messages = 0, so that smsbox sends nothing itself: replies go out through sendsms, from
the task queue, with retries. Kannel cannot sign its requests: the path carries the shared
secret CHANNEL_KANNEL_CALLBACK_SECRET.
Outbound: GET CHANNEL_KANNEL_SENDSMS_URL?username&password&from&to&text&charset=UTF-8, with
coding=2 (UCS-2) when the text is not GSM-7. The sendsms-user group needs concatenation = true and
max-messages = 10 or so: a question is often longer than one SMS, and without them Kannel
cuts every reply to one segment (70 characters in UCS-2).
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


def _ucs2_text(query: bytes) -> str:
    """The text of a raw get-url query whose message is UCS-2 (coding 2): its bytes are
    UTF-16BE, which reading the query as UTF-8 would garble."""
    pairs = urllib.parse.parse_qsl(query.decode("latin-1"), encoding="latin-1")
    raw = next((value for name, value in pairs if name == "text"), "")
    return raw.encode("latin-1").decode("utf-16-be", errors="replace")


def parse_sms(args, query: bytes = b"") -> Inbound:
    """The inbound SMS of smsbox's get-url query (from, to, text, id, coding); query: the
    raw query string, read for the text of a UCS-2 message."""
    text = _ucs2_text(query) if args.get("coding") == "2" else args.get("text", "")
    try:
        inbound = Inbound(number=args["from"], to=args["to"], text=text,
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
