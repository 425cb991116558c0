"""The composition of core: one object holding every service, built once by main.py."""

from __future__ import annotations

from dataclasses import dataclass

from . import session_secret
from .accounts import Accounts
from .changes import Changes
from .communities import Communities
from .config import Settings
from .content import Content
from .content_cache import load_content_cached
from .exportlog import ExportLog
from .facilitation import Facilitation
from .guide import GuideAnswers
from .inventory import Limits, Operator
from .invitations import InvitationMail
from .ittools import ITTools
from .journey import Journey
from .kickoff import Kickoff
from .kickoff_invite import KickoffInvitations
from .kompas import Kompas
from .links import Links
from .mail import OUTBOX_DAYS, Mailer, parse_smtp_url
from .needs import Needs
from .oidc import LinkMail, OidcConfig, OrganisationSignIn
from .organisations import Organisations
from .plan import ActionPlan
from .portfolio import Portfolio
from .privacy import Privacy, ittools_forgetter
from .profile import Profiles
from .registration import Registration
from .retention import Retention
from .sessions import Sessions
from .store import BackupPolicy, Store
from .stories import Stories
from .suggestions import Suggestions
from .survey import Surveys
from .survey_invites import SurveyInvitations


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
    facilitation: Facilitation
    kickoff: Kickoff
    ittools: ITTools
    guide: GuideAnswers
    plan: ActionPlan
    journey: Journey
    needs: Needs  # the needs survey's released results, for the kick-off, the IT tools and the plan
    privacy: Privacy
    exportlog: ExportLog
    mailer: Mailer
    retention: Retention
    sessions: Sessions
    oidc: OrganisationSignIn
    changes: Changes  # what changed in a community, for the pages that show it (published after each commit)
    links: Links
    registration: Registration
    invitation_mail: InvitationMail
    organisations: Organisations
    stories: Stories
    portfolio: Portfolio
    survey_invitations: SurveyInvitations
    kickoff_invitations: KickoffInvitations

    def close(self) -> None:
        self.mailer.close()
        self.store.flush_all()


def build_services(settings: Settings, content: Content | None = None) -> Services:
    content = content or load_content_cached(settings.data_dir)  # validated once, then kept (core/content_cache.py)
    store = Store(settings.data_dir, BackupPolicy(keep=settings.backup_keep, min_interval=settings.backup_interval))
    accounts = Accounts(store.accounts)
    accounts.password_login = not settings.no_local_login
    changes = Changes()
    communities = Communities(store, accounts, changes)
    instruments = content.instruments
    receipt_secret = session_secret.load_or_create(settings.data_dir, 'receipt-secret')
    surveys = Surveys(communities, instruments, receipt_secret)
    profiles = Profiles(communities, accounts, instruments)
    kompas = Kompas(communities, instruments)
    kickoff = Kickoff(store, communities, content.kickoff)
    ittools = ITTools(store, communities, accounts, content.ittools)
    plan = ActionPlan(communities)
    privacy = Privacy(
        communities,
        accounts,
        content.ui,
        inventory=content.privacy,
        operator=Operator(settings.privacy_controller, settings.privacy_contact),
        limits=Limits(
            settings.retain_answers_months, settings.retain_accounts_months, OUTBOX_DAYS, settings.backup_keep
        ),
        forget=[ittools_forgetter(ittools)],
    )
    mailer = Mailer(
        settings.data_dir / 'outbox',
        sender=settings.mail_from,
        relay=parse_smtp_url(settings.smtp_url) if settings.smtp_url else None,
    )
    links = Links(store.accounts)
    organisations = Organisations(communities, accounts)
    stories = Stories(communities)
    survey_invitations = SurveyInvitations(communities, surveys, mailer, content.ui)
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
        facilitation=Facilitation(communities, instruments, surveys),
        kickoff=kickoff,
        ittools=ittools,
        guide=GuideAnswers(communities, content.guide),
        plan=plan,
        journey=Journey(communities, profiles, kompas, surveys, ittools, kickoff, plan),
        needs=Needs(surveys),
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
            daily=[survey_invitations.sweep],
        ),
        sessions=Sessions(store.accounts, accounts),
        oidc=OrganisationSignIn(
            OidcConfig(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret, settings.oidc_name),
            accounts,
            store.accounts,
            mail=LinkMail(links, mailer, content.ui),
        ),
        changes=changes,
        links=links,
        registration=Registration(accounts, links, mailer, content.ui),
        invitation_mail=InvitationMail(communities, accounts, mailer, content.ui),
        organisations=organisations,
        stories=stories,
        portfolio=Portfolio(
            organisations,
            communities,
            kompas=kompas,
            surveys=surveys,
            plan=plan,
            ittools=ittools,
            kickoff=kickoff,
            stories=stories,
        ),
        survey_invitations=survey_invitations,
        kickoff_invitations=KickoffInvitations(kickoff, communities, accounts, mailer, content.ui),
    )
