"""The fields of an action in the action plan (in a dialog), and a compact view of one action."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from core.actionplan import HORIZONS, LIMITS, STATUSES, Action
from core.i18n import Translator

from . import typography as tx


def action_fields(t: Translator, action: Action | None = None, owners: list[str] | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {
        'title': ui.input(t('plan.field.title'), value=action.title if action else '')
        .classes('w-full')
        .props(f'outlined maxlength={LIMITS["title"]} counter')
        .mark('action-title'),
        'description': ui.textarea(t('plan.field.description'), value=action.description if action else '')
        .classes('w-full')
        .props(f'outlined autogrow maxlength={LIMITS["description"]}')
        .mark('action-description'),
    }
    with ui.row().classes('w-full gap-3'):
        fields['owner'] = (
            ui.input(t('plan.field.owner'), value=action.owner if action else '', autocomplete=owners or [])
            .classes('grow')
            .props(f'outlined maxlength={LIMITS["owner"]}')
            .mark('action-owner')
        )
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
    with ui.row().classes('w-full gap-3'):
        fields['due'] = (
            ui.input(t('plan.field.due'), value=(action.due or '') if action else '')
            .classes('w-48')
            .props('outlined type=date stack-label')
            .mark('action-due')
        )
        fields['horizon'] = (
            ui.select(
                {'': t('plan.horizon.none'), **{h: t('plan.horizon.days', days=h) for h in HORIZONS}},
                value=(action.horizon or '') if action else '',
                label=t('plan.field.horizon'),
            )
            .classes('w-48')
            .props('outlined')
            .mark('action-horizon')
        )
    fields['indicator'] = (
        ui.input(t('plan.field.indicator'), value=action.indicator if action else '')
        .classes('w-full')
        .props(f'outlined maxlength={LIMITS["indicator"]}')
        .mark('action-indicator')
    )
    fields['indicator'].props['hint'] = t('plan.field.indicator_hint')
    return fields


def action_values(fields: dict[str, Any]) -> dict[str, Any]:
    values = {name: element.value for name, element in fields.items()}
    values['horizon'] = values.get('horizon') or None
    return values


def action_summary(t: Translator, action: Action) -> None:
    """Who, when, how we know: one line under the action's title."""
    parts = [t(f'plan.status.{action.status}')]
    if action.owner:
        parts.append(t('plan.owner_is', owner=action.owner))
    if action.due:
        parts.append(t('plan.due_is', date=t.date(action.due)))
    elif action.horizon:
        parts.append(t('plan.horizon.days', days=action.horizon))
    tx.p(' · '.join(parts)).classes('text-sm').mark('action-summary')
    if action.indicator:
        tx.p(t('plan.indicator_is', indicator=action.indicator)).classes('text-sm cop-muted')
