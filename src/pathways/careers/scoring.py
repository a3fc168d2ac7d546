"""The one route-cost function, and the rule that orders a step's competency gaps.

Every figure comes from the graph (``ontology/ranking.ttl``: the step kinds, the seat kinds and
``ppid:ranking-policy``), read into the index, so the CLI, the API and the pages rank by the same
documented numbers and a policy team can change them in Turtle. The README explains the rule in
plain words; the Turtle file's header states it as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.careers.index import Edge, GraphIndex, Policy, Role
from pathways.careers.resolve import TARGET_TIERS

# Seats: a step into one is never "leaving the ladder early" (it is where the ladder leads).
SEAT_TIERS = frozenset(TARGET_TIERS.values())


@dataclass(frozen=True)
class Penalty:
    """One reason a step costs more than its years."""

    reason: str
    years: float

    def as_dict(self) -> dict[str, object]:
        return {"reason": self.reason, "years": self.years}


class RankingPolicyMissing(RuntimeError):
    """The graph has no ranking policy: ontology/ranking.ttl was left out."""


def policy_of(index: GraphIndex) -> Policy:
    if index.policy is None:
        raise RankingPolicyMissing(
            "the graph has no ranking policy (ppid:ranking-policy): load ontology/ranking.ttl"
        )
    return index.policy


def skipped_bands(source: Role, target: Role) -> int:
    """Pay bands a step jumps over: from the top of the range left to the bottom of the range
    reached (7 to 8b skips 8a; 8a-8b to 8c skips none). Unknown bands skip nothing, and nor does
    a move between pay scales (a civil-service grade to Agenda for Change), whose ranks only
    order them roughly."""
    left, reached = source.band_ranks(), target.band_ranks()
    if left is None or reached is None:
        return 0
    top = source.max_band or source.min_band
    bottom = target.min_band or target.max_band
    if top is None or bottom is None or top.scale != bottom.scale:
        return 0
    return max(0, reached[0] - left[1] - 1)


def ladder_continues(index: GraphIndex, role: Role, profession: str) -> bool:
    """The profession's own ladder leads higher from ``role`` (a step to another of its rungs)."""
    return any(
        profession in index.roles[edge.target].ladder_of
        for edge in index.outgoing.get(role.iri, [])
        if edge.retrains_as is None and edge.target in index.roles
    )


def step_cost(
    index: GraphIndex, edge: Edge, profession: str, prefer: str | None
) -> tuple[float, tuple[Penalty, ...]]:
    """What one step adds to a route's cost, in years, and the penalties within it.

    ``profession`` is the person's profession when they take the step; ``prefer`` the
    leadership function they asked routes to favour, if any.
    """
    key = ("step-cost", edge.progression, profession, prefer or "")
    remembered = index.memo.get(key)
    if remembered is None:
        remembered = index.memo[key] = _step_cost(index, edge, profession, prefer)
    result: tuple[float, tuple[Penalty, ...]] = remembered
    return result


def _step_cost(
    index: GraphIndex, edge: Edge, profession: str, prefer: str | None
) -> tuple[float, tuple[Penalty, ...]]:
    policy = policy_of(index)
    source, target = index.roles[edge.source], index.roles[edge.target]
    kind = index.step_kinds.get(edge.kind or "")
    years = edge.years if edge.years is not None else policy.unknown_years
    penalties: list[Penalty] = []
    weight = kind.weight if kind else 1.0
    if kind and kind.penalty:
        penalties.append(Penalty(kind.label, kind.penalty))
    if edge.retrains_as is None:
        skipped = skipped_bands(source, target)
        if skipped:
            noun = "band" if skipped == 1 else "bands"
            penalties.append(Penalty(f"skips {skipped} {noun}", skipped * policy.skipped_band))
        leaves = (
            profession in source.ladder_of
            and profession not in target.ladder_of
            and target.tier not in SEAT_TIERS
            and ladder_continues(index, source, profession)
        )
        if leaves:
            penalties.append(Penalty("leaves your profession's ladder early", policy.leave_ladder))
    if prefer and prefer not in target.functions:
        label = index.functions.get(prefer, prefer).lower()
        penalties.append(Penalty(f"role without {label}", policy.unpreferred_function))
    return years * weight + sum(p.years for p in penalties), tuple(penalties)


def seat_penalty(index: GraphIndex, role: Role) -> Penalty | None:
    """What ending a route on ``role`` adds: its seat kind's penalty, if it has one."""
    seat = index.seat_kinds.get(role.seat_kind or "")
    if seat is None or not seat.penalty:
        return None
    return Penalty(f"ends on a {seat.label} seat", seat.penalty)


def gap_importance(index: GraphIndex, competency: str, role: Role) -> float:
    """How much a gap in ``competency`` matters for ``role``: more when the role states the
    requirement itself, for each of its leadership functions that emphasises it, and for a
    management competency (the skills the paper says clinical training leaves out, seed §3.3)."""
    policy = policy_of(index)
    importance = 0.0
    if competency in index.overrides.get(role.iri, ()):
        importance += policy.override_importance
    if competency in index.management:
        importance += policy.management_importance
    for function in role.functions:
        if competency in index.emphasis.get(function, ()):
            importance += policy.function_importance
    return importance


def gap_score(size: int, importance: float) -> float:
    """A gap's priority score: its size in levels times one plus its importance."""
    return size * (1.0 + importance)
