"""One module per screen or route group; `register_all` adds them to the app."""
from __future__ import annotations

from components.frame import install_theme
from core.services import Services

from . import auth, community, errors, home, members


def register_all(services: Services) -> None:
    install_theme()
    errors.register(services)
    home.register(services)
    auth.register(services)
    community.register(services)
    members.register(services)
