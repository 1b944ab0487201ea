"""What moderation tells other features, without knowing them: a blinker signal sent with
every decision written to the log (moderation/log.py), in the decision's transaction.

A receiver (channels/notices.py: an SMS to the author) must only flush and queue work after
the commit, so a decision rolled back leaves nothing behind.
"""
from blinker import Namespace

_signals = Namespace()

#: Sent with each ModerationDecision as it is logged (sender: the decision).
decision_recorded = _signals.signal("moderation-decision-recorded")
