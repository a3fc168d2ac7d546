"""The files every page shares (scripts, style sheets, the icon), the same for any graph.

Apart from the pages because the server writes these at start and builds the pages only when
first asked for one: starting does not import the page templates (jinja2) or their modules.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from importlib import resources
from pathlib import Path

from pathways.site import personal

VIS_SCRIPT = "lib/vis-network.min.js"
VIS_STYLE = "lib/vis-network.css"
STYLE_SHEET = "lib/pathways.css"
# The pages' own script (printing, and the graph's panel, buttons and legible scale): one copy,
# not inlined in every page.
SCRIPT = "lib/pathways.js"
FAVICON = "lib/favicon.svg"
# The site's mark: a rising route of three steps in the header's NHS blue (our own drawing).
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#003087"/>'
    '<path d="M6 25h7v-7h7v-7h6" fill="none" stroke="#fff" stroke-width="3"/></svg>\n'
)


def _pyvis_library() -> Path:
    """The folder of the vis-network copy shipped inside the pyvis package, found without
    importing pyvis: its import (jinja2, networkx, IPython's display hooks) took 0.13 s of
    every server start, for two files."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pyvis package is not installed: reinstall pathways")
    return Path(next(iter(spec.submodule_search_locations))) / "lib" / "vis-9.1.2"


def vis_network_source() -> Path:
    """The vis-network script shipped inside pyvis (no download)."""
    return _pyvis_library() / "vis-network.min.js"


def vis_network_style() -> str:
    """The rules of vis-network's own style sheet (shipped inside pyvis) that the pages use:
    the tooltip's. Without them the tooltip div has no position and is clipped out of sight.
    The rest (220 KB, mostly images for the editing and navigation buttons the pages do not
    show) would put a role page over its 600 KB budget."""
    sheet = _pyvis_library() / "vis-network.css"
    rules = re.findall(r"[^{}]+\{[^{}]*\}", sheet.read_text(encoding="utf-8"))
    kept = [rule.strip() for rule in rules if "vis-tooltip" in rule.partition("{")[0]]
    if not kept:
        raise RuntimeError(f"{sheet} has no vis-tooltip rule: the pyvis package changed")
    return "\n".join(kept) + "\n"


def write_library(out: Path) -> list[Path]:
    """The files every page shares (scripts, style sheets, the icon): the same for any graph."""
    script = out / VIS_SCRIPT
    script.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(vis_network_source(), script)
    sheet = out / STYLE_SHEET
    style = resources.files("pathways.site") / "templates" / "pathways.css"
    sheet.write_text(style.read_text(encoding="utf-8"), encoding="utf-8")
    behaviour = out / SCRIPT
    behaviour.write_text(personal.compact_script("pathways.js"), encoding="utf-8")
    scripts = [out / personal.SCRIPT, out / personal.ENGINE]
    for path in scripts:
        path.write_text(personal.compact_script(path.name), encoding="utf-8")
    vis_sheet = out / VIS_STYLE
    vis_sheet.write_text(vis_network_style(), encoding="utf-8")
    icon = out / FAVICON
    icon.write_text(FAVICON_SVG, encoding="utf-8")
    return [script, sheet, behaviour, *scripts, vis_sheet, icon]
