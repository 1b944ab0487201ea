"""Gunicorn glue (used by gunicorn.conf.py only): its error and access logs follow the logging
policy of security.py (no client address or query string, control characters escaped)."""
import logging
import re

from gunicorn.glogging import Logger

from consult.security import ScrubFilter, scrub

__all__ = ["PrivacyLogger", "ScrubFilter", "scrub"]

#: Gunicorn quotes the malformed part of a bad request (a request line, a header): keep the
#: kind of error, drop what the client sent, which may be anything it typed.
_BAD_REQUEST_DETAIL = re.compile(r"^(Invalid request from ip=\[removed\]: [^:'\"]*).+$", re.S)


class BadRequestDetailFilter(logging.Filter):
    """Cuts what a client sent from gunicorn's 'Invalid request' warnings (after scrubbing)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _BAD_REQUEST_DETAIL.sub(r"\1: [details removed]", record.getMessage())
        record.args = None
        return True


class PrivacyLogger(Logger):
    """Gunicorn's logger, scrubbed: its error log names the client of a bad request, and its
    access log writes the path as sent (%0a included), which could forge a line."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        # A reload (HUP) runs setup again on the same loggers: add each filter once, in order.
        for log, kinds in ((self.error_log, (ScrubFilter, BadRequestDetailFilter)),
                           (self.access_log, (ScrubFilter,))):
            for kind in kinds:
                if not any(isinstance(f, kind) for f in log.filters):
                    log.addFilter(kind())
