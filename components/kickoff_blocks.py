"""One block of a kick-off scenario in the editor: its clock time, title and actions (move up/down, duplicate,
delete, drag handle), and its fields in an expansion. Everything updates in place: typing is never interrupted."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import html, ui

from core.agenda import MAX_DURATION, MIN_DURATION, Slot
from core.i18n import Translator
from core.kickoff import LIMITS, Block, KickoffCatalogue
from core.kickoff.texts import duration_text

from . import typography as tx
from .forms import NumberField
from .frame import aria
from .sources import based_on

FieldHandler = Callable[[str, str, Any, str], Awaitable[None] | None]  # block id, field, value, 'type'|'blur'|'set'
Action = Callable[[str], Awaitable[None]]

BLOCK_CSS = """
.cop-block .cop-handle { cursor: grab; color: #4b5d70; width: 44px; height: 44px; font-size: 28px;
  display: inline-flex; align-items: center; justify-content: center; border-radius: .4rem; flex: none; }
.cop-block .cop-handle:hover { background: #e8eef7; }
.cop-block.cop-drop-target { outline: 3px dashed #1d4f91; }
.cop-block .cop-clock { font-variant-numeric: tabular-nums; min-width: 7.5rem; }
"""


def install_css() -> None:
    """Once per process start, with the pages (pages/kickoff.register)."""
    ui.add_css(BLOCK_CSS, shared=True)


def set_field_error(field: ui.element, message: str | None) -> None:
    """Show `message` under one field, or clear it (None). Unlike components.forms.show_field_error it leaves the
    other fields and the focus alone: it runs during auto-save, while the user may be typing elsewhere."""
    if message is None:
        if field.props.get('error'):
            field.props(remove='error error-message')
        return
    field.props['error'] = True
    field.props['error-message'] = message


class BlockCard:
    def __init__(
        self,
        t: Translator,
        catalogue: KickoffCatalogue,
        block: Block,
        *,
        on_field: FieldHandler,
        on_move: Callable[[str, int], Awaitable[None]],
        on_duplicate: Action,
        on_delete: Action,
        on_drop: Callable[[str, str], Awaitable[None]],
        expanded: bool = False,
        source: str = '',
    ) -> None:
        self.t = t
        self.block_id = block.id
        self.title = block.title
        self.source = None
        self.fields: dict[str, ui.element] = {}
        with ui.card().classes('cop-block w-full gap-1').props('flat bordered').mark('block-card') as card:
            self.card = card
            self._droppable(on_drop)
            with ui.row().classes('w-full items-center gap-x-2 gap-y-0 wrap'):
                self._render_heading(block)
                self._render_buttons(on_move, on_duplicate, on_delete)
            self.source_box = ui.element('div').classes('w-full')
            self.set_source(source)
            with (
                ui.expansion(t('kickoff.block.details'), value=expanded)
                .classes('w-full')
                .props('dense header-class="text-primary"')
                .mark('block-details') as self.expansion
            ):
                self._fields(catalogue, block, on_field)
        self.set_title(block.title)

    def _droppable(self, on_drop: Callable[[str, str], Awaitable[None]]) -> None:
        """Another block dragged onto this card goes to its place."""
        card, bid = self.card, self.block_id
        card.props['data-block'] = bid
        card.on(
            'dragover',
            js_handler='(e) => { e.preventDefault(); e.currentTarget.classList.add("cop-drop-target"); }',
        )
        card.on('dragleave', js_handler='(e) => e.currentTarget.classList.remove("cop-drop-target")')
        card.on(
            'drop',
            lambda e: on_drop(str(e.args or ''), bid),
            js_handler='(e) => { e.preventDefault(); e.currentTarget.classList.remove("cop-drop-target");'
            ' emit(e.dataTransfer.getData("text/plain")); }',
        )

    def _render_heading(self, block: Block) -> None:
        bid = self.block_id
        handle = ui.icon('drag_indicator').classes('cop-handle cop-noprint').props('aria-hidden=true')
        handle.props['draggable'] = 'true'
        handle.props['title'] = self.t('kickoff.block.drag')
        handle.on('dragstart', js_handler=f'(e) => e.dataTransfer.setData("text/plain", "{bid}")')
        with ui.column().classes('gap-0 grow min-w-0 basis-48'):
            with ui.row().classes('items-baseline gap-x-3 gap-y-0 wrap'):
                self.clock = tx.span('').classes('cop-clock font-semibold').mark('block-clock', f'block-clock-{bid}')
                self.heading = tx.h3(block.title).classes('cop-h3 break-words').mark('block-title')
            self.meta = tx.span('').classes('text-sm cop-muted').mark('block-meta')

    def _render_buttons(
        self, on_move: Callable[[str, int], Awaitable[None]], on_duplicate: Action, on_delete: Action
    ) -> None:
        bid = self.block_id
        with ui.row().classes('gap-0 no-wrap cop-noprint ml-auto'):
            self.up = (
                ui.button(icon='arrow_upward', on_click=lambda: on_move(bid, -1))
                .props('flat round dense')
                .mark('block-up', f'block-up-{bid}')
            )
            self.down = (
                ui.button(icon='arrow_downward', on_click=lambda: on_move(bid, 1))
                .props('flat round dense')
                .mark('block-down', f'block-down-{bid}')
            )
            self.copy = (
                ui.button(icon='content_copy', on_click=lambda: on_duplicate(bid))
                .props('flat round dense')
                .mark('block-duplicate', f'block-duplicate-{bid}')
            )
            self.delete = (
                ui.button(icon='delete', on_click=lambda: on_delete(bid))
                .props('flat round dense color=negative')
                .mark('block-delete', f'block-delete-{bid}')
            )

    def _fields(self, catalogue: KickoffCatalogue, block: Block, on_field: FieldHandler) -> None:
        t, bid = self.t, self.block_id

        def text_input(name: str, label: str, value: str, *, area: bool = False) -> ui.input:
            limit = LIMITS['block_title' if name == 'title' else name]
            field = (
                (ui.textarea(label, value=value).props('autogrow') if area else ui.input(label, value=value))
                .classes('w-full')
                .props(f'outlined dense maxlength={limit} counter')
                .mark(f'block-{name}', f'block-{name}-{bid}')
            )
            field.on_value_change(lambda e: on_field(bid, name, e.value, 'type'))
            field.on('blur', lambda: on_field(bid, name, field.value, 'blur'))
            self.fields[name] = field
            return field

        with ui.element('div').classes('w-full grid gap-2 sm:grid-cols-[1fr_11rem]'):
            text_input('title', t('kickoff.field.title'), block.title)
            duration = (
                NumberField(
                    t('kickoff.field.duration'),
                    value=block.duration,
                    min=MIN_DURATION,
                    max=MAX_DURATION,
                    step=5,
                    precision=0,
                    format='%d',
                )
                .props('outlined dense suffix=min')
                .mark('block-duration', f'block-duration-{bid}')
            )
            duration.on_value_change(lambda e: on_field(bid, 'duration', e.value, 'type'))
            duration.on('blur', lambda: on_field(bid, 'duration', duration.value, 'blur'))
            self.fields['duration'] = duration
        text_input('goal', t('kickoff.field.goal'), block.goal, area=True)
        options = {'': t('kickoff.method.none')} | {m.id: t.pick(m.title) for m in catalogue.methods}
        with ui.element('div').classes('w-full grid gap-2 sm:grid-cols-2'):
            method = (
                ui.select(
                    options, value=block.method if block.method in options else '', label=t('kickoff.field.method')
                )
                .props('outlined dense options-dense')
                .mark('block-method')
            )
            self.fields['method'] = method
            method_text = text_input('method_text', t('kickoff.field.method_text'), block.method_text)
            method_text.bind_visibility_from(method, 'value', backward=lambda v: not v)
            method.on_value_change(lambda e: on_field(bid, 'method', e.value, 'set'))
        with html.fieldset().classes('border rounded px-3 py-1 w-full').mark('block-roles'):
            tx.legend(t('kickoff.field.roles')).classes('text-sm px-1')
            self.roles: dict[str, ui.checkbox] = {}
            with ui.row().classes('gap-x-4 gap-y-0 wrap'):
                for role in catalogue.roles:
                    box = ui.checkbox(t.pick(role.label), value=role.id in block.roles).mark(f'block-role-{role.id}')
                    box.on_value_change(lambda: on_field(bid, 'roles', self.role_values(), 'set'))
                    self.roles[role.id] = box
        text_input('instructions', t('kickoff.field.instructions'), block.instructions, area=True)
        text_input('materials', t('kickoff.field.materials'), block.materials, area=True)
        text_input('notes', t('kickoff.field.notes'), block.notes, area=True)

    def role_values(self) -> list[str]:
        return [rid for rid, box in self.roles.items() if box.value]

    # -- in-place updates ----------------------------------------------------------------------------------------

    def set_source(self, source: str) -> None:
        """'Why this block?' with what the block rests on (its kind in the templates, its library method); redrawn
        only when that changes, as when another method is picked."""
        if source == self.source:
            return
        self.source = source
        self.source_box.clear()
        with self.source_box:
            based_on(self.t, source, f'block-source-{self.block_id}', kind='block')

    def set_title(self, title: str) -> None:
        self.title = title or '…'
        self.heading.set_text(self.title)
        t = self.t
        aria(self.up, t('kickoff.block.up', title=self.title))
        aria(self.down, t('kickoff.block.down', title=self.title))
        aria(self.copy, t('kickoff.block.duplicate', title=self.title))
        aria(self.delete, t('kickoff.block.delete', title=self.title))
        for button, key in ((self.up, 'up'), (self.down, 'down'), (self.copy, 'duplicate'), (self.delete, 'delete')):
            button.props['title'] = t(f'kickoff.block.{key}', title=self.title)

    def set_slot(self, slot: Slot | None, position: int, count: int) -> None:
        """Clock time and position; the first block cannot go up, the last cannot go down."""
        t = self.t
        self.clock.set_text(f'{slot.start_text}–{slot.end_text}' if slot else '')
        duration = duration_text(t, slot.duration) if slot else ''
        self.meta.set_text(f'{t("kickoff.block.position", position=position, count=count)} · {duration}')
        self.up.set_enabled(position > 1)
        self.down.set_enabled(position < count)

    def show_error(self, name: str | None, message: str) -> None:
        field = self.fields.get(name or '')
        if field is None:
            return
        set_field_error(field, message)
        self.expansion.open()

    def clear_error(self, name: str) -> None:
        field = self.fields.get(name)
        if field is not None:
            set_field_error(field, None)

    def focus_move_button(self, direction: int) -> None:
        """Keep the keyboard on the moved block: its button in the direction it went, or the other one at an end."""
        button = self.up if direction < 0 else self.down
        if not button.enabled:
            button = self.down if direction < 0 else self.up
        self.card.client.run_javascript(f'setTimeout(() => document.getElementById("{button.html_id}")?.focus(), 80)')
