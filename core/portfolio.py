"""The portfolio: every community attached to an organisation at a glance, for its knowledge-management officers.

What a row holds is decided here, not in a page: the facts a community always shows (`organisations.ALWAYS`), and
of each part the coordinator may share (`organisations.PARTS`) either a summary or `NOT_SHARED`. A part that is not
shared is never read, so no value of it can reach a page, an event or an export built from these rows. The rows are
read on the authority of the community's coordinator (who chose what to share): through the parts' own services, so
the survey's rule holds here too (only released snapshots above the threshold, never raw answers).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from statistics import mean
from typing import Any

from . import clock
from .communities import Communities, Community
from .errors import AppError, NotFound
from .i18n import Text, Translator
from .organisations import ATTACHED, Link, Organisations
from .plan import ActionPlan, target_day
from .roles import Role
from .store import DamagedFileError, StoreError
from .stories import Stories, Story

INACTIVE_DAYS = 90
FELL_BY = 0.25  # a dimension "fell" when it lost at least this much on the 5-point scale since the previous round
MIN_FOR_MEAN = 5  # the organisation's mean per dimension only from this many communities sharing their kompas
FLAGS = ('review_overdue', 'inactive', 'kompas_fell', 'alone', 'no_survey')
SORTS = ('name', 'stage', 'age', 'activity', 'kompas', 'flags')
SURVEY = 'member_survey'
SATISFACTION = 'satisfaction'  # the member survey's block whose mean is the satisfaction shown
# tables whose documents say nothing about activity (logs of others' exports, anonymous answers without dates)
_QUIET_TABLES = {'_meta', 'export_log', 'retention', 'survey_answers', 'survey_texts', 'survey_codes'}
_DATE_KEYS = ('updated', 'created', 'finished', 'started', 'date', 'recorded_at')
_DAY = re.compile(r'^\d{4}-\d{2}-\d{2}')


class NotShared:
    """The mark of a part the coordinator did not share: it carries nothing."""

    _instance: NotShared | None = None

    def __new__(cls) -> NotShared:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return 'NOT_SHARED'

    def __bool__(self) -> bool:
        return False


NOT_SHARED = NotShared()


@dataclass(frozen=True)
class KompasSummary:
    overall: float | None
    weakest: str | None  # the dimension with the lowest mean
    trend: float | None  # overall now minus overall in the previous round
    dimensions: dict[str, float | None]
    fell: tuple[str, ...]  # dimensions that fell by FELL_BY or more since the previous round
    day: str


@dataclass(frozen=True)
class SurveySummary:
    answers: int | None  # answers in the released snapshot; None: rounds ran, nothing released yet
    rate: float | None  # of the expected members
    satisfaction: float | None
    cycles: dict[str, float | None]
    day: str


@dataclass(frozen=True)
class PlanSummary:
    open: int
    done: int
    overdue: int
    next_review: str | None
    actions: tuple[tuple[str, str, str | None], ...] = ()  # (title, status, due): no owners (they are people)


@dataclass(frozen=True)
class Row:
    community_id: str
    name: str
    purpose: str
    stage: str
    coordinators: tuple[str, ...]
    co_coordinators: int
    created: str
    last_activity: str
    age_days: int
    shared: frozenset[str]
    kompas: KompasSummary | NotShared | None
    survey: SurveySummary | NotShared | None
    plan: PlanSummary | NotShared
    ittools: Text | NotShared | None  # the decided tool's name
    kickoff: str | NotShared | None  # the kick-off's date ('' when planned without a date)
    stories: tuple[Story, ...] | NotShared
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heat:
    """The heat map's data: kompas dimension means per community, and the organisation's mean per dimension when
    at least MIN_FOR_MEAN communities share their kompas (None otherwise)."""

    dimensions: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float | None, ...]], ...]  # (community name, mean per dimension)
    means: tuple[float | None, ...] | None
    sharing: int


@dataclass
class _Index:
    """The memberships read once per build: the roles, the coordinators' ids and names."""

    roles: dict[tuple[str, str], Role] = field(default_factory=dict)
    people: dict[str, list[tuple[str, Role]]] = field(default_factory=dict)


class Portfolio:
    def __init__(
        self,
        organisations: Organisations,
        communities: Communities,
        *,
        kompas: Any,
        surveys: Any,
        plan: ActionPlan,
        ittools: Any,
        kickoff: Any,
        stories: Stories,
    ) -> None:
        self.organisations = organisations
        self.communities = communities
        self.kompas, self.surveys, self.plan = kompas, surveys, plan
        self.ittools, self.kickoff, self.stories = ittools, kickoff, stories
        self._cache: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}

    # -- reading ---------------------------------------------------------------------------------------------------

    def rows(self, user_id: str, org_id: Any, today: date | None = None) -> list[Row]:
        """One row per attached community, for one of the organisation's officers (NotFound for anyone else)."""
        self.organisations.require_officer(user_id, org_id)
        return self._rows(self.organisations.attached(org_id), today)

    def row(self, user_id: str, org_id: Any, cid: Any, today: date | None = None) -> Row:
        """One attached community (the officer's read-only coach view); NotFound when it is not attached."""
        link = self.organisations.shared_link(user_id, org_id, cid)
        rows = self._rows([link], today)
        if not rows:
            raise NotFound('org.error.not_attached')
        return rows[0]

    def preview(self, user_id: str, cid: str, today: date | None = None) -> Row | None:
        """What the community's organisation sees of it, for its own members (both sides read the same)."""
        link = self.organisations.link_for(user_id, cid)
        if link is None or link.status != ATTACHED:
            return None
        rows = self._rows([link], today)
        return rows[0] if rows else None

    def _rows(self, links: list[Link], today: date | None) -> list[Row]:
        today = today or clock.today()
        index = self._index()
        out = []
        with _roles_from(self.communities, index):  # synchronous: nothing else runs meanwhile
            for link in links:
                try:
                    out.append(self._row(link, index, today))
                except (NotFound, KeyError, DamagedFileError, StoreError):
                    continue  # a community deleted or unreadable: not in the portfolio
        return sorted(out, key=lambda r: r.name.casefold())

    def _index(self) -> _Index:
        index = _Index()
        for doc in self.communities.store.accounts.table('memberships').all():
            try:
                role = Role(doc['role'])
            except (KeyError, ValueError):
                continue
            index.roles[(doc['user_id'], doc['community_id'])] = role
            index.people.setdefault(doc['community_id'], []).append((doc['user_id'], role))
        return index

    def _row(self, link: Link, index: _Index, today: date) -> Row:
        cid = link.community_id
        db = self.communities.store.community(cid)
        community = self.communities._load(cid)
        people = index.people.get(cid, [])
        coordinators = [u for u, r in people if r == Role.COORDINATOR]
        grantor = coordinators[0] if coordinators else None
        names = tuple(sorted(n for n in (self._name(u) for u in coordinators) if n))
        key = (db._version, link.shared, today, grantor)
        cached = self._cache.get(cid)
        if cached is None or cached[0] != key:
            cached = (key, self._parts(cid, community, link.shared, grantor, db, today))
            self._cache[cid] = cached
        parts = cached[1]
        co = sum(1 for _, r in people if r == Role.CO_COORDINATOR)
        row = Row(
            community_id=cid,
            name=community.name,
            purpose=community.purpose,
            stage=community.stage,
            coordinators=names,
            co_coordinators=co,
            created=community.created[:10],
            last_activity=parts['last_activity'],
            age_days=_days_between(community.created[:10], today),
            shared=link.shared,
            **{p: parts[p] for p in ('kompas', 'survey', 'plan', 'ittools', 'kickoff', 'stories')},
        )
        return _with_flags(row, len(coordinators), today)

    def _name(self, user_id: str) -> str:
        user = self.communities.accounts.get(user_id)
        return user.name if user else ''

    def _parts(
        self, cid: str, community: Community, shared: frozenset[str], grantor: str | None, db: Any, today: date
    ) -> dict[str, Any]:
        """The shared parts' summaries; a part not shared is not read at all."""
        readers: dict[str, Callable[[], Any]] = {
            'kompas': lambda: self._kompas(grantor, cid),
            'survey': lambda: self._survey(grantor, cid, community),
            'plan': lambda: self._plan(grantor, cid, today),
            'ittools': lambda: self._ittools(cid),
            'kickoff': lambda: self._kickoff(grantor, cid),
            'stories': lambda: tuple(self.stories.published(cid)),
        }
        out: dict[str, Any] = {'last_activity': last_activity(db, community, today)}
        for part, read in readers.items():
            if part not in shared:
                out[part] = NOT_SHARED
                continue
            if grantor is None and part not in ('ittools', 'stories'):
                out[part] = None
                continue
            try:
                out[part] = read()
            except (AppError, KeyError, ValueError):
                out[part] = None  # unreadable (an instrument version gone): shown as "nothing yet", never a crash
        if out['plan'] is None:
            out['plan'] = PlanSummary(0, 0, 0, None)
        return out

    def _kompas(self, grantor: str, cid: str) -> KompasSummary | None:
        trend = self.kompas.trend(grantor, cid)  # finished rounds, oldest first
        if not trend:
            return None
        now = trend[-1].result
        before = trend[-2].result if len(trend) > 1 else None
        dims = {d.dimension: d.mean for d in now.dimensions}
        scored = {k: v for k, v in dims.items() if v is not None}
        weakest = min(scored, key=lambda k: (scored[k], k)) if scored else None
        fell: list[str] = []
        change = None
        if before is not None:
            old = {d.dimension: d.mean for d in before.dimensions}
            fell = [k for k, v in scored.items() if old.get(k) is not None and old[k] - v >= FELL_BY - 1e-9]
            if now.overall is not None and before.overall is not None:
                change = round(now.overall - before.overall, 4)
        return KompasSummary(now.overall, weakest, change, dims, tuple(fell), trend[-1].round.finished or '')

    def _survey(self, grantor: str, cid: str, community: Community) -> SurveySummary | None:
        """The newest released snapshot above its threshold; answers None when rounds ran but none is released;
        None when no round was ever opened."""
        ran = [r for r in self.surveys.rounds(grantor, cid, SURVEY) if r.status != 'draft']
        for survey_round in ran:
            results = self.surveys.results(grantor, cid, survey_round.id, community.expected_members)
            if results is not None:  # the newest released snapshot above its threshold
                return SurveySummary(
                    results.count,
                    results.rate,
                    results.blocks.get(SATISFACTION),
                    dict(results.cycles),
                    survey_round.created[:10],
                )
        return SurveySummary(None, None, None, {}, ran[0].created[:10]) if ran else None

    def _plan(self, grantor: str, cid: str, today: date) -> PlanSummary:
        actions = self.plan.actions(grantor, cid)
        fields = self.plan.plan(grantor, cid)
        iso = today.isoformat()
        open_ = [a for a in actions if a.status in ('planned', 'doing')]
        overdue = sum(1 for a in open_ if (target_day(a) or '9999') < iso)
        rows = tuple(
            (a.title, a.status, a.due) for a in sorted(actions, key=lambda a: (a.status == 'done', a.due or '9999'))
        )
        done = sum(1 for a in actions if a.status == 'done')
        return PlanSummary(len(open_), done, overdue, fields.next_review, rows)

    def _ittools(self, cid: str) -> Text | None:
        decision = self.ittools.latest_decision(cid)
        return dict(decision['tool_name']) if decision else None

    def _kickoff(self, grantor: str, cid: str) -> str | None:
        scenario = self.kickoff.current(grantor, cid)
        return scenario.date if scenario is not None else None


@contextlib.contextmanager
def _roles_from(communities: Communities, index: _Index) -> Iterator[None]:
    """Answer the parts' role checks from the memberships read once for this build, instead of one search of the
    accounts file per check (hundreds of communities, several checks each). Only ever used around synchronous code
    on the event loop, where no membership can change meanwhile."""
    communities.role_of = lambda user_id, cid: index.roles.get((user_id, cid))  # type: ignore[method-assign]
    try:
        yield
    finally:
        del communities.role_of


def last_activity(db: Any, community: Community, today: date | None = None) -> str:
    """The latest day anything was written in the community (a date in any record), the community's own change
    included; exports by others and anonymous answers do not count."""
    latest = max(community.updated[:10], community.created[:10])
    cap = (today or clock.today()).isoformat()  # a planned day (a kick-off) is not activity yet
    for name in db.tinydb.tables():
        if name in _QUIET_TABLES:
            continue
        for doc in db.table(name).all():
            for key in _DATE_KEYS:
                value = doc.get(key)
                if isinstance(value, str) and latest < value[:10] <= cap and _DAY.match(value):
                    latest = value[:10]
            decision = doc.get('decision')
            if isinstance(decision, dict):
                value = decision.get('recorded_at')
                if isinstance(value, str) and latest < value[:10] <= cap and _DAY.match(value):
                    latest = value[:10]
    return latest


def _days_between(day: str, today: date) -> int:
    try:
        return max(0, (today - date.fromisoformat(day)).days)
    except ValueError:
        return 0


def _with_flags(row: Row, coordinators: int, today: date) -> Row:
    """The flags a KM officer acts on, each from data the row may show (an unshared part raises none)."""
    flags = []
    if isinstance(row.plan, PlanSummary) and row.plan.next_review and row.plan.next_review < today.isoformat():
        flags.append('review_overdue')
    if _days_between(row.last_activity, today) >= INACTIVE_DAYS:
        flags.append('inactive')
    if isinstance(row.kompas, KompasSummary) and row.kompas.fell:
        flags.append('kompas_fell')
    if coordinators <= 1 and row.co_coordinators == 0:
        flags.append('alone')
    if 'survey' in row.shared and row.survey is None:
        flags.append('no_survey')
    return Row(**{**row.__dict__, 'flags': tuple(flags)})


# -- choosing, summing up and tabulating rows (for the page, the report and the exports) ----------------------------


def select(rows: list[Row], *, query: str = '', stage: str = '', flag: str = '', sort: str = 'name') -> list[Row]:
    """Rows as the officer asks for them: a search in names, purposes and coordinators, a stage, a flag, an order
    (kompas and flags: the ones needing help first)."""
    words = query.casefold().split()

    def hit(r: Row) -> bool:
        text = ' '.join((r.name, r.purpose, *r.coordinators)).casefold()
        return all(w in text for w in words)

    chosen = [r for r in rows if hit(r) and (not stage or r.stage == stage) and (not flag or flag in r.flags)]
    keys: dict[str, Callable[[Row], Any]] = {
        'name': lambda r: r.name.casefold(),
        'stage': lambda r: (_STAGE_ORDER.get(r.stage, 9), r.name.casefold()),
        'age': lambda r: (-r.age_days, r.name.casefold()),
        'activity': lambda r: (r.last_activity, r.name.casefold()),
        'kompas': lambda r: (_overall(r) is None, _overall(r) or 0.0, r.name.casefold()),
        'flags': lambda r: (-len(r.flags), r.name.casefold()),
    }
    return sorted(chosen, key=keys.get(sort, keys['name']))


_STAGE_ORDER = {s: i for i, s in enumerate(('potential', 'coalescing', 'maturing', 'stewardship', 'transformation'))}


def _overall(row: Row) -> float | None:
    return row.kompas.overall if isinstance(row.kompas, KompasSummary) else None


def heat(rows: list[Row], dimensions: tuple[str, ...]) -> Heat:
    sharing = [r for r in rows if isinstance(r.kompas, KompasSummary)]
    data = tuple((r.name, tuple(r.kompas.dimensions.get(d) for d in dimensions)) for r in sharing)  # type: ignore[union-attr]
    means = None
    if len(sharing) >= MIN_FOR_MEAN:
        columns = [[v[i] for _, v in data if v[i] is not None] for i in range(len(dimensions))]
        means = tuple(round(mean(c), 2) if c else None for c in columns)
    return Heat(dimensions, data, means, len(sharing))


@dataclass(frozen=True)
class Summary:
    communities: int
    by_stage: dict[str, int]
    flagged: dict[str, int]
    sharing: dict[str, int]  # part -> communities sharing it
    stories: int


def summary(rows: list[Row]) -> Summary:
    by_stage: dict[str, int] = {}
    for r in rows:
        by_stage[r.stage] = by_stage.get(r.stage, 0) + 1
    from .organisations import PARTS

    return Summary(
        communities=len(rows),
        by_stage=by_stage,
        flagged={f: sum(1 for r in rows if f in r.flags) for f in FLAGS},
        sharing={p: sum(1 for r in rows if p in r.shared) for p in PARTS},
        stories=sum(len(r.stories) for r in rows if isinstance(r.stories, tuple)),
    )


@dataclass(frozen=True)
class Labels:
    """How a reader names stages and kompas dimensions (content texts), in the reader's language."""

    t: Translator
    stage: Callable[[str], str]
    dimension: Callable[[str], str]


def table(rows: list[Row], labels: Labels) -> list[list[Any]]:
    """The portfolio as a table (the page's list, CSV, spreadsheet, report): one row per community, the parts not
    shared marked in words, never with a value."""
    header = [labels.t(f'portfolio.col.{c}') for c in COLUMNS]
    return [header, *([cell(r, c, labels) for c in COLUMNS] for r in rows)]


COLUMNS = (
    'name',
    'stage',
    'age',
    'coordinators',
    'last_activity',
    'kompas',
    'weakest',
    'trend',
    'survey_answers',
    'satisfaction',
    'plan_open',
    'plan_done',
    'plan_overdue',
    'next_review',
    'ittools',
    'kickoff',
    'flags',
)


def cell(row: Row, column: str, labels: Labels) -> Any:
    """One cell as the reader sees it: a number or text; "not shared by the coordinator" for a hidden part."""
    t = labels.t
    part = COLUMN_PART.get(column)
    if part is not None and part not in row.shared:
        return t('portfolio.not_shared')
    simple: dict[str, Callable[[], Any]] = {
        'name': lambda: row.name,
        'stage': lambda: labels.stage(row.stage),
        'age': lambda: t('portfolio.age', count=row.age_days),
        'coordinators': lambda: ', '.join(row.coordinators) or '—',
        'last_activity': lambda: t.date(row.last_activity),
        'flags': lambda: ', '.join(t(f'portfolio.flag.{f}') for f in row.flags) or '—',
    }
    if column in simple:
        return simple[column]()
    return _part_cell(row, column, labels)


COLUMN_PART = {
    'kompas': 'kompas',
    'weakest': 'kompas',
    'trend': 'kompas',
    'survey_answers': 'survey',
    'satisfaction': 'survey',
    'plan_open': 'plan',
    'plan_done': 'plan',
    'plan_overdue': 'plan',
    'next_review': 'plan',
    'ittools': 'ittools',
    'kickoff': 'kickoff',
}


def _part_cell(row: Row, column: str, labels: Labels) -> Any:
    t = labels.t
    none = t('portfolio.none_yet')
    k, s, p = row.kompas, row.survey, row.plan
    values: dict[str, Callable[[], Any]] = {
        'kompas': lambda: _score(k.overall if isinstance(k, KompasSummary) else None, t, none),
        'weakest': lambda: labels.dimension(k.weakest) if isinstance(k, KompasSummary) and k.weakest else none,
        'trend': lambda: _trend(k, t),
        'survey_answers': lambda: _answers(s, t, none),
        'satisfaction': lambda: _score(s.satisfaction if isinstance(s, SurveySummary) else None, t, none),
        'plan_open': lambda: p.open if isinstance(p, PlanSummary) else none,
        'plan_done': lambda: p.done if isinstance(p, PlanSummary) else none,
        'plan_overdue': lambda: p.overdue if isinstance(p, PlanSummary) else none,
        'next_review': lambda: t.date(p.next_review) if isinstance(p, PlanSummary) and p.next_review else none,
        'ittools': lambda: t.pick(row.ittools) if isinstance(row.ittools, dict) else none,
        'kickoff': lambda: t.date(row.kickoff) if isinstance(row.kickoff, str) and row.kickoff else none,
    }
    return values[column]()


def _score(value: float | None, t: Translator, none: str) -> str:
    return t.number(value, 1) if value is not None else none


def _trend(k: Any, t: Translator) -> str:
    if not isinstance(k, KompasSummary) or k.trend is None or k.overall is None:
        return '—'
    return t.change(k.overall, k.overall - k.trend)


def _answers(s: Any, t: Translator, none: str) -> Any:
    if not isinstance(s, SurveySummary):
        return none
    return t('portfolio.survey_waiting') if s.answers is None else s.answers


def labels_for(t: Translator, content: Any, instrument: Any) -> Labels:
    """Labels in the reader's language: stage titles from content/stages.yaml, dimensions from the current kompas."""
    titles = {d.id: d.title for d in instrument.dimensions}

    def stage(stage_id: str) -> str:
        found = content.stage(stage_id)
        return t.pick(found.title) if found else stage_id

    def dimension(dimension_id: str) -> str:
        return t.pick(titles[dimension_id]) if dimension_id in titles else dimension_id

    return Labels(t, stage, dimension)
