"""The dossier for the sponsor: everything a community's tools hold, gathered as plain data for the PDF and its
accessible HTML twin. Each part is None (or empty) when its tool holds nothing yet, and says so in the document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import clock
from .communities import Community
from .errors import NotFound
from .guide import Answer, Guide, answered_by_phase
from .i18n import Translator
from .ittools.report import completeness_facts
from .kompas import RoundResult
from .needs import for_script
from .plan import Action, EffectivePlan, effective_plan, filter_and_sort
from .profile import SharedProfile
from .questionnaire import Instrument
from .roles import Permission, Role
from .stages import Stage
from .survey import SurveyRound
from .survey_results import Gap, SurveyResults, disagreements, nearest_in_time, perception_gap, weak_items

if TYPE_CHECKING:
    from .services import Services

SECTIONS = ('community', 'profile', 'kompas', 'survey', 'ittools', 'kickoff', 'plan', 'stories', 'guide')
# Privacy by default: the coordinator's self-assessment goes to the sponsor only when ticked for this dossier.
DEFAULT_SECTIONS = tuple(s for s in SECTIONS if s != 'profile')


@dataclass(frozen=True)
class SurveyPart:
    round: SurveyRound
    instrument: Instrument
    results: SurveyResults
    gaps: list[Gap]
    kompas_day: str | None = None  # when the kompas round the gaps read against was finished


@dataclass
class DossierData:
    community: Community
    coordinator: str
    made: str  # the day the dossier was made (ISO)
    stage: Stage | None
    plan: EffectivePlan  # the plan's fields, with the purpose and digital space it reads with
    kompas_current: Instrument  # names the kompas dimensions of the perception gap
    profile: SharedProfile | None = None  # the coordinator's own profile, only if they shared it
    kompas: RoundResult | None = None  # carries the instrument version the round was answered on
    kompas_stage: Stage | None = None  # the stage the latest kompas round estimates
    survey: SurveyPart | None = None
    survey_waiting: SurveyRound | None = None  # a round still below its threshold (nothing of it is shown)
    decision: dict[str, Any] | None = None
    kickoff: dict[str, Any] | None = None
    actions: list[Action] = field(default_factory=list)
    guide: Guide | None = None
    guide_answers: dict[str, Answer] = field(default_factory=dict)
    stories: list[Any] = field(default_factory=list)  # published value-creation stories (core/stories.py)
    # per section, the sources of the instrument items, guide questions and catalogue entries it shows (the appendix)
    sources: dict[str, list[str]] = field(default_factory=dict)


def collect(services: Services, actor: str, cid: str, lang: str) -> DossierData:
    """Everything the dossier shows, as the actor may see it (view rights checked by every service)."""
    community, _ = services.communities.get(actor, cid, Permission.VIEW)
    members = services.communities.members(actor, cid)
    coordinator = next((m for m in members if m.role == Role.COORDINATOR), None)
    decision = services.ittools.latest_decision(cid)
    data = DossierData(
        community=community,
        coordinator=coordinator.name if coordinator else '',
        made=clock.today_iso(),
        stage=services.content.stage(community.stage),
        plan=effective_plan(services.plan.plan(actor, cid), community, decision),
        kompas_current=services.kompas.instrument,
        decision=decision,
    )
    # the dossier goes to the sponsor: only the coordinator's own profile, and only when they shared it (a member
    # who shared theirs did so with the community's coordinators and coach, not with the sponsor)
    data.profile = next(
        (
            p
            for p in services.profiles.shared_with(actor, cid)
            if coordinator is not None and p.owner_id == coordinator.user_id
        ),
        None,
    )
    try:
        data.kompas = services.kompas.latest_result(actor, cid)
    except NotFound:  # the instrument version it was answered on is gone: the section says it is missing
        data.kompas = None
    if data.kompas and data.kompas.result.stage:
        data.kompas_stage = services.content.stage(data.kompas.result.stage)
    for survey_round in services.surveys.rounds(actor, cid):
        try:
            results = services.surveys.results(actor, cid, survey_round.id, community.expected_members)
        except NotFound:  # idem
            continue
        if results is None:
            if data.survey_waiting is None and survey_round.status != 'draft':
                data.survey_waiting = survey_round
            continue
        # the released snapshot (results.count says how many answers it holds), read against the kompas round
        # nearest in time to the survey
        finished = [(r.finished, r.id) for r in services.kompas.rounds(actor, cid) if r.done]
        nearest = nearest_in_time(finished, survey_round.created)
        try:
            kompas = services.kompas.result(actor, cid, nearest) if nearest else None
        except NotFound:
            kompas = None
        data.survey = SurveyPart(
            survey_round,
            services.surveys.instrument_of(survey_round),
            results,
            perception_gap(kompas.result if kompas else None, results),
            kompas.round.finished if kompas else None,
        )
        break
    data.kickoff = services.kickoff.plan_data(actor, cid, lang)
    if data.kickoff is not None:  # what prospective members said, as the facilitator's script shows it
        data.kickoff['needs'] = for_script(services.needs.latest(actor, cid), Translator(services.content.ui, lang))
    data.actions = services.plan.actions(actor, cid)
    data.guide = services.content.guide
    data.guide_answers = services.guide.answers(actor, cid)
    data.stories = services.stories.published(cid)  # the role was checked above
    data.sources = used_sources(services, data)
    return data


@dataclass(frozen=True)
class Grid:
    """A table as both renderers print it: caption, column titles, rows of text, and the numeric columns."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A radar's or bar chart's figures; the Grid beside it holds the same figures as text."""

    labels: list[str]
    series: list[tuple[str, list[float | None]]]
    high: float


@dataclass(frozen=True)
class KompasView:
    note: str
    overall: str | None
    priorities: str | None
    radar: Chart
    table: Grid
    readings: list[tuple[str, str]]  # (dimension: band (mean), interpretation)


@dataclass(frozen=True)
class SurveyView:
    title: str
    count: str
    note: str
    blocks: Grid
    cycles: Grid | None
    gap: GapView | None
    weak: list[str]


@dataclass(frozen=True)
class GapView:
    """The perception gap as text: how the two rankings are made, where they disagree, and the rankings side by
    side (no chart: a radar of two different scales invites reading a difference that means nothing)."""

    note: str
    disagreements: list[str]
    grid: Grid | None  # None when fewer than two dimensions have a score on both sides
    unranked: str | None  # the dimensions only one side has a score for


@dataclass(frozen=True)
class DecisionView:
    chosen: str
    facts: list[tuple[str, str]]  # (label, value): date, rationale, comparison
    bars: Chart | None  # the ranking in percent
    ranking: Grid | None


@dataclass(frozen=True)
class ActionLine:
    title: str
    description: str
    indicator: str
    owner: str
    when: str
    status: str
    source: str


# The sections as plain text, the same for the PDF and the web page: the renderers only lay them out.


def cover_facts(data: DossierData, t: Translator) -> list[tuple[str, str]]:
    return [
        (t('dossier.cover.coordinator'), data.coordinator or '—'),
        (t('dossier.cover.sponsor'), data.community.sponsor or '—'),
        (t('dossier.cover.date'), t.date(data.made)),
        (t('dossier.cover.language'), t(f'lang.{t.lang}')),
    ]


def community_rows(data: DossierData, t: Translator) -> list[list[str]]:
    """'The community in brief' as (topic, state) rows."""
    c, plan = data.community, data.plan.fields
    stage = f'{t.pick(data.stage.title)} — {t.pick(data.stage.explanation)}' if data.stage else c.stage
    return [
        [t('community.field.purpose'), data.plan.purpose or '—'],
        [t('community.field.stage'), stage],
        [t('community.field.sponsor'), c.sponsor or '—'],
        [t('community.field.expected_members'), t.number(c.expected_members) if c.expected_members else '—'],
        [t('community.field.language'), t(f'lang.{c.language}')],
        [t('plan.fields.core_group'), plan.core_group or '—'],
        [t('plan.fields.rhythm'), plan.rhythm or '—'],
        [t('plan.fields.digital_space'), t.pick(data.plan.digital_space) or '—'],
        [t('plan.fields.next_review'), t.date(plan.next_review) if plan.next_review else '—'],
    ]


def kompas_view(data: DossierData, t: Translator) -> KompasView | None:
    outcome = data.kompas
    if outcome is None:
        return None
    instrument, result, sheet = outcome.instrument, outcome.result, outcome.round
    previous = outcome.previous[1] if outcome.previous else None
    overall = None
    if result.overall is not None and result.stage:
        name = t.pick(data.kompas_stage.title) if data.kompas_stage else result.stage
        overall = t('kompas.overall', mean=t.number(result.overall, 1), stage=name)
    priorities = (
        t('kompas.priorities', dimensions=', '.join(t.pick(instrument.dimension(d).title) for d in result.priorities))
        if result.priorities
        else None
    )
    series = [(t('kompas.series_this', date=t.date(sheet.finished)), [s.mean for s in result.dimensions])]
    header = [t('kompas.col_dimension'), t('kompas.col_score'), t('kompas.col_band')]
    if previous is not None:
        series.append(
            (
                t('kompas.series_previous', date=t.date(outcome.previous[0].finished)),
                [before.mean if (before := previous.dimension(d.id)) else None for d in instrument.dimensions],
            )
        )
        header += [t('kompas.col_previous'), t('kompas.col_change')]
    rows, readings = [], []
    for d, s in zip(instrument.dimensions, result.dimensions, strict=True):
        row = [
            t.pick(d.title),
            t.number(s.mean, 1) if s.mean is not None else t('kompas.too_few_short'),
            t.pick(s.band.label) if s.band else '—',
        ]
        if previous is not None:
            before = previous.dimension(d.id)
            before_mean = before.mean if before else None
            row += [t.number(before_mean, 1) if before_mean is not None else '—', t.change(s.mean, before_mean)]
        rows.append(row)
        if s.band is not None:
            readings.append(
                (
                    t(
                        'dossier.kompas.reading',
                        dimension=t.pick(d.title),
                        band=t.pick(s.band.label),
                        mean=t.number(s.mean, 1),
                    ),
                    t.pick(s.band.interpretation) if s.band.interpretation else '',
                )
            )
    return KompasView(
        note=t('dossier.kompas.round', date=t.date(sheet.finished), version=sheet.version),
        overall=overall,
        priorities=priorities,
        radar=Chart([t.pick(d.title) for d in instrument.dimensions], series, instrument.scale.high),
        table=Grid(
            t('kompas.table_caption', scale=instrument.scale.high),
            header,
            rows,
            (1, 3, 4) if previous is not None else (1,),
        ),
        readings=readings,
    )


def survey_view(data: DossierData, t: Translator) -> SurveyView | None:
    part = data.survey
    if part is None:
        return None
    results, instrument = part.results, part.instrument
    count = (
        t('survey.results.count_rate', count=results.count, expected=results.expected, rate=t.percent(results.rate))
        if results.expected
        else t('survey.results.count', count=results.count)
    )
    blocks = Grid(
        t('survey.results.blocks_caption'),
        [t('survey.results.block'), t('survey.results.mean')],
        [[t.pick(instrument.dimension(b).title), t.number(m, 1)] for b, m in results.blocks.items() if m is not None],
        (1,),
    )
    cycles = (
        Grid(
            t('survey.results.cycles_caption'),
            [t('survey.results.cycle'), t('survey.results.mean')],
            [[t(f'survey.cycle.{c}'), t.number(m, 1) if m is not None else '—'] for c, m in results.cycles.items()],
            (1,),
        )
        if results.cycles
        else None
    )
    gap = gap_view(part.gaps, data.kompas_current, t, part.kompas_day) if part.gaps else None
    return SurveyView(
        title=part.round.title or t('survey.round_default', date=t.date(part.round.created)),
        count=count,
        note=t('dossier.survey.note', threshold=part.round.threshold)
        + ('' if part.round.verified else ' ' + t('survey.unverified')),
        blocks=blocks,
        cycles=cycles,
        gap=gap,
        weak=[f'{t.pick(r.item.statement)} ({t.number(r.mean, 1)})' for r in weak_items(results)],
    )


def decision_view(data: DossierData, t: Translator) -> DecisionView | None:
    decision = data.decision
    if decision is None:
        return None
    facts = [
        (t('dossier.ittools.date'), t.date(decision['date']) or decision['date'] or '—'),
        (t('dossier.ittools.rationale'), decision['rationale'] or '—'),
        (t('dossier.ittools.comparison'), decision['title']),
        *completeness_facts(decision, t),
    ]
    ranking = decision['ranking']
    if not ranking:
        return DecisionView(t('dossier.ittools.chosen', tool=t.pick(decision['tool_name'])), facts, None, None)
    names = [t.pick(r['name']) for r in ranking]
    rows = [
        [
            str(r['rank']),
            name,
            t.percent(r['percent']),
            t('dossier.ittools.excluded', criteria=', '.join(t.pick(f) for f in r['failed'])) if r['excluded'] else '—',
        ]
        for r, name in zip(ranking, names, strict=True)
    ]
    return DecisionView(
        t('dossier.ittools.chosen', tool=t.pick(decision['tool_name'])),
        facts,
        Chart(names, [(t('dossier.ittools.score'), [round(r['percent'] * 100) for r in ranking])], 100),
        Grid(
            t('dossier.ittools.ranking'),
            [
                t('dossier.ittools.rank'),
                t('dossier.ittools.tool'),
                t('dossier.ittools.score'),
                t('dossier.ittools.must'),
            ],
            rows,
            (2,),
        ),
    )


def action_lines(data: DossierData, t: Translator) -> list[ActionLine]:
    """The plan's actions in the plan's own status order."""
    return [
        ActionLine(
            a.title,
            a.description,
            t('plan.indicator_is', indicator=a.indicator) if a.indicator else '',
            a.owner or '—',
            t.date(a.due) if a.due else t('plan.horizon.days', days=a.horizon) if a.horizon else '—',
            t(f'plan.status.{a.status}'),
            t(f'plan.source.{a.source}'),
        )
        for a in filter_and_sort(data.actions, sort='status')
    ]


def guide_sections(data: DossierData) -> list[tuple[Any, list[tuple[Any, Answer]]]]:
    """The guide's phases that hold answers, each with its answered questions in guide order."""
    return answered_by_phase(data.guide, data.guide_answers) if data.guide else []


def gap_view(gaps: list[Gap], kompas: Instrument, t: Translator, kompas_day: str | None) -> GapView:
    """The perception gap for the survey page and the dossier alike: the coordinator's and the members' ranking of
    the kompas dimensions both speak about, never a difference of their scores."""

    def name(g: Gap) -> str:
        dimension = kompas.dimension(g.dimension)
        return t.pick(dimension.title) if dimension else g.dimension

    ranked = [g for g in gaps if g.ranked]
    note = t('survey.gap.help', date=t.date(kompas_day)) if kompas_day else t('survey.gap.no_kompas')
    if ranked:
        note += ' ' + t('survey.gap.how')
    wide = [
        t(
            'survey.gap.disagree',
            dimension=name(g),
            kompas_place=g.coordinator_rank,
            members_place=g.members_rank,
            total=len(ranked),
        )
        for g in disagreements(ranked)
    ]
    if ranked and not wide:
        wide = [t('survey.gap.agree')]
    grid = (
        Grid(
            t('survey.gap.caption'),
            # the two places side by side (the list above says in words where they lie far apart): three narrow
            # columns that fit a phone
            [t('kompas.col_dimension'), t('survey.gap.coordinator'), t('survey.gap.members')],
            [[name(g), str(g.coordinator_rank), str(g.members_rank)] for g in ranked],
            (1, 2),
        )
        if ranked
        else None
    )
    rest = [name(g) for g in gaps if not g.ranked]
    unranked = None
    if rest and kompas_day:
        unranked = t('survey.gap.unranked', dimensions=', '.join(rest)) if ranked else t('survey.gap.too_few')
    return GapView(note, wide, grid, unranked)


# -- the appendix of sources: the last section, after every chosen one ---------------------------------------------


def used_sources(services: Services, data: DossierData) -> dict[str, list[str]]:
    """Per section, the works (full references, content/sources.yaml) behind every instrument item, guide question,
    kick-off block, IT-tools criterion and stage whose result the section shows: what the appendix lists when the
    section is in the dossier."""
    cited: dict[str, list[str]] = {'community': [data.stage.source] if data.stage else []}
    if data.profile is not None:
        outcome = data.profile.profile
        cited['profile'] = [f.item.source for f in [*outcome.strengths, *outcome.improvements]]
    if data.kompas is not None:
        estimated = [data.kompas_stage.source] if data.kompas_stage else []
        cited['kompas'] = [item.source for item in data.kompas.instrument.items] + estimated
    if data.survey is not None:
        cited['survey'] = [item.source for item in data.survey.instrument.items]
    if data.decision is not None:
        catalogue = services.content.ittools
        chosen = (catalogue.criterion(c['id']) for c in data.decision.get('criteria', ()))
        cited['ittools'] = [c.source for c in chosen if c is not None]  # own criteria have no source
    if data.kickoff is not None:
        cited['kickoff'] = [block.get('source', '') for block in data.kickoff['blocks']]
    cited['guide'] = [question.source for _, answered in guide_sections(data) for question, _ in answered]
    works = services.content.sources
    return {section: [r for source in sources for r in works.references(source)] for section, sources in cited.items()}


def appendix_sources(data: DossierData, sections: Sequence[str]) -> list[str]:
    """The works behind the chosen sections, each once, sorted as a list of references is."""
    references = {reference: None for section in sections for reference in data.sources.get(section, ())}
    return sorted(references, key=lambda r: (r.casefold(), r))
