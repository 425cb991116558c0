"""A screen that shows what others change keeps itself current: it follows its community's changes (core/changes.py)
and draws the affected piece again, instead of polling or reloading.

The subscription belongs to the page's connection: it ends when the connection drops (nothing is drawn for a page that
is not there) and starts again, with one redraw, when the page comes back; it ends for good with the page.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from core.changes import Changed, Changes

RECONNECTED = 'reconnected'  # the topic of the redraw after a dropped connection came back


def follow(
    changes: Changes,
    cid: str,
    anchor: ui.element,
    on_change: Callable[[Changed], None],
    topics: frozenset[str] | None = None,
) -> Callable[[], None]:
    """Call `on_change` (inside `anchor`, so what it draws lands on this page) for each change of `cid` (of the named
    topics only, when given). Returns the function that stops following."""
    client = ui.context.client
    subscription: list[Callable[[], None]] = []

    def heard(change: Changed) -> None:
        if anchor.is_deleted:
            stop()
            return
        with anchor:
            on_change(change)

    def start() -> None:
        if not subscription:
            subscription.append(changes.subscribe(cid, heard, topics))

    def stop() -> None:
        while subscription:
            subscription.pop()()

    def connected() -> None:
        if not subscription:  # back after a dropped connection: what changed meanwhile was not heard
            start()
            heard(Changed(cid, RECONNECTED))

    def disconnected() -> None:
        if not client.has_socket_connection:  # the last connection went (not an old one, after a reconnect)
            stop()

    start()
    client.on_connect(connected)
    client.on_disconnect(disconnected)
    client.on_delete(stop)
    return stop
