"""One JSON error shape for the whole API, and the handlers that produce it.

Every error body is ``{"error": {"status", "code", "message", "field", "suggestions"}}``:
a person reads ``message``, a program switches on ``code``, and ``suggestions`` carries the
"did you mean" candidates for unknown names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from pathways.careers.roadmap import RoadmapError


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str = "",
        suggestions: Sequence[str] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.suggestions = list(suggestions)
        self.headers = headers
        super().__init__(message)


class ErrorDetail(BaseModel):
    status: int = Field(description="the HTTP status, repeated for clients that lose it")
    code: str = Field(description="a stable name to switch on, e.g. unknown_role, too_large")
    message: str = Field(description="what went wrong, for a person")
    field: str = Field(description="the parameter at fault, or '' when none is")
    suggestions: list[str] = Field(description="'did you mean' candidates; may be empty")


class ErrorBody(BaseModel):
    """The body of every error answer."""

    error: ErrorDetail


def error_body(
    status: int, code: str, message: str, field: str = "", suggestions: Sequence[str] = ()
) -> dict[str, Any]:
    detail = ErrorDetail(
        status=status, code=code, message=message, field=field, suggestions=list(suggestions)
    )
    return ErrorBody(error=detail).model_dump()


# What each status means on this API, for the OpenAPI description of error answers.
_MEANINGS = {
    400: "The request is malformed (e.g. a SPARQL query that does not parse)",
    403: "Refused: an update, a federated query, or a missing or wrong token",
    404: "Nothing is called that; `suggestions` lists close names",
    406: "No representation matches the Accept header; `suggestions` lists those offered",
    409: "The request conflicts with how the server runs",
    413: "The query string or body is larger than PATHWAYS_MAX_BODY_BYTES",
    415: "The body's Content-Type is not one this operation reads",
    422: "A parameter is invalid or names nothing; `field` says which",
    429: "Too many SPARQL queries in flight; retry after the Retry-After seconds",
    500: "The server failed to answer",
    503: "Unavailable for now (a deadline, busy or restarting workers); see Retry-After",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the error statuses an operation can answer, all with
    the one error shape, so the documented shape is the shape sent."""
    return {status: _error_response(status) for status in sorted(statuses)}


def _error_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {"model": ErrorBody, "description": _MEANINGS[status]}
    if status in {429, 503}:
        response["headers"] = {
            "Retry-After": {
                "description": "seconds to wait before trying again",
                "schema": {"type": "integer"},
            }
        }
    return response


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(
        error_body(error.status, error.code, error.message, error.field, error.suggestions),
        status_code=error.status,
        headers=error.headers,
    )


_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
    500: "internal_error",
    503: "unavailable",
}


def from_roadmap_error(error: RoadmapError) -> ApiError:
    # An unknown start role or target is a missing resource; anything else is a bad option.
    unknown = error.field in {"start", "target", "role", "roles"} and (
        "no role" in error.message or "matches" in error.message
    )
    status = 404 if unknown else 422
    code = "unknown_role" if unknown else "invalid_parameter"
    return ApiError(status, code, error.message, field=error.field, suggestions=error.suggestions)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, error: ApiError) -> JSONResponse:
        return error_response(error)

    @app.exception_handler(RoadmapError)
    async def _roadmap_error(_: Request, error: RoadmapError) -> JSONResponse:
        return error_response(from_roadmap_error(error))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(
            str(part) for part in first.get("loc", ()) if part not in {"query", "body"}
        )
        message = (
            f"{where}: {first.get('msg', 'invalid value')}"
            if where
            else str(first.get("msg", "invalid request"))
        )
        return JSONResponse(error_body(422, "invalid_parameter", message, where), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _CODES.get(error.status_code, "error")
        # Keep the exception's headers: a 405 carries Allow (RFC 9110 requires it).
        return JSONResponse(
            error_body(error.status_code, code, str(error.detail)),
            status_code=error.status_code,
            headers=dict(error.headers or {}),
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        return JSONResponse(
            error_body(500, "internal_error", f"unexpected error: {type(error).__name__}"),
            status_code=500,
        )
