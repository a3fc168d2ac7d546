"""The wording of the policy views: the equity table (`pathways equity`, the equity page) and the
effect of a change (`pathways diff`), as rows, Markdown a policy team can paste into a paper,
and CSV. The terminal and the pages draw these rows; they do not word them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pathways.careers.render import plural, rows_csv

EQUITY_COLUMNS = (
    "profession",
    "entry_role",
    "roles_open",
    "tiers",
    "board_seats",
    "voting_seats",
    "fastest_years",
    "fastest_voting_years",
    "routes",
    "bottlenecks",
    "national_roles",
    "retraining_routes",
    "positive_action",
    "barriers",
)


# The columns' headers in tables a person reads (Markdown, the page): the measures' labels in
# the shipped graph (ontology/measures.ttl; a test holds them equal) and names for the columns
# no measure defines. CSV and JSON keep the field names, for the programs that read them.
EQUITY_HEADERS = {
    "profession": "Profession",
    "entry_role": "Entry role",
    "roles_open": "Roles open",
    "tiers": "Leadership tiers",
    "board_seats": "Board seats reachable",
    "voting_seats": "Voting executive seats reachable",
    "fastest_years": "Fastest route to a board seat, in years",
    "fastest_voting_years": "Fastest route to a voting executive seat, in years",
    "routes": "Distinct routes to board",
    "bottlenecks": "Single-role bottlenecks",
    "national_roles": "National and regional roles reachable",
    "retraining_routes": "Retraining routes",
    "positive_action": "Positive-action coverage",
    "barriers": "Structural barriers",
}


def equity_header(column: str) -> str:
    return EQUITY_HEADERS.get(column, column.replace("_", " ").capitalize())


def fastest_text(row: dict[str, Any], prefix: str = "fastest") -> str:
    """The fewest years, with their basis: '14 (estimate)', 'at least 13 (sourced)'."""
    years = row[f"{prefix}_years"]
    if years is None:
        return "no route"
    route = row[f"{prefix}_route"]
    figure = f"{years:g}"
    if route and route.get("at_least"):
        figure = f"at least {figure}"
    return f"{figure} ({'sourced' if row[f'{prefix}_basis'] == 'source' else 'estimate'})"


def fastest_cell(row: dict[str, Any], prefix: str = "fastest") -> str:
    """The fewest years and the seat they reach: a table cell."""
    route = row[f"{prefix}_route"]
    if not route:
        return fastest_text(row, prefix)
    return f"{fastest_text(row, prefix)}: {route['seat']['label']}"


def routes_text(row: dict[str, Any]) -> str:
    return f"{row['routes']:,}{'+' if row['routes_more'] else ''}"


def positive_action_text(row: dict[str, Any]) -> str:
    cover = row["positive_action"]
    if not cover.get("steps"):
        return "no steps"
    text = f"{cover['covered']} of {plural(cover['steps'], 'step')}"
    unknown = cover.get("steps_band_unknown", 0)
    if unknown:
        text += f" ({unknown} from a role whose band is not known)"
    return text


def equity_cells(row: dict[str, Any]) -> dict[str, str]:
    """One profession's row as text cells, in EQUITY_COLUMNS order."""
    seats = row["board_seats"]
    return {
        "profession": row["profession"]["label"],
        "entry_role": row["entry_role"]["label"] if row["entry_role"] else "none recorded",
        "roles_open": str(row["roles_open"]),
        "tiers": str(len(row["tiers"])),
        "board_seats": str(len(seats)),
        "voting_seats": str(row["voting_seats"]),
        "fastest_years": fastest_cell(row),
        "fastest_voting_years": fastest_cell(row, "fastest_voting"),
        "routes": routes_text(row),
        "bottlenecks": "; ".join(b["label"] for b in row["bottlenecks"]) or "none",
        "national_roles": str(len(row["national_roles"])),
        "retraining_routes": str(len(row["retraining_routes"])),
        "positive_action": positive_action_text(row),
        "barriers": "; ".join(row["barriers"]) or "none found",
    }


def measure_lines(report: dict[str, Any]) -> list[str]:
    """Each figure with the recommendations it speaks to."""
    lines = []
    order = {column: place for place, column in enumerate(EQUITY_COLUMNS)}
    for measure in sorted(report["measures"], key=lambda m: order.get(m["field"], len(order))):
        numbers = [str(r["number"]) for r in measure["recommendations"]]
        speaks = ""
        if numbers:
            noun = "recommendation" if len(numbers) == 1 else "recommendations"
            speaks = f" ({noun} {', '.join(numbers)})"
        lines.append(f"`{measure['field']}`: {measure['label']}{speaks}. {measure['definition']}")
    return lines


def barrier_lines(report: dict[str, Any]) -> list[str]:
    lines = []
    if report["single_role_dependence"]:
        lines.append(
            "Professions whose every route to board passes through the same leadership role "
            "(the roles are named in the table): "
            + ", ".join(report["single_role_dependence"])
            + "."
        )
    if report["no_voting_seat"]:
        lines.append("No route to a voting seat: " + ", ".join(report["no_voting_seat"]) + ".")
    if not lines:
        lines.append("Every profession reaches a voting seat, and none depends on a single role.")
    return lines


def _table(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows]
    return lines


def equity_markdown(report: dict[str, Any]) -> str:
    lines = ["# Routes to board level, by profession", "", report["basis"], ""]
    headers = [equity_header(column) for column in EQUITY_COLUMNS]
    rows = [
        dict(zip(headers, (cells[c] for c in EQUITY_COLUMNS), strict=True))
        for cells in (equity_cells(row) for row in report["professions"])
    ]
    lines += _table(headers, rows)
    lines += ["", "## Structural barriers", ""]
    lines += [f"- {line}" for line in barrier_lines(report)]
    lines += ["", "## The figures and the recommendations they speak to", ""]
    lines += [f"- {line}" for line in measure_lines(report)]
    return "\n".join(lines) + "\n"


# A spreadsheet sorts and sums: the CSV gives each figure as a number in a column of its own,
# with its basis, its seat and its caveats beside it, where the other formats word them in one.
EQUITY_CSV_COLUMNS = (
    "profession",
    "entry_role",
    "roles_open",
    "tiers",
    "board_seats",
    "voting_seats",
    "fastest_years",
    "fastest_basis",
    "fastest_at_least",
    "fastest_seat",
    "fastest_voting_years",
    "fastest_voting_basis",
    "fastest_voting_at_least",
    "fastest_voting_seat",
    "routes",
    "routes_more",
    "bottlenecks",
    "national_roles",
    "retraining_routes",
    "positive_action_covered",
    "positive_action_steps",
    "positive_action_band_unknown",
    "barriers",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def equity_csv_row(row: dict[str, Any]) -> dict[str, str]:
    cells = equity_cells(row)
    out = {
        "profession": cells["profession"],
        "entry_role": cells["entry_role"],
        "roles_open": str(row["roles_open"]),
        "tiers": str(len(row["tiers"])),
        "board_seats": str(len(row["board_seats"])),
        "voting_seats": str(row["voting_seats"]),
        "routes": str(row["routes"]),
        "routes_more": _yes(row["routes_more"]),
        "bottlenecks": cells["bottlenecks"],
        "national_roles": str(len(row["national_roles"])),
        "retraining_routes": str(len(row["retraining_routes"])),
        "positive_action_covered": str(row["positive_action"].get("covered", 0)),
        "positive_action_steps": str(row["positive_action"].get("steps", 0)),
        "positive_action_band_unknown": str(row["positive_action"].get("steps_band_unknown", 0)),
        "barriers": cells["barriers"],
    }
    for prefix in ("fastest", "fastest_voting"):
        route = row[f"{prefix}_route"]
        out[f"{prefix}_years"] = _number(row[f"{prefix}_years"])
        out[f"{prefix}_basis"] = row[f"{prefix}_basis"] or ""
        out[f"{prefix}_at_least"] = _yes(bool(route and route.get("at_least")))
        out[f"{prefix}_seat"] = route["seat"]["label"] if route else ""
    return out


def equity_csv(report: dict[str, Any]) -> str:
    return rows_csv(EQUITY_CSV_COLUMNS, [equity_csv_row(row) for row in report["professions"]])


def _figure(name: str, value: Any) -> str:
    if value is None:
        return "none"
    if name == "fastest_basis":
        return "sourced" if value == "source" else "estimate"
    if isinstance(value, float):
        return f"{value:g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def profession_change_lines(change: dict[str, Any]) -> list[str]:
    """One profession's change in its equity row, a line per figure or set."""
    lines = [] if change["status"] == "changed" else [f"profession {change['status']}"]
    lines += [
        f"{name.replace('_', ' ')}: {_figure(name, figures['before'])} → "
        f"{_figure(name, figures['after'])}"
        for name, figures in change["figures"].items()
    ]
    for name, items in change["gained"].items():
        lines.append(f"{name.replace('_', ' ')} gained: {', '.join(items)}")
    for name, items in change["lost"].items():
        lines.append(f"{name.replace('_', ' ')} lost: {', '.join(items)}")
    if "bottlenecks" in change["gained"] or "bottlenecks" in change["lost"]:
        now = change.get("bottlenecks_now", [])
        lines.append("bottlenecks now: " + (", ".join(now) or "none"))
    if "fastest_route" in change:
        route = change["fastest_route"]
        lines.append(
            "fastest route: "
            + (" → ".join(route["before"]) or "none")
            + " becomes "
            + (" → ".join(route["after"]) or "none")
        )
    return lines


def diff_summary(diff: dict[str, Any]) -> list[str]:
    triples = diff["triples"]
    verdict = diff["validation"]
    lines = [
        f"Compared {diff['new']} with {diff['base']}.",
        "Validation: the changed graph "
        + (
            "passes every check"
            if verdict["conforms"]
            else f"FAILS with {verdict['violations']} violations"
        )
        + f" ({verdict['shapes']} shapes, {verdict['violation_queries']} rule queries).",
        f"Triples: {triples['before']:,} → {triples['after']:,} "
        f"({triples['added']:,} added, {triples['removed']:,} removed"
        + (
            f"; triples about anonymous nodes {triples['anonymous_before']:,} → "
            f"{triples['anonymous_after']:,}"
            if triples["anonymous_before"] != triples["anonymous_after"]
            else ""
        )
        + ").",
    ]
    if not diff["classes"]:
        lines.append("Individuals: none added or removed.")
    if not diff["professions"]:
        lines.append("Routes: no profession's equity row changes.")
    return lines


def step_line(step: dict[str, Any]) -> str:
    years = step["years"]
    basis = "sourced" if step["basis"] == "source" else "estimate"
    told = f"{years:g} years, {basis}" if years is not None else "years not known"
    return f"{step['step']} ({told})"


def _names(items: Sequence[str], shown: int = 8) -> str:
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" and {more} more" if more > 0 else "")


def diff_markdown(diff: dict[str, Any], *, title: str = "# What the change does") -> str:
    lines = [title, ""] if title else []
    lines += [f"- {line}" for line in diff_summary(diff)]
    if diff["classes"]:
        lines += ["", "## Individuals by class", ""]
        lines += _table(
            ("class", "before", "after", "added", "removed"),
            [
                {
                    "class": f"{c['label']} (`{c['class']}`)",
                    "before": str(c["before"]),
                    "after": str(c["after"]),
                    "added": _names(c["added"]) or "-",
                    "removed": _names(c["removed"]) or "-",
                }
                for c in diff["classes"]
            ],
        )
    for side in ("added", "removed"):
        steps = diff["steps"][side]
        if steps:
            lines += ["", f"## Career steps {side}", ""]
            lines += [f"- {step_line(step)}" for step in steps]
    if diff["professions"]:
        lines += ["", "## Professions whose equity row changes", ""]
        for change in diff["professions"]:
            lines.append(f"- **{change['profession']['label']}**")
            lines += [f"  - {line}" for line in profession_change_lines(change)]
    if diff["roles"]:
        lines += ["", "## Roadmaps of the roles named", ""]
        for role in diff["roles"]:
            status = "changed" if role["changed"] else "unchanged"
            named = role["role"] + (f" (as {role['profession']})" if role["profession"] else "")
            lines.append(f"- **{named}**: {status}")
            for side in ("before", "after") if role["changed"] else ("after",):
                answer = role[side]
                routes = answer["routes"] or [answer["error"] or "no route"]
                label = side if role["changed"] else "routes"
                lines.append(f"  - {label}: " + "; ".join(routes))
    return "\n".join(lines) + "\n"
