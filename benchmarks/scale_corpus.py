"""A synthetic FollowTheMoney corpus of any size, from real name distributions.

    python benchmarks/scale_corpus.py 2000000 --output /tmp/scale.ftm.json

People are drawn from the most common forenames and surnames of 100+ countries
(``../shared/data/names``, CC0), in their native script and romanisation, with the structure
of listed people: a primary name, aliases in another script and order, patronymics where the
country uses them, now and then a misspelt alias, a date of birth and a nationality. Real
surname lists hold a few thousand names, while a corpus of millions holds hundreds of thousands:
a share of surnames is therefore spliced from two real surnames of the same country at a
syllable boundary (Grigor|enko), which gives the long tail of rare words a real corpus has.
Organisations take their words from the bundled lists' own organisation names (the words of
real listed companies), with legal forms in several languages and a transliterated alias;
vessels take theirs from the bundled vessel names, with an IMO number. The seed makes the
corpus the same on every run.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corridor.lists.bundled import bundled_lists  # noqa: E402
from corridor.lists.read import open_list  # noqa: E402
from corridor.model.entity import EntityKind  # noqa: E402
from corridor.names.analyze import TokenKind, analyze  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NAMES = SHARED / "names" / "sigpwned_popular_names"
SEED = 20261202
SPLICED = 0.45  # share of surnames spliced from two real ones (the rare tail)
LEGAL_FORMS = [
    "LLC", "LLP", "JSC", "Ltd", "Limited", "GmbH", "AG", "S.A.", "Co., Ltd.", "ООО", "АО",
    "ТОО", "ПАО", "OOO", "TOO", "A.Ş.", "FZE", "FZCO", "Pte Ltd", "Inc.",
]  # fmt: skip
PATRONYMIC = {"RU": ("ovich", "ovna"), "BY": ("ovich", "ovna"), "UA": ("ovych", "ivna"),
              "KZ": ("uly", "kyzy"), "UZ": ("ovich", "ovna"), "KG": ("uulu", "kyzy")}  # fmt: skip
VOWELS = set("aeiouy")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


class Vocabulary:
    """The words the generator draws from."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.forenames: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for row in _rows(NAMES / "common-forenames-by-country.csv"):
            roman = row["Romanized Name"].strip()
            if roman:
                self.forenames[row["Country"]].append(
                    (roman, row["Localized Name"].strip() or roman, row["Gender"].strip() or "M")
                )
        self.surnames: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in _rows(NAMES / "common-surnames-by-country.csv"):
            roman = row["Romanized Name"].strip()
            if roman:
                self.surnames[row["Country"]].append(
                    (roman, row["Localized Name"].strip() or roman)
                )
        self.countries = sorted(set(self.forenames) & set(self.surnames))
        org_words: set[str] = set()
        vessel_words: set[str] = set()
        for item in bundled_lists():
            for ent in open_list(item.path, item.format, item.source):
                for name in ent.names[:3]:
                    if ent.kind is EntityKind.ORGANIZATION:
                        analysed = analyze(name.full, True)
                        org_words.update(
                            t.text.capitalize()
                            for t in analysed.tokens
                            if t.kind in (TokenKind.NAME, TokenKind.GENERIC) and len(t.text) > 2
                        )
                    elif ent.kind is EntityKind.VESSEL:
                        vessel_words.update(
                            w for w in name.full.upper().split() if w.isalpha() and len(w) > 2
                        )
        self.org_words = sorted(org_words)
        self.vessel_words = sorted(vessel_words)

    def surname(self, country: str) -> tuple[str, str]:
        pool = self.surnames[country]
        first = pool[min(int(self.rng.paretovariate(1.2)) - 1, len(pool) - 1)]
        if self.rng.random() >= SPLICED or len(first[0]) < 5:
            return first
        second = self.rng.choice(pool)
        a, b = first[0], second[0]
        cut_a = next((i for i in range(2, len(a)) if a[i - 1].lower() in VOWELS), len(a))
        cut_b = next((i for i in range(1, len(b) - 2) if b[i].lower() in VOWELS), 1)
        roman = (a[:cut_a] + b[cut_b:]).capitalize()
        return roman, roman

    def forename(self, country: str, gender: str | None = None) -> tuple[str, str, str]:
        pool = self.forenames[country]
        gender = gender or self.rng.choice("FM")
        pool = [f for f in pool if f[2].upper().startswith(gender)] or pool
        return pool[min(int(self.rng.paretovariate(1.1)) - 1, len(pool) - 1)]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.4:
        return word[:i] + word[i + 1 :]
    if op < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiouklmnrst") + word[i + 1 :]


def person(n: int, vocab: Vocabulary, rng: random.Random) -> dict[str, Any]:
    country = rng.choice(vocab.countries)
    given, given_native, gender = vocab.forename(country)
    family, family_native = vocab.surname(country)
    names = [f"{given} {family}"]
    aliases = [f"{family.upper()}, {given}"]
    suffix = PATRONYMIC.get(country)
    if suffix and rng.random() < 0.7:
        father = vocab.forename(country, "M")[0]
        patronymic = father + (suffix[0] if gender.upper().startswith("M") else suffix[1])
        names = [f"{given} {patronymic} {family}"]
    if family_native != family:  # a native-script alias where the surname has one
        aliases.append(f"{family_native} {given_native}")
    if rng.random() < 0.25:
        aliases.append(f"{given} {_typo(family, rng)}")
    if rng.random() < 0.15:
        aliases.append(f"{vocab.forename(country)[0]} {family}")
    year = rng.randint(1940, 2000)
    props = {
        "name": names,
        "alias": aliases,
        "birthDate": [f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"],
        "nationality": [country.lower()],
        "gender": ["male" if gender.upper().startswith("M") else "female"],
    }
    return {"id": f"syn-p-{n}", "schema": "Person", "properties": props}


def organisation(n: int, vocab: Vocabulary, rng: random.Random) -> dict[str, Any]:
    words = rng.sample(vocab.org_words, rng.choice((1, 2, 2, 3)))
    if rng.random() < 0.3:  # a coined word, as company names often are
        country = rng.choice(vocab.countries)
        words.insert(0, vocab.surname(country)[0])
    form = rng.choice(LEGAL_FORMS)
    base = " ".join(words)
    aliases = [f"{base} {rng.choice(LEGAL_FORMS)}"]
    if rng.random() < 0.3:
        aliases.append(base.upper())
    props = {
        "name": [f"{base} {form}"],
        "alias": aliases,
        "country": [rng.choice(vocab.countries).lower()],
    }
    return {"id": f"syn-o-{n}", "schema": "Company", "properties": props}


def vessel(n: int, vocab: Vocabulary, rng: random.Random) -> dict[str, Any]:
    words = rng.sample(vocab.vessel_words, rng.choice((1, 1, 2)))
    if rng.random() < 0.3:
        words.append(str(rng.randint(1, 30)))
    props = {
        "name": [" ".join(words)],
        "imoNumber": [f"IMO{rng.randint(7_000_000, 9_999_999)}"],
        "flag": [rng.choice(vocab.countries).lower()],
    }
    return {"id": f"syn-v-{n}", "schema": "Vessel", "properties": props}


def generate(count: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    for n in range(count):
        roll = rng.random()
        if roll < 0.62:
            rec = person(n, vocab, rng)
        elif roll < 0.96:
            rec = organisation(n, vocab, rng)
        else:
            rec = vessel(n, vocab, rng)
        rec["datasets"] = ["synthetic"]
        rec["topics"] = ["sanction"]
        rec["target"] = True
        yield rec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("count", type=int)
    ap.add_argument("--output", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    with args.output.open("w", encoding="utf-8") as fh:
        for rec in generate(args.count, args.seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{args.count:,} entities written to {args.output}")


if __name__ == "__main__":
    main()
