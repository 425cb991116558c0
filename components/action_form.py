"""The fields of an action in the action plan (in a dialog), the owner-and-date question when an idea is taken over,
and a compact view of one action. Dates are real dates; 'in 30 days' is only ever a hint computed from one."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from core.i18n import Translator
from core.plan import HORIZONS, LIMITS, STATUSES, Action, day_in, days_until, target_day

from . import typography as tx
from .forms import text_field


def relative(t: Translator, day: str | None, *, done: bool = False) -> str:
    """'in 12 days', 'today', '3 days late' for a day; '' without one (or for a finished action's past day)."""
    days = days_until(day)
    if days is None:
        return ''
    if days == 0:
        return t('plan.when.today')
    if days > 0:
        return t('plan.when.in_days', count=days)
    return t('plan.when.ago', count=-days) if done else t('plan.when.late', count=-days)


def due_field(t: Translator, value: str = '') -> ui.input:
    """A date field with, beside it, how far away the date is and quick choices (in 30, 60, 90 days)."""
    with ui.column().classes('gap-1'):
        field = ui.input(t('plan.field.due'), value=value).classes('w-48').props('outlined type=date stack-label')

        def hint() -> None:
            field.props['hint'] = relative(t, field.value or None)
            field.update()

        field.on_value_change(lambda _: hint())
        hint()
        with ui.row().classes('gap-1 items-center'):
            tx.span(t('plan.when.quick')).classes('text-sm cop-muted')
            for days in HORIZONS:
                ui.button(
                    t('plan.when.in_days', count=int(days)),
                    on_click=lambda d=int(days): field.set_value(day_in(d)),
                ).props('flat dense no-caps').classes('min-h-[32px]').mark(f'due-in-{days}')
    return field


def action_fields(t: Translator, action: Action | None = None, owners: list[str] | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {
        'title': _text(t, action, 'title'),
        'description': _text(t, action, 'description', counter=False, area=True),
    }
    with ui.row().classes('w-full gap-3'):
        fields['owner'] = owner_field(t, action.owner if action else '', owners)
        fields['status'] = (
            ui.select(
                {s: t(f'plan.status.{s}') for s in STATUSES},
                value=action.status if action else 'planned',
                label=t('plan.field.status'),
            )
            .classes('w-44')
            .props('outlined')
            .mark('action-status')
        )
    fields['due'] = due_field(t, (action.due or '') if action else '').mark('action-due')
    if action is not None and action.horizon and not action.due:
        # an older action planned 'within N days': keep it until a real date replaces it
        tx.p(t('plan.horizon.kept', days=action.horizon, date=t.date(target_day(action)))).classes('text-sm')
    fields['indicator'] = _text(t, action, 'indicator', counter=False, hint=t('plan.field.indicator_hint'))
    return fields


def _text(t: Translator, action: Action | None, name: str, **options: Any) -> ui.input:
    """The text field of one of the action's fields: its label, value, length limit and marker by its name."""
    value = getattr(action, name) if action else ''
    return text_field(t(f'plan.field.{name}'), value=value, maxlength=LIMITS[name], marker=f'action-{name}', **options)


def owner_field(t: Translator, value: str = '', owners: list[str] | None = None) -> ui.input:
    return (
        ui.input(t('plan.field.owner'), value=value, autocomplete=owners or [])
        .classes('grow')
        .props(f'outlined maxlength={LIMITS["owner"]}')
        .mark('action-owner')
    )


def action_values(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: element.value for name, element in fields.items()}


def action_summary(t: Translator, action: Action) -> None:
    """Who, when (a real date, with how far away it is), how we know: one line under the action's title."""
    parts = [t(f'plan.status.{action.status}')]
    if action.owner:
        parts.append(t('plan.owner_is', owner=action.owner))
    else:
        parts.append(t('plan.no_owner'))
    day = target_day(action)
    if day:
        when = t('plan.due_is', date=t.date(day))
        if not action.due:
            when = t('plan.horizon.about', days=action.horizon, date=t.date(day))
        hint = relative(t, day, done=action.status in ('done', 'dropped'))
        parts.append(f'{when} ({hint})' if hint else when)
    else:
        parts.append(t('plan.no_due'))
    line = tx.p(' · '.join(parts)).classes('text-sm').mark('action-summary')
    days = days_until(day)
    if days is not None and days < 0 and action.status not in ('done', 'dropped'):
        line.classes('text-negative font-medium')
    if action.indicator:
        tx.p(t('plan.indicator_is', indicator=action.indicator)).classes('text-sm cop-muted')
