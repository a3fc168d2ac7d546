"""The OpenAPI document: declarations FastAPI cannot infer, and the corrections it needs.

FastAPI documents a 422 ``HTTPValidationError`` (``{"detail": [...]}``) on every operation with
parameters, but errors.py answers validation errors in the one error shape, so that default is
replaced here by ``ErrorBody``. Non-JSON answers (SPARQL results, RDF, HTML) are declared with
their real media types through ``media_responses``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from pathways.service.errors import ErrorBody

_DEFAULT_422 = "#/components/schemas/HTTPValidationError"
_ERROR_REF = f"#/components/schemas/{ErrorBody.__name__}"


def _base(media_type: str) -> str:
    # "text/turtle; charset=utf-8" is sent; the document names the media type itself.
    return media_type.split(";")[0].strip()


# JSON answers are documented as JSON (clients and checkers parse them); the rest are text.
_JSON_SCHEMAS: dict[str, dict[str, Any]] = {
    "application/sparql-results+json": {"type": "object", "required": ["head"]},
    "application/json": {"type": "object", "required": ["head"]},
    "application/ld+json": {"type": ["object", "array"]},
}


def media_responses(media_types: Iterable[str], description: str) -> dict[int | str, Any]:
    """A 200 answered in any of ``media_types`` (the Content-Type values the route sends)."""
    content = {
        _base(m): {"schema": _JSON_SCHEMAS.get(_base(m), {"type": "string"})} for m in media_types
    }
    return {200: {"description": description, "content": content}}


def _without_default_422(document: dict[str, Any]) -> dict[str, Any]:
    """Every 422 that FastAPI described with its own validation schema now points at ours.

    Operations declare their errors with ``errors.error_responses`` (which puts ``ErrorBody`` in
    the components); this catches any operation that does not, so the lie cannot come back."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            response = operation.get("responses", {}).get("422")
            if not response:
                continue
            for media in response.get("content", {}).values():
                if media.get("schema", {}).get("$ref") == _DEFAULT_422:
                    media["schema"] = {"$ref": _ERROR_REF}
                    response["description"] = (
                        "A parameter is invalid or names nothing; `field` says which"
                    )
    schemas = document.get("components", {}).get("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    return document


def install(app: FastAPI) -> None:
    """Serve the corrected document at /openapi.json (built once, as FastAPI does)."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _without_default_422(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    replace: Callable[[], dict[str, Any]] = build
    app.openapi = replace  # type: ignore[method-assign]
