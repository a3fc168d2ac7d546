"""What one step of a route asks of the person: gaps and strengths, programmes, positive action,
support and conditions.

The route engine (``roadmap.py``) decides which steps make a route; this module describes each
step, from the graph index only, so that every front end shows the same advice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pathways.careers import scoring
from pathways.careers.index import Edge, GraphIndex, Offer, Role, short_id
from pathways.graph.resources import PPID

# The proficiency level from which a requirement met is worth evidencing at interview.
STRENGTH_FROM_LEVEL = 2
COURSE_MODE = PPID + "mode-course"


def _ref(iri: str, labels: Mapping[str, str]) -> dict[str, str]:
    return {"id": short_id(iri), "label": labels[iri]}


def _offer_ref(offer: Offer, closes: Sequence[str] = ()) -> dict[str, Any]:
    ref: dict[str, Any] = {"id": short_id(offer.iri), "label": offer.label}
    if closes:
        ref["closes"] = list(closes)
    return ref


@dataclass
class Step:
    edge: Edge
    source: Role
    role: Role
    profession: tuple[str, str]  # the profession held after the step
    cost: float
    penalties: tuple[scoring.Penalty, ...]
    kind: str = ""
    retraining: dict[str, Any] | None = None
    gaps: list[dict[str, Any]] = field(default_factory=list)
    strengths: list[dict[str, Any]] = field(default_factory=list)
    programmes: list[dict[str, Any]] = field(default_factory=list)
    positive_action: list[dict[str, Any]] = field(default_factory=list)
    positive_action_note: str | None = None
    support: list[dict[str, Any]] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)

    @property
    def years(self) -> float | None:
        return self.edge.years

    @property
    def years_basis(self) -> str:
        return "source" if self.edge.years_source else "estimate"

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": {"id": short_id(self.source.iri), "label": self.source.label},
            "to": {
                "id": short_id(self.role.iri),
                "label": self.role.label,
                "tier": self.role.tier_label,
                "bands": self.role.bands,
                "bands_basis": self.role.bands_basis,
            },
            "progression": short_id(self.edge.progression),
            "kind": self.kind,
            "years": self.years,
            "years_basis": self.years_basis,
            "years_minimum": self.edge.years_minimum,
            "years_source": self.edge.years_source,
            "profession": {"id": short_id(self.profession[0]), "label": self.profession[1]},
            "retraining": self.retraining,
            "cost": round(self.cost, 2),
            "penalties": [p.as_dict() for p in self.penalties],
            "gaps": self.gaps,
            "strengths": self.strengths,
            "programmes": self.programmes,
            "positive_action": self.positive_action,
            "positive_action_note": self.positive_action_note,
            "support": self.support,
            "conditions": self.conditions,
        }


def kind_name(index: GraphIndex, edge: Edge) -> str:
    """The step's kind as its short name: promotion, lateral, retraining, board or national."""
    return short_id(edge.kind).removeprefix("step-") if edge.kind else "unknown"


def _requirements_in_order(index: GraphIndex, role: Role) -> list[tuple[int, str, int, float]]:
    """The role's requirements as (position, competency, level, importance), in the order
    competencies are listed, remembered per graph."""
    key = ("requirements", role.iri)
    remembered = index.memo.get(key)
    if remembered is None:
        labels = index.competencies
        order = {c: n for n, c in enumerate(sorted(labels, key=lambda c: labels[c]))}
        needed = index.requirements.get(role.iri, {})
        remembered = index.memo[key] = sorted(
            (order.get(c, 0), c, rank, scoring.gap_importance(index, c, role))
            for c, rank in needed.items()
        )
    result: list[tuple[int, str, int, float]] = remembered
    return result


def _gaps(
    index: GraphIndex, step: Step, held: dict[str, int]
) -> tuple[list[tuple[float, int, int, str, int, int]], list[dict[str, Any]]]:
    """Every competency the new role needs above the level held, scored; and the strengths."""
    scored = []
    strengths = []
    for position, competency, rank, importance in _requirements_in_order(index, step.role):
        have = held.get(competency, 0)
        if rank > have:
            score = scoring.gap_score(rank - have, importance)
            scored.append((-score, -(rank - have), position, competency, rank, have))
        elif rank >= STRENGTH_FROM_LEVEL:
            strengths.append((-importance, -rank, position, competency, have, rank))
        held[competency] = max(have, rank)
    scored.sort()
    # The strengths most worth evidencing at interview: those the new role leans on most.
    strengths.sort()
    listed = [
        {
            "competency": _ref(competency, index.competencies),
            "level": index.level_label(have),
            "needed": index.level_label(rank),
        }
        for *_, competency, have, rank in strengths[: scoring.policy_of(index).strengths_per_step]
    ]
    return scored, listed


def _develop(index: GraphIndex, competency: str, programmes: Sequence[Offer]) -> dict[str, Any]:
    """How to close a priority gap: the competency's development mode (seed §4.2, 70/20/10),
    naming the step's own programme where the mode is a course and one develops it."""
    development = index.development.get(competency)
    if development is None:
        return {"mode": "experience", "label": "on-the-job experience", "how": ""}
    how = development.advice
    if development.mode == COURSE_MODE:
        taught = [o.label for o in programmes if competency in o.develops]
        if taught:
            how = f"Take the {' or the '.join(taught)} (listed for this step). {how}".strip()
    return {
        "mode": short_id(development.mode).removeprefix("mode-"),
        "label": development.mode_label,
        "how": how,
    }


def _fitting_programmes(index: GraphIndex, source: Role, target: Role) -> list[Offer]:
    """The leadership programmes (not positive action) whose level fits a step, per graph."""
    key = ("fitting-programmes", source.tier, target.iri)
    remembered = index.memo.get(key)
    if remembered is None:
        remembered = index.memo[key] = [
            offer
            for offer in index.offers.values()
            if offer.kind == "programme" and not offer.groups and offer.fits_step(source, target)
        ]
    result: list[Offer] = remembered
    return result


def _programmes(
    index: GraphIndex,
    step: Step,
    gap_ids: Sequence[str],
    priority_ids: set[str],
    offered: set[str],
) -> list[Offer]:
    """The paper's pairing for the step, then at most ``programmes_per_step`` others that fit the
    step (seed Table 2 levels) and close a gap, those closing the most priority gaps first. A
    programme listed at an earlier step of the route (``offered``) is not listed again unless the
    paper pairs it with this step: an adviser's review found the Mary Seacole programme, taken
    on the way to principal, offered again for the step to consultant."""
    policy = scoring.policy_of(index)
    facts = index.step_facts.get(step.edge.progression)
    paired = [
        index.offers[iri] for iri in (facts.programmes if facts else []) if iri in index.offers
    ]
    others = []
    for offer in _fitting_programmes(index, step.source, step.role):
        if offer in paired or offer.iri in offered:
            continue
        # A programme made for this very seat (the Aspiring Chief Executive programme and the
        # chief executive's seat) is listed even when no gap is left for it to close.
        made_for = step.role.iri in offer.prepares_roles
        closes = [c for c in gap_ids if c in offer.develops]
        if closes or made_for:
            priority = sum(1 for c in closes if c in priority_ids)
            others.append((not made_for, -priority, -len(closes), offer.label, offer))
    others.sort(key=lambda item: item[:4])
    chosen = paired + [item[4] for item in others[: policy.programmes_per_step]]
    step.programmes = [
        _offer_ref(offer, [index.competencies[c] for c in gap_ids if c in offer.develops])
        | {"recommended": offer in paired}
        for offer in chosen
    ]
    return chosen


def positive_action_offers(
    index: GraphIndex, source: Role, target: Role, groups: set[str]
) -> list[Offer]:
    """The positive-action programmes for any of ``groups`` that apply to a step from ``source``
    into ``target``: their level fits the step and their band range the band held when it is
    taken (the role left). Shared by roadmaps and the equity figures (careers/equity.py)."""
    held_bands = source.band_ranks()
    return [
        offer
        for offer in index.offers.values()
        if offer.kind == "programme"
        and offer.groups & groups
        and offer.fits_step(source, target)
        and offer.fits_bands(held_bands)
    ]


def _positive_action(index: GraphIndex, step: Step, groups: set[str]) -> None:
    """Positive-action programmes by the band the person holds when they take the step (the
    role left): Stepping Up for bands 5 to 7, Ready Now from 8a, as each programme's band range
    says; none when that band is not known, with a note."""
    if not groups or step.edge.retrains_as:
        # A retraining step enters another profession's training post: the positive-action
        # leadership programmes are for the steps of a leadership career.
        return
    offered = [o for o in index.offers.values() if o.kind == "programme" and o.groups & groups]
    held_bands = step.source.band_ranks()
    for offer in positive_action_offers(index, step.source, step.role, groups):
        step.positive_action.append(_offer_ref(offer))
    if step.positive_action and step.source.bands_basis == "estimate":
        step.positive_action_note = (
            f"Offered by the band of {step.source.label} ({step.source.bands}), which is this "
            "project's estimate: check your own band against each programme's."
        )
    by_band = [o for o in offered if o.band_limited]
    if by_band and held_bands is None:
        names = " and ".join(o.label for o in by_band)
        step.positive_action_note = (
            f"{names} are open by band, and no band is known for {step.source.label}: "
            "check your own band against each programme's."
        )


def describe(
    index: GraphIndex,
    step: Step,
    held: dict[str, int],
    groups: set[str],
    offered: set[str] | None = None,
) -> Step:
    """Fill in what the step asks of the person; ``held`` is updated to the levels they hold
    once in the new role, and ``offered`` (the programmes listed at the route's earlier steps)
    to include this step's."""
    policy = scoring.policy_of(index)
    step.kind = kind_name(index, step.edge)
    facts = index.step_facts.get(step.edge.progression)
    if step.edge.retrains_as:
        step.retraining = {
            "profession": {
                "id": short_id(step.edge.retrains_as),
                "label": index.professions.get(step.edge.retrains_as, step.edge.retrains_as),
            },
            "qualification": "; ".join(facts.qualification) if facts else "",
            "funding": "; ".join(facts.funding) if facts else "",
            # From a pre-entry role (an assistant psychologist, a CAP) it is a first
            # professional training, not a second one.
            "first_training": step.edge.retrains_as in step.source.pre_entry_to,
        }
    scored, step.strengths = _gaps(index, step, held)
    gap_ids = [gap[3] for gap in scored]
    priority_ids = set(gap_ids[: policy.priority_gaps])
    programmes = _programmes(index, step, gap_ids, priority_ids, offered or set())
    if offered is not None:
        offered.update(offer.iri for offer in programmes)
    for _score, _size, _position, competency, rank, have in scored:
        gap: dict[str, Any] = {
            "competency": _ref(competency, index.competencies),
            "needed": index.level_label(rank),
            "held": index.level_label(have),
            "size": rank - have,
            "priority": competency in priority_ids,
        }
        if competency in priority_ids:
            gap["develop"] = _develop(index, competency, programmes)
        step.gaps.append(gap)
    _positive_action(index, step, groups)
    support = list(facts.support) if facts else []
    support += [o.iri for o in index.offers.values() if o.kind == "support" and o.groups & groups]
    step.support = [_offer_ref(index.offers[iri]) for iri in dict.fromkeys(support)]
    conditions = (list(facts.conditions) if facts else []) + step.role.conditions
    if step.role.registers and not step.role.professions:
        # A seat reserved to a register (the statutory medical and nursing seats); a role open
        # to professions that names their register already says so in its own condition.
        conditions.append(
            "Requires registration on the " + " or the ".join(sorted(step.role.registers.values()))
        )
    step.conditions = list(dict.fromkeys(conditions))
    return step
