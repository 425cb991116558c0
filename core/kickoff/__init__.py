"""Kick-off scenario builder: the method library and templates (catalogue), the stored scenarios (model) and the
service with its rules (service). Importing it registers the scenarios table for export and import."""

from __future__ import annotations

from .catalogue import KickoffCatalogue, Method, RoleDef, Template, load_catalogue
from .model import MAX_BLOCKS, TABLE, Block, CheckItem, Scenario, validate_docs
from .service import Kickoff, scenario_data
from .terms import CATEGORIES, KINDS, LIMITS, MODES

__all__ = [
    'CATEGORIES',
    'KINDS',
    'LIMITS',
    'MAX_BLOCKS',
    'MODES',
    'TABLE',
    'Block',
    'CheckItem',
    'Kickoff',
    'KickoffCatalogue',
    'Method',
    'RoleDef',
    'Scenario',
    'Template',
    'load_catalogue',
    'scenario_data',
    'validate_docs',
]
