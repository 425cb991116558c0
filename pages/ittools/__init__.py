"""IT-tools comparison, the coordinator's side.

/c/{cid}/ittools                         the community's comparisons; a new one from a template or own choice
/c/{cid}/ittools/{comparison}            the matrix, live, with the meeting panel (start, code, modes, end)
/c/{cid}/ittools/{comparison}/setup      tools and criteria, the title, deleting the comparison
/c/{cid}/ittools/{comparison}/results    ranking chart, the matrix as a table, CSV, the decision record
/c/{cid}/ittools/{comparison}/present    the presenter view for the projector: code, QR code, matrix, ranking

/m, /m/{code}                            the participants' side: joining a meeting with a code (join.py)
"""

from __future__ import annotations

from components import nav
from components.ittools_matrix import install_css
from core.ittools.texts import decided_tool_name
from core.services import Services

from . import join, listing, live, present, results, setup


def register(services: Services) -> None:
    def status(ctx) -> str:
        t, cid = ctx.t, ctx.community.id
        decided = services.ittools.latest_decided(cid)  # reads one comparison at most
        if decided is not None:
            tool = t.pick(decided_tool_name(services.content.ittools, decided))
            return t('ittools.dashboard.decided', tool=tool, date=t.date(decided.decision.date))
        return t('ittools.dashboard.open', count=services.ittools.count(cid))

    nav.provide('ittools', status)
    install_css()
    listing.register(services)  # first: /ittools/new must come before /ittools/{comparison}
    live.register(services)
    setup.register(services)
    results.register(services)
    present.register(services)
    join.register(services)
