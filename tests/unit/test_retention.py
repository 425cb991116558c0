"""Retention with an injectable clock: survey answers erased N months after closing (announced a month ahead, the
results unchanged), inactive accounts warned by mail then erased, the outbox emptied after 30 days; the mail itself;
the export log."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from tinydb import Query

from core import demo
from core.config import Settings
from core.errors import NotFound, PermissionDenied
from core.logs import scrub
from core.mail import Mailer
from core.retention import add_months
from core.services import build_services
from core.survey import ANSWERS

PASSWORD = 'a demo password that is long'


@pytest.fixture
def services(tmp_path):
    return build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0, retain_answers_months=12))


class Clock:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def columns(services, cid: str, round_id: str) -> dict[str, Counter]:
    """Per question, the multiset of answers given: what every result is computed from."""
    found: dict[str, Counter] = {}
    for doc in services.store.community(cid).table(ANSWERS).all():
        if doc['round'] == round_id:
            for item, value in doc['answers'].items():
                found.setdefault(item, Counter())[json.dumps(value)] += 1
    return found


async def seeded(services):
    owner, cid = await demo.seed(services, PASSWORD)
    closed = next(r for r in services.surveys.rounds(owner, cid) if r.status == 'closed')
    return owner, cid, closed


async def test_answers_are_announced_a_month_ahead_then_erased_and_the_results_stay(services):
    owner, cid, closed = await seeded(services)
    start = date.today()
    clock = Clock(start)
    services.retention.today = clock
    results_before = services.surveys.results(owner, cid, closed.id)
    raw_before = {
        json.dumps(a.answers, sort_keys=True) for a in services.surveys.answers_above_threshold(owner, cid, closed.id)
    }
    columns_before = columns(services, cid, closed.id)

    report = await services.retention.run()  # the first pass starts the clock of the closed round
    assert report.rounds_erased == 0 and services.retention.notices(owner, cid) == []

    clock.day = add_months(start, 12) - timedelta(days=30)  # a month ahead
    report = await services.retention.run()
    # the demo's closed rounds: the member survey's and the needs survey's (15 answers each)
    assert report.rounds_announced == 2 and report.rounds_erased == 0
    notices = services.retention.notices(owner, cid)
    assert sorted(n.title for n in notices) == ['Voor de kick-off', 'Voorjaar 2026']
    assert {n.erase_on for n in notices} == {add_months(start, 12).isoformat()}
    assert columns(services, cid, closed.id) == columns_before

    clock.day = add_months(start, 12)
    report = await services.retention.run()
    assert report.rounds_erased == 2 and report.answers_erased == 30
    assert services.retention.notices(owner, cid) == []
    assert columns(services, cid, closed.id) == columns_before  # every question's answers, the same
    results_after = services.surveys.results(owner, cid, closed.id)
    assert results_after.count == results_before.count
    assert results_after.blocks == results_before.blocks and results_after.cycles == results_before.cycles
    for before in results_before.items:
        after = results_after.item(before.item.id)
        assert (after.counts, after.mean, sorted(after.texts)) == (before.counts, before.mean, sorted(before.texts))
    raw_after = {
        json.dumps(a.answers, sort_keys=True) for a in services.surveys.answers_above_threshold(owner, cid, closed.id)
    }
    assert raw_after != raw_before  # the sheets themselves are gone: no sheet is one person's anymore
    assert services.surveys.raw_answers(owner, cid, closed.id) is None  # no per-respondent export of mixed sheets
    assert services.store.community_backups(cid) == []
    with pytest.raises(NotFound):  # nobody's answer anymore: no receipt withdraws it
        services.surveys.receipt_limiter.success('receipt:test')
        await services.surveys.withdraw(cid, closed.token, 'AAAA-BBBB-CCCC', 'test')
    open_round = next(r for r in services.surveys.rounds(owner, cid) if r.status == 'open' and r.title == 'Najaar 2026')
    assert services.surveys.answer_count(owner, cid, open_round.id) == 2  # open rounds are never touched


async def test_a_round_found_long_closed_still_gets_its_month_of_notice(services):
    owner, cid, closed = await seeded(services)
    clock = Clock(date.today() + timedelta(days=3 * 365))
    services.retention.today = clock
    rounds = services.store.community(cid).table('survey_rounds')  # it closed on its day two years before
    rounds.update({'closes': (clock.day - timedelta(days=2 * 365)).isoformat()}, doc_ids=[rounds.get(doc_id=1).doc_id])
    report = await services.retention.run()
    assert report.rounds_announced == 1 and report.rounds_erased == 0
    clock.day += timedelta(days=29)
    assert (await services.retention.run()).rounds_erased == 0
    clock.day += timedelta(days=1)
    assert (await services.retention.run()).rounds_erased == 1


async def test_reopening_a_round_stops_its_clock(services):
    owner, cid, closed = await seeded(services)
    clock = Clock(date.today())
    services.retention.today = clock
    await services.retention.run()
    await services.surveys.set_status(owner, cid, closed.id, 'open')
    clock.day = add_months(clock.day, 13)
    await services.retention.run()
    assert (await services.retention.run()).rounds_erased == 0


async def test_inactive_accounts_are_warned_by_mail_then_erased_and_a_login_saves_them(services):
    owner, cid = await demo.seed(services, PASSWORD)
    await services.communities.hand_over(owner, cid, services.accounts.by_email(demo.DEMO_COACH_EMAIL).id)
    kept = await services.accounts.sign_up('Els Claes', 'els@example.be', PASSWORD, 'en')
    start = date.today()
    clock = Clock(add_months(start, 24) - timedelta(days=10))
    services.retention.today = clock
    report = await services.retention.run()
    assert report.accounts_warned == 3 and report.accounts_erased == 0

    assert services.mailer.wait_idle()  # delivery runs in the mail thread
    mails = sorted((services.settings.data_dir / 'outbox').glob('*.eml'))
    assert len(mails) == 3
    by_recipient = {}
    for path in mails:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        by_recipient[message['To']] = message
    coach = by_recipient[demo.DEMO_COACH_EMAIL]  # French, as the coach's account is
    assert coach['From'].addresses[0].display_name == 'CoP-toolbox'
    assert coach['Content-Language'] == 'fr-BE'
    assert 'supprimerons votre compte' in coach.get_body(('plain',)).get_content()
    assert re.search(r'le (1er|\d{1,2}) \w+ \d{4}', coach.get_body(('plain',)).get_content())  # a written date
    assert '<p>' in coach.get_body(('html',)).get_content()

    await services.accounts.authenticate('els@example.be', PASSWORD, 'test')  # Els comes back...
    services.store.accounts.table('users').update(  # ...on the clock's day (the login stamps the real day)
        {'last_login': clock.day.isoformat()}, Query()['id'] == kept.id
    )
    clock.day += timedelta(days=31)
    report = await services.retention.run()
    assert report.accounts_erased == 1 and report.accounts_kept_last_coordinator == 1
    assert services.accounts.get(kept.id) is not None
    assert services.accounts.by_email(demo.DEMO_EMAIL) is None
    assert services.accounts.by_email(demo.DEMO_COACH_EMAIL) is not None  # now the community's last coordinator


async def test_the_last_coordinator_of_a_community_is_kept_and_counted(services):
    owner, cid = await demo.seed(services, PASSWORD)
    clock = Clock(add_months(date.today(), 24) - timedelta(days=10))
    services.retention.today = clock
    await services.retention.run()
    clock.day += timedelta(days=40)
    report = await services.retention.run()
    assert report.accounts_kept_last_coordinator == 1
    assert services.accounts.get(owner) is not None


def test_mail_is_one_multipart_file_per_mail_and_the_outbox_is_emptied_after_30_days(tmp_path, caplog):
    now = [time.time()]
    mailer = Mailer(tmp_path / 'outbox', clock=lambda: now[0])
    caplog.set_level('INFO')
    mail_id = mailer.send('a@example.be', 'Onderwerp', 'Tekst', '<p>Tekst</p>', lang='nl')
    assert mailer.wait_idle()
    [path] = (tmp_path / 'outbox').glob(f'*{mail_id}.eml')
    # the log says where (scrubbed of token-shaped parts when the JSON/scrubbing log handler is installed)
    assert str(path) in caplog.text or scrub(str(path)) in caplog.text
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message.get_content_type() == 'multipart/alternative'
    assert [p.get_content_type() for p in message.iter_parts()] == ['text/plain', 'text/html']
    os.utime(path, (now[0] - 10 * 86400, now[0] - 10 * 86400))
    assert mailer.purge() == 0
    now[0] += 21 * 86400
    assert mailer.purge() == 1 and not path.exists()
    mailer.close()


async def test_exports_are_logged_by_day_and_shown_to_coordinators_only(services):
    owner, cid = await demo.seed(services, PASSWORD)
    coach = services.accounts.by_email(demo.DEMO_COACH_EMAIL)
    services.exportlog._today = lambda: date(2026, 3, 4)
    await services.exportlog.record(owner, cid, 'survey_results')
    services.exportlog.note(coach.id, cid, 'dossier')
    entries = services.exportlog.entries(owner, cid)
    assert [(e.day, e.kind, e.by) for e in entries] == [
        ('2026-03-04', 'dossier', coach.id),
        ('2026-03-04', 'survey_results', owner),
    ]
    with pytest.raises(PermissionDenied):
        services.exportlog.entries(coach.id, cid)
    exported = json.loads(services.communities.export(owner, cid))
    assert 'export_log' not in exported['tables']  # user ids mean nothing on another installation
