"""The guide "Samen leren en creëren": per phase of a community's life, the questions a coordinator asks, with
points of attention and possible choices; and the coordinator's own answers, saved per community."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tinydb import Query

from . import clock, schema
from .clean import clean_text
from .communities import Communities, TableSpec
from .errors import ValidationError
from .i18n import Text
from .roles import Permission
from .yamlcheck import Checker, read_yaml

TABLE = 'guide_answers'
TOOLS = ('kompas', 'profile', 'survey', 'ittools', 'kickoff', 'facilitation', 'plan')
MAX_ANSWER = 10_000


@dataclass(frozen=True)
class Choice:
    title: Text
    text: Text


@dataclass(frozen=True)
class Question:
    id: str
    phase: str
    question: Text
    why: Text
    attention: tuple[Text, ...]
    choices: tuple[Choice, ...]
    tools: tuple[str, ...]
    source: str  # what the question rests on, shown under "Why this question?" and in the dossier's sources


@dataclass(frozen=True)
class Phase:
    id: str
    title: Text
    stage: str
    intro: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Guide:
    title: Text
    intro: Text
    phases: tuple[Phase, ...]

    def phase(self, phase_id: str) -> Phase | None:
        return next((p for p in self.phases if p.id == phase_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for p in self.phases for q in p.questions if q.id == question_id), None)

    def phase_for_stage(self, stage: str) -> Phase | None:
        return next((p for p in self.phases if p.stage == stage), None)


def load_guide(path: Path, stages: set[str]) -> Guide:
    check = Checker(path)
    data = check.mapping(read_yaml(path), 'top level')
    phases = []
    for p_index, raw_phase in enumerate(check.sequence(data.get('phases'), 'phases', min_len=1)):
        raw_phase = check.mapping(raw_phase, f'phases[{p_index}]')
        phase_id = check.ident(raw_phase.get('id'), f'phases[{p_index}].id')
        where = f'phase {phase_id}'
        stage = raw_phase.get('stage')
        if stage not in stages:
            raise check.fail(f'{where}.stage', f'{stage!r} is not a stage of content/stages.yaml')
        questions = []
        for q_index, raw in enumerate(check.sequence(raw_phase.get('questions'), f'{where}.questions', min_len=1)):
            raw = check.mapping(raw, f'{where}.questions[{q_index}]')
            question_id = check.ident(raw.get('id'), f'{where}.questions[{q_index}].id')
            qwhere = f'question {question_id}'
            tools = tuple(raw.get('tools') or ())
            unknown = [tool for tool in tools if tool not in TOOLS]
            if unknown:
                raise check.fail(f'{qwhere}.tools', f'unknown tool {unknown[0]!r} (known: {", ".join(TOOLS)})')
            choices = tuple(
                Choice(
                    check.text(c.get('title'), f'{qwhere}.choices[{i}].title'),
                    check.text(c.get('text'), f'{qwhere}.choices[{i}].text'),
                )
                for i, c in enumerate(check.sequence(raw.get('choices') or [], f'{qwhere}.choices'))
            )
            questions.append(
                Question(
                    question_id,
                    phase_id,
                    check.text(raw.get('question'), f'{qwhere}.question'),
                    check.text(raw.get('why'), f'{qwhere}.why'),
                    tuple(check.texts(raw.get('attention') or [], f'{qwhere}.attention')),
                    choices,
                    tools,
                    check.source(raw.get('source'), f'{qwhere}.source'),
                )
            )
        phases.append(
            Phase(
                phase_id,
                check.text(raw_phase.get('title'), f'{where}.title'),
                stage,
                check.text(raw_phase.get('intro'), f'{where}.intro'),
                tuple(questions),
            )
        )
    check.unique([p.id for p in phases], 'phases')
    check.unique([q.id for p in phases for q in p.questions], 'questions')
    return Guide(check.text(data.get('title'), 'title'), check.text(data.get('intro'), 'intro'), tuple(phases))


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    updated: str


class GuideAnswers:
    """A community's own answers to the guide's questions (coordinator and co-coordinators write, coach reads)."""

    def __init__(self, communities: Communities, guide: Guide) -> None:
        self.communities = communities
        self.guide = guide
        record = schema.Record(
            {
                'question': schema.Str(80, min=1),
                'text': schema.Str(MAX_ANSWER, min=1),
                'updated': schema.optional(schema.Day(blank=True)),
                'by': schema.private(schema.Str(80)),
            }
        )
        communities.register_table(TableSpec(TABLE, record, unique='question'))

    def _table(self, cid: str):
        return self.communities.store.community(cid).table(TABLE)

    def answers(self, actor: str, cid: str) -> dict[str, Answer]:
        """The answers to the guide's current questions (an answer to a question since removed is kept, unshown)."""
        self.communities.get(actor, cid, Permission.VIEW)
        return {
            d['question']: Answer(d['question'], d['text'], d.get('updated', ''))
            for d in self._table(cid).all()
            if self.guide.question(d['question']) is not None
        }

    async def save(self, actor: str, cid: str, question_id: str, text: str) -> Answer | None:
        """Store (or, when empty, remove) the community's answer to one question."""
        self.communities.get(actor, cid, Permission.EDIT)
        if self.guide.question(question_id) is None:
            raise ValidationError('guide.error.question')
        text = clean_text(text, MAX_ANSWER, None, multiline=True)  # what is not text is refused
        table = self._table(cid)
        if not text:
            table.remove(Query()['question'] == question_id)
            answer = None
        else:
            doc = {'question': question_id, 'text': text, 'updated': clock.today_iso(), 'by': actor}
            table.upsert(doc, Query()['question'] == question_id)
            answer = Answer(question_id, text, doc['updated'])
        await self.communities.store.community(cid).commit()
        return answer


def answered_by_phase(guide: Guide, answers: dict[str, Answer]) -> list[tuple[Phase, list[tuple[Question, Answer]]]]:
    """The phases that hold answers, each with its answered questions, in the guide's order."""
    found = []
    for phase in guide.phases:
        answered = [(q, answers[q.id]) for q in phase.questions if q.id in answers]
        if answered:
            found.append((phase, answered))
    return found
