"""Routes for the operator: `/healthz`, `/readyz` and the online backup `POST /admin/backup`.

Plain HTTP routes, no page: a load balancer, a monitoring system or the `backup` command call them. The admin route
accepts the operator's `--admin-token` or the key the server leaves in its own data folder for the local `backup`
command (see `core.instance`), compared in constant time; wrong tokens are counted per address and locked out.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import shutil

from fastapi import Request
from fastapi.responses import FileResponse, JSONResponse
from nicegui import app
from nicegui.storage import request_contextvar
from starlette.background import BackgroundTask

from core import logs
from core.backup import STAGING_PREFIX, app_version, backup_store
from core.health import HealthCheck
from core.ratelimit import FailureLimiter
from core.services import Services

log = logging.getLogger(__name__)
NO_STORE = {'Cache-Control': 'no-store'}


def register(services: Services) -> None:
    health = HealthCheck(services.store, app_version())
    limiter = FailureLimiter(10, 900, 60, 900)
    backup_lock = asyncio.Lock()
    logs.set_request_info(_request_info)
    app.add_middleware(logs.AccessLog)

    @app.get('/healthz', include_in_schema=False)
    async def healthz() -> JSONResponse:
        status, body = health.report(await asyncio.to_thread(health.folder))  # only the disk probe off the loop
        return JSONResponse(body, status_code=status, headers=NO_STORE)

    @app.get('/readyz', include_in_schema=False)
    def readyz() -> JSONResponse:
        ready = bool(getattr(app.state, 'ready', False))
        return JSONResponse({'ready': ready}, status_code=200 if ready else 503, headers=NO_STORE)

    @app.post('/admin/backup', include_in_schema=False)
    async def admin_backup(request: Request):
        return await _admin_backup(services, limiter, backup_lock, request)


async def _admin_backup(services: Services, limiter: FailureLimiter, backup_lock: asyncio.Lock, request: Request):
    """The online backup, for the local command (its instance key) or an operator's admin token; wrong tokens are
    rate-limited per address."""
    client = request.client.host if request.client else 'unknown'
    token = _bearer(request)
    instance = getattr(app.state, 'instance', None)
    # the local command's key (256 random bits, readable only with the data folder) is never locked out: behind
    # a reverse proxy every caller has the proxy's address, and guesses from outside must not stop the backups
    if not (instance and instance.key and _same(token, instance.key)):
        wait = limiter.retry_after(client)
        if wait:
            return JSONResponse({'error': 'too many wrong tokens'}, 429, headers={'Retry-After': str(wait)})
        if not (services.settings.admin_token and _same(token, services.settings.admin_token)):
            limiter.failure(client)
            log.warning('admin backup refused: wrong or missing token')
            return JSONResponse({'error': 'wrong or missing admin token'}, 401, headers=NO_STORE)
        limiter.success(client)
    out_dir = services.store.data_dir / f'{STAGING_PREFIX}out-{secrets.token_hex(6)}'
    try:
        async with backup_lock:  # one at a time; a second caller waits for the first
            info = await backup_store(services.store, out_dir)
    except OSError as e:
        shutil.rmtree(out_dir, ignore_errors=True)
        log.error('online backup failed: %s', e.strerror or type(e).__name__)
        return JSONResponse({'error': 'the backup could not be written'}, 500, headers=NO_STORE)
    log.info('online backup taken: %d files, %d bytes', info.files, info.size)
    return FileResponse(
        info.path,
        media_type='application/gzip',
        filename=info.path.name,
        headers=NO_STORE,
        background=BackgroundTask(shutil.rmtree, out_dir, ignore_errors=True),
    )


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get('authorization', '').partition(' ')
    return token.strip() if scheme.lower() == 'bearer' else ''


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison: the time taken does not tell how much of the token was right."""
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def _request_info() -> tuple[str | None, str | None]:
    """For log lines: the route of the current request (its template, so no token of a link is logged) and the
    community it concerns."""
    request = request_contextvar.get()
    if request is None:
        return None, None
    route = request.scope.get('route')
    path = getattr(route, 'path', None) or logs.redact_path(request.url.path)
    cid = request.scope.get('path_params', {}).get('cid')
    return path, cid if isinstance(cid, str) else None
