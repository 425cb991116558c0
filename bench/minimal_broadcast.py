"""The baseline of the IT-tools bench: the smallest NiceGUI page that broadcasts an edit, served like main.py.

Every visitor of / sees a label; a change of the input on any page is announced with an Event, and every page
sets its label in place. The bench measures the time from the edit in one client to its arrival in the others,
exactly as for the matrix.

    python bench/minimal_broadcast.py        (port from COP_PORT)
"""

import os


def main() -> None:
    from nicegui import Event, ui

    edited = Event[str]()

    @ui.page('/')
    def index():
        label = ui.label('start')
        ui.input('edit', on_change=lambda e: edited.emit(e.value))
        edited.subscribe(label.set_text)

    @ui.page('/login')
    def login():
        ui.label('ready')

    ui.run(
        host='127.0.0.1',
        port=int(os.environ.get('COP_PORT', '8080')),
        reload=False,
        show=False,
        language='nl',
        show_welcome_message=False,
        storage_secret='bench-only',
        reconnect_timeout=30.0,
    )


if __name__ in {'__main__', '__mp_main__'}:
    main()
