"""A role's page: its roadmaps for each profession that holds it (written once where they are
the same), the start-here box, the steps, the seats, how people get to the role and what it
requires, the self-assessment form; and the roadmap as Markdown and CSV beside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pathways.careers import render
from pathways.careers.index import GraphIndex, Role, short_id
from pathways.careers.resolve import function_names
from pathways.careers.roadmap import RoadmapError, RoadmapRequest, build_roadmap
from pathways.careers.steps import kind_name
from pathways.graph.loader import LoadedGraph
from pathways.graph.resources import PPID
from pathways.graph.void import graph_version
from pathways.site import personal
from pathways.site.markup import (
    BEST,
    FADED,
    TIER_COLOURS,
    Page,
    compare_url,
    index_iri,
    network,
    profession_path,
    relative,
    render_page,
    role_path,
    tier_legend,
)
from pathways.site.offers import offer_path


def _step(page: str, step: dict[str, Any]) -> dict[str, Any]:
    """What a step card shows, as text: the template marks it up."""
    to = step["to"]

    def offers(items: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [
            {
                "url": relative(page, offer_path(PPID + item["id"])),
                "label": item["label"],
                "note": " (the paper's own pairing for this step)"
                if item.get("recommended")
                else "",
            }
            for item in items
        ]

    return {
        "kind": step["kind"],
        "link": relative(page, "roles/" + to["id"] + ".html"),
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
        "excluded_more": render.excluded_more_line(roadmap, "registration="),
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
    # One roadmap per registration, whose seats give the best route to each seat it opens: a
    # roadmap per reserved seat made the site's cost grow with the square of a graph that holds
    # many trusts' medical directors.
    seats_opened: dict[str, dict[str, Any]] = {}
    for entry in roadmap["excluded"]:
        for code in entry.get("opened_by", []):
            if code not in seats_opened:
                opened = build_roadmap(
                    loaded,
                    RoadmapRequest(
                        start=role.iri, profession=profession, registrations=(code,), k=1
                    ),
                ).as_dict()
                seats_opened[code] = {seat["id"]: seat["route"] for seat in opened["seats"]}
            route = seats_opened[code].get(entry["id"])
            if route is None:
                continue
            chain = " > ".join(step["to"]["label"] for step in route["steps"])
            lines.append(
                f"With {code.upper()} registration besides your profession's: {chain} "
                f"({render.total_text(route)})"
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
    # A download leaves the site: it says which release of the graph it was drawn from.
    release = graph_version(loaded) or "unreleased"
    markdown += f"\n---\n\nFrom release {release} of the pp-pathways graph.\n"
    csv_text = "".join(
        _csv_with_section(render.roadmap_csv(r), r["profession"]["label"], n == 0, release)
        for n, r in enumerate(named)
    )
    return [page, *plan, Page(f"{stem}.md", markdown), Page(f"{stem}.csv", csv_text)]


def _csv_with_section(text: str, names: str, first: bool, release: str) -> str:
    """The CSV of one roadmap with a first column naming the professions it is for and a last
    naming the graph's release; the header row only once."""
    lines = text.splitlines()
    header, body = lines[0], lines[1:]
    quoted = '"' + names.replace('"', '""') + '"'
    out = [f"professions,{header},graph_release"] if first else []
    out += [f"{quoted},{line},{release}" for line in body]
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
            shown = (name, json.dumps([section[name], section.get(name + "_more")]))
            if shown in lists:
                section[name + "_as"] = lists[shown]
                section[name] = []
                section[name + "_more"] = ""
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
    for edge in index.incoming.get(role.iri, ()):
        if edge.source not in index.roles:
            continue
        source = index.roles[edge.source]
        years = render.years_text(
            edge.years, "source" if edge.years_source else "estimate", edge.years_minimum
        )
        arrivals.append(
            {
                "url": relative(page, role_path(source.iri)),
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
    develop it; the step cards' gap tables link here. Advice that names "the programme listed
    for this step" says which steps, as the list gathers the whole page's."""
    ways: dict[str, tuple[str, dict[tuple[str, str], list[str]]]] = {}
    for _, roadmap in roadmaps:
        for route in roadmap["routes"]:
            for step in route["steps"]:
                for gap in step["gaps"]:
                    if not gap["priority"]:
                        continue
                    develop = gap.get("develop") or {}
                    way = (develop.get("label", "on-the-job experience"), develop.get("how", ""))
                    _, known = ways.setdefault(
                        gap["competency"]["id"], (gap["competency"]["label"], {})
                    )
                    steps = known.setdefault(way, [])
                    if step["to"]["label"] not in steps:
                        steps.append(step["to"]["label"])
    return [
        {
            "anchor": "how-" + key,
            "competency": label,
            "ways": [(mode, render.for_steps(how, steps)) for (mode, how), steps in known.items()],
        }
        for key, (label, known) in sorted(ways.items(), key=lambda item: item[1][0])
    ]


def _next_roles(index: GraphIndex, role: Role) -> list[Role]:
    """The roles one progression leads to from ``role``: its own ladder's next rung first,
    then by tier."""
    targets = {e.target for e in index.outgoing.get(role.iri, ())}
    return sorted(
        (index.roles[t] for t in targets),
        key=lambda r: (not (r.ladder_of & role.ladder_of), r.tier_rank, r.label),
    )


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

    graph = network(
        index, [index.roles[i] for i in on_route], best | others, page, edge_style, node_style
    )
    graph["focus"] = short_id(role.iri)
    closed_reason = ""
    if not roadmaps:
        closed_reason = "requires registration on the " + " or the ".join(
            sorted(role.registers.values())
        )
    professions = [
        {"url": relative(page, profession_path(p)), "label": index.professions[p]}
        for p in sorted(role.professions, key=lambda p: index.professions[p])
    ]
    text = render_page(
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
        tiers=tier_legend((index.roles[i].tier_rank for i in on_route), index),
        sections=_once_each(_section(page, names, roadmap) for names, roadmap in roadmaps),
        closed_reason=closed_reason,
        compare_url=compare_url(page, [role, *_next_roles(index, role)[:1]]),
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
