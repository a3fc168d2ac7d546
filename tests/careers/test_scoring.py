"""The route-cost function and the gap priority: figures from ontology/ranking.ttl."""

from __future__ import annotations

import pytest

from pathways.careers import scoring
from pathways.careers.index import Band, Role, index_of
from pathways.graph.resources import PPID


def role(low: tuple[str, int, str] | None, high: tuple[str, int, str] | None) -> Role:
    def band(spec: tuple[str, int, str] | None) -> Band | None:
        return Band(PPID + "band-" + spec[0], spec[0], spec[1], spec[2]) if spec else None

    return Role("x", "x", PPID + "tier-leader-manager", "t", 3, band(low), band(high))


AFC = PPID + "scale-afc"


SEVEN = ("7", 7, AFC)
HEO = ("HEO", 5, PPID + "scale-civil-service")


@pytest.mark.parametrize(
    ("source", "target", "skipped"),
    [
        ((SEVEN, SEVEN), (("8b", 9, AFC), ("8b", 9, AFC)), 1),
        ((("8a", 8, AFC), ("8b", 9, AFC)), (("8c", 10, AFC), ("8d", 11, AFC)), 0),
        ((SEVEN, ("8a", 8, AFC)), (("8a", 8, AFC), ("8c", 10, AFC)), 0),
        ((None, None), (("8c", 10, AFC), ("8c", 10, AFC)), 0),
        ((HEO, HEO), (SEVEN, SEVEN), 0),
    ],
)
def test_skipped_bands_count_from_the_top_of_the_range_left(source, target, skipped):
    assert scoring.skipped_bands(role(*source), role(*target)) == skipped


def test_a_lateral_step_costs_its_years_and_the_kinds_penalty(shipped):
    index = index_of(shipped)
    edge = index.edges[PPID + "progression-counselling-psychologist-to-staff-coach"]
    cost, penalties = scoring.step_cost(
        index, edge, PPID + "profession-counselling-psychologist", None
    )
    reasons = {p.reason: p.years for p in penalties}
    assert reasons["lateral move"] == 3.0
    assert reasons["leaves your profession's ladder early"] == 3.0
    assert cost == edge.years + 6.0


def test_gap_importance_adds_override_functions_and_management(shipped):
    index = index_of(shipped)
    manager = index.roles[PPID + "role-team-manager"]
    # Team manager states its people-management requirement (2), has the operational
    # function that emphasises it (1), and it is a management competency (1).
    assert scoring.gap_importance(index, PPID + "competency-people-management", manager) == 4.0
    assert scoring.gap_importance(index, PPID + "hlm-leading-with-care", manager) == 0.0
    assert scoring.gap_score(2, 4.0) == 10.0


def test_a_graph_without_the_ranking_policy_is_refused(shipped):
    index = index_of(shipped)
    without = type(index)(**{**index.__dict__, "policy": None, "memo": {}})
    with pytest.raises(scoring.RankingPolicyMissing, match=r"ontology/ranking\.ttl"):
        scoring.policy_of(without)
