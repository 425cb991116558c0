"""'Why this question? Based on ...': the source of a question, block, criterion or method, behind a native <details>
so that it is one keyboard stop, read by screen readers as a disclosure, and out of the way until asked for."""

from __future__ import annotations

from nicegui import html

from core.cited import cited_in
from core.i18n import Translator

from . import typography as tx

# what the summary asks, by what the source belongs to: a question (instrument items, guide questions), a kick-off
# block, or a catalogue entry (criterion, method) that is "based on" something rather than asked
SUMMARY = {'question': 'sources.why', 'block': 'sources.why_block', 'entry': 'sources.why_based'}


def based_on(t: Translator, source: str, marker: str = '', *, kind: str = 'question', about: str = '') -> None:
    """Nothing when there is no source; otherwise a closed disclosure whose summary asks why and whose body names the
    source (a reference as the content files cite it: author, year, part). `about` (the question's or entry's name)
    is added to the summary for screen readers only, so that a list of identical summaries stays distinguishable."""
    if not source.strip():
        return
    with html.details().classes('cop-source text-sm cop-muted').mark(marker or 'based-on'):
        with tx.Text('summary', t(SUMMARY[kind])).classes('cursor-pointer'):
            if about:
                tx.span(f' – {about}').classes('sr-only')
        tx.p(t('sources.based_on', source=cited_in(source, t.lang)))
