"""Semantic text elements (headings, paragraphs, list items...) holding plain, escaped text.

NiceGUI's `html.*` elements work too, but their text is invisible to the `user` test fixture; these are real text
elements, so tests can find a heading by what it says."""

from __future__ import annotations

from nicegui.elements.mixins.text_element import TextElement


class Text(TextElement):
    def __init__(self, tag: str, text: str = '') -> None:
        super().__init__(tag=tag, text=text)


def h1(text: str) -> Text:
    return Text('h1', text).classes('cop-h1')


def h2(text: str) -> Text:
    return Text('h2', text).classes('cop-h2')


def h3(text: str) -> Text:
    return Text('h3', text).classes('cop-h3')


def p(text: str) -> Text:
    return Text('p', text)


def span(text: str) -> Text:
    return Text('span', text)


def li(text: str) -> Text:
    return Text('li', text)


def dt(text: str) -> Text:
    return Text('dt', text)


def dd(text: str) -> Text:
    return Text('dd', text)


def div(text: str) -> Text:
    return Text('div', text)


def legend(text: str) -> Text:
    return Text('legend', text)
