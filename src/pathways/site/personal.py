"""The self-assessment form on a role page, and the tables its script reads.

The form (``role.html``, ``<form id="self-assessment">``) lists the person's choices: a level for
each competency, their profession, a target, a preferred leadership function, registrations and
positive-action groups. ``lib/personalise.js`` sends them to the API when the page is served,
and otherwise works the roadmap out in the page from ``roles/ROLE.plan.js``, the engine's
tables for the roles reachable from that role (``careers/portable.py``).
"""

from __future__ import annotations

import base64
import gzip
import json
from importlib import resources
from typing import Any

from pathways.careers import portable
from pathways.careers.index import GraphIndex, Role, short_id
from pathways.careers.resolve import GROUPS, function_names
from pathways.careers.roadmap import held_levels

SCRIPT = "lib/personalise.js"
# The page's own engine, loaded only where the API is not there to ask.
ENGINE = "lib/plan-engine.js"
# No group is ticked at first: the page's own roadmap shows positive action for minority ethnic
# staff where eligible, but a person's roadmap shows it only for the groups they tick.
GROUP_LABELS = {
    "minority-ethnic": "Minority ethnic staff",
    "women": "Women",
    "lgbt-plus": "LGBT+ staff",
    "disabled": "Disabled staff",
}


def compact_script(name: str) -> str:
    """One of the pages' scripts (``pathways.js``, ``personalise.js``, ``plan-engine.js``)
    without its comments and indentation, a quarter of its size: a role page, its tables and
    vis-network must stay under 600 KB. No line of the source starts inside a string, so
    dropping comment lines and leading spaces changes nothing else; the commented source is in
    the package."""
    source = resources.files("pathways.site") / "templates" / name
    kept = [line.strip() for line in source.read_text(encoding="utf-8").splitlines()]
    body = [line for line in kept if line and not line.startswith("//")]
    return (
        f"// lib/{name}, compacted: its commented source is src/pathways/site/templates/{name}\n"
        + "\n".join(body)
        + "\n"
    )


# Every board and national seat, for the seats a roadmap says it leaves out: written once per
# site, not into every page's tables (in a graph of many trusts' seats, each page carried them
# all, and the site's size grew with the square of the graph).
SEATS_PATH = "roles/seats.plan.js"


def plan_path(role: Role) -> str:
    return f"roles/{short_id(role.iri)}.plan.js"


def _json(tables: dict[str, Any]) -> str:
    return json.dumps(tables, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def plan_tables(index: GraphIndex, role: Role) -> str:
    """The engine's tables for ``role``'s page as JSON (careers/portable.py)."""
    return _json(portable.tables(index, role.iri))


def _packed(tables: dict[str, Any]) -> str:
    packed = gzip.compress(_json(tables).encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b64encode(packed).decode("ascii")


def plan_script(index: GraphIndex, role: Role) -> str:
    """The tables for ``role``'s page as a script that sets ``window.PathwaysPlanPacked``: a
    page opened from the file system may load a script but not fetch a file. They are gzipped
    and written in base64, a third of their size (the page unpacks them with the browser's
    DecompressionStream): a role page, its tables and its library stay under 600 KB."""
    return (
        "// The roadmap engine's tables for this role's page (careers/portable.py), gzipped, "
        "in base64; lib/personalise.js reads them.\n"
        f'window.PathwaysPlanPacked = "{_packed(portable.tables(index, role.iri))}";\n'
    )


def seats_script(index: GraphIndex) -> str:
    """Every board and national seat's row, as ``plan_script`` writes a page's tables."""
    return (
        "// Every board and national seat, for the roadmap engine (careers/portable.py), "
        "gzipped, in base64; lib/personalise.js reads it beside a page's tables.\n"
        f'window.PathwaysSeatsPacked = "{_packed(portable.seat_tables(index))}";\n'
    )


def form(index: GraphIndex, role: Role) -> dict[str, Any] | None:
    """What the form offers on ``role``'s page; None for a seat open to no profession, which
    has no roadmap to personalise."""
    if not role.professions:
        return None
    labels = index.competencies
    order = sorted(labels, key=lambda c: (c not in index.dimensions, labels[c]))
    professions = sorted(role.professions, key=lambda p: index.professions[p])
    # The level each competency is taken at when left "as your role needs", per profession
    # (roadmap.held_levels, the engine's own rule), as a digit per competency in the form's
    # order; the script relabels the choice when the profession changes.
    held = {p: held_levels(index, role, p, {}) for p in professions}
    first = held[professions[0]]
    return {
        "role": short_id(role.iri),
        "plan": short_id(role.iri) + ".plan.js",
        "seats": SEATS_PATH.removeprefix("roles/"),
        "engine": "../" + ENGINE,
        "api": f"../../api/roadmap/{short_id(role.iri)}",
        "professions": [
            {"id": short_id(p), "label": index.professions[p]}
            for p in sorted(role.professions, key=lambda p: index.professions[p])
        ],
        "functions": [
            {"id": name, "label": index.functions[iri]}
            for name, iri in sorted(function_names(index).items())
        ],
        "registrations": [
            {"id": code, "label": label} for code, (_, label) in index.registrations.items()
        ],
        "groups": [{"id": name, "label": GROUP_LABELS.get(name, name)} for name in GROUPS],
        "levels": [
            {"rank": rank, "label": label} for rank, (_, label) in sorted(index.levels.items())
        ],
        # In the engine's order (by name), the nine HLM dimensions first.
        "competencies": [
            {"id": short_id(c), "label": labels[c], "held": index.level_label(first.get(c, 0))}
            for c in order
        ],
        "held": " ".join(
            short_id(p) + "=" + "".join(str(min(levels.get(c, 0), 9)) for c in order)
            for p, levels in held.items()
        ),
    }
