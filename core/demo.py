"""Demo data: one complete account and community, so a newcomer can explore every screen (`--demo`)."""

from __future__ import annotations

import logging
import random
import secrets
from datetime import date, timedelta

from tinydb import Query

from . import clock
from .ittools.demo import seed as seed_ittools
from .kompas import TABLE as KOMPAS_TABLE
from .needs import INSTRUMENT as NEEDS_INSTRUMENT
from .portfolio_demo import seed_portfolio
from .services import Services

log = logging.getLogger(__name__)

DEMO_EMAIL = 'demo@cop-toolbox.example'
DEMO_NAME = 'An Demo'
DEMO_COACH_EMAIL = 'coach@cop-toolbox.example'
DEMO_COMMUNITY = {
    'name': 'CoP Klantgericht schrijven',
    'purpose': 'Samen leren hoe we brieven en e-mails aan burgers helder en vriendelijk schrijven.',
    'stage': 'coalescing',
    'sponsor': 'Directeur Communicatie, FOD Beleid en Ondersteuning',
    'expected_members': 24,
    'language': 'nl',
}


async def seed(services: Services, password: str) -> tuple[str, str]:
    """Create (or refresh) the demo account and community; returns (user id, community id). Idempotent."""
    accounts, communities = services.accounts, services.communities
    user = accounts.by_email(DEMO_EMAIL)
    if user is None:
        user = await accounts.sign_up(DEMO_NAME, DEMO_EMAIL, password, 'nl')
    else:
        await accounts.set_password(user.id, password)
    coach = accounts.by_email(DEMO_COACH_EMAIL)
    if coach is None:
        coach = await accounts.sign_up('Kim Coach', DEMO_COACH_EMAIL, password, 'fr')
    else:
        await accounts.set_password(coach.id, password)
    existing = [m for m in communities.memberships(user.id) if m.name == DEMO_COMMUNITY['name']]
    if existing:
        return user.id, existing[0].community_id
    community = await communities.create(user.id, DEMO_COMMUNITY)
    token, _ = await communities.invite(user.id, community.id, 'coach')
    await communities.accept(coach.id, token)
    await seed_parts(services, user.id, community.id)
    return user.id, community.id


async def seed_parts(services: Services, owner: str, cid: str) -> None:
    """Every part of the toolbox fills in its demo data, once, for a new demo community."""
    await _seed_kompas(services, owner, cid)
    await _seed_profile(services, owner, cid)
    await _seed_survey(services, owner, cid)
    await _seed_needs(services, owner, cid)
    await _seed_facilitation(services, owner, cid)
    await _seed_kickoff(services, owner, cid)
    await seed_ittools(services.ittools, owner, cid)
    await _seed_plan(services, owner, cid)


# answers per kompas dimension, in the order of its statements, first round (half a year ago) and second round (last
# month); a dimension's list has one value per statement of the current kompas (a test checks the lengths)
KOMPAS_DEMO = {
    'domain': ([3, 3, 2, 3, 2, 2], [4, 4, 3, 4, 3, 3]),
    'community': ([2, 3, 2, 2, 2, 1], [3, 4, 3, 3, 3, 2]),
    'practice': ([2, 1, 2, 'na'], [2, 2, 3, 2]),
    'coordination': ([3, 3, 2, 3], [4, 4, 3, 4]),
    'rhythm': ([2, 2, 2, 1, 2], [3, 3, 3, 2, 3]),
    'anchoring': ([1, 2, 2, 1, 2, 1], [2, 3, 2, 2, 3, 2]),
    'value': ([1, 1, 2, 1, 1, 1], [2, 2, 3, 2, 2, 2]),
    'digital': ([3, 2, 3, 3, 3], [3, 3, 3, 4, 3]),
}


async def _seed_kompas(services: Services, owner: str, cid: str) -> None:
    kompas = services.kompas
    today = clock.today()
    for round_index, (started, finished) in enumerate(
        (
            (today - timedelta(days=190), today - timedelta(days=183)),
            (today - timedelta(days=32), today - timedelta(days=30)),
        )
    ):
        sheet = await kompas.start(owner, cid)
        for dimension in kompas.instrument.dimensions:
            values = KOMPAS_DEMO.get(dimension.id, ([3] * 6, [3] * 6))[round_index]
            for item, value in zip(dimension.items, values, strict=False):
                await kompas.answer(owner, cid, sheet.id, item.id, value)
        await kompas.finish(owner, cid, sheet.id)
        table = services.store.community(cid).table(KOMPAS_TABLE)  # demo history: dates months apart
        table.update({'started': started.isoformat(), 'finished': finished.isoformat()}, Query()['id'] == sheet.id)
        await services.store.community(cid).commit()


# one answer per statement of the current profile, in order ('na': "not applicable (not yet)")
PROFILE_DEMO = [4, 3, 3, 4, 2, 2, 3, 2, 1, 3, 4, 3, 2, 2, 3, 3, 3, 2, 4, 4, 3, 2, 2, 1, 'na', 3, 3, 4, 2, 3, 3]


async def _seed_profile(services: Services, owner: str, cid: str) -> None:
    profiles = services.profiles
    sheet = await profiles.start(owner)
    for item, value in zip(profiles.instrument.scored_items, PROFILE_DEMO, strict=False):
        await profiles.answer(owner, sheet.id, item.id, value)
    await profiles.finish(owner, sheet.id)
    await profiles.share(owner, sheet.id, cid, True)


async def seed_and_announce(services: Services) -> None:
    password = services.settings.demo_password or secrets.token_urlsafe(9)
    user_id, cid = await seed(services, password)
    officer = await seed_portfolio(services, password, user_id, cid)
    print(
        f'\nDemo data ready. Log in at http://{services.settings.host}:{services.settings.port}/login with\n'
        f'  coordinator: {DEMO_EMAIL}\n  coach:       {DEMO_COACH_EMAIL}\n  KM officer:  {officer}\n'
        f'  password:    {password}\n',
        flush=True,
    )


SURVEY_TEXTS = {
    'open_most_valuable': [
        "De voorbeeldbrieven van collega's die ik meteen kon hergebruiken.",
        'Weten wie ik kan bellen als ik vastzit met een moeilijke brief.',
        'Les échanges avec les collègues francophones sur les mêmes difficultés.',
        'De korte schrijfoefeningen tijdens de bijeenkomsten.',
    ],
    'open_one_improvement': [
        'Meer tijd voor echte cases en minder presentaties.',
        'Een vaste plek waar de goede voorbeelden te vinden zijn.',
        'Les réunions à des heures plus compatibles avec le télétravail.',
    ],
}


async def _seed_survey(services: Services, owner: str, cid: str) -> None:
    """A closed round answered on personal links, with enough answers to show every result, and an open-link round
    still below its threshold."""
    surveys = services.surveys
    rng = random.Random(2026)
    closed = await surveys.create(owner, cid, title='Voorjaar 2026', threshold=5, open_now=True)
    instrument = surveys.instrument_of(closed)
    codes = await surveys.make_codes(owner, cid, closed.id, 18)  # 18 members got a personal link, 15 answered
    for code in codes[:15]:
        answers = {}
        for item in instrument.items:
            if item.type == 'scale':
                base = 2 if item.cycle in ('realised', 'reframing') or item.mirrors == 'anchoring' else 4
                answers[item.id] = rng.choice([base - 1, base, base, base + 1]) if rng.random() > 0.08 else 'na'
            elif item.type == 'choice':
                answers[item.id] = rng.choice(item.options[:4]).id
            elif item.type == 'multi':
                chosen = [o.id for o in item.options if rng.random() < 0.45][: item.max_choices]
                answers[item.id] = chosen or [item.options[0].id]
            else:
                texts = next((v for k, v in SURVEY_TEXTS.items() if k in item.id), [])
                if texts and rng.random() < 0.6:
                    answers[item.id] = rng.choice(texts)
        await surveys.submit(
            cid,
            closed.token,
            surveys.ticket(cid, closed.token),
            {k: max(1, min(5, v)) if isinstance(v, int) else v for k, v in answers.items()},
            code=code,
        )
    await surveys.set_status(owner, cid, closed.id, 'closed')
    # the current round runs on an open link (a QR code shown at a meeting): its count is not verified, and its
    # results wait for the closing and 8 answers
    current = await surveys.create(owner, cid, title='Najaar 2026', threshold=8, open_now=True, mode='open')
    for _ in range(2):
        await surveys.submit(
            cid, current.token, surveys.ticket(cid, current.token), {item.id: 4 for item in instrument.scored_items}
        )


# the needs survey before the kick-off: per question, how likely each option is chosen (a multi) or its weight (a
# choice); options not named are chosen now and then. Writers of letters to citizens: they want cases and examples,
# meet monthly around noon or in the morning, and already work in Teams and SharePoint.
NEEDS_DEMO: dict[str, dict[str, float]] = {
    'hope_to_get': {'answers': 0.7, 'experience': 0.6, 'contacts': 0.5, 'up_to_date': 0.3, 'shared_products': 0.35},
    'can_share': {'cases': 0.65, 'documents': 0.45, 'listen_first': 0.3, 'expertise': 0.2},
    'topic_kinds': {'daily_cases': 0.8, 'good_practice': 0.6, 'methods_tools': 0.35, 'rules': 0.25, 'skills': 0.3},
    'time_per_month': {'one_to_two_hours': 8, 'under_one_hour': 3, 'half_day': 1},
    'formats': {'workshops': 0.6, 'onsite': 0.5, 'online': 0.45, 'lunch_talks': 0.4, 'written': 0.2},
    'moments': {'morning': 0.55, 'lunch': 0.5, 'afternoon': 0.3, 'end_of_day': 0.05},
    'rhythm': {'monthly': 8, 'every_two_months': 3, 'quarterly': 1},
    'tools_used': {'teams': 0.95, 'sharepoint': 0.7, 'webex': 0.3, 'whiteboard': 0.2, 'wooclap': 0.15},
}
NEEDS_TEXTS = (
    'Hoe schrijf je een weigering zonder dat de burger zich afgewezen voelt?',
    'Mag een brief "je" zeggen tegen de burger, en wie beslist dat bij ons?',
    'Comment simplifier une lettre quand le texte de loi impose certaines formules ?',
    'Welke zinnen uit onze standaardbrieven begrijpt niemand?',
    'Hoe pak ik het aan als mijn diensthoofd liever de oude formuleringen houdt?',
)


async def _seed_needs(services: Services, owner: str, cid: str) -> None:
    """A closed needs-survey round of prospective members before the kick-off: 15 of 20 personal links answered,
    three times the threshold (results are released in steps of it), so the kick-off's "needs and expectations"
    block shows them."""
    surveys = services.surveys
    rng = random.Random(2025)
    needs = await surveys.create(
        owner, cid, title='Voor de kick-off', threshold=5, instrument=NEEDS_INSTRUMENT, open_now=True
    )
    instrument = surveys.instrument_of(needs)
    codes = await surveys.make_codes(owner, cid, needs.id, 20)
    for n, code in enumerate(codes[:15]):
        answers: dict[str, object] = {}
        for item in instrument.items:
            odds = NEEDS_DEMO.get(item.id, {})
            if item.type == 'multi':
                chosen = [o.id for o in item.options if rng.random() < odds.get(o.id, 0.08)]
                chosen = sorted(chosen, key=lambda option: -odds.get(option, 0))[: item.max_choices]  # the likeliest
                answers[item.id] = chosen or [max(item.options, key=lambda o: odds.get(o.id, 0)).id]
            elif item.type == 'choice':
                weights = [odds.get(o.id, 0.5) for o in item.options]
                answers[item.id] = rng.choices([o.id for o in item.options], weights)[0]
            elif item.type == 'scale':
                answers[item.id] = rng.choice([2, 3, 4, 4, 5, 'na'])
            elif n % 3 == 0:  # an open question, answered by some
                answers[item.id] = NEEDS_TEXTS[n // 3 % len(NEEDS_TEXTS)]
        await surveys.submit(cid, needs.token, surveys.ticket(cid, needs.token), answers, code=code)
    await surveys.set_status(owner, cid, needs.id, 'closed')


ANIMATION_DEMO = (
    (
        'Intervisie: moeilijke brieven',
        62,
        "Intervisie in trio's",
        11,
        [2, 3, 2, 2, 3, 2, 1, 2, 2, 2, 1, 2, 2, 2, 1, 2, 2, 3, 3],
        [3, 2, 4],
    ),
    (
        'Schrijfatelier: korte zinnen',
        19,
        '1-2-4-iedereen',
        14,
        [3, 3, 3, 3, 3, 3, 2, 3, 2, 3, 3, 3, 3, 3, 2, 3, 3, 3, 3],
        [4, 5, 4, 4, 5, 4],
    ),
)
ANIMATION_AAR = (
    'We wilden drie echte brieven herschrijven.',
    'We raakten maar aan twee brieven toe.',
    'De eerste bespreking liep uit omdat één deelnemer veel aan het woord was.',
    'Een timer zetten en vooraf spreekregels afspreken.',
)


async def _seed_facilitation(services: Services, owner: str, cid: str) -> None:
    """Two facilitated sessions, each with a checklist and participants' feedback."""
    facilitation, surveys = services.facilitation, services.surveys
    today = clock.today()
    for name, days_ago, method, participants, values, roti in ANIMATION_DEMO:
        session = await facilitation.record(
            owner,
            cid,
            name=name,
            day=(today - timedelta(days=days_ago)).isoformat(),
            method=method,
            participants=participants,
        )
        items = facilitation.instrument.items
        for item, value in zip([i for i in items if i.type == 'scale'], values, strict=False):
            await facilitation.answer(owner, cid, session.id, item.id, value)
        for item, text in zip([i for i in items if i.type == 'text'], ANIMATION_AAR, strict=False):
            await facilitation.answer(owner, cid, session.id, item.id, text)
        await facilitation.finish(owner, cid, session.id)
        feedback = await facilitation.open_feedback(owner, cid, session.id)
        instrument = surveys.instrument_of(feedback)
        scale_item = next(i for i in instrument.items if i.type == 'scale')
        texts = [i for i in instrument.items if i.type == 'text']
        codes = await surveys.make_codes(owner, cid, feedback.id, participants)
        for n, (value, code) in enumerate(zip(roti, codes, strict=False)):
            answers = {scale_item.id: value}
            if texts and n % 2 == 0:
                answers[texts[0].id] = (
                    "De concrete voorbeelden van collega's.",
                    'Samen één brief herschrijven.',
                    'Les conseils pratiques.',
                )[n // 2 % 3]
            await surveys.submit(cid, feedback.token, surveys.ticket(cid, feedback.token), answers, code=code)


GUIDE_DEMO = {
    'prepare_why': 'Burgers begrijpen onze brieven vaak niet. Wie brieven schrijft, zit verspreid over vijf diensten '
    'en vindt elk voor zich het warm water uit.',
    'prepare_sponsor': 'De directeur Communicatie steunt ons: twee uur per maand voor de kerngroep is afgesproken.',
    'launch_charter': 'We schrijven het charter samen tijdens de kick-off en leggen het na een maand opnieuw voor.',
    'launch_digital_space': 'Teams, omdat iedereen het al gebruikt; de goede voorbeelden komen in één gedeelde map.',
}
OWN_ACTIONS = (
    {
        'title': 'Startbijeenkomst houden',
        'owner': 'An Demo',
        'horizon': '30',
        'days': 0,  # due that many days from today; 0: on the kick-off day
        'status': 'doing',
        'indicator': "Minstens 15 collega's uit vier diensten aanwezig",
    },
    {
        'title': 'Bibliotheek met goede voorbeeldbrieven openen',
        'owner': 'Jonas',
        'horizon': '60',
        'days': 55,
        'indicator': '20 voorbeeldbrieven, elk met een korte toelichting',
    },
    {
        'title': 'Leidinggevenden informeren over de tijd die leden besteden',
        'owner': 'An Demo',
        'horizon': '90',
        'days': 85,
        'status': 'planned',
        'indicator': 'Elke leidinggevende kreeg de nota en kan ze toelichten',
    },
)


async def _seed_plan(services: Services, owner: str, cid: str) -> None:
    """The journey's last steps: guide answers, the plan's fields, ideas taken over and own actions."""
    for question, text in GUIDE_DEMO.items():
        if services.content.guide.question(question) is not None:
            await services.guide.save(owner, cid, question, text)
    kompas = services.kompas.latest_result(owner, cid)
    if kompas is not None:
        for dimension in kompas.result.priorities[:2]:
            score = kompas.result.dimension(dimension)
            if score is not None and score.band is not None and score.band.actions:
                await services.suggestions.send(
                    owner, cid, 'kompas', kompas.round.id, dimension, dict(score.band.actions[0])
                )
    inbox = services.plan.inbox(owner, cid)
    today = clock.today()
    for suggestion in inbox[:1]:
        due = (today + timedelta(days=50)).isoformat()
        await services.plan.accept(owner, cid, suggestion.id, 'nl', {'owner': 'Sara', 'horizon': '60', 'due': due})
    for action in OWN_ACTIONS:  # each carried by someone by a day: what makes the list a plan
        fields = {k: v for k, v in action.items() if k != 'days'}
        days = int(action['days'])
        fields['due'] = (today + timedelta(days=days) if days else kickoff_day()).isoformat()
        await services.plan.add(owner, cid, fields)
    decision = services.ittools.latest_decision(cid)
    await services.plan.save_plan(
        owner,
        cid,
        {
            'purpose': DEMO_COMMUNITY['purpose'],
            'core_group': 'An Demo (coördinatie), Jonas (voorbeeldbibliotheek), Sara (begeleiding van de sessies)',
            'rhythm': 'Elke maand een bijeenkomst van twee uur, afwisselend ter plaatse en online.',
            'digital_space': decision['tool_name']['nl'] if decision else 'Microsoft Teams',
            'next_review': (clock.today() + timedelta(days=150)).isoformat(),
        },
    )


def kickoff_day() -> date:
    """The demo kick-off: the first Tuesday from 24 days on, outside the Christmas holidays (the plan's first action
    is due that day)."""
    day = (clock.now() + timedelta(days=24)).date()
    if (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 6):
        day = date(day.year + (day.month == 12), 1, 7)
    return day + timedelta(days=(1 - day.weekday()) % 7)


async def _seed_kickoff(services: Services, owner: str, cid: str) -> None:
    """A ready kick-off for the demo community (Dutch, 90 minutes), once: nothing if it has scenarios."""
    kickoff = services.kickoff
    if kickoff.scenarios(owner, cid):
        return
    scenario = await kickoff.create(
        owner, cid, title='Kick-off CoP Klantgericht schrijven', lang='nl', template_id='kickoff_90'
    )
    day = kickoff_day()
    await kickoff.update(
        owner, cid, scenario.id, {'date': day.isoformat(), 'location': 'WTC III, zaal Kreta (8ste verdieping)'}
    )
    for role, name in (
        ('facilitator', 'An Demo'),
        ('sponsor', 'Directeur Communicatie'),
        ('note_taker', 'Pieter Claes'),
        ('timekeeper', 'Sara El Idrissi'),
    ):
        await kickoff.set_person(owner, cid, scenario.id, role, name)
    for item in scenario.preparation[:3]:
        await kickoff.set_check(owner, cid, scenario.id, 'preparation', item.id, True)
