"""Security headers on every HTTP response, Secure cookies when the site is reached over HTTPS, and the session
check for uploads (which reach a page by HTTP, not through its checked events).

The Content-Security-Policy is built from what NiceGUI pages really load: everything from this origin, the page's
own inline scripts and styles (NiceGUI writes its start-up script and styles into the page), 'unsafe-eval' (Vue
compiles the element templates in the browser), data: images (the favicon, QR codes), and the WebSocket back to this
origin. No other origin is allowed anywhere; no page may be framed.

Survey and meeting pages carry a secret in their address (the survey token, the meeting code): they send no Referer
at all. Other pages send only the origin to other sites.

HTTPS is known from `--https`, or per request from the scheme a trusted proxy reported (uvicorn sets it from
X-Forwarded-Proto only for the proxies named with `--trusted-proxy`). Then every cookie gets `Secure` and responses
carry HSTS.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from components.open_pages import upload_allowed

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

CSP = '; '.join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "frame-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
HSTS = 'max-age=31536000'
UPLOAD_PATH = re.compile(r'^/_nicegui/client/([^/]+)/upload/')
SECRET_PREFIXES = ('/s/', '/m/')  # addresses that carry a survey token or a meeting code


def referrer_policy(path: str) -> str:
    if path == '/m' or path.startswith(SECRET_PREFIXES):
        return 'no-referrer'
    return 'strict-origin-when-cross-origin'


def security_headers(path: str, https: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b'content-security-policy', CSP.encode()),
        (b'x-frame-options', b'DENY'),
        (b'x-content-type-options', b'nosniff'),
        (b'referrer-policy', referrer_policy(path).encode()),
        (b'cross-origin-opener-policy', b'same-origin'),
        (b'permissions-policy', b'camera=(), microphone=(), geolocation=(), payment=()'),
    ]
    if https:
        headers.append((b'strict-transport-security', HSTS.encode()))
    return headers


class SecurityHeaders:
    """Plain ASGI middleware (no BaseHTTPMiddleware: it must not buffer downloads nor touch WebSockets)."""

    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        https = self.https or scope.get('scheme') == 'https'
        path = scope.get('path', '')
        upload = UPLOAD_PATH.match(path)
        if upload and not upload_allowed(upload.group(1)):
            await _refuse(send, path, https)
            return

        async def send_with_headers(message: Message) -> None:
            if message['type'] == 'http.response.start':
                own = {name for name, _ in security_headers(path, https)}
                headers = [(k, v) for k, v in message.get('headers', []) if k.lower() not in own]
                if https:
                    headers = [(k, _secure_cookie(v) if k.lower() == b'set-cookie' else v) for k, v in headers]
                message['headers'] = headers + security_headers(path, https)
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(send: Callable, path: str, https: bool) -> None:
    """403 for an upload to a page whose session has ended (the page itself is sent to the login page)."""
    body = b'session ended'
    headers = [(b'content-type', b'text/plain'), (b'content-length', str(len(body)).encode())]
    await send({'type': 'http.response.start', 'status': 403, 'headers': headers + security_headers(path, https)})
    await send({'type': 'http.response.body', 'body': body})


def _secure_cookie(value: bytes) -> bytes:
    if b'secure' in [part.strip().lower() for part in value.split(b';')]:
        return value
    return value + b'; Secure'
