"""QR codes of links, drawn on the server (no request leaves for a third-party QR service), shown and downloadable."""

from __future__ import annotations

import io

from nicegui import ui


def _make(url: str):
    import segno  # loaded with the first QR code, not at start-up

    return segno.make(url, error='m')


def qr_image(url: str, alt: str, *, size: str = '10rem') -> ui.image:
    data_uri = _make(url).svg_data_uri(scale=4, border=2, dark='#1c1c1c')
    image = ui.image(data_uri).style(f'width: {size}; height: {size}').props('fit=contain no-spinner')
    image.props['alt'] = alt
    return image


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    _make(url).save(buffer, kind='png', scale=10, border=4)
    return buffer.getvalue()


def qr_svg(url: str, title: str) -> bytes:
    buffer = io.BytesIO()
    _make(url).save(buffer, kind='svg', scale=10, border=4, title=title)
    return buffer.getvalue()
