"""The comment and vote endpoints of the OpenAPI document (merged into openapi.OPENAPI)."""

_ERROR = {"type": "object", "properties": {"error": {"type": "string"},
                                           "errors": {"type": "object"}}}
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_PARTICIPANT = {"name": "Participant-Key", "in": "header", "required": True,
                "description": "A random string (16-128 characters) the app makes once per "
                               "participant and keeps; only a keyed hash of it is stored.",
                "schema": {"type": "string", "minLength": 16, "maxLength": 128}}
_COUNTS = {"type": "object", "properties": {"agree": {"type": "integer"},
                                            "disagree": {"type": "integer"},
                                            "pass": {"type": "integer"}}}
_COMMENT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "parent_id": {"type": ["integer", "null"]},
    "section": {"type": ["integer", "null"], "description": "Section number, if on a section"},
    "body": {"type": "string", "description": "Plain text"},
    "language": {"type": "string"},
    "author": {"type": "string", "description": "Pseudonym, stable within the consultation"},
    "created_on": {"type": "string", "format": "date"}, "votes": _COUNTS,
    "replies": {"type": "integer", "description": "Published direct replies"}}}

#: Rate limits per client and per consultation (consult/limits.py); which one is not said.
TOO_MANY = {"description": "Too many contributions in a short time, from this client or to "
                           "this consultation: wait a few minutes and send it again",
            "content": {"application/json": {"schema": _ERROR}}}
_REFUSED = {
    "400": {"description": "No usable Participant-Key, or not a JSON object"},
    "403": {"description": "A codename or account consultation: take part on the website"},
    "404": {"description": "Unknown or draft"},
    "409": {"description": "The consultation is not taking comments or votes now, or the "
                           "comment is not published"},
    "415": {"description": "Not JSON"},
    "422": {"description": "Fields to correct (one message per field, in the comment's "
                           "language)", "content": {"application/json": {"schema": _ERROR}}},
    "429": TOO_MANY}

COMMENT_PATHS = {
    "/consultations/{slug}/comments": {
        "get": {
            "summary": "Published comments and replies, oldest first, 100 at a time",
            "parameters": [_SLUG, {"name": "after", "in": "query", "required": False,
                                   "description": "The `next` of the previous page",
                                   "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "A page of comments", "content": {
                "application/json": {"schema": {"type": "object", "properties": {
                    "comments": {"type": "array", "items": _COMMENT},
                    "next": {"type": ["integer", "null"]}}}}}},
                "404": {"description": "Unknown or draft"}}},
        "post": {
            "summary": "A comment (or a reply): published at once or held for moderation, "
                       "by the consultation's moderation mode",
            "parameters": [_SLUG, _PARTICIPANT, {
                "name": "Idempotency-Key", "in": "header", "required": False,
                "description": "A replay with the same key and body returns the first "
                               "comment; the key with another body, section or parent, or "
                               "from another participant, is 422",
                "schema": {"type": "string", "maxLength": 80}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["body"], "properties": {
                    "body": {"type": "string", "maxLength": 2000},
                    "language": {"type": "string", "examples": ["fr"]},
                    "section": {"type": "integer", "description": "Comment on this section"},
                    "parent_id": {"type": "integer", "description": "Reply to this comment"},
                }}}}},
            "responses": {"201": {"description": "Saved", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "id": {"type": "integer"},
                    "state": {"type": "string", "enum": ["published", "pending"]},
                    "held_because": {"type": "string", "enum": [
                        "personal_information", "watched_word"], "description":
                        "Present when screening held the comment for a moderator"},
                    "message": {"type": "string", "description": "Why it is held, in the "
                                "comment's language"}}}}}},
                **_REFUSED,
                "403": {"description": "A codename or account consultation (take part on the "
                                       "website), or the participant is blocked here"},
                "422": {"description": "Fields to correct, including watched words that are "
                                       "not accepted, or an Idempotency-Key already used for "
                                       "another comment", "content": {"application/json": {
                                           "schema": _ERROR}}},
                "429": {"description": "Too many comments in a short time (from this client "
                                       "or to this consultation), or a new participant's "
                                       "limit: comments a day, time between comments, or "
                                       "links in a comment (then errors.body says so)",
                        "content": {
                                           "application/json": {"schema": _ERROR}}}}}},
    "/comments/{comment_id}/votes": {"post": {
        "summary": "Agree, disagree or pass on a published comment; the latest vote counts",
        "parameters": [{"name": "comment_id", "in": "path", "required": True,
                        "schema": {"type": "integer"}}, _PARTICIPANT],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["vote"], "properties": {
                "vote": {"type": "string", "enum": ["agree", "disagree", "pass"]}}}}}},
        "responses": {"200": {"description": "Counted; the comment's new counts",
                              "content": {"application/json": {"schema": {
                                  "type": "object", "properties": {
                                      "vote": {"type": "string"}, **_COUNTS["properties"]}}}}},
                      **_REFUSED}}},
}
