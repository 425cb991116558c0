"""The open pages of logged-in sessions: checked before each of their events, closed when their session ends.

A page built for a logged-in visitor checks that session again before each of its events, in one place
(`guard_events`): a page left open after a logout, a password change or an account deletion cannot act any more,
and is sent to the login page at once.
"""

from __future__ import annotations

import weakref
from urllib.parse import quote

from nicegui import Client, ui

from core.sessions import Sessions, token_key

_open_pages: dict[str, weakref.WeakSet[Client]] = {}  # session token key -> the pages built with that session


def guard_events(sessions: Sessions, token: str | None, user_id: str, path: str) -> None:
    """Check the page's session before each of its events; remember the page to close it when the session ends."""
    client = ui.context.client
    key = token_key(token or '')
    _open_pages.setdefault(key, weakref.WeakSet()).add(client)
    handle_event = client.handle_event  # every socket event of the page (clicks, typing, uploads' begin) passes here

    def checked(msg: dict) -> None:
        if sessions.is_valid(token, user_id):
            handle_event(msg)
        elif not getattr(client, 'cop_leaving', False):  # a page that logged out is on its way: late events drop
            _send_to_login(client, path)

    client.handle_event = checked  # type: ignore[method-assign]
    client.cop_session_valid = lambda: sessions.is_valid(token, user_id)  # type: ignore[attr-defined]
    client.on_delete(lambda: release(client))


def upload_allowed(client_id: str) -> bool:
    """Uploads reach a page by a plain HTTP request, not through its events: the same session check applies."""
    client = Client.instances.get(client_id)
    check = getattr(client, 'cop_session_valid', None)
    return check is None or check()


def release(client: Client) -> None:
    """`client` leaves on its own (logout, new login): it is no longer closed with its session, and the events it
    still sends on its way out (a menu closing after "Log out") are dropped, not answered with "session ended"."""
    client.cop_leaving = True  # type: ignore[attr-defined]
    for key, clients in list(_open_pages.items()):
        clients.discard(client)
        if not clients:
            _open_pages.pop(key, None)


def _send_to_login(client: Client, path: str) -> None:
    if client.is_deleted:
        return
    with client:
        ui.navigate.to(f'/login?ended=1&next={quote(path, safe="")}')


def page_of_session_ended(keys: set[str]) -> None:
    """Listener of Sessions.on_end: the open pages of the sessions that ended go to the login page, with a message.
    The page whose handler ended them (a logout, a password change, an account deletion) goes where it decides."""
    acting = _acting_client()
    for key in keys:
        for client in list(_open_pages.pop(key, ())):
            if client is not acting:
                _send_to_login(client, _client_path(client))


def _acting_client() -> Client | None:
    try:
        return ui.context.client
    except RuntimeError:  # not inside a page's handler (a background task)
        return None


def _client_path(client: Client) -> str:
    try:
        return client.request.url.path
    except Exception:  # a client without a request: back to the start page after the login
        return '/'
