"""The static site: interactive pathway graphs (pyvis data, vis-network drawing) for practitioners.

Pages open from the file system or from the server with no network: every page references the
one copy of vis-network in ``lib/`` and its own inline data; nothing is fetched. The output is
deterministic (sorted data, no timestamps), so a rebuild of the same graph is byte-identical.
pyvis builds the node and edge records; the HTML comes from this package's own Jinja2 templates
(``templates/``: one base layout, a template per kind of page, macros for the parts they share),
with autoescaping on, because pyvis's templates load Bootstrap and other assets from CDNs. This
module only gathers what each page shows.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pyvis.network import Network

from pathways import __version__
from pathways.careers import render
from pathways.careers.compare import compared_role
from pathways.careers.index import GraphIndex, Role, index_of, short_id
from pathways.careers.resolve import function_names
from pathways.careers.roadmap import RoadmapError, RoadmapRequest, build_roadmap
from pathways.careers.steps import kind_name
from pathways.graph.loader import LoadedGraph
from pathways.graph.resources import PPID
from pathways.site import personal
from pathways.site.offers import offer_contexts, offer_path

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies; the legend
# also names each tier, so colour is never the only cue.
TIER_COLOURS = {1: "#56B4E9", 2: "#009E73", 3: "#F0E442", 4: "#E69F00", 5: "#D55E00", 6: "#CC79A7"}
# Alternative routes are dashed: at 4.5:1 on white they stay visible (#d0d0d0 was 1.5:1).
FADED = "#767676"
BEST = "#0072B2"
VIS_SCRIPT = "lib/vis-network.min.js"
VIS_STYLE = "lib/vis-network.css"
STYLE_SHEET = "lib/pathways.css"
# The pages' own script (printing, and the graph's panel, buttons and legible scale): one copy,
# not inlined in each of the 270 pages.
SCRIPT = "lib/pathways.js"
FAVICON = "lib/favicon.svg"
# The site's mark: a rising route of three steps in the header's NHS blue (our own drawing).
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#003087"/>'
    '<path d="M6 25h7v-7h7v-7h6" fill="none" stroke="#fff" stroke-width="3"/></svg>\n'
)


@dataclass(frozen=True)
class Page:
    path: str  # relative to the site root, with "/" separators
    text: str


def role_path(iri: str) -> str:
    return f"roles/{short_id(iri)}.html"


def profession_path(iri: str) -> str:
    return f"professions/{short_id(iri)}.html"


def _relative(from_page: str, target: str) -> str:
    depth = from_page.count("/")
    return "../" * depth + target


def _tooltip(index: GraphIndex, role: Role) -> str:
    needs = index.requirements.get(role.iri, {})
    strong = sorted(index.competencies[c] for c, rank in needs.items() if rank >= 3)
    lines = [
        role.label,
        f"Tier: {role.tier_label}",
        render.bands_text(role.bands, role.bands_basis),
    ]
    if role.registers:
        lines.append("Needs registration: " + " or ".join(sorted(role.registers.values())))
    if strong:
        lines.append("Strong or above in: " + ", ".join(strong))
    return "\n".join(lines)


def _network(
    index: GraphIndex,
    roles: Iterable[Role],
    edges: Iterable[tuple[str, str]],
    page: str,
    edge_style: Callable[[str, str], dict[str, Any]] | None = None,
    node_style: Callable[[Role], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    net = Network(directed=True)
    for role in sorted(roles, key=lambda r: r.iri):
        style = {"color": TIER_COLOURS.get(role.tier_rank, "#999999")}
        if node_style:
            style |= node_style(role)
        net.add_node(
            short_id(role.iri),
            label=role.label,
            title=_tooltip(index, role),
            level=role.tier_rank,
            shape="box",
            url=_relative(page, role_path(role.iri)),
            **style,
        )
    for source, target in sorted(edges):
        style = edge_style(source, target) if edge_style else {}
        net.add_edge(short_id(source), short_id(target), **style)
    nodes, links, *_ = net.get_network_data()
    return {"nodes": nodes, "edges": links}


_OPTIONS = {
    "layout": {
        "hierarchical": {
            "enabled": True,
            "direction": "DU",
            "sortMethod": "directed",
            "levelSeparation": 110,
            "nodeSpacing": 170,
        }
    },
    "physics": {"enabled": False},
    # Keyboard on (arrows pan, + and - zoom) once the graph has the focus; the page's own
    # buttons zoom and fit, as vis-network's image buttons would cost 40 KB of style sheet.
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "navigationButtons": False,
        "keyboard": {"enabled": True, "bindToWindow": False},
    },
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "smooth": {"enabled": True, "type": "cubicBezier"},
    },
    # Black labels: on the tier colours they read at 5.4:1 or better (vis-network's default
    # grey was 3.2:1 on the board's orange).
    "nodes": {"font": {"size": 14, "color": "#000000"}, "widthConstraint": {"maximum": 170}},
}

_TEMPLATES = Environment(
    loader=PackageLoader("pathways.site", "templates"),
    autoescape=True,
    keep_trailing_newline=True,
    undefined=StrictUndefined,
)


def _json_for_script(value: Any, **options: Any) -> Markup:
    """JSON to sit inside a <script> element: "</" is written "<\\/" so no text in it can
    close the element; it is data, not HTML, so it is not escaped further."""
    return Markup(json.dumps(value, ensure_ascii=False, **options).replace("</", "<\\/"))


def _render(
    template: str, page: str, title: str, graph: dict[str, Any] | None = None, **context: Any
) -> str:
    payload = None
    if graph is not None:
        payload = _json_for_script({"options": _OPTIONS} | graph, sort_keys=True)
    return _TEMPLATES.get_template(template).render(
        root="../" * page.count("/"), title=title, graph=payload, version=__version__, **context
    )


def _tiers(ranks: Iterable[int], index: GraphIndex) -> list[tuple[str, str]]:
    """The legend's entries: (colour, tier label) for each tier drawn, lowest first."""
    labels = _tier_labels(index)
    return [(TIER_COLOURS[r], labels[r]) for r in sorted(set(ranks)) if r in TIER_COLOURS]


def _tier_labels(index: GraphIndex) -> dict[int, str]:
    return {role.tier_rank: role.tier_label for role in index.roles.values()}


def index_page(index: GraphIndex) -> Page:
    page = "index.html"
    professions = [
        {"url": profession_path(iri), "label": label}
        for iri, label in sorted(index.professions.items(), key=lambda item: item[1])
    ]
    by_tier: dict[int, list[Role]] = {}
    for role in index.roles.values():
        by_tier.setdefault(role.tier_rank, []).append(role)
    labels = _tier_labels(index)
    tiers = [
        {
            "label": labels[rank],
            "roles": [
                {"id": short_id(r.iri), "url": role_path(r.iri), "label": r.label}
                for r in sorted(by_tier[rank], key=lambda r: r.label)
            ],
        }
        for rank in sorted(by_tier, reverse=True)
    ]
    search = _json_for_script(search_entries(index))
    offers = [
        {"url": offer_path(o.iri), "label": o.label, "kind": o.kind}
        for o in sorted(index.offers.values(), key=lambda o: (o.kind, o.label))
    ]
    text = _render(
        "index.html",
        page,
        "Home",
        professions=professions,
        tiers=tiers,
        search=search,
        offers=offers,
    )
    return Page(page, text)


def compare_page(index: GraphIndex) -> Page:
    """compare.html?role=A&role=B[&role=C]: up to three roles side by side, from data embedded
    here (so it works opened from the file system); the rows are the engine's comparison, as
    the command line and the API give it."""
    page = "compare.html"
    roles = sorted(index.roles.values(), key=lambda r: r.label)
    data = {
        short_id(r.iri): {
            "label": r.label,
            "url": role_path(r.iri),
            "rows": render.compared_rows(compared_role(index, r), joiner=", "),
        }
        for r in roles
    }
    text = _render(
        "compare.html",
        page,
        "Compare roles",
        choices=[{"id": short_id(r.iri), "label": r.label} for r in roles],
        data=_json_for_script(data, sort_keys=True),
    )
    return Page(page, text)


def search_entries(index: GraphIndex) -> list[dict[str, Any]]:
    """What the index page's search looks in: each role under its label and its other names,
    each profession under its name and abbreviation. The page matches every word typed
    against these, forgiving a typo per word (index.html)."""
    names: dict[str, list[str]] = {}
    for name, iri, _preferred in index.role_names:
        if name not in names.setdefault(iri, []):
            names[iri].append(name)
    roles = [
        {
            "label": role.label,
            "names": sorted(n for n in names.get(iri, []) if n != role.label),
            "url": role_path(iri),
            "detail": role.tier_label,
        }
        for iri, role in index.roles.items()
    ]
    professions = [
        {
            "label": label,
            "names": [index.abbreviations[iri]] if iri in index.abbreviations else [],
            "url": profession_path(iri),
            "detail": "profession",
        }
        for iri, label in index.professions.items()
    ]
    offers: list[dict[str, Any]] = [
        {
            "label": offer.label,
            "names": [],
            "url": offer_path(offer.iri),
            "detail": "programme" if offer.kind == "programme" else "support offer",
        }
        for offer in index.offers.values()
    ]
    return sorted(roles + professions + offers, key=lambda item: (item["label"], item["url"]))


def overview_page(index: GraphIndex) -> Page:
    page = "overview.html"
    edges = {(e.source, e.target) for e in index.edges.values()}
    graph = _network(index, index.roles.values(), edges, page)
    # Thirty practitioner roles side by side make a wide, flat picture: taller tiers keep its
    # shape readable at the zoom that fits it on screen (readers zoom in to read labels).
    graph["options"] = json.loads(json.dumps(_OPTIONS))
    graph["options"]["layout"]["hierarchical"] |= {"levelSeparation": 320, "nodeSpacing": 175}
    # Too large to read whole: the legible view starts at the hub most routes pass through.
    graph["focus"] = "role-head-of-psychological-therapies"
    text = _render(
        "overview.html",
        page,
        "Overview",
        graph,
        roles=len(index.roles),
        progressions=len(edges),
        tiers=_tiers((r.tier_rank for r in index.roles.values()), index),
        table=_overview_table(index, page),
    )
    return Page(page, text)


def _overview_table(index: GraphIndex, page: str) -> dict[str, Any]:
    """Every role as a link, by the profession whose own ladder it is a rung of (rows; roles on
    no ladder, or on several, in a last row) and by tier (columns, rising left to right as a
    career does). The graph of 89 roles cannot be read at the scale that fits it: this can, by
    keyboard and screen reader too."""
    labels = _tier_labels(index)
    ranks = sorted({r.tier_rank for r in index.roles.values()})

    def row(header: dict[str, str], roles: list[Role]) -> dict[str, Any]:
        cells = [
            [
                {"url": _relative(page, role_path(r.iri)), "label": r.label}
                for r in sorted(roles, key=lambda r: r.label)
                if r.tier_rank == rank
            ]
            for rank in ranks
        ]
        return {"header": header, "cells": cells}

    rows = [
        row(
            {"label": label, "url": _relative(page, profession_path(iri))},
            [r for r in index.roles.values() if r.ladder_of == {iri}],
        )
        for iri, label in sorted(index.professions.items(), key=lambda item: item[1])
    ]
    rows.append(
        row(
            {"label": "Open to several professions", "url": ""},
            [r for r in index.roles.values() if len(r.ladder_of) != 1],
        )
    )
    return {"tiers": [labels[rank] for rank in ranks], "rows": rows}


def profession_page(index: GraphIndex, profession: str) -> Page:
    page = profession_path(profession)
    label = index.professions[profession]
    open_roles = [r for r in index.roles.values() if profession in r.professions]
    iris = {r.iri for r in open_roles}
    edges = {
        (e.source, e.target) for e in index.edges.values() if e.source in iris and e.target in iris
    }
    own = sorted(
        (r for r in open_roles if profession in r.ladder_of),
        key=lambda r: (r.tier_rank, r.band_ranks() or (0, 0), r.label),
    )
    # The rungs of the profession itself, without the roles held before its training.
    rungs = [r for r in own if profession not in r.pre_entry_to]
    shared = sorted(
        (r for r in open_roles if profession not in r.ladder_of),
        key=lambda r: (r.tier_rank, r.label),
    )

    def entry(role: Role) -> dict[str, str]:
        return {
            "id": short_id(role.iri),
            "url": _relative(page, role_path(role.iri)),
            "label": role.label,
            "tier": role.tier_label,
            "bands": render.bands_text(role.bands, role.bands_basis),
        }

    text = _render(
        "profession.html",
        page,
        label,
        _profession_network(index, profession, open_roles, edges, page),
        label=label,
        open_roles=len(open_roles),
        progressions=len(edges),
        tiers=_tiers((r.tier_rank for r in open_roles), index),
        own=[entry(r) for r in own],
        shared=[entry(r) for r in shared],
        compare_url=_compare_url(page, rungs[:3]) if len(rungs) >= 2 else "",
        compare_action=_relative(page, "compare.html"),
    )
    return Page(page, text)


def _profession_network(
    index: GraphIndex,
    profession: str,
    roles: list[Role],
    edges: set[tuple[str, str]],
    page: str,
) -> dict[str, Any]:
    """The profession's graph, its own ladder drawn with a heavy border, centred on its first
    rung when the whole does not fit at a legible scale."""

    def node_style(role: Role) -> dict[str, Any]:
        return {"borderWidth": 4} if profession in role.ladder_of else {}

    graph = _network(index, roles, edges, page, node_style=node_style)
    ladder = sorted((r for r in roles if profession in r.ladder_of), key=lambda r: r.tier_rank)
    if ladder:
        graph["focus"] = short_id(ladder[0].iri)
    return graph


def _step(page: str, step: dict[str, Any]) -> dict[str, Any]:
    """What a step card shows, as text: the template marks it up."""
    to = step["to"]

    def offers(items: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [
            {
                "url": _relative(page, offer_path(PPID + item["id"])),
                "label": item["label"],
                "note": " (the paper's own pairing for this step)"
                if item.get("recommended")
                else "",
            }
            for item in items
        ]

    return {
        "kind": step["kind"],
        "link": _relative(page, "roles/" + to["id"] + ".html"),
        "label": to["label"],
        "heading": render.step_heading(step).removeprefix(to["label"]),
        "retraining": step.get("retraining"),
        # The priority gaps as a small table; how to develop each is written once per page
        # (role.html's "How to develop" list), not in every step that needs it.
        "gaps": [
            {
                "competency": gap["competency"]["label"],
                "held": gap["held"],
                "needed": gap["needed"],
                "mode": (gap.get("develop") or {}).get("label", "on-the-job experience"),
                "anchor": "how-" + gap["competency"]["id"],
            }
            for gap in step["gaps"]
            if gap["priority"]
        ],
        "no_gaps": render.no_gaps_text(step),
        "penalties": list(render.penalty_lines(step)),
        "other_gaps": ", ".join(render.other_gaps(step)),
        "strengths": ", ".join(render.strength_names(step)) if step["strengths"] else "",
        "programmes": offers(step["programmes"]),
        "positive_action": offers(step["positive_action"]),
        "positive_action_note": step.get("positive_action_note") or "",
        "support": offers(step["support"]),
        "conditions": render.conditions_text(step) if step["conditions"] else "",
        # Set by _once_each: the card's own anchor, or the card it repeats.
        "anchor": "",
        "repeat_of": "",
        "repeat_in": "",
    }


def _same_as_first(common: int, steps: list[dict[str, Any]]) -> str:
    """What a later route shares with route 1, said instead of writing those steps again."""
    if not common:
        return ""
    last = steps[common - 1]["to"]["label"]
    if common == 1:
        return f"Step 1 as route 1, to {last}; then:"
    return f"Steps 1 to {common} as route 1, as far as {last}; then:"


def _section(page: str, names: list[str], roadmap: dict[str, Any]) -> dict[str, Any]:
    """One roadmap on a role page: its routes, note, seats, exclusions and other choices."""
    routes = roadmap["routes"]

    def moves(route: dict[str, Any]) -> list[tuple[str, str]]:
        return [(s["from"]["id"], s["to"]["id"]) for s in route["steps"]]

    def shared(route: dict[str, Any]) -> int:
        """How many first steps a route has in common with route 1: written once, there."""
        count = 0
        for mine, first in zip(moves(route), moves(routes[0]), strict=False):
            if mine != first:
                break
            count += 1
        return count

    written = []
    for number, route in enumerate(routes, start=1):
        common = shared(route) if number > 1 else 0
        steps = route["steps"]
        written.append(
            {
                "title": render.route_title(number, route),
                "same_as_first": _same_as_first(common, steps),
                "steps": [_step(page, step) for step in steps[common:]],
            }
        )
    return {
        "names": ", ".join(n.lower() + "s" for n in names),
        "routes": written,
        "note": roadmap["note"],
        "seats": [
            (kind[0].upper() + kind[1:], [render.seat_line(s) for s in seats])
            for kind, seats in render.seat_groups(roadmap["seats"])
        ]
        if roadmap["seats"]
        else [],
        "excluded": [render.excluded_line(e, "registration=") for e in roadmap["excluded"]],
        "choices": roadmap["other_choices"],
        # Set by _once_each: the section whose list this one's repeats.
        "seats_as": "",
        "excluded_as": "",
        "choices_as": "",
    }


def _other_choices(
    loaded: LoadedGraph,
    index: GraphIndex,
    role: Role,
    profession: str,
    roadmap: dict[str, Any],
) -> list[str]:
    """The top route under each leadership-function preference, and the route a registration
    opens to a reserved seat: what the command line's --prefer and --registration (the API's
    prefer= and registration=) would show, in one line each."""
    if not roadmap["routes"]:
        return []
    lines = []
    for name, function in sorted(function_names(index).items()):
        preferred = build_roadmap(
            loaded,
            RoadmapRequest(start=role.iri, profession=profession, prefer=name, k=1),
        ).as_dict()
        if preferred["routes"]:
            route = preferred["routes"][0]
            chain = " > ".join(step["to"]["label"] for step in route["steps"])
            lines.append(
                f"Preferring {index.functions[function].lower()}: {chain} "
                f"({render.total_text(route)})"
            )
    for entry in roadmap["excluded"]:
        for code in entry.get("opened_by", []):
            opened = build_roadmap(
                loaded,
                RoadmapRequest(
                    start=role.iri,
                    profession=profession,
                    registrations=(code,),
                    target=PPID + entry["id"],
                    k=1,
                ),
            ).as_dict()
            if opened["routes"]:
                route = opened["routes"][0]
                chain = " > ".join(step["to"]["label"] for step in route["steps"])
                lines.append(
                    f"With {code.upper()} registration besides your profession's: "
                    f"{chain} ({render.total_text(route)})"
                )
    return lines


def _without_profession(roadmap: dict[str, Any]) -> dict[str, Any]:
    """A roadmap without the person's profession, where the page does not show it, so that the
    professions whose roadmaps are the same share one section."""
    roadmap.pop("profession")
    for route in roadmap["routes"]:
        for step in route["steps"]:
            if not step["retraining"]:
                step.pop("profession")
    return roadmap


def role_pages(loaded: LoadedGraph, index: GraphIndex, role: Role) -> list[Page]:
    """A role's page, and its roadmaps as Markdown and CSV files to download beside it."""
    page, roadmaps = _role_page(loaded, index, role)
    named = [
        dict(roadmap, profession={"id": "", "label": ", ".join(names)})
        for names, roadmap in roadmaps
    ]
    # The engine's tables for the page's own form: a board role's page can still aim higher.
    plan = [Page(personal.plan_path(role), personal.plan_script(index, role))]
    if not role.professions:
        plan = []
    if not any(r["routes"] for r in named):
        return [page, *plan]  # a board role: nothing to take away
    stem = page.path.removesuffix(".html")
    markdown = "\n".join(render.roadmap_markdown(r) for r in named)
    csv_text = "".join(
        _csv_with_section(render.roadmap_csv(r), r["profession"]["label"], first=n == 0)
        for n, r in enumerate(named)
    )
    return [page, *plan, Page(f"{stem}.md", markdown), Page(f"{stem}.csv", csv_text)]


def _csv_with_section(text: str, names: str, first: bool) -> str:
    """The CSV of one roadmap with a first column naming the professions it is for; the header
    row only once."""
    lines = text.splitlines()
    header, body = lines[0], lines[1:]
    quoted = '"' + names.replace('"', '""') + '"'
    out = [f"professions,{header}"] if first else []
    out += [f"{quoted},{line}" for line in body]
    return "\n".join(out) + ("\n" if out else "")


def _once_each(sections: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write each step card once per page: a card repeated exactly (the same step, advice and
    programmes in another route or another profession's roadmap; a third of all cards) is
    replaced by a line pointing to the first. The PWP's and the CBT therapist's roadmaps from a
    shared role are the same for most steps."""
    written: dict[str, tuple[str, str]] = {}
    lists: dict[tuple[str, str], str] = {}
    out = []
    for section in sections:
        # The seats, the seats left out and the other choices are the same for most of the
        # professions that share a role (a head of psychological therapies' twelve): written
        # once, then named.
        for name in ("seats", "excluded", "choices"):
            if not section[name]:
                continue
            shown = (name, json.dumps(section[name]))
            if shown in lists:
                section[name + "_as"] = lists[shown]
                section[name] = []
            else:
                lists[shown] = section["names"]
        for route in section["routes"]:
            for step in route["steps"]:
                key = json.dumps(step, sort_keys=True)
                if key in written:
                    step["repeat_of"], step["repeat_in"] = written[key]
                else:
                    step["anchor"] = f"step-{len(written) + 1}"
                    written[key] = (step["anchor"], section["names"])
        out.append(section)
    return out


def _start_here(
    page: str, roadmaps: list[tuple[list[str], dict[str, Any]]]
) -> dict[str, Any] | None:
    """The first step of the best route, its first programme and its priority gaps: what a
    practitioner reads first (the whole roadmap follows). None where there is no route."""
    for names, roadmap in roadmaps:
        if roadmap["routes"]:
            step = roadmap["routes"][0]["steps"][0]
            card = _step(page, step)
            return {
                "for": ", ".join(n.lower() + "s" for n in names) if len(roadmaps) > 1 else "",
                "link": card["link"],
                "label": card["label"],
                "heading": card["heading"],
                "programme": card["programmes"][0] if card["programmes"] else None,
                "gaps": card["gaps"],
                "no_gaps": card["no_gaps"],
            }
    return None


def _arrivals(page: str, index: GraphIndex, role: Role) -> list[dict[str, str]]:
    """How people get to ``role``: each progression into it, with its kind and years as the
    roadmaps say them. A board or national role's page was a dead end without this."""
    arrivals = []
    for edge in index.edges.values():
        if edge.target != role.iri or edge.source not in index.roles:
            continue
        source = index.roles[edge.source]
        years = render.years_text(
            edge.years, "source" if edge.years_source else "estimate", edge.years_minimum
        )
        arrivals.append(
            {
                "url": _relative(page, role_path(source.iri)),
                "label": source.label,
                "detail": f"{kind_name(index, edge)} after {years}",
                "key": f"{source.tier_rank:02d}{source.label}",
            }
        )
    return sorted(arrivals, key=lambda a: a["key"])


def _requirements(index: GraphIndex, role: Role) -> list[tuple[str, str]]:
    """The level the role needs in each competency that it names, highest first."""
    needs = index.requirements.get(role.iri, {})
    ranked = sorted(needs.items(), key=lambda item: (-item[1], index.competencies.get(item[0], "")))
    return [(index.competencies.get(c, c), index.level_label(rank)) for c, rank in ranked if rank]


def _how_to_develop(
    roadmaps: list[tuple[list[str], dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Each priority gap's competency on the page, once, with the ways the engine advises to
    develop it; the step cards' gap tables link here."""
    ways: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for _, roadmap in roadmaps:
        for route in roadmap["routes"]:
            for step in route["steps"]:
                for gap in step["gaps"]:
                    if not gap["priority"]:
                        continue
                    develop = gap.get("develop") or {}
                    way = (develop.get("label", "on-the-job experience"), develop.get("how", ""))
                    _, known = ways.setdefault(
                        gap["competency"]["id"], (gap["competency"]["label"], [])
                    )
                    if way not in known:
                        known.append(way)
    return [
        {"anchor": "how-" + key, "competency": label, "ways": known}
        for key, (label, known) in sorted(ways.items(), key=lambda item: item[1][0])
    ]


def _next_roles(index: GraphIndex, role: Role) -> list[Role]:
    """The roles one progression leads to from ``role``: its own ladder's next rung first,
    then by tier."""
    targets = {e.target for e in index.edges.values() if e.source == role.iri}
    return sorted(
        (index.roles[t] for t in targets),
        key=lambda r: (not (r.ladder_of & role.ladder_of), r.tier_rank, r.label),
    )


def _compare_url(page: str, roles: list[Role]) -> str:
    query = "&".join(f"role={short_id(r.iri)}" for r in roles)
    return _relative(page, "compare.html") + "?" + query


def _role_page(
    loaded: LoadedGraph, index: GraphIndex, role: Role
) -> tuple[Page, list[tuple[list[str], dict[str, Any]]]]:
    page = role_path(role.iri)
    roadmaps: list[tuple[list[str], dict[str, Any]]] = []
    for profession in sorted(role.professions, key=lambda p: index.professions[p]):
        try:
            built = build_roadmap(
                loaded,
                RoadmapRequest(
                    start=role.iri, profession=profession, positive_action=("minority-ethnic",)
                ),
            )
        except RoadmapError:
            continue
        result = _without_profession(built.as_dict())
        result["other_choices"] = _other_choices(loaded, index, role, profession, result)
        for names, existing in roadmaps:
            if existing == result:
                names.append(index.professions[profession])
                break
        else:
            roadmaps.append(([index.professions[profession]], result))
    on_route: set[str] = {role.iri}
    best: set[tuple[str, str]] = set()
    others: set[tuple[str, str]] = set()
    for position, (_, roadmap) in enumerate(roadmaps):
        for number, route in enumerate(roadmap["routes"]):
            for step in route["steps"]:
                edge = (index_iri(step["from"]["id"]), index_iri(step["to"]["id"]))
                on_route.update(edge)
                (best if position == 0 and number == 0 else others).add(edge)
    others -= best

    def edge_style(source: str, target: str) -> dict[str, Any]:
        if (source, target) in best:
            return {"color": BEST, "width": 4}
        return {"color": FADED, "width": 1, "dashes": True}

    def node_style(node: Role) -> dict[str, Any]:
        if node.iri == role.iri:
            return {"borderWidth": 3, "font": {"size": 16, "bold": True}}
        on_best = any(node.iri in edge for edge in best)
        if on_best:
            return {}
        # Off the best route: a pale box in the tier's colour, with the label still black
        # (an opacity would fade the label too, below a readable contrast).
        tier = TIER_COLOURS.get(node.tier_rank, "#999999")
        return {"color": {"background": "#F2F2F2", "border": tier}, "borderWidth": 2}

    graph = _network(
        index, [index.roles[i] for i in on_route], best | others, page, edge_style, node_style
    )
    graph["focus"] = short_id(role.iri)
    closed_reason = ""
    if not roadmaps:
        closed_reason = "requires registration on the " + " or the ".join(
            sorted(role.registers.values())
        )
    professions = [
        {"url": _relative(page, profession_path(p)), "label": index.professions[p]}
        for p in sorted(role.professions, key=lambda p: index.professions[p])
    ]
    text = _render(
        "role.html",
        page,
        role.label,
        graph,
        role={
            "label": role.label,
            "tier": role.tier_label,
            "bands": render.bands_text(role.bands, role.bands_basis),
            "professions": professions,
            # An assistant psychologist, a CAP or an MHWP is held before a profession's training,
            # not by its members: "Open to: Clinical psychologist" would say the opposite.
            "pre_entry": bool(role.pre_entry_to),
        },
        key=render.LEGEND,
        tiers=_tiers((index.roles[i].tier_rank for i in on_route), index),
        sections=_once_each(_section(page, names, roadmap) for names, roadmap in roadmaps),
        closed_reason=closed_reason,
        compare_url=_compare_url(page, [role, *_next_roles(index, role)[:1]]),
        develop=_how_to_develop(roadmaps),
        start_here=_start_here(page, roadmaps),
        personal=personal.form(index, role),
        arrivals=_arrivals(page, index, role),
        requires=_requirements(index, role),
        downloads={"markdown": short_id(role.iri) + ".md", "csv": short_id(role.iri) + ".csv"}
        if any(roadmap["routes"] for _, roadmap in roadmaps)
        else None,
    )
    return Page(page, text), roadmaps


def index_iri(identifier: str) -> str:
    return PPID + identifier


def vis_network_source() -> Path:
    """The vis-network script shipped inside pyvis (no download)."""
    root = resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return Path(str(root))


def vis_network_style() -> str:
    """The rules of vis-network's own style sheet (shipped inside pyvis) that the pages use:
    the tooltip's. Without them the tooltip div has no position and is clipped out of sight.
    The rest (220 KB, mostly images for the editing and navigation buttons the pages do not
    show) would put a role page over its 600 KB budget."""
    sheet = resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.css"
    rules = re.findall(r"[^{}]+\{[^{}]*\}", sheet.read_text(encoding="utf-8"))
    kept = [rule.strip() for rule in rules if "vis-tooltip" in rule.partition("{")[0]]
    if not kept:
        raise RuntimeError(f"{sheet} has no vis-tooltip rule: the pyvis package changed")
    return "\n".join(kept) + "\n"


def build_pages(loaded: LoadedGraph) -> list[Page]:
    index = index_of(loaded)
    pages = [index_page(index), overview_page(index), compare_page(index)]
    pages += [
        Page(offer["path"], _render("offer.html", offer["path"], offer["label"], offer=offer))
        for offer in offer_contexts(loaded, index)
    ]
    pages += [profession_page(index, p) for p in sorted(index.professions)]
    for role in index.roles.values():
        pages += role_pages(loaded, index, role)
    return pages


def write_site(
    loaded: LoadedGraph, out: Path, progress: Callable[[int, int], None] | None = None
) -> list[Path]:
    """Write every page and the one vis-network copy under ``out``; return the files written."""
    pages = build_pages(loaded)
    written = []
    for number, page in enumerate(pages, start=1):
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")
        written.append(target)
        if progress:
            progress(number, len(pages))
    script = out / VIS_SCRIPT
    script.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(vis_network_source(), script)
    sheet = out / STYLE_SHEET
    style = resources.files("pathways.site") / "templates" / "pathways.css"
    sheet.write_text(style.read_text(encoding="utf-8"), encoding="utf-8")
    behaviour = out / SCRIPT
    behaviour.write_text(personal.compact_script("pathways.js"), encoding="utf-8")
    scripts = [out / personal.SCRIPT, out / personal.ENGINE]
    for path in scripts:
        path.write_text(personal.compact_script(path.name), encoding="utf-8")
    vis_sheet = out / VIS_STYLE
    vis_sheet.write_text(vis_network_style(), encoding="utf-8")
    icon = out / FAVICON
    icon.write_text(FAVICON_SVG, encoding="utf-8")
    written += [script, sheet, behaviour, *scripts, vis_sheet, icon]
    return written
