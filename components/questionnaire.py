"""Questionnaire pieces shared by the kompas, the profile, the member survey and the facilitation checklist: the
question card (a real radio group, operable by keyboard and screen reader), progress, and dimension navigation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from nicegui import html, ui

from core.i18n import Translator
from core.questionnaire import MAX_TEXT, NA, Instrument, Item, is_blank, progress
from core.sheets import MAX_COMMENT

from . import typography as tx
from .focus import focus_heading_on_open
from .frame import aria
from .sources import based_on

AnswerHandler = Callable[[str, Any], Awaitable[bool]]  # (item id, value) -> saved?
CommentHandler = Callable[[str, str], Awaitable[bool]]


class QuestionCard:
    """One question: statement, help, the answer control, an optional comment; saves each answer as it is given."""

    def __init__(
        self,
        t: Translator,
        instrument: Instrument,
        item: Item,
        number: int,
        value: Any = None,
        comment: str = '',
        *,
        on_answer: AnswerHandler | None = None,
        on_comment: CommentHandler | None = None,
        readonly: bool = False,
        comments: bool = True,
    ) -> None:
        self.t, self.item = t, item
        self.value = value
        self.on_answer = on_answer
        self._reverting = False
        with ui.card().classes('w-full gap-2').props('flat bordered').mark(f'question-{item.id}') as self.card:
            statement = tx.p(f'{number}. {t.pick(item.statement)}').classes('font-medium text-base')
            if item.help:
                tx.p(t.pick(item.help)).classes('text-sm cop-muted')
            based_on(t, item.source, f'based-on-{item.id}')
            if readonly:
                tx.p(self._answer_text(instrument, value)).classes('font-medium').mark('answer-text')
            else:
                self.control = self._control(instrument, statement)
            self.status = tx.span('').classes('text-sm cop-muted').props('aria-live=polite')
            if comments and (not readonly or comment):
                self._comment(comment, on_comment, readonly)

    def _control(self, instrument: Instrument, statement: ui.element) -> ui.element:
        t, item = self.t, self.item
        if item.type in ('scale', 'choice'):
            if item.type == 'scale':
                scale = instrument.scale_for(item)
                options: dict[Any, str] = {v.value: t.pick(v.label) for v in scale.values}
                if scale.not_applicable:
                    options[NA] = t.pick(scale.not_applicable)
            else:
                options = {o.id: t.pick(o.label) for o in item.options}
            control = ui.radio(
                options, value=self.value if self.value in options else None, on_change=self._changed
            ).mark(f'answer-{item.id}')
            control.props['role'] = 'radiogroup'
            control.props['aria-labelledby'] = statement.html_id
            return control
        if item.type == 'multi':
            chosen = set(self.value or [])
            with html.div().props('role=group').classes('flex flex-wrap gap-x-4') as group:
                group.props['aria-labelledby'] = statement.html_id
                self.boxes = {
                    o.id: ui.checkbox(t.pick(o.label), value=o.id in chosen, on_change=self._multi_changed).mark(
                        f'answer-{item.id}-{o.id}'
                    )
                    for o in item.options
                }
            return group
        control = (
            ui.textarea(t('questionnaire.your_answer'), value=self.value or '')
            .classes('w-full')
            .props(f'outlined autogrow maxlength={MAX_TEXT} counter')
            .mark(f'answer-{item.id}')
        )
        control.props['aria-describedby'] = statement.html_id
        control.on('blur', lambda: self._save(control.value or None))
        return control

    async def _changed(self, e) -> None:
        if self._reverting:
            return
        await self._save(e.value)

    async def _multi_changed(self) -> None:
        if self._reverting:
            return
        chosen = [option for option, box in self.boxes.items() if box.value]
        if self.item.max_choices is not None and len(chosen) > self.item.max_choices:
            self._revert()  # the tick that went one over is taken back, and said why (aria-live)
            self.status.set_text(self.t('questionnaire.max_reached', count=self.item.max_choices))
            return
        await self._save(chosen)

    async def _save(self, value: Any) -> None:
        if value == self.value or self.on_answer is None:
            return
        self.status.set_text(self.t('questionnaire.saving'))
        if await self.on_answer(self.item.id, value):
            self.value = value
            self.status.set_text(self.t('questionnaire.saved'))
        else:
            self._revert()
            self.status.set_text(self.t('questionnaire.not_saved'))

    def _revert(self) -> None:
        self._reverting = True
        try:
            if self.item.type == 'multi':
                for option, box in self.boxes.items():
                    box.value = option in (self.value or [])
            else:
                self.control.value = self.value if self.item.type != 'text' else (self.value or '')
        finally:
            self._reverting = False

    def _comment(self, comment: str, on_comment: CommentHandler | None, readonly: bool) -> None:
        t = self.t
        if readonly:
            tx.p(t('questionnaire.comment_is', comment=comment)).classes('text-sm italic').mark('comment-text')
            return
        with ui.expansion(t('questionnaire.comment'), value=bool(comment)).classes('w-full text-sm').props('dense'):
            box = (
                ui.textarea(t('questionnaire.comment_label'), value=comment)
                .classes('w-full')
                .props(f'outlined autogrow maxlength={MAX_COMMENT}')
                .mark(f'comment-{self.item.id}')
            )
            saved = {'text': comment}

            async def save() -> None:
                text = box.value or ''
                if text == saved['text'] or on_comment is None:
                    return
                if await on_comment(self.item.id, text):
                    saved['text'] = text
                    self.status.set_text(t('questionnaire.comment_saved'))

            box.on('blur', save)

    def _answer_text(self, instrument: Instrument, value: Any) -> str:
        t, item = self.t, self.item
        if is_blank(value):
            return t('questionnaire.no_answer')
        if value == NA:
            scale = instrument.scale_for(item)
            return t.pick(scale.not_applicable) if scale.not_applicable else value
        if item.type == 'scale':
            label = instrument.scale_for(item).label(value)
            return t.pick(label) if label else str(value)
        if item.type in ('choice', 'multi'):
            chosen = value if isinstance(value, list) else [value]
            return ', '.join(t.pick(o.label) for o in item.options if o.id in chosen)
        return str(value)


class Progress:
    """'12 of 32 answered' with a bar, and per dimension 'n of m', updated in place as answers come in."""

    def __init__(
        self,
        t: Translator,
        instrument: Instrument,
        answers: Mapping[str, Any],
        *,
        current: str | None = None,
        href: Callable[[str], str] | None = None,
    ) -> None:
        self.t, self.instrument = t, instrument
        self.answers = dict(answers)
        with ui.column().classes('w-full gap-1').mark('progress') as box:
            if current is not None:  # a part of the questionnaire: focus starts at its heading, not the page top
                focus_heading_on_open(box)
            self.label = tx.p('').classes('font-medium').props('aria-live=polite').mark('progress-label')
            self.bar = ui.linear_progress(value=0, show_value=False).props('size=10px rounded')
            aria(self.bar, t('questionnaire.progress_bar'))
            self.dimension_labels: dict[str, ui.element] = {}
            with aria(html.nav(), t('questionnaire.dimensions')).classes('w-full'):
                with html.ol().classes('flex flex-wrap gap-2 text-sm'):
                    for d in instrument.dimensions:
                        with html.li():
                            text = f'{t.pick(d.title)} ({self._dimension_count(d.id)})'
                            if href is not None:
                                link = ui.link(text, href(d.id)).mark(f'dimension-{d.id}')
                                if d.id == current:
                                    link.props('aria-current=step').classes('font-bold')
                                self.dimension_labels[d.id] = link
                            else:
                                self.dimension_labels[d.id] = tx.span(text)
        self.refresh()

    def _dimension_count(self, dimension_id: str) -> str:
        done, total = progress(self.instrument, self.answers, dimension_id)
        return self.t('questionnaire.count_short', done=done, total=total)

    def update(self, item_id: str, value: Any) -> None:
        if is_blank(value):
            self.answers.pop(item_id, None)
        else:
            self.answers[item_id] = value
        self.refresh()

    def refresh(self) -> None:
        done, total = progress(self.instrument, self.answers)
        self.label.set_text(self.t('questionnaire.progress', done=done, total=total))
        self.bar.value = done / total if total else 1
        for dimension_id, label in self.dimension_labels.items():
            title = self.t.pick(self.instrument.dimension(dimension_id).title)
            label.set_text(f'{title} ({self._dimension_count(dimension_id)})')
