"""'Why this question? Based on ...': the source of a question, criterion or method, behind a native <details> so that
it is one keyboard stop, read by screen readers as a disclosure, and out of the way until asked for."""

from __future__ import annotations

from nicegui import html

from core.i18n import Translator

from . import typography as tx


def based_on(t: Translator, source: str, marker: str = '') -> None:
    """Nothing when there is no source; otherwise a closed disclosure whose summary asks why and whose body names the
    source (a reference as the content files cite it: author, year, part)."""
    if not source.strip():
        return
    with html.details().classes('text-sm cop-muted').mark(marker or 'based-on'):
        html.summary(t('sources.why')).classes('cursor-pointer')
        tx.p(t('sources.based_on', source=source))
