"""Shared fixtures: every test gets its own data folder, so nothing leaks from one test to the next."""

from __future__ import annotations

import os

import pytest


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: one worker more than the machine has cores. The end-to-end tests spend much of their time waiting
    for Chromium and the server, so a third worker on two cores keeps both busy (7 min 20 s -> 6 min 20 s)."""
    return (os.cpu_count() or 1) + 1


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """A fresh data folder; main.py (run anew by NiceGUI's `user` fixture for every test) builds its store there."""
    folder = tmp_path / 'data'
    monkeypatch.setenv('COP_DATA_DIR', str(folder))
    monkeypatch.setenv('COP_BACKUP_INTERVAL', '0')
    monkeypatch.delenv('COP_DEMO', raising=False)
    return folder


# The longest end-to-end scenarios, longest first (seconds measured on 2 busy cores, 2026-12-03). pytest-xdist hands
# out the tests in collection order and keeps two queued per worker; when a 50-second scenario came last, one worker
# ran it while the other had nothing left to do. Longest first, the last tests handed out are short ones.
LONG_FIRST = (  # seconds measured with three workers on two cores
    'test_journey_e2e.py::test_a_new_coordinator_walks_the_whole_journey',  # 68 s
    'test_shell_e2e.py::test_no_serious_accessibility_violation_on_any_page',  # 62 s
    'test_survey_e2e.py::test_seven_personal_links',  # 49 s
    'test_security_e2e.py::test_no_page_breaks_the_content_security_policy',  # 46 s
    'test_needs_e2e.py::',  # 43 s
    'test_keyboard_e2e.py::test_the_whole_kompas_by_keyboard',  # 43 s
    'test_ops_e2e.py::',  # 43 and 34 s
    'test_kompas_e2e.py::test_complete_the_kompas',  # 21 s alone (was 62 s, all by keyboard)
    'test_shell_e2e.py::test_german_from_the_browser',  # 37 s
    'test_ittools_e2e.py::',  # 37 and 30 s
    'test_privacy_e2e.py::test_hand_over_then_delete',  # 33 s
    'test_shell_e2e.py::test_kill_9',  # 33 s
    'test_portfolio_e2e.py::',  # 24 and 13 s
)


def _order(item) -> tuple[bool, int]:
    """End-to-end tests last; among them the long scenarios first, in the order of LONG_FIRST."""
    node = item.nodeid
    rank = next((i for i, name in enumerate(LONG_FIRST) if name in node), len(LONG_FIRST))
    return '/e2e/' in str(item.fspath), rank


def pytest_collection_modifyitems(config, items):
    """End-to-end tests last: their sync Playwright keeps an event loop running until the session ends, which
    would stop the asyncio tests that come after them. pytest-xdist (`-n auto`) hands each worker its tests in this
    order, so on every worker the end-to-end tests come last too. The sort is stable: the rest keep their order."""
    items.sort(key=_order)


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free port; `.received` holds the parsed mails, `.mode` makes it fail."""
    from tests.mailserver import MailServer

    server = MailServer().start()
    yield server
    server.stop()
