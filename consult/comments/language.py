"""The language a comment is written in: this one function decides, for every way a comment
arrives (form, API, import)."""
from flask import current_app

from consult.analysis.languages import written_language


def comment_language(text: str, declared: str) -> str:
    """The language code of text: the one its author declared (their interface language, or
    the import's), unless the text clearly is another language the platform knows."""
    config = current_app.config
    candidates = set(config["LANGUAGES"]) | set(config["CONTENT_LANGUAGES"] or ())
    return written_language(text, declared, candidates)
