"""The perception gap compares two rankings, never a difference of scores: the coordinator's kompas score (how far a
practice is developed) and the members' agreement are different scales. Ties, missing dimensions, a kompas without
members' answers, and generated scores."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from core.content import load_content
from core.dossier import gap_view
from core.i18n import Translator
from core.questionnaire import score
from core.survey_results import SurveyResults, aggregate, disagreements, perception_gap, rank

DIMENSIONS = ('domain', 'community', 'practice', 'coordination', 'rhythm', 'anchoring', 'value', 'digital')


@dataclass(frozen=True)
class _Score:
    mean: float | None


@dataclass(frozen=True)
class _Kompas:
    """A kompas result as perception_gap reads it: a mean per dimension (None: the dimension has no score)."""

    means: dict[str, float | None]

    def dimension(self, dimension: str) -> _Score | None:
        return _Score(self.means[dimension]) if dimension in self.means else None


def _members(means: dict[str, float | None]) -> SurveyResults:
    return SurveyResults(count=10, expected=None, items=[], blocks={}, cycles={}, mirrors=dict(means))


def _by_dimension(gaps):
    return {g.dimension: g for g in gaps}


def test_two_rankings_and_where_they_disagree():
    coordinator = {'domain': 4.2, 'community': 3.1, 'coordination': 3.8, 'digital': 2.0, 'rhythm': 2.6}
    members = {'domain': 3.2, 'community': 4.4, 'coordination': 2.1, 'digital': 3.9, 'rhythm': 3.0}
    gaps = _by_dimension(perception_gap(_Kompas(coordinator), _members(members)))
    assert {d: (g.coordinator_rank, g.members_rank) for d, g in gaps.items()} == {
        'domain': (1, 3),
        'coordination': (2, 5),
        'community': (3, 1),
        'rhythm': (4, 4),
        'digital': (5, 2),
    }
    assert gaps['coordination'].shift == 3 and gaps['digital'].shift == -3 and gaps['rhythm'].shift == 0
    assert [g.dimension for g in disagreements(list(gaps.values()))] == [
        'coordination',
        'digital',
        'domain',
        'community',
    ]
    # the scores themselves are kept as they are: nothing was subtracted or rescaled
    assert gaps['digital'].coordinator == 2.0 and gaps['digital'].members == 3.9


def test_ties_share_a_place_at_the_precision_shown():
    assert rank({'a': 3.0, 'b': 4.0, 'c': 4.0, 'd': 2.0}) == {'b': 1, 'c': 1, 'a': 3, 'd': 4}
    assert rank({'a': 3.04, 'b': 2.96}) == {'a': 1, 'b': 1}  # both read 3,0
    assert rank({'a': 3.06, 'b': 2.96}) == {'a': 1, 'b': 2}  # 3,1 and 3,0
    gaps = _by_dimension(
        perception_gap(
            _Kompas({'domain': 3.0, 'community': 3.0, 'digital': 2.0}),
            _members(dict.fromkeys(('domain', 'community', 'digital'), 4.0)),
        )
    )
    assert [(gaps[d].coordinator_rank, gaps[d].members_rank) for d in ('domain', 'community', 'digital')] == [
        (1, 1),
        (1, 1),
        (3, 1),
    ]


def test_a_dimension_with_one_side_only_is_listed_but_not_ranked():
    coordinator = {'domain': 4.0, 'community': 2.0, 'digital': 3.0}  # no kompas score for rhythm
    members = {'domain': 3.0, 'community': 4.0, 'digital': None, 'rhythm': 2.0}  # nobody answered the digital items
    gaps = perception_gap(_Kompas(coordinator), _members(members))
    ranked = [g for g in gaps if g.ranked]
    assert [(g.dimension, g.coordinator_rank, g.members_rank) for g in ranked] == [
        ('domain', 1, 2),
        ('community', 2, 1),
    ]  # ranked among the two both sides speak about, so the missing ones shift no place
    rest = _by_dimension(g for g in gaps if not g.ranked)
    assert set(rest) == {'digital', 'rhythm'} and rest['digital'].shift is None
    assert gaps[-2:] == [g for g in gaps if not g.ranked]  # ranked first


def test_without_kompas_or_with_one_common_dimension_nothing_is_ranked():
    members = {'domain': 3.0, 'community': 4.0}
    assert all(not g.ranked for g in perception_gap(None, _members(members)))
    one = perception_gap(_Kompas({'domain': 4.0}), _members(members))
    assert all(not g.ranked for g in one) and len(one) == 2


def test_a_kompas_without_members_answers():
    """The survey round has answers, but none on the items that mirror the kompas: nothing to rank."""
    gaps = perception_gap(_Kompas(dict.fromkeys(DIMENSIONS, 3.0)), _members(dict.fromkeys(DIMENSIONS)))
    assert gaps and all(not g.ranked for g in gaps)
    assert perception_gap(_Kompas(dict.fromkeys(DIMENSIONS, 3.0)), _members({})) == []


def test_with_real_instruments_and_the_texts_in_four_languages():
    content = load_content()
    survey = content.instruments.current('member_survey')
    kompas = content.instruments.current('kompas')
    mirrored = sorted({i.mirrors for i in survey.items if i.mirrors})
    assert len(mirrored) >= 3
    # members agree most with the first mirrored dimension, least with the last
    sheets = [{i.id: 5 - min(4, mirrored.index(i.mirrors)) for i in survey.items if i.mirrors} for _ in range(6)]
    results = aggregate(survey, sheets)
    # the coordinator sees it the other way round
    answers = {
        item.id: 1 + min(4, mirrored.index(d.id)) for d in kompas.dimensions if d.id in mirrored for item in d.items
    }
    gaps = perception_gap(score(kompas, answers), results)
    ranked = [g for g in gaps if g.ranked]
    assert ranked and ranked[0].members_rank > ranked[0].coordinator_rank
    for lang in ('nl', 'fr', 'en', 'de'):
        t = Translator(content.ui, lang)
        view = gap_view(gaps, kompas, t, '2026-03-01')
        assert view.grid and len(view.grid.rows) == len(ranked)
        assert t('survey.gap.how') in view.note and view.disagreements
        text = ' '.join([view.note, *view.disagreements, *(c for row in view.grid.rows for c in row)])
        assert 'survey.gap' not in text  # every key exists in the language
        first = kompas.dimension(ranked[0].dimension)
        assert t.pick(first.title) in text
    t = Translator(content.ui, 'en')
    no_kompas = gap_view(perception_gap(None, results), kompas, t, None)
    assert no_kompas.grid is None and no_kompas.note == t('survey.gap.no_kompas') and not no_kompas.disagreements


_score = st.one_of(st.none(), st.floats(min_value=1, max_value=5, allow_nan=False))


@settings(max_examples=150, deadline=None)
@given(
    coordinator=st.dictionaries(st.sampled_from(DIMENSIONS), _score, max_size=len(DIMENSIONS)),
    members=st.dictionaries(st.sampled_from(DIMENSIONS), _score, max_size=len(DIMENSIONS)),
)
def test_generated_scores(coordinator, members):
    gaps = perception_gap(_Kompas(coordinator), _members(members))
    assert sorted(g.dimension for g in gaps) == sorted(members)  # every dimension the members speak about, once
    both = {d for d in members if members[d] is not None and coordinator.get(d) is not None}
    ranked = [g for g in gaps if g.ranked]
    assert {g.dimension for g in ranked} == (both if len(both) >= 2 else set())
    for g in ranked:
        for side, mine in (('coordinator', g.coordinator_rank), ('members', g.members_rank)):
            scores = {h.dimension: round(getattr(h, side), 1) for h in ranked}
            assert mine == 1 + sum(s > scores[g.dimension] for s in scores.values())  # 1 + how many are stronger
            assert 1 <= mine <= len(ranked)
    if ranked:
        assert min(g.coordinator_rank for g in ranked) == 1 and min(g.members_rank for g in ranked) == 1
        assert [g.coordinator_rank for g in ranked] == sorted(g.coordinator_rank for g in ranked)
    for g in disagreements(gaps):
        assert g.ranked and abs(g.shift) >= 2


@settings(max_examples=100, deadline=None)
@given(
    scores=st.dictionaries(  # tenths, so that the stretched scale rounds like the plain one
        st.sampled_from(DIMENSIONS), st.integers(min_value=10, max_value=50).map(lambda n: n / 10), min_size=2
    ),
    order=st.randoms(use_true_random=False),
)
def test_a_ranking_does_not_depend_on_order_or_on_the_other_sides_scale(scores, order):
    """The kompas scores shifted on their own scale, the dimensions in another order: the same places."""
    keys = list(scores)
    order.shuffle(keys)
    shuffled = {k: scores[k] for k in keys}
    members = _members(shuffled)
    plain = _by_dimension(perception_gap(_Kompas(scores), members))
    shifted = _by_dimension(perception_gap(_Kompas({k: v + 2.0 for k, v in scores.items()}), members))
    assert {d: g.members_rank for d, g in plain.items()} == {d: g.members_rank for d, g in shifted.items()}
    assert {d: g.coordinator_rank for d, g in plain.items()} == {d: g.coordinator_rank for d, g in shifted.items()}
    assert all(g.shift == 0 for g in plain.values())  # both sides scored alike
