"""UI tests (NiceGUI's `user` fixture): look for an element a little longer than NiceGUI's default before failing, and
send each navigation and notification to the simulated user whose page asked for it."""

from __future__ import annotations

import functools
import uuid
import weakref

from nicegui import context
from nicegui.testing import User
from nicegui.testing.user_navigate import UserNavigate
from nicegui.testing.user_notify import UserNotify


def _patient(method):
    """`should_see` and `should_not_see` try 3 times, 0.1 s apart, by default: with three test workers on two cores
    a dialog or a live update can take longer to appear (or to go). 30 tries: a passing check returns as soon as it
    holds, a failing one fails 3 s later."""

    @functools.wraps(method)
    async def patient(self, *args, retries: int = 30, **kwargs):
        return await method(self, *args, retries=retries, **kwargs)

    return patient


User.should_see = _patient(User.should_see)
User.should_not_see = _patient(User.should_not_see)


# NiceGUI's simulated users share one global `ui.navigate` and `ui.notify`, which point at whichever User the test
# touched last. A handler that navigates or notifies after an await (a confirmation, a write to disk) while the test
# already looks at another user's page would move that other user, or show it the message (seen in CI: the officer
# was sent to the coordinator's page and got its 404). Each simulated user's requests carry a tag, and a navigation or
# a notification goes to the user whose page asked for it, as in real browsers. A simulated user shows one page at a
# time: a page it has left is gone, as in a browser, so what that page asks for (say, "your session ended") goes
# nowhere.
_TAG = 'x-simulated-user'
_users: weakref.WeakValueDictionary[str, User] = weakref.WeakValueDictionary()
_left: weakref.WeakSet = weakref.WeakSet()
_user_init, _user_open = User.__init__, User.open
_navigate_to, _notify = UserNavigate.to, UserNotify.__call__
_GONE = object()


def _tagged_init(self, *args, **kwargs) -> None:
    _user_init(self, *args, **kwargs)
    tag = uuid.uuid4().hex
    object.__getattribute__(self, 'http_client').headers[_TAG] = tag  # read plainly, this would repoint ui.navigate
    _users[tag] = self


async def _open_leaving(self, *args, **kwargs):
    previous = self.client
    opened = await _user_open(self, *args, **kwargs)
    if previous is not None and previous is not opened:
        _left.add(previous)
    return opened


def _asking_user():
    """The simulated user whose page is asking; _GONE for a page its user left; None outside a tagged page."""
    try:
        asking = context.client
    except RuntimeError:  # not inside any page
        return None
    if asking in _left:
        return _GONE
    try:
        tag = asking.request.headers.get(_TAG)
    except RuntimeError:  # a page without a request
        return None
    return _users.get(tag) if tag else None


def _to_the_asking_page(self, target, new_tab: bool = False) -> None:
    owner = _asking_user()
    if owner is not _GONE:
        _navigate_to(self if owner is None else owner.navigate, target, new_tab)


def _notify_the_asking_page(self, message, **kwargs) -> None:
    owner = _asking_user()
    if owner is not _GONE:
        _notify(self if owner is None else owner.notify, message, **kwargs)


User.__init__ = _tagged_init
User.open = _open_leaving
UserNavigate.to = _to_the_asking_page
UserNotify.__call__ = _notify_the_asking_page
