"""The ``pathways`` command line.

Exit codes, shared by every command that reads the knowledge base:
0 success (the graph conforms), 1 validation found violations, 2 the input could not be read
(missing path, syntax error, no shapes or queries to validate with).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from . import __version__
from .loader import GraphLoadError, LoadedGraph, load
from .queries import QueryDefinitionError
from .routes import profession_summaries
from .settings import get_settings
from .stats import class_counts
from .validation import Finding, Report, ValidationSetupError, compact, validate

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNREADABLE = 0, 1, 2

_PATHS = click.argument(
    "paths",
    nargs=-1,
    type=click.Path(path_type=Path),
    metavar="[PATH]...",
)
_FORMAT_TEXT_JSON = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report as readable text or as one JSON object.",
)


def _fail_unreadable(error: Exception, fmt: str) -> None:
    if isinstance(error, GraphLoadError):
        payload: dict[str, Any] = error.as_dict()
        text = error.describe()
    else:
        payload = {"file": None, "line": None, "column": None, "message": str(error), "hint": ""}
        text = str(error)
    if fmt == "json":
        click.echo(json.dumps({"conforms": False, "error": payload}, indent=2))
    else:
        click.echo(f"error: {text}", err=True)
    sys.exit(EXIT_UNREADABLE)


def _load(paths: Sequence[Path], fmt: str) -> LoadedGraph:
    extra = [*get_settings().extend, *paths]
    try:
        return load(extra)
    except GraphLoadError as error:
        _fail_unreadable(error, fmt)
        raise  # unreachable: _fail_unreadable exits


def _describe_finding(finding: Finding) -> list[str]:
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
        lines.extend(_describe_finding(finding))
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pathways")
def main() -> None:
    """Leadership pathways of the 12 NHS psychological professions.

    Every command loads the Turtle files of ontology/ plus any PATHs given (files or
    directories of .ttl) and any listed in PATHWAYS_EXTEND.
    """


@main.command("validate")
@_PATHS
@_FORMAT_TEXT_JSON
def validate_command(paths: tuple[Path, ...], fmt: str) -> None:
    """Validate ontology/ plus PATHs against the SHACL shapes and violation queries.

    Exits 0 when the graph conforms, 1 when there are violations, 2 when input cannot be read.
    """
    loaded = _load(paths, fmt)
    try:
        report = validate(loaded)
    except (ValidationSetupError, QueryDefinitionError) as error:
        _fail_unreadable(error, fmt)
        return
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(render_report(report))
    sys.exit(EXIT_OK if report.conforms else EXIT_VIOLATIONS)


@main.command("stats")
@_PATHS
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for the terminal or one JSON object.",
)
def stats_command(paths: tuple[Path, ...], fmt: str) -> None:
    """Count the individuals of each class (members of subclasses included), and show for each
    profession its roles, the tiers they span and whether a route reaches board level."""
    loaded = _load(paths, "json" if fmt == "json" else "text")
    counts = class_counts(loaded)
    professions = profession_summaries(loaded)
    if fmt == "json":
        payload = {
            "triples": loaded.triple_count,
            "files": len(loaded.files),
            "classes": {c.curie: c.count for c in counts},
            "professions": [
                {
                    "id": p.iri,
                    "label": p.label,
                    "roles": p.roles,
                    "tiers": list(p.tiers),
                    "reaches_board": p.reaches_board,
                }
                for p in professions
            ],
        }
        click.echo(json.dumps(payload, indent=2))
        return
    table = Table(title=f"{loaded.triple_count} triples from {len(loaded.files)} files")
    table.add_column("class")
    table.add_column("label")
    table.add_column("individuals", justify="right")
    for count in counts:
        table.add_row(count.curie, count.label, str(count.count))
    console = Console()
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
