"""What every page shares: where the pages and the shared library live, the tier colours, the
graph's data (pyvis builds the node and edge records; vis-network draws them), and the Jinja2
templates (``templates/``: one base layout, a template per kind of page, macros for the parts
they share), with autoescaping on, because pyvis's own templates load Bootstrap and other
assets from CDNs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from pathways import __version__
from pathways.careers import render
from pathways.careers.index import GraphIndex, Role, short_id
from pathways.graph.resources import PPID

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies; the legend
# also names each tier, so colour is never the only cue.
TIER_COLOURS = {1: "#56B4E9", 2: "#009E73", 3: "#F0E442", 4: "#E69F00", 5: "#D55E00", 6: "#CC79A7"}
# Alternative routes are dashed: at 4.5:1 on white they stay visible (#d0d0d0 was 1.5:1).
FADED = "#767676"
BEST = "#0072B2"


@dataclass(frozen=True)
class Page:
    path: str  # relative to the site root, with "/" separators
    text: str


def role_path(iri: str) -> str:
    return f"roles/{short_id(iri)}.html"


def profession_path(iri: str) -> str:
    return f"professions/{short_id(iri)}.html"


def relative(from_page: str, target: str) -> str:
    depth = from_page.count("/")
    return "../" * depth + target


def tooltip(index: GraphIndex, role: Role) -> str:
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


def network(
    index: GraphIndex,
    roles: Iterable[Role],
    edges: Iterable[tuple[str, str]],
    page: str,
    edge_style: Callable[[str, str], dict[str, Any]] | None = None,
    node_style: Callable[[Role], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    # Imported here, not with the module: pyvis brings networkx (0.19 s), and a server builds
    # its pages on demand, so it need not pay for them before its first answer.
    from pyvis.network import Network

    net = Network(directed=True)
    for role in sorted(roles, key=lambda r: r.iri):
        style = {"color": TIER_COLOURS.get(role.tier_rank, "#999999")}
        if node_style:
            style |= node_style(role)
        net.add_node(
            short_id(role.iri),
            label=role.label,
            title=tooltip(index, role),
            level=role.tier_rank,
            shape="box",
            url=relative(page, role_path(role.iri)),
            **style,
        )
    for source, target in sorted(edges):
        style = edge_style(source, target) if edge_style else {}
        net.add_edge(short_id(source), short_id(target), **style)
    nodes, links, *_ = net.get_network_data()
    return {"nodes": nodes, "edges": links}


GRAPH_OPTIONS = {
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

TEMPLATES = Environment(
    loader=PackageLoader("pathways.site", "templates"),
    autoescape=True,
    keep_trailing_newline=True,
    undefined=StrictUndefined,
)


def json_for_script(value: Any, **options: Any) -> Markup:
    """JSON to sit inside a <script> element: "</" is written "<\\/" so no text in it can
    close the element; it is data, not HTML, so it is not escaped further."""
    return Markup(json.dumps(value, ensure_ascii=False, **options).replace("</", "<\\/"))


def render_page(
    template: str, page: str, title: str, graph: dict[str, Any] | None = None, **context: Any
) -> str:
    payload = None
    if graph is not None:
        payload = json_for_script({"options": GRAPH_OPTIONS} | graph, sort_keys=True)
    return TEMPLATES.get_template(template).render(
        root="../" * page.count("/"), title=title, graph=payload, version=__version__, **context
    )


def tier_legend(ranks: Iterable[int], index: GraphIndex) -> list[tuple[str, str]]:
    """The legend's entries: (colour, tier label) for each tier drawn, lowest first."""
    labels = tier_labels(index)
    return [(TIER_COLOURS[r], labels[r]) for r in sorted(set(ranks)) if r in TIER_COLOURS]


def tier_labels(index: GraphIndex) -> dict[int, str]:
    # Remembered per graph: every role page's legend asks, and a scan of every role per page
    # grew the site with the square of the graph.
    key = ("tier-labels",)
    if key not in index.memo:
        index.memo[key] = {role.tier_rank: role.tier_label for role in index.roles.values()}
    labels: dict[int, str] = index.memo[key]
    return labels


def index_iri(identifier: str) -> str:
    return PPID + identifier


def compare_url(page: str, roles: list[Role]) -> str:
    query = "&".join(f"role={short_id(r.iri)}" for r in roles)
    return relative(page, "compare.html") + "?" + query
