"""The OpenAPI 3.1 document served at /api/v1/openapi.json."""
from consult.api.openapi_comments import COMMENT_PATHS, TOO_MANY
from consult.api.openapi_summaries import SUMMARY_PATHS
from consult.boundary import MAX_JSON_DEPTH

_ERROR = {"type": "object", "properties": {"error": {"type": "string"},
                                           "errors": {"type": "object"}}}
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}

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
                "429": TOO_MANY}}},
    },
}

OPENAPI["paths"].update(COMMENT_PATHS)
OPENAPI["paths"].update(SUMMARY_PATHS)

#: What the request boundary (consult/boundary.py) and the error pages may answer to any
#: operation, whatever its own responses say: an unknown or malformed path part (a slug with
#: a control character, an id beyond a column), and for bodies, JSON that is not JSON, nested
#: too deeply, too large or of another type.
_BOUNDARY_RESPONSES = {
    "404": {"description": "Unknown, not public, or a malformed path part",
            "content": {"application/json": {"schema": _ERROR}}},
}
_BODY_RESPONSES = {
    "400": {"description": "Not a JSON object as described, or JSON nested more than "
                           f"{MAX_JSON_DEPTH} levels deep",
            "content": {"application/json": {"schema": _ERROR}}},
    "413": {"description": "Larger than the server accepts (2 MB by default)",
            "content": {"application/json": {"schema": _ERROR}}},
    "415": {"description": "Not JSON"},
}
#: Stateful links: a new comment can be voted on and replied to (Schemathesis follows these).
_COMMENT_LINKS = {
    "VoteOnTheComment": {"operationRef": "#/paths/~1comments~1{comment_id}~1votes/post",
                         "parameters": {"comment_id": "$response.body#/id"}},
    "ReplyToTheComment": {"operationRef": "#/paths/~1consultations~1{slug}~1comments/post",
                          "parameters": {"slug": "$request.path.slug"},
                          "requestBody": {"body": "A reply", "parent_id": "$response.body#/id"}},
    "ReadTheComments": {"operationRef": "#/paths/~1consultations~1{slug}~1comments/get",
                        "parameters": {"slug": "$request.path.slug"}},
}


def _add_boundary_responses(paths: dict) -> None:
    """Document the boundary's refusals on every operation (keeping any own description)."""
    for item in paths.values():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            extra = {**_BOUNDARY_RESPONSES, **(_BODY_RESPONSES if method == "post" else {})}
            for code, response in extra.items():
                responses.setdefault(code, response)


_add_boundary_responses(OPENAPI["paths"])
OPENAPI["paths"]["/consultations/{slug}/comments"]["post"]["responses"]["201"].setdefault(
    "links", _COMMENT_LINKS)
