"""Layering, public surface and documentation checks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from corridor import exceptions
from corridor.settings import SETTINGS

PKG = Path(__file__).resolve().parent.parent / "corridor"
DOCS = Path(__file__).resolve().parent.parent / "docs"

# package -> Corridor packages it may import
ALLOWED = {
    "model": {"model", "exceptions"},
    "names": {"names", "model"},
    "matching": {"matching", "names", "model", "store", "exceptions"},
    "lists": {"lists", "model", "exceptions"},
    "store": {"store", "model", "lists", "exceptions"},
    "ownership": {"ownership", "lists", "model", "exceptions"},
    "goods": {"goods", "lists", "model", "exceptions"},
    "shipments": {
        "shipments",
        "goods",
        "places",
        "matching",
        "names",
        "lists",
        "model",
        "exceptions",
    },
    # embargoed places: the embargoes rules file and places found in free text
    "places": {"places", "model", "exceptions"},
    # payment messages read and screened
    "payments": {
        "payments",
        "matching",
        "names",
        "places",
        "goods",
        "lists",
        "model",
        "exceptions",
    },
    "service": {
        "service",
        "lists",
        "store",
        "model",
        "settings",
        "exceptions",
        "matching",
        "ownership",
        "goods",
        "shipments",
        "places",
        "payments",
        "profiles",
    },
    "batch": {"batch", "matching", "lists", "model", "exceptions"},
    "profiles": {"profiles", "matching", "names", "model", "exceptions"},
    # the REST adapter: over the service (and the types it hands back), never the reverse
    "api": {
        "api",
        "web",
        "service",
        "matching",
        "model",
        "goods",
        "shipments",
        "ownership",
        "profiles",
        "store",
        "settings",
        "exceptions",
    },
    # the web UI: pages over the service, mounted by the API's application
    "web": {
        "web",
        "service",
        "matching",
        "names",
        "model",
        "goods",
        "ownership",
        "profiles",
        "store",
        "settings",
        "exceptions",
    },
}
ADAPTER_ONLY = {"typer", "rich", "fastapi", "uvicorn", "starlette", "pyspark", "jinja2"}
ADAPTER_LIBS = {  # what each adapter may use
    "api": {"fastapi", "uvicorn", "starlette"},
    "web": {"fastapi", "starlette", "jinja2"},
    "batch": {"pyspark"},  # bulk screening runs on Spark (corridor.batch.spark, an extra)
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "corridor":
            names.update(f"corridor.{a.name}" for a in node.names)  # from corridor import web
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_layering(package: str) -> None:
    for path in (PKG / package).rglob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            if top not in ADAPTER_LIBS.get(package, ()):
                assert top not in ADAPTER_ONLY, f"{path}: {package} imports {name}"
            if top == "corridor":
                sub = name.split(".")[1]
                assert sub in ALLOWED[package], f"{path}: {package} may not import {name}"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text("utf-8")
    for spec in SETTINGS:
        assert f"`{spec.name}`" in text and f"`{spec.env}`" in text


def test_exception_tree_has_one_root_and_statuses() -> None:
    classes = [
        c for c in vars(exceptions).values() if isinstance(c, type) and issubclass(c, Exception)
    ]
    assert all(issubclass(c, exceptions.CorridorError) for c in classes)
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes))
    assert exceptions.ParseError.status == 422 and exceptions.NotFound.status == 404
    err = exceptions.ParseError("bad row", "sdn.csv", line=3, record="36")
    assert str(err) == "sdn.csv: line 3, record 36: bad row"
