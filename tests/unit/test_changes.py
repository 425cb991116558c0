"""The change hub: services publish a community's changes after a commit, pages listen to the communities they show."""

from __future__ import annotations

import logging

from core.changes import Changed, Changes
from core.config import Settings
from core.services import build_services


def test_listeners_hear_their_community_and_topics_only():
    changes = Changes()
    heard: list[Changed] = []
    plans: list[Changed] = []
    changes.subscribe('a', heard.append)
    changes.subscribe('a', plans.append, frozenset({'plan'}))
    changes.publish('a', 'plan', 'u1')
    changes.publish('a', 'survey')
    changes.publish('b', 'plan')
    assert heard == [Changed('a', 'plan', 'u1'), Changed('a', 'survey')]
    assert plans == [Changed('a', 'plan', 'u1')]


def test_unsubscribing_stops_the_calls_and_forgets_the_community():
    changes = Changes()
    heard: list[Changed] = []
    leave = changes.subscribe('a', heard.append)
    assert changes.listeners('a') == 1
    leave()
    leave()  # twice is harmless (a page that closes after its connection dropped)
    changes.publish('a', 'plan')
    assert heard == []
    assert changes.listeners('a') == 0


def test_a_failing_listener_does_not_stop_the_others(caplog):
    changes = Changes()
    heard: list[Changed] = []

    def broken(change: Changed) -> None:
        raise RuntimeError('a page that is gone')

    changes.subscribe('a', broken)
    changes.subscribe('a', heard.append)
    with caplog.at_level(logging.WARNING):
        changes.publish('a', 'survey')
    assert heard == [Changed('a', 'survey')]
    assert 'a listener of community a failed on survey' in caplog.text


async def test_the_services_publish_after_their_commit(tmp_path):
    services = build_services(Settings(data_dir=tmp_path))
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', 'a long enough passphrase')
    community = await services.communities.create(owner.id, {'name': 'CoP'})
    heard: list[Changed] = []
    services.changes.subscribe(community.id, heard.append)
    await services.plan.add(owner.id, community.id, {'title': 'Kerngroep'})
    survey_round = await services.surveys.create(owner.id, community.id, title='Ronde')
    await services.surveys.set_status(owner.id, community.id, survey_round.id, 'open')
    assert [(c.topic, c.actor) for c in heard] == [('plan', owner.id), ('survey', owner.id), ('survey', owner.id)]
