"""An accessible file picker: a plain labelled button that opens the browser's file dialog, over NiceGUI's upload
element, whose own Quasar widget has unlabelled controls and is therefore kept out of sight."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui


def file_picker(
    label: str,
    *,
    on_upload: Callable,
    on_rejected: Callable | None = None,
    accept: str = '',
    max_file_size: int | None = None,
    icon: str = 'upload_file',
) -> ui.upload:
    upload = ui.upload(
        auto_upload=True, max_file_size=max_file_size, on_upload=on_upload, on_rejected=on_rejected
    ).classes('hidden')
    if accept:
        upload.props(f'accept="{accept}"')
    # the click must open the dialog in the browser itself: browsers refuse a file dialog opened later from the server
    ui.button(label, icon=icon).props('outline').on(
        'click', js_handler=f'() => getElement({upload.id}).$refs.qRef.pickFiles()'
    )
    return upload
