"""An accessible file picker: a plain labelled button that opens the browser's file dialog, over NiceGUI's upload
element, whose own Quasar widget has unlabelled controls and is therefore kept out of sight.

A file over `max_file_size` is refused twice: in the browser before it is sent (`on_rejected`), and by the server
before the body is read (pages/_limits.py answers 413), which the browser reports as a failed upload (`on_failed`)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui


def file_picker(
    label: str,
    *,
    on_upload: Callable,
    on_rejected: Callable | None = None,
    on_failed: Callable | None = None,
    accept: str = '',
    max_file_size: int | None = None,
    icon: str = 'upload_file',
) -> ui.upload:
    """`on_rejected` and `on_failed` take no argument: the page shows its own message in the user's language."""
    upload = ui.upload(
        auto_upload=True, max_file_size=max_file_size, on_upload=on_upload, on_rejected=on_rejected
    ).classes('hidden')
    if on_failed is not None:

        def failed() -> None:
            upload.reset()  # the failed file must not block the next try
            on_failed()

        upload.on('failed', failed, args=[])
    if accept:
        upload.props(f'accept="{accept}"')
    # the click must open the dialog in the browser itself: browsers refuse a file dialog opened later from the server
    ui.button(label, icon=icon).props('outline').on(
        'click', js_handler=f'() => getElement({upload.id}).$refs.qRef.pickFiles()'
    )
    return upload
