"""The access log: one line per request with an id, the status and the latency."""

from __future__ import annotations

import logging
import re


def access_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "pathways.access"]


def test_each_request_gets_an_id_and_a_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="pathways.access"):
        response = client.get("/api/professions")
        refused = client.get("/sparql", params={"query": "DELETE WHERE { ?s ?p ?o }"})
    request_id = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{16}", request_id)
    assert refused.headers["x-request-id"] != request_id
    lines = access_lines(caplog)
    assert len(lines) == 2
    assert re.fullmatch(rf"{request_id} \S+ GET /api/professions 200 [0-9.]+ms", lines[0])
    assert " 403 " in lines[1]


def test_a_plain_client_id_is_kept_and_a_hostile_one_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="pathways.access"):
        kept = client.get("/health", headers={"X-Request-Id": "advice-desk.42"})
        replaced = client.get("/health", headers={"X-Request-Id": "x\\n200 forged line"})
    assert kept.headers["x-request-id"] == "advice-desk.42"
    assert "forged" not in replaced.headers["x-request-id"]
    assert all("forged" not in line for line in access_lines(caplog))


def test_long_targets_are_cut_in_the_log(client, caplog):
    with caplog.at_level(logging.INFO, logger="pathways.access"):
        client.get("/sparql", params={"query": "ASK {} #" + "x" * 3000})
    (line,) = access_lines(caplog)
    assert len(line) < 400
    assert "chars)" in line
