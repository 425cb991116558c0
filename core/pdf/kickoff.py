"""The kick-off scenario on paper: the facilitator script (everything) and the participant agenda (times, titles and
goals only). Both take `core.kickoff.scenario_data(...)` and a Translator for the labels."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from ..i18n import Translator
from ..kickoff.texts import data_timing_text, duration_text, when_text, where_text
from .base import DocInfo, build_pdf, bullet, content_width, heading, keep, lead, para, spacer, styles, table


def _info(data: dict[str, Any], t: Translator, version: str, community: str, author: str) -> DocInfo:
    kind = t(f'kickoff.version.{version}')
    return DocInfo(
        title=f'{data["title"]} · {kind}',
        lang=t.lang,
        author=author,
        subject=t('kickoff.pdf.subject', community=community) if community else kind,
        keywords=(t('nav.kickoff'), kind, community) if community else (t('nav.kickoff'), kind),
        header=f'{data["title"]} · {kind}',
        footer=community,
    )


def _head(data: dict[str, Any], t: Translator, version: str, community: str, level: int = 0) -> list[Flowable]:
    st = styles()
    parts: list[Flowable] = []
    if community:
        parts.append(para(community, st['muted']))
    parts.append(heading(data['title'], level, st))
    parts.append(para(t(f'kickoff.version.{version}'), st['h3']))
    parts.append(lead(t('kickoff.pdf.when'), when_text(t, data), st['body']))
    parts.append(lead(t('kickoff.pdf.where'), where_text(t, data), st['body']))
    return parts


def agenda_story(data: dict[str, Any], t: Translator, community: str = '', level: int = 0) -> list[Flowable]:
    """`level`: of the agenda's title, 0 on its own, 1 inside a larger document such as the dossier."""
    st = styles()
    story = _head(data, t, 'agenda', community, level)
    story.append(spacer(2))
    rows = []
    for block in data['blocks']:
        cell: list[Flowable] = [para(block['title'], st['cell_bold'])]
        if block['goal']:
            cell.append(para(block['goal'], st['cell']))
        rows.append(
            [
                para(f'{block["start"]}–{block["end"]}', st['cell']),
                cell,
                para(duration_text(t, block['duration']), st['cell']),
            ]
        )
    width = content_width()
    story.append(
        table(
            [t('kickoff.pdf.time'), t('kickoff.pdf.programme'), t('kickoff.pdf.duration')],
            rows,
            [26 * mm, width - 48 * mm, 22 * mm],
            style_set=st,
        )
    )
    story.append(spacer(3))
    story.append(para(t('kickoff.pdf.end_at', end=data['end']), st['muted']))
    return story


def needs_story(needs: dict[str, Any], t: Translator, st: Any) -> list[Flowable]:
    """The needs survey's released results under the "needs and expectations" block (core/needs.for_script)."""
    story: list[Flowable] = [para(t('needs.result.title'), st['label']), para(needs['heading'], st['body'])]
    story += [lead(question, answers, st['body']) for question, answers in needs['lines']]
    return story


def _block_story(block: dict[str, Any], t: Translator, st: Any, needs: dict[str, Any] | None = None) -> list[Flowable]:
    """One block of the facilitator script: its time and title, the facts kept together, then the long texts."""

    def fact(label: str, value: str) -> Paragraph:
        return lead(t('kickoff.pdf.colon', label=label), value, st['body'])

    story: list[Flowable] = [heading(f'{block["start"]}–{block["end"]} · {block["title"]}', 2, st)]
    facts = [fact(t('kickoff.pdf.duration'), duration_text(t, block['duration']))]
    if block['goal']:
        facts.append(fact(t('kickoff.field.goal'), block['goal']))
    if block['method']:
        facts.append(fact(t('kickoff.field.method'), block['method']))
    if block['roles']:
        facts.append(fact(t('kickoff.field.roles'), ', '.join(block['roles'])))
    story.append(keep(facts))
    if needs and block.get('kind') == 'needs':
        story.append(keep(needs_story(needs, t, st)))
    for key in ('instructions', 'materials', 'notes'):
        if block[key]:
            story.append(para(t(f'kickoff.field.{key}'), st['label']))
            story.append(para(block[key], st['body']))
    return story


def script_story(data: dict[str, Any], t: Translator, community: str = '') -> list[Flowable]:
    st = styles()
    story = _head(data, t, 'script', community)
    story.append(para(data_timing_text(t, data), st['body']))
    if data['people']:
        story.append(
            lead(t('kickoff.pdf.people'), '; '.join(f'{p["role"]}: {p["name"]}' for p in data['people']), st['body'])
        )
    width = content_width()
    story.append(heading(t('kickoff.pdf.overview'), 1, st))
    rows = [
        [
            para(f'{b["start"]}–{b["end"]}', st['cell']),
            para(b['title'], st['cell_bold']),
            para(b['method'] or '—', st['cell']),
            para(', '.join(b['roles']) or '—', st['cell']),
        ]
        for b in data['blocks']
    ]
    story.append(
        table(
            [t('kickoff.pdf.time'), t('kickoff.pdf.block'), t('kickoff.field.method'), t('kickoff.field.roles')],
            rows,
            [26 * mm] + [(width - 26 * mm) * f for f in (0.4, 0.3, 0.3)],
            style_set=st,
        )
    )
    story.append(heading(t('kickoff.pdf.blocks'), 1, st))
    for number, block in enumerate(data['blocks'], 1):
        story.extend(_block_story(block, t, st, data.get('needs')))
        if number < len(data['blocks']):
            story.append(spacer(2))
    for name in ('preparation', 'follow_up'):
        story.append(heading(t(f'kickoff.{name}.title'), 1, st))
        items = data[name]
        if not items:
            story.append(para(t('kickoff.check.empty'), st['muted']))
        for item in items:
            story.append(bullet(item['text'], st['bullet'], '☑' if item['done'] else '☐'))
    return story


def agenda_pdf(
    data: dict[str, Any], t: Translator, *, community: str = '', author: str = '', invariant: bool = False
) -> bytes:
    """The participant agenda: times, titles and goals (one page for a 90-minute kick-off)."""
    return build_pdf(agenda_story(data, t, community), _info(data, t, 'agenda', community, author), invariant=invariant)


def script_pdf(
    data: dict[str, Any], t: Translator, *, community: str = '', author: str = '', invariant: bool = False
) -> bytes:
    """The facilitator script: every block with goal, method, roles, instructions, materials and notes, plus the
    preparation and follow-up checklists."""
    return build_pdf(script_story(data, t, community), _info(data, t, 'script', community, author), invariant=invariant)
