"""Retention: nothing personal is kept longer than the privacy notice says. Run once a day (`run`).

- Individual survey answers of a closed round are erased `answers_months` after it closed. What stays is exactly
  what the results show: every question's answers are shuffled independently across the round's sheets (so no
  sheet is one person's anymore, and every count, mean and open text stays the same), and the receipt codes are
  dropped (an answer can no longer be withdrawn: it is no longer anyone's). The coordinators see the coming
  erasure in the app from a month ahead. The community's backups are dropped after the erasure.
- Accounts without a login for `accounts_months` are warned by mail a month ahead, then erased like a deletion by
  their owner (core/privacy). An account that is the last coordinator of a community is kept (and counted in the
  log): the operator decides; erasing it would strand the community.
- Mails in the outbox are deleted after 30 days; kept versions of data files older than `answers_months` too.
The log says what was done in counts, never with names, addresses or ids.
"""

from __future__ import annotations

import asyncio
import calendar
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from tinydb import Query

from . import clock
from .accounts import Accounts
from .communities import Communities
from .i18n import Catalog, format_date
from .mail import OUTBOX_DAYS, Mailer
from .privacy import Privacy
from .store import ID_PATTERN, Database, parse_json_object

log = logging.getLogger(__name__)

TABLE = 'retention'  # per community: one document per closed survey round {round, closed, notified, erased}
ROUNDS, ANSWERS = 'survey_rounds', 'survey_answers'  # NOTE: the tables of core/survey.py
NOTICE_DAYS = 30  # coordinators and account holders are told this long ahead


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class RetentionReport:
    rounds_announced: int = 0
    rounds_erased: int = 0
    answers_erased: int = 0
    accounts_warned: int = 0
    accounts_erased: int = 0
    accounts_kept_last_coordinator: int = 0
    mails_deleted: int = 0
    backups_deleted: int = 0


@dataclass(frozen=True)
class Notice:
    """A coming erasure of a round's individual answers, for the coordinators."""

    round_id: str
    title: str
    erase_on: str


class Retention:
    def __init__(
        self,
        communities: Communities,
        accounts: Accounts,
        privacy: Privacy,
        mailer: Mailer,
        ui: Catalog,
        *,
        answers_months: int,
        accounts_months: int,
        today: Callable[[], date] | None = None,
        daily: Sequence[Callable[[], Awaitable[int]]] = (),
    ) -> None:
        self.daily_tasks = tuple(daily)  # further erasures of the day (survey invitation lists of closed rounds)
        self.communities = communities
        self.store = communities.store
        self.accounts = accounts
        self.privacy = privacy
        self.mailer = mailer
        self.ui = ui
        self.answers_months = answers_months
        self.accounts_months = accounts_months
        self.today = today or clock.today

    async def run(self) -> RetentionReport:
        """One daily pass. File reading, mail and backup clean-up run in worker threads; changes to the data are
        made on the event loop (the store's rule) in short steps."""
        report = RetentionReport()
        for path in sorted(self.store.communities_dir.glob('*.json')):
            if ID_PATTERN.fullmatch(path.stem):
                try:
                    await self._community(path.stem, report)
                except Exception:
                    log.exception('retention: a community could not be processed')
        await self._accounts(report)
        report.mails_deleted = await asyncio.to_thread(self.mailer.purge, OUTBOX_DAYS)
        for task in self.daily_tasks:
            try:
                await task()
            except Exception:
                log.exception('retention: a daily erasure failed')
        report.backups_deleted = await asyncio.to_thread(self._old_backups)
        log.info('retention done: %s', ', '.join(f'{k}={v}' for k, v in asdict(report).items()))
        return report

    async def daily(self, first_delay: float = 60.0, interval: float = 86400.0) -> None:
        """Run forever: a first pass shortly after start, then once a day. A failing pass is logged, not fatal."""
        await asyncio.sleep(first_delay)
        while True:
            try:
                await self.run()
            except Exception:
                log.exception('retention pass failed')
            await asyncio.sleep(interval)

    # -- survey answers ------------------------------------------------------------------------------------------

    async def _community(self, cid: str, report: RetentionReport) -> None:
        if cid not in self.store._open:  # read a closed file in a thread; open it only if there is work
            raw = await asyncio.to_thread(_read, self.store.communities_dir / f'{cid}.json')
            if not raw.get(ROUNDS) and not raw.get(TABLE):
                return
        db = self.store.community(cid)
        today = self.today()
        changed = erased_any = False
        records = db.table(TABLE)
        for survey_round in db.table(ROUNDS).all():
            rid = survey_round['id']
            record = records.get(Query()['round'] == rid)
            closed = _closed_on(survey_round, today)
            if closed is None:  # open (again): the clock stops
                if record is not None and not record.get('erased'):
                    records.remove(doc_ids=[record.doc_id])
                    changed = True
                continue
            if record is None:
                records.insert({'round': rid, 'closed': closed.isoformat(), 'notified': '', 'erased': ''})
                record = records.get(Query()['round'] == rid)
                changed = True
            if record.get('erased'):
                continue
            due = add_months(date.fromisoformat(record['closed']), self.answers_months)
            if not record.get('notified') and (due - today).days <= NOTICE_DAYS:
                records.update({'notified': today.isoformat()}, doc_ids=[record.doc_id])
                report.rounds_announced += 1
                changed = True
            notified = record.get('notified') or today.isoformat()
            if today >= due and (today - date.fromisoformat(notified)).days >= NOTICE_DAYS:
                report.answers_erased += _decouple(db, rid)
                records.update({'erased': today.isoformat()}, doc_ids=[record.doc_id])
                report.rounds_erased += 1
                changed = erased_any = True
        if changed:
            await db.commit()
        if erased_any:
            await asyncio.to_thread(db.drop_backups)  # after the commit: its write may have kept the old version

    def notices(self, user_id: str, cid: str) -> list[Notice]:
        """Coming erasures of individual answers (within a month) for the coordinators of a community."""
        from .roles import Permission

        self.communities.get(user_id, cid, Permission.MANAGE)
        db = self.store.community(cid)
        titles = {d['id']: d.get('title', '') for d in db.table(ROUNDS).all()}
        found = []
        for record in db.table(TABLE).all():
            if record.get('notified') and not record.get('erased') and record['round'] in titles:
                due = add_months(date.fromisoformat(record['closed']), self.answers_months)
                found.append(Notice(record['round'], titles[record['round']], due.isoformat()))
        return sorted(found, key=lambda n: n.erase_on)

    # -- inactive accounts ---------------------------------------------------------------------------------------

    async def _accounts(self, report: RetentionReport) -> None:
        today = self.today()
        users = self.store.accounts.table('users')
        for doc in list(users.all()):
            last = _last_activity(doc, self.store.accounts)
            limit = add_months(last, self.accounts_months)
            warned = doc.get('retention_warned', '')
            if warned and warned < last.isoformat():  # came back after the warning
                users.update({'retention_warned': ''}, doc_ids=[doc.doc_id])
                warned = ''
            if today < limit and (limit - today).days > NOTICE_DAYS:
                continue
            if not warned:
                await self._warn(doc, limit)
                users.update({'retention_warned': today.isoformat()}, doc_ids=[doc.doc_id])
                await self.store.accounts.commit()
                report.accounts_warned += 1
                continue
            if today >= limit and (today - date.fromisoformat(warned)).days >= NOTICE_DAYS:
                user = self.accounts.get(doc['id'])
                if user is None:
                    continue
                if self.communities.sole_coordinator_of(user.id):
                    report.accounts_kept_last_coordinator += 1
                    continue
                await self.privacy.erase(user)
                report.accounts_erased += 1

    async def _warn(self, doc: dict[str, Any], limit: date) -> None:
        lang = doc.get('lang', 'nl')
        months = self.accounts_months
        day = max(limit, add_months(self.today(), 1)).isoformat()
        subject = self.ui.text('retention.mail.subject', lang)
        text = self.ui.text('retention.mail.text', lang, name=doc['name'], months=months, date=format_date(day, lang))
        html = '<p>' + '</p><p>'.join(_escape(p) for p in text.split('\n\n')) + '</p>'
        await asyncio.to_thread(self.mailer.send, doc['email'], subject, text, html, lang=lang)

    # -- backups ------------------------------------------------------------------------------------------------

    def _old_backups(self) -> int:
        limit = datetime.combine(add_months(self.today(), -self.answers_months), datetime.min.time(), UTC)
        removed = 0
        for path in self.store.backups_dir.glob('*/*.json'):
            try:
                taken = datetime.strptime(path.stem.split('_')[0], '%Y%m%dT%H%M%S%fZ').replace(tzinfo=UTC)
            except ValueError:
                continue
            if taken < limit:
                path.unlink(missing_ok=True)
                removed += 1
        upgrades = self.store.data_dir / 'upgrade-backups'  # NOTE: core/upgrade.py's archives taken before a migration
        for path in upgrades.glob('*') if upgrades.is_dir() else []:
            if path.is_file() and path.stat().st_mtime < limit.timestamp():
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _read(path) -> dict[str, Any]:
    try:
        return parse_json_object(path.read_bytes(), path)
    except Exception:
        return {}


def _closed_on(doc: dict[str, Any], today: date) -> date | None:
    """The day a round counts as closed from, or None while it is open. A round closed by hand has no date of its
    own: the first daily pass that sees it closed records today (never earlier than the truth)."""
    closes = doc.get('closes')
    if doc.get('status') == 'open' and not (closes and closes < today.isoformat()):
        return None
    if doc.get('status') == 'draft':
        return None
    if closes and closes < today.isoformat():
        return date.fromisoformat(closes)
    return today


def _decouple(db: Database, round_id: str) -> int:
    """Replace a round's answer sheets by sheets whose every column is shuffled on its own, without receipts.
    Returns how many sheets there were. The released snapshot's sheets are shuffled among themselves, the others
    apart (core/survey.py: what the coordinator sees must not change)."""
    table = db.partition(ANSWERS, round_id)  # the round's own part (core/store.py)
    docs = table.all()
    groups: dict[bool, list[Any]] = {}
    for doc in docs:
        groups.setdefault(bool(doc.get('released')), []).append(doc)
    for released, group in groups.items():
        _decouple_group(table, round_id, group, released)
    return len(docs)


def _decouple_group(table: Any, round_id: str, docs: list[Any], released: bool) -> None:
    absent = object()
    keys = sorted({k for d in docs for k in d['answers']})
    rng = secrets.SystemRandom()
    for _ in range(50):  # a sheet must keep at least one answer (an empty sheet is not a valid answer)
        columns = {k: [d['answers'].get(k, absent) for d in docs] for k in keys}
        for values in columns.values():
            rng.shuffle(values)
        sheets = [{k: columns[k][i] for k in keys if columns[k][i] is not absent} for i in range(len(docs))]
        if all(sheets):
            break
    else:
        sheets = [dict(d['answers']) for d in docs]
        rng.shuffle(sheets)
    for doc, sheet in zip(docs, sheets, strict=True):

        def replace(stored: dict[str, Any], sheet: dict[str, Any] = sheet) -> None:
            stored.clear()
            stored.update({'round': round_id, 'answers': sheet, 'receipt': secrets.token_hex(32), 'released': released})

        table.update(replace, doc_ids=[doc.doc_id])


def _last_activity(doc: dict[str, Any], accounts_db: Database) -> date:
    """The last day the account was used: its last login, its sessions' last use, or its creation."""
    days = [doc.get('last_login', ''), (doc.get('created') or '')[:10]]
    for row in accounts_db.table('sessions').all():  # NOTE: the table of core/sessions.py
        if row.get('user') == doc['id'] or row.get('user_id') == doc['id']:
            seen = row.get('seen')
            if isinstance(seen, int | float):
                days.append(datetime.fromtimestamp(seen, UTC).date().isoformat())
            elif isinstance(seen, str):
                days.append(seen[:10])
    known = [d for d in days if d]
    return date.fromisoformat(max(known)) if known else clock.today()


def _escape(text: str) -> str:
    import html

    return html.escape(text).replace('\n', '<br>')
