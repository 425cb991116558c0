"""The fields of a community, for creating and editing it (read-only for a coach)."""

from __future__ import annotations

from typing import Any

from nicegui import html, ui

from core.communities import LIMITS, MAX_MEMBERS, Community
from core.i18n import LANGUAGES, Translator
from core.stages import Stage

from . import typography as tx
from .forms import NumberField


def community_form(
    t: Translator, stages: list[Stage], community: Community | None = None, *, readonly: bool = False
) -> dict[str, Any]:
    """Build the fields; returns them by name so the page can read values and show errors."""
    fields: dict[str, Any] = {}
    fields['name'] = (
        ui.input(t('community.field.name'), value=community.name if community else '')
        .classes('w-full')
        .props(f'outlined maxlength={LIMITS["name"]} counter')
        .mark('field-name')
    )
    fields['purpose'] = (
        ui.textarea(t('community.field.purpose'), value=community.purpose if community else '')
        .classes('w-full')
        .props(f'outlined autogrow maxlength={LIMITS["purpose"]} counter')
        .mark('field-purpose')
    )
    fields['purpose'].props['hint'] = t('community.field.purpose_hint')
    with html.fieldset().classes('w-full border rounded p-3'):
        tx.legend(t('community.field.stage')).classes('px-1 font-medium')
        options = {s.id: f'{t.pick(s.title)} — {t.pick(s.explanation)}' for s in stages}
        fields['stage'] = ui.radio(options, value=community.stage if community else stages[0].id).mark('field-stage')
    fields['sponsor'] = (
        ui.input(t('community.field.sponsor'), value=community.sponsor if community else '')
        .classes('w-full')
        .props(f'outlined maxlength={LIMITS["sponsor"]}')
        .mark('field-sponsor')
    )
    fields['sponsor'].props['hint'] = t('community.field.sponsor_hint')
    with ui.row().classes('w-full gap-4'):
        fields['expected_members'] = (
            NumberField(
                t('community.field.expected_members'),
                min=1,
                max=MAX_MEMBERS,
                step=1,
                precision=0,
                value=community.expected_members if community else None,
            )
            .classes('w-48')
            .props('outlined')
            .mark('field-members')
        )
        fields['language'] = (
            ui.select(
                {lang: t(f'lang.{lang}') for lang in LANGUAGES},
                value=community.language if community else t.lang,
                label=t('community.field.language'),
            )
            .classes('w-56')
            .props('outlined')
            .mark('field-language')
        )
    if readonly:
        for element in fields.values():
            element.props('readonly' if not isinstance(element, ui.radio) else 'disable')
    return fields
