"""The public pages this process served last, as bytes, so that a visit costs no cache round trip.

Bounded by size (every page counts its bytes plus ENTRY_OVERHEAD), least recently used out first; it holds the
pages of one release only, and seeing another release empties it. The pages are the same for every visitor and
never hold personal data (public_dashboard.views renders them for an anonymous visitor), so sharing them is safe.
"""

import threading
from collections import OrderedDict

ENTRY_OVERHEAD = 256  # bytes per entry for its key and bookkeeping, so that many small pages count too


class PageMemory:
    def __init__(self, *, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0  # bytes held, overhead included
        self._version: str | None = None
        self._pages: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, version: str, key: tuple) -> bytes | None:
        with self._lock:
            if version != self._version:
                return None
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def put(self, version: str, key: tuple, body: bytes) -> None:
        cost = len(body) + ENTRY_OVERHEAD
        if cost > self.max_bytes:
            return
        with self._lock:
            if version != self._version:
                self._pages.clear()
                self.size, self._version = 0, version
            if (old := self._pages.pop(key, None)) is not None:
                self.size -= len(old) + ENTRY_OVERHEAD
            while self._pages and self.size + cost > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self.size -= len(evicted) + ENTRY_OVERHEAD
            self._pages[key] = body
            self.size += cost

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.size, self._version = 0, None
