"""The onboarding journey of a community: basics, profile, kompas, member survey, needs survey, IT tools, kick-off,
action plan.

A step is done when its tool holds what the step asks for (progress is read from the tools, never kept twice);
the coordinator may skip a step and come back to it. The journey resumes at the first step neither done nor skipped.

The last step, the action plan, is done only when the plan holds an action somebody carries by a date (an owner and a
due date): an idea merely taken over is a wish, not a plan, and the sponsor's dossier would show it with "—" for who
and when. This is read from the actions themselves, so it stays true after an import or an edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import schema
from .communities import Communities, TableSpec
from .errors import ValidationError
from .kompas import Kompas
from .needs import INSTRUMENT as NEEDS_SURVEY
from .plan import ActionPlan
from .profile import Profiles
from .roles import Permission
from .survey import Surveys

TABLE = 'wizard'  # stored name (data files and backups carry it): kept from before the part was called journey
# the needs survey of prospective members comes before the IT tools and the kick-off, which build on its results
STEPS = ('basics', 'profile', 'kompas', 'survey', 'needs', 'ittools', 'kickoff', 'plan')
# step keys as stored before the action plan's step was called 'plan'; read as their new key
STORED_ALIASES = {'actionplan': 'plan'}


def carried(action: Any) -> bool:
    """An action somebody carries by a date: what makes the action plan a plan (see the module docstring)."""
    return bool(action.owner and action.due)


@dataclass(frozen=True)
class Step:
    key: str
    done: bool
    skipped: bool

    @property
    def open(self) -> bool:
        return not self.done and not self.skipped


def resume_at(steps: list[Step]) -> str:
    """The step to continue with: the first one neither done nor skipped (the last one when all are)."""
    return next((s.key for s in steps if s.open), STEPS[-1])


def next_after(steps: list[Step], key: str) -> str | None:
    """The step to go to once `key` is done: the first open step after it, else the first open one before it; None
    when every step is done or skipped (the journey ends on the dossier)."""
    index = STEPS.index(key)
    candidates = [s for s in steps[index + 1 :] if s.open] + [s for s in steps[:index] if s.open]
    return candidates[0].key if candidates else None


def finished(steps: list[Step]) -> bool:
    """Every step done: the journey ends with the dossier."""
    return all(s.done for s in steps)


RECORD = schema.Record({'skipped': schema.ListOf(schema.Choice(*STEPS, *STORED_ALIASES), len(STEPS))})


class Journey:
    def __init__(
        self,
        communities: Communities,
        profiles: Profiles,
        kompas: Kompas,
        surveys: Surveys,
        ittools: Any,
        kickoff: Any,
        plan: ActionPlan,
    ) -> None:
        self.communities = communities
        self.profiles, self.kompas, self.surveys = profiles, kompas, surveys
        self.ittools, self.kickoff, self.plan = ittools, kickoff, plan
        communities.register_table(TableSpec(TABLE, RECORD, unique=None, max_records=1))

    def _table(self, cid: str):
        return self.communities.store.community(cid).table(TABLE)

    def _skipped(self, cid: str) -> set[str]:
        doc = self._table(cid).get(doc_id=1)
        return {STORED_ALIASES.get(s, s) for s in doc.get('skipped', [])} if doc else set()

    def progress(self, actor: str, cid: str) -> list[Step]:
        community, _ = self.communities.get(actor, cid, Permission.VIEW)
        skipped = self._skipped(cid)
        done = {
            'basics': bool(community.purpose and community.name),
            'profile': self.profiles.latest(actor) is not None,
            'kompas': any(r.done for r in self.kompas.rounds(actor, cid)),
            'survey': any(r.status != 'draft' for r in self.surveys.rounds(actor, cid)),
            'needs': any(r.status != 'draft' for r in self.surveys.rounds(actor, cid, NEEDS_SURVEY)),
            'ittools': self.ittools.has_decision(cid),
            'kickoff': self.kickoff.current(actor, cid) is not None,
            'plan': any(carried(a) for a in self.plan.actions(actor, cid)),
        }
        return [Step(key, done[key], key in skipped and not done[key]) for key in STEPS]

    def current(self, actor: str, cid: str) -> str:
        return resume_at(self.progress(actor, cid))

    async def skip(self, actor: str, cid: str, step: str, skipped: bool = True) -> None:
        self.communities.get(actor, cid, Permission.EDIT)
        if step not in STEPS:
            raise ValidationError('error.invalid', 'step')
        now = self._skipped(cid)
        now = now | {step} if skipped else now - {step}
        table = self._table(cid)
        ordered = [s for s in STEPS if s in now]
        if table.get(doc_id=1) is None:
            table.insert({'skipped': ordered})
        else:
            table.update({'skipped': ordered}, doc_ids=[1])
        await self.communities.store.community(cid).commit()

    def summary(self, actor: str, cid: str) -> dict[str, dict[str, Any]]:
        """What each step produced, for the journey's closing note: per step the figures its sentence names
        (a step with nothing to show is left out)."""
        out: dict[str, dict[str, Any]] = {}
        community, _ = self.communities.get(actor, cid, Permission.VIEW)
        out['basics'] = {'name': community.name}
        if self.profiles.latest(actor) is not None:
            out['profile'] = {}
        latest = self.kompas.latest_result(actor, cid)
        if latest is not None:
            out['kompas'] = {'stage': latest.result.stage, 'quick': self.kompas.is_quick(latest.round)}
        rounds = [r for r in self.surveys.rounds(actor, cid) if r.status != 'draft']
        if rounds:
            out['survey'] = {'count': len(rounds)}
        needs = [r for r in self.surveys.rounds(actor, cid, NEEDS_SURVEY) if r.status != 'draft']
        if needs:
            out['needs'] = {'count': len(needs)}
        decision = self.ittools.latest_decision(cid)
        if decision is not None:
            out['ittools'] = {'tool': decision['tool_name']}
        kickoff = self.kickoff.current(actor, cid)
        if kickoff is not None:
            out['kickoff'] = {'title': kickoff.title}
        actions = self.plan.actions(actor, cid)
        if actions:
            out['plan'] = {'count': len(actions), 'carried': sum(carried(a) for a in actions)}
        return out
