"""UI tests (NiceGUI's `user` fixture): look for an element a little longer than NiceGUI's default before failing, and
send each navigation to the simulated user whose page asked for it."""

from __future__ import annotations

import functools
import uuid
import weakref

from nicegui import context
from nicegui.testing import User
from nicegui.testing.user_navigate import UserNavigate


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


# NiceGUI's simulated users share one global `ui.navigate`, which points at whichever User the test touched last. A
# handler that navigates after an await (a confirmation, a write to disk) while the test already looks at another
# user's page would move that other user instead (seen in CI: the officer was sent to the coordinator's page and got
# its 404). Each simulated user's requests carry a tag, and a navigation goes to the user whose page asked for it, as
# it would in real browsers.
_TAG = 'x-simulated-user'
_users: weakref.WeakValueDictionary[str, User] = weakref.WeakValueDictionary()
_user_init = User.__init__
_navigate_to = UserNavigate.to


def _tagged_init(self, *args, **kwargs) -> None:
    _user_init(self, *args, **kwargs)
    tag = uuid.uuid4().hex
    object.__getattribute__(self, 'http_client').headers[_TAG] = tag  # read plainly, this would repoint ui.navigate
    _users[tag] = self


def _to_the_asking_page(self, target, new_tab: bool = False) -> None:
    try:
        tag = context.client.request.headers.get(_TAG)
    except (RuntimeError, AttributeError):  # not inside a page, or a page without a request
        tag = None
    owner = _users.get(tag) if tag else None
    _navigate_to(owner.navigate if owner is not None else self, target, new_tab)


User.__init__ = _tagged_init
UserNavigate.to = _to_the_asking_page
