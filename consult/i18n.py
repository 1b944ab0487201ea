"""Language choice, right-to-left layout, and host-written text in several languages."""
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from flask import current_app, g, has_request_context, request
from flask_babel import get_locale

#: Query parameter that switches the language (links in the language switcher use it).
LANG_PARAM = "lang"


def select_locale() -> str:
    """The reader's language: ?lang=, then the remembered cookie, then the browser, then default.

    On a consultation's pages only its offered languages count, and its default language is
    the last resort (see offer_languages).
    """
    if not has_request_context():  # CLI commands and services run outside requests
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    supported, default = g.get("offered_languages") or (
        current_app.config["LANGUAGES"], current_app.config["BABEL_DEFAULT_LOCALE"])
    for candidate in (request.args.get(LANG_PARAM), request.cookies.get(
            current_app.config["LANGUAGE_COOKIE"])):
        if candidate in supported:
            return candidate
    return request.accept_languages.best_match(supported) or default


def offer_languages(languages: list[str], default: str) -> None:
    """Limit this request's language choice (and switcher) to a consultation's languages."""
    interface = current_app.config["LANGUAGES"]
    offered = [code for code in languages if code in interface]
    if offered:
        g.offered_languages = (offered, default if default in offered else offered[0])


def remember_language(response):
    """Store a language chosen with ?lang= in a cookie, so it sticks without JavaScript.

    Not on the JSON API, which sets no cookie at all: its clients send Accept-Language.
    """
    if request.path.startswith("/api/"):
        return response
    chosen = request.args.get(LANG_PARAM)
    cookie = current_app.config["LANGUAGE_COOKIE"]
    if chosen in current_app.config["LANGUAGES"] and request.cookies.get(cookie) != chosen:
        response.set_cookie(cookie, chosen, max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def current_language() -> str:
    """Code of the active interface language, e.g. 'fr'."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


@lru_cache(maxsize=64)
def text_direction(language: str) -> str:
    """'rtl' or 'ltr' for a language code, from CLDR."""
    try:
        return "rtl" if Locale.parse(language).text_direction == "rtl" else "ltr"
    except (ValueError, LookupError, UnknownLocaleError):  # a code Babel does not know
        return "ltr"


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """A language's name in that language (autonym), e.g. 'Français', for switchers."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, LookupError, UnknownLocaleError):  # a code Babel does not know
        return code
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class LocalText:
    """Host-written text in the language it is actually in (may differ from the one asked)."""

    text: str
    language: str
    #: True when the asked-for language had no text and the default language was used.
    is_fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def pick_text(texts: dict[str, str], language: str, default_language: str) -> LocalText:
    """The text in language, else in default_language (marked as a fallback), else any."""
    if texts.get(language):
        return LocalText(texts[language], language, False)
    if texts.get(default_language):
        return LocalText(texts[default_language], default_language, True)
    for code, text in sorted(texts.items()):
        if text:
            return LocalText(text, code, True)
    return LocalText("", default_language, language != default_language)


def page_language_context() -> dict:
    """Template globals describing the page's language: code, direction, switcher entries."""
    if "lang_context" not in g:
        code = current_language()
        g.lang_context = {
            "page_lang": code,
            "page_dir": text_direction(code),
            "languages": [(c, language_name(c)) for c in
                          (g.get("offered_languages") or (current_app.config["LANGUAGES"],))[0]],
        }
    return g.lang_context


def language_label(code: str) -> str:
    """A language's name in the reader's language (CLDR), e.g. 'anglais' for 'en' in French."""
    try:
        name = Locale.parse(code).get_display_name(current_language()) or code
    except (ValueError, LookupError, UnknownLocaleError):  # a code Babel does not know
        return code
    return name[:1].upper() + name[1:]


#: A language's catalog: its source (a checkout) or its compiled form (an installed wheel).
CATALOG_FILES = ("messages.po", "messages.mo")


def discover_languages(translations: Path, source: str) -> list[str]:
    """The source language, then every language with a catalog in translations/, by code."""
    found = sorted({p.parts[-3] for name in CATALOG_FILES
                    for p in translations.glob(f"*/LC_MESSAGES/{name}")})
    return [source] + [code for code in found if code != source]


def has_catalog(translations: Path, code: str) -> bool:
    """Whether translations/ holds a catalog (source or compiled) for the language code."""
    return any((translations / code / "LC_MESSAGES" / name).is_file() for name in CATALOG_FILES)


def check_languages(languages: list[str], translations: Path, source: str) -> None:
    """Refuse to start with an interface language that has no catalog or is not a locale."""
    for code in languages:
        try:
            Locale.parse(code)
        except (ValueError, LookupError) as error:
            raise RuntimeError(f"LANGUAGES: {code!r} is not a known locale") from error
        if code != source and not has_catalog(translations, code):
            raise RuntimeError(f"LANGUAGES: no catalog for {code!r} in {translations}; "
                               f"run `pybabel init -i translations/messages.pot -d translations "
                               f"-l {code}` and translate it")


def text_language(text: str, declared: str) -> str:
    """The language participant free text is written in: the declared one (their interface
    language) unless it clearly is another language the platform knows."""
    from consult.analysis.languages import written_language

    config = current_app.config
    candidates = set(config["LANGUAGES"]) | set(config.get("CONTENT_LANGUAGES") or ())
    return written_language(text, declared, candidates)
