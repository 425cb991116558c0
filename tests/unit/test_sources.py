"""Sources you can see (issue 15, item 4): every guide question, kick-off block, IT-tools criterion and facilitation
method names what it rests on; no internal note or weak blog stands in for a source; a new item without a source
fails the content check; correcting a source does not need a new instrument version; the dossier's appendix lists
the sources of exactly what the dossier shows."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from core.config import Settings
from core.content import load_content
from core.demo import seed_parts
from core.dossier import SECTIONS, appendix_sources, collect, split_source
from core.guide import load_guide
from core.ittools.catalogue import load_criteria
from core.kickoff import load_catalogue
from core.questionnaire import fingerprint, load_instruments
from core.services import build_services
from core.yamlcheck import CONTENT_DIR, ContentError

PASSWORD = 'a good long password'
# what stood in for a source before: the team's own notes, a design blog, a vendor-comparison blog, "common
# practice" (i.e. nothing), and the misattribution of domain/community/practice to Wenger 1998
WEAK = re.compile(
    r'domain brief|internal note|sinclair ?design|onfleek|ossalt|blogspot|common (online |community-building )?'
    r'(facilitation )?practice|wenger 1998\W+(domain|community|practice)',
    re.IGNORECASE,
)


@pytest.fixture(scope='module')
def content():
    return load_content()


def the_four_kinds(content) -> dict[str, str]:
    """'kind id' -> source, for every guide question, kick-off template block, criterion and method."""
    found = {f'guide {q.id}': q.source for p in content.guide.phases for q in p.questions}
    found |= {
        f'kickoff {t.id}[{i}] {b.kind}': b.source for t in content.kickoff.templates for i, b in enumerate(t.blocks)
    }
    found |= {f'criterion {c.id}': c.source for g in content.ittools.groups for c in g.criteria}
    found |= {f'method {m.id}': m.source for m in content.kickoff.methods}
    return found


def test_every_guide_question_block_criterion_and_method_has_a_source(content):
    found = the_four_kinds(content)
    assert len([k for k in found if k.startswith('guide')]) == sum(len(p.questions) for p in content.guide.phases)
    assert len(found) > 90  # 31 questions, 26 blocks, 22 criteria, 17 methods when this was written
    empty = [key for key, source in found.items() if len(source.strip()) < 12]
    assert empty == []


def test_no_source_is_an_internal_note_a_weak_blog_or_the_1998_misattribution(content):
    sources = dict(the_four_kinds(content))
    sources |= {f'tool {t.id}': t.source for t in content.ittools.tools}
    sources |= {f'stage {s.id}': s.source for s in content.stages}
    for instrument_id in content.instruments.ids():
        for version in range(1, content.instruments.current(instrument_id).version + 1):
            instrument = content.instruments.get(instrument_id, version)
            if instrument is not None:  # archived versions too: old rounds show their own sources
                sources |= {f'{instrument_id} v{version} {i.id}': i.source for i in instrument.items}
    weak = {key: source for key, source in sources.items() if WEAK.search(source)}
    assert weak == {}


def test_the_weak_source_pattern_catches_what_it_is_meant_to():
    for bad in (
        'Wenger 1998: domain',
        'Sinclair Design, forum vs chat',
        'Common facilitation practice (check-in)',
        'Common online facilitation practice',
        'Domain brief 5.1 criteria list',
        'integration pitfalls (onfleek)',
    ):
        assert WEAK.search(bad), bad
    for good in (
        'Wenger, McDermott & Snyder 2002, ch. 2: the domain',
        'Lipmanowicz & McCandless, Liberating Structures',
    ):
        assert not WEAK.search(good), good


def _drop_first_source(path: Path, pattern: str) -> None:
    """Remove the first `source:` line matching `pattern` (its indentation says which kind of item owns it)."""
    lines = path.read_text(encoding='utf-8').split('\n')
    index = next(i for i, line in enumerate(lines) if re.match(pattern, line))
    del lines[index]
    path.write_text('\n'.join(lines), encoding='utf-8')


@pytest.mark.parametrize(
    ('file', 'pattern', 'load'),
    [
        (
            'guide.yaml',
            r'^ {8}source: ',
            lambda f: load_guide(f, {'potential', 'coalescing', 'maturing', 'stewardship', 'transformation'}),
        ),
        ('catalogues/kickoff.yaml', r'^ {8}source: ', lambda f: load_catalogue(f.parent)),
        ('catalogues/methods.yaml', r'^ {4}source: ', lambda f: load_catalogue(f.parent)),
        ('catalogues/criteria.yaml', r'^ {8}source: ', load_criteria),
    ],
)
def test_an_item_without_a_source_fails_the_content_check(tmp_path, file, pattern, load):
    shutil.copytree(CONTENT_DIR, tmp_path / 'content')
    path = tmp_path / 'content' / file
    load(path)  # the copy loads as it is
    _drop_first_source(path, pattern)
    with pytest.raises(ContentError, match=r'source: missing source'):
        load(path)


def test_a_corrected_source_needs_no_new_version_but_a_changed_wording_does(tmp_path):
    folder = tmp_path / 'instruments'
    shutil.copytree(CONTENT_DIR / 'instruments', folder)
    path = folder / 'kompas.yaml'
    raw = yaml.safe_load(path.read_text(encoding='utf-8'))
    item = raw['dimensions'][0]['items'][0]
    before = fingerprint(raw)
    item['source'] = 'Wenger, McDermott & Snyder 2002, a corrected part'
    assert fingerprint(raw) == before
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding='utf-8')
    loaded = load_instruments(folder, {'potential', 'coalescing', 'maturing', 'stewardship', 'transformation'})
    assert loaded.current('kompas').item(item['id']).source == 'Wenger, McDermott & Snyder 2002, a corrected part'
    item['statement']['nl'] += ' (anders)'
    assert fingerprint(raw) != before
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding='utf-8')
    with pytest.raises(ContentError, match='changed'):
        load_instruments(folder, {'potential', 'coalescing', 'maturing', 'stewardship', 'transformation'})
    assert json.loads((folder / 'versions.json').read_text())['kompas']  # the record itself was not touched


def test_a_scenario_block_shows_its_kind_and_its_method(content):
    catalogue = content.kickoff
    impromptu = catalogue.method('impromptu_networking').source
    icebreaker = next(b.source for b in catalogue.template('kickoff_90').blocks if b.kind == 'icebreaker')
    assert catalogue.block_source('kickoff_90', 'icebreaker', 'impromptu_networking') == f'{icebreaker}; {impromptu}'
    assert catalogue.block_source('', 'method', 'impromptu_networking') == impromptu  # inserted from the library
    assert catalogue.block_source('gone_template', 'charter', '') != ''  # any template's block of the kind
    assert catalogue.block_source('kickoff_90', 'custom', '') == ''  # the coordinator's own block: nothing to cite


def test_split_source_keeps_bracketed_semicolons_with_their_reference():
    assert split_source('A 2002, ch. 2;  B (x; y) ;') == ['A 2002, ch. 2', 'B (x; y)']
    assert split_source('') == []


@pytest.fixture
async def seeded(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    owner = await services.accounts.sign_up('Olga Owner', 'owner@b.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP Bronnen', 'purpose': 'Samen leren'})
    await seed_parts(services, owner.id, community.id)
    return services, owner.id, community.id


async def test_the_appendix_lists_the_sources_of_what_the_dossier_shows(seeded):
    services, owner, cid = seeded
    data = collect(services, owner, cid, 'nl')
    everything = appendix_sources(data, SECTIONS)
    assert everything == sorted(set(everything), key=lambda r: (r.casefold(), r))  # each once, sorted
    # the kompas section brings the sources of the kompas version its round was answered on, and no other
    assert data.kompas is not None
    kompas_refs = {r for item in data.kompas.instrument.items for r in split_source(item.source)}
    only_kompas = set(appendix_sources(data, ['kompas']))
    assert kompas_refs <= only_kompas
    stage_refs = {r for stage in services.content.stages for r in split_source(stage.source)}
    profile_refs = {r for item in services.profiles.instrument.items for r in split_source(item.source)}
    profile_only = profile_refs - kompas_refs - stage_refs
    assert profile_only and profile_only.isdisjoint(only_kompas)
    # the shared profile brings the sources of the strengths and improvement points it prints, not of every item
    assert data.profile is not None
    findings = [*data.profile.profile.strengths, *data.profile.profile.improvements]
    assert set(appendix_sources(data, ['profile'])) == {r for f in findings for r in split_source(f.item.source)}
    # the kick-off section: the sources of the blocks of the current scenario, with their methods
    assert data.kickoff is not None
    block_refs = {r for b in data.kickoff['blocks'] for r in split_source(b['source'])}
    assert block_refs and block_refs <= set(appendix_sources(data, ['kickoff']))
    # the IT-tools section: the catalogue criteria of the decided comparison
    if data.decision is not None:
        criteria = [services.content.ittools.criterion(c['id']) for c in data.decision['criteria']]
        refs = {r for c in criteria if c is not None for r in split_source(c.source)}
        assert refs <= set(appendix_sources(data, ['ittools']))
    # no section, no sources; a section left out takes its sources with it
    assert appendix_sources(data, []) == []
    await services.guide.save(owner, cid, 'launch_charter', 'Een charter in drie vakken.')
    data = collect(services, owner, cid, 'nl')
    answered = [q for p in data.guide.phases for q in p.questions if q.id in data.guide_answers]
    assert answered
    assert set(appendix_sources(data, ['guide'])) == {r for q in answered for r in split_source(q.source)}
