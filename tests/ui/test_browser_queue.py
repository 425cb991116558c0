"""components/browser_queue.py leans on how NiceGUI queues and sends `run_javascript` messages (checked against
NiceGUI 3.18.0): these tests fail if an upgrade changes that, before a meeting shows stale or lost patches."""

from __future__ import annotations

import asyncio
import json
import re

from nicegui import ui
from nicegui.testing import User

from components.browser_queue import MAX_STEPS, Outgoing

CALL = re.compile(r'^(?:return )?runMethod\((\d+), "(\w+)", (.*)\)$', re.S)


async def open_probe(user: User):
    @ui.page('/browser-queue-probe')
    def probe():
        ui.label('probe').mark('probe')

    await user.open('/browser-queue-probe')
    return user.client, next(iter(user.find(marker='probe').elements))


def call(code: str) -> tuple[int, str, object]:
    match = CALL.match(code)
    assert match, code
    return int(match.group(1)), match.group(2), json.loads(match.group(3))


async def until_sent(client) -> None:
    for _ in range(100):
        if not client.outbox.messages:
            return
        await asyncio.sleep(0.01)
    raise AssertionError('the outbox did not send')


async def test_a_queued_patch_is_the_message_run_method_would_queue(user: User):
    client, element = await open_probe(user)
    await until_sent(client)
    element.run_method('apply', [['patch', {'scores': {'a:b': None}}]])  # NiceGUI's public way, one loop turn later
    for _ in range(20):
        if client.outbox.messages:
            break
        await asyncio.sleep(0)
    (target, kind, data), *_ = client.outbox.messages
    ours = Outgoing.send(client, element.id, 'apply', json.dumps(['patch', {'scores': {'a:b': None}}]))
    assert client.outbox.messages[-1] == (client.id, 'run_javascript', ours.data)
    assert (target, kind, set(data)) == (client.id, 'run_javascript', {'code'})
    assert call(data['code']) == call(ours.data['code'])


async def test_patches_not_sent_yet_travel_in_one_message_and_later_ones_in_the_next(user: User):
    client, element = await open_probe(user)
    await until_sent(client)
    sent_before = len(client.outbox.message_history)
    first = Outgoing.send(client, element.id, 'apply', '["patch",{"n":1}]')
    assert first.join('["patch",{"n":2}]') and first.join('["reset",{"n":3}]')
    assert len(client.outbox.messages) == 1
    await until_sent(client)
    history = list(client.outbox.message_history)[sent_before:]
    assert [call(m[2]['code']) for _, _, m in history] == [
        (element.id, 'apply', [[['patch', {'n': 1}], ['patch', {'n': 2}], ['reset', {'n': 3}]]])
    ]
    assert not first.join('["patch",{"n":4}]')  # sent: a later patch goes in a new message
    second = Outgoing.send(client, element.id, 'apply', '["patch",{"n":4}]')
    client.outbox.enqueue_message('run_javascript', {'code': 'void 0'}, client.id)  # another message after it
    assert not second.join('["patch",{"n":5}]')  # must not overtake that one


async def test_a_page_without_connection_does_not_gather_one_endless_message(user: User):
    client, element = await open_probe(user)
    await until_sent(client)
    outgoing = Outgoing.send(client, element.id, 'apply', '1')
    while outgoing.join('1'):
        pass
    assert len(outgoing.steps) == MAX_STEPS
