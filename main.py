"""CoP-toolbox: the composition root. Reads the settings, builds the store and services, registers the pages,
and serves them. `python main.py --help` lists the options."""

from __future__ import annotations

import gc
import logging
import os
import sys

from core.config import parse_settings

SIMULATED = bool(os.environ.get('NICEGUI_USER_SIMULATION'))  # set by NiceGUI's pytest `user` fixture
os.umask(0o077)  # whatever this process creates (data, sessions, backups) is readable by its owner only

if not SIMULATED and sys.argv[1:2] in (['backup'], ['restore'], ['check']):  # operator commands: no web stack
    from core import cli

    sys.exit(cli.main(sys.argv[1:]))

if not SIMULATED:  # start-up builds many objects and frees almost none: no garbage collection until it is done
    gc.disable()  # (end of this file; a test process that runs this file keeps collecting)
settings = parse_settings([] if SIMULATED else sys.argv[1:])
settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
if not SIMULATED:
    # NiceGUI reads this once, at import: the per-browser session files live in the data folder too
    os.environ.setdefault('NICEGUI_STORAGE_PATH', str(settings.data_dir / 'sessions'))

from nicegui import app, background_tasks, ui  # noqa: E402
from starlette.middleware.sessions import SessionMiddleware  # noqa: E402

import pages  # noqa: E402
from core import demo, filemodes, instance, logs, session_secret, upgrade  # noqa: E402
from core.services import build_services  # noqa: E402
from core.yamlcheck import ContentError  # noqa: E402
from pages._limits import BodyLimit  # noqa: E402
from pages._security import SecurityHeaders  # noqa: E402

logs.configure(settings.log_format)
filemodes.secure_data_dir(settings.data_dir)

try:  # one process per data folder; a folder from an older version is migrated (after a backup), a newer refused
    held = None if SIMULATED else instance.hold(settings.data_dir)
    folder = upgrade.prepare(settings.data_dir)
    services = build_services(settings)
except (ContentError, instance.FolderInUse, upgrade.CannotStart) as error:
    sys.exit(f'Cannot start: {error}')
services.store.damaged.update(os.path.basename(name) for name in folder.damaged)

pages.register_all(services)
app.add_middleware(BodyLimit)  # refuses a too-large request body before reading it
app.state.services = services  # for tests and benchmarks that run this file in-process
app.state.instance = held
app.state.ready = False
app.on_shutdown(services.close)


async def started() -> None:
    """Ready (`/readyz`) once the demo is seeded and the operator's commands know where to find the server."""
    if held is not None:
        held.announce(f'http://{"127.0.0.1" if settings.host in ("0.0.0.0", "") else settings.host}:{settings.port}')
        app.on_shutdown(held.release)
    if settings.demo:
        await demo.seed_and_announce(services)
    logging.getLogger('cop').info('mail goes %s', services.mailer.describe())
    app.state.ready = True
    logging.getLogger('cop').info('ready: serving on port %d', settings.port)


app.on_startup(started)
if not SIMULATED:  # retention: erase what is past its time, once a day, off the request path
    app.on_startup(lambda: background_tasks.create(services.retention.daily(), name='retention'))

storage_secret = session_secret.load_or_create(settings.data_dir)
# the session cookie is set inside the security headers, so they can mark it Secure when a proxy reports HTTPS
app.add_middleware(
    SessionMiddleware,
    secret_key=storage_secret,
    same_site='lax',
    max_age=14 * 24 * 3600,
    https_only=settings.https,
)
app.add_middleware(SecurityHeaders, https=settings.https)

if not SIMULATED:  # what start-up built (modules, content, routes) lives as long as the process: later full
    gc.freeze()  # collections skip it, which shortens their pauses of the event loop too
    gc.enable()

if __name__ in {'__main__', '__mp_main__'}:
    ui.run(
        host=settings.host,
        port=settings.port,
        title='CoP-toolbox',
        language='nl',
        storage_secret=storage_secret,
        reload=False,
        show=False,
        favicon='🧭',
        reconnect_timeout=30.0,
        show_welcome_message=not SIMULATED and settings.log_format == 'text',
        log_config=None,  # uvicorn's lines go through our own log handler and format
        proxy_headers=bool(settings.trusted_proxies),  # X-Forwarded-* believed from these proxies only
        forwarded_allow_ips=','.join(settings.trusted_proxies) or None,
    )
