"""The works the content cites, in full (content/sources.yaml): an item's `source` is a short citation ("Wenger,
McDermott & Snyder 2002, principle 7"); the dossier's appendix lists the works behind what it shows, each once, as a
sponsor can look them up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cited import citations
from .yamlcheck import Checker, read_yaml


@dataclass(frozen=True)
class Work:
    id: str
    cite: tuple[str, ...]  # how a short citation of this work begins (compared without case)
    reference: str  # the full reference: author or organisation, year, title, where to find it


@dataclass(frozen=True)
class Bibliography:
    works: tuple[Work, ...]

    def work_of(self, citation: str) -> Work | None:
        """The work a citation names by its beginning (the longest matching beginning wins)."""
        text = citation.casefold()
        found = [(len(c), w) for w in self.works for c in w.cite if text.startswith(c.casefold())]
        return max(found, key=lambda f: f[0])[1] if found else None

    def references(self, source: str) -> list[str]:
        """The full references of the works an item's source cites, in order, each once. A citation that names no
        work continues the one before it ("A 2002, principle 2; principle 4"); one that follows none is kept as
        written, so nothing a content editor wrote is ever lost from the appendix."""
        found, previous = [], None
        for citation in split_source(source):
            work = self.work_of(citation) or previous
            found.append(work.reference if work else citation)
            previous = work
        return list(dict.fromkeys(found))

    def unknown(self, source: str) -> list[str]:
        """The citations of `source` that name no work and continue none: what content/sources.yaml lacks."""
        missing, previous = [], None
        for citation in split_source(source):
            work = self.work_of(citation) or previous
            if work is None:
                missing.append(citation)
            previous = work
        return missing


def split_source(source: str) -> list[str]:
    """'A; B (x; y)' -> ['A', 'B (x; y)']: a semicolon inside brackets belongs to its citation."""
    return [' '.join(c.split()) for c in citations(source)]


def load_sources(path: Path) -> Bibliography:
    check = Checker(path)
    data = check.mapping(read_yaml(path), 'top level')
    works = []
    for i, raw in enumerate(check.sequence(data.get('works'), 'works', min_len=1)):
        raw = check.mapping(raw, f'works[{i}]')
        work_id = check.ident(raw.get('id'), f'works[{i}].id')
        where = f'work {work_id}'
        cite = check.sequence(raw.get('cite'), f'{where}.cite', min_len=1)
        if not all(isinstance(c, str) and c.strip() for c in cite):
            raise check.fail(f'{where}.cite', 'each entry must be the non-empty beginning of a citation')
        works.append(
            Work(work_id, tuple(c.strip() for c in cite), check.source(raw.get('reference'), f'{where}.reference'))
        )
    check.unique([w.id for w in works], 'works')
    return Bibliography(tuple(works))
