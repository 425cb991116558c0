"""Realistic communities for property tests (Hypothesis), built through the real core services.

Every part is filled the way users fill it: long and short texts (up to 10,000 characters, markup-like text, emoji,
accents, URLs, long words), many or few items, half-filled parts, partial IT-tools matrices, survey rounds below and
above their threshold, profiles with many improvement points, kick-offs from every template (or none), plans with
0..200 actions. Nothing is written as JSON: a community is made by calling the services, so it stays valid as the
data model changes (a service that refuses what users can type fails here first).

API (kept small on purpose, other tests import it):

    community_specs()              a Hypothesis strategy of CommunitySpec (plain, printable data)
    await build_community(services, spec) -> Built(owner, cid)
    with scratch_services() as services: ...    services on a throw-away data folder (tmpfs when there is one)

One Services object can hold many generated communities (each has its own owner account), so a property test
builds the services once and one community per example. The drawn spec fixes the structure (which parts, how many
items, how long the texts); a seed in it fills the details, so examples stay cheap to draw and to shrink.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st

from core.config import Settings
from core.content import load_content
from core.errors import ValidationError
from core.i18n import LANGUAGES  # nl, fr, en, de: a community, a kick-off or an idea taken over in any of them
from core.services import Services, build_services

PASSWORD = 'a good long generated password'
COORDINATOR_EMAIL = 'coordinator@generated.example'
TEMPLATES = ('kickoff_90', 'kickoff_half_day', 'kickoff_online')
SIZES = ('empty', 'word', 'short', 'sentence', 'paragraph', 'long', 'max')
# how often each size is drawn: mostly what people type, now and then a text as long as the field allows
SIZE_WEIGHTS = {'empty': 3, 'word': 3, 'short': 6, 'sentence': 5, 'paragraph': 2, 'long': 1, 'max': 1}
# what people type: Dutch, French, English, German words, names with accents, markup-like text, emoji, URLs
WORDS = (
    "samen leren kennisdeling collega's bijeenkomst dossier actieplan afspraken verslag werkgroep vragen "
    'communauté pratique réunion échanges collègues équipe déjà garçon façon être où coordination '
    'community practice meeting knowledge sharing members sponsor review follow-up '
    'Zusammenarbeit Wissensaustausch Öffentlichkeit Straße Brüssel Zoë Łódź Ελλάδα Київ '
    'FOD SPF BOSA KMO/PME 2026 12,5% €150 n°3 (zie bijlage) [concept] «citation» "quoted" l’équipe '
    '<b>vet</b> <i>schuin <script>alert(1)</script> & &amp; a<b c>d <img src=/etc/passwd> <font size=40> '
    '😀 🎉 ✅ 👩‍💻 ★ ✓ → … – — ½ '
    'https://example.org/a/very/long/path/with-segments?x=1&y=2 '
    'Donaudampfschifffahrtsgesellschaftskapitänsmütze '
    'arbeidsongeschiktheidsverzekeringsmaatschappijen'
).split()
PUNCTUATION = ('.', ',', ':', ';', '?', '!', ' :', ' ?', ' !', '')


@dataclass(frozen=True)
class Text:
    """How long a text is (one of SIZES) and whether it has line breaks; the seed gives its words."""

    size: str
    lines: bool = False


@dataclass(frozen=True)
class SurveySpec:
    threshold: int
    answers: int  # below or above the threshold
    status: str  # open | closed | draft
    title: Text
    mode: str = 'personal'  # personal single-use links (the default) or an open link


@dataclass(frozen=True)
class ITSpec:
    template: str | None  # a catalogue template, or None: tools and criteria picked by hand
    tools: int  # without a template: how many catalogue tools
    criteria: int  # without a template: how many catalogue criteria
    custom_tools: int  # tools the group added with its own (long) names
    scored: float  # the fraction of cells with a score (a partial matrix)
    decided: bool
    rationale: Text


@dataclass(frozen=True)
class KickoffSpec:
    template: str | None  # None: an empty scenario with blocks added by hand
    blocks: int  # blocks added (or edited, for a template) with the user's own texts
    text: Text


@dataclass(frozen=True)
class CommunitySpec:
    seed: int
    name: Text
    purpose: Text
    stage: int
    expected_members: int | None
    profile: float | None  # None: no profile; else the share of improvement points among its answers
    profile_answered: float  # the share of its items answered (a half-filled profile is finished anyway)
    profile_shared: bool
    kompas_rounds: int
    kompas_answered: float
    surveys: tuple[SurveySpec, ...]
    ittools: ITSpec | None
    kickoff: KickoffSpec | None
    plan_text: Text
    actions: int
    action_text: Text
    guide_answers: int
    guide_text: Text
    ideas_taken: int = 0  # kompas suggestions taken over as actions


@dataclass(frozen=True)
class Built:
    owner: str
    cid: str
    lang: str = 'nl'


def texts(lines: bool | None = None, longest: str = 'max') -> st.SearchStrategy[Text]:
    """Short texts most of the time, sometimes a paragraph, now and then as long as the field allows (or `longest`:
    who writes two hundred actions writes short ones)."""
    allowed = SIZES[: SIZES.index(longest) + 1]
    size = st.sampled_from([size for size, weight in SIZE_WEIGHTS.items() if size in allowed for _ in range(weight)])
    return st.builds(Text, size, st.booleans() if lines is None else st.just(lines))


def counts(few: int, many: int, rare: int = 15) -> st.SearchStrategy[int]:
    """0..few most of the time; once in `rare` draws up to `many` (a plan with 200 actions exists, but seldom)."""
    return st.integers(0, rare - 1).flatmap(
        lambda bucket: st.integers(few, many) if bucket == 0 else st.integers(0, few)
    )


def surveys() -> st.SearchStrategy[SurveySpec]:
    threshold = st.integers(3, 8)  # an open link needs at least 8: raised below
    return st.builds(
        SurveySpec,
        threshold,
        st.integers(0, 14),
        st.sampled_from(('open', 'closed', 'draft')),
        texts(False),
        st.sampled_from(('personal', 'open')),
    )


def ittools() -> st.SearchStrategy[ITSpec]:
    return st.builds(
        ITSpec,
        st.sampled_from((None, *_catalogue_templates())),
        st.integers(1, 6),
        st.integers(1, 14),
        st.integers(0, 3),
        st.sampled_from((0.0, 0.1, 0.25, 0.5, 0.9, 1.0)),
        st.booleans(),
        texts(),
    )


def kickoffs() -> st.SearchStrategy[KickoffSpec]:
    return st.builds(KickoffSpec, st.sampled_from((None, *TEMPLATES)), st.integers(0, 6), texts())


@st.composite
def community_specs(draw: st.DrawFn) -> CommunitySpec:
    """A community as users leave it: any part may be missing, half done or overfull."""
    actions = draw(counts(8, 200))
    answers = draw(counts(3, 12, rare=5))
    return CommunitySpec(
        seed=draw(st.integers(0, 2**32 - 1)),
        name=draw(texts(False)),
        purpose=draw(texts(False)),
        stage=draw(st.integers(0, 4)),
        expected_members=draw(st.none() | st.integers(1, 400)),
        profile=draw(st.none() | st.sampled_from((0.0, 0.3, 0.6, 1.0))),
        profile_answered=draw(st.sampled_from((0.2, 0.5, 1.0))),
        profile_shared=draw(st.booleans()),
        kompas_rounds=draw(st.integers(0, 3)),
        kompas_answered=draw(st.sampled_from((0.1, 0.5, 0.9, 1.0))),
        surveys=tuple(draw(st.lists(surveys(), max_size=3))),
        ittools=draw(st.none() | ittools()),
        kickoff=draw(st.none() | kickoffs()),
        plan_text=draw(texts()),
        actions=actions,
        action_text=draw(texts(longest='max' if actions <= 20 else 'sentence')),
        guide_answers=answers,
        guide_text=draw(texts(True, longest='max' if answers <= 3 else 'paragraph')),
        ideas_taken=draw(st.integers(0, 2)),
    )


# -- building ---------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def scratch_services() -> Iterator[Services]:
    """Services on a throw-away data folder: in memory (tmpfs) when the machine has one, so commits cost little."""
    shm = Path('/dev/shm')
    folder = Path(tempfile.mkdtemp(prefix='cop-gen-', dir=shm if shm.is_dir() else None))
    try:
        yield build_services(Settings(data_dir=folder / 'data', backup_interval=3600))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Writer:
    """Texts of a given size from a seeded random source, cut to a field's limit."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def __call__(self, text: Text, limit: int, *, required: bool = False) -> str:
        size = text.size
        if size == 'empty' and required:
            size = 'word'
        target = {
            'empty': 0,
            'word': 1,
            'short': self.rng.randint(2, 6),
            'sentence': self.rng.randint(8, 30),
            'paragraph': self.rng.randint(40, 160),
            'long': 10_000,
            'max': 10_000,
        }[size]
        if target == 0:
            return ''
        words: list[str] = []
        length = 0
        chars = min(limit, 10_000) if size in ('long', 'max') else limit
        while len(words) < target and length < chars:
            word = self.rng.choice(WORDS)
            if self.rng.random() < 0.12:
                word += self.rng.choice(PUNCTUATION)
            if text.lines and self.rng.random() < 0.04:
                word += '\n' + ('\n' if self.rng.random() < 0.3 else '') + self.rng.choice(('- ', '* ', '1. ', ''))
            words.append(word)
            length += len(word) + 1
        value = ' '.join(words)
        if size == 'max':  # exactly at the limit: the longest a user can save
            while len(value) < chars:
                value += ' ' + self.rng.choice(WORDS)
        value = value[:chars].strip()
        if not text.lines:
            value = ' '.join(value.split())
        return value or ('x' if required else '')


def _catalogue_templates() -> tuple[str, ...]:
    return tuple(t.id for t in _content().ittools.templates)


_CONTENT = []


def _content():
    if not _CONTENT:
        _CONTENT.append(load_content())
    return _CONTENT[0]


_counter = iter(range(10**9))


async def build_community(services: Services, spec: CommunitySpec) -> Built:
    """Make the community `spec` describes, through the services, with a coordinator account of its own."""
    n = next(_counter)
    write = Writer(spec.seed)
    rng = write.rng
    # one coordinator for all the communities of a Services object (hashing a password costs 50 ms); a profile
    # is shared per community, so each dossier still sees only what its community was given
    owner = services.accounts.by_email(COORDINATOR_EMAIL) or await services.accounts.sign_up(
        'Coördinator Zoë Łukasz', COORDINATOR_EMAIL, PASSWORD
    )
    stages = services.content.stages
    fields = {
        'name': write(spec.name, 120, required=True),
        'purpose': write(spec.purpose, 300),
        'stage': stages[spec.stage % len(stages)].id,
        'sponsor': write(Text('short'), 120),
        'language': rng.choice(LANGUAGES),
    }
    if spec.expected_members is not None:
        fields['expected_members'] = spec.expected_members
    community = await services.communities.create(owner.id, fields)
    cid = community.id
    await _profile(services, owner.id, cid, spec, rng, write)
    await _kompas(services, owner.id, cid, spec, rng, write)
    await _surveys(services, owner.id, cid, spec, rng, write, n)
    await _ittools(services, owner.id, cid, spec, rng, write)
    await _kickoff(services, owner.id, cid, spec, rng, write)
    await _plan(services, owner.id, cid, spec, rng, write)
    return Built(owner.id, cid, fields['language'])


async def _profile(services, owner, cid, spec, rng, write) -> None:
    if spec.profile is None:
        return
    profiles = services.profiles
    sheet = await profiles.start(owner)
    for item in profiles.instrument.scored_items:
        if rng.random() > spec.profile_answered:
            continue
        value = rng.choice((1, 2)) if rng.random() < spec.profile else rng.choice((3, 4))
        await profiles.answer(owner, sheet.id, item.id, value)
        if rng.random() < 0.1:
            await profiles.comment(owner, sheet.id, item.id, write(spec.plan_text, 1000))
    if not profiles.get(owner, sheet.id).answers:
        await profiles.answer(owner, sheet.id, profiles.instrument.scored_items[0].id, 2)
    await profiles.finish(owner, sheet.id)
    if spec.profile_shared:
        await profiles.share(owner, sheet.id, cid, True)


async def _kompas(services, owner, cid, spec, rng, write) -> None:
    kompas = services.kompas
    for index in range(spec.kompas_rounds):
        sheet = await kompas.start(owner, cid)
        items = kompas.instrument.scored_items
        scale = kompas.instrument.scale
        for item in items:
            if rng.random() > spec.kompas_answered:
                continue
            value = 'na' if scale.not_applicable is not None and rng.random() < 0.05 else rng.choice(scale.numbers)
            await kompas.answer(owner, cid, sheet.id, item.id, value)
        if not kompas.round(owner, cid, sheet.id).answers:
            await kompas.answer(owner, cid, sheet.id, items[0].id, scale.numbers[0])
        if index < spec.kompas_rounds - 1 or rng.random() < 0.85:  # the last round may still be open
            await kompas.finish(owner, cid, sheet.id)


async def _surveys(services, owner, cid, spec, rng, write, n) -> None:
    surveys = services.surveys
    for index, plan in enumerate(spec.surveys):
        survey_round = await surveys.create(
            owner,
            cid,
            title=write(plan.title, 120),
            threshold=plan.threshold if plan.mode == 'personal' else max(8, plan.threshold),
            open_now=plan.status != 'draft',
            mode=plan.mode,
        )
        if plan.status == 'draft':
            continue
        instrument = surveys.instrument_of(survey_round)
        codes = (
            await surveys.make_codes(owner, cid, survey_round.id, max(1, plan.answers))
            if plan.mode == 'personal'
            else []
        )
        for answer in range(plan.answers):
            answers = {}
            for item in instrument.items:
                if rng.random() < 0.1:
                    continue  # members skip questions
                if item.type == 'scale':
                    scale = instrument.scale_for(item)
                    answers[item.id] = rng.choice(scale.numbers)
                elif item.type == 'choice':
                    answers[item.id] = rng.choice(item.options).id
                elif item.type == 'multi':
                    chosen = [o.id for o in item.options if rng.random() < 0.4][: item.max_choices]
                    answers[item.id] = chosen or [item.options[0].id]
                elif rng.random() < 0.5:
                    answers[item.id] = write(Text(rng.choice(SIZES[1:5]), True), 2000)
            answers = {k: v for k, v in answers.items() if v not in ('', [])}
            if not answers:
                continue
            ticket = surveys.ticket(cid, survey_round.token)
            # each member answers from their own device: the per-address limit is not what is tested here
            code = codes[answer] if codes else None
            await surveys.submit(
                cid, survey_round.token, ticket, answers, client=f'gen-{n}-{index}-{answer}', code=code
            )
        if plan.status == 'closed':
            await surveys.set_status(owner, cid, survey_round.id, 'closed')


async def _ittools(services, owner, cid, spec, rng, write) -> None:
    plan = spec.ittools
    if plan is None:
        return
    ittools = services.ittools
    catalogue = ittools.catalogue
    actor = ittools.user_actor(services.accounts.get(owner), cid)
    if plan.template:
        comparison = await ittools.create(actor, cid, write(Text('sentence'), 120, required=True), plan.template)
    else:
        tools = rng.sample([t.id for t in catalogue.tools], min(plan.tools, len(catalogue.tools)))
        criteria = rng.sample([c.id for c in catalogue.criteria], min(plan.criteria, len(catalogue.criteria)))
        comparison = await ittools.create(actor, cid, write(Text('short'), 120, required=True), None, tools, criteria)
    for _ in range(plan.custom_tools):
        if len(ittools.comparison(actor, cid, comparison.id).tools) < 12:
            try:
                await ittools.add_tool(
                    actor, cid, comparison.id, name=write(Text(rng.choice(SIZES[1:])), 60, required=True)
                )
            except ValidationError as e:  # a drawn name that a tool of the comparison has already: refused, fine
                if e.key != 'ittools.error.tool_present':
                    raise
    comparison = ittools.comparison(actor, cid, comparison.id)
    for tool in comparison.tools:
        for criterion in comparison.criteria:
            if rng.random() < plan.scored:
                await ittools.set_score(actor, cid, comparison.id, f'{tool.id}:{criterion.id}', rng.randint(0, 3))
    if plan.decided:
        tool = rng.choice(comparison.tools)
        day = (date(2026, 6, 1) + timedelta(days=rng.randint(0, 300))).isoformat()
        rationale = write(plan.rationale, 2000, required=True)
        await ittools.record_decision(actor, cid, comparison.id, tool.id, rationale, day)


async def _kickoff(services, owner, cid, spec, rng, write) -> None:
    plan = spec.kickoff
    if plan is None:
        return
    kickoff = services.kickoff
    lang = rng.choice(LANGUAGES)
    scenario = await kickoff.create(
        owner, cid, title=write(Text('short'), 120, required=True), lang=lang, template_id=plan.template
    )
    for index in range(plan.blocks):
        texts_ = {
            'title': write(plan.text, 120, required=True),
            'goal': write(plan.text, 600),
            'instructions': write(plan.text, 4000),
            'materials': write(Text('short'), 1000),
            'notes': write(plan.text, 4000),
            'duration': rng.choice((5, 10, 15, 30, 45, 90)),
        }
        if scenario.blocks and index < len(scenario.blocks) and rng.random() < 0.5:
            scenario = await kickoff.update_block(owner, cid, scenario.id, scenario.blocks[index].id, texts_)
        else:
            scenario, _ = await kickoff.add_block(owner, cid, scenario.id, texts_)


async def _plan(services, owner, cid, spec, rng, write) -> None:
    plan = services.plan
    day = (date(2026, 12, 1) + timedelta(days=rng.randint(0, 200))).isoformat()
    await plan.save_plan(
        owner,
        cid,
        {
            'purpose': write(spec.plan_text, 500),
            'core_group': write(spec.plan_text, 1000),
            'rhythm': write(Text('sentence'), 500),
            'digital_space': write(Text('short'), 300),
            'next_review': day if rng.random() < 0.6 else '',
        },
    )
    statuses = ('planned', 'doing', 'done')
    for _ in range(spec.actions):
        fields = {
            'title': write(spec.action_text, 200, required=True),
            'owner': write(Text(rng.choice(('empty', 'word', 'short'))), 120),
            'description': write(spec.action_text, 2000) if rng.random() < 0.6 else '',
            'indicator': write(Text(rng.choice(('empty', 'short', 'sentence'))), 500),
            'status': rng.choice(statuses),
        }
        if rng.random() < 0.4:
            fields['due'] = (date(2026, 12, 1) + timedelta(days=rng.randint(0, 400))).isoformat()
        elif rng.random() < 0.6:
            fields['horizon'] = rng.choice(('30', '60', '90'))
        await plan.add(owner, cid, fields)
    kompas = services.kompas.latest_result(owner, cid)
    if kompas is not None and spec.ideas_taken:
        for dimension in kompas.result.priorities[: spec.ideas_taken]:
            score = kompas.result.dimension(dimension)
            if score is not None and score.band is not None and score.band.actions:
                sent = await services.suggestions.send(
                    owner, cid, 'kompas', kompas.round.id, dimension, dict(score.band.actions[0])
                )
                await plan.accept(owner, cid, sent.id, rng.choice(LANGUAGES))
    questions = [q for phase in services.content.guide.phases for q in phase.questions]
    for question in rng.sample(questions, min(spec.guide_answers, len(questions))):
        await services.guide.save(owner, cid, question.id, write(spec.guide_text, 10_000, required=True))
