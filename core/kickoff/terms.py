"""The words and limits the kick-off's content and its scenarios share: block kinds, meeting modes, method
categories and the length of every text field. Both the catalogue loader (content/catalogues) and the scenario model
check against them, so they live below both."""

from __future__ import annotations

CATEGORIES = ('icebreaker', 'connect', 'diverge', 'converge', 'decide', 'close', 'evaluate')
# what a block is for; 'custom' for a block the coordinator adds, 'method' for one inserted from the library
KINDS = (
    'welcome',
    'icebreaker',
    'what_is_cop',
    'needs',
    'break',
    'charter',
    'roles_topics',
    'next_steps',
    'closing',
    'method',
    'custom',
)
MODES = ('onsite', 'online')
# characters per field; single-line fields have their white space collapsed
LIMITS = {
    'title': 120,
    'location': 200,
    'person': 80,
    'block_title': 120,
    'goal': 600,
    'method_text': 120,
    'instructions': 4000,
    'materials': 1000,
    'notes': 4000,
    'check': 400,
}
