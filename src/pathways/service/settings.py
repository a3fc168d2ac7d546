"""The one typed settings object, read from ``PATHWAYS_*`` environment variables.

Every field here must be documented in the README's settings table; ``tests/service/
test_settings.py`` fails if one is not. A plain dataclass rather than pydantic-settings: every
command reads the settings, and importing pydantic-settings took a one-shot `pathways roadmap`
a quarter of its time (issue 15). A value a setting cannot take is refused by name, with what it
accepts (``SettingsError``), when the settings are made, never later.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pathways.graph.loader import MAX_FILE_BYTES


class SettingsError(ValueError):
    """A setting given a value it cannot take."""

    def __init__(self, variable: str, value: object, accepts: str) -> None:
        self.variable = variable
        self.value = value
        self.accepts = accepts
        super().__init__(f"{variable}={value} is not a value it can take: it must be {accepts}")


def _setting(
    default: Any = None,
    *,
    description: str,
    factory: Callable[[], Any] | None = None,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
) -> Any:
    metadata = {"description": description, "ge": ge, "gt": gt, "le": le}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


# The kind of each setting, by its annotation (the module's annotations are strings).
_KINDS = {"int": int, "float": float, "str": str, "str | None": str, "list[Path]": list}


def _accepts(setting: dataclasses.Field[Any]) -> str:
    kind = _KINDS[str(setting.type)]
    noun = {int: "a whole number", float: "a number", str: "text", list: "paths"}[kind]
    low, above, high = setting.metadata["ge"], setting.metadata["gt"], setting.metadata["le"]
    bounds = []
    if low is not None:
        bounds.append(f"at least {low:g}")
    if above is not None:
        bounds.append(f"more than {above:g}")
    if high is not None:
        bounds.append(f"at most {high:g}")
    return noun + (" " + " and ".join(bounds) if bounds else "")


def _parse(setting: dataclasses.Field[Any], variable: str, text: str) -> Any:
    kind = _KINDS[str(setting.type)]
    if kind is list:
        # One string: split it the way PATH is split, so that a policy team can list several
        # extension directories.
        return [Path(part) for part in text.split(os.pathsep) if part.strip()]
    if kind is str:
        return text
    try:
        return kind(text.strip())
    except ValueError:
        raise SettingsError(variable, text, _accepts(setting)) from None


def _check(setting: dataclasses.Field[Any], value: Any) -> None:
    variable = "PATHWAYS_" + setting.name.upper()
    kind = _KINDS[str(setting.type)]
    if value is None and str(setting.type).endswith("| None"):
        return
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise SettingsError(variable, value, _accepts(setting))
    if kind in (int, float):
        low, above, high = setting.metadata["ge"], setting.metadata["gt"], setting.metadata["le"]
        if (
            (low is not None and value < low)
            or (above is not None and value <= above)
            or (high is not None and value > high)
        ):
            raise SettingsError(variable, value, _accepts(setting))


@dataclass
class Settings:
    extend: list[Path] = _setting(  # noqa: RUF009 (_setting returns a dataclass field)
        factory=list,
        description=(
            "Extra Turtle files or directories loaded with ontology/ by every command, "
            "separated by the path separator (':' on Linux)."
        ),
    )

    max_turtle_bytes: int = _setting(
        default=MAX_FILE_BYTES,
        ge=1024,
        description="Largest Turtle file any command (and a reload) reads, in bytes; a larger "
        "file is refused with its name and size before it is read, and nothing is loaded.",
    )

    host: str = _setting(default="127.0.0.1", description="Address `pathways serve` listens on.")
    port: int = _setting(
        default=8000, ge=1, le=65535, description="Port `pathways serve` listens on."
    )
    store: str | None = _setting(
        default=None,
        description=(
            "URL of an external SPARQL 1.1 endpoint to serve from instead of the embedded store "
            "(its Graph Store Protocol endpoint is used to load it: see `pathways push`)."
        ),
    )
    query_timeout: float = _setting(
        default=10.0,
        gt=0,
        le=600,
        description="Seconds a SPARQL query may run before its worker is stopped (HTTP 503).",
    )
    max_rows: int = _setting(
        default=10_000,
        ge=1,
        description="Most result rows (or triples) a SPARQL response carries; beyond it the "
        "response is cut and says so in the `X-Pathways-Truncated` header.",
    )
    max_response_bytes: int = _setting(
        default=16_777_216,
        ge=1024,
        description="Most bytes of term text a SPARQL response carries; beyond it the response "
        "is cut, as at the row cap, and `X-Pathways-Truncated` says so.",
    )
    worker_memory_mb: int = _setting(
        default=1024,
        ge=0,
        description="Address-space limit (RLIMIT_AS) of each SPARQL worker process, in MiB; a "
        "query that needs more ends its worker (HTTP 503, and the worker is replaced); 0 means "
        "no limit.",
    )
    max_body_bytes: int = _setting(
        default=1_048_576,
        ge=1024,
        description="Largest request body or query string accepted, in bytes (HTTP 413 beyond).",
    )
    cors_origins: str = _setting(
        default="*",
        description="Origins allowed by CORS, comma-separated; `*` allows any, never with "
        "credentials.",
    )
    workers: int = _setting(
        default=2,
        ge=1,
        le=16,
        description="SPARQL worker processes kept ready; a query past its deadline costs one, "
        "which is replaced.",
    )

    queue_size: int = _setting(
        default=16,
        ge=0,
        le=1000,
        description="SPARQL queries that may wait for a busy worker; beyond the workers plus "
        "this many, a query is answered 429 with `Retry-After` at once.",
    )
    client_limit: int = _setting(
        default=0,
        ge=0,
        description="Most SPARQL queries one client address may have in flight at once (429 "
        "beyond); 0 means no per-client limit.",
    )

    shutdown_timeout: float = _setting(
        default=10.0,
        gt=0,
        le=600,
        description="Seconds `pathways serve` waits for requests in flight when it is asked to "
        "stop, before it closes them.",
    )

    reload_token: str | None = _setting(
        default=None,
        description="Token that turns on POST /admin/reload (sent as 'Authorization: Bearer "
        "<token>', compared in constant time); unset, the endpoint is off.",
    )

    verdict_cache: str = _setting(
        factory=lambda: str(
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pathways"
        ),
        description="Folder where a conforming graph's validation verdict is remembered, under "
        "the SHA-256 of every Turtle file, shape and violation query and the code that judges "
        "them; `serve`, `site` and a reload skip validating byte-identical inputs. `validate` "
        "always validates. `pathways roadmap` keeps the roadmap index there too, under the "
        "SHA-256 of the Turtle, the named queries and the code that builds it. Empty turns "
        "both off.",
    )

    @property
    def verdict_folder(self) -> Path | None:
        return Path(self.verdict_cache).expanduser() if self.verdict_cache.strip() else None

    def __post_init__(self) -> None:
        for setting in dataclasses.fields(self):
            _check(setting, getattr(self, setting.name))

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the ``PATHWAYS_*`` variables of ``environ`` (the process's) give; the
        others keep their defaults, and variables no setting reads are ignored."""
        environ = os.environ if environ is None else environ
        given: dict[str, Any] = {}
        for setting in dataclasses.fields(cls):
            variable = "PATHWAYS_" + setting.name.upper()
            if variable in environ:
                given[setting.name] = _parse(setting, variable, environ[variable])
        try:
            return cls(**given)
        except SettingsError as error:
            # Said as it was written ("0", not the 0.0 it was read as).
            raise SettingsError(error.variable, environ[error.variable], error.accepts) from None

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes``, checked as the settings were (the command line's options)."""
        return dataclasses.replace(self, **changes)


def get_settings() -> Settings:
    return Settings.from_environment()
