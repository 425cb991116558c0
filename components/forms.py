"""Small form helpers: labelled fields, an error line announced to screen readers, field error display."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from core.accounts import MIN_PASSWORD


class ErrorLine(ui.label):
    """A message line that screen readers announce when it changes."""

    def __init__(self) -> None:
        super().__init__('')
        self.classes('text-negative font-medium').props('role=alert aria-live=assertive')

    def show(self, text: str) -> None:
        self.set_text(text)

    def clear_text(self) -> None:
        self.set_text('')


class NumberField(ui.number):
    """A number field that keeps text a forged message puts there (NiceGUI's own raises on it when the value comes
    in, is shown or is tidied up on blur): saving then hands it to core, which refuses it with a message."""

    def sanitize(self) -> None:
        if isinstance(self.value, int | float):
            super().sanitize()

    def _event_args_to_value(self, e: Any) -> Any:
        try:
            return super()._event_args_to_value(e)
        except (TypeError, ValueError):
            return e.args if isinstance(e.args, str) else None

    def _value_to_model_value(self, value: Any) -> Any:
        try:
            return super()._value_to_model_value(value)
        except (TypeError, ValueError, OverflowError):
            return value if isinstance(value, str) else None


def text_field(
    label: str,
    *,
    value: str = '',
    maxlength: int | None = None,
    counter: bool = True,
    area: bool = False,
    hint: str | None = None,
    autocomplete: str | None = None,
    kind: str = 'text',
    marker: str | None = None,
    on_enter: Callable | None = None,
) -> ui.input:
    """A full-width outlined field; `area`: a text area that grows with its text; `counter`: the characters left
    are shown under a field with a `maxlength`."""
    field = (ui.textarea(label, value=value).props('autogrow') if area else ui.input(label, value=value)).classes(
        'w-full'
    )
    field.props('outlined')
    if kind == 'password':
        field.props('type=password')
    elif kind != 'text':
        field.props(f'type={kind}')
    if maxlength:
        field.props(f'maxlength={maxlength}' + (' counter' if counter else ''))
    if hint:
        field.props['hint'] = hint
    if autocomplete:
        field.props(f'autocomplete={autocomplete}')
    if marker:
        field.mark(marker)
    if on_enter:
        field.on('keydown.enter', on_enter)
    return field


def new_password_field(t: Any, label: str, marker: str) -> ui.input:
    """A field for a new password, with the rule it must meet. `t`: the page's Translator."""
    hint = t('auth.password_hint', min=MIN_PASSWORD)
    return text_field(label, kind='password', autocomplete='new-password', hint=hint, marker=marker)


def show_field_error(
    fields: dict[str, ui.input | ui.select | ui.number | ui.textarea], field: str | None, message: str
) -> bool:
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


def form_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The current value of each field, by the field's name."""
    return {name: element.value for name, element in fields.items()}


def copy_button(t: Any, text: str, *, dense: bool = False) -> ui.button:
    """A button that puts `text` on the clipboard and says so. `t`: the page's Translator."""
    return ui.button(
        t('common.copy'),
        icon='content_copy',
        on_click=lambda: (ui.clipboard.write(text), ui.notify(t('common.copied'))),
    ).props('outline dense' if dense else 'outline')


def copy_field(t: Any, label: str, value: str, marker: str) -> None:
    """A read-only field showing `value` (a link to share), with its copy button."""
    with ui.row().classes('w-full items-center gap-2 no-wrap'):
        ui.input(label, value=value).props('readonly outlined').classes('grow').mark(marker)
        copy_button(t, value)
