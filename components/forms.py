"""Small form helpers: labelled fields, an error line announced to screen readers, field error display."""
from __future__ import annotations

from collections.abc import Callable

from nicegui import ui


class ErrorLine(ui.label):
    """A message line that screen readers announce when it changes."""

    def __init__(self) -> None:
        super().__init__('')
        self.classes('text-negative font-medium').props('role=alert aria-live=assertive')

    def show(self, text: str) -> None:
        self.set_text(text)

    def clear_text(self) -> None:
        self.set_text('')


def text_field(label: str, *, value: str = '', maxlength: int | None = None, hint: str | None = None,
               autocomplete: str | None = None, kind: str = 'text', marker: str | None = None,
               on_enter: Callable | None = None) -> ui.input:
    field = ui.input(label, value=value).classes('w-full').props('outlined')
    if kind == 'password':
        field.props('type=password')
    elif kind != 'text':
        field.props(f'type={kind}')
    if maxlength:
        field.props(f'maxlength={maxlength} counter')
    if hint:
        field.props['hint'] = hint
    if autocomplete:
        field.props(f'autocomplete={autocomplete}')
    if marker:
        field.mark(marker)
    if on_enter:
        field.on('keydown.enter', on_enter)
    return field


def show_field_error(fields: dict[str, ui.input | ui.select | ui.number | ui.textarea], field: str | None,
                     message: str) -> bool:
    """Mark the field an error belongs to; returns False when the error has no field here."""
    clear_field_errors(fields)
    element = fields.get(field or '')
    if element is None:
        return False
    element.props['error'] = True
    element.props['error-message'] = message
    element.run_method('focus')
    return True


def clear_field_errors(fields: dict) -> None:
    for element in fields.values():
        element.props(remove='error error-message')
