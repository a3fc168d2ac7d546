"""The ``pathways`` command line.

Exit codes, shared by every command that reads the knowledge base:
0 success (the graph conforms), 1 validation found violations, 2 the input could not be read
(missing path, syntax error, no shapes or queries to validate with).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pathways import __version__
from pathways.careers.render import roadmap_markdown, rows_csv
from pathways.careers.roadmap import GROUPS, RoadmapError, RoadmapRequest, build_roadmap
from pathways.graph import queries as named_queries
from pathways.graph.loader import GraphLoadError, LoadedGraph, load
from pathways.graph.queries import QueryDefinitionError, UnknownQueryError
from pathways.graph.querying import QueryDeadline, QueryFailed
from pathways.service.settings import SettingsError, get_settings


class _Lazy:
    """A module imported when a command first uses it: a one-shot `pathways roadmap` does not
    pay for pyshacl and rdflib (validation), networkx (the route graph), rich (tables) or httpx
    (pushing), which took most of its time importing."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)


if TYPE_CHECKING:
    import rich.console as rich_console

    from pathways.careers import compare, diff, equity, policy_render, routes, stats
    from pathways.cli import terminal
    from pathways.graph import inference, remote, validation, void
else:
    rich_console = _Lazy("rich.console")
    compare = _Lazy("pathways.careers.compare")
    equity = _Lazy("pathways.careers.equity")
    diff = _Lazy("pathways.careers.diff")
    policy_render = _Lazy("pathways.careers.policy_render")
    routes = _Lazy("pathways.careers.routes")
    stats = _Lazy("pathways.careers.stats")
    terminal = _Lazy("pathways.cli.terminal")
    inference = _Lazy("pathways.graph.inference")
    remote = _Lazy("pathways.graph.remote")
    validation = _Lazy("pathways.graph.validation")
    void = _Lazy("pathways.graph.void")

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNREADABLE = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])

_PATHS = click.argument(
    "paths",
    nargs=-1,
    type=click.Path(path_type=Path),
    metavar="[PATH]...",
)
# One definition of each option that several commands share, so a new command cannot copy
# one with a different name, destination or help.
_EXTEND = click.option(
    "--extend",
    "extend",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra Turtle file or directory to load with ontology/ (repeatable).",
)


def _format_option(*choices: str, help: str = "Output format.") -> Callable[[F], F]:
    """The --format option over ``choices``; the first is the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help,
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


def _console(at_least: int) -> rich_console.Console:
    """A console at least ``at_least`` columns wide: wide tables wrap badly in a narrow one."""
    return rich_console.Console(width=max(rich_console.Console().width, at_least))


def _load(paths: Sequence[Path], fmt: str) -> LoadedGraph:
    settings = get_settings()
    extra = [*settings.extend, *paths]
    try:
        return load(extra, max_file_bytes=settings.max_turtle_bytes)
    except GraphLoadError as error:
        _fail_unreadable(error, fmt)
        raise  # unreachable: _fail_unreadable exits


def _load_indexed(paths: Sequence[Path], fmt: str) -> LoadedGraph:
    """The graph for a command that needs only the roadmap index: the index kept for
    byte-identical inputs (careers/index_store.py), else the graph loaded, and its index kept."""
    from pathways.careers import index_store
    from pathways.careers.index import index_of
    from pathways.graph.loader import default_sources, discover

    settings = get_settings()
    folder = settings.verdict_folder
    if folder is None:
        return _load(paths, fmt)
    try:
        files = discover(default_sources([*settings.extend, *paths]))
        fits = all(path.stat().st_size <= settings.max_turtle_bytes for path in files)
        key = index_store.index_key(files)
    except (GraphLoadError, OSError):
        return _load(paths, fmt)  # which says what cannot be read
    if files and fits and (index := index_store.recall_index(folder, key)) is not None:
        return index_store.indexed_graph(files, index)
    loaded = _load(paths, fmt)
    index_store.remember_index(folder, key, index_of(loaded))
    return loaded


def _validated(loaded: LoadedGraph, *, fresh: bool = False) -> validation.Report:
    """The graph's validation report; the verdict remembered for byte-identical inputs unless
    ``fresh`` (graph/verdicts.py, the PATHWAYS_VERDICT_CACHE setting)."""
    from pathways.graph import verdicts

    report: validation.Report = verdicts.validated(
        loaded, get_settings().verdict_folder, fresh=fresh
    )
    return report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pathways")
def main() -> None:
    """Leadership pathways of the 12 NHS psychological professions.

    Every command loads the Turtle files of ontology/ plus any PATHs given (files or
    directories of .ttl) and any listed in PATHWAYS_EXTEND.
    """
    # Every command reads the settings: a value one cannot take is refused here, by name,
    # before any work, not as a traceback from whichever command reads it first.
    try:
        get_settings()
    except SettingsError as error:
        _refuse_setting(error)


def _refuse_setting(error: SettingsError) -> None:
    click.echo(f"error: {error}", err=True)
    click.echo(
        "  what to do: correct or unset it; the README's settings table says what each "
        "setting takes",
        err=True,
    )
    sys.exit(EXIT_UNREADABLE)


@main.command("validate")
@_PATHS
@_format_option("text", "json", help="Report as readable text or as one JSON object.")
@_EXTEND
def validate_command(paths: tuple[Path, ...], fmt: str, extend: tuple[Path, ...]) -> None:
    """Validate ontology/ plus PATHs against the SHACL shapes and violation queries.

    Exits 0 when the graph conforms, 1 when there are violations, 2 when input cannot be read.
    """
    loaded = _load((*paths, *extend), fmt)
    try:
        report = _validated(loaded, fresh=True)
    except (validation.ValidationSetupError, QueryDefinitionError) as error:
        _fail_unreadable(error, fmt)
        return
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(terminal.render_report(report))
    sys.exit(EXIT_OK if report.conforms else EXIT_VIOLATIONS)


@main.command("stats")
@_PATHS
@_format_option("table", "json", help="A table for the terminal or one JSON object.")
@_EXTEND
def stats_command(paths: tuple[Path, ...], fmt: str, extend: tuple[Path, ...]) -> None:
    """Count the individuals of each class (members of subclasses included), and show for each
    profession its roles, the tiers they span and whether a route reaches board level."""
    loaded = _load((*paths, *extend), "json" if fmt == "json" else "text")
    counts = stats.class_counts(loaded)
    professions = routes.profession_summaries(loaded)
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
    terminal.stats_tables(loaded, counts, professions, rich_console.Console())


def _fail_request(error: RoadmapError, fmt: str) -> None:
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "error": {
                        "message": error.message,
                        "field": error.field,
                        "suggestions": error.suggestions,
                    }
                },
                indent=2,
            )
        )
    else:
        click.echo(f"error: {error.message}", err=True)
        if error.suggestions:
            click.echo("  candidates: " + "; ".join(error.suggestions[:12]), err=True)
    sys.exit(EXIT_UNREADABLE)


def _read_self_assessment(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise click.BadParameter(
            f"{path}: {err}. Write a JSON object of competency to level, e.g. "
            '{"Leading with care": "strong", "Engaging the team": "proficient"}',
            param_hint="--self-assessment",
        ) from err
    if not isinstance(data, dict):
        raise click.BadParameter(
            f"{path}: expected a JSON object of competency to level",
            param_hint="--self-assessment",
        )
    return data


@main.command("roadmap")
@click.argument("role")
@click.option(
    "--to",
    "target",
    default="board",
    show_default=True,
    help="'board' (provider board roles), 'national' (national or regional roles), "
    "or a role id or name.",
)
@click.option(
    "--profession",
    help="Your profession (id, name or abbreviation); defaults to the "
    "start role's when it is open to one profession only.",
)
@click.option(
    "--positive-action",
    "groups",
    multiple=True,
    type=click.Choice(list(GROUPS)),
    help="Show positive-action programmes and networks for this group (repeatable).",
)
@click.option(
    "--self-assessment",
    type=click.Path(path_type=Path, dir_okay=False),
    help="JSON file: competency (id or name) -> level (essential, proficient, strong, "
    "exemplary). Gaps are measured against it instead of your current role's.",
)
@click.option(
    "--prefer",
    metavar="FUNCTION",
    help="Rank routes through roles with this leadership function first: professional, "
    "clinical or operational (the paper's three functions of leadership, its section 1.1).",
)
@click.option(
    "--registration",
    "registrations",
    multiple=True,
    metavar="CODE",
    help="A registration you hold besides your profession's, by its regulator: nmc, gmc or "
    "gdc. Opens the board seats the NHS Act 2006 reserves to it (repeatable).",
)
@click.option(
    "-k",
    "k",
    type=click.IntRange(1, 20),
    default=3,
    show_default=True,
    help="How many routes to show, best first; they differ before their last step.",
)
@_format_option("table", "json", "markdown")
@_EXTEND
def roadmap_command(
    role: str,
    target: str,
    profession: str | None,
    groups: tuple[str, ...],
    self_assessment: Path | None,
    prefer: str | None,
    registrations: tuple[str, ...],
    k: int,
    fmt: str,
    extend: tuple[Path, ...],
) -> None:
    """Ranked routes from ROLE (an id or a name; a unique prefix will do) to board level, with
    the kind of every step, its years and their basis, the priority gaps and how to close them,
    programmes, support and conditions; and the best route to each seat within reach."""
    answers = _read_self_assessment(self_assessment)
    loaded = _load_indexed(extend, "json" if fmt == "json" else "text")
    request = RoadmapRequest(
        start=role,
        target=target,
        profession=profession,
        positive_action=groups,
        self_assessment=answers,
        k=k,
        prefer=prefer,
        registrations=registrations,
    )
    try:
        result = build_roadmap(loaded, request).as_dict()
    except RoadmapError as error:
        _fail_request(error, fmt)
        return
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
    elif fmt == "markdown":
        click.echo(roadmap_markdown(result))
    else:
        terminal.roadmap_table(result, _console(140))


@main.command("compare")
@click.argument("roles", nargs=-1, required=True)
@_format_option("table", "json")
@_EXTEND
def compare_command(roles: tuple[str, ...], fmt: str, extend: tuple[Path, ...]) -> None:
    """Two or three ROLES side by side: tier, bands, professions, requirements, programmes."""
    loaded = _load(extend, "json" if fmt == "json" else "text")
    try:
        result = compare.compare_roles(loaded, roles)
    except RoadmapError as error:
        _fail_request(error, fmt)
        return
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
    else:
        terminal.compare_table(result, _console(120))


@main.command("equity")
@_format_option("table", "json", "markdown", "csv")
@_EXTEND
def equity_command(fmt: str, extend: tuple[Path, ...]) -> None:
    """How the twelve professions compare on their routes to board level: from each
    profession's entry role, the roles open to it, the board seats its routes reach (voting
    seats apart), the fastest route in years (sourced or estimate), how many distinct routes,
    the single roles every route passes through, national roles, retraining routes and
    positive-action coverage; with the structural barriers they show and the paper's
    recommendations each figure speaks to."""
    loaded = _load(extend, "json" if fmt == "json" else "text")
    report = equity.equity_of(loaded)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2))
    elif fmt == "markdown":
        click.echo(policy_render.equity_markdown(report), nl=False)
    elif fmt == "csv":
        click.echo(policy_render.equity_csv(report), nl=False)
    else:
        terminal.equity_table(report, _console(160))


@main.command("diff")
@click.option(
    "--base",
    type=click.Path(path_type=Path),
    help="A whole graph folder to compare with, instead of ontology/: the previous release, or "
    "a modified copy of ontology/ (an extension can only add).",
)
@click.option(
    "--base-name",
    metavar="NAME",
    help="How the report names the --base graph (default: its path), e.g. 'release 0.1.0'.",
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="ROLE",
    help="A role (id or name) whose ranked routes to compare before and after (repeatable).",
)
@click.option(
    "--profession",
    help="The profession the --role routes are for, when a role is open to several.",
)
@_format_option("table", "json", "markdown")
@_EXTEND
def diff_command(
    base: Path | None,
    base_name: str | None,
    roles: tuple[str, ...],
    profession: str | None,
    fmt: str,
    extend: tuple[Path, ...],
) -> None:
    """What a change does before it is published: the graph of ontology/ plus --extend
    (PATHs) compared with ontology/ alone, or with the graph folder --base. Says the triples and
    individuals added and removed by class, whether the changed graph passes validation, and for
    each profession what changes in its equity row (seats gained or lost, fastest route,
    bottlenecks, routes), and the routes of any --role.

    Exits 0 when the changed graph conforms, 1 (with the validation report) when it does not,
    2 when either graph cannot be read."""
    as_json = "json" if fmt == "json" else "text"
    if base is None and not extend:
        _fail_unreadable(
            GraphLoadError(
                "nothing to compare: give --extend PATH (a proposed extension) or --base DIR "
                "(the graph folder to compare ontology/ with)",
                hint="e.g. pathways diff --extend docs/examples/equity-extension",
            ),
            as_json,
        )
    if base is not None and not base.is_dir():
        _fail_unreadable(
            GraphLoadError(
                f"--base {base} is not a folder",
                hint="give the folder that holds the graph's .ttl files (as ontology/ does)",
            ),
            as_json,
        )
    settings = get_settings()
    new = _load(extend, as_json)
    try:
        if base is None:
            old = load(settings.extend, max_file_bytes=settings.max_turtle_bytes)
        else:
            old = load([base], include_ontology=False, max_file_bytes=settings.max_turtle_bytes)
    except GraphLoadError as error:
        _fail_unreadable(error, as_json)
        raise  # unreachable: _fail_unreadable exits
    try:
        report = _validated(new)
    except (validation.ValidationSetupError, QueryDefinitionError) as error:
        _fail_unreadable(error, as_json)
        return
    if not report.conforms:
        if fmt == "json":
            click.echo(json.dumps({"validation": report.as_dict()}, indent=2))
        else:
            click.echo("The changed graph fails validation; nothing is compared.", err=True)
            click.echo(terminal.render_report(report))
        sys.exit(EXIT_VIOLATIONS)
    configured = ["ontology/", *map(str, settings.extend)]
    result = diff.graph_diff(
        diff.Side(old, base_name or (str(base) if base else " + ".join(configured))),
        diff.Side(new, " + ".join([*configured, *map(str, extend)])),
        roles=roles,
        profession=profession,
        verdict={
            "conforms": report.conforms,
            "violations": report.violations,
            "shapes": report.shapes,
            "violation_queries": len(report.violation_queries),
        },
    )
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
    elif fmt == "markdown":
        click.echo(policy_render.diff_markdown(result), nl=False)
    else:
        terminal.diff_text(result, _console(120))


@main.command("query")
@click.argument("name")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter: an IRI (<...>, https://..., ppid:role-pwp), "
    '"text"@en, or plain text (repeatable).',
)
@_format_option("table", "json", "csv")
@click.option("--list", "list_only", is_flag=True, help="List the named queries and exit.")
@_EXTEND
def query_command(
    name: str, params: tuple[str, ...], fmt: str, list_only: bool, extend: tuple[Path, ...]
) -> None:
    """Run the named query NAME (see `pathways query all --list`) or a .rq FILE."""
    if list_only:
        for query in named_queries.load_all().values():
            wanted = ", ".join(f"?{p}" for p in query.parameters) or "no parameters"
            click.echo(f"{query.name}  ({wanted})\n    {query.purpose}")
        return
    bindings: dict[str, str] = {}
    for param in params:
        key, sep, value = param.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{param!r}: write NAME=VALUE", param_hint="--param")
        bindings[key.strip().lstrip("?")] = value
    try:
        query = named_queries.resolve(name)
    except UnknownQueryError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNREADABLE)
    loaded = _load(extend, "json" if fmt == "json" else "text")
    try:
        columns, rows = named_queries.run_with_text_params(loaded.store, query, bindings)
    except (ValueError, QueryDefinitionError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNREADABLE)
    if fmt == "json":
        click.echo(json.dumps({"query": query.name, "columns": columns, "rows": rows}, indent=2))
    elif fmt == "csv":
        click.echo(rows_csv(columns, rows), nl=False)
    else:
        terminal.rows_table(columns, rows, rich_console.Console())


@main.command("serve")
@click.option("--host", help="Address to listen on [default: PATHWAYS_HOST or 127.0.0.1].")
@click.option(
    "--store",
    "store_url",
    metavar="URL",
    help="Serve from this external SPARQL 1.1 query endpoint instead of the embedded "
    "store (load it first with `pathways push`) [default: PATHWAYS_STORE].",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    help="Port to listen on [default: PATHWAYS_PORT or 8000].",
)
@_EXTEND
@click.option(
    "--reload-on-change",
    is_flag=True,
    help="Watch the Turtle files and reload when they change; a change that fails "
    "validation is logged and the last good graph stays served.",
)
def serve_command(
    host: str | None,
    port: int | None,
    store_url: str | None,
    extend: tuple[Path, ...],
    reload_on_change: bool,
) -> None:
    """Serve the REST API (/api, docs at /docs), the SPARQL 1.1 endpoint (/sparql) and the
    linked-data IRIs (/id/...). The graph is loaded and validated first; a graph that fails
    validation is never served."""
    from pathways.service.sparql_pool import start_workers

    settings = get_settings()
    overrides = {"host": host, "port": port, "store": store_url}
    try:
        settings = settings.replace(**{k: v for k, v in overrides.items() if v})
    except SettingsError as error:
        _refuse_setting(error)
    # First: the SPARQL workers start (an interpreter and the query check's grammar each)
    # while this process imports the web framework and loads the graph, then are told it.
    workers = start_workers(settings.workers, settings.worker_memory_mb)

    import uvicorn

    from pathways.careers.index_store import served_index
    from pathways.graph import verdicts
    from pathways.service.access_log import configure_logging
    from pathways.service.api import create_app

    loaded = _load(extend, "text")
    # Validation runs in a child process while this one works out the inferences and the
    # roadmap index; nothing is served before its verdict, and a graph that fails it gets its
    # report, whatever building the app over it did.
    waiting, validating = verdicts.validated_meanwhile(loaded, settings.verdict_folder)
    unbuilt: Exception | None = None
    try:
        app = create_app(
            settings,
            loaded,
            extra=[*settings.extend, *extend],
            reload_on_change=reload_on_change,
            workers=workers,
        )
        if validating:
            served_index(app.state.graph, settings.verdict_folder)
    except (remote.RemoteStoreError, QueryFailed, QueryDeadline) as error:
        click.echo(
            f"error: {error}\n  what to do: check the URL, or load the graph there with "
            "`pathways push`",
            err=True,
        )
        sys.exit(EXIT_UNREADABLE)
    except Exception as error:
        if not validating:
            raise
        unbuilt = error
    try:
        report = waiting()
    except (validation.ValidationSetupError, QueryDefinitionError) as error:
        _fail_unreadable(error, "text")
        return
    if not report.conforms:
        click.echo(terminal.render_report(report), err=True)
        click.echo(
            "error: the graph does not validate, so it is not served; fix the "
            "violations above and start again",
            err=True,
        )
        sys.exit(EXIT_VIOLATIONS)
    if unbuilt is not None:
        raise unbuilt
    if report.remembered:
        click.echo(
            "validated: these files, shapes and queries conformed before, byte for byte "
            f"(verdict remembered in {settings.verdict_folder})",
            err=True,
        )
    click.echo(
        f"serving {loaded.triple_count} triples from {len(loaded.files)} files on "
        f"http://{settings.host}:{settings.port}: pages at "
        f"http://{settings.host}:{settings.port}/site/ (API docs at /docs, SPARQL at /sparql)",
        err=True,
    )
    # h11 refuses a request line or headers over its limit (16 KiB by default) with a bare
    # 400 of its own; raised past the body limit, an over-long GET reaches BodyLimit and gets
    # the JSON 413 that names the setting. h11 is named so that httptools, if some other
    # package installs it, is not picked instead with limits of its own.
    configure_logging()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        http="h11",
        access_log=False,  # pathways.access logs each request, with an id and the latency
        timeout_graceful_shutdown=int(settings.shutdown_timeout + 0.999),
        h11_max_incomplete_event_size=settings.max_body_bytes + 65_536,
    )


@main.command("push")
@click.argument("url")
@_EXTEND
def push_command(url: str, extend: tuple[Path, ...]) -> None:
    """Validate the graph and load it into an external engine through its SPARQL 1.1 Graph
    Store Protocol endpoint URL (the default graph is replaced)."""
    import pyoxigraph as ox

    loaded = _load(extend, "text")
    report = _validated(loaded)
    if not report.conforms:
        click.echo(terminal.render_report(report), err=True)
        click.echo("error: the graph does not validate, so it is not pushed", err=True)
        sys.exit(EXIT_VIOLATIONS)
    served = inference.materialise(loaded)
    data = served.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    try:
        status = remote.push(url, data)
    except remote.RemoteStoreError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNREADABLE)
    click.echo(
        f"pushed {served.triple_count} triples ({served.triple_count - loaded.triple_count} "
        f"inferred) to {remote.redact(url)} (HTTP {status})"
    )


@main.command("site")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("site"),
    show_default=True,
    help="Folder to write the site into.",
)
@_EXTEND
def site_command(out: Path, extend: tuple[Path, ...]) -> None:
    """Build the static site: an index with role search, a page per profession, a page per role
    with its roadmap, and an overview. Pages open from the file system with no network; the same
    graph always gives byte-identical files."""
    from rich.progress import Progress

    from pathways.site.pages import write_site

    loaded = _load(extend, "text")
    report = _validated(loaded)
    if not report.conforms:
        click.echo(terminal.render_report(report), err=True)
        click.echo("error: the graph does not validate, so no site is built", err=True)
        sys.exit(EXIT_VIOLATIONS)
    with Progress(transient=True) as progress:
        task = progress.add_task("writing pages", total=None)

        def advance(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        files = write_site(loaded, out, advance)
    size = sum(f.stat().st_size for f in files)
    click.echo(f"wrote {len(files)} files ({size / 1_000_000:.1f} MB) to {out}")


@main.command("reason")
@_PATHS
@_format_option("text", "json", help="Report as readable text or as one JSON object.")
@_EXTEND
def reason_command(paths: tuple[Path, ...], fmt: str, extend: tuple[Path, ...]) -> None:
    """Check the ontology and data for logical consistency with the HermiT reasoner (needs Java).

    Exits 0 when consistent, 1 when inconsistent (naming the axioms and statements involved),
    2 when the input cannot be read or no reasoner can run.
    """
    from pathways.graph.reasoning import ReasonerUnavailable, check_consistency

    loaded = _load((*paths, *extend), fmt)
    try:
        report = check_consistency(loaded)
    except ReasonerUnavailable as error:
        _fail_unreadable(error, fmt)
        return
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
    elif report.consistent:
        click.echo(
            f"OK: consistent (HermiT, {report.seconds:.1f} s, {loaded.triple_count} triples)"
        )
    else:
        click.echo(f"INCONSISTENT (HermiT, {report.seconds:.1f} s)")
        for name in report.unsatisfiable_classes:
            click.echo(f"\n  unsatisfiable class: {name}")
        for item in report.explanations:
            where = f"{item.file}:{item.line}" if item.file and item.line else (item.file or "?")
            click.echo(
                f"\n{where}\n  node:     {validation.compact(item.focus)}\n"
                f"  problem:  {validation.compact_text(item.message)}\n"
                f"  axiom:    {validation.compact_text('; '.join(item.axioms))}"
            )
        if not report.explanations and report.reasoner_message:
            click.echo(f"\n  HermiT: {report.reasoner_message[:400]}")
    sys.exit(EXIT_OK if report.consistent else EXIT_VIOLATIONS)


_EXPORT_FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML"}


@main.command("export")
@_format_option(*_EXPORT_FORMATS, help="Turtle, N-Triples, JSON-LD, or RDF/XML (opens in Protege).")
@click.option("--inferred", is_flag=True, help="Include the inferences the server adds.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of standard output.",
)
@_EXTEND
def export_command(fmt: str, inferred: bool, out: Path | None, extend: tuple[Path, ...]) -> None:
    """Write the merged, validated graph (ontology/ plus extensions) in one file."""
    import pyoxigraph as ox

    loaded = _load(extend, "text")
    report = _validated(loaded)
    if not report.conforms:
        click.echo(terminal.render_report(report), err=True)
        click.echo("error: the graph does not validate, so it is not exported", err=True)
        sys.exit(EXIT_VIOLATIONS)
    graph = inference.materialise(loaded) if inferred else loaded
    # The file carries its own VoID description (size, licence, version), as the server's
    # /.well-known/void does, so a catalogue can describe it without reading it all.
    exported = ox.Store()
    exported.bulk_extend(graph.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    described = void.describe_dataset(graph)
    exported.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in described)
    data = exported.dump(
        format=getattr(ox.RdfFormat, _EXPORT_FORMATS[fmt]), from_graph=ox.DefaultGraph()
    )
    assert data is not None  # dump() returns the bytes when it is given no output
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        out.write_bytes(data)
        click.echo(
            f"wrote {len(exported)} triples to {out} ({graph.triple_count} of the graph and "
            f"{len(exported) - graph.triple_count} of its VoID description)",
            err=True,
        )
