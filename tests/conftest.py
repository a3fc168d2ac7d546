"""Shared fixtures: the shipped graph loaded once, the fixtures folder, a CLI runner."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pathways.cli import main
from pathways.graph.loader import LoadedGraph, load
from pathways.graph.validation import Report, validate

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]

# Verdicts the suite's commands remember go to a folder of its own, not the user's cache
# (graph/verdicts.py); commands run in subprocesses inherit it.
os.environ.setdefault("PATHWAYS_VERDICT_CACHE", tempfile.mkdtemp(prefix="pathways-test-verdicts-"))


@pytest.fixture(scope="session")
def shipped() -> LoadedGraph:
    return load()


@pytest.fixture(scope="session")
def shipped_report(shipped: LoadedGraph) -> Report:
    return validate(shipped)


@pytest.fixture
def data_dir() -> Path:
    return DATA


def run_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # pytest exits 5 when it collected no tests; CI must not read that as success.
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("\nERROR: no tests were collected; failing the run on purpose.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def client(shipped):
    """The app on the shipped graph through TestClient, with a short deadline for tests."""
    import warnings

    from fastapi.testclient import TestClient

    from pathways.service.api import create_app
    from pathways.service.settings import Settings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    settings = Settings(query_timeout=3, max_rows=50, max_body_bytes=4096, workers=2)
    with TestClient(create_app(settings, shipped)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_app(shipped):
    """The app on the shipped graph under a real uvicorn on loopback, in a thread of this
    process; yields its base URL. For clients that speak HTTP (schemathesis, a browser)."""
    import socket
    import threading
    import time

    import uvicorn

    from pathways.service.api import create_app
    from pathways.service.settings import Settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    # The deadline stays well under the clients' own timeout (test_openapi.REQUEST_TIMEOUT), so a
    # slow query gets its documented 503 rather than a client-side timeout (which flaked).
    settings = Settings(query_timeout=5, max_rows=50, workers=2)
    config = uvicorn.Config(
        create_app(settings, shipped), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-app", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the live app did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)
