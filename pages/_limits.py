"""A cap on the size of every request body, enforced before the body is read.

Starlette reads an upload whole (into memory or a spooled file) before any handler can look at its size, so a check
in the upload handler comes too late: a 30 MB POST has then already been received. This pure ASGI middleware refuses
a body whose Content-Length announces too much before reading a byte of it, and counts the bytes of a body sent
without a length (chunked), stopping at the cap. Either way the answer is 413 with a short message; the upload
widget shows the user a message in their language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from core.communities import MAX_IMPORT_BYTES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# the largest file the application accepts, plus room for the multipart envelope around it
MAX_BODY_BYTES = MAX_IMPORT_BYTES + 256 * 1024


class _TooLarge(Exception):
    """Raised from `receive` when a body without a length grows past the cap."""


class BodyLimit:
    """Refuses (413) any HTTP request whose body is larger than `max_bytes`, without reading more than that."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is None and _has_length_header(scope):
            await _refuse(send, 400, b'Invalid Content-Length.')
            return
        if length is not None and length > self.max_bytes:
            await _refuse(send, 413, self._message())
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message['type'] == 'http.request':
                received += len(message.get('body', b''))
                if received > self.max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message['type'] == 'http.response.start':
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _refuse(send, 413, self._message())

    def _message(self) -> bytes:
        return f'Request body too large (at most {MAX_IMPORT_BYTES // (1024 * 1024)} MB).'.encode()


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get('headers') or ():
        if key.lower() == name:
            return value
    return None


def _has_length_header(scope: Scope) -> bool:
    return _header(scope, b'content-length') is not None


def _content_length(scope: Scope) -> int | None:
    raw = _header(scope, b'content-length')
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw)


async def _refuse(send: Send, status: int, text: bytes) -> None:
    await send(
        {
            'type': 'http.response.start',
            'status': status,
            'headers': [
                (b'content-type', b'text/plain; charset=utf-8'),
                (b'content-length', str(len(text)).encode()),
                (b'connection', b'close'),
            ],
        }
    )
    await send({'type': 'http.response.body', 'body': text})
