"""Gunicorn glue (used by gunicorn.conf.py only): its error and access logs follow the logging
policy of security.py (no client address or query string, control characters escaped)."""
from gunicorn.glogging import Logger

from consult.security import ScrubFilter, scrub

__all__ = ["PrivacyLogger", "ScrubFilter", "scrub"]


class PrivacyLogger(Logger):
    """Gunicorn's logger, scrubbed: its error log names the client of a bad request, and its
    access log writes the path as sent (%0a included), which could forge a line."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(ScrubFilter())
        self.access_log.addFilter(ScrubFilter())
