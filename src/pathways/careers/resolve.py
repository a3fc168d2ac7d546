"""Reading a roadmap request: roles, professions, self-assessments, preferences and
registrations named by id, label or abbreviation, each refused with the closest names when it
matches nothing. Shared by the roadmap engine, the catalogue and role comparison.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from pathways.careers.index import GraphIndex, Role, short_id
from pathways.graph.resources import PPID

TARGET_TIERS = {
    "board": PPID + "tier-provider-board",
    "national": PPID + "tier-national-regional",
}
# The equity groups of ontology/equity.ttl, by the short names requests give.
GROUPS = {
    name: PPID + "group-" + name for name in ("minority-ethnic", "women", "lgbt-plus", "disabled")
}


class RoadmapError(ValueError):
    """A request the engine cannot answer, with what to do about it."""

    def __init__(self, message: str, *, suggestions: Sequence[str] = (), field: str = "") -> None:
        self.message = message
        self.suggestions = list(suggestions)
        self.field = field
        super().__init__(message)


def _normalise(text: str) -> str:
    return " ".join(text.strip().lower().replace("\u2019", "'").split())


def _names(index: GraphIndex) -> dict[str, list[tuple[str, str, bool]]]:
    """Every role name by its normalised form, built once per graph: an exact name or an id is
    found without a scan of every role (a scan per request grew with the graph)."""
    names: dict[str, list[tuple[str, str, bool]]] | None = index.memo.get(("role-names",))
    if names is None:
        names = {}
        for name, iri, preferred in index.role_names:
            names.setdefault(_normalise(name), []).append((name, iri, preferred))
        index.memo[("role-names",)] = names
    return names


def resolve_role(index: GraphIndex, text: str, *, field_name: str = "role") -> Role:
    """A role by IRI, id (``role-pwp``, ``ppid:role-pwp``) or name: exact (case-insensitive),
    then an unambiguous prefix. Unknown or ambiguous names raise with the closest labels."""
    wanted = text.strip()
    for candidate in (wanted, PPID + wanted.removeprefix("ppid:"), PPID + "role-" + wanted):
        if candidate in index.roles:
            return index.roles[candidate]
    key = _normalise(wanted)
    if not key:
        raise RoadmapError(f"no {field_name} given", field=field_name)
    exact = {iri for _, iri, _ in _names(index).get(key, ())}
    if len(exact) == 1:
        return index.roles[exact.pop()]
    # A prefix is the slow path (a scan of the names), taken only for a name typed in part.
    prefixed = {
        iri
        for name, entries in _names(index).items()
        if name.startswith(key)
        for _, iri, _ in entries
    }
    if len(exact) > 1 or len(prefixed) > 1:
        matches = sorted(index.roles[iri].label for iri in (exact or prefixed))
        raise RoadmapError(
            f"{text!r} matches {len(matches)} roles; give more of the name or the id",
            suggestions=matches,
            field=field_name,
        )
    if len(prefixed) == 1:
        return index.roles[prefixed.pop()]
    labels = {_normalise(name): index.roles[iri].label for name, iri, _ in index.role_names}
    close = difflib.get_close_matches(key, list(labels), n=5, cutoff=0.5)
    suggestions = list(dict.fromkeys(labels[c] for c in close))
    raise RoadmapError(
        f"no role is called {text!r}" + (f"; did you mean {suggestions[0]!r}?" if close else ""),
        suggestions=suggestions,
        field=field_name,
    )


def alternative_name(index: GraphIndex, text: str, role: Role) -> str | None:
    """The alternative name of ``role`` that ``text`` asked for ("deputy director of
    psychological professions" for the trust professional lead), so that an answer can say
    why it shows a role by another name; None when the text was its label or an id."""
    for name, iri, preferred in _names(index).get(_normalise(text), ()):
        if iri == role.iri and not preferred:
            return name
    return None


def resolve_profession(index: GraphIndex, text: str) -> str:
    wanted = text.strip()
    for candidate in (wanted, PPID + wanted.removeprefix("ppid:"), PPID + "profession-" + wanted):
        if candidate in index.professions:
            return candidate
    key = _normalise(wanted)
    for iri, label in index.professions.items():
        if _normalise(label) == key or _normalise(index.abbreviations.get(iri, "")) == key:
            return iri
    prefixed = [
        iri for iri, label in index.professions.items() if _normalise(label).startswith(key)
    ]
    if len(prefixed) == 1 and key:
        return prefixed[0]
    labels = {_normalise(label): label for label in index.professions.values()}
    close = difflib.get_close_matches(key, list(labels), n=3, cutoff=0.5)
    raise RoadmapError(
        f"no profession is called {text!r}",
        suggestions=[labels[c] for c in close] or sorted(index.professions.values()),
        field="profession",
    )


def _level_rank(index: GraphIndex, value: str | int, competency: str) -> int:
    if isinstance(value, int) and value in index.levels:
        return value
    text = _normalise(str(value))
    if text.isdigit() and int(text) in index.levels:
        return int(text)
    for rank, (iri, label) in index.levels.items():
        if text in {_normalise(label), _normalise(short_id(iri)), _normalise(iri)}:
            return rank
        if text == _normalise(short_id(iri)).removeprefix("level-"):
            return rank
    names = ", ".join(label.lower() for _, (_, label) in sorted(index.levels.items()))
    raise RoadmapError(
        f"self-assessment: {value!r} is not a level (for {competency!r}); use one of: {names}",
        field="self_assessment",
    )


def read_self_assessment(index: GraphIndex, answers: Mapping[str, Any]) -> dict[str, int]:
    """Competency (id or label) -> level (label, id or rank 1-4), checked against the graph."""
    by_name = {_normalise(label): iri for iri, label in index.competencies.items()}
    levels: dict[str, int] = {}
    for key, value in answers.items():
        name = _normalise(str(key))
        iri = next(
            (
                c
                for c in (str(key), PPID + str(key).removeprefix("ppid:"))
                if c in index.competencies
            ),
            by_name.get(name),
        )
        if iri is None:
            close = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.6)
            hint = f"; did you mean {index.competencies[by_name[close[0]]]!r}?" if close else ""
            raise RoadmapError(
                f"self-assessment: no competency is called {key!r}{hint}",
                suggestions=sorted(index.competencies.values()),
                field="self_assessment",
            )
        levels[iri] = _level_rank(index, value, str(key))
    return levels


def resolve_groups(names: Sequence[str]) -> set[str]:
    groups = set()
    for group in names:
        key = group.strip().lower()
        if key not in GROUPS:
            raise RoadmapError(
                f"no positive-action group {group!r}; use one of: {', '.join(GROUPS)}",
                suggestions=list(GROUPS),
                field="positive_action",
            )
        groups.add(GROUPS[key])
    return groups


def function_names(index: GraphIndex) -> dict[str, str]:
    """The short names a preference is given by (``professional``) -> function IRI."""
    return {short_id(iri).removeprefix("function-"): iri for iri in index.functions}


def resolve_prefer(index: GraphIndex, text: str | None) -> str | None:
    """A leadership function by short name (professional, clinical, operational) or label."""
    if text is None or not text.strip():
        return None
    key = _normalise(text)
    names = function_names(index)
    for name, iri in names.items():
        if key in {name, _normalise(index.functions[iri]), _normalise(short_id(iri))}:
            return iri
    raise RoadmapError(
        f"no leadership function {text!r} to prefer; use one of: {', '.join(names)}",
        suggestions=list(names),
        field="prefer",
    )


def resolve_registrations(index: GraphIndex, codes: Sequence[str]) -> frozenset[str]:
    """Registers a person holds, by the code of the body that keeps them (nmc, gmc, gdc)."""
    found = set()
    for code in codes:
        key = code.strip().lower()
        if key not in index.registrations:
            accepted = list(index.registrations)
            raise RoadmapError(
                f"no registration {code!r} opens a seat; use one of: {', '.join(accepted)}",
                suggestions=accepted,
                field="registration",
            )
        found.add(index.registrations[key][0])
    return frozenset(found)
