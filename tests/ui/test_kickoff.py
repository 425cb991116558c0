"""The kick-off editor as a coordinator, a co-coordinator and a coach meet it: template, method library, keyboard
reordering with times that follow, bad input, undo, print views and both PDFs."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace

from nicegui import app
from nicegui.testing import User
from pypdf import PdfReader

from .helpers import create_community, settle, sign_up


async def _start(user: User) -> tuple[str, str, str]:
    """Sign up, create a community, build a kick-off from the 90-minute template; returns (user id, cid, sid)."""
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    cid = await create_community(user)
    await user.open(f'/c/{cid}/kickoff')
    await user.should_see(marker='template-kickoff_90')
    before = len(user.back_history)
    user.find(marker='use-kickoff_90').click()
    await settle(user, before)
    await user.should_see(marker='block-card', retries=30)
    services = app.state.services
    uid = services.accounts.by_email('anna@example.be').id
    sid = user.back_history[-1].rsplit('/', 1)[1]
    return uid, cid, sid


def _scenario(uid: str, cid: str, sid: str):
    return app.state.services.kickoff.get(uid, cid, sid)


async def _until(check, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    assert check()


async def test_build_from_template_insert_a_method_reorder_by_keyboard_and_times_follow(user: User):
    uid, cid, sid = await _start(user)
    await user.should_see('Kick-off van 90 minuten')
    await user.should_see('Precies op tijd: het scenario eindigt om 11:00, het geplande einde. Totaal 1 u 30 min.')
    scenario = _scenario(uid, cid, sid)
    assert len(scenario.blocks) == 8 and scenario.current
    await user.should_see('09:30–09:40')

    user.find(marker='insert-check_out_round').click()  # default position: at the end
    await _until(lambda: len(_scenario(uid, cid, sid).blocks) == 9)
    new = _scenario(uid, cid, sid).blocks[-1]
    assert new.method == 'check_out_round' and new.title == 'Uitcheckronde'
    await user.should_see("'Uitcheckronde' toegevoegd op plaats 9 (11:00–11:10).")
    await user.should_see(
        'Uitloop: het scenario eindigt om 11:10, 10 min na het geplande einde (11:00). Totaal 1 u 40 min.'
    )

    user.find(marker=f'block-up-{new.id}').click()
    await _until(lambda: _scenario(uid, cid, sid).blocks[7].id == new.id)
    await user.should_see("'Uitcheckronde' staat nu op plaats 8 van 9 (10:55–11:05).")
    clock = user.find(marker=f'block-clock-{new.id}').elements.pop()
    assert clock.text == '10:55–11:05'
    last = _scenario(uid, cid, sid).blocks[-1]
    assert user.find(marker=f'block-clock-{last.id}').elements.pop().text == '11:05–11:10'
    first = _scenario(uid, cid, sid).blocks[0]
    assert not user.find(marker=f'block-up-{first.id}').elements.pop().enabled  # the first cannot go up
    assert not user.find(marker=f'block-down-{last.id}').elements.pop().enabled

    user.find(marker=f'block-duration-{first.id}').clear().type('25')
    await _until(lambda: _scenario(uid, cid, sid).blocks[0].duration == 25)
    await _until(lambda: user.find(marker=f'block-clock-{first.id}').elements.pop().text == '09:30–09:55')
    await user.should_see('Alle wijzigingen zijn opgeslagen.')


async def test_bad_input_gets_a_clear_message_and_typed_text_stays(user: User):
    uid, cid, sid = await _start(user)
    first = _scenario(uid, cid, sid).blocks[0]
    duration = user.find(marker=f'block-duration-{first.id}')
    duration.clear().type('-5')
    await user.should_see('Niet opgeslagen: De duur moet een geheel aantal minuten zijn, van 1 tot 480.', retries=30)
    field = duration.elements.pop()
    assert field.props['error-message'] == 'De duur moet een geheel aantal minuten zijn, van 1 tot 480.'
    assert _scenario(uid, cid, sid).blocks[0].duration == first.duration

    notes = user.find(marker=f'block-notes-{first.id}')
    notes.clear().type('n' * 10_000)
    await user.should_see('Niet opgeslagen: Te lang: maximaal 4000 tekens.', retries=30)
    assert notes.elements.pop().value == 'n' * 10_000  # nothing the user typed is lost

    title = '<b>Welkom</b> & <script>alert(1)</script>'
    user.find(marker=f'block-title-{first.id}').clear().type(title)
    await _until(lambda: _scenario(uid, cid, sid).blocks[0].title == title)
    await user.should_see(title)  # shown as text, never as markup

    user.find(marker='scenario-planned_end').clear()
    await _until(lambda: _scenario(uid, cid, sid).planned_end == '')
    await user.should_see('Van 09:30 tot 11:00 (1 u 30 min). Er is geen gepland einde ingevuld.')
    user.find(marker='scenario-start').clear().type('23:00')
    await user.should_see(
        'Zo loopt het scenario na middernacht door (vanaf blok 5). Kort blokken in of begin vroeger.', retries=30
    )
    assert _scenario(uid, cid, sid).start == '09:30'


async def test_delete_a_block_then_undo(user: User):
    uid, cid, sid = await _start(user)
    block = _scenario(uid, cid, sid).blocks[1]
    user.find(marker=f'block-delete-{block.id}').click()
    await _until(lambda: len(_scenario(uid, cid, sid).blocks) == 7)
    await user.should_see(f"'{block.title}' is verwijderd.")
    await user.should_not_see(marker=f'block-clock-{block.id}')
    user.find(marker='undo').click()
    await _until(lambda: len(_scenario(uid, cid, sid).blocks) == 8)
    assert _scenario(uid, cid, sid).blocks[1] == block
    await user.should_see(marker=f'block-clock-{block.id}')
    await user.should_see(f"'{block.title}' is teruggezet op plaats 2.")


async def test_a_tick_that_cannot_be_saved_is_set_back(user: User, monkeypatch):
    uid, cid, sid = await _start(user)
    kickoff = app.state.services.kickoff
    items = _scenario(uid, cid, sid).preparation
    item = items[0]
    await kickoff.delete_check(uid, cid, sid, 'preparation', item.id)  # gone behind the page's back
    calls = []
    set_check = kickoff.set_check

    async def counted(*args, **kwargs):
        calls.append(args)
        return await set_check(*args, **kwargs)

    monkeypatch.setattr(kickoff, 'set_check', counted)
    progress = user.find(marker='check-progress-preparation').elements.pop()
    assert progress.text == f'0 van {len(items)} gedaan'
    user.find(marker=f'check-box-{item.id}').click()
    await user.should_see('Niet opgeslagen: Dit onderdeel bestaat niet meer.', retries=30)
    box = user.find(marker=f'check-box-{item.id}').elements.pop()
    await _until(lambda: box.value is False)  # the screen shows what is stored: not ticked
    await asyncio.sleep(0.3)
    assert len(calls) == 1  # setting it back did not try to save again
    assert progress.text == f'0 van {len(items)} gedaan'


async def test_remove_a_ticked_item_then_undo_brings_it_back_ticked_in_its_place(user: User):
    uid, cid, sid = await _start(user)
    item = _scenario(uid, cid, sid).preparation[1]
    total = len(_scenario(uid, cid, sid).preparation)
    user.find(marker=f'check-box-{item.id}').click()
    await _until(lambda: _scenario(uid, cid, sid).preparation[1].done)
    user.find(marker=f'check-remove-{item.id}').click()
    await _until(lambda: len(_scenario(uid, cid, sid).preparation) == total - 1)
    await user.should_not_see(marker=f'check-box-{item.id}')
    await user.should_see(f"Punt verwijderd: '{item.text[:60]}'.")
    user.find(marker='undo').click()
    await _until(lambda: len(_scenario(uid, cid, sid).preparation) == total)
    assert _scenario(uid, cid, sid).preparation[1] == replace(item, done=True)  # same id, still ticked
    box = user.find(marker=f'check-box-{item.id}').elements.pop()
    assert box.value is True
    row = box.parent_slot.parent.parent_slot.parent  # checkbox -> row -> list item
    assert row.parent_slot.children.index(row) == 1  # back in its place
    progress = user.find(marker='check-progress-preparation').elements.pop()
    assert progress.text == f'1 van {total} gedaan'


async def test_print_views_and_both_pdfs(user: User):
    _, cid, sid = await _start(user)
    user.find(marker='pdf-agenda').click()
    response = await user.download.next(timeout=10)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1 and reader.trailer['/Root']['/Lang'] == 'nl-BE'
    assert 'Kennismaken' in reader.pages[0].extract_text()
    user.find(marker='pdf-script').click()
    response = await user.download.next(timeout=10)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 3 and 'pagina 1 van' in reader.pages[0].extract_text()

    await user.open(f'/c/{cid}/kickoff/{sid}/print?version=agenda&lang=fr')
    await user.should_see('Ordre du jour des participants')
    await user.should_see('Welkom en doel')  # the scenario's own text stays as it was written
    await user.should_not_see(marker='view-block')
    await user.open(f'/c/{cid}/kickoff/{sid}/print?version=script&lang=nl')
    await user.should_see(marker='view-block')
    await user.should_see('Voorbereiding (weken vooraf)')


async def test_coach_reads_prints_and_downloads_but_cannot_edit(user: User, create_user):
    owner = create_user()
    uid, cid, sid = await _start(owner)
    services = app.state.services
    await sign_up(user, 'Kim Coach', 'kim@example.be')
    await user.should_see(marker='field-name', retries=30)
    coach = services.accounts.by_email('kim@example.be')
    token, _ = await services.communities.invite(uid, cid, 'coach')
    await services.communities.accept(coach.id, token)
    await user.open(f'/c/{cid}/kickoff')
    await user.should_see(marker='scenario-link')
    await user.should_not_see(marker='template-kickoff_90')
    await user.should_not_see(marker='scenario-delete')
    await user.open(f'/c/{cid}/kickoff/{sid}')
    await user.should_see(marker='read-only-note')
    await user.should_see(marker='view-script')
    await user.should_not_see(marker='block-card')
    await user.should_not_see(marker='method-library')
    user.find(marker='pdf-script').click()
    response = await user.download.next(timeout=10)
    assert response.content.startswith(b'%PDF')


async def test_scenarios_list_duplicate_make_plan_and_delete_with_confirmation(user: User):
    uid, cid, sid = await _start(user)
    await user.open(f'/c/{cid}/kickoff')
    await user.should_see(marker='plan-badge')
    user.find(marker=f'scenario-duplicate-{sid}').click()
    await _until(lambda: len(app.state.services.kickoff.scenarios(uid, cid)) == 2)
    await user.should_see('Kick-off van 90 minuten (kopie)')
    copy = next(s for s in app.state.services.kickoff.scenarios(uid, cid) if s.id != sid)
    user.find(marker=f'make-plan-{copy.id}').click()
    await _until(lambda: app.state.services.kickoff.current(uid, cid).id == copy.id)
    assert copy.title == 'Kick-off van 90 minuten (kopie)'
    user.find(marker=f'make-plan-{sid}').click()
    await _until(lambda: app.state.services.kickoff.current(uid, cid).id == sid)
    user.find(marker=f'scenario-delete-{copy.id}').click()
    await user.should_see(marker='confirm-ok')
    user.find(marker='confirm-ok').click()
    await _until(lambda: len(app.state.services.kickoff.scenarios(uid, cid)) == 1)
    await user.should_see(marker='undo-bar')
    await user.should_see("'Kick-off van 90 minuten (kopie)' is verwijderd.")
    user.find(marker='undo').click()
    await _until(lambda: len(app.state.services.kickoff.scenarios(uid, cid)) == 2)
    await user.should_see('Kick-off van 90 minuten (kopie)')
