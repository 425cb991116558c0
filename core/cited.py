"""A source as the content cites it. The string itself is the English citation ("Wenger, McDermott & Snyder 2002,
ch. 2: the domain"): what the bibliography matches and the dossier's appendix resolves to full references. The same
citation in each language (titles of works and names stay as published, the parts around them are translated) is
kept beside it for "Why this question?", so a reader sees the grounding in the language of the page."""

from __future__ import annotations

from collections.abc import Iterable

SEPARATOR = {'fr': '\u00a0; '}  # French puts a no-break space before a semicolon


class Cited(str):
    """The English citation, with `words` per language (empty for a citation written once for every language)."""

    words: dict[str, str]

    def __new__(cls, english: str, words: dict[str, str] | None = None) -> Cited:
        cited = super().__new__(cls, english)
        cited.words = dict(words or {})
        return cited

    def __reduce__(self):  # pickled in the content cache with its translations
        return (Cited, (str(self), self.words))

    def in_language(self, lang: str) -> str:
        return self.words.get(lang) or str(self)


def cited_in(source: str, lang: str) -> str:
    """A source in `lang` where the content translated it, else as written."""
    return source.in_language(lang) if isinstance(source, Cited) else source


def citations(text: str) -> list[str]:
    """'A; B (x; y)' -> ['A', 'B (x; y)']: a semicolon inside brackets belongs to its citation; the spaces around a
    citation (a French no-break space before the semicolon too) are not part of it."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += {'(': 1, ')': -1}.get(char, 0)
        if char == ';' and depth <= 0:
            parts.append(''.join(current))
            current = []
        else:
            current.append(char)
    parts.append(''.join(current))
    return [p.strip(' \t\n\u00a0') for p in parts if p.strip(' \t\n\u00a0')]


def join_cited(sources: Iterable[str]) -> str:
    """'A; B' from the citations of the non-empty sources, in every language any of them has. A citation already
    given is not repeated, and one that only adds detail to an earlier one ("X" then "X (sociometry)") takes its
    place: a kick-off block and its method often cite the same work."""
    sources = [s for s in sources if s]
    langs = sorted({lang for s in sources if isinstance(s, Cited) for lang in s.words})
    kept: list[tuple[str, dict[str, str]]] = []  # (English citation, the same citation per language)
    for source in sources:
        english = citations(str(source))
        translated = {lang: citations(cited_in(source, lang)) for lang in langs}
        if any(len(parts) != len(english) for parts in translated.values()):  # not aligned: keep the source whole
            english, translated = [str(source)], {lang: [cited_in(source, lang)] for lang in langs}
        for i, citation in enumerate(english):
            entry = (citation, {lang: translated[lang][i] for lang in langs})
            same = next((j for j, (given, _) in enumerate(kept) if citation.startswith(given)), None)
            if same is not None:
                kept[same] = entry  # the same citation, or a more detailed one: said once, in its fullest form
            elif not any(given.startswith(citation) for given, _ in kept):
                kept.append(entry)
    words = {lang: SEPARATOR.get(lang, '; ').join(w[lang] for _, w in kept) for lang in langs}
    return Cited('; '.join(english for english, _ in kept), words)
