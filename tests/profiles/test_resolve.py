"""Cross-list resolution on the real bundled records (cases in cases.toml)."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor.model.entity import Entity, EntityKind, IdType
from corridor.profiles import DIFFERENT, SAME, Judgement, Resolution, Resolver
from corridor.profiles.keys import strong_keys, un_reference

CASES = tomllib.loads((Path(__file__).parent / "cases.toml").read_text("utf-8"))


def _profile_of(res: Resolution) -> dict[str, int]:
    return {eid: n for n, cluster in enumerate(res.clusters) for eid in cluster}


@pytest.mark.parametrize("case", CASES["same"], ids=[c["what"] for c in CASES["same"]])
def test_one_party(case: dict[str, Any], resolved: Resolution) -> None:
    of = _profile_of(resolved)
    first, *others = case["records"]
    assert {of[r] for r in case["records"]} == {of[first]}, case["what"]
    if "basis" in case:
        link = next((x for x in resolved.links if {x.a, x.b} == {first, others[0]}), None)
        assert link is not None and link.basis == case["basis"], link
        assert link.why()  # every link says why


@pytest.mark.parametrize("case", CASES["apart"], ids=[c["what"] for c in CASES["apart"]])
def test_two_parties(case: dict[str, Any], resolved: Resolution) -> None:
    of = _profile_of(resolved)
    a, b = case["records"]
    assert of[a] != of[b], case["what"]


@pytest.mark.parametrize("case", CASES["held"], ids=[c["what"] for c in CASES["held"]])
def test_held_apart_is_said(case: dict[str, Any], resolved: Resolution) -> None:
    a, b = case["records"]
    said = [h for h in resolved.held_apart if {h["a"], h["b"]} == {a, b}]
    assert said and case["why"] in said[0]["why"]


def test_no_profile_holds_two_records_of_one_list(
    resolved: Resolution, bundled: list[Entity]
) -> None:
    """No profile holds two records of one list, except the CSL's rows of the BIS and State
    lists, one per address of a party."""
    from corridor.model.listings import listing_parts
    from corridor.profiles.keys import repeats_parties

    groups: dict[str, set[str]] = {}
    for e in bundled:
        group = f"{e.source}/{listing_parts(e.source, e.lists)[1]}"
        groups.setdefault(e.id, set()).add(group + ("/" + e.id if repeats_parties(e) else ""))
    for cluster in resolved.clusters:
        seen: list[str] = [g for eid in cluster for g in sorted(groups[eid])]
        assert len(seen) == len(set(seen)), cluster


def test_vessel_by_imo(bundled: list[Entity]) -> None:
    """A vessel on the SDN list and a CSL copy without the OFAC record number: the IMO
    number alone links them."""
    sdn = next(
        e
        for e in bundled
        if e.source == "us_ofac_sdn"
        and e.kind is EntityKind.VESSEL
        and any(i.type is IdType.IMO for i in e.identifiers)
    )
    copy_ = next(e for e in bundled if e.id == "csl-sdn-" + sdn.id.removeprefix("ofac-"))
    stripped = copy.deepcopy(copy_)
    stripped.attributes.pop("entity_number", None)
    res = Resolver().resolve([sdn, stripped])
    assert res.clusters == [sorted([sdn.id, stripped.id])]
    assert res.links[0].basis == "identifier" and "IMO" in res.links[0].why()


def test_names_alone_never_link_persons(bundled: list[Entity]) -> None:
    """The same person's name, without a date of birth: not one party."""
    a = next(e for e in bundled if e.id == "ofac-35096")
    b = copy.deepcopy(a)
    b.id, b.source, b.birth_dates = "eu-test", "eu_fsf", []
    assert len(Resolver().resolve([a, b]).clusters) == 2
    b.birth_dates = ["1952-10-07"]
    assert len(Resolver().resolve([a, b]).clusters) == 1


def test_judgements_override(bundled: list[Entity]) -> None:
    by_id = {e.id: e for e in bundled}
    records = [by_id[i] for i in ("ofac-35096", "csl-sdn-35096", "ofac-17018")]
    split = Judgement("ofac-35096", "csl-sdn-35096", DIFFERENT, "ana", "checked")
    res = Resolver().resolve(records, [split])
    assert len(res.clusters) == 3
    assert any("split by an analyst" in h["why"] for h in res.held_apart)
    joined = Judgement("ofac-35096", "ofac-17018", SAME, "ana", "a test")
    res = Resolver().resolve(records, [joined])
    assert len(res.clusters) == 1
    assert any(x.basis == "judgement" and "ana" in x.why() for x in res.links)
    # the latest word on a pair counts
    res = Resolver().resolve(records, [joined, Judgement(joined.a, joined.b, DIFFERENT)])
    assert len(res.clusters) == 2


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("UN Ref QI.A.86.03.", "QDi.086"),
        ("UN Ref QE.A.4.01", "QDe.004"),
        ("UN Ref TI.H.12.01. Other", "TAi.012"),
        ("KPe.012", "KPe.012"),
        ("QDi.86", "QDi.086"),
        ("no reference here", None),
    ],
)
def test_un_references(text: str, ref: str | None) -> None:
    assert un_reference(text) == ref


def test_withheld_keys(bundled: list[Entity]) -> None:
    copy_ = next(e for e in bundled if e.id == "csl-sdn-35096")
    assert "ofac:ofac-35096" in strong_keys(copy_)
    assert "ofac:ofac-35096" not in strong_keys(copy_, frozenset({"ofac"}))
