"""A generator of realistic synthetic trade ledgers with planted circumvention patterns.

Background trade: Kazakh importers, exporters and traders (with BINs, incorporation dates and
activity codes) buying from Europe, China, Turkey, Korea, Japan, the US and India and selling
to Central Asia, China, Turkey and (unlisted goods only) Russia; goods drawn from the HS 2022
table (a tenth of them on the Common High Priority List), priced around a per-HS-6 unit value
with realistic spread; ordinary routes; payers who are the buyers; descriptions that fit the
codes, written in English or Russian; codes written as HS-6, CN-8 or TN VED-10.

Planted, with ground truth: each pattern of the rules (CP-01 new company trading listed
goods, CP-03 spike, CP-04 dormant then busy, CP-14 forwarder as consignee with no end user,
PAY-01 third-party payer, PAY-03 overpriced listed goods, SHP-01 re-routing after Russian
shipments, SHP-02 via a transshipment hub, SHP-04 import and re-export to Russia, SHP-06
coalition goods to Russia, SHP-07 missing, vague or contradicting codes, SHP-08 value far from
the usual, SHP-09 listed goods across Belarus and Russia). Where a planted document
necessarily meets another rule too (a re-export leaves from Kazakhstan, a hub; a fourfold
price is also far from the median), that rule is part of its ground truth.

``python benchmarks/trade_data.py OUT_DIR --lines N`` writes ``ledger.csv``,
``companies.csv`` and ``truth.json`` there.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corridor.goods import bundled_goods_lists, hs2022, read_goods_list  # noqa: E402
from corridor.model.trade import COMPANY_COLUMNS, LINE_COLUMNS  # noqa: E402
from corridor.shipments.context import company_key  # noqa: E402

SUPPLIER_COUNTRIES = ["DE", "IT", "PL", "CN", "CN", "CN", "TR", "KR", "JP", "US", "IN", "CZ"]
BUYER_COUNTRIES = ["UZ", "KG", "TJ", "CN", "TR", "AZ", "RU", "RU"]
NAME_A = [
    "Altyn",
    "Steppe",
    "Nomad",
    "Caspian",
    "Irtysh",
    "Ural",
    "Aral",
    "Tobol",
    "Ishim",
    "Esil",
    "Zhetysu",
    "Saryarka",
    "Baikonur",
    "Turan",
    "Orda",
    "Kazyna",
    "Alatau",
    "Kokshe",
    "Balkhash",
    "Emba",
    "Shu",
    "Talas",
    "Khan Tengri",
    "Burabay",
    "Sayram",
]
NAME_B = [
    "Trade",
    "Industrial",
    "Engineering",
    "Machinery",
    "Electro",
    "Agro",
    "Mining",
    "Build",
    "Tech",
    "Energy",
    "Metal",
    "Supply",
    "Systems",
    "Instruments",
    "Service",
]
FOREIGN = {
    "DE": ("GmbH", ["Elektronik", "Maschinen", "Technik", "Industrie", "Antrieb"]),
    "IT": ("SpA", ["Meccanica", "Elettronica", "Componenti", "Industriale"]),
    "PL": ("Sp z oo", ["Elektro", "Technika", "Przemysl"]),
    "CZ": ("sro", ["Strojirny", "Elektro", "Technika"]),
    "CN": (
        "Co Ltd",
        [
            "Shenzhen Electronics",
            "Ningbo Machinery",
            "Xiamen Trade",
            "Guangzhou Components",
            "Suzhou Industrial",
        ],
    ),
    "TR": ("AS", ["Makina", "Elektrik", "Sanayi", "Rulman"]),
    "KR": ("Co Ltd", ["Hanil Tech", "Daesung Machinery", "Seoul Electronics"]),
    "JP": ("KK", ["Tokyo Seiki", "Osaka Denki", "Nagoya Kikai"]),
    "US": ("Inc", ["Precision Instruments", "Advanced Components", "Industrial Supply"]),
    "IN": ("Pvt Ltd", ["Bharat Engineering", "Mumbai Metals", "Chennai Textiles"]),
    "UZ": ("MChJ", ["Tashkent Savdo", "Samarkand Invest", "Fergana Trade"]),
    "KG": ("OsOO", ["Bishkek Import", "Osh Trade", "Issyk-Kul Service"]),
    "TJ": ("JSK", ["Dushanbe Trade", "Khujand Import"]),
    "AZ": ("MMC", ["Baku Trade", "Ganja Industrial"]),
    "RU": ("OOO", ["Ural Torg", "Volga Produkt", "Sibir Agro", "Amur Trade", "Kuban Zerno"]),
    "AE": ("FZE", ["Gulf Components", "Jebel Ali Trading", "Emirates Supply"]),
    "HK": ("Ltd", ["Sino Bright Trading", "Harbour Star", "Kowloon Link"]),
}
OKED = ["46.69", "46.52", "46.51", "28.99", "10.61", "24.10", "41.20", "46.73", "33.12", "71.12"]
RU_BY_HEADING = {
    "8542": "микросхемы интегральные",
    "8482": "подшипники шариковые",
    "8532": "конденсаторы",
    "8541": "транзисторы и диоды полупроводниковые",
    "8517": "аппаратура связи, маршрутизаторы",
    "8471": "вычислительные машины, серверы",
    "8458": "токарные станки с ЧПУ",
    "8459": "фрезерные станки с ЧПУ",
    "8457": "обрабатывающие центры",
    "9030": "осциллографы, измерительные приборы",
    "8536": "разъемы и соединители",
    "8504": "преобразователи статические, блоки питания",
    "8526": "навигационная аппаратура GPS",
    "9013": "оптические прицелы и приборы",
    "8534": "печатные платы",
    "1001": "пшеница",
    "1101": "мука пшеничная",
    "2701": "уголь каменный",
    "5201": "хлопок",
    "7208": "прокат стальной",
    "8703": "автомобили легковые",
}


@dataclass
class Truth:
    docs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    companies: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def to_dict(self) -> dict[str, dict[str, list[str]]]:
        return {
            "docs": {k: sorted(v) for k, v in self.docs.items()},
            "companies": {k: sorted(v) for k, v in self.companies.items()},
        }


class Generator:
    def __init__(self, lines: int, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.target = lines
        nom = hs2022()
        chpl = {e.code for e in read_goods_list(bundled_goods_lists()[0].path)}
        subs = [e for e in nom.subheadings() if e.code[:2] not in ("93", "97", "99")]
        others = [e for e in subs if e.code not in chpl]
        self.rng.shuffle(others)
        self.plain = others[:400]
        self.listed = [e for e in subs if e.code in chpl]
        self.listed_codes = {e.code for e in self.listed}
        self.incorporated: dict[str, str] = {}
        self.price: dict[str, float] = {}
        self.unit: dict[str, str] = {}
        for e in self.plain + self.listed:
            piece = e.code[:2] in ("84", "85", "88", "90", "61", "62", "64", "87")
            self.unit[e.code] = "pcs" if piece else "kg"
            self.price[e.code] = math.exp(
                self.rng.uniform(1.0, 5.5) if piece else self.rng.uniform(-1.0, 2.5)
            )
        self.rows: list[dict[str, str]] = []
        self.companies: list[tuple[str, ...]] = []
        self.truth = Truth()
        self.n_doc = 0
        self.used_names: set[str] = set()

    # -- parties ---------------------------------------------------------------------------

    def _bin(self, incorporated: str) -> str:
        return f"{incorporated[2:4]}{incorporated[5:7]}40{self.rng.randrange(10**6):06d}"

    def kz_company(
        self, incorporated: str | None = None, activity: str | None = None, name: str | None = None
    ) -> str:
        while name is None or name in self.used_names:
            name = (
                f"{self.rng.choice(NAME_A)} {self.rng.choice(NAME_B)} "
                f"{self.rng.randrange(1, 999)} TOO"
            )
        self.used_names.add(name)
        inc = incorporated or self.day(date(1995, 1, 1), date(2018, 12, 31))
        self.incorporated[name] = inc
        self.companies.append((name, "KZ", self._bin(inc), inc, activity or self.rng.choice(OKED)))
        return name

    def foreign(self, country: str) -> str:
        suffix, stems = FOREIGN[country]
        return f"{self.rng.choice(stems)} {self.rng.randrange(1, 400)} {suffix}"

    def day(self, start: date, end: date) -> str:
        return (start + timedelta(days=self.rng.randrange((end - start).days + 1))).isoformat()

    # -- lines -----------------------------------------------------------------------------

    def code_text(self, hs6: str) -> str:
        style = self.rng.random()
        if style < 0.4:
            return f"{hs6[:4]}.{hs6[4:]}"
        if style < 0.7:
            return (
                f"{hs6[:4]} {hs6[4:]} {self.rng.randrange(100):02d} {self.rng.randrange(100):02d}"
            )
        return hs6 + f"{self.rng.randrange(100):02d}"

    def describe(self, hs6: str) -> str:
        text = hs2022().description(hs6) or "goods"
        if hs6[:4] in RU_BY_HEADING and self.rng.random() < 0.4:
            return RU_BY_HEADING[hs6[:4]]
        return text[:80]

    def line(
        self,
        *,
        doc: str | None = None,
        day: str,
        seller: str,
        sc: str,
        buyer: str,
        bc: str,
        hs6: str,
        qty: float | None = None,
        price_factor: float = 1.0,
        origin: str | None = None,
        dispatch: str | None = None,
        dest: str | None = None,
        transit: str = "",
        consignee: str | None = None,
        cc: str | None = None,
        payer: str | None = None,
        pc: str | None = None,
        code: str | None = None,
        description: str | None = None,
        manufacturer: str | None = None,
        end_user: str | None = None,
    ) -> str:
        if doc is None:
            self.n_doc += 1
            doc = f"D{self.n_doc:07d}"
        unit = self.unit[hs6]
        if qty is None:
            qty = (
                float(round(math.exp(self.rng.uniform(2, 7))))
                if unit == "pcs"
                else float(round(math.exp(self.rng.uniform(5, 10))))
            )
        price = self.price[hs6] * math.exp(self.rng.gauss(0, 0.15)) * price_factor
        value = round(qty * price, 2)
        currency = self.rng.choice(["USD", "EUR", "USD", "CNY", "RUB", "KZT"])
        rate = {"USD": 0.92, "EUR": 1.0, "CNY": 0.13, "RUB": 0.0105, "KZT": 0.0019}[currency]
        origin = origin or sc
        self.rows.append(
            {
                "doc_id": doc,
                "doc_type": self.rng.choice(["customs_declaration", "e_invoice", "waybill"]),
                "date": day,
                "seller": seller,
                "seller_country": sc,
                "buyer": buyer,
                "buyer_country": bc,
                "consignee": consignee or buyer,
                "consignee_country": cc or bc,
                "payer": buyer if payer is None else payer,
                "payer_country": bc if pc is None else pc,
                "origin_country": origin,
                "dispatch_country": dispatch or sc,
                "destination_country": dest or bc,
                "transit_countries": transit,
                "manufacturer_country": manufacturer or origin,
                "hs_code": self.code_text(hs6) if code is None else code,
                "description": self.describe(hs6) if description is None else description,
                "quantity": f"{qty:g}",
                "unit": unit,
                "value": f"{value / rate:.2f}",
                "currency": currency,
                "end_user": end_user or "",
            }
        )
        return doc

    # -- background ------------------------------------------------------------------------

    def background(self, n: int) -> None:
        rng = self.rng
        importers = [self.kz_company() for _ in range(max(20, n // 60))]
        exporters = [self.kz_company() for _ in range(max(10, n // 120))]
        # young companies that trade only unlisted goods (near misses for CP-01)
        young = [
            self.kz_company(self.day(date(2022, 4, 1), date(2023, 6, 30)))
            for _ in range(max(5, n // 1000))
        ]
        # forwarders that carry goods for a named buyer (near misses for CP-14)
        forwarders = [
            self.kz_company(
                None, "52.29", f"{rng.choice(NAME_A)} Logistics {rng.randrange(999)} TOO"
            )
            for _ in range(max(3, n // 3000))
        ]
        suppliers = {c: [self.foreign(c) for _ in range(30)] for c in set(SUPPLIER_COUNTRIES)}
        buyers = {c: [self.foreign(c) for _ in range(20)] for c in set(BUYER_COUNTRIES)}
        start, end = date(2019, 1, 1), date(2025, 10, 31)
        for _ in range(n):
            day = self.day(start, end)
            if rng.random() < 0.6:
                sc = rng.choice(SUPPLIER_COUNTRIES)
                hs6 = (
                    rng.choice(self.listed).code
                    if rng.random() < 0.1
                    else rng.choice(self.plain).code
                )
                buyer = rng.choice(importers)
                if rng.random() < 0.03 and hs6 not in self.listed_codes:
                    buyer = rng.choice(young)
                    day = max(day, self.incorporated[buyer])
                transit = {
                    "DE": "PL;BY;RU",
                    "IT": "AT;PL;BY;RU",
                    "PL": "BY;RU",
                    "CZ": "PL;BY;RU",
                }.get(sc, "")
                if transit and hs6 in self.listed_codes:
                    # listed goods from the EU may not cross Russia: flown in directly
                    transit = ""
                consignee = cc = end_user = None
                if rng.random() < 0.02:
                    # a forwarder carries the goods for the buyer, named as the end user
                    consignee, cc, end_user = rng.choice(forwarders), "KZ", buyer
                self.line(
                    day=day,
                    seller=rng.choice(suppliers[sc]),
                    sc=sc,
                    buyer=buyer,
                    bc="KZ",
                    hs6=hs6,
                    dest="KZ",
                    transit=transit,
                    consignee=consignee,
                    cc=cc,
                    end_user=end_user,
                )
            else:
                bc = rng.choice(BUYER_COUNTRIES)
                hs6 = rng.choice(self.plain).code
                self.line(
                    day=day,
                    seller=rng.choice(exporters),
                    sc="KZ",
                    buyer=rng.choice(buyers[bc]),
                    bc=bc,
                    hs6=hs6,
                    origin="KZ",
                )

    # -- patterns --------------------------------------------------------------------------

    def plant(self, per_rule: int) -> None:
        rng = self.rng
        t = self.truth

        def listed() -> str:
            return rng.choice(self.listed).code

        def plain() -> str:
            return rng.choice(self.plain).code

        for _ in range(per_rule):
            # CP-01: a company incorporated after T0 imports listed goods
            inc = self.day(date(2022, 5, 1), date(2024, 6, 30))
            co = self.kz_company(inc)
            first = date.fromisoformat(inc) + timedelta(days=rng.randrange(20, 200))
            sc = rng.choice(["KR", "JP", "CN"])
            for k in range(rng.randrange(1, 4)):
                self.line(
                    day=(first + timedelta(days=30 * k)).isoformat(),
                    seller=self.foreign(sc),
                    sc=sc,
                    buyer=co,
                    bc="KZ",
                    hs6=listed(),
                    dest="KZ",
                )
            t.companies["CP-01"].add(company_key(co, "KZ") or "")

            # CP-03: steady small imports of listed goods before T0, a surge after
            co = self.kz_company()
            hs6 = listed()
            base_qty = 1000.0
            unit_eur = self.price[hs6]
            scale = 60000.0 / (base_qty * unit_eur)  # about 60,000 EUR a year before
            for year in (2019, 2020, 2021):
                self.line(
                    day=self.day(date(year, 3, 1), date(year, 6, 30)),
                    seller=self.foreign("KR"),
                    sc="KR",
                    buyer=co,
                    bc="KZ",
                    hs6=hs6,
                    qty=round(base_qty * scale),
                    dest="KZ",
                )
            for month in range(0, 24, 3):  # regular unlisted trade keeps the company active
                self.line(
                    day=(date(2021, 7, 1) + timedelta(days=30 * month)).isoformat(),
                    seller=self.foreign("TR"),
                    sc="TR",
                    buyer=co,
                    bc="KZ",
                    hs6=plain(),
                    qty=10,
                    dest="KZ",
                )
            surge = rng.randrange(3, 5)
            for k in range(surge):
                self.line(
                    day=(date(2023, 1, 15) + timedelta(days=50 * k)).isoformat(),
                    seller=self.foreign("KR"),
                    sc="KR",
                    buyer=co,
                    bc="KZ",
                    hs6=hs6,
                    qty=round(base_qty * scale * 9),
                    dest="KZ",
                )
            t.companies["CP-03"].add(company_key(co, "KZ") or "")

            # CP-04: active in 2019-2020, silent for over a year, then busy
            co = self.kz_company()
            for k in range(6):
                self.line(
                    day=(date(2019, 2, 1) + timedelta(days=60 * k)).isoformat(),
                    seller=self.foreign("TR"),
                    sc="TR",
                    buyer=co,
                    bc="KZ",
                    hs6=plain(),
                    qty=10,
                    dest="KZ",
                )
            wake = date(2023, 1, 1) + timedelta(days=rng.randrange(600))
            for k in range(8):
                self.line(
                    day=(wake + timedelta(days=9 * k)).isoformat(),
                    seller=self.foreign("CN"),
                    sc="CN",
                    buyer=co,
                    bc="KZ",
                    hs6=plain(),
                    dest="KZ",
                )
            t.companies["CP-04"].add(company_key(co, "KZ") or "")

            # CP-14: a forwarder as buyer and consignee, no end user
            fw = self.kz_company(
                None, "52.29", f"{rng.choice(NAME_A)} Cargo {rng.randrange(9999)} TOO"
            )
            doc = self.line(
                day=self.day(date(2023, 1, 1), date(2025, 6, 30)),
                seller=self.foreign("CN"),
                sc="CN",
                buyer=fw,
                bc="KZ",
                hs6=plain(),
                dest="KZ",
            )
            t.docs["CP-14"].add(doc)

            # PAY-01: paid by a third party abroad
            pc = rng.choice(["HK", "AE"])
            doc = self.line(
                day=self.day(date(2023, 1, 1), date(2025, 6, 30)),
                seller=self.kz_company(),
                sc="KZ",
                buyer=self.foreign("KG"),
                bc="KG",
                hs6=plain(),
                origin="KZ",
                payer=self.foreign(pc),
                pc=pc,
            )
            t.docs["PAY-01"].add(doc)

            # PAY-03 (and SHP-08): listed goods at four times the usual price
            doc = self.line(
                day=self.day(date(2023, 1, 1), date(2025, 6, 30)),
                seller=self.foreign("KR"),
                sc="KR",
                buyer=self.kz_company(),
                bc="KZ",
                hs6=listed(),
                price_factor=4.5,
                dest="KZ",
            )
            t.docs["PAY-03"].add(doc)
            t.docs["SHP-08"].add(doc)

            # SHP-01: Kazakh-made listed goods to Russia, then the same goods to Kyrgyzstan
            seller = self.kz_company()
            hs6 = listed()
            d0 = date(2023, 1, 1) + timedelta(days=rng.randrange(800))
            self.line(
                day=d0.isoformat(),
                seller=seller,
                sc="KZ",
                buyer=self.foreign("RU"),
                bc="RU",
                hs6=hs6,
                origin="KZ",
            )
            doc = self.line(
                day=(d0 + timedelta(days=rng.randrange(10, 90))).isoformat(),
                seller=seller,
                sc="KZ",
                buyer=self.foreign("KG"),
                bc="KG",
                hs6=hs6,
                origin="KZ",
            )
            t.docs["SHP-01"].add(doc)

            # SHP-02: listed goods via a Gulf hub and Turkey
            doc = self.line(
                day=self.day(date(2023, 1, 1), date(2025, 6, 30)),
                seller=self.foreign("AE"),
                sc="AE",
                buyer=self.kz_company(),
                bc="KZ",
                hs6=listed(),
                origin="US",
                dispatch="AE",
                transit="TR;GE",
                dest="KZ",
            )
            t.docs["SHP-02"].add(doc)

            # SHP-09: listed goods from the EU across Belarus and Russia
            doc = self.line(
                day=self.day(date(2023, 1, 1), date(2025, 6, 30)),
                seller=self.foreign("DE"),
                sc="DE",
                buyer=self.kz_company(),
                bc="KZ",
                hs6=listed(),
                transit="PL;BY;RU",
                dest="KZ",
            )
            t.docs["SHP-09"].add(doc)

            # SHP-04 (with SHP-02: the export leaves from Kazakhstan): import, then re-export
            co = self.kz_company()
            hs6 = listed()
            qty = float(rng.randrange(500, 5000))
            d0 = date(2023, 1, 1) + timedelta(days=rng.randrange(800))
            self.line(
                day=d0.isoformat(),
                seller=self.foreign("CN"),
                sc="CN",
                buyer=co,
                bc="KZ",
                hs6=hs6,
                qty=qty,
                dest="KZ",
            )
            doc = self.line(
                day=(d0 + timedelta(days=rng.randrange(15, 80))).isoformat(),
                seller=co,
                sc="KZ",
                buyer=self.foreign("RU"),
                bc="RU",
                hs6=hs6,
                qty=round(qty * rng.uniform(0.7, 1.0)),
                origin="CN",
                dispatch="KZ",
            )
            t.docs["SHP-04"].add(doc)
            t.docs["SHP-02"].add(doc)

            # SHP-06: German-made (unlisted) goods sent on to Russia
            doc = self.line(
                day=self.day(date(2023, 1, 1), date(2025, 6, 30)),
                seller=self.kz_company(),
                sc="KZ",
                buyer=self.foreign("RU"),
                bc="RU",
                hs6=plain(),
                origin="DE",
                dispatch="KZ",
            )
            t.docs["SHP-06"].add(doc)

            # SHP-07: no code, a vague description, or a contradicting one
            kind = rng.randrange(3)
            hs6 = plain()
            doc = self.line(
                day=self.day(date(2023, 1, 1), date(2025, 6, 30)),
                seller=self.foreign("CN"),
                sc="CN",
                buyer=self.kz_company(),
                bc="KZ",
                hs6=hs6,
                dest="KZ",
                code="" if kind == 0 else None,
                description=rng.choice(
                    [
                        "запчасти",
                        "spare parts",
                        "электронные компоненты",
                        "товары народного потребления",
                    ]
                )
                if kind == 1
                else ("Frozen fish fillets" if kind == 2 and hs6[:2] != "03" else None),
            )
            t.docs["SHP-07"].add(doc)

            # SHP-08: unlisted goods at a tenth (or six times) of the usual value
            doc = self.line(
                day=self.day(date(2023, 1, 1), date(2025, 6, 30)),
                seller=self.foreign("TR"),
                sc="TR",
                buyer=self.kz_company(),
                bc="KZ",
                hs6=plain(),
                price_factor=rng.choice([0.1, 6.0]),
                dest="KZ",
            )
            t.docs["SHP-08"].add(doc)

    def write(self, out: Path) -> tuple[Path, Path, Path]:
        out.mkdir(parents=True, exist_ok=True)
        self.rng.shuffle(self.rows)
        ledger, companies, truth = out / "ledger.csv", out / "companies.csv", out / "truth.json"
        with ledger.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, [*LINE_COLUMNS, "end_user"])
            w.writeheader()
            w.writerows(self.rows)
        with companies.open("w", newline="", encoding="utf-8") as fh:
            cw = csv.writer(fh)
            cw.writerow(COMPANY_COLUMNS)
            cw.writerows(self.companies)
        truth.write_text(json.dumps(self.truth.to_dict()), "utf-8")
        return ledger, companies, truth


def generate(
    out: Path, lines: int, per_rule: int | None = None, seed: int = 11
) -> tuple[Path, Path, Path]:
    gen = Generator(lines, seed)
    per_rule = per_rule if per_rule is not None else max(20, lines // 2500)
    gen.plant(per_rule)
    gen.background(max(0, lines - len(gen.rows)))
    return gen.write(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--per-rule", type=int)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    paths = generate(args.out, args.lines, args.per_rule, args.seed)
    print("wrote " + ", ".join(str(p) for p in paths))


if __name__ == "__main__":
    main()
