"""Value-creation stories (issue 16).

/c/{cid}/stories             the coordinator curates; a coach reads the published ones (curate.py)
/story/{cid}/{token}         a member writes a story without an account (write.py)
/story/{cid}/mine/{key}      the writer reads it back, agrees to an edit or withdraws it (write.py)
"""

from __future__ import annotations

from core.services import Services

from . import curate, write


def register(services: Services) -> None:
    curate.register(services)
    write.register(services)
