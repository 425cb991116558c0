"""UI tests (NiceGUI's `user` fixture) look for an element a little longer than NiceGUI's default before failing."""

from __future__ import annotations

import functools

from nicegui.testing import User


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
