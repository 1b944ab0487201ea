"""A pluggable machine translator for staff reading participants' words: off by default.

Participants' words may put them at risk, so nothing is sent anywhere unless an operator
names a translator in MACHINE_TRANSLATOR ("package.module:factory"; the factory receives the
app config and returns an object with `translate(text, source, target) -> str`). Even then a
machine translation is only a draft that a staff member reviews before it is saved.
One adapter ships: LibreTranslate, which can run on the operator's own server.
"""
import json
import urllib.request
from importlib import import_module
from typing import Protocol

from flask import current_app


class Translator(Protocol):
    """What a machine translator offers."""

    name: str

    def translate(self, text: str, source: str, target: str) -> str:
        """text (in source) translated into target."""


class MachineTranslationFailed(RuntimeError):
    """The configured translator did not answer usefully."""


def configured_translator() -> Translator | None:
    """The operator's translator, or None (the default: no machine translation at all)."""
    spec = current_app.config.get("MACHINE_TRANSLATOR")
    if not spec:
        return None
    extension = current_app.extensions.setdefault("consult_translators", {})
    if spec not in extension:
        module, _, factory = spec.partition(":")
        extension[spec] = getattr(import_module(module), factory)(current_app.config)
    return extension[spec]


def suggest(text: str, source: str, target: str) -> str | None:
    """A draft translation from the configured translator, or None when there is none."""
    translator = configured_translator()
    if translator is None or source == target:
        return None
    try:
        return translator.translate(text, source, target)
    except (OSError, ValueError, KeyError) as error:
        raise MachineTranslationFailed(type(error).__name__) from error


class LibreTranslate:
    """Adapter for a LibreTranslate server (MACHINE_TRANSLATION_URL, optional ..._API_KEY)."""

    name = "LibreTranslate"

    def __init__(self, config):
        self.url = config["MACHINE_TRANSLATION_URL"].rstrip("/") + "/translate"
        self.api_key = config.get("MACHINE_TRANSLATION_API_KEY")
        self.timeout = config.get("MACHINE_TRANSLATION_TIMEOUT", 10)

    def translate(self, text: str, source: str, target: str) -> str:
        """POST /translate and return translatedText."""
        body = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        request = urllib.request.Request(self.url, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310
            return json.loads(reply.read().decode())["translatedText"]


def libretranslate(config) -> LibreTranslate:
    """Factory for MACHINE_TRANSLATOR = "consult.machine_translation:libretranslate"."""
    return LibreTranslate(config)
