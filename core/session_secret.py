"""Secrets generated on first start and kept in the data folder, owner-only: the one that signs session cookies,
and the one that keys the hashes of survey receipt codes."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_NAME = 'session-secret'


def load_or_create(data_dir: Path, file_name: str = FILE_NAME) -> str:
    """The secret kept in `file_name` in the data folder, generated on first use."""
    path = data_dir / file_name
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        secret = path.read_text(encoding='ascii').strip()
        if len(secret) >= 32:
            if path.stat().st_mode & 0o077:
                path.chmod(0o600)
            return secret
    except FileNotFoundError:
        pass
    secret = secrets.token_urlsafe(48)
    tmp = path.with_name(file_name + '.tmp')
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w', encoding='ascii') as f:
        f.write(secret)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return secret
