"""Inbound rate limits: per number and per consultation; over a limit a message is recorded
but never answered (a flood must not run up the host's SMS bill)."""
from consult.channels.models import InboundMessage
from consult.extensions import db


def test_a_number_over_its_limit_gets_no_reply_and_others_still_do(rate_limited, connected,
                                                                   sms):
    rate_limited.config.update(CHANNEL_NUMBER_RATE_LIMIT="3 per minute",
                               CHANNEL_CONSULTATION_RATE_LIMIT="100 per hour")
    replies = [sms("safe") for _ in range(5)]
    assert all(replies[:3]) and replies[3:] == ["", ""]
    assert sms("safe", number="+254700000009") != ""
    assert db.session.scalar(db.select(db.func.count(InboundMessage.id))) == 6


def test_a_flood_from_many_numbers_stops_at_the_consultations_ceiling(rate_limited, connected,
                                                                      sms):
    rate_limited.config.update(CHANNEL_NUMBER_RATE_LIMIT="3 per minute",
                               CHANNEL_CONSULTATION_RATE_LIMIT="4 per hour")
    replies = [sms("safe", number=f"+2547000000{n:02d}") for n in range(6)]
    assert [bool(r) for r in replies] == [True] * 4 + [False] * 2
