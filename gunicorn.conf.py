"""Gunicorn settings for `make run` and deployments; override with GUNICORN_CMD_ARGS."""
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
# Gunicorn's own error messages name the client of a malformed request: scrub them.
logger_class = "consult.serving.PrivacyLogger"
# Build the app once, before forking, so a configuration error stops start-up loudly.
preload_app = True
