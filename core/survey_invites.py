"""Survey invitations by mail: each address gets its own personal single-use link, and a reminder goes, from the
server, only to the links not used yet. Built so that a coordinator cannot learn who answered:

- the list pairing each address with its link lives in its own file (data/survey-invites/<community>.json), outside
  the community's file: it is in no export, no rolling backup and no operator archive (core/backup.py leaves the
  folder out), and no page or call shows it, not even to the coordinator who typed the addresses;
- it is kept only while the round is open: closing or deleting the round erases it, with every queued or delivered
  copy of its mails (Mailer.forget), and a daily pass erases it for rounds that closed by their closing day;
- the coordinator sees counts only: how many addresses were invited and how their invitation mails fared. A reminder
  takes no address and reports no number (how many were reminded would be the number not yet answered, live); it can
  be sent once a day at most, so it cannot be used to probe one address after another;
- the invitation text is editable per language; `{link}` in it becomes each person's own link.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import clock
from .accounts import EMAIL_PATTERN, MAX_EMAIL, normalise_email
from .clean import clean_text
from .communities import Communities
from .errors import NotFound, ValidationError
from .i18n import LANGUAGES, Catalog, Translator
from .mail import Mailer, _write_atomic
from .mailtext import from_plain
from .needs import INSTRUMENT as NEEDS_SURVEY
from .roles import Permission
from .survey import MAX_CODES, Surveys

log = logging.getLogger(__name__)

FOLDER = 'survey-invites'
REMIND_EVERY = 24 * 3600
MAX_TEXT = 4000
MAX_UPLOAD = 512 * 1024
ID = re.compile(r'^[0-9a-f]{16}$')
SPLIT = re.compile(r'[\s,;]+')


@dataclass(frozen=True)
class Added:
    invited: int  # new addresses, each sent its link
    already: int  # addresses that had been invited to this round before
    invalid: list[str]  # what could not be read as an address (shown back to the coordinator, first few)


@dataclass(frozen=True)
class Overview:
    invited: int
    sent: int
    waiting: int  # queued or will retry
    failed: int
    can_remind_in: int  # seconds until a reminder may be sent (0: now)


def parse_addresses(text: str) -> tuple[list[str], list[str]]:
    """Addresses from pasted text or a CSV file's content: every cell or word that is an address; the others that
    contain an @ are returned as invalid (a header or a name column is ignored)."""
    found: list[str] = []
    invalid: list[str] = []
    for line in csv.reader(io.StringIO(text or '')):
        for cell in line:
            for word in SPLIT.split(cell.strip().strip('<>"\'')):
                word = normalise_email(word.strip('<>"\''))
                if not word:
                    continue
                if len(word) <= MAX_EMAIL and EMAIL_PATTERN.match(word):
                    found.append(word)
                elif '@' in word:
                    invalid.append(word[:80])
    return list(dict.fromkeys(found)), invalid


class SurveyInvitations:
    def __init__(
        self,
        communities: Communities,
        surveys: Surveys,
        mailer: Mailer,
        catalog: Catalog,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.communities = communities
        self.surveys = surveys
        self.mailer = mailer
        self.catalog = catalog
        self.clock = clock
        self.folder = communities.store.data_dir / FOLDER
        self._lock = asyncio.Lock()
        surveys.on_round_closed(self.erase)

    # -- what the coordinator may do and see --------------------------------------------------------------------------

    async def invite(self, actor: str, cid: str, round_id: str, text: str, lang: str, base_url: str) -> Added:
        """Make one personal link per new address and mail it, in `lang`, with the round's text in that language."""
        self._open_round(actor, cid, round_id)
        if lang not in LANGUAGES:
            raise ValidationError('error.invalid', 'lang')
        addresses, invalid = parse_addresses(text)
        async with self._lock:
            data = self._read(cid)
            entry = data.setdefault(round_id, {'people': [], 'texts': {}, 'reminded': 0})
            known = {p['email'] for p in entry['people']}
            new = [a for a in addresses if a not in known]
            if not new:
                if not addresses:
                    raise ValidationError('survey.invite.error.none', 'addresses')
                return Added(0, len(addresses), invalid[:5])
            if len(known) + len(new) > MAX_CODES:
                raise ValidationError('survey.invite.error.too_many', 'addresses', max=MAX_CODES)
            codes = await self.surveys.make_codes(actor, cid, round_id, len(new))
            people = [{'email': a, 'code': c, 'lang': lang} for a, c in zip(new, codes, strict=True)]
            entry['people'].extend(people)
            await asyncio.to_thread(self._write, cid, data)
        for person in people:
            self._mail(cid, round_id, person, entry['texts'], base_url, reminder=False)
        log.info('survey invitations queued for a round')
        return Added(len(new), len(addresses) - len(new), invalid[:5])

    async def remind(self, actor: str, cid: str, round_id: str, base_url: str) -> None:
        """A reminder to every address whose link is not used yet. Says nothing back: not who, not how many."""
        self._open_round(actor, cid, round_id)
        async with self._lock:
            data = self._read(cid)
            entry = data.get(round_id)
            if not entry or not entry['people']:
                raise ValidationError('survey.invite.error.nobody')
            wait = self._remind_wait(entry)
            if wait:
                raise ValidationError('survey.invite.error.remind_wait', hours=max(1, (wait + 3599) // 3600))
            entry['reminded'] = self.clock()
            await asyncio.to_thread(self._write, cid, data)
        for person in entry['people']:
            if not self._used(cid, person['code']):
                self._mail(cid, round_id, person, entry['texts'], base_url, reminder=True)
        log.info('survey reminders queued for a round')

    def overview(self, actor: str, cid: str, round_id: str) -> Overview:
        self.communities.get(actor, cid, Permission.EDIT)
        entry = self._read(cid).get(round_id) or {'people': [], 'reminded': 0}
        counts = self.mailer.group_counts(_group(cid, round_id))
        return Overview(
            invited=len(entry['people']),
            sent=counts['sent'],
            waiting=counts['queued'] + counts['retry'],
            failed=counts['failed'],
            can_remind_in=self._remind_wait(entry),
        )

    def text(self, actor: str, cid: str, round_id: str, lang: str) -> str:
        """The invitation text of the round in `lang`: the coordinator's own, or the toolbox's default."""
        self.communities.get(actor, cid, Permission.VIEW)
        entry = self._read(cid).get(round_id) or {}
        return (entry.get('texts') or {}).get(lang) or self.default_text(cid, round_id, lang)

    async def set_text(self, actor: str, cid: str, round_id: str, lang: str, text: Any) -> None:
        self._open_round(actor, cid, round_id)
        if lang not in LANGUAGES:
            raise ValidationError('error.invalid', 'lang')
        cleaned = clean_text(text, MAX_TEXT, 'text', multiline=True)
        if not cleaned.strip():
            raise ValidationError('survey.invite.error.empty', 'text')
        async with self._lock:
            data = self._read(cid)
            entry = data.setdefault(round_id, {'people': [], 'texts': {}, 'reminded': 0})
            entry['texts'][lang] = cleaned
            await asyncio.to_thread(self._write, cid, data)

    def default_text(self, cid: str, round_id: str, lang: str) -> str:
        t = Translator(self.catalog, lang)
        survey_round = self.surveys._round_doc(cid, round_id)
        closes = survey_round.get('closes') if survey_round else None
        needs = bool(survey_round and survey_round.get('instrument') == NEEDS_SURVEY)  # prospective members
        return t(
            'needs.invitation.body' if needs else 'survey.invitation.body',
            community=self.surveys.community_name(cid),
            link='{link}',
            closes=t('survey.invitation.closes', date=t.date(closes)) if closes else '',
            minutes=4 if needs else 8,
        )

    # -- erasure ------------------------------------------------------------------------------------------------------

    def erase(self, cid: str, round_id: str) -> None:
        """The round is closed or deleted: its addresses, links and mails go."""
        self.mailer.forget(_group(cid, round_id))
        self.mailer.forget(_group(cid, round_id, reminder=True))
        data = self._read(cid)
        if data.pop(round_id, None) is not None:
            self._write(cid, data)
            log.info('survey invitation list erased for a closed round')

    async def sweep(self) -> int:
        """Daily: erase the lists of rounds that are no longer open (closed by their day, or gone)."""
        erased = 0
        for path in sorted(self.folder.glob('*.json')) if self.folder.is_dir() else []:
            cid = path.stem
            for round_id in list(self._read(cid)):
                if not self._still_open(cid, round_id):
                    await asyncio.to_thread(self.erase, cid, round_id)
                    erased += 1
        return erased

    # -- internals ----------------------------------------------------------------------------------------------------

    def _open_round(self, actor: str, cid: str, round_id: str) -> None:
        self.communities.get(actor, cid, Permission.EDIT)
        survey_round = self.surveys.round(actor, cid, round_id)
        if not survey_round.verified:
            raise ValidationError('survey.error.not_personal')
        if not survey_round.is_open():
            raise ValidationError('survey.invite.error.not_open')

    def _still_open(self, cid: str, round_id: str) -> bool:
        try:
            doc = self.surveys._round_doc(cid, round_id)
        except (NotFound, OSError, ValueError):
            return False
        if doc is None or doc.get('status') != 'open':
            return False
        return not doc.get('closes') or clock.today().isoformat() <= doc['closes']

    def _remind_wait(self, entry: dict[str, Any]) -> int:
        return max(0, int(entry.get('reminded', 0) + REMIND_EVERY - self.clock()))

    def _used(self, cid: str, code: str) -> bool:
        try:
            return self.surveys.by_code(cid, code)[1]
        except NotFound:
            return True  # the link is gone (round deleted meanwhile): nothing to remind

    def _mail(self, cid: str, round_id: str, person: dict, texts: dict, base_url: str, *, reminder: bool) -> None:
        lang = person['lang']
        t = Translator(self.catalog, lang)
        community = self.surveys.community_name(cid)
        body = texts.get(lang) or self.default_text(cid, round_id, lang)
        if reminder:
            body = t('survey.invite.reminder_intro') + '\n\n' + body
        subject = t('survey.invite.reminder_subject' if reminder else 'survey.invite.subject', community=community)
        link = f'{base_url.rstrip("/")}/s/{cid}/p/{person["code"]}'
        mail = from_plain(self.catalog, subject, body, lang, link=link)
        try:
            self.mailer.submit(
                person['email'], mail.subject, mail.text, mail.html, lang=lang, group=_group(cid, round_id, reminder)
            )
        except OSError:
            log.exception('a survey mail could not be queued')

    def _path(self, cid: str) -> Path:
        if not ID.fullmatch(cid):
            raise NotFound()
        return self.folder / f'{cid}.json'

    def _read(self, cid: str) -> dict[str, Any]:
        try:
            data = json.loads(self._path(cid).read_text(encoding='utf-8'))
        except FileNotFoundError:
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, cid: str, data: dict[str, Any]) -> None:
        path = self._path(cid)
        if not data:
            path.unlink(missing_ok=True)
            return
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_atomic(path, json.dumps(data).encode('utf-8'))


def _group(cid: str, round_id: str, reminder: bool = False) -> str:
    return f'survey{"-reminder" if reminder else ""}:{cid}:{round_id}'
