"""IT-tools comparison, the coordinator's side.

/c/{cid}/ittools                         the community's comparisons; a new one from a template or own choice
/c/{cid}/ittools/{comparison}            the matrix, live, with the meeting panel (start, code, modes, end)
/c/{cid}/ittools/{comparison}/setup      tools and criteria, the title, deleting the comparison
/c/{cid}/ittools/{comparison}/results    ranking chart, the matrix as a table, CSV, the decision record

The participants' side (joining with a code) is pages/meeting.py.
"""
from __future__ import annotations

from components import nav
from components.matrix import install_css
from core.services import Services

from . import listing, live, results, setup


def register(services: Services) -> None:
    def status(ctx) -> str:
        decision = services.ittools.latest_decision(ctx.community.id)
        if decision is not None:
            return ctx.t('ittools.dashboard.decided', tool=ctx.t.pick(decision['tool_name']),
                         date=ctx.t.date(decision['date']))
        count = len(services.ittools.comparisons(services.ittools.user_actor(ctx.user, ctx.community.id),
                                                 ctx.community.id))
        return ctx.t('ittools.dashboard.open', count=count)

    nav.provide('ittools', status)
    install_css()
    listing.register(services)   # first: /ittools/new must come before /ittools/{comparison}
    live.register(services)
    setup.register(services)
    results.register(services)
