"""The IT-tools comparison: catalogues, the weighted matrix, live meetings, the decision record.

Importing the package registers its tables for community export and import.
"""

from core.communities import register_table

from .live import Actor, Change
from .meetings import MeetingRef, Rights
from .model import validate_comparisons, validate_meetings
from .service import COMPARISONS, MEETINGS, ITTools

register_table(COMPARISONS, validate_comparisons)
register_table(MEETINGS, validate_meetings)

__all__ = ['COMPARISONS', 'MEETINGS', 'Actor', 'Change', 'ITTools', 'MeetingRef', 'Rights']
