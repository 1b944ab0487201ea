"""Gunicorn settings for `make run` and a checkout: those of consult/gunicorn_conf.py (which an
installed wheel uses as `--config python:consult.gunicorn_conf`). Override with
GUNICORN_CMD_ARGS. The access log never says who made a request (see docs/threat-model.md).
"""
from consult.gunicorn_conf import (  # noqa: F401
    access_log_format,
    accesslog,
    bind,
    errorlog,
    logger_class,
    preload_app,
    timeout,
    worker_class,
    workers,
)
