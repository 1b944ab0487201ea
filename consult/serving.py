"""Gunicorn glue (used by gunicorn.conf.py only): an error log that never writes a client
address or a query string, to match the access-log policy in security.py."""
import logging
import re

from gunicorn.glogging import Logger

_IP_FIELD = re.compile(r"\bip=\S+?(?=:\s|\s|$)")
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
_IPV6 = re.compile(r"\b(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}\b")
_QUERY = re.compile(r"(/\S*?)\?\S*")


def scrub(message: str) -> str:
    """A log message without client addresses or query strings (receipts travel there)."""
    message = _IP_FIELD.sub("ip=[removed]", message)
    message = _IPV4.sub("[address removed]", message)
    message = _IPV6.sub("[address removed]", message)
    return _QUERY.sub(r"\1?[query removed]", message)


class ScrubFilter(logging.Filter):
    """Rewrites each record's message through scrub before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = scrub(record.getMessage()), None
        return True


class PrivacyLogger(Logger):
    """Gunicorn's logger, its error log scrubbed (gunicorn names the client of a bad request)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(ScrubFilter())
