"""The equity page: how the professions compare on their routes to board level, as a chart and
as the table of `pathways equity`, with the structural barriers and what each figure speaks to.

The figures are the equity report's (``careers.equity.equity_of``, as the command and
/api/equity give them) and every piece of text is worded by ``careers.policy_render``, so the
page, the terminal and the Markdown say the same words; this module adds only the links, the
column headers and the chart's geometry. The chart is drawn here as inline SVG (no script, no
library, nothing fetched): it prints as it shows, and the table below it carries the same
figures for a keyboard or screen-reader user.
"""

from __future__ import annotations

import re
from typing import Any

from pathways.careers.equity import equity_of
from pathways.careers.policy_render import (
    EQUITY_COLUMNS,
    barrier_lines,
    equity_cells,
    equity_header,
    fastest_text,
    measure_lines,
    routes_text,
)
from pathways.graph.loader import LoadedGraph
from pathways.site.markup import (
    BEST,
    Page,
    index_iri,
    profession_path,
    relative,
    render_page,
    role_path,
)

EQUITY_PATH = "equity.html"
TITLE = "Routes by profession (equity)"

# The chart, in SVG user units: a block per profession (its name, then a bar for its distinct
# routes and a bar for its fastest years), each bar on its own measure's scale.
WIDTH = 420
LEGEND_HEIGHT = 52
BLOCK = 58
BAR = 14
ROUTES_LENGTH = 350  # the longest routes bar; room is left for its figure ("9,999+")
YEARS_LENGTH = 250  # the longest years bar; room is left for "at least 17 (estimate)"
# Okabe-Ito blue and vermilion: 5.1:1 and 4.0:1 on white, above the 3:1 graphics need.
ROUTES_COLOUR = BEST
YEARS_COLOUR = "#D55E00"
YEARS_LIGHT = "#FBE3D4"


def _segments(cell: str, parts: list[tuple[str, str]], separator: str) -> list[dict[str, str]]:
    """A cell as text and links: each part (label, url) a link, between them ``separator``, as
    policy_render joins them. If the joined text is not the cell's own text (policy_render's
    wording changed), the cell is shown as its text alone: the words stay the command's."""
    segments: list[dict[str, str]] = []
    for number, (label, url) in enumerate(parts):
        if number:
            segments.append({"text": separator, "url": ""})
        segments.append({"text": label, "url": url})
    if not segments or "".join(s["text"] for s in segments) != cell:
        return [{"text": cell, "url": ""}]
    return segments


def _table_row(page: str, row: dict[str, Any]) -> list[list[dict[str, str]]]:
    """A profession's cells, in EQUITY_COLUMNS order: the profession, its entry role and its
    bottleneck roles link to their pages."""
    cells = equity_cells(row)

    def role(ref: dict[str, str]) -> tuple[str, str]:
        return ref["label"], relative(page, role_path(index_iri(ref["id"])))

    profession = row["profession"]
    profession_url = relative(page, profession_path(index_iri(profession["id"])))
    entry = [role(row["entry_role"])] if row["entry_role"] else []
    links = {
        "profession": _segments(cells["profession"], [(profession["label"], profession_url)], ""),
        "entry_role": _segments(cells["entry_role"], entry, ""),
        "bottlenecks": _segments(cells["bottlenecks"], [role(r) for r in row["bottlenecks"]], "; "),
    }
    return [links.get(column) or [{"text": cells[column], "url": ""}] for column in EQUITY_COLUMNS]


def _number(value: float) -> float | int:
    """A coordinate as SVG gives it: 300, not 300.0."""
    return int(value) if value == int(value) else value


def _bar(
    kind: str, top: float, value: float | None, most: float, length: int, text: str, title: str
) -> dict[str, Any]:
    """One bar (none when there is no figure) with its figure as text just past its end."""
    width = round(length * value / most, 1) if value and most else 0.0
    return {
        "kind": kind,
        "y": top,
        "width": _number(width),
        "height": BAR,
        "text": text,
        "text_x": _number(round(width + 6, 1)),
        "text_y": top + BAR - 2,
        "title": title,
    }


def chart(report: dict[str, Any]) -> dict[str, Any]:
    """The chart's geometry and text: per profession its name, its distinct routes to board and
    its fastest years to a board seat (hatched and lighter where the figure is an estimate),
    each bar on its measure's scale (the most routes, the most years), its figure beside it."""
    rows = report["professions"]
    most_routes = max((row["routes"] for row in rows), default=0)
    most_years = max((row["fastest_years"] or 0 for row in rows), default=0)
    routes_name, years_name = equity_header("routes"), equity_header("fastest_years")
    blocks = []
    for number, row in enumerate(rows):
        top = LEGEND_HEIGHT + number * BLOCK
        label = row["profession"]["label"]
        routes, fastest = routes_text(row), fastest_text(row)
        bars = [
            _bar(
                "routes",
                top + 20,
                row["routes"],
                most_routes,
                ROUTES_LENGTH,
                routes,
                f"{label}: {routes_name.lower()}, {routes}",
            ),
            _bar(
                "estimate" if row["fastest_basis"] == "estimate" else "years",
                top + 37,
                row["fastest_years"],
                most_years,
                YEARS_LENGTH,
                fastest,
                f"{label}: {years_name.lower()}, {fastest}",
            ),
        ]
        blocks.append({"label": label, "label_y": top + 14, "bars": bars})
    return {
        "width": WIDTH,
        "height": LEGEND_HEIGHT + len(rows) * BLOCK,
        "blocks": blocks,
        "routes_name": routes_name,
        "years_name": years_name,
        "routes_colour": ROUTES_COLOUR,
        "years_colour": YEARS_COLOUR,
        "years_light": YEARS_LIGHT,
        "most_routes": f"{most_routes:,}",
        "most_years": f"{most_years:g}",
        "label": (
            f"Bar chart of the {len(rows)} professions: for each, its distinct routes to board "
            "and its fastest route to a board seat, in years. The table below gives the same "
            "figures."
        ),
    }


def _measure(line: str) -> dict[str, str]:
    """A measure line as policy_render words it, its leading `field` (Markdown code) apart."""
    found = re.fullmatch(r"`([^`]+)`: (.*)", line, re.S)
    return {"field": found[1], "text": found[2]} if found else {"field": "", "text": line}


def equity_page(loaded: LoadedGraph) -> Page:
    page = EQUITY_PATH
    report = equity_of(loaded)
    text = render_page(
        "equity.html",
        page,
        TITLE,
        basis=report["basis"],
        chart=chart(report),
        headers=[(column, equity_header(column)) for column in EQUITY_COLUMNS],
        rows=[_table_row(page, row) for row in report["professions"]],
        barriers=barrier_lines(report),
        measures=[_measure(line) for line in measure_lines(report)],
    )
    return Page(page, text)
