"""Hostile input on every page: every form field and every event handler the pages register, found by walking the
app (its page routes, and the links the pages show), never listed by hand, so pages added later are covered too.

Each field gets markup, 100k characters, control characters, wrong types and forged ids (and other communities'
ids); each handler is fired with the same as its event's arguments. A sample per element keeps the run short. After
the barrage: no ERROR was logged (the `user` fixture fails the test on one), every page still opens, a normal edit
still works, the other community's file is untouched, and everything stored still passes its table's schema, with no
100k text and no control character anywhere in the data files.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import Any

import pytest
from nicegui import Client, app
from nicegui.element import Element
from nicegui.elements.mixins.value_element import ValueElement
from nicegui.testing import User

from core import demo
from core.communities import COMMUNITY_FIELDS, COMMUNITY_TABLE
from core.portfolio_demo import DEMO_OFFICER_EMAIL, seed_portfolio
from core.store import META_TABLE

from .helpers import log_in

PASSWORD = 'a long demo password for hostile tests'
LONG = 'x' * 100_000
CONTROL = 'a\x00b\x07c\x1b[31m\u202ed\x7f'
FORGED_ID = 'ffffffffffffffff'
# never fired: they end the session the walk runs in (each has its own tests)
SESSION_ENDING = re.compile(r'logout|delete-account|account-delete')
# per page: how many fields and handlers get input (the frame's shared elements are fuzzed once, on the first page)
PER_PAGE = 5
MAX_PAGES = 100


def hostile_values(other_cid: str) -> list[Any]:
    return [
        '<script>alert(1)</script><b onmouseover=x>bold</b>',
        LONG,
        CONTROL,
        12345,
        -1,
        1e308,
        True,
        None,
        ['a', 'list'],
        {'a': 'dict'},
        FORGED_ID,
        other_cid,
        '../../etc/passwd',
        '2026-02-30',
    ]


def event_args(value: Any, other_cid: str) -> list[Any]:
    """What a forged browser message could carry as an event's arguments."""
    return [
        value,
        {'key': value, 'value': value, 'id': other_cid},
        {'key': f'{FORGED_ID}:{FORGED_ID}', 'value': 3, 'rev': -5, 'cid': other_cid},
        [value, other_cid],
    ]


def route_pattern(path: str) -> re.Pattern:
    """A route as a regular expression whose named groups are its parameters."""
    return re.compile('^' + re.sub(r'\{([^}]+)\}', r'(?P<\1>[^/?#]+)', path) + '$')


def fill(path: str, values: dict[str, str]) -> str | None:
    """The route with its parameters filled in from `values`, or None when one is unknown."""
    missing = [name for name in re.findall(r'\{([^}]+)\}', path) if name not in values]
    if missing:
        return None
    return re.sub(r'\{([^}]+)\}', lambda m: values[m.group(1)], path)


def links(client: Client) -> set[str]:
    """The site-internal targets of the links a page shows."""
    found = set()
    for element in list(client.elements.values()):
        href = element.props.get('href')
        if isinstance(href, str) and href.startswith('/') and not href.startswith('//'):
            found.add(href.split('?')[0].split('#')[0])
    return found


def interactive(client: Client) -> list[Element]:
    """Every form field and every element with an event handler on the page."""
    found = []
    for element in list(client.elements.values()):
        if isinstance(element, ValueElement) or element._event_listeners:
            markers = ' '.join(element._markers)
            if not SESSION_ENDING.search(markers):
                found.append(element)
    return found


def signature(element: Element) -> tuple:
    """Elements of the page frame repeat on every page: fuzz each once."""
    return (
        type(element).__name__,
        tuple(element._markers),
        tuple(sorted(listener.type for listener in element._event_listeners.values())),
        str(element.props.get('label', ''))[:40],
        str(element.props.get('href', ''))[:60],
    )


def fire(element: Element, client: Client, value: Any, other_cid: str, turn: int) -> None:
    """One hostile input: a value typed into a field, or an event with forged arguments."""
    from nicegui import events

    with client:
        if isinstance(element, ValueElement):
            try:
                element.value = value
            except (ValueError, TypeError, KeyError, IndexError):
                pass  # NiceGUI itself refuses what no browser can send (an option a select does not have)
        for listener in list(element._event_listeners.values()):
            if element.is_deleted:
                break
            if listener.type.startswith('update:'):
                continue  # the value path above is how a field changes
            args = event_args(value, other_cid)[turn % 4]
            events.handle_event(
                listener.handler, events.GenericEventArguments(sender=element, client=client, args=args)
            )


def scan_strings(value: Any, problems: list[str], where: str) -> None:
    if isinstance(value, str):
        if len(value) >= len(LONG):
            problems.append(f'{where}: a {len(value)}-character text')
        if re.search(r'[\x00-\x08\x0b\x0c\x0e-\x1f]', value):
            problems.append(f'{where}: control characters in {value[:40]!r}')
    elif isinstance(value, dict):
        for k, v in value.items():
            scan_strings(k, problems, where)
            scan_strings(v, problems, f'{where}.{k}')
    elif isinstance(value, list):
        for i, v in enumerate(value):
            scan_strings(v, problems, f'{where}[{i}]')


async def test_hostile_input_on_every_form_and_handler(user: User, caplog: pytest.LogCaptureFixture):
    started = time.monotonic()
    services = app.state.services
    owner, cid = await demo.seed(services, PASSWORD)
    stranger = await services.accounts.sign_up('Someone Else', 'else@example.be', PASSWORD)
    other = await services.communities.create(stranger.id, {'name': 'Not yours', 'purpose': 'Private.'})
    services.store.flush_all()
    other_file = services.store.communities_dir / f'{other.id}.json'
    other_before = other_file.read_bytes()
    # public pages need what only their link or code gives
    open_round = next(r for r in services.surveys.rounds(owner, cid) if r.is_open())
    actor = services.ittools.user_actor(services.accounts.get(owner), cid)
    comparison = services.ittools.comparisons(actor, cid)[0]
    meeting = await services.ittools.meetings.start_meeting(actor, cid, comparison.id)
    # the portfolio: the walker is also a knowledge-management officer of the demo organisation; a story's writer key
    await seed_portfolio(services, PASSWORD, owner, cid)
    officer = services.accounts.by_email(DEMO_OFFICER_EMAIL)
    org = services.organisations.of_officer(officer.id)[0]
    invitation, _ = await services.organisations.invite(officer.id, org.id, 'officer')
    await services.organisations.accept_officer(owner, invitation)
    story_link = await services.stories.open_link(owner, cid)
    key, _ = await services.stories.submit(cid, story_link, {'happened': 'We spraken af.', 'gave': 'Moed.'})
    needs = await services.surveys.create(owner, cid, title='Behoeften', instrument='needs_survey', open_now=True)
    known = {'cid': cid, 'token': open_round.token, 'code': meeting.code, 'org_id': org.id, 'key': key}
    known['round_id'] = needs.id  # the member survey's rounds are reached through their links

    await log_in(user, demo.DEMO_EMAIL, PASSWORD)
    routes = sorted(set(Client.page_routes.values()))
    patterns = {path: route_pattern(path) for path in routes}
    queue = [p for path in routes if (p := fill(path, known)) is not None]
    visited: list[str] = []
    matched: set[str] = set()
    seen: set[tuple] = set()
    values = hostile_values(other.id)
    turn = 0
    while len(visited) < MAX_PAGES:
        if not queue:  # pages no link leads to (a button navigates there): their parameters as seen elsewhere
            queue = [p for r in routes if r not in matched and (p := fill(r, known)) and p not in visited]
            if not queue:
                break
        path = queue.pop(0)
        if path in visited:
            continue
        visited.append(path)
        for route, pattern in patterns.items():
            if found := pattern.match(path):
                matched.add(route)
                known = {**found.groupdict(), **known}
        try:
            await user.open(path)
        except AssertionError:  # its object was deleted by an earlier handler: a 404 page, never a server error
            assert (await user.http_client.get(path)).status_code < 500, path
            continue
        client = user.client
        for target in sorted(links(client)):
            if any(p.match(target) for p in patterns.values()) and target not in visited and target not in queue:
                queue.append(target)
        fresh = [e for e in interactive(client) if signature(e) not in seen]
        for element in fresh[:PER_PAGE] + [e for e in fresh[PER_PAGE:] if isinstance(e, ValueElement)][:PER_PAGE]:
            seen.add(signature(element))
            fire(element, client, values[turn % len(values)], other.id, turn)
            turn += 1
        await asyncio.sleep(0.05)  # let the handlers' awaits (commits, notifications) run
    await asyncio.sleep(0.3)

    unreached = {r for r in routes if r not in matched and not r.startswith('/invite/')}
    assert not unreached, f'pages the walk never reached: {sorted(unreached)}'
    assert turn > 100, f'only {turn} inputs were tried'

    # forged and other communities' ids in the address: refused, never a server error
    for path in [r for r in routes if '{cid}' in r][:40]:
        for forged in (other.id, FORGED_ID, 'not-an-id'):
            address = fill(path, {**{n: FORGED_ID for n in re.findall(r'\{([^}]+)\}', path)}, 'cid': forged})
            response = await user.http_client.get(address)
            assert response.status_code < 500, address
            assert 'Not yours' not in response.text and 'Private.' not in response.text

    # the pages still live, and a normal edit still works
    await user.open('/login')
    if any('login-email' in e._markers for e in user.client.elements.values()):
        await log_in(user, demo.DEMO_EMAIL, PASSWORD)  # a handler may have ended the session on purpose
    for path in visited:
        assert (await user.http_client.get(path)).status_code < 500, path
    await user.open(f'/c/{cid}/settings')
    field = user.find(marker='field-sponsor').elements.pop()
    field.value = 'Na de storm'
    user.find(marker='save-community').click()
    await asyncio.sleep(0.5)
    assert services.communities.get(owner, cid)[0].sponsor == 'Na de storm'

    # nothing stored that should not be
    services.store.flush_all()
    assert other_file.read_bytes() == other_before
    problems: list[str] = []
    for file in [services.store.data_dir / 'accounts.json', *services.store.communities_dir.glob('*.json')]:
        data = json.loads(file.read_text())
        scan_strings(data, problems, file.stem)
    db = services.store.community(cid)
    for name in db.tinydb.tables():
        docs = [dict(d) for d in db.table(name).all()]
        if name == COMMUNITY_TABLE:
            COMMUNITY_FIELDS.load({k: v for k, v in docs[0].items() if k in COMMUNITY_FIELDS.fields})
        elif name != META_TABLE:
            spec = services.communities.tables.get(name)
            for doc in docs if spec is not None else ():  # a table no part registered never leaves nor comes in
                spec.record.load(doc)  # SchemaError if something malformed got in
    assert not problems, problems[:10]
    assert time.monotonic() - started < 60
    # no handler broke on what it was given (said here, with the list, rather than by the fixture at teardown)
    errors = [f'{r.getMessage()[:120]}' for r in caplog.get_records('call') if r.levelno >= logging.ERROR]
    caplog.clear()
    assert not errors, errors


async def test_a_forged_value_gets_a_message_in_the_users_language_and_nothing_is_stored(user: User):
    """What the walk only proves harmless, seen as a user would: a forged list in a text field and forged text in a
    number field are refused with the message of the field's language, and no session is recorded."""
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD, 'fr')
    cid = (await services.communities.create(owner.id, {'name': 'CoP'})).id
    await log_in(user, 'owner@example.be', PASSWORD)
    await user.open(f'/c/{cid}/facilitation')
    user.find(marker='session-name').elements.pop().value = ['a', 'list']
    user.find(marker='session-record').click()
    await user.should_see("Cette valeur n'est pas valable.", retries=20)
    user.find(marker='session-name').elements.pop().value = 'Intervisie'
    participants = user.find(marker='session-participants').elements.pop()
    participants.value = '<script>alert(1)</script>'
    participants.sanitize()  # what a blur does: the text stays for core to refuse
    user.find(marker='session-record').click()
    await user.should_see('Indiquez un nombre entier de 1 à 1000.', retries=20)
    assert services.facilitation.sessions(owner.id, cid) == []
