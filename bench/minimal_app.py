"""The baseline: the smallest NiceGUI page, served the way main.py serves the app."""

import os

from nicegui import ui


@ui.page('/')
def index():
    ui.label('Hello')


@ui.page('/login')
def login():
    ui.label('Hello')


ui.run(
    host='127.0.0.1',
    port=int(os.environ.get('COP_PORT', '8080')),
    reload=False,
    show=False,
    language='nl',
    show_welcome_message=False,
    storage_secret='bench-only',
)
