"""The package's layers: imports run downwards only.

graph < careers < site < service < cli: each sub-package may import the ones before it, never
one after it (docs/architecture.md gives the reasons). Read from the source with ast, so a
lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pathways"
LAYERS = ["graph", "careers", "site", "service", "cli"]
MAY_IMPORT = {layer: set(LAYERS[: n + 1]) for n, layer in enumerate(LAYERS)}


def imported_layers(path: Path) -> dict[str, int]:
    """Each sub-package of pathways that ``path`` imports, with the line of the first import."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{path}:{node.lineno}: use absolute imports")
            names = [node.module or ""]
            if node.module == "pathways":
                names = [f"pathways.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "pathways" and len(parts) > 1 and parts[1] in LAYERS:
                found.setdefault(parts[1], node.lineno)
    return found


def modules() -> list[tuple[str, Path]]:
    found = [(layer, path) for layer in LAYERS for path in sorted((PACKAGE / layer).rglob("*.py"))]
    assert len(found) > 40, "the layer check found too few modules to mean anything"
    return found


def test_every_module_sits_in_a_layer():
    # __init__ holds the version; __main__ is `python -m pathways`, above every layer.
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"], f"modules outside the layers: {top}"


@pytest.mark.parametrize(
    ("layer", "path"), modules(), ids=[str(p.relative_to(PACKAGE)) for _, p in modules()]
)
def test_imports_run_downwards(layer, path):
    upward = {
        other: line
        for other, line in imported_layers(path).items()
        if other not in MAY_IMPORT[layer]
    }
    assert not upward, (
        f"{path.relative_to(PACKAGE)} ({layer}) imports "
        + ", ".join(f"pathways.{o} (line {n})" for o, n in upward.items())
        + f"; {layer} may import only {', '.join(sorted(MAY_IMPORT[layer]))}"
    )


def test_the_check_sees_an_upward_import(tmp_path):
    """The check cannot pass by reading nothing: an upward import is found, with its line."""
    module = tmp_path / "bad.py"
    module.write_text("import os\n\ndef f():\n    from pathways.service.api import create_app\n")
    assert imported_layers(module) == {"service": 4}


def test_the_architecture_document_states_the_rule_the_test_enforces():
    text = (PACKAGE.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "`" + " < ".join(LAYERS) + "`" in text
    for layer in LAYERS:
        assert f"**`pathways.{layer}`**" in text, layer
    # Every module is named in the document.
    for _, path in modules():
        if path.stem != "__init__":
            assert f"`{path.stem}`" in text, path.stem
