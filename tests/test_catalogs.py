"""Translation catalogs: the committed template is current, every catalog complete and sane."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
CATALOGS = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_committed_pot_is_not_stale(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "--no-location",
         "--sort-output", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
         "-k", "lazy_pgettext:1c,2",
         "--add-comments=Translators:", "-o", str(fresh), "."],
        cwd=ROOT, check=True, capture_output=True)
    committed = {m.id for m in _read(TRANSLATIONS / "messages.pot") if m.id}
    current = {m.id for m in _read(fresh) if m.id}
    assert current - committed == set(), "new messages: run `make i18n`"
    assert committed - current == set(), "messages no longer used: run `make i18n`"


def test_every_interface_language_has_a_catalog(app):
    have = {p.parts[-3] for p in CATALOGS}
    assert set(app.config["LANGUAGES"]) - {"en"} <= have


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_catalog_is_complete_without_fuzzy_entries(path):
    template = {m.id for m in _read(TRANSLATIONS / "messages.pot") if m.id}
    catalog = _read(path)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert problems == [], f"untranslated or fuzzy in {path.parts[-3]}"
    assert template <= {m.id for m in catalog if m.id}, "catalog not updated: run `make i18n`"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_placeholders_are_identical_to_the_source(path):
    wrong = []
    for message in _read(path):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != expected:
                wrong.append((ids[0], string))
    assert wrong == []
