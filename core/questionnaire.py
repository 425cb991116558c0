"""The questionnaire engine: instruments (loaded from content/instruments), answer validation and scoring.

One engine runs the CoP-kompas, the coordinator profile, the member survey and the facilitation checklist. An
instrument is identified by id and version; results store both, so an answer is always read against the wording it
was given on. Earlier versions live in content/instruments/archive/<id>.v<version>.yaml and stay loadable.

Scoring is made of pure functions over {item id: value}; "na" is the not-applicable answer.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ValidationError
from .i18n import LANGUAGES, Text
from .stages import load_stages
from .yamlcheck import Checker, ContentError, read_yaml

KINDS = ('maturity', 'profile', 'survey', 'checklist')
ITEM_TYPES = ('scale', 'choice', 'multi', 'text')
MEANINGS = ('strength', 'neutral', 'improvement')
CYCLES = ('immediate', 'potential', 'applied', 'realised', 'reframing')
NA = 'na'
MAX_TEXT = 2000
VERSIONS_FILE = 'versions.json'
STAGES_FILE = 'stages.yaml'  # next to the instruments folder: the stage ids an instrument may name
CONTENT_LANGUAGES = ('nl', 'fr', 'en', 'de')  # every current instrument text has all four
# An archived version keeps the languages it was answered in (nl, fr, en before German came). German came later: a
# text of an archived file gets the German of the same text in a current version, or else the German written for the
# archive (ARCHIVE_TRANSLATIONS), after the file's fingerprint is taken, so the archived file itself is never edited.
# A language still lacking would be read in the first of these it has, as for any UI text without a language
# (core/i18n); tests/unit/test_profile.py keeps every archived version complete in every language.
ARCHIVE_TRANSLATIONS = Path('archive') / 'translations'  # <language>.yaml: a list of {en, nl, <language>}
# The limit of a multi item, as its help may write it in words (in figures is always right too).
NUMBER_WORDS = {
    'nl': ('twee', 'drie', 'vier', 'vijf', 'zes', 'zeven', 'acht', 'negen', 'tien'),
    'fr': ('deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix'),
    'en': ('two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'),
    'de': ('zwei', 'drei', 'vier', 'fünf', 'sechs', 'sieben', 'acht', 'neun', 'zehn'),
}
ARCHIVE_FALLBACK = {'de': ('en', 'fr', 'nl'), 'fr': ('en', 'nl'), 'en': ('nl', 'fr'), 'nl': ('en', 'fr')}


@dataclass(frozen=True)
class ScaleValue:
    value: int
    label: Text
    meaning: str | None = None


@dataclass(frozen=True)
class Scale:
    values: tuple[ScaleValue, ...]
    not_applicable: Text | None = None

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(v.value for v in self.values)

    @property
    def low(self) -> int:
        return min(self.numbers)

    @property
    def high(self) -> int:
        return max(self.numbers)

    def meaning(self, value: int) -> str | None:
        return next((v.meaning for v in self.values if v.value == value), None)

    def label(self, value: int) -> Text | None:
        return next((v.label for v in self.values if v.value == value), None)


@dataclass(frozen=True)
class Band:
    id: str
    max: float
    label: Text
    interpretation: Text | None = None
    actions: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Option:
    id: str
    label: Text


@dataclass(frozen=True)
class Item:
    id: str
    dimension: str
    type: str
    statement: Text
    help: Text | None = None
    suggestion: Text | None = None
    options: tuple[Option, ...] = ()
    cycle: str | None = None
    mirrors: str | None = None
    scale: Scale | None = None  # the item's own scale; None: the instrument's
    source: str = ''
    quick: bool = False  # one of the few telling items a quick scan asks (the kompas: one per dimension)
    max_choices: int | None = None  # a multi item's most options one may tick ("choose three at most"); None: all


@dataclass(frozen=True)
class Dimension:
    id: str
    title: Text
    description: Text | None
    bands: tuple[Band, ...]
    items: tuple[Item, ...]


@dataclass(frozen=True)
class StageBand:
    max: float
    stage: str


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    kind: str
    title: Text
    intro: Text
    min_answers: int
    scale: Scale
    stages: tuple[StageBand, ...]
    dimensions: tuple[Dimension, ...]
    _items: dict[str, Item] = field(default_factory=dict, repr=False, compare=False)
    languages: tuple[str, ...] = CONTENT_LANGUAGES  # the languages its file really has (an archived one: fewer)

    def __post_init__(self) -> None:
        self._items.update({item.id: item for d in self.dimensions for item in d.items})

    @property
    def items(self) -> list[Item]:
        return [item for d in self.dimensions for item in d.items]

    def item(self, item_id: str) -> Item | None:
        return self._items.get(item_id)

    def dimension(self, dimension_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def scale_for(self, item: Item) -> Scale:
        return item.scale or self.scale

    @property
    def scored_items(self) -> list[Item]:
        return [i for i in self.items if i.type == 'scale']


# -- answers --------------------------------------------------------------------------------------------------------


def clean_answer(instrument: Instrument, item_id: Any, value: Any) -> Any:
    """The stored form of an answer, or ValidationError: unknown item, value off the scale, too long..."""
    item = instrument.item(item_id) if isinstance(item_id, str) else None
    if item is None:
        raise ValidationError('questionnaire.error.unknown_item')
    if value is None:
        return None  # clears the answer
    if item.type == 'scale':
        scale = instrument.scale_for(item)
        if value == NA and scale.not_applicable is not None:
            return NA
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value != int(value)
            or int(value) not in scale.numbers
        ):
            raise ValidationError('questionnaire.error.off_scale', low=scale.low, high=scale.high)
        return int(value)
    if item.type == 'choice':
        if not isinstance(value, str) or value not in {o.id for o in item.options}:
            raise ValidationError('questionnaire.error.unknown_option')
        return value
    if item.type == 'multi':
        return _clean_choices(item, value)
    if not isinstance(value, str):
        raise ValidationError('error.invalid')
    text = ' '.join(value.split()) if '\n' not in value else value.strip()
    if len(text) > MAX_TEXT:
        raise ValidationError('error.too_long', max=MAX_TEXT)
    return text or None


def _clean_choices(item: Item, value: Any) -> list[str]:
    """A multi item's answer: distinct options of the item, no more than its limit, in the instrument's order."""
    if (
        not isinstance(value, list | tuple)
        or not all(isinstance(v, str) for v in value)
        or len(set(value)) != len(value)
        or not set(value) <= {o.id for o in item.options}
    ):
        raise ValidationError('questionnaire.error.unknown_option')
    if item.max_choices is not None and len(value) > item.max_choices:
        raise ValidationError('questionnaire.error.too_many_choices', count=item.max_choices)
    return [o.id for o in item.options if o.id in value]


def clean_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a whole answer sheet (import, survey submission): every item known, every value allowed."""
    if not isinstance(answers, Mapping):
        raise ValidationError('questionnaire.error.unknown_item')
    clean = {}
    for item_id, value in answers.items():
        stored = clean_answer(instrument, item_id, value)
        if stored is not None:
            clean[item_id] = stored
    return clean


def is_blank(value: Any) -> bool:
    return value in (None, '', [])


def answered(instrument: Instrument, answers: Mapping[str, Any], items: Iterable[Item] | None = None) -> int:
    return sum(1 for item in (items if items is not None else instrument.items) if not is_blank(answers.get(item.id)))


def unanswered(instrument: Instrument, answers: Mapping[str, Any]) -> list[Item]:
    """The questions still open, in order (text questions are optional and never count as open)."""
    return [item for item in instrument.items if item.type != 'text' and is_blank(answers.get(item.id))]


def progress(instrument: Instrument, answers: Mapping[str, Any], dimension: str | None = None) -> tuple[int, int]:
    """(answered, total) over the questions that count for progress: every item but text items (which are
    optional), of the whole instrument or of one dimension (an unknown one: (0, 0)). 'not applicable' is an answer;
    0 <= answered <= total."""
    if dimension is None:
        items = instrument.items
    else:
        d = instrument.dimension(dimension)
        items = d.items if d is not None else ()
    counted = [i for i in items if i.type != 'text']
    return answered(instrument, answers, counted), len(counted)


def first_open_dimension(instrument: Instrument, answers: Mapping[str, Any]) -> str:
    """Where to continue: the first dimension with an unanswered question (or the first one)."""
    missing = unanswered(instrument, answers)
    return missing[0].dimension if missing else instrument.dimensions[0].id


def dimension_to_show(instrument: Instrument, answers: Mapping[str, Any], requested: str | None = None) -> Dimension:
    """The dimension an answer page shows: the requested one if the instrument has it, else where to continue."""
    return instrument.dimension(requested or '') or instrument.dimension(first_open_dimension(instrument, answers))


# -- scoring --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    answered: int  # scale items with a value on the scale
    not_applicable: int
    total: int  # scale items in the dimension
    mean: float | None  # None: fewer answers than the instrument's minimum
    band: Band | None


@dataclass(frozen=True)
class Result:
    instrument: str
    version: int
    dimensions: tuple[DimensionScore, ...]
    overall: float | None
    stage: str | None
    priorities: tuple[str, ...]
    answered: int
    total: int

    def dimension(self, dimension_id: str) -> DimensionScore | None:
        return next((d for d in self.dimensions if d.dimension == dimension_id), None)


def _first_reaching(thresholds: Iterable[Any], value: float | None) -> Any:
    """The first of ascending thresholds (bands, stage bands: anything with a `max`) whose max `value` does not
    exceed, or None."""
    if value is None:
        return None
    return next((t for t in thresholds if value <= t.max + 1e-9), None)


def band_for(bands: Iterable[Band], mean: float | None) -> Band | None:
    return _first_reaching(bands, mean)


def stage_for(stages: Iterable[StageBand], overall: float | None) -> str | None:
    stage = _first_reaching(stages, overall)
    return stage.stage if stage is not None else None


def below_top_band(dimension: Dimension, dimension_score: DimensionScore) -> bool:
    """Scored, and not (yet) in the dimension's highest band: there is room to improve."""
    return (
        dimension_score.band is not None and bool(dimension.bands) and dimension_score.band.id != dimension.bands[-1].id
    )


def score(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """Per dimension the mean of the answered scale items (n/a excluded), its band; the overall mean of the
    dimension means, its stage; the lowest dimensions not yet in the top band as priorities."""
    dimension_scores = []
    for dimension in instrument.dimensions:
        scale_items = [i for i in dimension.items if i.type == 'scale']
        values = [answers[i.id] for i in scale_items if isinstance(answers.get(i.id), int)]
        na = sum(1 for i in scale_items if answers.get(i.id) == NA)
        mean = sum(values) / len(values) if values and len(values) >= instrument.min_answers else None
        dimension_scores.append(
            DimensionScore(
                dimension.id,
                len(values),
                na,
                len(scale_items),
                None if mean is None else round(mean, 4),
                band_for(dimension.bands, mean),
            )
        )
    means = [d.mean for d in dimension_scores if d.mean is not None]
    overall = round(sum(means) / len(means), 4) if means else None
    return Result(
        instrument.id,
        instrument.version,
        tuple(dimension_scores),
        overall,
        stage_for(instrument.stages, overall),
        priorities(instrument, dimension_scores),
        answered(instrument, answers, instrument.scored_items),
        len(instrument.scored_items),
    )


def priorities(instrument: Instrument, scores: Iterable[DimensionScore], how_many: int = 2) -> tuple[str, ...]:
    """The `how_many` lowest-scoring dimensions that are not in their top band; ties at the cut are all included."""
    candidates = []
    for s in scores:
        dimension = instrument.dimension(s.dimension)
        if dimension is not None and below_top_band(dimension, s):
            candidates.append(s)
    if not candidates:
        return ()
    candidates.sort(key=lambda s: (s.mean, s.dimension))
    cut = candidates[min(how_many, len(candidates)) - 1].mean
    return tuple(s.dimension for s in candidates if s.mean <= cut + 1e-9)


@dataclass(frozen=True)
class ProfileFinding:
    item: Item
    value: int


def strengths_and_improvements(
    instrument: Instrument, answers: Mapping[str, Any]
) -> tuple[list[ProfileFinding], list[ProfileFinding]]:
    """Profile result: the items answered as strengths and as improvement points, clearest first."""
    strengths, improvements = [], []
    for item in instrument.scored_items:
        value = answers.get(item.id)
        if not isinstance(value, int):
            continue
        meaning = instrument.scale_for(item).meaning(value)
        if meaning == 'strength':
            strengths.append(ProfileFinding(item, value))
        elif meaning == 'improvement':
            improvements.append(ProfileFinding(item, value))
    order = {item.id: i for i, item in enumerate(instrument.items)}
    strengths.sort(key=lambda f: (-f.value, order[f.item.id]))
    improvements.sort(key=lambda f: (f.value, order[f.item.id]))
    return strengths, improvements


def not_applicable_items(instrument: Instrument, answers: Mapping[str, Any]) -> list[Item]:
    """The scale items answered 'not applicable', in order: they count in no score, and a result names them as
    such (a future coordinator's 'not yet' is not an improvement point)."""
    return [item for item in instrument.scored_items if answers.get(item.id) == NA]


# -- loading --------------------------------------------------------------------------------------------------------


class InstrumentChecker(Checker):
    """Texts of an instrument: a current version has every language of CONTENT_LANGUAGES; an archived one keeps the
    languages it was written in (at least nl, fr and en), the others filled in by ARCHIVE_FALLBACK so that every
    reader gets a wording. Independent of the UI's language list, so that a new UI language never makes an archived
    version unreadable."""

    def __init__(self, file: Path, *, archived: bool = False) -> None:
        super().__init__(file)
        self.archived = archived  # also: an instrument built elsewhere (tests), held to the archive's rule
        self.seen: set[str] = set(CONTENT_LANGUAGES)

    def text(self, value: Any, where: str) -> Text:
        known = tuple(dict.fromkeys((*CONTENT_LANGUAGES, *LANGUAGES)))
        if not isinstance(value, dict):
            raise self.fail(where, f'must be a text with {", ".join(known)}')
        required = ('nl', 'fr', 'en') if self.archived else known
        missing = [lang for lang in required if not isinstance(value.get(lang), str) or not value[lang].strip()]
        if missing:
            raise self.fail(where, f'missing or empty language {", ".join(missing)}')
        extra = set(value) - set(known)
        if extra:
            raise self.fail(where, f'unknown language {", ".join(sorted(extra))}')
        text = {lang: value[lang].strip() for lang in known if isinstance(value.get(lang), str) and value[lang].strip()}
        self.seen &= set(text)
        for lang in known:
            if lang not in text:
                text[lang] = next(text[other] for other in ARCHIVE_FALLBACK.get(lang, ('nl',)) if other in text)
        return text


class Instruments:
    """Every instrument by id, current version first; earlier versions stay available for old results."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        self._by_key: dict[tuple[str, int], Instrument] = {}
        self._current: dict[str, Instrument] = {}
        for instrument in instruments:
            self._by_key[(instrument.id, instrument.version)] = instrument
            if instrument.id not in self._current or instrument.version > self._current[instrument.id].version:
                self._current[instrument.id] = instrument

    def current(self, instrument_id: str) -> Instrument:
        return self._current[instrument_id]

    def get(self, instrument_id: str, version: int) -> Instrument | None:
        return self._by_key.get((instrument_id, version))

    def ids(self) -> list[str]:
        return sorted(self._current)


def fingerprint(raw: Any) -> str:
    """A hash of an instrument's content: a change of wording changes it. The items' `source` fields are left out:
    a source is metadata about the wording (what it rests on), not what respondents answered, so correcting a
    citation must not force a new version and a migration of every round."""
    wording = json.dumps(_without_sources(raw), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(wording.encode()).hexdigest()[:16]


def _without_sources(raw: Any) -> Any:
    if isinstance(raw, dict):
        return {key: _without_sources(value) for key, value in raw.items() if key != 'source'}
    if isinstance(raw, list):
        return [_without_sources(value) for value in raw]
    return raw


def _check_names_limit(check: Checker, help_text: Any, limit: int, where: str) -> None:
    """The help of a limited multi item names that same limit in every language, in figures or in words: a help
    that says "three at most" over `max_choices: 4` would tell members one rule while the form applies another."""
    if not isinstance(help_text, Mapping):
        return  # the text check reports a help that is not a text in each language
    for lang, text in help_text.items():
        words = NUMBER_WORDS.get(str(lang), ())
        names = {str(limit)} | ({words[limit - 2]} if 2 <= limit < len(words) + 2 else set())
        found = set(re.findall(r'\w+', str(text).lower()))
        if not names & found:
            raise check.fail(
                f'{where}.{lang}', f'does not name the limit of max_choices ({" or ".join(sorted(names))})'
            )


def load_instruments(folder: Path, stage_ids: Collection[str] | None = None) -> Instruments:
    """Load and validate content/instruments/*.yaml and archive/*.yaml; check versions.json so that a change of
    wording without a new version number stops start-up. Stage ids an instrument names must be in `stage_ids`
    (by default those of content/stages.yaml, when the instruments folder sits in a content folder that has one)."""
    if stage_ids is None and (folder.parent / STAGES_FILE).is_file():
        stage_ids = {stage.id for stage in load_stages(folder.parent / STAGES_FILE)}
    versions_path = folder / VERSIONS_FILE
    try:
        recorded = json.loads(versions_path.read_text(encoding='utf-8'))
    except FileNotFoundError as e:
        raise ContentError(versions_path, '', 'file is missing') from e
    except json.JSONDecodeError as e:
        raise ContentError(versions_path, '', f'is not valid JSON ({e.msg})') from e
    loaded = []
    later = _later_translations(folder)
    for path in sorted(folder.glob('*.yaml')) + sorted((folder / 'archive').glob('*.yaml')):
        raw = read_yaml(path)
        archived = path.parent.name == 'archive'
        actual = fingerprint(raw)  # of the file as it was answered, before any later translation
        if archived:
            _translate_later(raw, later)
        else:
            _collect_translations(raw, later)
        instrument = parse_instrument(raw, InstrumentChecker(path, archived=archived), stage_ids)
        if not archived and path.stem != instrument.id:
            raise ContentError(path, 'id', f'{instrument.id!r} must equal the file name')
        expected = recorded.get(instrument.id, {}).get(str(instrument.version))
        if expected != actual:
            problem = (
                (
                    f'the content of version {instrument.version} changed (fingerprint {actual}, recorded '
                    f'{expected}): give it a new version, keep the old file in archive/, and record the new '
                    f'fingerprint in {VERSIONS_FILE}'
                )
                if expected
                else f'version {instrument.version} is not recorded in {VERSIONS_FILE} (fingerprint {actual})'
            )
            raise ContentError(path, 'version', problem)
        loaded.append(instrument)
    instruments = Instruments(loaded)
    _check_mirrors(instruments, folder)
    return instruments


LaterTranslations = dict[str, dict[tuple[str, str], str]]  # language -> (en, nl) -> that language's wording


def _later_translations(folder: Path) -> LaterTranslations:
    """The wordings written for archived texts in a language that came after them (archive/translations/de.yaml)."""
    later: LaterTranslations = {}
    for path in sorted((folder / ARCHIVE_TRANSLATIONS).glob('*.yaml')):
        lang, check = path.stem, Checker(path)
        if lang not in CONTENT_LANGUAGES:
            raise ContentError(path, '', f'{lang!r} is not a content language')
        table = later.setdefault(lang, {})
        for i, entry in enumerate(check.sequence(read_yaml(path), 'translations')):
            entry = check.mapping(entry, f'[{i}]')
            missing = [
                key for key in ('en', 'nl', lang) if not isinstance(entry.get(key), str) or not entry[key].strip()
            ]
            if missing:
                raise check.fail(f'[{i}]', f'missing or empty {", ".join(missing)}')
            table[entry['en'].strip(), entry['nl'].strip()] = entry[lang].strip()
    return later


def _texts(raw: Any) -> Iterable[dict]:
    """Every text of an instrument's raw content ({nl, fr, en, ...}), sources left out (they carry their own)."""
    if isinstance(raw, dict):
        if isinstance(raw.get('en'), str) and isinstance(raw.get('nl'), str):
            yield raw
            return
        for key, value in raw.items():
            if key != 'source':
                yield from _texts(value)
    elif isinstance(raw, list):
        for value in raw:
            yield from _texts(value)


def _collect_translations(raw: Any, later: LaterTranslations) -> None:
    """A current version's wordings: an archived text with the same English and Dutch takes them, before any
    wording written for the archive."""
    for text in _texts(raw):
        for lang in CONTENT_LANGUAGES:
            if isinstance(text.get(lang), str):
                later.setdefault(lang, {})[text['en'].strip(), text['nl'].strip()] = text[lang]


def _translate_later(raw: Any, later: LaterTranslations) -> None:
    for text in _texts(raw):
        key = (text['en'].strip(), text['nl'].strip())
        for lang, table in later.items():
            if lang not in text and key in table:
                text[lang] = table[key]


def _check_mirrors(instruments: Instruments, folder: Path) -> None:
    """A survey item that mirrors a kompas dimension must name one that exists."""
    if 'kompas' not in instruments.ids():
        return
    dimensions = {d.id for d in instruments.current('kompas').dimensions}
    for instrument_id in instruments.ids():
        for item in instruments.current(instrument_id).items:
            if item.mirrors is not None and item.mirrors not in dimensions:
                raise ContentError(
                    folder / f'{instrument_id}.yaml',
                    f'item {item.id}.mirrors',
                    f'{item.mirrors!r} is not a kompas dimension',
                )


def parse_instrument(raw: Any, check: Checker, stage_ids: Collection[str] | None = None) -> Instrument:
    """One instrument from its YAML; `stage_ids`, when given, are the stages its `stages` may name. Texts are checked
    by `check` (an InstrumentChecker: four languages, or an archived version's own; a plain Checker is read with the
    archive's rule)."""
    if not isinstance(check, InstrumentChecker):
        check = InstrumentChecker(check.file, archived=True)
    data = check.mapping(raw, 'top level')
    instrument_id = check.ident(data.get('id'), 'id')
    version = check.integer(data.get('version'), 'version', low=1)
    kind = data.get('kind')
    if kind not in KINDS:
        raise check.fail('kind', f'must be one of {", ".join(KINDS)}')
    scale = _scale(check, data.get('scale'), 'scale')
    default_bands = _bands(check, data.get('bands') or [], 'bands', need_actions=False)
    stages = tuple(
        StageBand(check.number(s.get('max'), f'stages[{i}].max'), check.ident(s.get('stage'), f'stages[{i}].stage'))
        for i, s in enumerate(check.sequence(data.get('stages') or [], 'stages'))
    )
    _ascending(check, [s.max for s in stages], 'stages')
    for i, s in enumerate(stages):
        if stage_ids is not None and s.stage not in stage_ids:
            raise check.fail(f'stages[{i}].stage', f'{s.stage!r} is not a stage of {STAGES_FILE}')
    dimensions = []
    for d_index, raw_dim in enumerate(check.sequence(data.get('dimensions'), 'dimensions', min_len=1)):
        where = f'dimensions[{d_index}]'
        raw_dim = check.mapping(raw_dim, where)
        dim_id = check.ident(raw_dim.get('id'), f'{where}.id')
        where = f'dimension {dim_id}'
        bands = (
            _bands(check, raw_dim.get('bands') or [], f'{where}.bands', need_actions=kind == 'maturity')
            or default_bands
        )
        if kind == 'maturity' and not bands:
            raise check.fail(f'{where}.bands', 'a maturity dimension needs score bands')
        items = tuple(
            _item(check, raw_item, dim_id, kind, f'{where}.items[{i}]')
            for i, raw_item in enumerate(check.sequence(raw_dim.get('items'), f'{where}.items', min_len=1))
        )
        _bands_reach_the_top(
            check, bands, [(i.scale or scale).high for i in items if i.type == 'scale'], f'{where}.bands'
        )
        dimensions.append(
            Dimension(
                dim_id,
                check.text(raw_dim.get('title'), f'{where}.title'),
                check.optional_text(raw_dim.get('description'), f'{where}.description'),
                bands,
                items,
            )
        )
    check.unique([d.id for d in dimensions], 'dimensions')
    check.unique([i.id for d in dimensions for i in d.items], 'items')
    min_answers = check.integer(data.get('min_answers', 1), 'min_answers', low=1)
    title, intro = check.text(data.get('title'), 'title'), check.text(data.get('intro'), 'intro')
    seen = getattr(check, 'seen', None)
    languages = tuple(lang for lang in CONTENT_LANGUAGES if seen is None or lang in seen)
    return Instrument(
        instrument_id, version, kind, title, intro, min_answers, scale, stages, tuple(dimensions), languages=languages
    )


def _scale(check: Checker, raw: Any, where: str) -> Scale:
    raw = check.mapping(raw, where)
    values = []
    for i, v in enumerate(check.sequence(raw.get('values'), f'{where}.values', min_len=2)):
        v = check.mapping(v, f'{where}.values[{i}]')
        meaning = v.get('meaning')
        if meaning is not None and meaning not in MEANINGS:
            raise check.fail(f'{where}.values[{i}].meaning', f'must be one of {", ".join(MEANINGS)}')
        values.append(
            ScaleValue(
                check.integer(v.get('value'), f'{where}.values[{i}].value'),
                check.text(v.get('label'), f'{where}.values[{i}].label'),
                meaning,
            )
        )
    if len({v.value for v in values}) != len(values):
        raise check.fail(f'{where}.values', 'the same value appears twice')
    return Scale(tuple(values), check.optional_text(raw.get('not_applicable'), f'{where}.not_applicable'))


def _bands(check: Checker, raw: list, where: str, *, need_actions: bool) -> tuple[Band, ...]:
    bands = []
    for i, b in enumerate(check.sequence(raw, where)):
        b = check.mapping(b, f'{where}[{i}]')
        actions = tuple(check.texts(b.get('actions') or [], f'{where}[{i}].actions', min_len=2 if need_actions else 0))
        interpretation = check.optional_text(b.get('interpretation'), f'{where}[{i}].interpretation')
        if need_actions and interpretation is None:
            raise check.fail(f'{where}[{i}].interpretation', 'is missing')
        bands.append(
            Band(
                check.ident(b.get('id'), f'{where}[{i}].id'),
                check.number(b.get('max'), f'{where}[{i}].max'),
                check.text(b.get('label'), f'{where}[{i}].label'),
                interpretation,
                actions,
            )
        )
    _ascending(check, [b.max for b in bands], where)
    return tuple(bands)


def _bands_reach_the_top(check: Checker, bands: tuple[Band, ...], highs: list[int], where: str) -> None:
    """A mean can be as high as the highest answer value: the last band must include it, or a top score would
    fall in no band."""
    if bands and highs and bands[-1].max < max(highs):
        raise check.fail(
            where, f"the last band's max ({bands[-1].max:g}) must reach the highest answer value ({max(highs)})"
        )


def _ascending(check: Checker, values: list[float], where: str) -> None:
    if any(a >= b for a, b in itertools.pairwise(values)):
        raise check.fail(where, 'the max values must go up')


def _item(check: Checker, raw: Any, dimension: str, kind: str, where: str) -> Item:
    raw = check.mapping(raw, where)
    item_id = check.ident(raw.get('id'), f'{where}.id')
    where = f'item {item_id}'
    item_type = raw.get('type', 'scale')
    if item_type not in ITEM_TYPES:
        raise check.fail(f'{where}.type', f'must be one of {", ".join(ITEM_TYPES)}')
    options = ()
    if item_type in ('choice', 'multi'):
        options = tuple(
            Option(
                check.ident(o.get('id'), f'{where}.options[{i}].id'),
                check.text(o.get('label'), f'{where}.options[{i}].label'),
            )
            for i, o in enumerate(check.sequence(raw.get('options'), f'{where}.options', min_len=2))
        )
        check.unique([o.id for o in options], f'{where}.options')
    elif raw.get('options') is not None:
        raise check.fail(f'{where}.options', f'only choice and multi items have options, not {item_type}')
    max_choices = None
    if raw.get('max_choices') is not None:
        if item_type != 'multi':
            raise check.fail(f'{where}.max_choices', f'only multi items have max_choices, not {item_type}')
        max_choices = check.integer(raw['max_choices'], f'{where}.max_choices', low=2, high=len(options) - 1)
        if raw.get('help') is None:
            raise check.fail(f'{where}.help', 'an item with max_choices says the limit in its help, before one ticks')
        _check_names_limit(check, raw['help'], max_choices, f'{where}.help')
    cycle = raw.get('cycle')
    if cycle is not None and cycle not in CYCLES:
        raise check.fail(f'{where}.cycle', f'must be one of {", ".join(CYCLES)}')
    mirrors = raw.get('mirrors')
    if mirrors is not None:
        check.ident(mirrors, f'{where}.mirrors')
    suggestion = check.optional_text(raw.get('suggestion'), f'{where}.suggestion')
    if kind == 'profile' and item_type == 'scale' and suggestion is None:
        raise check.fail(f'{where}.suggestion', 'a profile item needs a development suggestion')
    return Item(
        id=item_id,
        dimension=dimension,
        type=item_type,
        statement=check.text(raw.get('statement'), f'{where}.statement'),
        help=check.optional_text(raw.get('help'), f'{where}.help'),
        suggestion=suggestion,
        options=options,
        cycle=cycle,
        mirrors=mirrors,
        scale=_scale(check, raw['scale'], f'{where}.scale') if raw.get('scale') is not None else None,
        source=check.optional_source(raw.get('source'), f'{where}.source'),
        quick=_flag(check, raw.get('quick'), f'{where}.quick'),
        max_choices=max_choices,
    )


def _flag(check: Checker, value: Any, where: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise check.fail(where, 'must be true or false')
    return value


if __name__ == '__main__':  # maintainers: print the fingerprints to record in versions.json after a new version
    for _path in sorted(Path(__file__).resolve().parent.parent.glob('content/instruments/*.yaml')):
        _raw = read_yaml(_path)
        print(f'{_raw["id"]} version {_raw["version"]}: {fingerprint(_raw)}')
