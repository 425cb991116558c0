"""What every screen needs when it is built: the visitor, their language, the services, and the page frame.

A page's context is resolved once, while the page is built, and captured by its handlers: never read
`app.storage.user` inside a handler or a broadcast callback (it may then belong to another visitor).

Who is logged in comes from the server's session table (core/sessions.py), looked up with the token in the signed
cookie. The context lives among the components, so that page pieces shared by several screens can take it.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from nicegui import app, background_tasks, ui

from core.accounts import User
from core.communities import Community, Membership
from core.errors import AppError, AuthError
from core.i18n import LANGUAGES, QUASAR_LANG, Translator, negotiate
from core.ratelimit import FLOOD
from core.redirects import safe_next
from core.roles import Permission, Role, can
from core.services import Services

from .actions import Action, Outcome, attempt, attempt_now
from .frame import Shell, frame
from .journey_banner import JourneyBanner, banner_step
from .open_pages import release

T = TypeVar('T')


@dataclass
class PageContext:
    services: Services
    request: Request
    t: Translator
    session: Any  # this visitor's app.storage.user, captured at build time
    user: User | None
    path: str  # the current path and query, without ?lang=
    token: str | None = None  # the session token from the cookie, when it names a valid session
    browser: str = ''  # this browser's id (signed cookie), for rate limits only
    born: float = 0.0  # when this browser was first seen (signed cookie)
    community: Community | None = None
    role: Role | None = None
    memberships: list[Membership] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.t.lang

    @property
    def client_key(self) -> str:
        """Who to rate-limit: this browser, never its network address (a whole office may share one address).

        A browser without a cookie gets a new id, so during a flood of failures a browser first seen moments ago
        must wait before it may try anything rate-limited (AuthError 'auth.error.newcomer')."""
        wait = FLOOD.newcomer_wait(time.time() - self.born)
        if wait:
            raise AuthError('auth.error.newcomer', retry_after=wait)
        return f'b:{self.browser}'

    def can(self, permission: Permission) -> bool:
        return can(self.role, permission)

    def error_text(self, error: AppError) -> str:
        return self.t(error.key, **error.params)

    def finish_login(self, user: User, target: str = '/') -> None:
        """Send the browser to the HTTP route that starts a new session (a new cookie) for `user`."""
        self.release()
        ticket = self.services.sessions.ticket(user, safe_next(target), self.browser)
        ui.navigate.to(f'/auth/finish?ticket={ticket}')

    async def log_out(self, path: str = '/login', notice: str | None = None) -> None:
        """End this session (its other pages close) and go to `path`."""
        self.release()
        await self.services.sessions.end(self.token)
        self.go(path, notice)

    def release(self) -> None:
        """This page leaves on its own (logout, new login): it is no longer closed with its session."""
        release(ui.context.client)

    def frame(self, title: str, *, active: str | None = None, heading: bool = True, public: bool = False):
        """The shared page frame around this page's content (a context manager yielding the main column).
        `public`: for people without an account (survey respondents, meeting participants): no navigation."""
        communities = {}
        if self.user is not None and not public:
            self.memberships = self.services.communities.memberships(self.user.id)
            communities = {m.community_id: m.name or '…' for m in self.memberships}

        async def log_out() -> None:
            await self.log_out()

        notice = self.session.pop('notice', None)
        if notice:
            ui.notify(notice, type='positive')
        shell = Shell(
            t=self.t,
            path=self.path,
            user_name=self.user.name if self.user and not public else None,
            communities=communities,
            current=self.community.id if self.community else None,
            active=active,
            on_logout=log_out,
            public=public,
        )
        return self._framed(shell, title, heading, active)

    @contextmanager
    def _framed(self, shell: Shell, title: str, heading: bool, active: str | None = None) -> Iterator[ui.column]:
        with frame(shell, title, heading=heading) as main:
            if self.community is not None and not shell.public:
                self._journey_banner(active)
            yield main

    def _journey_banner(self, active: str | None) -> None:
        """On a step's tool page, while this coordinator is in the community's journey: where they are in it."""
        if self.user is None or not self.can(Permission.EDIT):
            return
        cid = self.community.id
        step = banner_step(self.session, cid, self.request.query_params.get('journey'), active)
        if step is not None:
            JourneyBanner(self.services.journey, self.services.changes, self.t, self.session, self.user.id, cid, step)

    def go(self, path: str, notice: str | None = None) -> None:
        """Navigate; a confirmation notice is shown on the page that opens (a notice shown here would vanish)."""
        if notice:
            self.session['notice'] = notice
        ui.navigate.to(path)

    def notify_error(self, error: AppError) -> None:
        ui.notify(self.error_text(error), type='negative', multi_line=True)

    async def attempt(self, action: Action, **where: Any) -> Outcome:
        """Run a service call; a refusal is shown next to its field, in the form's line, or as a notification
        (components.actions.Where names the keywords). The Outcome is true when the call worked."""
        return await attempt(self.t, action, **where)

    def attempt_now(self, action: Callable[[], T], **where: Any) -> Outcome[T]:
        """`attempt` for a call that runs at once (while the page is built, or in a plain handler)."""
        return attempt_now(self.t, action, **where)


def resolve(request: Request, services: Services) -> PageContext:
    session = app.storage.user
    cookie = request.session
    token = cookie.get('sid')
    user = services.sessions.user_for(token)
    if user is None:
        token = None
    if not isinstance(cookie.get('born'), (int, float)) and not request.state.responded:
        cookie['born'] = time.time()  # signed with the cookie: a browser cannot claim to be older than it is
    forced = request.query_params.get('lang')
    lang = negotiate(
        forced, session.get('lang') or (user.lang if user else None), request.headers.get('accept-language')
    )
    if forced in LANGUAGES:
        session['lang'] = forced
        if user is not None and user.lang != forced:  # remembered for the account too, on every device
            background_tasks.create(services.accounts.set_language(user.id, forced), name='remember language')
    t = Translator(services.content.ui, lang)
    _set_page_language(lang)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != 'lang']
    path = request.url.path + (f'?{urlencode(params)}' if params else '')
    return PageContext(
        services=services,
        request=request,
        t=t,
        session=session,
        user=user,
        path=path,
        token=token,
        browser=str(cookie.get('id', '')),
        born=float(cookie.get('born', time.time())),
    )


def _set_page_language(lang: str) -> None:
    """Render <html lang> (and Quasar's own texts) in this visitor's language, on the server."""
    client = ui.context.client
    page = copy.copy(client.page)  # the page object is shared by every visit of the route: change a copy
    page.language = QUASAR_LANG[lang]
    client.page = page
