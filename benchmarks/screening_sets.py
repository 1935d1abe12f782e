"""Evaluation sets for party screening, built from the real data in ../shared/data.

- aliases held out: entities of the OFAC 2021 legacy CSV set (aliases from alt.csv) and the UN
  list with two or more Latin names; for a seeded sample, one alias is removed from the entity
  and used as the query (with the entity's kind).
- cross-script: UN original-script names, the Cyrillic names of persons on the EU list (its
  Cyrillic organisation names are translations, not transliterations), and native-script
  forename + surname pairs of ../shared/data/names, each queried against an index that holds
  only the Latin forms.
- negatives: realistic customer names, a common forename and a common surname of the same
  country (romanised), over every country of ../shared/data/names; none is meant to be listed.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, replace
from pathlib import Path

from corridor.lists import open_list
from corridor.model.entity import Entity, EntityKind, Name, NameType

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = 20261122


@dataclass(frozen=True)
class Case:
    query: str
    kind: EntityKind | None
    expected: str | None  # entity id, None for negatives
    group: str


def _latin(name: Name) -> bool:
    return name.script in (None, "Latn") and all(ord(c) < 0x250 for c in name.full if c.isalpha())


def alias_heldout(sample: int = 1500) -> tuple[list[Entity], list[Case]]:
    rng = random.Random(SEED)
    ents = list(open_list(SHARED / "ofac/legacy_csv_2021-07-07/sdn.csv")) + list(
        open_list(SHARED / "un/UN_consolidated.xml")
    )
    eligible = [
        i
        for i, e in enumerate(ents)
        if sum(1 for n in e.names if _latin(n)) >= 2
        and any(n.type is not NameType.PRIMARY and _latin(n) for n in e.names)
    ]
    picked = set(rng.sample(eligible, min(sample, len(eligible))))
    cases: list[Case] = []
    out: list[Entity] = []
    for i, ent in enumerate(ents):
        if i in picked:
            aliases = [n for n in ent.names if n.type is not NameType.PRIMARY and _latin(n)]
            held = rng.choice(aliases)
            ent = replace(ent, names=[n for n in ent.names if n is not held])
            group = "ofac" if ent.id.startswith("ofac") else "un"
            cases.append(Case(held.full, ent.kind, ent.id, f"{group}-{ent.kind.value}"))
        out.append(ent)
    return out, cases


def _names_rows(kind: str) -> list[dict[str, str]]:
    path = SHARED / f"names/sigpwned_popular_names/common-{kind}-by-country.csv"
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _non_latin(text: str) -> bool:
    return any(c.isalpha() and ord(c) >= 0x250 for c in text)


NAME_GROUPS = {
    "RU": "ru-kz",
    "KZ": "ru-kz",
    "KG": "ru-kz",
    "BY": "ru-kz",
    "UA": "ru-kz",
    "TJ": "ru-kz",
    "UZ": "ru-kz",
    "MN": "ru-kz",
}


def cross_script(per_country: int = 60) -> tuple[list[Entity], list[Case]]:
    rng = random.Random(SEED + 1)
    index: list[Entity] = []
    cases: list[Case] = []
    un = list(open_list(SHARED / "un/UN_consolidated.xml"))
    for ent in un:
        originals = [n for n in ent.names if not _latin(n)]
        latin = [n for n in ent.names if _latin(n)]
        index.append(replace(ent, names=latin))
        for n in originals:
            cases.append(Case(n.full, ent.kind, ent.id, f"un-{n.script}"))
    eu = list(open_list(SHARED / "eu/fsf_v1.0_xml_2016-02-11_excerpt/data.xml"))
    for ent in eu:
        cyr = [n for n in ent.names if n.script == "Cyrl"]
        latin = [n for n in ent.names if _latin(n)]
        if not latin:
            continue
        if latin[0].type is not NameType.PRIMARY:
            latin[0] = replace(latin[0], type=NameType.PRIMARY)
        index.append(replace(ent, names=latin))
        # organisation names in Cyrillic are translations (Черен септември = Black
        # September), not transliterations: only persons' names test transliteration
        if ent.kind is EntityKind.PERSON:
            for n in cyr:
                cases.append(Case(n.full, ent.kind, ent.id, "eu-Cyrl"))
    # native-script names: forename + surname of one country, native vs romanised
    fores: dict[str, list[tuple[str, str]]] = {}
    surs: dict[str, list[tuple[str, str]]] = {}
    for row in _names_rows("forenames"):
        if row["Romanized Name"]:
            fores.setdefault(row["Country"], []).append(
                (row["Localized Name"] or row["Romanized Name"], row["Romanized Name"])
            )
    for row in _names_rows("surnames"):
        if row["Romanized Name"] and row["Localized Name"]:
            surs.setdefault(row["Country"], []).append(
                (row["Localized Name"], row["Romanized Name"])
            )
    n = 0
    for country in sorted(set(fores) & set(surs)):
        pairs = [
            (f, s)
            for f in fores[country]
            for s in surs[country]
            if _non_latin(f[0]) or _non_latin(s[0])
        ]
        if not pairs:
            continue
        for (f_loc, f_rom), (s_loc, s_rom) in rng.sample(pairs, min(per_country, len(pairs))):
            n += 1
            eid = f"names-{country}-{n}"
            latin_name = f"{f_rom} {s_rom}"
            index.append(
                Entity(
                    id=eid,
                    source="names",
                    kind=EntityKind.PERSON,
                    names=[Name(latin_name, NameType.PRIMARY)],
                )
            )
            group = NAME_GROUPS.get(country, "other")
            cases.append(
                Case(
                    f"{s_loc} {f_loc}" if n % 2 else f"{f_loc} {s_loc}",
                    EntityKind.PERSON,
                    eid,
                    f"names-{group}-{country}",
                )
            )
    return index, cases


def negatives(count: int = 2000) -> list[Case]:
    rng = random.Random(SEED + 2)
    fores: dict[str, list[str]] = {}
    surs: dict[str, list[str]] = {}
    for row in _names_rows("forenames"):
        if row["Romanized Name"]:
            fores.setdefault(row["Country"], []).append(row["Romanized Name"])
    for row in _names_rows("surnames"):
        if row["Romanized Name"]:
            surs.setdefault(row["Country"], []).append(row["Romanized Name"])
    countries = sorted(set(fores) & set(surs))
    seen: set[str] = set()
    cases = []
    while len(cases) < count:
        c = rng.choice(countries)
        name = f"{rng.choice(fores[c])} {rng.choice(surs[c])}"
        if name in seen:
            continue
        seen.add(name)
        cases.append(Case(name, EntityKind.PERSON, None, f"neg-{c}"))
    return cases
