"""The error routes: any unknown address gets the friendly "not found" page, and a page that fails while it is built
gets the server-error page with a reference for the logs. No stack trace is shown. What these (and other pages) show
lives in components/error_pages.py."""

from __future__ import annotations

import logging
import secrets

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from nicegui import Client, app, ui
from starlette.exceptions import HTTPException as StarletteHTTPException

from components import typography as tx
from components.context import resolve
from components.error_pages import not_found_content
from core.services import Services

log = logging.getLogger(__name__)


def register(services: Services) -> None:
    async def not_found_handler(request: Request, exception: Exception):
        endpoint = request.scope.get('endpoint')
        if request.url.path.startswith('/_nicegui') or (
            endpoint is not None
            and endpoint is not app
            and not request.scope.get('nicegui_page_path')
            and isinstance(exception, StarletteHTTPException)
        ):
            return await http_exception_handler(request, exception)  # files and API calls get a plain 404
        with Client(ui.page(''), request=request) as client:
            not_found_content(resolve(request, services))
        return client.build_response(request, 404)

    app.add_exception_handler(404, not_found_handler)

    def server_error(exception: Exception) -> None:
        reference = secrets.token_hex(4)
        log.error('page error %s: %s', reference, type(exception).__name__)
        ctx = resolve(ui.context.client.request, services)
        ctx.user = None  # keep the error page itself from touching what may have failed
        with ctx.frame(ctx.t('error.server.title')):
            tx.p(ctx.t('error.server.text'))
            tx.p(ctx.t('error.server.reference', reference=reference)).classes('cop-muted text-sm')
            ui.link(ctx.t('error.back_home'), '/')

    app.on_page_exception(server_error)
