"""Change notification: a service says, after a commit, that something of a community changed; pages that show it
listen and draw it again, instead of polling or reloading.

The same shape as the IT-tools room (core/ittools/live.py): listeners are plain callables, so core knows nothing of
the UI; a listener that fails never stops the others; `subscribe` returns the function that unsubscribes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changed:
    """What changed: a part of a community (`topic`: plan | survey | kickoff | basics | ...), and by whom."""

    cid: str
    topic: str
    actor: str = ''  # who made the change ('' when nobody in particular: a respondent, a background task)


Listener = Callable[[Changed], None]
C = TypeVar('C')


class Channel(Generic[C]):
    """Listeners of one thing, called in turn; a listener that fails is logged and the others still hear. Used by the
    community channels below and by each IT-tools room (core/ittools/live.py)."""

    def __init__(self, label: str = 'change') -> None:
        self.label = label  # what the log line names when a listener fails
        self.listeners: list[Callable[[C], None]] = []

    def __len__(self) -> int:
        return len(self.listeners)

    def subscribe(self, listener: Callable[[C], None]) -> Callable[[], None]:
        self.listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self.listeners:
                self.listeners.remove(listener)

        return unsubscribe

    def notify(self, change: C) -> None:
        for listener in list(self.listeners):
            try:
                listener(change)
            except Exception:  # one broken page must not keep the change from everyone else
                log.warning('a listener of %s failed on %s', self.label, _name(change), exc_info=True)


def _name(change: Any) -> str:
    return str(getattr(change, 'topic', None) or getattr(change, 'kind', None) or type(change).__name__)


class Changes:
    """One channel per community: pages subscribe to the community they show, services publish after a commit."""

    def __init__(self) -> None:
        self._channels: dict[str, Channel[Changed]] = {}

    def subscribe(self, cid: str, listener: Listener, topics: frozenset[str] | None = None) -> Callable[[], None]:
        """Hear the changes of community `cid` (of the given topics only, when named)."""
        channel = self._channels.setdefault(cid, Channel(f'community {cid}'))
        heard = listener if topics is None else _only(topics, listener)
        unsubscribe = channel.subscribe(heard)

        def leave() -> None:
            unsubscribe()
            if not channel.listeners and self._channels.get(cid) is channel:
                del self._channels[cid]

        return leave

    def publish(self, cid: str, topic: str, actor: str = '') -> None:
        channel = self._channels.get(cid)
        if channel is not None:
            channel.notify(Changed(cid, topic, actor))

    def listeners(self, cid: str) -> int:
        """How many listen to `cid` now (for tests: a closed page must have left)."""
        channel = self._channels.get(cid)
        return len(channel.listeners) if channel else 0


def _only(topics: frozenset[str], listener: Listener) -> Listener:
    def heard(change: Changed) -> None:
        if change.topic in topics:
            listener(change)

    return heard
