"""Small thread-safe LRUs for per-process caches of values that never go stale under their key.

Each app gets its own (`app_cache`): a key like a catalog version only means one thing within one
app's database, and tests run many apps, each on its own database, in one process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import current_app


class LRU:
    """At most `size` entries; a hit makes its entry the most recent, a put evicts the least recent."""

    def __init__(self, size: int = 256):
        self.size, self.entries = size, OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def app_cache(name: str, size: int = 256) -> LRU:
    """The current app's LRU called `name`, made on first use."""
    caches = current_app.extensions.setdefault("advisor_caches", {})
    cache = caches.get(name)
    if cache is None:
        cache = caches.setdefault(name, LRU(size))
    return cache
