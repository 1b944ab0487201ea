"""Planners' edits of computed themes (rename, merge, split), replayed onto fresh themes.

Edits are stored against a theme's key and its terms at the time. Themes are recomputed as
answers arrive, which changes their keys, so edits are replayed in the order they were made:
each finds its theme by key, else by terms (match_themes), in the themes as the edits before
it left them. An edit whose theme cannot be found any more is reported, never dropped
silently, so planners can see and remove it.
"""
from dataclasses import dataclass, field, replace
from typing import Sequence

from consult.analysis.themes import Theme, ThemeResult, match_themes, split_theme

KINDS = ("rename", "merge", "split")
#: Why an edit was not applied.
MISSING = "missing"  # its theme (or, for a merge, the target) is no longer found
UNSPLITTABLE = "unsplittable"  # the theme's texts no longer fall into two groups


@dataclass(frozen=True)
class ThemeEdit:
    """One stored edit: kind, the theme's key and terms, and what the edit says."""

    id: int
    kind: str  # one of KINDS
    key: str
    terms: tuple[str, ...]
    target_key: str | None = None  # merge: the theme it went into
    target_terms: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict, hash=False)  # rename: language -> name


@dataclass(frozen=True)
class EditedTheme:
    """A theme after the planners' edits; indexes refer to the input texts."""

    key: str
    terms: tuple[str, ...]
    members: tuple[int, ...]
    size: int  # distinct submissions: a campaign counts once, merged themes add up
    quotes: tuple[int, ...]
    names: dict[str, str] = field(default_factory=dict, hash=False)  # {} while unnamed
    edits: tuple[int, ...] = ()  # ids of the edits that shaped it, oldest first
    merged: tuple[tuple[str, ...], ...] = ()  # terms of the themes merged into it


@dataclass(frozen=True)
class EditedThemes:
    """The edited themes, and the edits that applied or could not be applied (id -> why)."""

    themes: list[EditedTheme]
    applied: tuple[int, ...]
    not_applied: dict[int, str] = field(default_factory=dict, hash=False)


def _representatives(result: ThemeResult) -> dict[int, int]:
    """Each campaign copy -> the campaign's first text, so copies count once."""
    return {m: group[0] for group in result.campaigns for m in group[1:]}


def _size(members: Sequence[int], first_of: dict[int, int]) -> int:
    return len({first_of.get(m, m) for m in members})


def _find(themes: list[EditedTheme], key: str | None, terms: Sequence[str]) -> int | None:
    """The position of the theme an edit names: same key, else the best match by terms."""
    if key is None:
        return None
    for position, theme in enumerate(themes):
        if theme.key == key:
            return position
    as_found = [Theme(t.key, t.terms, (), 0, ()) for t in themes]
    matched = {old: new for new, old in match_themes({key: tuple(terms)}, as_found).items()}
    new_key = matched.get(key)
    return next((p for p, t in enumerate(themes) if t.key == new_key), None)


def _interleave(first: Sequence[int], second: Sequence[int]) -> tuple[int, ...]:
    """Quotes of two merged themes, alternating, as many as the better-quoted one had."""
    mixed = [q for pair in zip(first, second) for q in pair]
    shorter = min(len(first), len(second))
    mixed += list(first[shorter:]) + list(second[shorter:])
    return tuple(mixed[:max(len(first), len(second))])


def _merge(source: EditedTheme, target: EditedTheme, edit_id: int,
           first_of: dict[int, int]) -> EditedTheme:
    """target with source's texts; the target keeps its key, so later edits still find it."""
    members = tuple(sorted(set(target.members) | set(source.members)))
    terms = target.terms + tuple(t for t in source.terms if t not in target.terms)
    return EditedTheme(target.key, terms, members, _size(members, first_of),
                       _interleave(target.quotes, source.quotes),
                       target.names or source.names, target.edits + (edit_id,),
                       target.merged + (source.terms,) + source.merged)


def _split(theme: EditedTheme, edit_id: int, texts: Sequence[str],
           languages: Sequence[str] | None, first_of: dict[int, int]) -> list[EditedTheme]:
    """The theme's two parts, or [] when its texts do not fall into two groups."""
    parts = split_theme(texts, theme.members, languages).themes
    if len(parts) < 2:
        return []
    return [EditedTheme(p.key, p.terms, p.members, _size(p.members, first_of), p.quotes,
                        edits=(edit_id,)) for p in parts]


def apply_edits(result: ThemeResult, edits: Sequence[ThemeEdit], texts: Sequence[str],
                languages: Sequence[str] | None = None) -> EditedThemes:
    """The themes of result with the edits replayed in order (by id); texts and languages
    are the input of find_themes, needed to split."""
    first_of = _representatives(result)
    themes = [EditedTheme(t.key, t.terms, t.members, _size(t.members, first_of), t.quotes)
              for t in result.themes]
    applied: list[int] = []
    not_applied: dict[int, str] = {}
    for edit in sorted(edits, key=lambda e: e.id):
        position = _find(themes, edit.key, edit.terms)
        if position is None:
            not_applied[edit.id] = MISSING
            continue
        theme = themes[position]
        if edit.kind == "rename":
            themes[position] = replace(theme, names=dict(edit.names),
                                       edits=theme.edits + (edit.id,))
        elif edit.kind == "merge":
            target = _find(themes, edit.target_key, edit.target_terms)
            if target is None or target == position:
                not_applied[edit.id] = MISSING
                continue
            themes[target] = _merge(theme, themes[target], edit.id, first_of)
            del themes[position]
        elif edit.kind == "split":
            parts = _split(theme, edit.id, texts, languages, first_of)
            if not parts:
                not_applied[edit.id] = UNSPLITTABLE
                continue
            themes[position:position + 1] = parts
        else:
            raise ValueError(f"unknown theme edit {edit.kind!r}")
        applied.append(edit.id)
    themes.sort(key=lambda t: (-t.size, t.key))
    return EditedThemes(themes, tuple(applied), not_applied)
