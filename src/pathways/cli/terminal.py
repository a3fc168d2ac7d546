"""The terminal's tables and reports: what `pathways` prints when asked for a table.

Only the drawing is here (rich tables and panels); the wording comes from careers.render, so the
pages and the terminal say the same things.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pathways.careers.policy_render import (
    EQUITY_COLUMNS,
    barrier_lines,
    diff_markdown,
    equity_cells,
    measure_lines,
)
from pathways.careers.render import (
    LEGEND,
    compared_rows,
    excluded_line,
    excluded_more_line,
    no_gaps_text,
    penalty_lines,
    priority_lines,
    programme_names,
    roadmap_title,
    route_title,
    seat_groups,
    seat_line,
    step_heading,
    strength_names,
)

# Types only: a roadmap table (the default of `pathways roadmap`) must not import networkx
# (careers.routes) or the validator, which took more than half its time.
if TYPE_CHECKING:
    from pathways.careers.routes import ProfessionSummary
    from pathways.careers.stats import ClassCount
    from pathways.graph.loader import LoadedGraph
    from pathways.graph.validation import Finding, Report


def describe_finding(finding: Finding) -> list[str]:
    from pathways.graph.validation import compact

    label = f'"{finding.focus_label}"' if finding.focus_label else "(no label)"
    where = "(no file: the node has no statements of its own)"
    if finding.file is not None:
        where = f"{finding.file}:{finding.line}" if finding.line else finding.file
    lines = [where, f"  node:     {compact(finding.focus)} {label}"]
    if finding.property:
        lines.append(f"  property: {compact(finding.property)}")
    if finding.value is not None:
        lines.append(f"  value:    {compact(finding.value)}")
    lines.append(f"  problem:  {finding.message}")
    if finding.suggestion:
        lines.append(f"  hint:     {finding.suggestion}")
    lines.append(f"  check:    {finding.check} ({finding.severity})")
    return lines


def render_report(report: Report) -> str:
    summary = (
        f"{len(report.files)} files, {report.triples} triples, {report.shapes} shapes, "
        f"{len(report.violation_queries)} violation queries, {report.seconds:.2f} s"
    )
    if report.conforms:
        head = f"OK: the graph conforms ({summary})"
        if report.warnings:
            head += f"; {report.warnings} warnings"
    else:
        head = f"FAILED: {report.violations} violations ({summary})"
    lines = [head]
    for finding in report.findings:
        lines.append("")
        lines.extend(describe_finding(finding))
    return "\n".join(lines)


def _step_cell(step: dict[str, Any]) -> str:
    lines = [step_heading(step)]
    if step.get("retraining"):
        retraining = step["retraining"]
        lines += [retraining["qualification"], f"Funding: {retraining['funding']}"]
    lines += penalty_lines(step)
    return "\n".join(lines)


def roadmap_table(roadmap: dict[str, Any], console: Console) -> None:
    console.print(Text(roadmap_title(roadmap), style="bold"))
    if roadmap["routes"]:
        console.print(LEGEND)
    if roadmap["note"]:
        console.print(roadmap["note"])
    for number, route in enumerate(roadmap["routes"], start=1):
        table = Table(title=route_title(number, route), show_lines=True, title_justify="left")
        for column in (
            "step",
            "develop first (priority gaps)",
            "also",
            "programmes",
            "positive action, support, conditions",
        ):
            table.add_column(column)
        for step in route["steps"]:
            also = []
            others = [g["competency"]["label"] for g in step["gaps"] if not g["priority"]]
            if others:
                also.append("Other gaps: " + ", ".join(others))
            if step["strengths"]:
                also.append("Strengths to evidence: " + ", ".join(strength_names(step)))
            extra = [p["label"] for p in step["positive_action"]]
            if step.get("positive_action_note"):
                extra.append(step["positive_action_note"])
            extra += [s["label"] for s in step["support"]]
            extra += step["conditions"]
            table.add_row(
                _step_cell(step),
                "\n".join(priority_lines(step)) or no_gaps_text(step),
                "\n".join(also) or "-",
                "\n".join(programme_names(step)) or "-",
                "\n".join(extra) or "-",
            )
        console.print(table)
    if roadmap["seats"]:
        lines: list[str] = []
        for kind, seats in seat_groups(roadmap["seats"]):
            lines.append(f"{kind[0].upper()}{kind[1:]}:")
            lines += [f"  {seat_line(s)}" for s in seats]
        console.print(Panel(Group(*lines), title="Best route to each seat", title_align="left"))
    if roadmap["excluded"]:
        lines = [excluded_line(e) for e in roadmap["excluded"]]
        more = excluded_more_line(roadmap)
        lines += [more] if more else []
        console.print(Panel(Group(*lines), title="Left out", title_align="left"))


def compare_table(comparison: dict[str, Any], console: Console) -> None:
    roles = comparison["roles"]
    table = Table(show_lines=True)
    table.add_column("")
    for role in roles:
        table.add_column(role["label"])
    columns = [compared_rows(role) for role in roles]
    for position, (name, _) in enumerate(columns[0]):
        table.add_row(name, *(column[position][1] for column in columns))
    console.print(table)


def rows_table(
    columns: Sequence[str], rows: Sequence[Mapping[str, str | None]], console: Console
) -> None:
    table = Table(*columns)
    for row in rows:
        table.add_row(*(row.get(c) or "" for c in columns))
    console.print(table)
    console.print(f"{len(rows)} rows")


def stats_tables(
    loaded: LoadedGraph,
    counts: Sequence[ClassCount],
    professions: Sequence[ProfessionSummary],
    console: Console,
) -> None:
    table = Table(title=f"{loaded.triple_count} triples from {len(loaded.files)} files")
    table.add_column("class")
    table.add_column("label")
    table.add_column("individuals", justify="right")
    for count in counts:
        table.add_row(count.curie, count.label, str(count.count))
    console.print(table)
    by_profession = Table(title="Professions: roles open to each, tiers spanned, route to board")
    by_profession.add_column("profession")
    by_profession.add_column("roles", justify="right")
    by_profession.add_column("tiers", justify="right")
    by_profession.add_column("route to board")
    for summary in professions:
        by_profession.add_row(
            summary.label,
            str(summary.roles),
            str(len(summary.tiers)),
            "yes" if summary.reaches_board else "NO",
        )
    console.print(by_profession)


def equity_table(report: dict[str, Any], console: Console) -> None:
    """The equity rows, the structural barriers and what each figure speaks to."""
    table = Table(title="Routes to board level, by profession (from each entry role)")
    short = [c for c in EQUITY_COLUMNS if c not in ("entry_role", "barriers")]
    for column in short:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in report["professions"]:
        cells = equity_cells(row)
        table.add_row(*(cells[c] for c in short))
    console.print(table)
    console.print(Text(report["basis"], style="dim"))
    for line in barrier_lines(report):
        console.print(line)
    for line in measure_lines(report):
        console.print(Text(line, style="dim"))


def diff_text(diff: dict[str, Any], console: Console) -> None:
    """The difference as the Markdown report, drawn for the terminal."""
    from rich.markdown import Markdown

    console.print(Markdown(diff_markdown(diff)))
