"""CoP-toolbox: the composition root. Reads the settings, builds the store and services, registers the pages,
and serves them. `python main.py --help` lists the options."""

from __future__ import annotations

import logging
import os
import sys

from core.config import parse_settings

SIMULATED = bool(os.environ.get('NICEGUI_USER_SIMULATION'))  # set by NiceGUI's pytest `user` fixture

settings = parse_settings([] if SIMULATED else sys.argv[1:])
settings.data_dir.mkdir(parents=True, exist_ok=True)
if not SIMULATED:
    # NiceGUI reads this once, at import: the per-browser session files live in the data folder too
    os.environ.setdefault('NICEGUI_STORAGE_PATH', str(settings.data_dir / 'sessions'))

from nicegui import app, ui  # noqa: E402

import pages  # noqa: E402
from core import demo, session_secret  # noqa: E402
from core.content import ContentError  # noqa: E402
from core.services import build_services  # noqa: E402
from pages._limits import BodyLimit  # noqa: E402

logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(name)s: %(message)s')

try:
    services = build_services(settings)
except ContentError as error:
    sys.exit(f'Cannot start: {error}')

pages.register_all(services)
app.add_middleware(BodyLimit)  # refuses a too-large request body before reading it
app.state.services = services  # for tests and benchmarks that run this file in-process
app.on_shutdown(services.close)
if settings.demo:
    app.on_startup(lambda: demo.seed_and_announce(services))

if __name__ in {'__main__', '__mp_main__'}:
    ui.run(
        host=settings.host,
        port=settings.port,
        title='CoP-toolbox',
        language='nl',
        storage_secret=session_secret.load_or_create(settings.data_dir),
        reload=False,
        show=False,
        favicon='🧭',
        reconnect_timeout=30.0,
        show_welcome_message=not SIMULATED,
        session_middleware_kwargs={'same_site': 'lax', 'max_age': 14 * 24 * 3600},
    )
