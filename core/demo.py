"""Demo data: one complete account and community, so a newcomer can explore every screen (`--demo`)."""
from __future__ import annotations

import logging
import secrets

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
    return user.id, community.id


async def seed_and_announce(services: Services) -> None:
    password = services.settings.demo_password or secrets.token_urlsafe(9)
    await seed(services, password)
    print(f'\nDemo data ready. Log in at http://{services.settings.host}:{services.settings.port}/login with\n'
          f'  coordinator: {DEMO_EMAIL}\n  coach:       {DEMO_COACH_EMAIL}\n  password:    {password}\n',
          flush=True)
