"""The dossier page: privacy by default, and which section failed when one cannot be laid out."""

from __future__ import annotations

from nicegui import app
from nicegui.testing import User
from reportlab.platypus import Flowable

from .helpers import PASSWORD, log_in
from .test_plan import count, wait_for


async def setup_with_shared_profile() -> tuple:
    services = app.state.services
    owner = await services.accounts.sign_up('Olga Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP', 'purpose': 'Samen leren'})
    profiles = services.profiles
    sheet = await profiles.start(owner.id)
    for item in profiles.instrument.scored_items:
        await profiles.answer(owner.id, sheet.id, item.id, 2)
    await profiles.finish(owner.id, sheet.id)
    await profiles.share(owner.id, sheet.id, community.id, True)
    await services.plan.add(owner.id, community.id, {'title': 'Eerste actie'})
    return services, owner.id, community.id


async def test_the_shared_profile_is_unticked_until_the_coordinator_ticks_it(user: User):
    _, _, cid = await setup_with_shared_profile()
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/dossier')
    await user.should_see(marker='dossier-html')
    box = user.find(marker='section-profile').elements.pop()
    assert box.value is False
    assert count(user, 'dossier-profile') == 0 and count(user, 'dossier-kompas') == 1
    box.value = True
    await wait_for(lambda: count(user, 'dossier-profile') == 1)


class Unplaceable(Flowable):
    def wrap(self, available_width, available_height):
        return available_width, 5000

    def draw(self):
        pass


async def test_the_page_names_the_section_that_could_not_be_laid_out(user: User, monkeypatch):
    _, _, cid = await setup_with_shared_profile()
    monkeypatch.setattr('core.pdf.dossier._kompas', lambda data, t: [Unplaceable()])
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/dossier')
    await user.should_see(marker='dossier-html')
    user.find(marker='dossier-pdf').click()
    response = await user.download.next()
    assert response.content.startswith(b'%PDF')
    await user.should_see('maar deze onderdelen konden niet in de pdf worden opgemaakt: CoP-kompas')
