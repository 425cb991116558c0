"""The PDF foundation and the kick-off PDFs, read back with pypdf: metadata, language, pages, literal user text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from core.content import load_content
from core.i18n import Translator
from core.kickoff import Kickoff, scenario_data
from core.pdf import DocInfo, build_pdf, escape, heading, para, styles, table
from core.pdf.base import FONT_DIR, soft_hyphens
from core.pdf.kickoff import agenda_pdf, script_pdf

NASTY = [
    '<b>bold?</b>',
    '<script>alert("x")</script>',
    'Tom & Jerry',
    '<img src="/etc/passwd"/>',
    'broken <i>tag',
    '<font size=40>huge</font>',
    'a < b > c',
]
WORLD = ['Zoë, déjà, garçon, Brüssel', 'Zażółć gęślą jaźń', 'Ελληνικά γράμματα', 'Кириллица и всё']


def _reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b'%PDF-')
    return PdfReader(io.BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    return '\n'.join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return re.sub(r'\s+', '', text)


def _story(lines: list[str], rows: int = 0) -> list:
    st = styles()
    story = [heading('Titel', 0, st)] + [para(line, st['body']) for line in lines]
    if rows:
        rows_ = [[f'rij {i}', f'waarde {i}'] for i in range(rows)]
        story += [heading('Tabel', 1, st), table(['Kop A', 'Kop B'], rows_)]
    return story


def test_fonts_and_licence_are_vendored():
    assert {p.name for p in FONT_DIR.iterdir()} >= {
        'DejaVuSans.ttf',
        'DejaVuSans-Bold.ttf',
        'DejaVuSans-Oblique.ttf',
        'DejaVuSans-BoldOblique.ttf',
        'LICENSE',
    }
    assert 'Bitstream' in (FONT_DIR / 'LICENSE').read_text()


def test_escape_makes_markup_literal():
    assert escape('<b>x</b> & y') == '&lt;b&gt;x&lt;/b&gt; &amp; y'
    assert escape('a\nb\r\nc\x00d') == 'a<br/>b<br/>cd'
    assert escape(None) == ''


def test_metadata_language_and_display_title():
    info = DocInfo(title='Kick-off «test»', lang='fr', author='Anne Dupont', subject='Sujet', keywords=('a', 'b'))
    reader = _reader(build_pdf(_story(['x']), info))
    meta = reader.metadata
    assert meta['/Title'] == 'Kick-off «test»' and meta['/Author'] == 'Anne Dupont' and meta['/Subject'] == 'Sujet'
    assert meta['/Creator'] == 'CoP-toolbox' and 'a' in meta['/Keywords']
    root = reader.trailer['/Root']
    assert root['/Lang'] == 'fr-BE'
    assert root['/ViewerPreferences']['/DisplayDocTitle']


@pytest.mark.parametrize(
    ('lang', 'tag', 'label'),
    [
        ('nl', 'nl-BE', 'pagina {} van {}'),
        ('fr', 'fr-BE', 'page {} sur {}'),
        ('en', 'en-GB', 'page {} of {}'),
        ('de', 'de-BE', 'Seite {} von {}'),
    ],
)
def test_page_x_of_y_in_the_documents_language(lang, tag, label):
    reader = _reader(build_pdf(_story(['tekst'], rows=120), DocInfo(title='T', lang=lang)))
    pages = len(reader.pages)
    assert pages >= 3
    assert reader.trailer['/Root']['/Lang'] == tag
    for number, page in enumerate(reader.pages, 1):
        assert label.format(number, pages) in page.extract_text()


def test_user_markup_and_scripts_print_literally_and_never_break_the_build():
    reader = _reader(build_pdf(_story(NASTY + WORLD), DocInfo(title='T')))
    text = _text(reader)
    for line in NASTY + WORLD:
        assert line in text, line


def test_tables_split_across_pages_and_repeat_their_header():
    reader = _reader(build_pdf(_story([], rows=150), DocInfo(title='T', lang='en')))
    assert len(reader.pages) >= 3
    for page in reader.pages[1:]:
        assert 'Kop A' in page.extract_text()


def test_long_words_urls_and_huge_cells_wrap_instead_of_failing():
    url = 'https://example.org/' + 'very-long-path-segment/' * 40
    giant = 'x' * 10_000
    st = styles()
    story = [
        para(url, st['body']),
        para(giant, st['body']),
        table(['A', 'B'], [['1', giant], ['2', 'word ' * 3000]], style_set=st),
    ]
    reader = _reader(build_pdf(story, DocInfo(title='T')))
    text = _flat(_text(reader))
    assert _flat(url) in text
    assert text.count('x') >= 20_000


def test_outline_has_the_headings():
    reader = _reader(build_pdf(_story(['x'], rows=80), DocInfo(title='T')))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == ['Titel']
    nested = next(item for item in reader.outline if isinstance(item, list))
    assert nested[0].title == 'Tabel'
    assert reader.get_destination_page_number(nested[0]) == 0


def test_invariant_documents_are_byte_stable():
    info = DocInfo(title='T', lang='nl')
    assert build_pdf(_story(WORLD), info, invariant=True) == build_pdf(_story(WORLD), info, invariant=True)


def test_a_story_can_be_built_twice():
    story = _story(WORLD, rows=60)
    first = build_pdf(story, DocInfo(title='T'), invariant=True)
    assert build_pdf(story, DocInfo(title='T'), invariant=True) == first


# -- the kick-off documents ------------------------------------------------------------------------------------------


@pytest.fixture(scope='module')
def content():
    return load_content()


@pytest.fixture
async def scenario(tmp_path: Path, content):
    from core.accounts import Accounts
    from core.communities import Communities
    from core.store import BackupPolicy, Store

    store = Store(tmp_path / 'data', BackupPolicy(min_interval=0))
    accounts = Accounts(store.accounts)
    communities = Communities(store, accounts)
    owner = await accounts.sign_up('Owner', 'o@b.be', 'a good long password')
    community = await communities.create(owner.id, {'name': 'CoP Zoë & <Co>'})
    kickoff = Kickoff(store, communities, content.kickoff)

    async def make(template: str, lang: str, **changes):
        s = await kickoff.create(owner.id, community.id, title='Kick-off', lang=lang, template_id=template)
        if changes:
            bid = s.blocks[0].id
            s = await kickoff.update_block(owner.id, community.id, s.id, bid, changes)
        return s

    return make


@pytest.mark.parametrize('lang', ['nl', 'fr', 'en', 'de'])
async def test_participant_agenda_of_the_90_minute_kickoff_fits_one_page(scenario, content, lang):
    s = await scenario('kickoff_90', lang)
    t = Translator(content.ui, lang)
    reader = _reader(agenda_pdf(scenario_data(s, content.kickoff, lang), t, community='CoP Zoë & <Co>'))
    assert len(reader.pages) == 1
    text = _text(reader)
    assert 'CoP Zoë & <Co>' in text and '09:30–09:40' in text and '10:55–11:00' in text
    assert s.blocks[0].title in text
    assert s.blocks[0].instructions[:40] not in text  # the agenda has no facilitator details
    assert reader.trailer['/Root']['/Lang'] == {'nl': 'nl-BE', 'fr': 'fr-BE', 'en': 'en-GB', 'de': 'de-BE'}[lang]
    assert t('kickoff.version.agenda') in reader.metadata['/Title']


async def test_facilitator_script_holds_everything_with_user_markup_literal(scenario, content):
    s = await scenario(
        'kickoff_half_day', 'fr', title='Accueil <b>café</b> & Ελληνικά', notes='Note <i>ouverte & Кириллица'
    )
    t = Translator(content.ui, 'fr')
    data = scenario_data(s, content.kickoff, 'fr')
    reader = _reader(script_pdf(data, t, community='CoP', author='Anne'))
    text = _text(reader)
    pages = len(reader.pages)
    assert pages >= 3 and f'page {pages} sur {pages}' in text
    assert 'Accueil <b>café</b> & Ελληνικά' in text and 'Note <i>ouverte & Кириллица' in text
    flat = _flat(text)
    for block in data['blocks']:
        assert _flat(block['instructions'])[:60] in flat
    assert _flat(data['preparation'][0]['text']) in flat and _flat(data['follow_up'][-1]['text']) in flat
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == ['Kick-off']
    assert reader.metadata['/Author'] == 'Anne'


async def test_script_with_10000_character_fields_still_builds(scenario, content):
    s = await scenario('kickoff_online', 'en', instructions='word ' * 799, notes='y' * 4000, goal='<' * 600)
    data = scenario_data(s, content.kickoff, 'en')
    t = Translator(content.ui, 'en')
    reader = _reader(script_pdf(data, t))
    assert '<' * 100 in _flat(_text(reader))
    assert '☐' in _text(reader)
    reader = _reader(agenda_pdf(data, t))
    assert len(reader.pages) >= 1


def test_french_punctuation_never_starts_a_line():
    assert escape('Total : 12 ; oui ? non ! « citation »') == 'Total\xa0: 12\xa0; oui\xa0? non\xa0! «\xa0citation\xa0»'
    st = styles()
    text = ' '.join(f'Motlong{n} Total : {n} ; Réponse ? Oui !' for n in range(60))
    reader = _reader(build_pdf([table(['A', 'B'], [[text, text]], [60, 300], style_set=st)], DocInfo(title='T')))
    lines = [line.strip() for line in _text(reader).splitlines() if line.strip()]
    assert lines and not [line for line in lines if line[:1] in ':;?!»']


def test_the_pdf_radar_runs_like_the_web_one_and_no_line_crosses_a_label():
    import math

    from reportlab.graphics.shapes import Group, Line, String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from core.pdf.charts import angle_of, radar

    # ECharts' radar: the first dimension at the top, the next counter-clockwise (startAngle 90, clockwise false)
    assert math.degrees(angle_of(0, 8)) == 90 and math.degrees(angle_of(1, 8)) == 135
    labels = [
        'Domein en doel',
        'Gemeenschap en relaties',
        'Praktijk en gedeelde kennis',
        'Coördinatie en rollen',
        'Ritme en activiteiten',
        'Verankering in de organisatie',
        'Waarde en evaluatie',
        'Digitale ruimte',
    ]
    drawing = radar(labels, [('Nu', [4, 3, 2, None, 5, 1, 2, 3]), ('Vorige', [3] * 8)], 5, radius=80)
    spokes = [s for s in drawing.contents if isinstance(s, Line)]
    cx, cy = spokes[0].x1, spokes[0].y1
    assert spokes[1].x2 < cx and spokes[1].y2 > cy  # the second dimension is up and to the left, as on the web
    strings = [s for g in drawing.contents if isinstance(g, Group) for s in g.contents if isinstance(s, String)]
    assert len(strings) >= len(labels)
    for s in strings:
        width = stringWidth(s.text, s.fontName, s.fontSize)
        left = {'start': s.x, 'middle': s.x - width / 2, 'end': s.x - width}[s.textAnchor]
        # the point of the label's box nearest to the centre lies outside the outer ring (radius 80)
        near_x = min(max(cx, left), left + width)
        near_y = min(max(cy, s.y - 2), s.y + s.fontSize)
        assert math.hypot(near_x - cx, near_y - cy) > 80, s.text


def test_long_compounds_in_column_headers_break_at_syllables_in_the_documents_language():
    """A German header too long for its column breaks with a hyphen at a syllable ("Einschät-zung"), not anywhere;
    the same words in a Dutch document are hyphenated by the Dutch rules, and nothing is lost or overflows."""
    header = ['Vorherige Einschätzung', 'Datenschutzbeauftragte', 'Gegevensbeschermingsautoriteit']
    story = [table(header, [['1', '2', '3']], [22 * mm, 22 * mm, 22 * mm])]
    german = ' '.join(_reader(build_pdf(story, DocInfo(title='T', lang='de'))).pages[0].extract_text().split())
    assert 'Einschät- zung' in german or 'Ein- schätzung' in german
    assert 'Daten- schutz' in german or 'Datenschutz- beauftragte' in german
    for table_ in story:  # the same table object, laid out again in another language, hyphenates anew
        dutch = _reader(build_pdf([table_], DocInfo(title='T', lang='nl'))).pages[0].extract_text()
        assert 'scher-' in dutch and 'Einschät-' in dutch  # laid out again for this document, nothing lost
    marked = soft_hyphens('Mitgliederumfrage &amp; <br/> Einschätzung', 'de')
    assert marked.count('\xad') >= 4 and marked.replace('\xad', '') == 'Mitgliederumfrage &amp; <br/> Einschätzung'
    assert soft_hyphens('Mitgliederumfrage', 'xx') == 'Mitgliederumfrage'  # no dictionary: unchanged
