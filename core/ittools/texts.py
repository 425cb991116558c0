"""The names and explanations of a comparison's tools and criteria, in the three languages.

A catalogue entry has its texts in content/; an entry a user added has one text, shown the same in every language.
"""

from __future__ import annotations

from core.i18n import LANGUAGES, Text

from .catalogue import Catalogue
from .model import Comparison, CriterionRef, ToolRef


def same(text: str) -> Text:
    return {lang: text for lang in LANGUAGES}


def tool_name(catalogue: Catalogue, ref: ToolRef) -> Text:
    if ref.catalogue:
        tool = catalogue.tool(ref.id)
        if tool is not None:
            return tool.name
    return same(ref.name or ref.id)


def recorded_tool_name(catalogue: Catalogue, comparison: Comparison, tool_id: str, recorded: str) -> Text:
    """The name of a tool that a decision or its ranking names: as the comparison knows it now, else from the
    catalogue, else as it was recorded (an own tool removed since)."""
    ref = comparison.tool(tool_id)
    if ref is not None:
        return tool_name(catalogue, ref)
    tool = catalogue.tool(tool_id)
    return tool.name if tool else same(recorded)


def decided_tool_name(catalogue: Catalogue, comparison: Comparison) -> Text:
    """The name of the tool the group chose (the comparison has a decision)."""
    decision = comparison.decision
    assert decision is not None
    return recorded_tool_name(catalogue, comparison, decision.tool_id, decision.tool_name)


def tool_kind(catalogue: Catalogue, ref: ToolRef) -> Text | None:
    tool = catalogue.tool(ref.id) if ref.catalogue else None
    return tool.kind if tool else None


def tool_description(catalogue: Catalogue, ref: ToolRef) -> Text | None:
    if ref.catalogue:
        tool = catalogue.tool(ref.id)
        return tool.description if tool else None
    return same(ref.description) if ref.description else None


def criterion_title(catalogue: Catalogue, ref: CriterionRef) -> Text:
    if ref.catalogue:
        criterion = catalogue.criterion(ref.id)
        if criterion is not None:
            return criterion.title
    return same(ref.title or ref.id)


def criterion_explanation(catalogue: Catalogue, ref: CriterionRef) -> Text | None:
    if ref.catalogue:
        criterion = catalogue.criterion(ref.id)
        return criterion.explanation if criterion else None
    return same(ref.explanation) if ref.explanation else None


def criterion_group(catalogue: Catalogue, ref: CriterionRef) -> Text | None:
    criterion = catalogue.criterion(ref.id) if ref.catalogue else None
    group = catalogue.group(criterion.group) if criterion else None
    return group.title if group else None
