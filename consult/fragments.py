"""A small per-process cache of rendered page fragments, keyed by content revision.

Keys carry the revision of what was rendered, so a change made through any worker is seen
by every worker at its next request (the revision is read from the database each time);
stale entries simply age out of the LRU. Each app has its own cache (tests build many apps).
"""
from collections import OrderedDict
from threading import Lock
from typing import Callable, Hashable

from flask import current_app

#: Entries kept per process (a few KB each).
MAX_ENTRIES = 512


class FragmentCache:
    """A thread-safe LRU mapping of keys to rendered values."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> tuple | None:
        """The value kept for key, or None."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        return None

    def put(self, key: Hashable, value: tuple) -> None:
        """Keep value for key, forgetting the least recently used beyond max_entries."""
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get_or_render(self, key: Hashable, render: Callable[[], tuple]) -> tuple:
        """The value kept for key, rendering and keeping it the first time."""
        found = self.get(key)
        if found is None:
            found = render()
            self.put(key, found)
        return found


def _cache() -> FragmentCache:
    return current_app.extensions.setdefault("consult_fragments", FragmentCache())


def cached(key: Hashable, render: Callable[[], tuple]) -> tuple:
    """The current app's value for key, rendered on first use."""
    return _cache().get_or_render(key, render)


def peek(key: Hashable) -> tuple | None:
    """The current app's value for key, or None (nothing is rendered)."""
    return _cache().get(key)


def keep(key: Hashable, value: tuple) -> None:
    """Keep value for key in the current app's cache."""
    _cache().put(key, value)
