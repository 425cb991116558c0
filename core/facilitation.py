"""The facilitation ("animatie") checklist: after a session, the facilitator records it, fills in the checklist,
and may open an anonymous feedback round for the participants (same anonymity rules as the member survey)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tinydb import Query

from . import clock, schema, sheets
from .clean import clean_text, whole_number
from .communities import Communities, TableSpec
from .dates import parse_day
from .errors import ValidationError
from .questionnaire import Instrument, Instruments, Result, score
from .roles import Permission
from .sheets import Sheet
from .survey import OPEN_MIN_THRESHOLD, SurveyRound, Surveys
from .survey_results import SurveyResults, aggregate

TABLE = 'animation_sessions'
CHECKLIST = 'animation'
FEEDBACK = 'animation_feedback'
ROTI_ITEM = 'feedback_roti'  # the feedback item: return on time invested
FEEDBACK_THRESHOLD = 3  # sessions are small; never below the survey minimum of 3
MAX_NAME, MAX_METHOD = 120, 120
MAX_PARTICIPANTS = 1000


@dataclass(frozen=True)
class Session:
    sheet: Sheet  # the checklist, with the session's details in sheet.extra

    @property
    def id(self) -> str:
        return self.sheet.id

    @property
    def name(self) -> str:
        return self.sheet.extra.get('name', '')

    @property
    def day(self) -> str:
        return self.sheet.extra.get('day', '')

    @property
    def method(self) -> str:
        return self.sheet.extra.get('method', '')

    @property
    def participants(self) -> int | None:
        return self.sheet.extra.get('participants')


@dataclass(frozen=True)
class SessionOutcome:
    session: Session
    instrument: Instrument
    checklist: Result  # the facilitator's own view
    feedback_round: SurveyRound | None
    feedback_instrument: Instrument | None  # the feedback round's own instrument version, with `feedback`
    feedback_count: int  # answers in the released snapshot
    feedback: SurveyResults | None  # None while below the threshold (or no round)
    roti: float | None  # participants' mean return on time invested (1..5)


def clean_details(name: str, day: str, method: str, participants: Any) -> dict[str, Any]:
    name = clean_text(name, MAX_NAME, 'name')  # what is not text is refused, control characters dropped
    method = clean_text(method, MAX_METHOD, 'method')
    if not name:
        raise ValidationError('facilitation.error.name', 'name')
    held = parse_day(day, 'facilitation.error.day', 'day')
    if held > clock.today():
        raise ValidationError('facilitation.error.future', 'day')
    count = (
        None
        if participants in (None, '')
        else whole_number(
            participants, 1, MAX_PARTICIPANTS, 'facilitation.error.participants', 'participants', max=MAX_PARTICIPANTS
        )
    )
    return {'name': name, 'day': held.isoformat(), 'method': method, 'participants': count}


class Facilitation(sheets.CommunitySheets):
    TABLE = TABLE

    def __init__(self, communities: Communities, instruments: Instruments, surveys: Surveys) -> None:
        super().__init__(communities, instruments)
        self.surveys = surveys
        details = {
            'name': schema.Str(MAX_NAME, min=1),
            'day': schema.Day(),
            'method': schema.optional(schema.Str(MAX_METHOD)),
            'participants': schema.optional(schema.Nullable(schema.Int(1, MAX_PARTICIPANTS))),
        }
        communities.register_table(
            TableSpec(TABLE, sheets.sheet_record(details), lambda docs: sheets.validate_sheets(instruments, docs, {}))
        )

    @property
    def instrument(self) -> Instrument:
        return self.instruments.current(CHECKLIST)

    def sessions(self, actor: str, cid: str) -> list[Session]:
        """Every recorded session, latest held first."""
        self.communities.get(actor, cid, Permission.VIEW)
        docs = sorted(self._table(cid).all(), key=lambda d: (d.get('day', ''), d.doc_id), reverse=True)
        return [Session(sheets.to_sheet(d)) for d in docs]

    def session(self, actor: str, cid: str, session_id: str) -> Session:
        self.communities.get(actor, cid, Permission.VIEW)
        return Session(sheets.get_sheet(self._table(cid), session_id))

    async def record(
        self, actor: str, cid: str, *, name: str, day: str, method: str = '', participants: Any = None
    ) -> Session:
        self.communities.get(actor, cid, Permission.EDIT)
        details = clean_details(name, day, method, participants)
        sheet = sheets.new_sheet(self._table(cid), self.instrument, by=actor, **details)
        await self._commit(cid)
        return Session(sheet)

    async def delete(self, actor: str, cid: str, session_id: str) -> None:
        """Remove a session with its checklist and its participants' feedback (coordinator only)."""
        self.session(actor, cid, session_id)
        self.communities.get(actor, cid, Permission.MANAGE)
        for feedback in self.surveys.rounds(actor, cid, FEEDBACK, session_id):
            await self.surveys.delete(actor, cid, feedback.id)
        self._table(cid).remove(Query()['id'] == session_id)
        await self._commit(cid)

    async def open_feedback(self, actor: str, cid: str, session_id: str, mode: str = 'personal') -> SurveyRound:
        """The participants' anonymous feedback round of a session (created and opened on first call), under the
        member survey's rules: personal single-use links by default (threshold 3: sessions are small), or an open
        link, whose count is not verified, released only once closed, with a threshold of at least 8."""
        self.session(actor, cid, session_id)
        existing = self.feedback_round(actor, cid, session_id)
        if existing is not None:
            return existing
        threshold = FEEDBACK_THRESHOLD if mode == 'personal' else OPEN_MIN_THRESHOLD
        return await self.surveys.create(
            actor, cid, instrument=FEEDBACK, subject=session_id, threshold=threshold, open_now=True, mode=mode
        )

    def feedback_round(self, actor: str, cid: str, session_id: str) -> SurveyRound | None:
        rounds = self.surveys.rounds(actor, cid, FEEDBACK, session_id)
        return rounds[0] if rounds else None

    def outcome(self, actor: str, cid: str, session_id: str) -> SessionOutcome:
        session = self.session(actor, cid, session_id)
        instrument = self.instrument_of(session.sheet)
        feedback_round = self.feedback_round(actor, cid, session_id)
        feedback_instrument, count, feedback, roti = None, 0, None, None
        if feedback_round is not None:
            count = self.surveys.snapshot(actor, cid, feedback_round.id).released
            answers = self.surveys.answers_above_threshold(actor, cid, feedback_round.id)
            if answers is not None:
                feedback_instrument = self.surveys.instrument_of(feedback_round)
                feedback = aggregate(feedback_instrument, [a.answers for a in answers])
                roti = next((r.mean for r in feedback.items if r.item.id == ROTI_ITEM), None)
        return SessionOutcome(
            session,
            instrument,
            score(instrument, session.sheet.answers),
            feedback_round,
            feedback_instrument,
            count,
            feedback,
            roti,
        )

    def history(self, actor: str, cid: str) -> list[SessionOutcome]:
        """Every session's outcome, oldest first: is the facilitation improving?"""
        return [self.outcome(actor, cid, s.id) for s in reversed(self.sessions(actor, cid))]
