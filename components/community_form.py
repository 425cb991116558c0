"""The fields of a community, for creating and editing it (read-only for a coach)."""

from __future__ import annotations

from typing import Any

from nicegui import html, ui

from core.communities import LIMITS, MAX_MEMBERS, Community
from core.i18n import LANGUAGES, Translator
from core.stages import Stage

from . import typography as tx
from .forms import NumberField, text_field


def community_form(
    t: Translator, stages: list[Stage], community: Community | None = None, *, readonly: bool = False
) -> dict[str, Any]:
    """Build the fields; returns them by name so the page can read values and show errors."""
    fields: dict[str, Any] = {}
    fields['name'] = _text(t, community, 'name')
    fields['purpose'] = _text(t, community, 'purpose', area=True, hint=t('community.field.purpose_hint'))
    with html.fieldset().classes('w-full border rounded p-3'):
        tx.legend(t('community.field.stage')).classes('px-1 font-medium')
        options = {s.id: f'{t.pick(s.title)} — {t.pick(s.explanation)}' for s in stages}
        fields['stage'] = ui.radio(options, value=community.stage if community else stages[0].id).mark('field-stage')
    fields['sponsor'] = _text(t, community, 'sponsor', counter=False, hint=t('community.field.sponsor_hint'))
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


def _text(t: Translator, community: Community | None, name: str, **options: Any) -> ui.input:
    """The text field of one of the community's fields: its label, value, length limit and marker by its name."""
    value = getattr(community, name) if community else ''
    return text_field(
        t(f'community.field.{name}'), value=value, maxlength=LIMITS[name], marker=f'field-{name}', **options
    )
