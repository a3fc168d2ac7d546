"""The static site: interactive pathway graphs (pyvis data, vis-network drawing) for practitioners.

Pages open from the file system or from the server with no network: every page references the
one copy of vis-network in ``lib/`` and its own inline data; nothing is fetched. The output is
deterministic (sorted data, no timestamps), so a rebuild of the same graph is byte-identical.
pyvis builds the node and edge records; the HTML comes from this module's own template, because
pyvis's templates load Bootstrap and other assets from CDNs.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pyvis.network import Network

from pathways.careers import render
from pathways.careers.index import GraphIndex, Role, index_of, short_id
from pathways.careers.resolve import function_names
from pathways.careers.roadmap import RoadmapError, RoadmapRequest, build_roadmap
from pathways.graph.loader import LoadedGraph
from pathways.graph.resources import PPID

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies; the legend
# also names each tier, so colour is never the only cue.
TIER_COLOURS = {1: "#56B4E9", 2: "#009E73", 3: "#F0E442", 4: "#E69F00", 5: "#D55E00", 6: "#CC79A7"}
FADED = "#d0d0d0"
BEST = "#0072B2"
VIS_SCRIPT = "lib/vis-network.min.js"
STYLE_SHEET = "lib/pathways.css"

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a}
header,main,footer{padding:0 1.5rem}
header{background:#003087;color:#fff;padding-top:.6rem;padding-bottom:.6rem}
header a{color:#fff}
nav.crumbs a{margin-right:.8rem}
.layout{display:flex;gap:1.5rem;align-items:flex-start;flex-wrap:wrap}
#network{flex:2 1 560px;height:640px;border:1px solid #bbb;background:#fff}
.side{flex:1 1 320px;max-width:620px}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.6rem}
.legend li{display:flex;align-items:center;gap:.35rem}
.swatch{display:inline-block;width:1rem;height:1rem;border:1px solid #333;border-radius:50%}
.step{border-left:4px solid #0072B2;padding:.2rem .8rem;margin:.8rem 0}
.muted{color:#555}
input[type=search]{font-size:1rem;padding:.4rem;width:min(32rem,90%)}
ul.columns{columns:18rem}
"""


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
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        "smooth": {"enabled": True, "type": "cubicBezier"},
    },
    "nodes": {"font": {"size": 14}, "widthConstraint": {"maximum": 170}},
}

_SCRIPT = """
var data = JSON.parse(document.getElementById("graph-data").textContent);
var container = document.getElementById("network");
var nodes = new vis.DataSet(data.nodes);
var edges = new vis.DataSet(data.edges);
var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
network.once("afterDrawing", function () { container.setAttribute("data-drawn", "true"); });
network.on("click", function (params) {
  if (params.nodes.length) {
    var node = nodes.get(params.nodes[0]);
    if (node && node.url) { window.location.href = node.url; }
  }
});
window.pathwaysNetwork = {network: network, nodes: nodes, edges: edges};
"""


def _document(page: str, title: str, body: str, graph: dict[str, Any] | None = None) -> str:
    script = ""
    if graph is not None:
        payload = json.dumps({"options": _OPTIONS} | graph, sort_keys=True, ensure_ascii=False)
        payload = payload.replace("</", "<\\/")
        script = (
            f'<script src="{_relative(page, VIS_SCRIPT)}"></script>\n'
            f'<script type="application/json" id="graph-data">{payload}</script>\n'
            f"<script>{_SCRIPT}</script>"
        )
    home = _relative(page, "index.html")
    overview = _relative(page, "overview.html")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - Psychological professions leadership pathways</title>
<link rel="stylesheet" href="{_relative(page, STYLE_SHEET)}">
</head>
<body>
<header><nav class="crumbs" aria-label="Site"><a href="{home}">Pathways home</a>
<a href="{overview}">Overview of all roles</a></nav></header>
<main>
{body}
</main>
<footer><p class="muted">Built from the psychological professions leadership pathways
knowledge graph. Sources: the paper on leadership and management in the psychological
professions, NHS Employers pay tables, the Healthcare Leadership Model and the NHS Leadership
Academy programmes.</p></footer>
{script}
</body>
</html>
"""


def _legend(ranks: Iterable[int], labels: dict[int, str]) -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{TIER_COLOURS[r]}" aria-hidden="true">'
        f"</span>{html.escape(labels[r])}</li>"
        for r in sorted(set(ranks))
        if r in TIER_COLOURS
    )
    return f'<h2>Legend</h2><ul class="legend" aria-label="Tier colours">{items}</ul>'


def _tier_labels(index: GraphIndex) -> dict[int, str]:
    return {role.tier_rank: role.tier_label for role in index.roles.values()}


def _graph_section(label: str, side: str) -> str:
    return (
        f'<div class="layout"><div id="network" role="img" aria-label="{html.escape(label)}">'
        f'</div><section class="side">{side}</section></div>'
    )


def index_page(index: GraphIndex) -> Page:
    page = "index.html"
    professions = "".join(
        f'<li><a href="{profession_path(iri)}">{html.escape(label)}</a></li>'
        for iri, label in sorted(index.professions.items(), key=lambda item: item[1])
    )
    by_tier: dict[int, list[Role]] = {}
    for role in index.roles.values():
        by_tier.setdefault(role.tier_rank, []).append(role)
    labels = _tier_labels(index)
    tiers = "".join(
        f"<h3>{html.escape(labels[rank])}</h3><ul class='columns'>"
        + "".join(
            f'<li><a href="{role_path(r.iri)}">{html.escape(r.label)}</a></li>'
            for r in sorted(by_tier[rank], key=lambda r: r.label)
        )
        + "</ul>"
        for rank in sorted(by_tier, reverse=True)
    )
    search = json.dumps(
        sorted(
            (
                {"label": r.label, "url": role_path(r.iri), "tier": r.tier_label}
                for r in index.roles.values()
            ),
            key=lambda item: item["label"],
        ),
        ensure_ascii=False,
    ).replace("</", "<\\/")
    body = f"""<h1>Leadership pathways in the 12 NHS psychological professions</h1>
<p>From the role you hold today: the routes to board level, and what to develop and attend at each
step. Choose your profession to see its roles by leadership tier, or find a role to see its
roadmap.</p>
<h2>Find a role</h2>
<label for="search">Role name</label><br>
<input type="search" id="search" placeholder="for example: senior PWP" autocomplete="off">
<ul id="results" aria-live="polite"></ul>
<h2>The 12 professions</h2>
<ul class="columns">{professions}</ul>
<p><a href="overview.html">Overview of every role and progression</a></p>
<h2>Every role, by tier</h2>
{tiers}
<script type="application/json" id="role-index">{search}</script>
<script>
var roles = JSON.parse(document.getElementById("role-index").textContent);
var input = document.getElementById("search");
var list = document.getElementById("results");
input.addEventListener("input", function () {{
  var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
  list.innerHTML = "";
  if (!words.length) {{ return; }}
  roles.filter(function (r) {{
    var label = r.label.toLowerCase();
    return words.every(function (w) {{ return label.indexOf(w) >= 0; }});
  }}).slice(0, 20).forEach(function (r) {{
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = r.url; link.textContent = r.label + " (" + r.tier + ")";
    item.appendChild(link); list.appendChild(item);
  }});
}});
</script>"""
    return Page(page, _document(page, "Home", body))


def overview_page(index: GraphIndex) -> Page:
    page = "overview.html"
    edges = {(e.source, e.target) for e in index.edges.values()}
    graph = _network(index, index.roles.values(), edges, page)
    # Thirty practitioner roles side by side make a wide, flat picture: taller tiers keep its
    # shape readable at the zoom that fits it on screen (readers zoom in to read labels).
    graph["options"] = json.loads(json.dumps(_OPTIONS))
    graph["options"]["layout"]["hierarchical"] |= {"levelSeparation": 320, "nodeSpacing": 175}
    side = (
        f"<h1>Every role and progression</h1><p>{len(index.roles)} roles and {len(edges)} "
        "progressions, laid out by leadership tier: practitioners at the bottom, board and "
        "national roles at the top. Click a role to open its roadmap.</p>"
        + _legend((r.tier_rank for r in index.roles.values()), _tier_labels(index))
    )
    return Page(page, _document(page, "Overview", _graph_section("All roles", side), graph))


def profession_page(index: GraphIndex, profession: str) -> Page:
    page = profession_path(profession)
    label = index.professions[profession]
    open_roles = [r for r in index.roles.values() if profession in r.professions]
    iris = {r.iri for r in open_roles}
    edges = {
        (e.source, e.target) for e in index.edges.values() if e.source in iris and e.target in iris
    }
    own = sorted((r for r in open_roles if profession in r.ladder_of), key=lambda r: r.tier_rank)
    shared = sorted(
        (r for r in open_roles if profession not in r.ladder_of),
        key=lambda r: (r.tier_rank, r.label),
    )
    listing = "".join(
        f'<li><a href="{_relative(page, role_path(r.iri))}">{html.escape(r.label)}</a> '
        f'<span class="muted">({html.escape(r.tier_label)}, '
        f"{html.escape(render.bands_text(r.bands, r.bands_basis))})</span></li>"
        for r in own
    )
    shared_listing = "".join(
        f'<li><a href="{_relative(page, role_path(r.iri))}">{html.escape(r.label)}</a> '
        f'<span class="muted">({html.escape(r.tier_label)})</span></li>'
        for r in shared
    )
    side = (
        f"<h1>{html.escape(label)}</h1><p>{len(open_roles)} roles are open to "
        f"{html.escape(label.lower())}s, {len(edges)} progressions between them. Click a role to "
        "open its roadmap.</p>"
        + _legend((r.tier_rank for r in open_roles), _tier_labels(index))
        + f"<h2>The profession's own ladder</h2><ul>{listing}</ul>"
        + f"<h2>Roles shared with other professions</h2><ul>{shared_listing}</ul>"
    )
    graph = _network(index, open_roles, edges, page)
    return Page(page, _document(page, label, _graph_section(f"Roles open to {label}", side), graph))


def _list(items: Iterable[str]) -> str:
    return "".join(f"<li>{html.escape(item)}</li>" for item in items)


def _step_html(page: str, step: dict[str, Any]) -> str:
    to = step["to"]
    link = _relative(page, "roles/" + to["id"] + ".html")
    heading = render.step_heading(step).removeprefix(to["label"])
    lines = [
        f'<div class="step" data-kind="{html.escape(step["kind"])}"><p><strong>'
        f'<a href="{link}">{html.escape(to["label"])}</a></strong>{html.escape(heading)}</p>'
    ]
    if step.get("retraining"):
        retraining = step["retraining"]
        lines.append(
            f"<p>Qualification: {html.escape(retraining['qualification'])}<br>"
            f"Funding: {html.escape(retraining['funding'])}</p>"
        )
    priorities = render.priority_lines(step)
    lines.append(
        "<p>Develop first:</p><ul class='priority'>" + _list(priorities) + "</ul>"
        if priorities
        else f"<p>Develop first: {html.escape(render.no_gaps_text(step))}.</p>"
    )
    for line in render.penalty_lines(step):
        lines.append(f"<p class='muted'>Ranking: {html.escape(line)}</p>")
    others = render.other_gaps(step)
    if others:
        lines.append(f"<p class='muted'>Other gaps: {html.escape(', '.join(others))}</p>")
    if step["strengths"]:
        strengths = ", ".join(render.strength_names(step))
        lines.append(f"<p>Strengths to evidence: {html.escape(strengths)}</p>")
    programmes = ", ".join(
        p["label"] + (" (the paper's own pairing for this step)" if p.get("recommended") else "")
        for p in step["programmes"]
    )
    lines.append(f"<p>Programmes: {html.escape(programmes or 'none listed')}</p>")
    if step["positive_action"]:
        names = ", ".join(p["label"] for p in step["positive_action"])
        lines.append(f"<p>Positive-action options: {html.escape(names)}</p>")
    if step.get("positive_action_note"):
        lines.append(f"<p class='muted'>{html.escape(step['positive_action_note'])}</p>")
    if step["support"]:
        names = ", ".join(s["label"] for s in step["support"])
        lines.append(f"<p>Support: {html.escape(names)}</p>")
    if step["conditions"]:
        lines.append(f"<p>Conditions: {html.escape(render.conditions_text(step))}</p>")
    return "".join(lines) + "</div>"


def _steps_html(page: str, roadmap: dict[str, Any]) -> str:
    parts = []
    for number, route in enumerate(roadmap["routes"], start=1):
        parts.append(f"<h3>{html.escape(render.route_title(number, route))}</h3>")
        parts += [_step_html(page, step) for step in route["steps"]]
    if roadmap["note"]:
        parts.append(f"<p>{html.escape(roadmap['note'])}</p>")
    if roadmap["seats"]:
        parts.append("<h3>Best route to each seat</h3>")
        for kind, seats in render.seat_groups(roadmap["seats"]):
            parts.append(
                f"<p>{html.escape(kind[0].upper() + kind[1:])}:</p><ul class='seats'>"
                + _list(render.seat_line(s) for s in seats)
                + "</ul>"
            )
    if roadmap["excluded"]:
        parts.append(
            "<h3>Seats left out, and why</h3><ul>"
            + _list(render.excluded_line(e, "registration=") for e in roadmap["excluded"])
            + "</ul>"
        )
    return "".join(parts)


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


def _other_choices_html(lines: list[str]) -> str:
    if not lines:
        return ""
    return (
        "<h3>Other choices</h3><p class='muted'>The top route when you prefer a leadership "
        "function, or hold a registration that opens a reserved seat (--prefer and "
        "--registration on the command line, prefer= and registration= in the API):</p>"
        f"<ul class='choices'>{_list(lines)}</ul>"
    )


def _without_profession(roadmap: dict[str, Any]) -> dict[str, Any]:
    """A roadmap without the person's profession, where the page does not show it, so that the
    professions whose roadmaps are the same share one section."""
    roadmap.pop("profession")
    for route in roadmap["routes"]:
        for step in route["steps"]:
            if not step["retraining"]:
                step.pop("profession")
    return roadmap


def role_page(loaded: LoadedGraph, index: GraphIndex, role: Role) -> Page:
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
        return {} if on_best else {"opacity": 0.55}

    graph = _network(
        index, [index.roles[i] for i in on_route], best | others, page, edge_style, node_style
    )
    text = []
    for names, roadmap in roadmaps:
        heading = "For " + ", ".join(html.escape(n.lower()) + "s" for n in names)
        text.append(
            f"<h2>{heading}</h2>"
            + _steps_html(page, roadmap)
            + _other_choices_html(roadmap["other_choices"])
        )
    if not roadmaps:
        reason = "requires registration on the " + " or the ".join(sorted(role.registers.values()))
        text.append(
            f"<p>This seat is open to no psychological profession: it {html.escape(reason)}.</p>"
        )
    professions = (
        ", ".join(
            f'<a href="{_relative(page, profession_path(p))}">'
            f"{html.escape(index.professions[p])}</a>"
            for p in sorted(role.professions, key=lambda p: index.professions[p])
        )
        or "none"
    )
    side = (
        f"<h1>{html.escape(role.label)}</h1>"
        f"<p>{html.escape(role.tier_label)}, "
        f"{html.escape(render.bands_text(role.bands, role.bands_basis))}. Open to: "
        f"{professions}.</p>"
        f"<p>{html.escape(render.LEGEND)}</p>"
        "<p>The best route is drawn solid blue; other good routes are dashed grey. "
        "Positive-action programmes are shown for minority ethnic staff where eligible.</p>"
        + _legend((index.roles[i].tier_rank for i in on_route), _tier_labels(index))
        + "<h2>Roadmap to board level</h2>"
        + "".join(text)
    )
    return Page(
        page,
        _document(
            page,
            role.label,
            _graph_section(f"Routes from {role.label} to board level", side),
            graph,
        ),
    )


def index_iri(identifier: str) -> str:
    return PPID + identifier


def vis_network_source() -> Path:
    """The vis-network script shipped inside pyvis (no download)."""
    root = resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return Path(str(root))


def build_pages(loaded: LoadedGraph) -> list[Page]:
    index = index_of(loaded)
    pages = [index_page(index), overview_page(index)]
    pages += [profession_page(index, p) for p in sorted(index.professions)]
    pages += [role_page(loaded, index, role) for role in index.roles.values()]
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
    sheet.write_text(STYLE.lstrip(), encoding="utf-8")
    written += [script, sheet]
    return written
