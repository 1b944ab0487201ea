"""Template globals and filters shared by every page."""
from urllib.parse import urlencode

from babel.lists import format_list
from flask import request, url_for
from flask_babel import format_date
from markupsafe import Markup, escape

from consult import permissions
from consult.accounts.participants import participant_status
from consult.i18n import (
    LANG_PARAM,
    LocalText,
    current_language,
    language_label,
    language_name,
    page_language_context,
    text_direction,
)
from consult.security import render_host_text


def template_context() -> dict:
    """Per-request values every template may use: page language and direction, who is here."""
    return {**page_language_context(), "participant": participant_status()}


def template_globals() -> dict:
    """Helpers every template, and every imported macro, may use."""
    return {
        "perm": permissions,
        "lang_url": lang_url,
        "direction": text_direction,
        "language_name": language_name,
        "language_links": language_links,
        "language_label": language_label,
    }


def lang_url(code: str) -> str:
    """The current page's URL with ?lang=code, for the no-JavaScript language switcher."""
    args = request.args.to_dict()
    args[LANG_PARAM] = code
    return f"{request.path}?{urlencode(args)}"


def local_text(value: LocalText, tag: str = "span", block: bool = False) -> Markup:
    """Host text in an element; when it fell back to another language, lang= says which."""
    body = render_host_text(value.text) if block else escape(value.text)
    if value.is_fallback:
        return Markup('<{0} lang="{1}" dir="{2}" class="fallback">{3}</{0}>').format(
            Markup(tag), value.language, text_direction(value.language), body)
    if tag == "span":
        return Markup(body)
    return Markup("<{0}>{1}</{0}>").format(Markup(tag), body)


def language_links(consultation) -> list[Markup]:
    """Links to a consultation in each language it is offered in, each named in itself."""
    return [Markup('<a href="{0}" lang="{1}" hreflang="{1}">{2}</a>').format(
        url_for("consultations.show", slug=consultation.slug, lang=code), code,
        language_name(code)) for code in consultation.languages]


def join_list(items, style: str = "standard", isolate: bool = False) -> Markup:
    """Items joined the way the reader's language lists things ("a, b and c", "أ، ب و ج");
    isolate: each item in its own <bdi>, for words whose language (and direction) may not be
    the page's, such as the terms of themes, which would otherwise reorder around the commas."""
    escaped = [str(Markup("<bdi>{0}</bdi>").format(item) if isolate else escape(item))
               for item in items]
    if not escaped:
        return Markup("")
    return Markup(format_list(escaped, style=style, locale=current_language()))


TEMPLATE_FILTERS = {
    "join_list": join_list,
    "local": local_text,
    "day": lambda value: format_date(value, "long") if value else "",
}
