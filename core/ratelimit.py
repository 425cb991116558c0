"""Rate limits that slow guessing without locking out the right people. Kept in memory only (a restart forgets them;
nothing is written to disk).

The rules, and why:
- Limits are kept per account, per target (a meeting, a survey) and per browser, never per network address: behind
  a reverse proxy or a NAT a whole organisation shares one address, and one person's typos (or one attacker) must
  not lock out everyone else there.
- A wrong password slows down the next attempts on that account (a growing delay before the password is checked),
  but never refuses the right one: the owner gets in, after the wait.
- A browser that keeps failing is refused for a while: that is its own doing.
- Cycling browsers (no cookie, or a fresh one per attempt) to escape the per-browser limit is what `Flood` answers:
  when many failures reach the server, a browser first seen only moments ago must wait before it may try. People
  whose browser was here before the flood are not slowed down at all.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


class Flood:
    """Counts failures server-wide. Above `threshold` in `window` seconds, a newcomer (a browser first seen less than
    the wait ago) waits: `base_wait` seconds per threshold's worth of failures, up to `max_wait`."""

    def __init__(
        self,
        threshold: int = 200,
        window: float = 600,
        base_wait: float = 30,
        max_wait: float = 300,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold, self.window, self.base_wait, self.max_wait = threshold, window, base_wait, max_wait
        self.clock = clock
        self._failures: deque[float] = deque()

    def failure(self) -> None:
        now = self.clock()
        self._failures.append(now)
        self._expire(now)

    def level(self) -> int:
        """Failures in the current window."""
        self._expire(self.clock())
        return len(self._failures)

    def newcomer_wait(self, age: float) -> int:
        """Seconds a browser first seen `age` seconds ago must still wait before it may try; 0 outside a flood."""
        count = self.level()
        if count <= self.threshold:
            return 0
        required = min(self.max_wait, self.base_wait * count / self.threshold)
        return max(0, int(required - max(0.0, age) + 0.999))

    def _expire(self, now: float) -> None:
        while self._failures and now - self._failures[0] >= self.window:
            self._failures.popleft()
        while len(self._failures) > 100 * self.threshold:  # bounded memory during a long flood
            self._failures.popleft()


FLOOD = Flood()  # the process's flood gauge: every FailureLimiter reports to it unless told otherwise


@dataclass
class _Entry:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class FailureLimiter:
    """Counts events per key within `window` seconds: once `free` of them are counted the key is locked for
    `base_lock` seconds, and each further one doubles the lock, up to `max_lock`. Each failure also counts towards
    `flood` (pass None for limiters that count successes, such as submissions)."""

    def __init__(
        self,
        free: int,
        window: float,
        base_lock: float,
        max_lock: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
        flood: Flood | None = FLOOD,
    ) -> None:
        self.free, self.window, self.base_lock, self.max_lock = free, window, base_lock, max_lock
        self.clock = clock
        self.max_keys = max_keys
        self.flood = flood
        self._entries: dict[str, _Entry] = {}

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again; 0 when it may now."""
        entry = self._entries.get(key)
        if entry is None:
            return 0
        return max(0, int(entry.locked_until - self.clock() + 0.999))

    def delay(self, key: str) -> float:
        """Like retry_after, in exact seconds (for holding an attempt rather than refusing it)."""
        entry = self._entries.get(key)
        return max(0.0, entry.locked_until - self.clock()) if entry else 0.0

    def failure(self, key: str) -> None:
        now = self.clock()
        if len(self._entries) >= self.max_keys:
            self._prune(now)
        entry = self._entries.setdefault(key, _Entry())
        entry.failures = [t for t in entry.failures if now - t < self.window] + [now]
        excess = len(entry.failures) - self.free + 1
        if excess > 0:
            entry.locked_until = now + min(self.max_lock, self.base_lock * 2 ** (excess - 1))
        if self.flood is not None:
            self.flood.failure()

    def success(self, key: str) -> None:
        self._entries.pop(key, None)

    def _prune(self, now: float) -> None:
        for key in [
            k
            for k, e in self._entries.items()
            if e.locked_until <= now and all(now - t >= self.window for t in e.failures)
        ]:
            del self._entries[key]
