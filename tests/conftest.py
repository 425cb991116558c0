"""Shared fixtures: every test gets its own data folder, so nothing leaks from one test to the next."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """A fresh data folder; main.py (run anew by NiceGUI's `user` fixture for every test) builds its store there."""
    folder = tmp_path / 'data'
    monkeypatch.setenv('COP_DATA_DIR', str(folder))
    monkeypatch.setenv('COP_BACKUP_INTERVAL', '0')
    monkeypatch.delenv('COP_DEMO', raising=False)
    return folder


def pytest_collection_modifyitems(config, items):
    """End-to-end tests last: their sync Playwright keeps an event loop running until the session ends, which
    would stop the asyncio tests that come after them. pytest-xdist (`-n auto`) hands each worker its tests in this
    order, so on every worker the end-to-end tests come last too."""
    items.sort(key=lambda item: '/e2e/' in str(item.fspath))


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free port; `.received` holds the parsed mails, `.mode` makes it fail."""
    from tests.mailserver import MailServer

    server = MailServer().start()
    yield server
    server.stop()
