"""The list snapshot shipped inside the package (see ``corridor/data/bundled/README.md``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class BundledList:
    source: str
    path: Path
    format: str
    as_of: str
    entries: int
    title: str
    origin: str
    licence: str


def bundled_dir() -> Path:
    return Path(str(resources.files("corridor.data").joinpath("bundled")))


def bundled_lists() -> list[BundledList]:
    """Every bundled list file with its provenance, in manifest order."""
    base = bundled_dir()
    data = tomllib.loads((base / "manifest.toml").read_text("utf-8"))
    return [
        BundledList(
            source=item["source"],
            path=base / item["file"],
            format=item["format"],
            as_of=item["as_of"],
            entries=int(item["entries"]),
            title=item["title"],
            origin=item["origin"],
            licence=item["licence"],
        )
        for item in data["lists"]
    ]
