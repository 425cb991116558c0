"""Demo data for the portfolio (`--demo`): an organisation with seven communities at different stages and with
different sharing choices, a few value-creation stories, and a KM officer account. Idempotent."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from tinydb import Query

from . import clock
from .communities import COMMUNITY_TABLE
from .kompas import TABLE as KOMPAS_TABLE
from .services import Services

DEMO_OFFICER_EMAIL = 'km@cop-toolbox.example'
DEMO_OFFICER_NAME = 'Sofie Kennisbeheer'
DEMO_ORGANISATION = 'FOD Beleid en Ondersteuning'
ALL_PARTS = ['kompas', 'survey', 'plan', 'ittools', 'kickoff', 'stories']

# name, stage, purpose, shared parts, kompas level per round (None: no round), days since created, co-coordinator
COMMUNITIES: tuple[tuple[str, str, str, list[str], tuple[int, ...], int, bool], ...] = (
    ('CoP Overheidsopdrachten', 'maturing', 'Aankopers delen bestekken, valkuilen en goede praktijken.',
     ['kompas', 'survey', 'plan', 'stories'], (3, 4), 420, True),
    ('CoP Data en AI', 'coalescing', 'Datawerkers en juristen leren samen verantwoord met data en AI werken.',
     ['kompas', 'plan'], (4, 3), 150, False),
    ('CoP Welzijn op het werk', 'potential', 'Vertrouwenspersonen en preventieadviseurs steunen elkaar.',
     [], (), 30, False),
    ('CoP Juridische vertaling', 'stewardship', 'Vertalers en juristen houden samen de terminologie bij.',
     ['kompas', 'ittools', 'kickoff'], (4, 4), 900, True),
    ('CoP Thuiswerk en hybride vergaderen', 'transformation', 'Hoe we hybride vergaderen sinds de pandemie.',
     ['kompas', 'survey', 'plan', 'stories', 'ittools', 'kickoff'], (3,), 1200, False),
    ('CoP Toegankelijke formulieren', 'coalescing', 'Formulieren die iedereen kan invullen, ook met een schermlezer.',
     ['kompas', 'survey'], (2, 3), 200, True),
)  # fmt: skip

STORIES = (
    (
        {
            'happened': 'Op de bijeenkomst over korte zinnen legde ik een brief over een belastingaanslag voor.',
            'gave': 'Drie collega’s gaven me elk een andere aanpak, en een voorbeeldbrief die werkte.',
            'did': 'Ik herschreef onze standaardbrief met hun tips en testte hem met twee burgers.',
            'difference': 'Het aantal telefoontjes met vragen over die brief daalde merkbaar.',
            'success': 'We tellen nu ook hoe weinig vragen er terugkomen, niet alleen hoeveel brieven we versturen.',
        },
        'Mira Janssens',
    ),
    (
        {
            'happened': 'Un collègue francophone a partagé sa liste de formules à éviter.',
            'gave': 'Une liste concrète que je pouvais utiliser tout de suite.',
            'did': 'Je l’ai intégrée dans notre modèle de courrier.',
        },
        '',
    ),
)


async def seed_portfolio(services: Services, password: str, coordinator: str, main_cid: str) -> str:
    """The organisation, its officer and its communities; returns the officer's e-mail. `coordinator` and
    `main_cid`: the demo coordinator and community, attached too (sharing everything)."""
    accounts, orgs = services.accounts, services.organisations
    officer = accounts.by_email(DEMO_OFFICER_EMAIL)
    if officer is None:
        officer = await accounts.sign_up(DEMO_OFFICER_NAME, DEMO_OFFICER_EMAIL, password, 'nl')
    else:
        await accounts.set_password(officer.id, password)
    if any(o.name == DEMO_ORGANISATION for o in orgs.of_officer(officer.id)):
        return DEMO_OFFICER_EMAIL
    org = await orgs.create(officer.id, DEMO_ORGANISATION)
    await _stories(services, coordinator, main_cid)
    await _attach(services, officer.id, org.id, coordinator, main_cid, ALL_PARTS)
    # the other communities have coordinators of their own: the demo coordinator keeps one community (and can hand
    # it over and leave, as the privacy walk-through does)
    others = [
        await _account(services, 'Jan Mertens', 'jan.mertens@cop-toolbox.example'),
        await _account(services, 'Sofie Claes', 'sofie.claes@cop-toolbox.example'),
    ]
    for index, spec in enumerate(COMMUNITIES):
        owner = others[index % 2]
        cid = await _community(services, owner, spec, index)
        await _attach(services, officer.id, org.id, owner, cid, spec[3])
    return DEMO_OFFICER_EMAIL


async def _account(services: Services, name: str, email: str) -> str:
    """A coordinator of demo communities who never logs in (an unknown random password)."""
    user = services.accounts.by_email(email)
    if user is None:
        user = await services.accounts.sign_up(name, email, secrets.token_urlsafe(16), 'nl')
    return user.id


async def _attach(services: Services, officer: str, org_id: str, owner: str, cid: str, shared: list[str]) -> None:
    if services.organisations.link(cid) is not None:
        return
    token, _ = await services.organisations.invite(officer, org_id, 'attach')
    await services.organisations.accept_attach(owner, token, cid, shared)


async def _community(services: Services, owner: str, spec: tuple[Any, ...], index: int) -> str:
    name, stage, purpose, _, levels, age, co = spec
    community = await services.communities.create(owner, {'name': name, 'stage': stage, 'purpose': purpose})
    cid = community.id
    if co:
        co_user = await _account(services, f'Co Coördinator {index + 1}', f'co{index + 1}@cop-toolbox.example')
        token, _ = await services.communities.invite(owner, cid, 'co_coordinator')
        await services.communities.accept(co_user, token)
    await _kompas(services, owner, cid, levels, age)
    if index in (0, 1, 4):
        await _plan(services, owner, cid, overdue=index == 1)
    if index in (0, 4):
        survey = await services.surveys.create(owner, cid, title='Bevraging', threshold=5, open_now=True)
        if index == 0:
            await _answers(services, owner, cid, survey)
    if index == 0:
        await _stories(services, owner, cid, only_first=True)
    await _backdate(services, cid, age, quiet=index == 3)
    return cid


async def _kompas(services: Services, owner: str, cid: str, levels: tuple[int, ...], age: int) -> None:
    """Finished rounds with their answers written at once (one write per community, not one per answer)."""
    kompas = services.kompas
    today = clock.today()
    table = services.store.community(cid).table(KOMPAS_TABLE)
    for number, level in enumerate(levels):
        sheet = await kompas.start(owner, cid)
        answers = {
            item.id: max(1, min(5, level + (d % 3) - 1 - (1 if number and d == 6 and level < 4 else 0)))
            for d, dimension in enumerate(kompas.instrument.dimensions)
            for item in dimension.items
        }
        day = (today - timedelta(days=max(1, age // (number + 2)))).isoformat()
        table.update({'answers': answers, 'started': day, 'finished': day}, Query()['id'] == sheet.id)
    await services.store.community(cid).commit()


async def _plan(services: Services, owner: str, cid: str, *, overdue: bool) -> None:
    plan = services.plan
    today = clock.today()
    review = today - timedelta(days=20) if overdue else today + timedelta(days=45)
    await plan.save_plan(owner, cid, {'next_review': review.isoformat()})
    # every action carried by someone by a day (what makes a plan a plan, core/journey.py); one of them late
    soon, past, late = (today + timedelta(days=n) for n in (21, -35, -10))
    await plan.add(
        owner,
        cid,
        {
            'title': 'Drie sprekers vinden voor de volgende bijeenkomst',
            'status': 'doing',
            'owner': 'Mira Janssens',
            'due': soon.isoformat(),
        },
    )
    await plan.add(
        owner,
        cid,
        {
            'title': 'Een vaste plek voor de goede voorbeelden',
            'status': 'done',
            'owner': 'Karim Benali',
            'due': past.isoformat(),
        },
    )
    await plan.add(
        owner,
        cid,
        {'title': 'Sponsor uitnodigen op een bijeenkomst', 'owner': 'Mira Janssens', 'due': late.isoformat()},
    )


async def _answers(services: Services, owner: str, cid: str, survey: Any) -> None:
    surveys = services.surveys
    instrument = surveys.instrument_of(survey)
    codes = await surveys.make_codes(owner, cid, survey.id, 9)
    for n, code in enumerate(codes[:7]):
        answers = {item.id: 3 + (n % 3 == 0) for item in instrument.scored_items}
        await surveys.submit(cid, survey.token, surveys.ticket(cid, survey.token), answers, code=code)
    await surveys.set_status(owner, cid, survey.id, 'closed')


async def _stories(services: Services, owner: str, cid: str, only_first: bool = False) -> None:
    token = await services.stories.open_link(owner, cid)
    for number, (texts, author) in enumerate(STORIES[:1] if only_first else STORIES):
        _, story = await services.stories.submit(cid, token, texts, author)
        if number == 0:
            await services.stories.set_status(owner, cid, story.id, 'published')


async def _backdate(services: Services, cid: str, age: int, quiet: bool) -> None:
    """Demo history: the community made `age` days ago; a quiet one without any activity for over 90 days."""
    db = services.store.community(cid)
    created = (clock.now() - timedelta(days=age)).isoformat(timespec='seconds')
    change: dict[str, str] = {'created': created}
    if quiet:
        change['updated'] = created
        old = (clock.today() - timedelta(days=120)).isoformat()
        db.table(KOMPAS_TABLE).update({'started': old, 'finished': old})
    db.table(COMMUNITY_TABLE).update(change, doc_ids=[1])
    await db.commit()
