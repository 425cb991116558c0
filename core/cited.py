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


def join_cited(sources: Iterable[str]) -> str:
    """'A; B' from the non-empty sources, each once, in every language any of them has."""
    parts = list(dict.fromkeys(s for s in sources if s))
    langs = {lang for part in parts if isinstance(part, Cited) for lang in part.words}
    words = {lang: SEPARATOR.get(lang, '; ').join(cited_in(p, lang) for p in parts) for lang in sorted(langs)}
    return Cited('; '.join(parts), words)
