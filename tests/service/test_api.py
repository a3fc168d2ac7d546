"""The REST API through TestClient: lists, one role, roadmaps, compare, queries, one error shape."""

from __future__ import annotations

import pytest

ERROR_KEYS = {"status", "code", "message", "field", "suggestions"}


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status and body["error"]["code"] == code
    return body["error"]


def served_triples(shipped) -> int:
    from pathways.graph.inference import materialise

    return materialise(shipped).triple_count


def test_health(client, shipped):
    health = client.get("/health").json()
    assert health["status"] == "ok"
    assert health["triples"] == served_triples(shipped) > shipped.triple_count
    assert health["sparql_network_isolated"] is client.app.state.sparql.network_isolated


def test_openapi_and_docs(client):
    spec = client.get("/openapi.json").json()
    assert "/api/roadmap/{role}" in spec["paths"] and "/sparql" in spec["paths"]
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        ("/docs", ["swagger-ui-bundle.js", "swagger-ui.css"]),
        ("/redoc", ["redoc.standalone.js"]),
    ],
)
def test_docs_pages_load_their_viewers_from_this_server(client, page, assets):
    # They loaded Swagger UI and ReDoc from cdn.jsdelivr.net (and Google fonts): blank offline.
    import re

    answer = client.get(page)
    assert answer.status_code == 200
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    urls = re.findall(r'(?:src|href)="([^"]+)"', answer.text)
    assert urls and all(url.startswith("/static/docs/") for url in urls), urls
    for asset in assets:
        assert f"/static/docs/{asset}" in urls
        served = client.get(f"/static/docs/{asset}")
        assert served.status_code == 200 and len(served.content) > 100_000


def test_professions(client):
    professions = client.get("/api/professions").json()
    assert len(professions) == 12
    pwp = next(p for p in professions if p["abbreviation"] == "PWP")
    # PWPs hold their own four roles, the cross-profession leadership roles, the seats and the
    # NHS Talking Therapies senior practitioner role, but not the Table 1 roles at band 7 and
    # above that need a high-intensity or doctoral qualification.
    assert pwp["roles"] == 25


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, 89),
        ({"profession": "PWP"}, 25),
        ({"tier": "board"}, 9),
        ({"profession": "clinical psychologist", "tier": "tier-leader-manager"}, 6),
    ],
)
def test_roles_filters(client, params, count):
    roles = client.get("/api/roles", params=params).json()
    assert len(roles) == count


def test_roles_band_filter(client):
    roles = client.get("/api/roles", params={"band": "8a"}).json()
    assert roles and all("8" in r["bands"] or "7" in r["bands"] for r in roles)


def test_one_role(client):
    role = client.get("/api/roles/role-team-manager").json()
    assert role["tier"]["id"] == "tier-leader-manager"
    assert len(role["requirements"]) == 15
    assert role["progresses_to"]


def test_unknown_role_is_404_with_suggestions(client):
    error = assert_error(client.get("/api/roles/clinical psycholgist"), 404, "unknown_role")
    assert error["suggestions"][0] == "Clinical psychologist"


def test_bad_filter_is_422(client):
    error = assert_error(client.get("/api/roles", params={"band": "8z"}), 422, "invalid_parameter")
    assert error["field"] == "band" and "8a" in error["suggestions"]
    assert_error(
        client.get("/api/roles", params={"profession": "astronaut"}), 422, "invalid_parameter"
    )


def test_competencies_programmes_recommendations(client):
    competencies = client.get("/api/competencies").json()
    assert sum(c["kind"] == "hlm_dimension" for c in competencies) == 9
    assert len(client.get("/api/programmes").json()) == 15
    recommendations = client.get("/api/recommendations").json()
    assert [r["number"] for r in recommendations] == list(range(1, 19))
    assert "Progression" in str(recommendations[3]["realised_by"])


def test_roadmap_get_matches_the_cli(client):
    import json

    from conftest import run_cli

    api = client.get("/api/roadmap/role-pwp", params={"k": 2}).json()
    cli = json.loads(run_cli("roadmap", "role-pwp", "-k", "2", "--format", "json").output)
    assert api == cli


def test_roadmap_prefer_and_registration_match_the_cli(client):
    import json

    from conftest import run_cli

    api = client.get(
        "/api/roadmap/role-cbt-therapist",
        params={"prefer": "operational", "registration": "nmc", "k": 2},
    ).json()
    cli = json.loads(
        run_cli(
            "roadmap",
            "role-cbt-therapist",
            "--prefer",
            "operational",
            "--registration",
            "nmc",
            "-k",
            "2",
            "--format",
            "json",
        ).output
    )
    assert api == cli
    assert api["prefer"]["id"] == "function-operational"
    assert "role-director-of-nursing" in {seat["id"] for seat in api["seats"]}
    posted = client.post(
        "/api/roadmap/role-cbt-therapist",
        json={"prefer": "operational", "registration": ["nmc"], "k": 2},
    ).json()
    assert posted == api


@pytest.mark.parametrize(
    ("params", "field", "accepted"),
    [
        ({"prefer": "managerial"}, "prefer", ["clinical", "operational", "professional"]),
        ({"registration": "hcpc"}, "registration", ["gdc", "gmc", "nmc"]),
    ],
)
def test_unknown_prefer_or_registration_is_422_with_the_accepted_values(
    client, params, field, accepted
):
    error = assert_error(
        client.get("/api/roadmap/role-pwp", params=params), 422, "invalid_parameter"
    )
    assert error["field"] == field and sorted(error["suggestions"]) == accepted


def test_roadmap_post_with_self_assessment(client):
    body = {"k": 1, "self_assessment": {"Leading with care": "exemplary"}}
    roadmap = client.post("/api/roadmap/role-pwp", json=body).json()
    gaps = roadmap["routes"][0]["steps"][0]["gaps"]
    assert "Leading with care" not in [g["competency"]["label"] for g in gaps]


def test_roadmap_positive_action_and_options(client):
    roadmap = client.get(
        "/api/roadmap/role-pwp", params={"positive_action": "minority-ethnic", "k": 1}
    ).json()
    assert roadmap["routes"][0]["steps"][0]["positive_action"]
    assert_error(client.get("/api/roadmap/role-pwp", params={"k": 0}), 422, "invalid_parameter")
    assert_error(
        client.get("/api/roadmap/role-pwp", params={"positive_action": "martians"}),
        422,
        "invalid_parameter",
    )
    assert_error(client.post("/api/roadmap/role-pwp", json={"k": "many"}), 422, "invalid_parameter")
    assert_error(client.get("/api/roadmap/nobody"), 404, "unknown_role")


def test_compare(client):
    result = client.get("/api/compare", params=[("role", "PWP lead"), ("role", "team manager")])
    assert [r["id"] for r in result.json()["roles"]] == ["role-pwp-lead", "role-team-manager"]
    assert_error(client.get("/api/compare", params={"role": "PWP lead"}), 422, "invalid_parameter")


def test_named_queries(client):
    listed = {q["name"]: q for q in client.get("/api/queries").json()}
    assert "role" in listed["role-requirements"]["parameters"]
    rows = client.get("/api/queries/role-requirements", params={"role": "ppid:role-pwp"}).json()
    assert len(rows["rows"]) == 15
    assert_error(client.get("/api/queries/nope"), 404, "unknown_query")
    assert_error(
        client.get("/api/queries/role-requirements", params={"rol": "x"}), 422, "invalid_parameter"
    )


def test_unknown_path_has_the_error_shape(client):
    assert_error(client.get("/api/nothing-here"), 404, "not_found")


@pytest.mark.parametrize(
    "hostile",
    [
        '"} #',
        "} UNION { ?s ?p ?o } #",
        "<http://evil/>",
        "' OR '1'='1",
        "ppid:role-pwp> ; DROP ALL",
    ],
)
def test_injection_through_every_rest_parameter(client, shipped, hostile):
    assert client.get(f"/api/roles/{hostile}").status_code == 404
    assert client.get("/api/roles", params={"profession": hostile}).status_code == 422
    assert client.get("/api/roles", params={"tier": hostile}).status_code == 422
    assert client.get("/api/roles", params={"band": hostile}).status_code == 422
    assert client.get(f"/api/roadmap/{hostile}").status_code == 404
    assert client.get("/api/roadmap/role-pwp", params={"to": hostile}).status_code == 404
    assert client.get("/api/roadmap/role-pwp", params={"profession": hostile}).status_code == 422
    rows = client.get("/api/queries/role-requirements", params={"role": hostile})
    assert (rows.status_code == 200 and rows.json()["rows"] == []) or rows.status_code == 422
    assert client.get("/health").json()["triples"] == served_triples(shipped)


def test_cors_allows_any_origin_without_credentials(client):
    response = client.get("/api/professions", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize("path", ["/health", "/api/professions", "/sparql?query=ASK%20%7B%7D", "/"])
def test_head_answers_like_get_without_a_body(client, path):
    """Regression: HEAD answered 405 on every GET route."""
    got = client.get(path, follow_redirects=False)
    head = client.head(path, follow_redirects=False)
    assert head.status_code == got.status_code
    assert head.content == b""
    # (/ is a redirect to the pages, with no body and so no content type.)
    assert head.headers.get("content-type") == got.headers.get("content-type")
    assert head.headers.get("location") == got.headers.get("location")


def test_405_names_every_method_the_path_answers(client):
    """Regression: 405s had no Allow header (and Starlette's names one route's methods)."""
    response = client.put("/sparql")
    assert_error(response, 405, "method_not_allowed")
    assert (
        response.headers["allow"] == "GET, HEAD, OPTIONS, POST"
        or response.headers["allow"] == "GET, HEAD, POST"
    )
    response = client.delete("/api/professions")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_a_browser_opening_the_server_lands_on_the_pages(client):
    """Regression (issue 14): http://127.0.0.1:8000/ answered a JSON 404, and the pages' shared
    library was sent uncompressed and uncached on every page."""
    root = client.get("/", follow_redirects=False)
    assert root.status_code == 307 and root.headers["location"] == "/site/"
    assert "<h1>" in client.get("/").text
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    library = client.get("/site/lib/vis-network.min.js", headers={"Accept-Encoding": "gzip"})
    assert library.status_code == 200
    assert library.headers["content-encoding"] == "gzip"
    assert library.headers["cache-control"] == "public, max-age=86400"
    assert len(library.content) > 400_000  # decoded: the whole script arrived
    assert library.num_bytes_downloaded < 200_000  # sent: compressed
    # Pages themselves are not cached: a rebuild must show at once.
    page = client.get("/site/index.html")
    assert page.status_code == 200 and "cache-control" not in page.headers
