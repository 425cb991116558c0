"""One way to run what a visitor asked for, and to show core's refusal where it belongs.

Core refuses with an `AppError` that carries a message key (and, for a `ValidationError`, the field it is about).
Every handler used to catch it and show it by hand; `attempt` does it once: the message goes under its field when the
form has that field, into the form's error line when there is one, and otherwise into a notification.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from nicegui import ui

from core.errors import AppError
from core.i18n import Translator

from .forms import ErrorLine, clear_field_errors, show_field_error

T = TypeVar('T')

Action = Callable[[], Any] | Awaitable[Any]


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What an attempt gave: true when the action worked (its result in `value`), false after a refusal."""

    value: T | None = None
    error: AppError | None = None

    def __bool__(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Where:
    """Where a refusal is shown. `fields`: the form's fields by the name core uses; `line`: the form's error line;
    `echo`: the line repeats a message already shown under its field (screen readers announce the line);
    `notify`: with no field and no line, a notification (off when `on_error` shows it itself);
    `on_error`: what else the page does on a refusal (clear a password, reset an upload)."""

    fields: Mapping[str, Any] | None = None
    line: ErrorLine | None = None
    echo: bool = True
    notify: bool = True
    on_error: Callable[[AppError], Any] | None = None

    def clear(self) -> None:
        if self.line is not None:
            self.line.clear_text()
        if self.fields:
            clear_field_errors(dict(self.fields))

    def show(self, t: Translator, error: AppError) -> None:
        text = t(error.key, **error.params)
        placed = bool(self.fields) and show_field_error(dict(self.fields), error.field, text)
        if self.line is not None and (self.echo or not placed):
            self.line.show(text)
        elif not placed and self.notify:
            ui.notify(text, type='negative', multi_line=True)
        if self.on_error is not None:
            self.on_error(error)


async def attempt(t: Translator, action: Action, **where: Any) -> Outcome:
    """Run `action` (a coroutine, or a callable returning a value or an awaitable); show an AppError it raises
    (see `Where` for the keywords) and return a false Outcome. Any other exception is a bug and goes on up."""
    place = Where(**where)
    place.clear()
    try:
        value = action() if callable(action) else action
        if inspect.isawaitable(value):
            value = await value
    except AppError as error:
        place.show(t, error)
        return Outcome(error=error)
    return Outcome(value)


def attempt_now(t: Translator, action: Callable[[], T], **where: Any) -> Outcome[T]:
    """`attempt` for what runs at once, while a page is built or in a plain handler."""
    place = Where(**where)
    place.clear()
    try:
        value = action()
    except AppError as error:
        place.show(t, error)
        return Outcome(error=error)
    return Outcome(value)
