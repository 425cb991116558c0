"""Start-up reads the content once and keeps the validated result: parsing and checking the YAML of content/ is the
largest part of start-up after NiceGUI itself (about 0.4 s of 1.5), and its result only changes when a content file
or the code that reads it changes.

The validated `Content` is pickled into the data folder (`.cache/`, owner-only like the rest of the folder, left out
of backup archives) under a key made of the bytes of every content file and of every module of core/ (so that a
change to a loader or a checking rule is never served from an old cache), and the Python version. A cache that
cannot be read is ignored and rebuilt; content that does not validate raises ContentError as before and is never
cached. Within one process the pickled bytes are kept too, so every `build_services` call (tests build many) gets
fresh objects without parsing again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path

from .content import Content, load_content
from .yamlcheck import CONTENT_DIR

log = logging.getLogger(__name__)

CACHE_DIR = '.cache'
CORE = Path(__file__).resolve().parent
_memo: dict[str, bytes] = {}


def content_key(folder: Path = CONTENT_DIR) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for root in (folder, CORE):
        pattern = '*.yaml' if root == folder else '*.py'
        for path in sorted(root.rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode() + b'\0' + path.read_bytes() + b'\0')
    return digest.hexdigest()[:32]


def load_content_cached(data_dir: Path | None, folder: Path = CONTENT_DIR) -> Content:
    """The validated content, from the cache when it matches the files, else loaded (and then cached)."""
    key = content_key(folder)
    if key in _memo:
        return pickle.loads(_memo[key])
    path = data_dir / CACHE_DIR / f'content-{key}.pickle' if data_dir is not None else None
    if path is not None:
        with contextlib.suppress(OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
            raw = path.read_bytes()
            content = pickle.loads(raw)
            if isinstance(content, Content):
                _memo[key] = raw
                return content
    content = load_content(folder)
    try:
        raw = pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PickleError, TypeError, AttributeError) as e:  # content that cannot be kept: loaded every time
        log.warning('content cannot be cached (%s)', type(e).__name__)
        return content
    _memo[key] = raw
    if path is not None:
        _store(path, raw)
    return content


def _store(path: Path, raw: bytes) -> None:
    """Write the cache atomically and remove older ones; a failure only costs the next start-up its time."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(path.name + '.tmp')
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'wb') as f:
            f.write(raw)
        os.replace(tmp, path)
        for old in path.parent.glob('content-*.pickle'):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as e:
        log.warning('content cache not written (%s)', e.strerror or type(e).__name__)
