"""Meeting codes: six characters that are easy to read aloud and type on a phone, hard enough to guess.

The alphabet leaves out look-alikes (0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V, G/6): 19 characters, so 47 million
codes. Typing is forgiving: case, spaces and dashes do not matter. Wrong codes are rate-limited per browser and,
more loosely, per address, so a whole room behind one proxy is not locked out by one person's typo.
"""

from __future__ import annotations

import secrets
from collections.abc import Container

from core.ratelimit import FailureLimiter

ALPHABET = 'ACEFHJKMNPRTWXY3479'
LENGTH = 6


def new_code(taken: Container[str] = ()) -> str:
    while True:
        code = ''.join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if code not in taken:
            return code


def normalise(raw: object) -> str | None:
    """The code in canonical form, or None if it cannot be a code (wrong length or characters)."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    code = ''.join(ch for ch in raw.upper() if ch not in ' -._\t')
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display(code: str) -> str:
    """ABC 123: two groups of three, read out more easily."""
    return f'{code[:3]} {code[3:]}'


class CodeGuard:
    """Wrong-code limits: tight per browser session, loose per network address."""

    def __init__(self) -> None:
        self.per_session = FailureLimiter(free=5, window=600, base_lock=30, max_lock=900)
        self.per_address = FailureLimiter(free=60, window=600, base_lock=60, max_lock=1800)

    def retry_after(self, session: str, address: str) -> int:
        return max(self.per_session.retry_after(session), self.per_address.retry_after(address))

    def failure(self, session: str, address: str) -> None:
        self.per_session.failure(session)
        self.per_address.failure(address)

    def success(self, session: str) -> None:
        self.per_session.success(session)
