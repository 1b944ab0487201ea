"""Planners' theme edits replayed onto computed themes, also after a recomputation."""
import pytest

from consult.analysis.theme_edits import MISSING, UNSPLITTABLE, ThemeEdit, apply_edits
from consult.analysis.themes import Theme, ThemeResult, find_themes, theme_key
from tests.analysis.test_themes import _corpus, _purity


def _theme(terms, members, quotes=None):
    return Theme(theme_key(terms), tuple(terms), tuple(members), len(members),
                 tuple(quotes or members[:2]))


LIGHTS = _theme(["lights", "lamps", "dark"], [0, 1, 2, 3])
JOBS = _theme(["jobs", "training", "youth"], [4, 5, 6])
BUSES = _theme(["buses", "fares", "late"], [7, 8])


def _result(*themes, campaigns=()):
    return ThemeResult(list(themes), (), [tuple(c) for c in campaigns])


def _rename(edit_id, theme, name, terms=None):
    return ThemeEdit(edit_id, "rename", theme.key, tuple(terms or theme.terms),
                     names={"en": name})


def _merge(edit_id, source, target):
    return ThemeEdit(edit_id, "merge", source.key, source.terms, target.key, target.terms)


def test_without_edits_the_themes_are_the_computed_ones():
    edited = apply_edits(_result(LIGHTS, JOBS), [], [""] * 7)
    assert [(t.key, t.terms, t.size, t.names) for t in edited.themes] == [
        (LIGHTS.key, LIGHTS.terms, 4, {}), (JOBS.key, JOBS.terms, 3, {})]
    assert edited.applied == () and edited.not_applied == {}


def test_a_rename_names_the_theme_and_keeps_its_terms():
    edited = apply_edits(_result(LIGHTS, JOBS), [_rename(1, JOBS, "Work for youth")], [""] * 7)
    jobs = edited.themes[1]
    assert jobs.names == {"en": "Work for youth"} and jobs.terms == JOBS.terms
    assert jobs.edits == (1,) and edited.applied == (1,)


def test_the_latest_rename_wins():
    edits = [_rename(2, JOBS, "Second"), _rename(1, JOBS, "First")]
    assert apply_edits(_result(JOBS), edits, [""] * 7).themes[0].names == {"en": "Second"}


def test_a_rename_finds_its_theme_by_terms_when_the_key_changed():
    recomputed = _theme(["jobs", "training", "apprenticeships", "youth"], [4, 5, 6])
    old = ThemeEdit(1, "rename", "0ld0ld0ld0ld", JOBS.terms, names={"en": "Work"})
    edited = apply_edits(_result(LIGHTS, recomputed), [old], [""] * 7)
    assert edited.themes[1].key == recomputed.key and edited.themes[1].names == {"en": "Work"}


def test_an_edit_whose_theme_vanished_is_reported_not_dropped():
    gone = ThemeEdit(1, "rename", "0ld0ld0ld0ld", ("ferry", "boats"), names={"en": "Ferry"})
    edited = apply_edits(_result(LIGHTS, JOBS), [gone, _rename(2, LIGHTS, "Lights")], [""] * 7)
    assert edited.not_applied == {1: MISSING} and edited.applied == (2,)
    assert all(t.names != {"en": "Ferry"} for t in edited.themes)


def test_merged_sizes_add_up_counting_a_campaign_once():
    # Texts 3 and 7 are copies of one letter that landed in two themes: one submission.
    edited = apply_edits(_result(LIGHTS, BUSES, campaigns=[(3, 7)]), [_merge(1, BUSES, LIGHTS)],
                         [""] * 9)
    (merged,) = edited.themes
    assert merged.key == LIGHTS.key and merged.members == (0, 1, 2, 3, 7, 8)
    assert merged.size == 5
    assert merged.terms == LIGHTS.terms + BUSES.terms and merged.merged == (BUSES.terms,)
    assert set(merged.quotes) <= set(merged.members) and merged.edits == (1,)


def test_merges_chain_and_a_merged_theme_can_be_renamed():
    first = _merge(1, BUSES, LIGHTS)
    merged_terms = LIGHTS.terms + BUSES.terms
    second = ThemeEdit(2, "merge", LIGHTS.key, merged_terms, JOBS.key, JOBS.terms)
    edited = apply_edits(_result(LIGHTS, JOBS, BUSES),
                         [first, second, _rename(3, JOBS, "Everything")], [""] * 9)
    (everything,) = edited.themes
    assert everything.size == 9 and everything.names == {"en": "Everything"}
    assert len(everything.merged) == 2 and edited.applied == (1, 2, 3)


def test_a_merge_keeps_the_target_name_else_the_source_name():
    renamed = [_rename(1, BUSES, "Buses"), _merge(2, BUSES, LIGHTS)]
    assert apply_edits(_result(LIGHTS, BUSES), renamed, [""] * 9).themes[0].names == \
        {"en": "Buses"}
    both = [_rename(3, LIGHTS, "Lights"), *renamed]
    assert apply_edits(_result(LIGHTS, BUSES), both, [""] * 9).themes[0].names == \
        {"en": "Lights"}


def test_a_merge_into_a_vanished_theme_leaves_the_source_alone():
    gone = ThemeEdit(1, "merge", BUSES.key, BUSES.terms, "0ld0ld0ld0ld", ("ferry",))
    edited = apply_edits(_result(LIGHTS, BUSES), [gone], [""] * 9)
    assert edited.not_applied == {1: MISSING} and len(edited.themes) == 2


def test_a_split_divides_a_mixed_theme_by_topic():
    texts, topics, langs = _corpus(["en"], per_topic=20)
    mixed = [i for i, t in enumerate(topics) if t != "patrols"]
    result = _result(_theme(["street", "jobs"], mixed))
    split = ThemeEdit(1, "split", result.themes[0].key, ("street", "jobs"))
    edited = apply_edits(result, [split], texts, langs)
    assert len(edited.themes) == 2 and edited.applied == (1,)
    assert all(_purity(t, topics) >= 0.8 and t.edits == (1,) for t in edited.themes)
    assert sum(t.size for t in edited.themes) <= len(mixed)


def test_too_few_texts_cannot_be_split():
    split = ThemeEdit(1, "split", JOBS.key, JOBS.terms)
    edited = apply_edits(_result(JOBS), [split], ["jobs", "training", "youth"] * 3)
    assert edited.not_applied == {1: UNSPLITTABLE} and edited.themes[0].key == JOBS.key


def test_edits_survive_a_recomputation_with_more_answers():
    texts, topics, langs = _corpus(["en"], per_topic=30, seed=1)
    before = find_themes(texts, langs, max_themes=3)
    by_topic = {max(set(found := [topics[m] for m in t.members]), key=found.count): t
                for t in before.themes}
    edits = [_rename(1, by_topic["lights"], "Street lighting"),
             _merge(2, by_topic["patrols"], by_topic["jobs"])]
    more, more_topics, more_langs = _corpus(["en"], per_topic=20, seed=7)
    texts, topics, langs = texts + more, topics + more_topics, langs + more_langs
    after = find_themes(texts, langs, max_themes=3)
    assert {t.key for t in after.themes} != {t.key for t in before.themes}
    edited = apply_edits(after, edits, texts, langs)
    assert edited.applied == (1, 2) and len(edited.themes) == 2
    named = next(t for t in edited.themes if t.names)
    assert named.names == {"en": "Street lighting"} and _purity(named, topics) >= 0.8
    merged = next(t for t in edited.themes if t.merged)
    assert {topics[m] for m in merged.members} == {"jobs", "patrols"}


def test_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        apply_edits(_result(JOBS), [ThemeEdit(1, "shuffle", JOBS.key, JOBS.terms)], [""] * 7)
