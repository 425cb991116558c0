"""Sources you can see (issue 15, item 4): every guide question, kick-off block, IT-tools criterion and facilitation
method names what it rests on; no internal note or weak blog stands in for a source; a new item without a source
fails the content check; correcting a source does not need a new instrument version; the dossier's appendix lists
the sources of exactly what the dossier shows."""

from __future__ import annotations

import io
import json
import pickle
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from core.cited import cited_in, join_cited
from core.config import Settings
from core.content import load_content
from core.demo import seed_parts
from core.dossier import SECTIONS, appendix_sources, collect
from core.guide import load_guide
from core.i18n import Translator
from core.ittools.catalogue import load_criteria
from core.kickoff import load_catalogue
from core.pdf.dossier import build_dossier
from core.questionnaire import fingerprint, load_instruments
from core.services import build_services
from core.sources import Bibliography, Work, split_source
from core.yamlcheck import CONTENT_DIR, Checker, ContentError

PASSWORD = 'a good long password'
# what stood in for a source before: the team's own notes, a design blog, a vendor-comparison blog, "common
# practice" (i.e. nothing), a news site standing in for a vendor's documentation, and the misattribution of
# domain/community/practice to Wenger 1998
WEAK = re.compile(
    r'domain brief|internal note|sinclair ?design|onfleek|ossalt|clubic|blogspot|common (online |community-building )?'
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


def every_source(content) -> dict[str, str]:
    """The four kinds, the tools, the stages and every item of every instrument version (archived ones too: old
    rounds show their own sources)."""
    sources = dict(the_four_kinds(content))
    sources |= {f'tool {t.id}': t.source for t in content.ittools.tools}
    sources |= {f'stage {s.id}': s.source for s in content.stages}
    for instrument_id in content.instruments.ids():
        for version in range(1, content.instruments.current(instrument_id).version + 1):
            instrument = content.instruments.get(instrument_id, version)
            if instrument is not None:
                sources |= {f'{instrument_id} v{version} {i.id}': i.source for i in instrument.items}
    return sources


def test_no_source_is_an_internal_note_a_weak_blog_or_the_1998_misattribution(content):
    weak = {key: source for key, source in every_source(content).items() if WEAK.search(source)}
    assert weak == {}


def test_every_citation_names_a_work_of_the_bibliography_and_every_work_is_cited(content):
    # the tools' own sources are addresses of their documentation and never reach the dossier
    sources = {key: source for key, source in every_source(content).items() if source and not key.startswith('tool ')}
    unknown = {key: content.sources.unknown(source) for key, source in sources.items()}
    assert {key: missing for key, missing in unknown.items() if missing} == {}
    cited = {
        content.sources.work_of(c).id for s in sources.values() for c in split_source(s) if content.sources.work_of(c)
    }
    assert {w.id for w in content.sources.works} - cited == set()


def test_a_citation_that_names_no_work_continues_the_one_before_it():
    works = Bibliography(
        (
            Work('w2002', ('Wenger, McDermott & Snyder 2002',), 'Wenger et al. (2002). Cultivating.'),
            Work('w2002b', ('Wenger, McDermott & Snyder 2002, ch. 9',), 'A longer beginning wins.'),
            Work('cdc', ('CDC',), 'CDC. Resource Kit.'),
        )
    )
    assert works.references('Wenger, McDermott & Snyder 2002, principle 2; principle 4; cdc kit') == [
        'Wenger et al. (2002). Cultivating.',
        'CDC. Resource Kit.',
    ]
    assert works.references('wenger, mcdermott & snyder 2002, ch. 9') == ['A longer beginning wins.']
    assert works.references('Somebody 1999; CDC') == ['Somebody 1999', 'CDC. Resource Kit.']  # kept as written
    assert works.unknown('Somebody 1999; CDC; and more') == ['Somebody 1999']


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
    """Remove the first `source:` matching `pattern` (its indentation says which kind of item owns it), with the lines
    of a folded or translated source under it."""
    lines = path.read_text(encoding='utf-8').split('\n')
    index = next(i for i, line in enumerate(lines) if re.match(pattern, line))
    indent = len(lines[index]) - len(lines[index].lstrip())
    end = index + 1
    while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    del lines[index:end]
    path.write_text('\n'.join(lines), encoding='utf-8')


@pytest.mark.parametrize(
    ('file', 'pattern', 'load'),
    [
        (
            'guide.yaml',
            r'^ {8}source:',
            lambda f: load_guide(f, {'potential', 'coalescing', 'maturing', 'stewardship', 'transformation'}),
        ),
        ('catalogues/kickoff.yaml', r'^ {8}source:', lambda f: load_catalogue(f.parent)),
        ('catalogues/methods.yaml', r'^ {4}source:', lambda f: load_catalogue(f.parent)),
        ('catalogues/criteria.yaml', r'^ {8}source:', load_criteria),
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


def test_split_source_keeps_bracketed_semicolons_with_their_citation():
    assert split_source('A 2002, ch. 2;  B (x; y) ;') == ['A 2002, ch. 2', 'B (x; y)']
    assert split_source('') == []


@pytest.fixture
async def seeded(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    owner = await services.accounts.sign_up('Olga Owner', 'owner@b.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP Schrijven', 'purpose': 'Samen leren'})
    await seed_parts(services, owner.id, community.id)
    return services, owner.id, community.id


async def test_the_appendix_lists_the_works_behind_what_the_dossier_shows(seeded):
    services, owner, cid = seeded
    works = services.content.sources

    def refs(sources) -> set[str]:
        return {r for source in sources for r in works.references(source)}

    data = collect(services, owner, cid, 'nl')
    everything = appendix_sources(data, SECTIONS)
    assert everything == sorted(set(everything), key=lambda r: (r.casefold(), r))  # each once, sorted
    assert set(everything) <= {w.reference for w in works.works}  # full references, no stray citation
    # the kompas section brings the works behind the kompas version its round was answered on
    assert data.kompas is not None
    kompas_refs = refs(item.source for item in data.kompas.instrument.items)
    only_kompas = set(appendix_sources(data, ['kompas']))
    assert kompas_refs <= only_kompas
    # the shared profile brings the works behind the strengths and improvement points it prints, not every item's
    assert data.profile is not None
    findings = [*data.profile.profile.strengths, *data.profile.profile.improvements]
    assert set(appendix_sources(data, ['profile'])) == refs(f.item.source for f in findings)
    # the kick-off section: the works behind the blocks of the current scenario, with their methods
    assert data.kickoff is not None
    block_refs = refs(b['source'] for b in data.kickoff['blocks'])
    assert block_refs and block_refs == set(appendix_sources(data, ['kickoff']))
    # the IT-tools section: the catalogue criteria of the decided comparison
    assert data.decision is not None
    criteria = [services.content.ittools.criterion(c['id']) for c in data.decision['criteria']]
    assert refs(c.source for c in criteria if c is not None) == set(appendix_sources(data, ['ittools']))
    # no section, no sources; a section left out takes its works with it
    assert appendix_sources(data, []) == []
    await services.guide.save(owner, cid, 'close_archive', 'In het archief van de FOD.')
    data = collect(services, owner, cid, 'nl')
    answered = [q for p in data.guide.phases for q in p.questions if q.id in data.guide_answers]
    assert answered
    guide = set(appendix_sources(data, ['guide']))
    assert guide == refs(q.source for q in answered)
    assert any('State Archives' in r for r in guide)  # the question answered just now brings its own work


def _text(pdf: bytes) -> str:
    return ' '.join(' '.join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


async def test_the_pdf_ends_with_the_appendix_in_the_dossiers_language(seeded):
    services, owner, cid = seeded
    for lang, title in (('nl', 'Bronnen'), ('de', 'Quellen')):
        t = Translator(services.content.ui, lang)
        data = collect(services, owner, cid, lang)
        made = build_dossier(data, t, SECTIONS)
        assert made.failed == []
        reader = PdfReader(io.BytesIO(made.pdf))
        last = ' '.join(reader.pages[-1].extract_text().split())
        whole = _text(made.pdf)
        assert whole.count(title) >= 2  # in the contents and as the last section's heading
        appendix = whole[whole.rindex(' '.join(t('dossier.sources.intro').split())) :]
        references = appendix_sources(data, SECTIONS)
        for reference in (references[0], references[-1]):
            assert ' '.join(reference.split()) in appendix  # sorted: the first and the last entry, in that order
        assert appendix.index(references[0]) < appendix.index(references[-1])
        assert references[-1] in last
    # a dossier of the action plan alone cites nothing: no appendix, no entry in the contents
    t = Translator(services.content.ui, 'nl')
    plan_only = _text(build_dossier(collect(services, owner, cid, 'nl'), t, ['plan']).pdf)
    assert t('dossier.sources.intro') not in plan_only and 'Bronnen' not in plan_only


def test_a_translated_source_is_shown_in_the_page_language_and_cited_in_english(tmp_path):
    check = Checker(tmp_path / 'x.yaml')
    words = {
        'en': 'Wenger, McDermott & Snyder 2002, ch. 2: the domain',
        'nl': 'Wenger, McDermott & Snyder 2002, hoofdstuk 2: het domein',
        'fr': 'Wenger, McDermott & Snyder 2002, chap. 2\u00a0: le domaine',
        'de': 'Wenger, McDermott & Snyder 2002, Kap. 2: die Domäne',
    }
    source = check.source(words, 'item.source')
    assert source == words['en']  # what the bibliography matches and the appendix resolves
    assert [cited_in(source, lang) for lang in ('nl', 'fr', 'de')] == [words['nl'], words['fr'], words['de']]
    assert pickle.loads(pickle.dumps(source)).words == words  # kept so in the content cache
    plain = check.source('CDC CoP Resource Kit: roles', 'item.source')
    assert cited_in(plain, 'de') == 'CDC CoP Resource Kit: roles'  # written once: shown as written
    joined = join_cited([source, plain, source, ''])
    assert joined == f'{words["en"]}; CDC CoP Resource Kit: roles'
    assert cited_in(joined, 'nl') == f'{words["nl"]}; CDC CoP Resource Kit: roles'
    assert cited_in(joined, 'fr') == f'{words["fr"]}\u00a0; CDC CoP Resource Kit: roles'


def test_a_block_and_its_method_citing_the_same_work_cite_it_once_in_its_fullest_form(content):
    joined = content.kickoff.block_source('kickoff_half_day', 'icebreaker', 'sociometry')
    anecdote = [c for c in split_source(joined) if c.startswith('Anecdote 2008')]
    assert anecdote == ['Anecdote 2008, Starting a community of practice: fostering relationships (sociometry)']
    for lang in ('nl', 'fr', 'de'):  # the translations follow the English citation by citation
        assert len(split_source(cited_in(joined, lang))) == len(split_source(joined))
    charter = content.kickoff.block_source('kickoff_half_day', 'charter', 'charter_canvas')
    assert len([c for c in split_source(charter) if c.startswith('APQC')]) == 1


@pytest.mark.parametrize('value', [{'en': 'A 2002', 'nl': 'A 2002'}, {'en': 'A', 'nl': 'A', 'fr': 'A', 'de': ' '}])
def test_a_translated_source_needs_every_language(tmp_path, value):
    with pytest.raises(ContentError, match='a text in each of'):
        Checker(tmp_path / 'x.yaml').source(value, 'item.source')


def test_every_source_of_the_current_content_is_written_in_every_language():
    """Readers see an item's grounding in their own language: no current content file keeps an English-only
    source (archived instrument versions keep theirs, as they were answered)."""
    untranslated = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == 'source' and not isinstance(value, dict):
                    untranslated.append(where)
                walk(value, f'{where}.{key}')
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f'{where}[{i}]')

    for path in sorted(CONTENT_DIR.rglob('*.yaml')):
        if 'archive' not in path.relative_to(CONTENT_DIR).parts:
            walk(yaml.safe_load(path.read_text(encoding='utf-8')), str(path.relative_to(CONTENT_DIR)))
    assert not untranslated, untranslated[:10]
