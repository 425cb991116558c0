"""The words of a mail: subject, plain text and simple HTML from the UI catalogue, in the reader's language.

A mail's keys are `<key>.subject` and `<key>.body` (paragraphs separated by a blank line), optionally `<key>.action`
(the label of its link); every mail ends with `mail.footer`, which names the product. Values are escaped for the
HTML part; a link is shown as a button-like anchor and, for mail programs that strip links, in full below it.
No mail carries a password: nothing here is ever given one.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from .i18n import HTML_LANG, Catalog

PRODUCT = 'CoP-toolbox'


@dataclass(frozen=True)
class MailText:
    subject: str
    text: str
    html: str


def render(catalog: Catalog, key: str, lang: str, *, link: str = '', extra: str = '', **params: Any) -> MailText:
    """The mail `key` in `lang`. `extra` is a further block of plain text (e.g. an agenda) shown after the body."""
    params = {'product': PRODUCT, **params}
    subject = catalog.text(f'{key}.subject', lang, **params)
    paragraphs = [p.strip() for p in catalog.text(f'{key}.body', lang, **params).split('\n\n') if p.strip()]
    footer = catalog.text('mail.footer', lang, product=PRODUCT)
    text_parts = list(paragraphs)
    html_parts = [f'<p>{_lines(p)}</p>' for p in paragraphs]
    if extra.strip():
        text_parts.append(extra.strip())
        html_parts.append(f'<pre style="font-family:inherit;white-space:pre-wrap">{escape(extra.strip())}</pre>')
    if link:
        action = catalog.text(f'{key}.action', lang, **params)
        text_parts.append(f'{action}:\n{link}')
        html_parts.append(
            f'<p><a href="{escape(link, quote=True)}" style="display:inline-block;padding:8px 16px;'
            f'background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px">{escape(action)}</a></p>'
            f'<p style="font-size:small">{escape(link)}</p>'
        )
    text_parts.append(f'-- \n{footer}')
    html_parts.append(f'<hr><p style="font-size:small;color:#555555">{escape(footer)}</p>')
    tag = escape(HTML_LANG.get(lang, lang))  # nl-BE, as the pages' <html lang>
    html = (
        f'<!DOCTYPE html><html lang="{tag}"><head><meta charset="utf-8"><title>{escape(subject)}</title>'
        f'</head><body style="font-family:Arial,sans-serif;line-height:1.5">{"".join(html_parts)}</body></html>'
    )
    return MailText(subject, '\n\n'.join(text_parts) + '\n', html)


def _lines(paragraph: str) -> str:
    return '<br>'.join(escape(line) for line in paragraph.split('\n'))


def from_plain(catalog: Catalog, subject: str, body: str, lang: str, *, link: str) -> MailText:
    """A mail from a text someone wrote (a survey invitation): `{link}` in it becomes the link (added at the end when
    the text has none); nothing else in the text is interpreted, and the HTML part escapes all of it."""
    if '{link}' not in body:
        body = body.rstrip() + '\n\n{link}'
    footer = catalog.text('mail.footer', lang, product=PRODUCT)
    text = body.replace('{link}', link).strip() + f'\n\n-- \n{footer}\n'
    anchor = f'<a href="{escape(link, quote=True)}">{escape(link)}</a>'
    paragraphs = [p.strip() for p in body.split('\n\n') if p.strip()]
    html_parts = [f'<p>{_lines(p).replace(escape("{link}"), anchor)}</p>' for p in paragraphs]
    html_parts.append(f'<hr><p style="font-size:small;color:#555555">{escape(footer)}</p>')
    tag = escape(HTML_LANG.get(lang, lang))  # nl-BE, as the pages' <html lang>
    html = (
        f'<!DOCTYPE html><html lang="{tag}"><head><meta charset="utf-8"><title>{escape(subject)}</title>'
        f'</head><body style="font-family:Arial,sans-serif;line-height:1.5">{"".join(html_parts)}</body></html>'
    )
    return MailText(subject, text, html)
