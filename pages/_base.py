"""What every page needs when it is built: the visitor, their language, and the guards.

A page's context is resolved once, while the page is built, and captured by its handlers: never read
`app.storage.user` inside a handler or a broadcast callback (it may then belong to another visitor).

Who is logged in comes from the server's session table (core/sessions.py), looked up with the token in the signed
cookie. A page built for a logged-in visitor checks that session again before each of its events, in one place
(`_guard_events`): a page left open after a logout, a password change or an account deletion cannot act any more,
and is sent to the login page at once.
"""

from __future__ import annotations

import copy
import inspect
import logging
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import Client, app, background_tasks, ui

from components.frame import Shell, frame
from core.accounts import User
from core.communities import Community, Membership
from core.errors import AppError, AuthError, NotFound
from core.i18n import LANGUAGES, QUASAR_LANG, Translator, negotiate
from core.ratelimit import FLOOD
from core.redirects import safe_next
from core.roles import Permission, Role, can
from core.services import Services
from core.sessions import token_key
from core.store import DamagedFileError

log = logging.getLogger(__name__)


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
        _release(ui.context.client)

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
                from pages.journey import journey_banner  # a sibling page module: imported late to avoid a cycle

                journey_banner(self, active)
            yield main

    def go(self, path: str, notice: str | None = None) -> None:
        """Navigate; a confirmation notice is shown on the page that opens (a notice shown here would vanish)."""
        if notice:
            self.session['notice'] = notice
        ui.navigate.to(path)

    def notify_error(self, error: AppError) -> None:
        ui.notify(self.error_text(error), type='negative', multi_line=True)


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


def login_redirect(path: str) -> RedirectResponse:
    return RedirectResponse(f'/login?next={quote(path, safe="")}', status_code=303)


# -- open pages of logged-in sessions -------------------------------------------------------------------------------

_open_pages: dict[str, weakref.WeakSet[Client]] = {}  # session token key -> the pages built with that session


def _guard_events(ctx: PageContext) -> None:
    """Check the page's session before each of its events; remember the page to close it when the session ends."""
    client = ui.context.client
    key = token_key(ctx.token or '')
    _open_pages.setdefault(key, weakref.WeakSet()).add(client)
    handle_event = client.handle_event  # every socket event of the page (clicks, typing, uploads' begin) passes here
    sessions, user_id = ctx.services.sessions, ctx.user.id

    def checked(msg: dict) -> None:
        if sessions.is_valid(ctx.token, user_id):
            handle_event(msg)
        else:
            _send_to_login(client, ctx.path)

    client.handle_event = checked  # type: ignore[method-assign]
    client.cop_session_valid = lambda: sessions.is_valid(ctx.token, user_id)  # type: ignore[attr-defined]
    client.on_delete(lambda: _release(client))


def upload_allowed(client_id: str) -> bool:
    """Uploads reach a page by a plain HTTP request, not through its events: the same session check applies."""
    client = Client.instances.get(client_id)
    check = getattr(client, 'cop_session_valid', None)
    return check is None or check()


def _release(client: Client) -> None:
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


def session_guard_for(client: Client) -> bool:
    """Whether `client` is a page whose events are checked against its session (for tests)."""
    return any(client in clients for clients in _open_pages.values())


def page(services: Services, path: str, *, login: bool = False, **kwargs: Any) -> Callable:
    """Register a page whose builder receives a PageContext as first argument.

    login: visitors who are not logged in are sent to the login page and back afterwards.
    """

    def decorator(func: Callable) -> Callable:
        signature = inspect.signature(func)
        params = [p for name, p in signature.parameters.items() if name != 'ctx']

        async def wrapper(request: Request, **kwargs: Any) -> Any:
            ctx = resolve(request, services)
            if login and ctx.user is None:
                return login_redirect(ctx.path)
            if ctx.user is not None:
                _guard_events(ctx)
            result = func(ctx, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            return result

        request_param = inspect.Parameter('request', inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)
        wrapper.__signature__ = signature.replace(parameters=[request_param, *params])  # type: ignore[attr-defined]
        for attribute in ('__module__', '__name__', '__qualname__', '__doc__'):
            setattr(wrapper, attribute, getattr(func, attribute))
        ui.page(path, **kwargs)(wrapper)
        return func

    return decorator


def community_page(services: Services, path: str, permission: Permission = Permission.VIEW, **kwargs: Any) -> Callable:
    """A page under /c/{cid}: the visitor must be logged in and hold `permission` in that community.

    The builder takes the PageContext (with ctx.community and ctx.role set) and any further path or query parameters,
    but not `cid`. An unknown community, or one the visitor may not see, gets the same friendly "not found" page; a
    damaged one gets the damaged-file page.
    """

    def decorator(func: Callable) -> Callable:
        async def guarded(ctx: PageContext, cid: str, **kwargs: Any) -> Any:
            from pages import errors  # a sibling page module: imported late to avoid a cycle

            try:
                ctx.community, ctx.role = services.communities.get(ctx.user.id, cid, Permission.VIEW)
            except NotFound:
                return errors.not_found_content(ctx)
            except DamagedFileError as e:
                return errors.damaged_content(ctx, cid, e.reason)
            if not can(ctx.role, permission):
                return errors.forbidden_content(ctx)
            result = func(ctx, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            return result

        signature = inspect.signature(func)
        cid_param = inspect.Parameter('cid', inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str)
        guarded.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[
                signature.parameters['ctx'],
                cid_param,
                *(p for name, p in signature.parameters.items() if name != 'ctx'),
            ]
        )
        for attribute in ('__module__', '__name__', '__qualname__', '__doc__'):
            setattr(guarded, attribute, getattr(func, attribute))
        page(services, path, login=True, **kwargs)(guarded)
        return func

    return decorator
