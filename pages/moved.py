"""Addresses that changed when a part got its one name (animation -> facilitation, start -> journey). Printed QR
codes, bookmarks and sent links keep working: each old address answers with a permanent redirect (308, which also
keeps a form's method) to the new one, with the rest of the path and the query string kept."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app

from core.services import Services

# (old part path, new part path) under /c/{cid}
MOVED = (('animation', 'facilitation'), ('start', 'journey'))


def _redirect(new: str):
    async def moved(request: Request, cid: str, rest: str = '') -> RedirectResponse:
        query = f'?{request.url.query}' if request.url.query else ''
        return RedirectResponse(f'/c/{cid}/{new}{rest}{query}', status_code=308)

    return moved


def register(services: Services) -> None:
    for old, new in MOVED:
        handler = _redirect(new)
        app.add_api_route(f'/c/{{cid}}/{old}', handler, methods=['GET', 'HEAD'], include_in_schema=False)
        app.add_api_route(
            f'/c/{{cid}}/{old}/{{rest:path}}', _rest(handler), methods=['GET', 'HEAD'], include_in_schema=False
        )


def _rest(handler):
    async def moved_rest(request: Request, cid: str, rest: str) -> RedirectResponse:
        return await handler(request, cid, f'/{rest}')

    return moved_rest
