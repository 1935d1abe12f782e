"""Embargoed places found in free text (places.toml), and the embargoes file's checks."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor.exceptions import ConfigError
from corridor.places import PlaceFinder, bundled_embargoes, load_embargoes

CASES = tomllib.loads((Path(__file__).parent / "places.toml").read_text("utf-8"))["case"]
FINDER = PlaceFinder(bundled_embargoes())


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_place(case: dict[str, Any]) -> None:
    hits = FINDER.find(case["text"])
    if not case["expect"]:
        assert not hits, [h.to_dict() for h in hits]
        return
    code, kind, partial = case["expect"]
    found = {h.place.code: h for h in hits}
    assert code in found, [h.to_dict() for h in hits]
    assert (found[code].kind, found[code].partial) == (kind, partial)


def test_every_region_by_code_name_and_city_in_three_scripts() -> None:
    regions = ("UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65")
    seen: dict[str, set[str]] = {r: set() for r in regions}
    for case in CASES:
        if case["expect"] and case["expect"][0] in seen:
            text = case["text"]
            script = (
                "uk"
                if any(c in text for c in "іїєґ")
                else "ru"
                if any("\u0400" <= c <= "\u04ff" for c in text)
                else "latin"
            )
            seen[case["expect"][0]].add(f"{case['expect'][1]}:{script}")
    for region, kinds in seen.items():
        assert {"code:latin", "name:latin", "city:latin"} <= kinds, (region, kinds)
        assert any(k.endswith(":ru") for k in kinds), (region, kinds)
        assert any(k.endswith(":uk") for k in kinds), (region, kinds)


def test_the_bundled_embargoes() -> None:
    book = bundled_embargoes()
    for j in ("us", "eu", "uk", "un"):
        found = book.covering(j, "KP", "2025-06-01")
        assert found is not None and found.scope == "comprehensive", j
    assert book.covering("us", "CU", "2025-06-01").scope == "comprehensive"  # type: ignore[union-attr]
    assert book.covering("eu", "CU", "2025-06-01") is None
    # the US Syria programme ended on 30 June 2025; export controls remain
    assert book.covering("us", "SY", "2025-01-01").scope == "comprehensive"  # type: ignore[union-attr]
    assert book.covering("us", "SY", "2025-09-01").scope == "goods"  # type: ignore[union-attr]
    for region in ("UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"):
        assert book.covering("eu", region, "2025-06-01") is not None, region
        assert book.covering("uk", region, "2025-06-01") is not None, region
    assert book.covering("us", "UA-23", "2025-06-01") is None
    assert book.covering("un", "UA-43", "2025-06-01") is None


@pytest.mark.parametrize(
    "body,error",
    [
        (
            '[[embargo]]\njurisdiction = "us"\nplaces = ["XX"]\nscope = "goods"\n'
            'legal_basis = "x"\n',
            "XX have no",
        ),
        ('[[place]]\ncode = "UA-43"\ncountry = "RU"\nname = "x"\n', "does not match"),
        (
            '[[place]]\ncode = "IR"\ncountry = "IR"\nname = "Iran"\n[[embargo]]\n'
            'jurisdiction = "kz"\nplaces = ["IR"]\nscope = "goods"\nlegal_basis = "x"\n',
            "jurisdiction 'kz'",
        ),
        (
            '[[place]]\ncode = "IR"\ncountry = "IR"\nname = "Iran"\n[[embargo]]\n'
            'jurisdiction = "us"\nplaces = ["IR"]\nscope = "total"\nlegal_basis = "x"\n',
            "scope 'total'",
        ),
        (
            '[[place]]\ncode = "IR"\ncountry = "IR"\nname = "Iran"\n[[embargo]]\n'
            'jurisdiction = "us"\nplaces = ["IR"]\nscope = "goods"\nlegal_basis = "x"\n'
            'valid_from = "1 May 2024"\n',
            "expected an ISO date",
        ),
        ("[[place\n", "invalid TOML"),
    ],
)
def test_bad_embargoes_files(tmp_path: Path, body: str, error: str) -> None:
    path = tmp_path / "embargoes.toml"
    path.write_text(body, "utf-8")
    with pytest.raises(ConfigError, match=error) as info:
        load_embargoes(path)
    assert str(path) in str(info.value)
