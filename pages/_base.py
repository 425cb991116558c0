"""Page registration: a route whose builder receives the visitor's PageContext, and the guards around it.

`page` resolves the context (components/context.py) for every visit and, for a logged-in visitor, checks the session
before each of the page's events (components/open_pages.py). `community_page` adds the community and the visitor's
role in it, or shows why the page cannot be shown.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from components.context import PageContext, resolve
from components.error_pages import damaged_content, forbidden_content, not_found_content
from components.open_pages import guard_events
from core.errors import NotFound
from core.roles import Permission, can
from core.services import Services
from core.store import DamagedFileError


def login_redirect(path: str) -> RedirectResponse:
    return RedirectResponse(f'/login?next={quote(path, safe="")}', status_code=303)


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
                guard_events(services.sessions, ctx.token, ctx.user.id, ctx.path)
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
            try:
                ctx.community, ctx.role = services.communities.get(ctx.user.id, cid, Permission.VIEW)
            except NotFound:
                return not_found_content(ctx)
            except DamagedFileError as e:
                return damaged_content(ctx, cid, e.reason)
            if not can(ctx.role, permission):
                return forbidden_content(ctx)
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
