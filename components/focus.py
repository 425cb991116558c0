"""Keyboard focus, app-wide: a clearly visible focus ring, targets of at least 24 px (focus.css), radio groups as one
Tab stop with arrow keys, Enter to the next question, and focus on the heading of a questionnaire's next part
(focus.js). Installed once, with the theme."""

from __future__ import annotations

from pathlib import Path

from nicegui import ui

HERE = Path(__file__).parent
FOCUS_HEADING = 'data-cop-focus-heading'  # an element with this attribute: focus the page's h1 when it opens


def install_focus() -> None:
    ui.add_css((HERE / 'focus.css').read_text(encoding='utf-8'), shared=True)
    ui.add_body_html(f'<script>{(HERE / "focus.js").read_text(encoding="utf-8")}</script>', shared=True)


def focus_heading_on_open(element: ui.element) -> None:
    """Mark a page (by one of its elements) whose h1 receives focus when it opens: the next part of a questionnaire,
    reached by 'next', continues where the reader is instead of at the top of the document."""
    element.props[FOCUS_HEADING] = 'true'
