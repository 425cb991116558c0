"""Loading content/ at start-up: the UI strings, and every part's texts through that part's own loader.

An invalid file stops start-up with a ContentError that names the file, the place in it and the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .guide import Guide, load_guide
from .i18n import Catalog, Text
from .inventory import Inventory, load_inventory
from .ittools.catalogue import Catalogue as ITToolsCatalogue
from .ittools.catalogue import load_catalogue as load_ittools
from .kickoff.catalogue import KickoffCatalogue
from .kickoff.catalogue import load_catalogue as load_kickoff
from .questionnaire import Instruments, load_instruments
from .sources import Bibliography, load_sources
from .stages import Stage, load_stages
from .yamlcheck import CONTENT_DIR, Checker, ContentError, read_yaml


def load_ui_strings(folder: Path) -> Catalog:
    entries: dict[str, Text] = {}
    origin: dict[str, Path] = {}
    files = sorted(folder.glob('*.yaml'))
    if not files:
        raise ContentError(folder, '', 'holds no UI string file')
    for path in files:
        check = Checker(path)
        data = check.mapping(read_yaml(path) or {}, 'top level')
        for key, value in data.items():
            if not isinstance(key, str) or not re.match(r'^[a-z0-9_]+(\.[a-z0-9_]+)+(#one)?$', key):
                raise check.fail(str(key), 'key must be dotted lower-case words, optionally ending in #one')
            if key in entries:
                raise check.fail(key, f'key is defined in {origin[key].name} already')
            entries[key] = check.text(value, key)
            origin[key] = path
    catalog = Catalog(entries)
    problems = catalog.problems()
    if problems:
        raise ContentError(folder, problems[0].split(':')[0], problems[0].split(':', 1)[1].strip())
    return catalog


@dataclass
class Content:
    ui: Catalog
    stages: list[Stage]
    instruments: Instruments
    kickoff: KickoffCatalogue
    ittools: ITToolsCatalogue
    guide: Guide
    sources: Bibliography  # the works the items' sources cite, in full (the dossier's appendix)
    privacy: Inventory  # the privacy notice's inventory of what is kept (content/privacy.yaml)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


def load_content(folder: Path = CONTENT_DIR) -> Content:
    stages = load_stages(folder / 'stages.yaml')
    return Content(
        ui=load_ui_strings(folder / 'ui'),
        stages=stages,
        instruments=load_instruments(folder / 'instruments', {s.id for s in stages}),
        kickoff=load_kickoff(folder / 'catalogues'),
        ittools=load_ittools(folder / 'catalogues'),
        guide=load_guide(folder / 'guide.yaml', {s.id for s in stages}),
        sources=load_sources(folder / 'sources.yaml'),
        privacy=load_inventory(folder / 'privacy.yaml'),
    )
