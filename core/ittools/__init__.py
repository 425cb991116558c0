"""The IT-tools comparison: catalogues, the weighted matrix, live meetings, the decision record."""

from .live import Actor, Change
from .meetings import MeetingRef, Rights
from .service import COMPARISONS, MEETINGS, ITTools

__all__ = ['COMPARISONS', 'MEETINGS', 'Actor', 'Change', 'ITTools', 'MeetingRef', 'Rights']
