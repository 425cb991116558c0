"""Mail delivery through a real SMTP server (aiosmtpd): the outbox without a relay, a relay that accepts, one that
says "later" (retried), one that refuses (failed, said why), one that does not answer in time, one that is down; the
queue survives a restart; the MIME structure and headers; log lines without addresses."""

from __future__ import annotations

import email
import email.policy
import logging
import os
import time

import pytest

from core import logs
from core.config import parse_settings
from core.mail import Attachment, MailConfigError, Mailer, parse_smtp_url
from tests.mailserver import free_port

TO = 'an.peeters@fod.example.be'


def mailer_for(tmp_path, url: str | None, **kwargs) -> Mailer:
    return Mailer(
        tmp_path / 'outbox',
        sender='cop@fod.example.be',
        relay=parse_smtp_url(url) if url else None,
        retry_delays=kwargs.pop('retry_delays', (0.2, 0.2)),
        **kwargs,
    )


def wait_state(mailer: Mailer, mail_id: str, states: set[str], timeout: float = 10.0) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status = mailer.status(mail_id)
        if status and status.state in states:
            return status.state
        time.sleep(0.02)
    raise AssertionError(f'status {mailer.status(mail_id)} never in {states}')


def test_without_a_relay_each_mail_is_one_eml_file_in_the_outbox_and_the_log_says_where(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    mailer = mailer_for(tmp_path, None)
    mail_id = mailer.submit(TO, 'Onderwerp', 'Tekst', '<p>Tekst</p>', lang='nl')
    assert wait_state(mailer, mail_id, {'sent'}) == 'sent'
    [path] = (tmp_path / 'outbox').glob('*.eml')
    end = time.monotonic() + 5  # the sender thread marks the mail sent, then logs where it went
    # the file's name as the log gives it, scrubbed or not (whether the app's log set-up runs in this process depends
    # on the tests before; the folders of a test's temporary path may look like tokens, the file name must not)
    named = f'outbox{os.sep}{path.name}'
    assert logs.scrub(str(path)).endswith(named)
    while named not in (ours := ' '.join(r.getMessage() for r in caplog.records if r.name == 'core.mail')):
        if time.monotonic() > end:
            break
        time.sleep(0.02)
    assert mail_id in path.name and named in ours and TO not in ours
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message['To'] == TO and message.get_content_type() == 'multipart/alternative'
    assert not list((tmp_path / 'mail-queue').glob('*.eml'))  # the content left the queue once delivered
    mailer.close()


def test_a_relay_receives_a_multipart_mail_with_the_products_name_and_the_readers_language(tmp_path, smtp_server):
    mailer = mailer_for(tmp_path, smtp_server.url)
    ics = Attachment(
        'invitation.ics', b'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'text', 'calendar', {'method': 'REQUEST'}
    )
    mail_id = mailer.submit(TO, 'Uitnodiging été', 'Hallo', '<p>Hallo</p>', lang='fr', attachments=[ics])
    assert wait_state(mailer, mail_id, {'sent'}) == 'sent'
    [got] = smtp_server.wait_for(1)
    assert got.rcpt_tos == [TO] and got.mail_from == 'cop@fod.example.be'
    message = got.message
    assert message['From'].addresses[0].display_name == 'CoP-toolbox'
    assert message['Subject'] == 'Uitnodiging été'  # encoded on the wire, decoded here
    assert message['Content-Language'] == 'fr-BE' and message['Message-ID'] and message['Date']
    assert message['Auto-Submitted'] == 'auto-generated'
    assert message.get_content_type() == 'multipart/mixed'
    body = next(message.iter_parts())
    assert body.get_content_type() == 'multipart/alternative'
    assert [p.get_content_type() for p in body.iter_parts()] == ['text/plain', 'text/html']
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == 'invitation.ics' and attachment.get_param('method') == 'REQUEST'
    mailer.close()


def test_a_relay_that_says_later_is_tried_again_and_the_mail_goes_through(tmp_path, smtp_server, caplog):
    caplog.set_level(logging.INFO)
    smtp_server.mode = 'busy'
    mailer = mailer_for(tmp_path, smtp_server.url, retry_delays=(0.5, 0.5, 0.5))
    mail_id = mailer.submit(TO, 'S', 'T', '<p>T</p>')
    assert wait_state(mailer, mail_id, {'retry'}) == 'retry'
    status = mailer.status(mail_id)
    assert status.error.startswith('451') and status.attempts == 1
    smtp_server.mode = 'accept'
    assert wait_state(mailer, mail_id, {'sent'}) == 'sent'
    assert len(smtp_server.received) == 1 and smtp_server.handler.attempts >= 2
    ours = ' '.join(r.getMessage() for r in caplog.records if r.name == 'core.mail')
    assert 'will retry' in ours and TO not in ours  # (the test server's own log names the address)
    mailer.close()


def test_a_relay_that_refuses_fails_the_mail_at_once_with_its_reason_without_the_address(tmp_path, smtp_server):
    smtp_server.mode = 'refuse'
    mailer = mailer_for(tmp_path, smtp_server.url)
    mail_id = mailer.submit(TO, 'S', 'T', '<p>T</p>')
    assert wait_state(mailer, mail_id, {'failed'}) == 'failed'
    status = mailer.status(mail_id)
    assert status.error.startswith('550') and 'rejected' in status.error
    assert TO not in status.error and '<address>' in status.error
    assert smtp_server.handler.attempts == 1  # not tried again
    mailer.close()


def test_a_relay_that_does_not_answer_in_time_is_retried_then_given_up(tmp_path, smtp_server):
    smtp_server.mode = 'slow'
    smtp_server.handler.delay = 2.0
    mailer = mailer_for(tmp_path, smtp_server.url, timeout=0.5, retry_delays=(0.1,))
    mail_id = mailer.submit(TO, 'S', 'T', '<p>T</p>')
    assert wait_state(mailer, mail_id, {'failed'}) == 'failed'
    status = mailer.status(mail_id)
    assert status.attempts == 2 and 'in time' in status.error
    mailer.close()


def test_a_relay_that_is_down_keeps_the_mail_queued_across_a_restart(tmp_path, smtp_server):
    down = f'smtp://127.0.0.1:{free_port()}'
    first = mailer_for(tmp_path, down, retry_delays=(60,))
    mail_id = first.submit(TO, 'S', 'Bewaard', '<p>Bewaard</p>')
    assert wait_state(first, mail_id, {'retry'}) == 'retry'
    assert 'cannot be reached' in first.status(mail_id).error
    first.close()
    second = Mailer(  # the restart, now with a working relay and the retry due at once
        tmp_path / 'outbox',
        sender='cop@fod.example.be',
        relay=parse_smtp_url(smtp_server.url),
        clock=lambda: time.time() + 120,
    )
    assert wait_state(second, mail_id, {'sent'}) == 'sent'
    assert smtp_server.wait_for(1)[0].text.strip() == 'Bewaard'
    second.close()


def test_a_password_is_never_sent_to_a_relay_without_tls(tmp_path, smtp_server):
    mailer = mailer_for(tmp_path, f'smtp://user:secret@127.0.0.1:{smtp_server.port}')
    mail_id = mailer.submit(TO, 'S', 'T', '<p>T</p>')
    assert wait_state(mailer, mail_id, {'failed'}) == 'failed'
    assert 'TLS' in mailer.status(mail_id).error and not smtp_server.received
    mailer.close()


def test_forgetting_a_group_erases_its_queued_mails_outbox_files_and_statuses(tmp_path):
    mailer = mailer_for(tmp_path, None)
    kept = mailer.submit('a@example.be', 'S', 'T', '<p>T</p>')
    gone = [mailer.submit(f'm{i}@example.be', 'S', 'T', '<p>T</p>', group='survey:c:r') for i in range(3)]
    assert mailer.wait_idle()
    assert mailer.group_counts('survey:c:r')['sent'] == 3
    assert mailer.forget('survey:c:r') == 3
    assert all(mailer.status(g) is None for g in gone) and mailer.status(kept).state == 'sent'
    files = list((tmp_path / 'outbox').glob('*.eml'))
    assert len(files) == 1 and kept in files[0].name
    assert not [p for p in (tmp_path / 'mail-queue').iterdir() if any(g in p.name for g in gone)]
    mailer.close()


@pytest.mark.parametrize(
    'url, expected',
    [
        ('smtp://relay.example.be', ('relay.example.be', 25, False, '', '')),
        ('smtp://relay.example.be:587', ('relay.example.be', 587, False, '', '')),
        ('smtps://u%40x:p%3Aw@mail.example.be', ('mail.example.be', 465, True, 'u@x', 'p:w')),
    ],
)
def test_smtp_urls(url, expected):
    relay = parse_smtp_url(url)
    assert (relay.host, relay.port, relay.tls, relay.user, relay.password) == expected
    assert 'p:w' not in relay.describe() and 'p:w' not in repr(relay)


@pytest.mark.parametrize('url', ['http://relay', 'smtp://', 'relay.example.be:25', 'smtp://host:99999'])
def test_bad_smtp_urls_are_refused(url):
    with pytest.raises(MailConfigError):
        parse_smtp_url(url)


def test_mail_options_and_their_environment_variables():
    settings = parse_settings(
        [], {'COP_SMTP_URL': 'smtps://u:p@h:465', 'COP_MAIL_FROM': 'cop@x.be', 'COP_PUBLIC_URL': 'https://cop.x.be/'}
    )
    assert (settings.smtp_url, settings.mail_from, settings.public_url) == (
        'smtps://u:p@h:465',
        'cop@x.be',
        'https://cop.x.be',
    )
    for argv in (['--smtp-url', 'http://x'], ['--mail-from', 'not an address'], ['--public-url', 'cop.x.be']):
        with pytest.raises(SystemExit):
            parse_settings(argv, {})


@pytest.mark.parametrize(('lang', 'tag'), [('nl', 'nl-BE'), ('fr', 'fr-BE'), ('en', 'en-GB'), ('de', 'de-BE')])
def test_a_mail_names_its_language_with_the_region_as_the_pages_do(tmp_path, lang, tag):
    """Content-Language and the HTML part's lang carry the same BCP 47 tag as the web pages' <html lang>."""
    from core.content import load_content
    from core.i18n import Translator
    from core.mailtext import from_plain

    catalog = load_content().ui
    assert Translator(catalog, lang).html_lang == tag
    text = from_plain(catalog, 'Betreff', 'Guten Tag,\n\n{link}', lang, link='https://cop.example.be/s/x')
    assert f'<html lang="{tag}">' in text.html
    message = mailer_for(tmp_path, None).compose(TO, text.subject, text.text, text.html, lang=lang)
    assert message['Content-Language'] == tag
