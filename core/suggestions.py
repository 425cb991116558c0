"""Suggested actions sent to a community's action plan from the tools (kompas, profile, survey, checklist).

A suggestion keeps its source and, when it comes from content, its text in the three languages, so it reads in
the language of whoever opens the plan. The action plan accepts, edits or discards them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from tinydb import Query

from . import clock, schema
from .communities import Communities, TableSpec
from .errors import NotFound, ValidationError
from .i18n import FALLBACK_LANGUAGE, LANGUAGES
from .roles import Permission

TABLE = 'action_suggestions'
SOURCES = ('kompas', 'profile', 'survey', 'animation', 'needs')  # 'needs': the needs survey (core/needs.py)
STATUSES = ('new', 'accepted', 'discarded')
MAX_TEXT = 500


@dataclass(frozen=True)
class Suggestion:
    id: str
    source: str
    ref: str  # what it came from: a round id, a profile id...
    dimension: str  # the dimension or block it concerns ('' if none)
    text: dict[str, str]  # {nl, fr, en}, or one language repeated for a user's own text
    created: str
    status: str  # new | accepted | discarded


RECORD = schema.Record(
    {
        'id': schema.Str(40, min=1),
        'source': schema.Choice(*SOURCES),
        'ref': schema.optional(schema.Str(80)),
        'dimension': schema.optional(schema.Str(80)),
        # a suggestion stored before a language was added lacks it: shown in its fallback language
        'text': schema.Record(
            {
                lang: schema.optional(schema.Str(MAX_TEXT)) if lang in FALLBACK_LANGUAGE else schema.Str(MAX_TEXT)
                for lang in LANGUAGES
            }
        ),
        'created': schema.optional(schema.Day(blank=True)),
        'by': schema.private(schema.Str(80)),
        'status': schema.Choice(*STATUSES),
    }
)


class Suggestions:
    def __init__(self, communities: Communities) -> None:
        self.communities = communities
        communities.register_table(TableSpec(TABLE, RECORD))

    def _table(self, cid: str):
        return self.communities.store.community(cid).table(TABLE)

    def list(self, actor: str, cid: str) -> list[Suggestion]:
        self.communities.get(actor, cid, Permission.VIEW)
        return [to_suggestion(d) for d in self._table(cid).all()]

    def waiting(self, actor: str, cid: str) -> list[Suggestion]:
        """Suggestions still waiting for a decision."""
        self.communities.get(actor, cid, Permission.VIEW)
        return [to_suggestion(d) for d in self._table(cid).search(Query()['status'] == 'new')]

    def set_status(
        self, actor: str, cid: str, suggestion_id: str, status: str, *, was: str | None = None
    ) -> Suggestion:
        """Record a decision on a suggestion: accepted, discarded, or new again (undo). With `was`, only a suggestion
        in that status changes (NotFound otherwise), so a decision is taken once. The change is made in memory and
        the caller commits: what goes with it (an accepted suggestion's action) reaches the disk in the same write."""
        self.communities.get(actor, cid, Permission.EDIT)
        if status not in STATUSES:
            raise ValidationError('error.invalid', 'status')
        which = Query()['id'] == suggestion_id
        if was is not None:
            which &= Query()['status'] == was
        table = self._table(cid)
        doc = table.get(which) if isinstance(suggestion_id, str) else None
        if doc is None:
            raise NotFound()
        table.update({'status': status}, doc_ids=[doc.doc_id])
        return to_suggestion({**doc, 'status': status})

    def sent(self, actor: str, cid: str, source: str, ref: str) -> set[tuple[str, str]]:
        """(dimension, English text) of what this source already sent: the page marks those buttons as done."""
        self.communities.get(actor, cid, Permission.VIEW)
        docs = self._table(cid).search((Query()['source'] == source) & (Query()['ref'] == ref))
        return {(d['dimension'], d['text']['en']) for d in docs}

    async def send(
        self, actor: str, cid: str, source: str, ref: str, dimension: str, text: dict[str, str]
    ) -> Suggestion:
        """Add a suggestion to the plan's inbox; sending the same one twice keeps one."""
        self.communities.get(actor, cid, Permission.EDIT)
        if source not in SOURCES:
            raise ValidationError('error.invalid', 'source')
        if not isinstance(text, dict) or not all(
            isinstance(text.get(lang), str) and text[lang].strip()
            for lang in LANGUAGES
            if lang not in FALLBACK_LANGUAGE
        ):
            raise ValidationError('error.invalid', 'text')
        text = {lang: text[lang] for lang in LANGUAGES if isinstance(text.get(lang), str) and text[lang].strip()}
        if any(len(value) > MAX_TEXT for value in text.values()):
            raise ValidationError('error.too_long', 'text', max=MAX_TEXT)
        table = self._table(cid)
        same = (
            (Query()['source'] == source)
            & (Query()['ref'] == ref)
            & (Query()['dimension'] == dimension)
            & (Query()['text']['en'] == text['en'])
        )
        existing = table.get(same)
        if existing is not None:
            return to_suggestion(existing)
        doc = {
            'id': secrets.token_hex(6),
            'source': source,
            'ref': ref,
            'dimension': dimension,
            'text': text,  # without German when the idea's text has none yet: read in its fallback
            'created': clock.today_iso(),
            'by': actor,
            'status': 'new',
        }
        table.insert(doc)
        await self.communities.store.community(cid).commit()
        return to_suggestion(doc)


def to_suggestion(doc: dict[str, Any]) -> Suggestion:
    return Suggestion(
        doc['id'],
        doc['source'],
        doc.get('ref', ''),
        doc.get('dimension', ''),
        dict(doc['text']),
        doc.get('created', ''),
        doc.get('status', 'new'),
    )
