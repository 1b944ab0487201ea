"""Describing a staff edit for the audit log: settings as old -> new, texts by field and
language only. Texts are never copied into the log: host text can be long, and some of it
(a theme's terms, a quoted answer) may hold a participant's words."""
import datetime as dt
import enum
from typing import Any, Iterable


def texts_of(target) -> dict[tuple[str, str], str]:
    """A Translatable's texts as {(field, language): text}, to compare before and after."""
    return {(row.field, row.language): row.text for row in target.texts}


def changed_texts(before: dict[tuple[str, str], str],
                  after: dict[tuple[str, str], str]) -> list[str]:
    """Fields whose text changed, each with its languages: ["title (en, fr)", "body (ar)"]."""
    languages: dict[str, list[str]] = {}
    for field, language in sorted(before.keys() | after.keys()):
        if before.get((field, language)) != after.get((field, language)):
            languages.setdefault(field, []).append(language)
    return [f"{field} ({', '.join(codes)})" for field, codes in languages.items()]


def shown(value: Any) -> str:
    """A setting's value as the log writes it."""
    if value is None or value == "":
        return "-"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(shown(v) for v in value) or "-"
    return str(value)


def changed_settings(before: dict[str, Any], after: dict[str, Any],
                     names: Iterable[str] | None = None) -> list[str]:
    """Settings that changed, as "name: old -> new"."""
    return [f"{name}: {shown(before.get(name))} -> {shown(after.get(name))}"
            for name in (names if names is not None else after)
            if before.get(name) != after.get(name)]


def joined(*parts: Iterable[str]) -> str:
    """Descriptions joined into one detail (empty ones left out)."""
    return "; ".join(item for part in parts for item in part if item)
