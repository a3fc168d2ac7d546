"""Reloading a served graph: a good change is served, a failing one changes nothing served."""

from __future__ import annotations

import re
import shutil
import time

import pytest
from fastapi.testclient import TestClient

from conftest import DATA
from pathways.graph.loader import load
from pathways.service.api import create_app
from pathways.service.settings import Settings

NEW_ROLE = (
    (DATA / "valid-extension" / "programme.ttl")
    .read_text()
    .replace("programme-test-extension", "programme-test-reloaded")
    .replace("Test extension programme", "Programme added while serving")
)


@pytest.fixture
def served(tmp_path):
    extension = tmp_path / "extension"
    extension.mkdir()
    shutil.copy(DATA / "valid-extension" / "programme.ttl", extension / "programme.ttl")
    settings = Settings(reload_token="s3cret-token", workers=1, query_timeout=5)
    app = create_app(settings, load([extension]), extra=[extension])
    with TestClient(app) as client:
        yield client, extension


def reload(client, token="s3cret-token"):
    return client.post("/admin/reload", headers={"Authorization": f"Bearer {token}"})


def programme_labels(client):
    return {p["label"] for p in client.get("/api/programmes").json()}


def test_reload_needs_the_token(served):
    client, _ = served
    assert reload(client, "wrong").status_code == 403
    assert client.post("/admin/reload").status_code == 403
    # Regression: the token alone, without the Bearer scheme, was accepted.
    bare = client.post("/admin/reload", headers={"Authorization": "s3cret-token"})
    assert bare.status_code == 403
    basic = client.post("/admin/reload", headers={"Authorization": "Basic s3cret-token"})
    assert basic.status_code == 403


def test_reload_is_off_without_a_token(shipped):
    app = create_app(Settings(workers=1), shipped)
    with TestClient(app) as client:
        response = client.post("/admin/reload", headers={"Authorization": "Bearer x"})
        assert response.status_code == 404
        assert "PATHWAYS_RELOAD_TOKEN" in response.json()["error"]["message"]


def test_a_good_change_is_served_everywhere(served, caplog):
    client, extension = served
    before = client.get("/health").json()["triples"]
    (extension / "more.ttl").write_text(NEW_ROLE)
    with caplog.at_level("INFO", logger="pathways.reload"):
        response = reload(client)
    # Regression: a successful reload was not logged where an operator would see it.
    assert re.search(r"reloaded: \d+ triples from \d+ files", caplog.text)
    assert response.status_code == 200 and response.json()["reloaded"] is True
    assert client.get("/health").json()["triples"] > before
    assert "Programme added while serving" in programme_labels(client)
    sparql = client.get(
        "/sparql",
        params={"query": "ASK { <https://w3id.org/pp-pathways/id/programme-test-reloaded> ?p ?o }"},
    )
    assert sparql.json()["boolean"] is True


def test_a_failing_change_keeps_the_last_good_graph(served, caplog):
    client, extension = served
    before = client.get("/health").json()["triples"]
    labels = programme_labels(client)
    (extension / "broken.ttl").write_text((DATA / "missing-label.ttl").read_text())
    response = reload(client)
    assert response.status_code == 422
    body = response.json()
    assert body["reloaded"] is False and "violations" in body["message"]
    assert any(p["file"].endswith("broken.ttl") and p["line"] == 9 for p in body["problems"])
    assert client.get("/health").json()["triples"] == before
    assert programme_labels(client) == labels
    assert "reload refused" in caplog.text
    assert "broken.ttl:9" in caplog.text  # the file and line an operator needs


def test_a_syntax_error_keeps_the_last_good_graph(served):
    client, extension = served
    before = client.get("/health").json()["triples"]
    (extension / "typo.ttl").write_text((DATA / "syntax-error.ttl").read_text())
    response = reload(client)
    assert response.status_code == 422
    assert response.json()["problems"][0]["line"] == 11
    assert client.get("/health").json()["triples"] == before


def test_reload_on_change_watches_the_files(tmp_path):
    extension = tmp_path / "watched"
    extension.mkdir()
    app = create_app(Settings(workers=1), load(), extra=[extension], reload_on_change=True)
    with TestClient(app) as client:
        before = client.get("/health").json()["triples"]
        (extension / "more.ttl").write_text(NEW_ROLE)
        deadline = time.time() + 20
        while time.time() < deadline and client.get("/health").json()["triples"] == before:
            time.sleep(0.3)
        assert client.get("/health").json()["triples"] > before
        (extension / "broken.ttl").write_text((DATA / "missing-label.ttl").read_text())
        time.sleep(3)
        assert "Programme added while serving" in programme_labels(client)


def test_a_reload_lets_running_queries_finish(served):
    """Regression: a reload closed the worker pool under in-flight queries. Now the old pool
    drains: a query running across a reload ends as it would have (here, at its deadline)."""
    from concurrent.futures import ThreadPoolExecutor

    client, _ = served
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(client.get, "/sparql", params={"query": slow})
        time.sleep(0.5)
        assert reload(client).status_code == 200
        response = running.result()
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "deadline"
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_a_turtle_file_over_the_size_cap_is_refused_on_reload(served):
    client, extension = served
    client.app.state.settings.max_turtle_bytes = 200_000
    before = programme_labels(client)
    (extension / "big.ttl").write_text("# padding\n" * 30_000)  # 300,000 bytes
    response = reload(client)
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["file"].endswith("big.ttl")
    assert "300,000 bytes, over the limit of 200,000" in problem["message"]
    assert programme_labels(client) == before
