"""The pages as served: built on demand from the served graph by the functions `pathways site`
writes them with (issue 15: writing every page before the first answer took minutes and
gigabytes at a hundred times the shipped graph)."""

from __future__ import annotations

from pathlib import Path

from pathways.service.site_files import MEDIA_TYPES
from pathways.site.pages import write_site


def test_every_page_served_is_the_page_the_site_command_writes(client, shipped, tmp_path):
    written = write_site(shipped, tmp_path)
    pages = [p for p in written if p.suffix in MEDIA_TYPES]
    assert len(pages) > 350
    differing = []
    for path in pages:
        name = path.relative_to(tmp_path).as_posix()
        answer = client.get(f"/site/{name}")
        assert answer.status_code == 200, name
        if answer.content != path.read_bytes():
            differing.append(name)
        if not name.startswith("lib/"):
            assert answer.headers["content-type"] == MEDIA_TYPES[path.suffix], name
    assert differing == []
    assert client.get("/site/").content == (tmp_path / "index.html").read_bytes()
    icon = client.get("/site/lib/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")


def test_pages_are_built_when_asked_for_not_at_start(client):
    pages = client.app.state.pages
    pages._built = type(pages._built)(pages._built.limit)  # as at start (other tests ran)
    assert len(pages._built) == 0
    assert client.get("/site/roles/role-pwp.html").status_code == 200
    # The role's page came with its tables and downloads, and nothing else was built.
    built = {key[0] for key in pages._built._answers}
    assert "roles/role-pwp.html" in built and "roles/role-pwp.plan.js" in built
    assert all(name.startswith("roles/role-pwp.") for name in built), built


def test_no_page_is_a_json_404(client):
    for path in [
        "roles/role-no-such-role.html",
        "roles/",
        "professions/profession-nobody.html",
        "no-such-page.html",
        "roles/role-pwp.html.bak",
        "../pyproject.toml",
        "%2e%2e/pyproject.toml",
        "lib/../../pyproject.toml",
    ]:
        answer = client.get(f"/site/{path}")
        assert answer.status_code == 404, path
        if answer.headers["content-type"].startswith("application/json"):
            body = answer.json()
            assert body["error"]["status"] == 404, body
    body = client.get("/site/roles/role-no-such-role.html").json()["error"]
    assert (
        body["code"] == "no_such_page" and "/site/roles/role-no-such-role.html" in body["message"]
    )


def test_a_head_request_has_the_length_and_no_body(client):
    get = client.get("/site/roles/role-pwp.html")
    head = client.head("/site/roles/role-pwp.html")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"] == str(len(get.content))


def test_the_site_folder_holds_only_the_shared_library(client):
    folder: Path = client.app.state.site_folder
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names and all(n.startswith("lib/") for n in names), names


def test_starting_the_server_imports_no_page_or_push_machinery():
    """Regression (issue 15): every start imported pyvis to find its copy of vis-network (0.13
    s: jinja2, networkx, IPython's hooks), the page templates (jinja2) to write the shared
    library, and httpx (with its own command line and rich) for an external engine it was not
    given. A fresh interpreter starts the app and answers /health without them; the first
    page asked for brings the templates in."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathways.graph.loader import load\n"
        "from pathways.service.api import create_app\n"
        "from pathways.service.settings import Settings\n"
        "app = create_app(Settings(workers=1), load())\n"
        "assert 'httpx' not in sys.modules\n"
        "from fastapi.testclient import TestClient  # which needs httpx itself\n"
        "heavy = ['pyvis', 'jinja2', 'networkx', 'pyshacl', 'pathways.site.pages']\n"
        "with TestClient(app) as client:\n"
        "    assert client.get('/health').status_code == 200\n"
        "    print(','.join(m for m in heavy if m in sys.modules))\n"
        "    assert client.get('/site/lib/vis-network.min.js').status_code == 200\n"
        "    assert client.get('/site/index.html').status_code == 200\n"
        "    print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["", "jinja2,pathways.site.pages"]
