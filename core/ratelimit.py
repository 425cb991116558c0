"""Failure counting with growing lock-outs, kept in memory only (a restart forgets it; nothing is written to disk)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Entry:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class FailureLimiter:
    """Counts events per key within `window` seconds: once `free` of them are counted the key is locked for
    `base_lock` seconds, and each further one doubles the lock, up to `max_lock`."""

    def __init__(
        self,
        free: int,
        window: float,
        base_lock: float,
        max_lock: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.free, self.window, self.base_lock, self.max_lock = free, window, base_lock, max_lock
        self.clock = clock
        self.max_keys = max_keys
        self._entries: dict[str, _Entry] = {}

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again; 0 when it may now."""
        entry = self._entries.get(key)
        if entry is None:
            return 0
        return max(0, int(entry.locked_until - self.clock() + 0.999))

    def failure(self, key: str) -> None:
        now = self.clock()
        if len(self._entries) >= self.max_keys:
            self._prune(now)
        entry = self._entries.setdefault(key, _Entry())
        entry.failures = [t for t in entry.failures if now - t < self.window] + [now]
        excess = len(entry.failures) - self.free + 1
        if excess > 0:
            entry.locked_until = now + min(self.max_lock, self.base_lock * 2 ** (excess - 1))

    def success(self, key: str) -> None:
        self._entries.pop(key, None)

    def _prune(self, now: float) -> None:
        for key in [
            k
            for k, e in self._entries.items()
            if e.locked_until <= now and all(now - t >= self.window for t in e.failures)
        ]:
            del self._entries[key]
