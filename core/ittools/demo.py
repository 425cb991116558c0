"""Demo data: a finished comparison, scored together in a meeting that has ended, with a recorded decision."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tinydb import Query

from .. import clock
from .meetings import MeetingRef
from .records import MEETINGS

if TYPE_CHECKING:
    from .service import ITTools

TITLE = 'Waar gaat onze community wonen?'
# template m365: teams, sharepoint, viva_engage, humhub; per criterion in the template's order
SCORES = {
    'teams': [2, 2, 3, 3, 3, 2, 2, 2, 2, 3, 1, 3],
    'sharepoint': [1, 2, 3, 3, 0, 2, 1, 2, 2, 3, 2, 1],
    'viva_engage': [3, 3, 2, 1, 1, 1, 3, 2, 2, 3, 1, 3],
    'humhub': [3, 2, 2, 1, 1, 3, 3, 3, 2, 2, 3, 2],
}
NOTES = {
    'teams:archiving_export': 'Geen archiefsysteem: afspraak maken met onze archiefdienst over wat we bewaren.',
    'sharepoint:video_meetings': 'Geen eigen videovergaderingen; dat loopt via Teams.',
    'viva_engage:external_members': "Gasten moeten in onze tenant; collega's van andere FOD's pas na aanvraag.",
    'humhub:single_sign_on': 'Kan via OpenID Connect, maar vraagt werk van de IT-dienst.',
    'humhub:data_protection': 'Zelf te hosten in een Belgisch datacenter.',
}
PEOPLE = ('Sofie', 'Jan', 'Mehdi')
RATIONALE = (
    'Teams scoort het hoogst en al onze leden kennen het; de IT-dienst ondersteunt het en aanmelden gaat '
    'met ons eigen account. We maken één team met een kanaal per thema en bewaren de documenten in de '
    'bijbehorende bibliotheek. HumHub volgt op een zucht: sterk op discussie en gegevensbescherming, maar '
    'zonder steun van de IT-dienst niet haalbaar. Opvolging: gasttoegang aanvragen voor externe leden en '
    'met de archiefdienst afspreken wat we bewaren.'
)


async def seed(ittools: ITTools, owner_id: str, cid: str) -> None:
    """Idempotent: nothing happens when the demo comparison exists."""
    user = ittools.accounts.get(owner_id)
    if user is None:
        return
    actor = ittools.user_actor(user, cid)
    if any(c.title == TITLE for c in ittools.comparisons(actor, cid)):
        return
    comparison = await ittools.create(actor, cid, TITLE, template_id='m365')
    meeting = await ittools.meetings.start_meeting(actor, cid, comparison.id)
    ref = MeetingRef(
        cid=cid,
        comparison_id=comparison.id,
        meeting_id=meeting.id,
        code=meeting.code,
        title=comparison.title,
        community_name='',
    )
    people = [await ittools.meetings.join(ref, name) for name in PEOPLE]
    authors = [actor, *people]
    criteria = [c.id for c in comparison.criteria]
    for i, (tool_id, scores) in enumerate(SCORES.items()):
        for j, (criterion_id, score) in enumerate(zip(criteria, scores, strict=True)):
            author = authors[(i + j) % len(authors)]
            await ittools.set_score(author, cid, comparison.id, f'{tool_id}:{criterion_id}', score)
    for n, (key, text) in enumerate(NOTES.items()):
        await ittools.set_note(authors[n % len(authors)], cid, comparison.id, key, text)
    await ittools.meetings.end_meeting(actor, cid, comparison.id)
    decided = clock.today() - timedelta(days=7)
    await ittools.record_decision(actor, cid, comparison.id, 'teams', RATIONALE, decided.isoformat())
    # the meeting happened on the day of the decision
    room = ittools.room(cid, comparison.id)
    room.db.table(MEETINGS).update(
        {'started': f'{decided.isoformat()}T09:30:00+00:00', 'ended': f'{decided.isoformat()}T11:00:00+00:00'},
        Query()['id'] == meeting.id,
    )
    await room.db.commit()
    ittools.drop_room(cid, comparison.id)
