"""The life-cycle stages of a community (content/stages.yaml): potential, coalescing, maturing, stewardship,
transformation. The kompas, the guide and the dossier name them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .i18n import Text
from .yamlcheck import Checker, read_yaml


@dataclass(frozen=True)
class Stage:
    id: str
    title: Text
    explanation: Text
    source: str = ''  # what the stage rests on (the dossier's appendix of sources)


def load_stages(path: Path) -> list[Stage]:
    check = Checker(path)
    data = check.mapping(read_yaml(path), 'top level')
    stages = []
    for i, entry in enumerate(check.sequence(data.get('stages'), 'stages', min_len=1)):
        where = f'stages[{i}]'
        raw = check.mapping(entry, where)
        stages.append(
            Stage(
                id=check.ident(raw.get('id'), f'{where}.id'),
                title=check.text(raw.get('title'), f'{where}.title'),
                explanation=check.text(raw.get('explanation'), f'{where}.explanation'),
                source=check.source(raw.get('source'), f'{where}.source'),
            )
        )
    check.unique([s.id for s in stages], 'stages')
    return stages
