"""The composition of core: one object holding every service, built once by main.py."""

from __future__ import annotations

from dataclasses import dataclass

from . import session_secret
from .accounts import Accounts
from .actionplan import ActionPlan
from .animation import Animation
from .communities import Communities
from .config import Settings
from .content import Content, load_content
from .exportlog import ExportLog
from .guide import GuideAnswers
from .inventory import Limits, Operator, load_inventory
from .ittools import ITTools
from .kickoff import Kickoff
from .kompas import Kompas
from .mail import OUTBOX_DAYS, Mailer
from .privacy import Privacy, ittools_forgetter
from .profile import Profiles
from .retention import Retention
from .sessions import Sessions
from .store import BackupPolicy, Store
from .suggestions import Suggestions
from .survey import Surveys
from .wizard import Wizard


@dataclass
class Services:
    settings: Settings
    content: Content
    store: Store
    accounts: Accounts
    communities: Communities
    suggestions: Suggestions
    kompas: Kompas
    profiles: Profiles
    surveys: Surveys
    animation: Animation
    kickoff: Kickoff
    ittools: ITTools
    guide: GuideAnswers
    actionplan: ActionPlan
    wizard: Wizard
    privacy: Privacy
    exportlog: ExportLog
    mailer: Mailer
    retention: Retention
    sessions: Sessions

    def close(self) -> None:
        self.store.flush_all()


def build_services(settings: Settings, content: Content | None = None) -> Services:
    content = content or load_content()
    store = Store(settings.data_dir, BackupPolicy(keep=settings.backup_keep, min_interval=settings.backup_interval))
    accounts = Accounts(store.accounts)
    communities = Communities(store, accounts)
    instruments = content.instruments
    receipt_secret = session_secret.load_or_create(settings.data_dir, 'receipt-secret')
    surveys = Surveys(communities, instruments, receipt_secret)
    profiles = Profiles(communities, accounts, instruments)
    kompas = Kompas(communities, instruments)
    kickoff = Kickoff(store, communities, content.kickoff)
    ittools = ITTools(store, communities, accounts, content.ittools)
    actionplan = ActionPlan(communities)
    privacy = Privacy(
        communities,
        accounts,
        content.ui,
        inventory=load_inventory(),
        operator=Operator(settings.privacy_controller, settings.privacy_contact),
        limits=Limits(
            settings.retain_answers_months, settings.retain_accounts_months, OUTBOX_DAYS, settings.backup_keep
        ),
        forget=[ittools_forgetter(ittools)],
    )
    mailer = Mailer(settings.data_dir / 'outbox')
    return Services(
        settings=settings,
        content=content,
        store=store,
        accounts=accounts,
        communities=communities,
        suggestions=Suggestions(communities),
        kompas=kompas,
        profiles=profiles,
        surveys=surveys,
        animation=Animation(communities, instruments, surveys),
        kickoff=kickoff,
        ittools=ittools,
        guide=GuideAnswers(communities, content.guide),
        actionplan=actionplan,
        wizard=Wizard(communities, profiles, kompas, surveys, ittools, kickoff, actionplan),
        privacy=privacy,
        exportlog=ExportLog(communities),
        mailer=mailer,
        retention=Retention(
            communities,
            accounts,
            privacy,
            mailer,
            content.ui,
            answers_months=settings.retain_answers_months,
            accounts_months=settings.retain_accounts_months,
        ),
        sessions=Sessions(store.accounts, accounts),
    )
