"""The composition of core: one object holding every service, built once by main.py."""
from __future__ import annotations

from dataclasses import dataclass

from .accounts import Accounts
from .communities import Communities
from .config import Settings
from .content import Content, load_content
from .store import BackupPolicy, Store


@dataclass
class Services:
    settings: Settings
    content: Content
    store: Store
    accounts: Accounts
    communities: Communities

    def close(self) -> None:
        self.store.flush_all()


def build_services(settings: Settings, content: Content | None = None) -> Services:
    content = content or load_content()
    store = Store(settings.data_dir, BackupPolicy(keep=settings.backup_keep, min_interval=settings.backup_interval))
    accounts = Accounts(store.accounts)
    return Services(settings=settings, content=content, store=store, accounts=accounts,
                    communities=Communities(store, accounts))
