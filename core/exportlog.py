"""The export log: who took which data out of the toolbox, and on which day.

Members are told that exports of results are logged; the community's coordinators can read the log. A record holds
the exporter's user id (shown by name while the account exists, as "former member" after), the kind of export and
the day: no time of day, nothing about the content. The log stays in the community's file and is not carried by a
community export (user ids mean nothing on another installation).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import clock
from .communities import Communities
from .errors import ValidationError
from .roles import Permission

log = logging.getLogger(__name__)

TABLE = 'export_log'
KINDS = (
    'survey_results',  # aggregated results of a survey round (CSV, spreadsheet)
    'survey_answers',  # the raw answer rows of a round
    'dossier',  # the dossier PDF
    'community_file',  # the whole community as a file
    'ittools',  # the IT-tools comparison
    'kickoff',  # the kick-off agenda or script
    'portfolio',  # an organisation's portfolio (later)
)


@dataclass(frozen=True)
class ExportEntry:
    day: str
    kind: str
    by: str  # user id (or privacy.FORMER_ID once erased)


class ExportLog:
    def __init__(self, communities: Communities, today: Callable[[], date] | None = None) -> None:
        self.communities = communities
        self._today = today or clock.today
        self._pending: set[asyncio.Task[Any]] = set()

    def _table(self, cid: str):
        return self.communities.store.community(cid).table(TABLE)

    def note(self, user_id: str, cid: str, kind: str) -> None:
        """Record an export now (synchronous, so a page can call it in the same click that starts the download);
        the write to disk follows at once in the background. The caller has already checked the right to export."""
        if kind not in KINDS:
            raise ValidationError('error.invalid', 'kind')
        self._table(cid).insert({'day': self._today().isoformat(), 'kind': kind, 'by': user_id})
        try:
            task = asyncio.get_running_loop().create_task(self.communities.store.community(cid).commit())
        except RuntimeError:  # no event loop (scripts): the next write or the shutdown flush carries it
            return
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def record(self, user_id: str, cid: str, kind: str) -> None:
        """The same, returning once the record is on disk."""
        self.note(user_id, cid, kind)
        await self.communities.store.community(cid).commit()

    def entries(self, user_id: str, cid: str) -> list[ExportEntry]:
        """The log, newest first; coordinators only."""
        self.communities.get(user_id, cid, Permission.MANAGE)
        docs = sorted(self._table(cid).all(), key=lambda d: (d.get('day', ''), d.doc_id), reverse=True)
        return [ExportEntry(d.get('day', ''), d.get('kind', ''), d.get('by', '')) for d in docs]
