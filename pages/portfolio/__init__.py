"""Organisations and their portfolio (issue 16).

/portfolio                       the user's organisations, a new one (overview.py)
/portfolio/{org}                 the portfolio: cards, filters, heat map, board report (overview.py)
/portfolio/{org}/manage          officers, invitation links, requests, attached communities (manage.py)
/portfolio/{org}/c/{cid}         a shared community in read-only coach mode (coach.py)
/org/join/{token}                accepting an organisation's invitation (join.py)
/c/{cid}/organisation            the community's side: attach, share, preview, detach (sharing.py)
"""

from __future__ import annotations

from core.services import Services

from . import coach, join, manage, overview, sharing


def register(services: Services) -> None:
    overview.register(services)
    manage.register(services)
    coach.register(services)
    join.register(services)
    sharing.register(services)
