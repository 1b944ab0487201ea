"""The summary endpoint of the OpenAPI document (merged into openapi.OPENAPI)."""

_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_FIGURE = {"type": "object", "description": "A count, or null with why it is hidden",
           "properties": {
               "count": {"type": ["integer", "null"]},
               "hidden": {"enum": ["small", "hidden"],
                          "description": "small: from 1 to k-1; hidden: hidden so that a "
                                         "small count cannot be worked out"},
               "share": {"type": "number"},
               "interval": {"type": "array", "items": {"type": "number"},
                            "description": "Wilson 95% interval of the share"},
               "base": {"enum": ["answered", "respondents"]}}}

SUMMARY_PATHS = {
    "/consultations/{slug}/summary": {"get": {
        "summary": "Published survey results: counts, shares with 95% intervals, statistics "
                   "and breakdowns by language, channel and segment questions; no count from "
                   "1 to k-1 and none that would reveal one; with the cell-key perturbation "
                   "on (the default) each count is shown within 2 of the true one, the same "
                   "on every request (methods.perturbation gives its parameters)",
        "parameters": [_SLUG],
        "responses": {
            "200": {"description": "The summary document", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "consultation": {"type": "string"}, "k": {"type": "integer"},
                    "generated_at": {"type": "string", "format": "date-time"},
                    "data_hash": {"type": "string"}, "respondents": _FIGURE,
                    "languages": {"type": "array", "items": _FIGURE},
                    "channels": {"type": "array", "items": _FIGURE},
                    "questions": {"type": "array", "items": {"type": "object"}},
                    "methods": {"type": "object", "properties": {
                        "perturbation": {"type": ["object", "null"],
                                         "description": "The cell-key perturbation's "
                                                        "parameters; null when the counts "
                                                        "are exact"}}}}}}}},
            "404": {"description": "Unknown, or its results are not published"}}}},
}
