"""Gunicorn settings, inside the package so an installed wheel has them:
`gunicorn --config python:consult.gunicorn_conf "consult:create_app()"` (gunicorn.conf.py in a
checkout reads this module). Override with GUNICORN_CMD_ARGS."""
import os

from consult.security import ACCESS_LOG_FORMAT

bind = os.environ.get("CONSULT_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("CONSULT_WORKERS", "2"))
worker_class = "sync"
timeout = 30
# Log requests to standard output, but never who made them (see docs/threat-model.md).
accesslog = "-"
access_log_format = ACCESS_LOG_FORMAT
errorlog = "-"
# Both logs follow security.py's logging policy: gunicorn's error messages name the client of
# a malformed request and quote what it sent, and the access log writes the path as sent, so a
# %0a in it could forge a line; the logger class scrubs addresses and query strings, cuts what
# a bad request sent, writes tracebacks without messages and escapes control characters (\x0a).
logger_class = "consult.serving.PrivacyLogger"
# Build the app once, before forking, so a configuration error stops start-up loudly.
preload_app = True
