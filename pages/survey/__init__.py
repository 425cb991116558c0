"""Member survey.

/c/{cid}/survey ...      the coordinator's side: rounds, links, invitation texts, released results (rounds.py)
/s/{cid}/p/{code}        a member answers with a personal single-use link (respond.py)
/s/{cid}/{token}         a member answers with the round's open link (respond.py)
"""

from __future__ import annotations

from core.services import Services

from . import respond, rounds


def register(services: Services) -> None:
    rounds.register(services)
    respond.register(services)
