"""The request-body cap (pages/_limits.py): a too-large body is refused with 413 before it is read."""

from __future__ import annotations

import asyncio
import socket
import time

from pages._limits import MAX_BODY_BYTES, BodyLimit

MB = 1024 * 1024


class Recorder:
    """An ASGI app that reads the whole body, and what it and the client saw."""

    def __init__(self) -> None:
        self.body = b''
        self.called = False

    async def __call__(self, scope, receive, send) -> None:
        self.called = True
        while True:
            message = await receive()
            self.body += message.get('body', b'')
            if not message.get('more_body'):
                break
        await send({'type': 'http.response.start', 'status': 200, 'headers': []})
        await send({'type': 'http.response.body', 'body': b'ok'})


def client(total: int, chunk: int = MB):
    """A `receive` that hands out `total` bytes in chunks, counting what was taken, and a `send` that keeps replies."""
    state = {'read': 0, 'sent': []}

    async def receive():
        size = min(chunk, total - state['read'])
        state['read'] += size
        return {'type': 'http.request', 'body': b'x' * size, 'more_body': state['read'] < total}

    async def send(message):
        state['sent'].append(message)

    return receive, send, state


def http_scope(headers: list[tuple[bytes, bytes]]) -> dict:
    return {'type': 'http', 'method': 'POST', 'path': '/_nicegui/client/x/upload/1', 'headers': headers}


def status_of(state) -> int:
    return next(m['status'] for m in state['sent'] if m['type'] == 'http.response.start')


def test_a_30_mb_body_with_its_length_is_refused_without_reading_a_byte():
    app = Recorder()
    receive, send, state = client(30 * MB)
    asyncio.run(BodyLimit(app)(http_scope([(b'content-length', str(30 * MB).encode())]), receive, send))
    assert status_of(state) == 413
    assert state['read'] == 0 and not app.called
    assert b'too large' in state['sent'][-1]['body']


def test_a_chunked_body_is_cut_off_at_the_cap():
    app = Recorder()
    receive, send, state = client(30 * MB)
    asyncio.run(BodyLimit(app)(http_scope([(b'transfer-encoding', b'chunked')]), receive, send))
    assert status_of(state) == 413
    assert state['read'] <= MAX_BODY_BYTES + MB  # it stopped reading one chunk past the cap, not at 30 MB


def test_a_body_within_the_cap_reaches_the_app_whole():
    app = Recorder()
    receive, send, state = client(2 * MB)
    asyncio.run(BodyLimit(app)(http_scope([(b'content-length', str(2 * MB).encode())]), receive, send))
    assert status_of(state) == 200 and len(app.body) == 2 * MB


def test_a_forged_length_is_refused():
    app = Recorder()
    receive, send, state = client(10)
    asyncio.run(BodyLimit(app)(http_scope([(b'content-length', b'-5')]), receive, send))
    assert status_of(state) == 400 and not app.called


def test_websockets_pass_untouched():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope['type'])

    asyncio.run(BodyLimit(app)({'type': 'websocket', 'headers': []}, None, None))
    assert seen == ['websocket']


def test_the_running_server_refuses_a_30_mb_post_at_once(tmp_path):
    """Against the real server: announce 30 MB, send none of it, and get 413 back within a second."""
    from tests.e2e.conftest import start_server

    server = start_server(tmp_path / 'data', demo=False)
    try:
        with socket.create_connection(('127.0.0.1', server.port), timeout=5) as s:
            started = time.monotonic()
            s.sendall(
                b'POST /_nicegui/client/abc/upload/1 HTTP/1.1\r\nHost: localhost\r\n'
                b'Content-Type: multipart/form-data; boundary=x\r\n'
                + f'Content-Length: {30 * MB}\r\n\r\n'.encode()
                + b'x' * 65536
            )
            reply = s.recv(4096)
            elapsed = time.monotonic() - started
        assert reply.startswith(b'HTTP/1.1 413'), reply[:200]
        assert elapsed < 1.0
    finally:
        server.stop()
