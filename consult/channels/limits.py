"""Inbound rate limits: per number (its keyed hash) and per channel's consultation, on the
same counters as the web's limits (Flask-Limiter's storage, RATELIMIT_ENABLED). A message over
a limit is recorded (a retry stays a retry) but gets no reply: a flood must not make the host
pay for thousands of replies."""
from flask import current_app
from limits import parse_many

from consult.extensions import limiter


def allow_inbound(number_key: str, consultation_id: int) -> bool:
    """Count one inbound message; False when the number or the consultation is over a limit."""
    if not limiter.enabled:
        return True
    strategy = limiter.limiter
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    whole = (prefix, "channel-consultation", str(consultation_id))
    ceiling = parse_many(str(current_app.config["CHANNEL_CONSULTATION_RATE_LIMIT"]))
    if not all(strategy.test(item, *whole) for item in ceiling):
        return False
    own = parse_many(str(current_app.config["CHANNEL_NUMBER_RATE_LIMIT"]))
    return all(strategy.hit(item, prefix, "channel-number", number_key) for item in own) and \
        all(strategy.hit(item, *whole) for item in ceiling)
