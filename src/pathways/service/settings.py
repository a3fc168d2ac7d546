"""The one typed settings object, read from ``PATHWAYS_*`` environment variables.

Every field here must be documented in the README's settings table; ``tests/test_settings.py``
fails if one is not.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from pathways.graph.loader import MAX_FILE_BYTES


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PATHWAYS_", extra="ignore")

    extend: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description=(
            "Extra Turtle files or directories loaded with ontology/ by every command, "
            "separated by the path separator (':' on Linux)."
        ),
    )

    max_turtle_bytes: int = Field(
        default=MAX_FILE_BYTES,
        ge=1024,
        description="Largest Turtle file any command (and a reload) reads, in bytes; a larger "
        "file is refused with its name and size before it is read, and nothing is loaded.",
    )

    host: str = Field(default="127.0.0.1", description="Address `pathways serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `pathways serve` listens on.")
    store: str | None = Field(
        default=None,
        description=(
            "URL of an external SPARQL 1.1 endpoint to serve from instead of the embedded store "
            "(its Graph Store Protocol endpoint is used to load it: see `pathways push`)."
        ),
    )
    query_timeout: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="Seconds a SPARQL query may run before its worker is stopped (HTTP 503).",
    )
    max_rows: int = Field(
        default=10_000,
        ge=1,
        description="Most result rows (or triples) a SPARQL response carries; beyond it the "
        "response is cut and says so in the `X-Pathways-Truncated` header.",
    )
    max_response_bytes: int = Field(
        default=16_777_216,
        ge=1024,
        description="Most bytes of term text a SPARQL response carries; beyond it the response "
        "is cut, as at the row cap, and `X-Pathways-Truncated` says so.",
    )
    worker_memory_mb: int = Field(
        default=1024,
        ge=0,
        description="Address-space limit (RLIMIT_AS) of each SPARQL worker process, in MiB; a "
        "query that needs more ends its worker (HTTP 503, and the worker is replaced); 0 means "
        "no limit.",
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest request body or query string accepted, in bytes (HTTP 413 beyond).",
    )
    cors_origins: str = Field(
        default="*",
        description="Origins allowed by CORS, comma-separated; `*` allows any, never with "
        "credentials.",
    )
    workers: int = Field(
        default=2,
        ge=1,
        le=16,
        description="SPARQL worker processes kept ready; a query past its deadline costs one, "
        "which is replaced.",
    )

    queue_size: int = Field(
        default=16,
        ge=0,
        le=1000,
        description="SPARQL queries that may wait for a busy worker; beyond the workers plus "
        "this many, a query is answered 429 with `Retry-After` at once.",
    )
    client_limit: int = Field(
        default=0,
        ge=0,
        description="Most SPARQL queries one client address may have in flight at once (429 "
        "beyond); 0 means no per-client limit.",
    )

    shutdown_timeout: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="Seconds `pathways serve` waits for requests in flight when it is asked to "
        "stop, before it closes them.",
    )

    reload_token: str | None = Field(
        default=None,
        description="Token that turns on POST /admin/reload (sent as 'Authorization: Bearer "
        "<token>', compared in constant time); unset, the endpoint is off.",
    )

    verdict_cache: str = Field(
        default_factory=lambda: str(
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pathways"
        ),
        description="Folder where a conforming graph's validation verdict is remembered, under "
        "the SHA-256 of every Turtle file, shape and violation query and the code that judges "
        "them; `serve`, `site` and a reload skip validating byte-identical inputs. `validate` "
        "always validates. Empty turns it off.",
    )

    @property
    def verdict_folder(self) -> Path | None:
        return Path(self.verdict_cache).expanduser() if self.verdict_cache.strip() else None

    @field_validator("extend", mode="before")
    @classmethod
    def _split_paths(cls, value: Any) -> Any:
        # An environment variable is one string; split it the way PATH is split, so that a
        # policy team can list several extension directories.
        if isinstance(value, str):
            return [Path(part) for part in value.split(os.pathsep) if part.strip()]
        return value


def get_settings() -> Settings:
    return Settings()
