"""One module per screen or route group, each with `register(services)`; `register_all` adds them all to the app.

Page modules are found by name, so a new part of the toolbox only adds its own file."""

from __future__ import annotations

import importlib
import pkgutil

from components.frame import install_theme
from core.services import Services

# the shell first (its 404 handler and error page), then the rest in name order
FIRST = ('errors', 'home', 'auth', 'community', 'members')


def register_all(services: Services) -> None:
    install_theme()
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith('_')]
    for name in [*FIRST, *sorted(n for n in names if n not in FIRST)]:
        module = importlib.import_module(f'{__name__}.{name}')
        module.register(services)
