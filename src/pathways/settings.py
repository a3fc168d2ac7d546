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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PATHWAYS_", extra="ignore")

    extend: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description=(
            "Extra Turtle files or directories loaded with ontology/ by every command, "
            "separated by the path separator (':' on Linux)."
        ),
    )

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
