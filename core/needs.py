"""The needs survey of prospective members, read for the parts that build on it: the kick-off's "needs and
expectations" block, the IT-tools comparison (tools already in use) and the action plan (when to meet).

The survey itself runs on the member survey's engine (core/survey.py): rounds of the instrument `needs_survey`, the
same anonymity rules, personal or open links and a threshold. This module reads only what the coordinator may see
anyway: the released snapshot of the latest round that has one (`Surveys.results`, None below the threshold). It never
reads an answer sheet, so nothing here can show one person's answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import NotFound
from .i18n import LANGUAGES, Translator
from .survey import SurveyRound, Surveys
from .survey_results import SurveyResults

INSTRUMENT = 'needs_survey'  # the instrument id (content/instruments/needs_survey.yaml), stored on its rounds
TOOLS_ITEM = 'tools_used'  # its option ids are tool ids of content/catalogues/tools.yaml
# what the kick-off block shows, in this order: the item and how many of its most chosen options
SHOWN = (('topic_kinds', 3), ('hope_to_get', 3), ('formats', 2), ('moments', 2), ('rhythm', 1), ('time_per_month', 1))
MOMENT_ITEM = 'moments'
TOP = 3
SEPARATOR = ' · '  # between the answers of one question: neutral in every language (no French space rules)
# The member survey's UI strings that speak of members: the needs survey runs on the same pages, but its respondents
# are prospective members, so each of these has a wording of its own, under the key with 'needs.' for 'survey.'
# (respond.x: needs.respond.x). A test checks that every one exists.
WORDED = frozenset(
    {
        'survey.title',
        'survey.notice.more',
        'survey.field.mode',
        'survey.mode.personal',
        'survey.links.help',
        'survey.cards.header',
        'survey.cards.subject',
        'respond.personal_only',
        'respond.community',
    }
)


def worded(key: str, instrument: str | None) -> str:
    """The UI string key to use for `key` on the pages of a round of `instrument`: the needs survey's own wording
    where the member survey's speaks of members, else `key` itself."""
    if instrument != INSTRUMENT or key not in WORDED:
        return key
    return 'needs.' + key.removeprefix('survey.')


@dataclass(frozen=True)
class Chosen:
    """One answer option with how many chose it in the released snapshot."""

    option: str
    label: dict[str, str]  # the option's label in every language
    count: int


@dataclass(frozen=True)
class NeedsSummary:
    round: SurveyRound
    count: int  # answers in the released snapshot (at least the round's threshold)
    verified: bool  # personal links (each answer a different person) or an open link
    ranked: dict[str, tuple[Chosen, ...]]  # item id -> its options chosen at least once, most chosen first
    statements: dict[str, dict[str, str]]  # item id -> its question in every language

    def top(self, item_id: str, n: int = TOP) -> tuple[Chosen, ...]:
        """The `n` most chosen options of an item, and those tied with the last of them (a tie is not broken by
        the order of the options in the file, which would favour the first one listed)."""
        ranked = self.ranked.get(item_id, ())
        if len(ranked) <= n:
            return ranked
        floor = ranked[n - 1].count
        return tuple(c for c in ranked if c.count >= floor)

    def tools(self) -> list[tuple[str, int]]:
        """(tool id, how many use it) of the tools the respondents already use, most used first."""
        return [(c.option, c.count) for c in self.ranked.get(TOOLS_ITEM, ()) if c.option != 'other_tool']


def summarise(survey_round: SurveyRound, results: SurveyResults) -> NeedsSummary:
    """The released results of one needs-survey round, as ranked options per question."""
    ranked: dict[str, tuple[Chosen, ...]] = {}
    statements: dict[str, dict[str, str]] = {}
    for item_result in results.items:
        item = item_result.item
        statements[item.id] = dict(item.statement)
        if item.type not in ('choice', 'multi'):
            continue
        order = {o.id: i for i, o in enumerate(item.options)}
        chosen = [Chosen(o.id, dict(o.label), item_result.counts.get(o.id, 0)) for o in item.options]
        chosen = [c for c in chosen if c.count > 0]
        chosen.sort(key=lambda c: (-c.count, order[c.option]))
        ranked[item.id] = tuple(chosen)
    return NeedsSummary(survey_round, results.count, survey_round.verified, ranked, statements)


class Needs:
    """The released results of the needs survey, for the kick-off, the IT tools and the plan."""

    def __init__(self, surveys: Surveys) -> None:
        self.surveys = surveys

    def rounds(self, actor: str, cid: str) -> list[SurveyRound]:
        return self.surveys.rounds(actor, cid, INSTRUMENT)

    def latest(self, actor: str, cid: str) -> NeedsSummary | None:
        """The newest round whose released snapshot is shown (at or above its threshold); None when there is none."""
        for survey_round in self.rounds(actor, cid):
            try:
                results = self.surveys.results(actor, cid, survey_round.id)
            except NotFound:  # its instrument version is gone
                continue
            if results is not None:
                return summarise(survey_round, results)
        return None

    def tools_in_use(self, actor: str, cid: str) -> list[tuple[str, int]]:
        summary = self.latest(actor, cid)
        return summary.tools() if summary else []


def share(chosen: Chosen, summary: NeedsSummary) -> float:
    return chosen.count / summary.count if summary.count else 0.0


def lines(summary: NeedsSummary, t: Translator) -> list[tuple[str, str]]:
    """(question, most chosen answers with their share) for the kick-off block and its script, in `t`'s language."""
    out = []
    for item_id, n in SHOWN:
        top = summary.top(item_id, n)
        if not top or item_id not in summary.statements:
            continue
        answers = SEPARATOR.join(
            t('needs.result.option', option=t.pick(c.label), percent=t.percent(share(c, summary))) for c in top
        )
        out.append((t.pick(summary.statements[item_id]), answers))
    return out


def heading(summary: NeedsSummary, t: Translator) -> str:
    """Where the figures come from: how many answers, and whether each is a different person."""
    key = 'needs.result.from' if summary.verified else 'needs.result.from_open'
    return t(key, count=summary.count)


def moment_idea(summary: NeedsSummary, catalog: Any) -> dict[str, str] | None:
    """The plan idea "schedule the meetings at the moment most chose", in every language; None without an answer.
    Named by the moment, not by a count: one more answer must not make it another idea."""
    top = summary.top(MOMENT_ITEM, 1)
    if not top:
        return None
    out = {}
    for lang in LANGUAGES:
        names = ' / '.join(c.label.get(lang, c.label.get('en', '')) for c in top)
        out[lang] = Translator(catalog, lang)('needs.plan.moment_idea', moment=names)
    return out


def for_script(summary: NeedsSummary | None, t: Translator) -> dict[str, Any] | None:
    """What the facilitator script prints under a "needs" block: where the figures come from, and the lines."""
    if summary is None:
        return None
    return {'heading': heading(summary, t), 'lines': lines(summary, t)}
