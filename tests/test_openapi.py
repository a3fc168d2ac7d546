"""The OpenAPI document tells the truth: every operation documents its success answer, its real
error statuses in the one error shape, and the media types it really sends."""

from __future__ import annotations

import pytest

# --- the document itself, and one regression test per failure schemathesis found ------------


@pytest.fixture(scope="module")
def spec(client):
    return client.get("/openapi.json").json()


def _operations(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_no_operation_documents_fastapis_validation_error(spec):
    # errors.py answers validation errors as {"error": {...}}; {"detail": [...]} is never sent.
    assert "HTTPValidationError" not in str(spec)
    for name, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if status.startswith("4") and not (name == "POST /admin/reload" and status == "422"):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (name, status)


def test_error_shape_in_the_document_is_the_one_sent(client, spec):
    documented = spec["components"]["schemas"]["ErrorDetail"]
    sent = client.get("/api/roles/no-such-role").json()["error"]
    assert (
        set(documented["required"])
        == set(sent)
        == {"status", "code", "message", "field", "suggestions"}
    )


def test_not_found_is_documented_where_it_is_answered(spec):
    # Six operations answered 404 (unknown role, query, IRI, download) without documenting it.
    for name in [
        "GET /api/roles/{role}",
        "GET /api/roadmap/{role}",
        "POST /api/roadmap/{role}",
        "GET /api/compare",
        "GET /api/queries/{name}",
        "GET /id/{local}",
        "GET /download/graph.{extension}",
    ]:
        assert "404" in dict(_operations(spec))[name]["responses"], name


def test_compare_takes_two_or_three_roles_by_its_schema(client, spec):
    # The schema allowed up to 200 names (max_length bounded the list); compare refused all but
    # two or three, so schema-valid requests were refused.
    (parameter,) = dict(_operations(spec))["GET /api/compare"]["parameters"]
    assert (parameter["schema"]["minItems"], parameter["schema"]["maxItems"]) == (2, 3)
    assert parameter["schema"]["items"]["maxLength"] == 200
    four = client.get("/api/compare", params=[("role", "role-pwp")] * 4)
    assert four.status_code == 422 and four.json()["error"]["field"] == "role"
    long_name = client.get("/api/compare", params=[("role", "x" * 201), ("role", "role-pwp")])
    assert long_name.status_code == 422


def test_unreadable_roadmap_body_is_a_documented_400(client, spec):
    # A body that is not UTF-8 is answered 400 by FastAPI before validation; it was undocumented.
    response = client.post(
        "/api/roadmap/role-pwp", content=b"\xff\xfe{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
    assert "400" in dict(_operations(spec))["POST /api/roadmap/{role}"]["responses"]


@pytest.mark.parametrize(
    ("path", "name"), [("/def", "GET /def"), ("/sparql", "GET /sparql"), ("/id/role-pwp", None)]
)
def test_rdf_answers_are_documented_in_their_media_types(client, spec, path, name):
    # /def and the service description said application/json and sent Turtle.
    response = client.get(path, headers={"accept": "text/turtle"})
    documented = dict(_operations(spec))[name or "GET /id/{local}"]["responses"]["200"]
    assert response.headers["content-type"].split(";")[0] in documented["content"]
    assert "application/json" not in documented["content"]


def test_sparql_declares_its_parameters_bodies_and_formats(spec):
    from pathways.sparql_results import CONTENT_TYPES

    formats = {media.split(";")[0] for media in CONTENT_TYPES.values()}
    get, post = spec["paths"]["/sparql"]["get"], spec["paths"]["/sparql"]["post"]
    assert (
        set(get["responses"]["200"]["content"])
        == formats
        == set(post["responses"]["200"]["content"])
    )
    assert len(formats) == 8
    parameters = {p["name"]: p for p in get["parameters"]}
    assert set(parameters) == {"query", "default-graph-uri", "named-graph-uri"}
    for name in ("default-graph-uri", "named-graph-uri"):
        assert parameters[name]["schema"]["type"] == "array" and parameters[name]["explode"]
    bodies = post["requestBody"]["content"]
    assert bodies["application/sparql-query"]["schema"]["type"] == "string"
    assert bodies["application/x-www-form-urlencoded"]["schema"]["required"] == ["query"]
    assert {"400", "403", "406", "413", "415", "429", "503"} <= set(post["responses"])
    assert "Retry-After" in post["responses"]["429"]["headers"]


def test_every_operation_documents_a_success_answer(spec):
    for name, operation in _operations(spec):
        success = operation["responses"]["200"]
        assert success["content"], name
        for media in success["content"].values():
            assert media["schema"], name
