"""The static site: interactive pathway graphs (pyvis data, vis-network drawing) for practitioners.

Pages open from the file system or from the server with no network: every page references the
one copy of vis-network in ``lib/`` and its own inline data; nothing is fetched. The output is
deterministic (sorted data, no timestamps), so a rebuild of the same graph is byte-identical.
pyvis builds the node and edge records; the HTML comes from this package's own Jinja2 templates
(``templates/``: one base layout, a template per kind of page, macros for the parts they share),
with autoescaping on, because pyvis's templates load Bootstrap and other assets from CDNs. This
module gathers what the index, the overview, compare and the profession pages show, and writes
the site; ``role_page`` the role pages, ``offers`` the programme pages, ``equity_page`` the
routes by profession, ``markup`` what all share.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pathways.careers import render
from pathways.careers.compare import compared_role
from pathways.careers.index import GraphIndex, Role, index_of, short_id
from pathways.graph.loader import LoadedGraph
from pathways.site import personal
from pathways.site.equity_page import EQUITY_PATH, equity_page
from pathways.site.library import FAVICON, write_library
from pathways.site.markup import (
    GRAPH_OPTIONS,
    Page,
    compare_url,
    index_iri,
    json_for_script,
    network,
    profession_path,
    relative,
    render_page,
    role_path,
    tier_labels,
    tier_legend,
)
from pathways.site.offers import offer_contexts, offer_path
from pathways.site.role_page import role_pages

__all__ = ["FAVICON", "Page", "build_pages", "pages_at", "write_library", "write_site"]


def index_page(index: GraphIndex) -> Page:
    page = "index.html"
    professions = [
        {"url": profession_path(iri), "label": label}
        for iri, label in sorted(index.professions.items(), key=lambda item: item[1])
    ]
    by_tier: dict[int, list[Role]] = {}
    for role in index.roles.values():
        by_tier.setdefault(role.tier_rank, []).append(role)
    labels = tier_labels(index)
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
    search = json_for_script(search_entries(index))
    offers = [
        {"url": offer_path(o.iri), "label": o.label, "kind": o.kind}
        for o in sorted(index.offers.values(), key=lambda o: (o.kind, o.label))
    ]
    text = render_page(
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
    text = render_page(
        "compare.html",
        page,
        "Compare roles",
        choices=[{"id": short_id(r.iri), "label": r.label} for r in roles],
        data=json_for_script(data, sort_keys=True),
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
    graph = network(index, index.roles.values(), edges, page)
    # Thirty practitioner roles side by side make a wide, flat picture: taller tiers keep its
    # shape readable at the zoom that fits it on screen (readers zoom in to read labels).
    graph["options"] = json.loads(json.dumps(GRAPH_OPTIONS))
    graph["options"]["layout"]["hierarchical"] |= {"levelSeparation": 320, "nodeSpacing": 175}
    # Too large to read whole: the legible view starts at the hub most routes pass through.
    graph["focus"] = "role-head-of-psychological-therapies"
    text = render_page(
        "overview.html",
        page,
        "Overview",
        graph,
        roles=len(index.roles),
        progressions=len(edges),
        tiers=tier_legend((r.tier_rank for r in index.roles.values()), index),
        table=_overview_table(index, page),
    )
    return Page(page, text)


def _overview_table(index: GraphIndex, page: str) -> dict[str, Any]:
    """Every role as a link, by the profession whose own ladder it is a rung of (rows; roles on
    no ladder, or on several, in a last row) and by tier (columns, rising left to right as a
    career does). The graph of 89 roles cannot be read at the scale that fits it: this can, by
    keyboard and screen reader too."""
    labels = tier_labels(index)
    ranks = sorted({r.tier_rank for r in index.roles.values()})

    def row(header: dict[str, str], roles: list[Role]) -> dict[str, Any]:
        cells = [
            [
                {"url": relative(page, role_path(r.iri)), "label": r.label}
                for r in sorted(roles, key=lambda r: r.label)
                if r.tier_rank == rank
            ]
            for rank in ranks
        ]
        return {"header": header, "cells": cells}

    rows = [
        row(
            {"label": label, "url": relative(page, profession_path(iri))},
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
            "url": relative(page, role_path(role.iri)),
            "label": role.label,
            "tier": role.tier_label,
            "bands": render.bands_text(role.bands, role.bands_basis),
        }

    text = render_page(
        "profession.html",
        page,
        label,
        _profession_network(index, profession, open_roles, edges, page),
        label=label,
        open_roles=len(open_roles),
        progressions=len(edges),
        tiers=tier_legend((r.tier_rank for r in open_roles), index),
        own=[entry(r) for r in own],
        shared=[entry(r) for r in shared],
        compare_url=compare_url(page, rungs[:3]) if len(rungs) >= 2 else "",
        compare_action=relative(page, "compare.html"),
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

    graph = network(index, roles, edges, page, node_style=node_style)
    ladder = sorted((r for r in roles if profession in r.ladder_of), key=lambda r: r.tier_rank)
    if ladder:
        graph["focus"] = short_id(ladder[0].iri)
    return graph


def iter_pages(loaded: LoadedGraph) -> Iterator[Page]:
    """Every page, one at a time: a graph of many trusts' roles has tens of thousands, and
    holding them all before writing any took memory in proportion."""
    index = index_of(loaded)
    for build in _whole_pages(loaded, index).values():
        yield build()
    yield from _offer_pages(loaded, index)
    for p in sorted(index.professions):
        yield profession_page(index, p)
    for role in index.roles.values():
        yield from role_pages(loaded, index, role)
    yield Page(personal.SEATS_PATH, personal.seats_script(index))


def build_pages(loaded: LoadedGraph) -> list[Page]:
    return list(iter_pages(loaded))


def _offer_pages(loaded: LoadedGraph, index: GraphIndex) -> list[Page]:
    return [
        Page(offer["path"], render_page("offer.html", offer["path"], offer["label"], offer=offer))
        for offer in offer_contexts(loaded, index)
    ]


def _whole_pages(loaded: LoadedGraph, index: GraphIndex) -> dict[str, Callable[[], Page]]:
    """The pages of the whole graph, one each, by path: what ``iter_pages`` writes first and
    ``pages_at`` serves by name, so the two cannot disagree."""
    return {
        "index.html": lambda: index_page(index),
        "overview.html": lambda: overview_page(index),
        "compare.html": lambda: compare_page(index),
        EQUITY_PATH: lambda: equity_page(loaded),
    }


# Where each kind of page lives (markup's paths), for the pages served on demand.
_ROLE_FILE = re.compile(r"roles/(?P<id>[A-Za-z0-9._-]+?)\.(?:html|plan\.js|md|csv)")
_PROFESSION_FILE = re.compile(r"professions/(?P<id>[A-Za-z0-9._-]+)\.html")


def pages_at(loaded: LoadedGraph, path: str) -> list[Page]:
    """The pages that ``write_site`` writes to ``path`` (a site-relative path), built by the
    same functions; a role's page comes with its tables and downloads. Empty when no page has
    that path. The server builds its pages this way, on demand: at a hundred times the shipped
    graph, writing every page first took minutes before the first request was answered."""
    index = index_of(loaded)
    whole = _whole_pages(loaded, index)
    if path in whole:
        return [whole[path]()]
    if path == personal.SEATS_PATH:
        return [Page(path, personal.seats_script(index))]
    if found := _PROFESSION_FILE.fullmatch(path):
        profession = index_iri(found["id"])
        return [profession_page(index, profession)] if profession in index.professions else []
    if found := _ROLE_FILE.fullmatch(path):
        role = index.roles.get(index_iri(found["id"]))
        return role_pages(loaded, index, role) if role else []
    if path.startswith("programmes/"):
        return _offer_pages(loaded, index)
    return []


def write_site(
    loaded: LoadedGraph, out: Path, progress: Callable[[int, int | None], None] | None = None
) -> list[Path]:
    """Write every page and the one vis-network copy under ``out``; return the files written.
    ``progress`` is told the pages written so far (the total is not known until the end)."""
    written = []
    for number, page in enumerate(iter_pages(loaded), start=1):
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")
        written.append(target)
        if progress:
            progress(number, None)
    return written + write_library(out)
