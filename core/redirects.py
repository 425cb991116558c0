"""Where a `next` parameter may send someone after a login: a path on this site, nothing else.

Browsers are lenient with what they read as a URL: they drop tabs and newlines, read a backslash as a slash, and
treat `//host` as another site. So the target is normalised the way a browser would read it, decoded until it stops
changing, and refused unless it is then a plain absolute path; the function returns the path to use, or '/'.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000
_STRIPPED = re.compile(r'[\x00-\x20\x7f]')  # a browser drops tabs and newlines inside a URL, and trims the rest
_PATH = re.compile(r"^/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$")


def safe_next(target: object, default: str = '/') -> str:
    """`target` if it is a path on this site, otherwise `default`."""
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return default
    if not _is_local(target):
        return default
    return target


def _is_local(target: str) -> bool:
    seen = target
    for _ in range(4):  # every decoded form must be local too: %2F%2F, %252F%252F, ...
        if not _plain_local_path(seen):
            return False
        decoded = unquote(seen)
        if decoded == seen:
            return True
        seen = decoded
    return False  # still encoded after several rounds: nobody needs that


def _plain_local_path(text: str) -> bool:
    if _STRIPPED.search(text) or '\\' in text:
        return False
    normalised = unicodedata.normalize('NFKC', text)  # fullwidth solidus and friends become what they look like
    if normalised != text and not _plain_local_path_ascii(normalised):
        return False
    return _plain_local_path_ascii(text)


def _plain_local_path_ascii(text: str) -> bool:
    if not text.isascii() or not _PATH.match(text):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc and parts.path.startswith('/')
