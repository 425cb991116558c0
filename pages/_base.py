"""What every page needs when it is built: the visitor, their language, and the guards.

A page's context is resolved once, while the page is built, and captured by its handlers: never read
`app.storage.user` inside a handler or a broadcast callback (it may then belong to another visitor).
"""

from __future__ import annotations

import copy
import inspect
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, background_tasks, ui

from components.frame import Shell, frame
from core.accounts import User
from core.communities import Community, Membership
from core.errors import AppError, NotFound
from core.i18n import LANGUAGES, QUASAR_LANG, Translator, negotiate
from core.roles import Permission, Role, can
from core.services import Services
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
    community: Community | None = None
    role: Role | None = None
    memberships: list[Membership] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.t.lang

    @property
    def client_key(self) -> str:
        """Who to rate-limit when nobody is logged in: the peer address, kept in memory only."""
        return self.request.client.host if self.request.client else 'unknown'

    def can(self, permission: Permission) -> bool:
        return can(self.role, permission)

    def error_text(self, error: AppError) -> str:
        return self.t(error.key, **error.params)

    def log_in(self, user: User) -> None:
        self.session['uid'] = user.id
        self.session['epoch'] = user.auth_epoch

    def log_out(self) -> None:
        self.session.pop('uid', None)
        self.session.pop('epoch', None)

    def frame(self, title: str, *, active: str | None = None, heading: bool = True, public: bool = False):
        """The shared page frame around this page's content (a context manager yielding the main column).
        `public`: for people without an account (survey respondents, meeting participants): no navigation."""
        communities = {}
        if self.user is not None and not public:
            self.memberships = self.services.communities.memberships(self.user.id)
            communities = {m.community_id: m.name or '…' for m in self.memberships}

        def log_out() -> None:
            self.log_out()
            ui.navigate.to('/login')

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
                from pages.wizard import journey_banner  # a sibling page module: imported late to avoid a cycle

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
    user = services.accounts.get(session.get('uid'))
    if user is not None and session.get('epoch') != user.auth_epoch:
        session.pop('uid', None)  # the password was changed elsewhere: this session ends
        user = None
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
    return PageContext(services=services, request=request, t=t, session=session, user=user, path=path)


def _set_page_language(lang: str) -> None:
    """Render <html lang> (and Quasar's own texts) in this visitor's language, on the server."""
    client = ui.context.client
    page = copy.copy(client.page)  # the page object is shared by every visit of the route: change a copy
    page.language = QUASAR_LANG[lang]
    client.page = page


def login_redirect(path: str) -> RedirectResponse:
    return RedirectResponse(f'/login?next={quote(path, safe="")}', status_code=303)


def safe_next(target: str | None) -> str:
    """Only local paths may follow a login: never another site."""
    if not target or not target.startswith('/') or target.startswith('//') or '\\' in target:
        return '/'
    return target


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
