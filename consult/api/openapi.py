"""The OpenAPI 3.1 document served at /api/v1/openapi.json."""
from consult.api.openapi_comments import COMMENT_PATHS
from consult.api.openapi_summaries import SUMMARY_PATHS

_ERROR = {"type": "object", "properties": {"error": {"type": "string"},
                                           "errors": {"type": "object"}}}
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
#: Rate limits per client and per consultation (consult/limits.py); which one is not said.
_TOO_MANY = {"description": "Too many contributions in a short time, from this client or to "
                            "this consultation: wait a few minutes and send it again",
             "content": {"application/json": {"schema": _ERROR}}}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Consult API", "version": "1",
             "description": "Read consultations, submit survey responses exactly once, "
                            "comment and vote on statements. "
                            "No cookies; responses store no address, agent or time of day."},
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/consultations": {"get": {
            "summary": "Listed consultations (open, closed, results published); `state` is "
                       "the effective state: an open consultation whose closing day is over "
                       "(in its time zone) is closed",
            "responses": {"200": {"description": "A list of consultations"}}}},
        "/consultations/{slug}": {"get": {
            "summary": "A consultation with sections, survey, questions, options and every "
                       "translation", "parameters": [_SLUG],
            "responses": {"200": {"description": "The consultation"},
                          "404": {"description": "Unknown or draft",
                                  "content": {"application/json": {"schema": _ERROR}}}}}},
        "/consultations/{slug}/responses": {"post": {
            "summary": "Submit a complete response",
            "parameters": [_SLUG, {"name": "Idempotency-Key", "in": "header", "required": True,
                                   "schema": {"type": "string", "maxLength": 80}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["answers"], "properties": {
                    "language": {"type": "string", "examples": ["fr"]},
                    "answers": {"type": "object", "additionalProperties": {
                        "oneOf": [{"type": "string"}, {"type": "number"},
                                  {"type": "array", "items": {"type": "string"}}]}},
                    "other": {"type": "object", "additionalProperties": {"type": "string"}}}}}}},
            "responses": {
                "201": {"description": "Counted (or the replay of a counted submission)",
                        "content": {"application/json": {"schema": {
                            "type": "object", "properties": {"receipt": {"type": "string"},
                                                             "state": {"type": "string"}}}}}},
                "400": {"description": "No Idempotency-Key, or not an answers object"},
                "403": {"description": "The survey takes answers only from participants "
                                          "signed in on the website (codename or account)"},
                "409": {"description": "The survey is not taking answers"},
                "415": {"description": "Not JSON"},
                "422": {"description": "Answers to correct (one message per field, in the "
                                       "request's language), or a reused key",
                        "content": {"application/json": {"schema": _ERROR}}},
                "429": _TOO_MANY}}},
    },
}

OPENAPI["paths"].update(COMMENT_PATHS)
OPENAPI["paths"].update(SUMMARY_PATHS)
