"""The HS nomenclature (HS 2022, bundled) and the correlations of older versions to it:
HS 2017 to HS 2022, and HS 2012 to HS 2017."""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path


def goods_data_dir() -> Path:
    return Path(str(resources.files("corridor.data").joinpath("goods")))


@dataclass(frozen=True)
class HsEntry:
    code: str  # 2, 4 or 6 digits
    description: str
    parent: str
    section: str


@dataclass
class Nomenclature:
    """HS codes with descriptions, and the correlation between HS 2017 and HS 2022."""

    entries: dict[str, HsEntry]
    sections: dict[str, str]
    to_2022: dict[str, list[str]] = field(default_factory=dict)  # HS 2017 code -> HS 2022
    to_2017: dict[str, list[str]] = field(default_factory=dict)  # HS 2022 code -> HS 2017
    notes: dict[str, str] = field(default_factory=dict)  # HS 2017 code -> what changed
    unchanged: set[str] = field(default_factory=set)  # HS 2017 codes the same in HS 2022
    from_2012: dict[str, list[str]] = field(default_factory=dict)  # HS 2012 -> HS 2017

    def older_to_2022(self, code: str, version: str) -> list[str]:
        """The HS 2022 subheadings an older HS subheading (2017 or 2012) corresponds to
        (empty when the correlation does not know it)."""
        if version == "2012":
            out: list[str] = []
            for mid in self.from_2012.get(code, []):
                for new in self.to_2022.get(mid, []):
                    if new not in out:
                        out.append(new)
            return out
        return list(self.to_2022.get(code, []))

    def older_version_of(self, code: str) -> str | None:
        """The older HS version a subheading that HS 2022 lacks comes from (2017 first)."""
        if code in self.to_2022 and code not in self.entries:
            return "2017"
        if code in self.from_2012 and code not in self.entries:
            return "2012"
        return None

    def get(self, code: str) -> HsEntry | None:
        return self.entries.get(code)

    def description(self, code: str) -> str | None:
        entry = self.entries.get(code)
        return entry.description if entry else None

    def children(self, code: str) -> list[str]:
        return sorted(c for c, e in self.entries.items() if e.parent == code)

    def subheadings(self) -> list[HsEntry]:
        return [e for c, e in self.entries.items() if len(c) == 6]

    def path(self, code: str) -> list[HsEntry]:
        """Chapter, heading and subheading entries of ``code`` (those that exist)."""
        return [e for n in (2, 4, 6) if len(code) >= n and (e := self.entries.get(code[:n]))]

    def section_name(self, code: str) -> str | None:
        entry = self.entries.get(code[:2])
        return self.sections.get(entry.section) if entry else None


def _read_correlation(nom: Nomenclature, path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            old, new = row["hs2017"].strip(), row["hs2022"].strip()
            nom.to_2022.setdefault(old, []).append(new)
            nom.to_2017.setdefault(new, []).append(old)
            if row.get("note"):
                nom.notes[old] = row["note"].strip()
            if row.get("relation", "").strip() == "unchanged":
                nom.unchanged.add(old)


def _read_2012(nom: Nomenclature, path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            old, new = row["hs2012"].strip(), row["hs2017"].strip()
            nom.from_2012.setdefault(old, []).append(new)


@cache
def hs2022() -> Nomenclature:
    """The bundled HS 2022 nomenclature (5,613 subheadings) with the correlation table."""
    base = goods_data_dir()
    entries: dict[str, HsEntry] = {}
    with gzip.open(base / "hs2022.csv.gz", "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        for row in csv.DictReader(text):
            code = row["hscode"].strip()
            if code.isdigit():
                entries[code] = HsEntry(
                    code, row["description"].strip(), row["parent"].strip(), row["section"]
                )
    with (base / "hs2022_sections.csv").open(encoding="utf-8-sig", newline="") as fh:
        sections = {r["section"]: r["name"] for r in csv.DictReader(fh)}
    nom = Nomenclature(entries, sections)
    _read_correlation(nom, base / "hs2017_2022.csv")
    _read_2012(nom, base / "hs2012_2017.csv")
    return nom
