"""Turn roadmaps, comparisons and query results into terminal tables, Markdown or CSV.

The service layer returns plain dictionaries (the same JSON the API serves); everything here only
formats them, so the CLI and any later front end show the same facts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text


def _names(items: Sequence[dict[str, Any]]) -> str:
    return "\n".join(item["label"] for item in items) or "-"


def _gaps(step: dict[str, Any]) -> str:
    gaps = step["gaps"]
    if not gaps:
        return "none"
    return "\n".join(
        f"{g['competency']['label']}: {g['held'].lower()} -> {g['needed'].lower()}" for g in gaps
    )


def _programmes(step: dict[str, Any]) -> str:
    lines = []
    for programme in step["programmes"]:
        mark = "*" if programme.get("recommended") else ""
        lines.append(f"{programme['label']}{mark}")
    return "\n".join(lines) or "-"


def _title(roadmap: dict[str, Any]) -> str:
    return (
        f"From {roadmap['start']['label']} ({roadmap['profession']['label']}) "
        f"to {roadmap['target']['label']}"
    )


def roadmap_table(roadmap: dict[str, Any], console: Console) -> None:
    console.print(Text(_title(roadmap), style="bold"))
    if roadmap["note"]:
        console.print(roadmap["note"])
    for number, route in enumerate(roadmap["routes"], start=1):
        table = Table(
            title=f"Route {number}: {route['total_years']} years, {route['step_count']} steps",
            show_lines=True,
            title_justify="left",
        )
        for column in (
            "to role",
            "years",
            "gaps (held -> needed)",
            "programmes (* recommended)",
            "positive action",
            "support",
            "conditions",
        ):
            table.add_column(column)
        for step in route["steps"]:
            to = step["to"]
            table.add_row(
                f"{to['label']}\n{to['tier']}, band {to['bands']}",
                "?" if step["years"] is None else str(step["years"]),
                _gaps(step),
                _programmes(step),
                _names(step["positive_action"]),
                _names(step["support"]),
                "\n".join(step["conditions"]) or "-",
            )
        console.print(table)
    if roadmap["excluded"]:
        lines = [f"{e['label']}: {e['reason']}" for e in roadmap["excluded"]]
        console.print(Panel(Group(*lines), title="Left out", title_align="left"))


def roadmap_markdown(roadmap: dict[str, Any]) -> str:
    out = [f"# {_title(roadmap)}", ""]
    if roadmap["note"]:
        out += [roadmap["note"], ""]
    for number, route in enumerate(roadmap["routes"], start=1):
        out += [f"## Route {number}: {route['total_years']} years, {route['step_count']} steps", ""]
        for step_number, step in enumerate(route["steps"], start=1):
            to = step["to"]
            years = "unknown" if step["years"] is None else step["years"]
            out.append(
                f"### {step_number}. {step['from']['label']} -> {to['label']} "
                f"({to['tier']}, band {to['bands']}; typical years: {years})"
            )
            out.append("")
            gaps = [
                f"{g['competency']['label']} ({g['held'].lower()} -> {g['needed'].lower()})"
                for g in step["gaps"]
            ]
            out.append(f"- Develop: {', '.join(gaps) or 'nothing new'}")
            out.append(f"- Programmes: {', '.join(p['label'] for p in step['programmes']) or '-'}")
            if step["positive_action"]:
                names = ", ".join(p["label"] for p in step["positive_action"])
                out.append(f"- Positive action: {names}")
            out.append(f"- Support: {', '.join(s['label'] for s in step['support']) or '-'}")
            if step["conditions"]:
                out.append(f"- Conditions: {'; '.join(step['conditions'])}")
            out.append("")
    if roadmap["excluded"]:
        out += ["## Left out", ""]
        out += [f"- {e['label']}: {e['reason']}" for e in roadmap["excluded"]]
        out.append("")
    return "\n".join(out)


def compare_table(comparison: dict[str, Any], console: Console) -> None:
    roles = comparison["roles"]
    table = Table(show_lines=True)
    table.add_column("")
    for role in roles:
        table.add_column(role["label"])
    table.add_row("tier", *(r["tier"] for r in roles))
    table.add_row("bands", *(r["bands"] for r in roles))
    table.add_row("open to", *("\n".join(r["professions"]) or "-" for r in roles))
    table.add_row("registration", *("\n".join(r["requires_registration"]) or "-" for r in roles))
    for competency in roles[0]["requirements"]:
        table.add_row(competency, *(r["requirements"][competency] for r in roles))
    table.add_row("programmes into it", *("\n".join(r["programmes"]) or "-" for r in roles))
    console.print(table)


def rows_table(
    columns: Sequence[str], rows: Sequence[dict[str, str | None]], console: Console
) -> None:
    table = Table(*columns)
    for row in rows:
        table.add_row(*(row.get(c) or "" for c in columns))
    console.print(table)
    console.print(f"{len(rows)} rows")


def rows_csv(columns: Sequence[str], rows: Sequence[dict[str, str | None]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c) or "" for c in columns})
    return buffer.getvalue()
