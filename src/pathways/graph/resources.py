"""Where the ontology, shapes and queries live, in a wheel or in a checkout.

A wheel carries them as package data under ``pathways/data/``; an editable install or a bare
checkout finds them at the top of the repository. Looking in both places keeps one code path for
developers and for people who ran ``pip install .``.
"""

from __future__ import annotations

from pathlib import Path

PP = "https://w3id.org/pp-pathways/def#"
PPID = "https://w3id.org/pp-pathways/id/"

_PACKAGED = Path(__file__).resolve().parents[1] / "data"  # pathways/data in a wheel
_CHECKOUT = Path(__file__).resolve().parents[3]  # the top of a checkout, above src/


class ResourceMissingError(RuntimeError):
    """The installed package has lost its ontology, shapes or queries."""


def data_root() -> Path:
    for root in (_PACKAGED, _CHECKOUT):
        if (root / "ontology").is_dir() and (root / "shapes").is_dir():
            return root
    raise ResourceMissingError(
        f"Neither {_PACKAGED} nor {_CHECKOUT} holds ontology/ and shapes/. "
        "Reinstall the package with `pip install .` from a checkout."
    )


def ontology_dir() -> Path:
    return data_root() / "ontology"


def shapes_dir() -> Path:
    return data_root() / "shapes"


def queries_dir() -> Path:
    return data_root() / "queries"
