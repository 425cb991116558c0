"""Log output: plain text lines, or one JSON object per line (`--log-format json`) for log collectors.

A JSON line holds the time, level, logger, message, the route of the request being served (its template, such as
`/s/{cid}/{token}`: never a query string or the token of a link) and the community it concerns. Log messages never
carry personal data, tokens or survey content by rule; as a second line of defence every message and traceback is
scrubbed of anything shaped like an e-mail address or a long random token before it is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

FORMATS = ('text', 'json')
HANDLER_NAME = 'cop-toolbox'
EMAIL = re.compile(r'[\w.+-]+@[\w-]+(?:\.[\w-]+)+')
# a run of 20 or more URL-safe characters holding both letters and digits: session keys, link tokens, secrets
TOKEN = re.compile(r'(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{20,}(?![\w-])')
HEX_ID = re.compile(r'^[0-9a-f]{16}$')
WORD = re.compile(r'^[a-z][a-z0-9_-]{0,23}$')

RequestInfo = Callable[[], tuple[str | None, str | None]]
_providers: list[RequestInfo] = []


def set_request_info(provider: RequestInfo) -> None:
    """Installed by the web layer: returns (route of the current request, community id) or Nones."""
    _providers[:] = [provider]


def _request_info() -> tuple[str | None, str | None]:
    return _providers[0]() if _providers else (None, None)


def scrub(text: str) -> str:
    return TOKEN.sub('<token>', EMAIL.sub('<email>', text))


def redact_path(path: str) -> str:
    """A path with every segment that is not a plain word or a record id replaced by `*` (for unrouted requests)."""
    parts = [p if WORD.match(p) or HEX_ID.match(p) else '*' for p in path.split('?', maxsplit=1)[0].split('/')[1:]]
    return '/' + '/'.join(parts)


class _Scrubbed(logging.Filter):
    """Renders the message once, scrubbed, and attaches the request's route and community."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = scrub(record.getMessage()), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        record.exc_info = None
        try:
            path, community = _request_info()
        except Exception:  # a log line must never fail because of its context
            path, community = None, None
        record.path = getattr(record, 'path', None) or path
        record.community = getattr(record, 'community', None) or community
        return True


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            'time': datetime.fromtimestamp(record.created, UTC).isoformat(timespec='milliseconds'),
            'level': record.levelname,
            'logger': record.name,
            'message': record.getMessage(),
        }
        for key in ('path', 'community'):
            if getattr(record, key, None):
                line[key] = getattr(record, key)
        if record.exc_text:
            line['error'] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__('%(asctime)s %(levelname)s %(name)s: %(message)s')

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        where = ' '.join(f'{k}={getattr(record, k)}' for k in ('path', 'community') if getattr(record, k, None))
        return f'{text} [{where}]' if where and '\n' not in text else text


def configure(fmt: str = 'text', level: int = logging.INFO) -> None:
    """One handler on the root logger, for the app's loggers and uvicorn's alike (uvicorn is started without its
    own logging configuration, so its lines come here too)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_Scrubbed())
    handler.setFormatter(JSONFormatter() if fmt == 'json' else TextFormatter())
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:  # others' handlers (pytest's) stay
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


QUIET = ('/_nicegui', '/healthz', '/readyz', '/favicon')  # framework assets and polled checks: debug level only
access_log = logging.getLogger('cop.access')


class AccessLog:
    """ASGI middleware: one line per HTTP request with its method, route template, status and duration. The route
    template (`/s/{cid}/{token}`) is logged, never the concrete path, query string or headers."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [500]

        async def tracking_send(message) -> None:
            if message['type'] == 'http.response.start':
                status[0] = message['status']
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        finally:
            path = getattr(scope.get('route'), 'path', None) or redact_path(scope['path'])
            cid = scope.get('path_params', {}).get('cid')
            level = logging.DEBUG if scope['path'].startswith(QUIET) else logging.INFO
            elapsed = (time.perf_counter() - started) * 1000
            extra = {'path': path, 'community': cid if isinstance(cid, str) else None}
            access_log.log(level, '%s %s %d %.0f ms', scope['method'], path, status[0], elapsed, extra=extra)
