"""The dossier for the sponsor: everything a community's tools hold, gathered as plain data for the PDF and its
accessible HTML twin. Each part is None (or empty) when its tool holds nothing yet, and says so in the document."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .actionplan import Action, PlanFields
from .communities import Community
from .content import Stage
from .guide import Answer, Guide
from .i18n import Translator
from .kompas import RoundResult
from .profile import SharedProfile
from .questionnaire import Instrument
from .roles import Permission, Role
from .survey import SurveyRound
from .survey_results import Gap, SurveyResults, aggregate, perception_gap

if TYPE_CHECKING:
    from .services import Services

SECTIONS = ('community', 'profile', 'kompas', 'survey', 'ittools', 'kickoff', 'actionplan', 'guide')


@dataclass(frozen=True)
class SurveyPart:
    round: SurveyRound
    instrument: Instrument
    results: SurveyResults
    gaps: list[Gap]


@dataclass
class DossierData:
    lang: str
    community: Community
    coordinator: str
    made: str                                   # the day the dossier was made (ISO)
    stage: Stage | None
    plan: PlanFields
    profiles: list[SharedProfile] = field(default_factory=list)
    kompas: RoundResult | None = None
    kompas_instrument: Instrument | None = None
    kompas_stage: Stage | None = None           # the stage the latest kompas round estimates
    survey: SurveyPart | None = None
    survey_waiting: SurveyRound | None = None   # a round still below its threshold (nothing of it is shown)
    decision: dict[str, Any] | None = None
    kickoff: dict[str, Any] | None = None
    actions: list[Action] = field(default_factory=list)
    guide: Guide | None = None
    guide_answers: dict[str, Answer] = field(default_factory=dict)


def collect(services: Services, actor: str, cid: str, lang: str) -> DossierData:
    """Everything the dossier shows, as the actor may see it (view rights checked by every service)."""
    community, _ = services.communities.get(actor, cid, Permission.VIEW)
    members = services.communities.members(actor, cid)
    coordinator = next((m.name for m in members if m.role == Role.COORDINATOR), '')
    data = DossierData(lang=lang, community=community, coordinator=coordinator,
                       made=datetime.now(UTC).date().isoformat(), stage=services.content.stage(community.stage),
                       plan=services.actionplan.plan(actor, cid))
    data.profiles = services.profiles.shared_with(actor, cid)
    data.kompas = services.kompas.latest_result(actor, cid)
    data.kompas_instrument = services.kompas.instrument
    if data.kompas and data.kompas.result.stage:
        data.kompas_stage = services.content.stage(data.kompas.result.stage)
    for survey_round in services.surveys.rounds(actor, cid):
        answers = services.surveys.answers_above_threshold(actor, cid, survey_round.id)
        if answers is None:
            if data.survey_waiting is None and survey_round.status != 'draft':
                data.survey_waiting = survey_round
            continue
        instrument = services.surveys.instrument_of(survey_round)
        results = aggregate(instrument, [a.answers for a in answers], community.expected_members)
        data.survey = SurveyPart(survey_round, instrument, results,
                                 perception_gap(data.kompas.result if data.kompas else None, results))
        break
    data.decision = services.ittools.latest_decision(cid)
    data.kickoff = services.kickoff.plan_data(actor, cid, lang)
    data.actions = services.actionplan.actions(actor, cid)
    data.guide = services.content.guide
    data.guide_answers = services.guide.answers(actor, cid)
    return data


def community_rows(data: DossierData, t: Translator) -> list[list[str]]:
    """'The community in brief' as (topic, state) rows, the same in the PDF and on the web page."""
    c, plan = data.community, data.plan
    stage = f'{t.pick(data.stage.title)} — {t.pick(data.stage.explanation)}' if data.stage else c.stage
    return [[t('community.field.purpose'), plan.purpose or c.purpose or '—'],
            [t('community.field.stage'), stage],
            [t('community.field.sponsor'), c.sponsor or '—'],
            [t('community.field.expected_members'), t.number(c.expected_members) if c.expected_members else '—'],
            [t('community.field.language'), t(f'lang.{c.language}')],
            [t('plan.fields.core_group'), plan.core_group or '—'],
            [t('plan.fields.rhythm'), plan.rhythm or '—'],
            [t('plan.fields.digital_space'), plan.digital_space or '—'],
            [t('plan.fields.next_review'), t.date(plan.next_review) if plan.next_review else '—']]
