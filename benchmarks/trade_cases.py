"""A ledger generator that plants the cases of the trade rules and sources (HS versions,
embargoes, transit, forwarders, company identity, codes typed as numbers), with innocent
traffic and traps, and ground truth.

Background (innocent, to be cleared): traditional Kazakh exports to Russia (grain, flour,
coal, cotton, steel, fertiliser), domestic trade, imports from China, Turkey and Korea and
exports to Central Asia and China, all of unlisted goods; European machinery (unlisted) that
crosses Belarus and Russia; forwarders that carry goods for a named end user; twin companies
(an old JSC and a young LLP of one name) trading unlisted goods; addresses in places that
share a name with an embargoed one (Donetsk of Rostov oblast, Krymsk, Tokmok).

Planted, with ground truth:
- ``hs_old``: listed goods under an HS 2017 code (8548.90, 8525.80, 8541.40, 8541.50,
  8803.30) sent to Russia (expected: prohibited under the US, EU and UK);
- ``hs_old_cp01``: a company incorporated after 2022 imports listed goods under an HS 2017
  code (expected: CP-01);
- ``hs_old_chain``: listed goods imported under the HS 2022 code and sent on to Russia under
  the HS 2017 one (expected: SHP-04 on the export);
- ``embargo``: goods to Iran, North Korea, Syria, Cuba, Crimea, Sevastopol and the occupied
  cities of four oblasts, named by country code, region code, region name or city, in Latin,
  Russian or Ukrainian (expected: the decisions of the embargoes file, per jurisdiction);
- ``transit``: listed goods from the EU to Kazakhstan across Belarus and Russia (SHP-09);
- ``cp14``: a forwarder, logistics or trading firm as consignee with no end user, known by
  its activity code (dotted or not: 52.29, 52290, 49410, 46900) or, without facts, by its
  name (CP-14);
- ``twin_new``: the young LLP of a twin pair imports listed goods (CP-01); its old JSC twin's
  listed imports are near misses.

``python benchmarks/trade_cases.py OUT_DIR --per-case N --background N`` writes
``ledger.csv``, ``ledger.xlsx`` (goods codes typed as numbers, as a spreadsheet would),
``companies.csv`` and ``truth.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corridor.model.checkdigits import kz_id_valid  # noqa: E402
from corridor.model.trade import COMPANY_COLUMNS, LINE_COLUMNS  # noqa: E402
from corridor.shipments.context import company_key  # noqa: E402

EXTRA = [
    "consignee_address",
    "port_of_discharge",
    "delivery_address",
    "end_user",
    "buyer_bin",
]
COLUMNS = [*LINE_COLUMNS, *EXTRA]

# listed (CHPL) goods in HS 2022 and their HS 2017 forms, with a price per piece in USD
LISTED = [
    ("854231", "Microcontrollers, 32-bit", 3.5),
    ("854232", "DRAM memory chips", 2.0),
    ("853224", "Multilayer ceramic capacitors", 0.05),
    ("851762", "Network switches and routers", 450.0),
    ("847150", "Processing units for servers", 900.0),
    ("848210", "Ball bearings", 4.0),
    ("901380", "Optical sights and devices", 120.0),
    ("903020", "Oscilloscopes", 1500.0),
]
OLD_CODES = [  # (HS 2017 code as written, HS 2022 code, description, price)
    ("8548.90", "854800", "Electrical parts of machinery, n.e.s.", 12.0),
    ("8525.80", "852589", "Thermal imaging cameras", 900.0),
    ("8541.40", "854149", "Photosensitive semiconductor devices", 1.5),
    ("8541.50", "854159", "Semiconductor devices, n.e.s.", 0.8),
    ("8803.30", "880730", "Parts of aeroplanes and helicopters", 2500.0),
]
# unlisted goods of the traditional trade, per kg or per piece, and their Russian wording
PLAIN = [
    ("100199", "Wheat", "пшеница", 0.25, "kg"),
    ("110100", "Wheat flour", "мука пшеничная", 0.35, "kg"),
    ("270112", "Bituminous coal", "уголь каменный", 0.09, "kg"),
    ("520100", "Cotton, not carded", "хлопок", 1.7, "kg"),
    ("720851", "Hot-rolled steel plate", "прокат стальной", 0.7, "kg"),
    ("310210", "Urea fertiliser", "карбамид", 0.4, "kg"),
    ("040210", "Milk powder", "молоко сухое", 3.0, "kg"),
    ("610910", "Cotton T-shirts", "футболки хлопковые", 3.0, "pcs"),
    ("842230", "Bottling machines", "машины для розлива", 80000.0, "pcs"),
    ("843149", "Parts of excavators", "части экскаваторов", 350.0, "pcs"),
    ("870899", "Parts of motor vehicles", "части автомобилей", 40.0, "pcs"),
    ("940360", "Wooden furniture", "мебель деревянная", 120.0, "pcs"),
]
# prohibited under the US, the EU and the UK
US_EU_UK = {"us": "prohibited", "eu": "prohibited", "uk": "prohibited"}
PLACES = {
    # embargo case: (destination country column, address text or None, expected results)
    "IR": ("IR", None, US_EU_UK),
    "IR-city": ("AE", "Bandar Abbas, Iran", {"us": "prohibited", "eu": "prohibited"}),
    "KP": (
        "KP",
        None,
        {"us": "prohibited", "eu": "prohibited", "uk": "prohibited", "un": "prohibited"},
    ),
    "KP-ru": (
        "CN",
        "г. Нампхо, КНДР",
        {"us": "prohibited", "eu": "prohibited", "uk": "prohibited", "un": "prohibited"},
    ),
    "SY": ("SY", None, US_EU_UK),
    "CU": ("CU", None, {"us": "prohibited"}),
    "UA-43": ("UA-43", None, US_EU_UK),
    "Crimea-ru": (
        "RU",
        "г. Симферополь, ул. Киевская 12, Республика Крым",
        US_EU_UK,
    ),
    "Crimea-uk": (
        "RU",
        "м. Сімферополь, вул. Київська 12",
        US_EU_UK,
    ),
    "Crimea-en": (
        "RU",
        "12 Kievskaya St, Simferopol, Crimea",
        US_EU_UK,
    ),
    "Kerch": ("RU", "порт Керчь", US_EU_UK),
    "Sevastopol": (
        "RU",
        "г. Севастополь",
        US_EU_UK,
    ),
    "Mariupol": (
        "RU",
        "м. Маріуполь",
        US_EU_UK,
    ),
    "Donetsk": (
        "RU",
        "г. Донецк, ДНР",
        US_EU_UK,
    ),
    "Luhansk": ("RU", "Luhansk, LNR", US_EU_UK),
    "Melitopol": ("RU", "г. Мелитополь", {"eu": "prohibited", "uk": "prohibited"}),
    "Berdyansk": ("RU", "Berdyansk sea port", {"eu": "prohibited", "uk": "prohibited"}),
    "Nova Kakhovka": ("RU", "Нова Каховка", {"eu": "prohibited", "uk": "prohibited"}),
}
TRAPS = [
    "г. Донецк, Ростовская область, Россия",
    "г. Крымск, Краснодарский край",
    "Tokmok, Chui region, Kyrgyzstan",
    "ул. Севастопольская 3, Алматы",
    "Kerchenskaya St 4, Moscow",
    "г. Новороссийск, морской порт",
    "Astrakhan sea port",
]
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
    "Turan",
    "Orda",
    "Alatau",
    "Kokshe",
    "Balkhash",
    "Emba",
]
NAME_B = [
    "Industrial",
    "Engineering",
    "Machinery",
    "Agro",
    "Mining",
    "Build",
    "Tech",
    "Energy",
    "Metal",
    "Systems",
    "Instruments",
    "Service",
    "Grain",
    "Textile",
]
RU_BUYERS = [
    "Ural Torg",
    "Volga Produkt",
    "Sibir Agro",
    "Amur Trade",
    "Kuban Zerno",
    "Tyumen Metall",
    "Omsk Muka",
]
FOREIGN = {
    "DE": ["Elektronik Vertrieb GmbH", "Maschinen Technik GmbH", "Antrieb Industrie GmbH"],
    "CN": ["Shenzhen Electronics Co Ltd", "Ningbo Machinery Co Ltd", "Xiamen Trade Co Ltd"],
    "TR": ["Makina Sanayi AS", "Elektrik Rulman AS"],
    "KR": ["Hanil Tech Co Ltd", "Seoul Electronics Co Ltd"],
    "UZ": ["Tashkent Savdo MChJ", "Fergana Trade MChJ"],
    "KG": ["Bishkek Import OsOO", "Osh Trade OsOO"],
    "IR": ["Pars Electronic Co", "Tehran Tejarat Co"],
    "KP": ["Korea Ryonbong General Corp", "Pyongyang Technology Co"],
    "SY": ["Damascus Technical Supplies", "Latakia Industrial Co"],
    "CU": ["Copextel SA", "Havana Tecnica SA"],
}


@dataclass
class Truth:
    docs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    companies: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    expected: dict[str, dict[str, str]] = field(default_factory=dict)  # doc -> j -> result
    innocent: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    near_miss: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def to_dict(self) -> dict[str, Any]:
        return {
            "docs": dict(self.docs),
            "companies": dict(self.companies),
            "expected": self.expected,
            "innocent": dict(self.innocent),
            "near_miss": dict(self.near_miss),
        }


class CaseGenerator:
    def __init__(self, seed: int = 14) -> None:
        self.rng = random.Random(seed)
        self.rows: list[dict[str, str]] = []
        self.companies: list[tuple[str, ...]] = []
        self.truth = Truth()
        self.n = 0
        self.names: set[str] = set()

    # -- parties ---------------------------------------------------------------------------

    def bin(self, incorporated: str, entity: bool = True) -> str:
        while True:
            head = f"{incorporated[2:4]}{incorporated[5:7]}{4 if entity else 0}0"
            body = f"{self.rng.randrange(10**5):05d}"
            for check in range(10):
                value = f"{head}{body}{check}"
                if kz_id_valid(value):
                    return value

    def company(
        self,
        incorporated: str | None = None,
        activity: str = "46.69",
        name: str | None = None,
        form: str = "TOO",
        facts: bool = True,
    ) -> str:
        while name is None or name in self.names:
            name = (
                f"{self.rng.choice(NAME_A)} {self.rng.choice(NAME_B)} "
                f"{self.rng.randrange(1, 9999)} {form}"
            )
        self.names.add(name)
        inc = incorporated or self.day(date(1998, 1, 1), date(2017, 12, 31))
        if facts:
            self.companies.append((name, "KZ", self.bin(inc), inc, activity))
        return name

    def day(self, start: date, end: date) -> str:
        return (start + timedelta(days=self.rng.randrange((end - start).days + 1))).isoformat()

    def recent(self) -> str:
        return self.day(date(2025, 10, 1), date(2025, 11, 25))

    # -- lines -----------------------------------------------------------------------------

    def line(self, **values: Any) -> str:
        self.n += 1
        doc = values.pop("doc", None) or f"C{self.n:07d}"
        qty = values.pop("qty", None) or float(self.rng.randrange(10, 5000))
        price = values.pop("price", 1.0)
        row = {c: "" for c in COLUMNS}
        row.update(
            doc_id=doc,
            doc_type=self.rng.choice(["customs_declaration", "e_invoice", "waybill"]),
            quantity=f"{qty:g}",
            value=f"{qty * price * self.rng.uniform(0.85, 1.15):.2f}",
            currency="USD",
        )
        for key, value in values.items():
            row[key] = value if isinstance(value, str) else str(value)
        if not row["consignee"]:
            row["consignee"], row["consignee_country"] = row["buyer"], row["buyer_country"]
        if not row["payer"]:
            row["payer"], row["payer_country"] = row["buyer"], row["buyer_country"]
        if not row["origin_country"]:
            row["origin_country"] = row["seller_country"]
        if not row["dispatch_country"]:
            row["dispatch_country"] = row["seller_country"]
        if not row["destination_country"]:
            row["destination_country"] = row["buyer_country"]
        if not row["manufacturer_country"]:
            row["manufacturer_country"] = row["origin_country"]
        self.rows.append(row)
        return doc

    def plain(self) -> tuple[str, str, float, str]:
        code, en, ru, price, unit = self.rng.choice(PLAIN)
        text = f"{code[:4]}.{code[4:]}" if self.rng.random() < 0.6 else code + "00"
        return text, self.rng.choice([en, ru]), price, unit

    def listed(self) -> tuple[str, str, float]:
        code, text, price = self.rng.choice(LISTED)
        return f"{code[:4]}.{code[4:]}", text, price

    # -- background ------------------------------------------------------------------------

    def background(self, n: int) -> None:
        rng = self.rng
        exporters = [self.company(activity="01.11") for _ in range(max(10, n // 200))]
        importers = [self.company() for _ in range(max(10, n // 150))]
        forwarders = [
            self.company(
                activity="52.29", name=f"{rng.choice(NAME_A)} Logistics {rng.randrange(9999)} TOO"
            )
            for _ in range(max(3, n // 3000))
        ]
        for _ in range(n):
            kind = rng.random()
            code, text, price, unit = self.plain()
            when = self.day(date(2023, 1, 1), date(2025, 11, 25))
            if kind < 0.35:  # traditional trade to Russia
                buyer = f"OOO {rng.choice(RU_BUYERS)} {rng.randrange(99)}"
                address = rng.choice(TRAPS) if rng.random() < 0.05 else ""
                doc = self.line(
                    date=when,
                    seller=rng.choice(exporters),
                    seller_country="KZ",
                    buyer=buyer,
                    buyer_country="RU",
                    origin_country="KZ",
                    hs_code=code,
                    description=text,
                    unit=unit,
                    price=price,
                    consignee_address=address,
                )
                self.truth.innocent["traditional trade to Russia"].append(doc)
            elif kind < 0.55:  # domestic
                doc = self.line(
                    date=when,
                    seller=rng.choice(exporters),
                    seller_country="KZ",
                    buyer=rng.choice(importers),
                    buyer_country="KZ",
                    hs_code=code,
                    description=text,
                    unit=unit,
                    price=price,
                    delivery_address=rng.choice(
                        ["г. Алматы", "Astana", "Караганда", "Shymkent", "Атырау"]
                    ),
                )
                self.truth.innocent["domestic trade"].append(doc)
            elif kind < 0.80:  # Asian trade
                if rng.random() < 0.5:
                    sc = rng.choice(["CN", "TR", "KR"])
                    doc = self.line(
                        date=when,
                        seller=rng.choice(FOREIGN[sc]),
                        seller_country=sc,
                        buyer=rng.choice(importers),
                        buyer_country="KZ",
                        hs_code=code,
                        description=text,
                        unit=unit,
                        price=price,
                    )
                else:
                    bc = rng.choice(["UZ", "KG", "CN"])
                    buyer = rng.choice(FOREIGN.get(bc, ["Xinjiang Import Co Ltd"]))
                    doc = self.line(
                        date=when,
                        seller=rng.choice(exporters),
                        seller_country="KZ",
                        buyer=buyer,
                        buyer_country=bc,
                        origin_country="KZ",
                        hs_code=code,
                        description=text,
                        unit=unit,
                        price=price,
                        consignee_address="Tokmok, Chui region" if bc == "KG" else "",
                    )
                self.truth.innocent["Asian trade"].append(doc)
            elif kind < 0.88:  # European machinery across Belarus and Russia (unlisted)
                doc = self.line(
                    date=when,
                    seller=rng.choice(FOREIGN["DE"]),
                    seller_country="DE",
                    buyer=rng.choice(importers),
                    buyer_country="KZ",
                    transit_countries="PL;BY;RU",
                    hs_code="8422.30",
                    description="Bottling machines",
                    unit="pcs",
                    price=80000.0,
                    qty=1,
                )
                self.truth.innocent["unlisted goods across Russia"].append(doc)
            elif kind < 0.94:  # a forwarder for a named end user
                importer = rng.choice(importers)
                doc = self.line(
                    date=when,
                    seller=rng.choice(FOREIGN["CN"]),
                    seller_country="CN",
                    buyer=importer,
                    buyer_country="KZ",
                    consignee=rng.choice(forwarders),
                    consignee_country="KZ",
                    end_user=importer,
                    hs_code=code,
                    description=text,
                    unit=unit,
                    price=price,
                )
                self.truth.near_miss["cp14"].append(doc)
                self.truth.innocent["forwarder for a named end user"].append(doc)
            else:  # Asian suppliers of machinery parts to Kazakh importers
                sc = rng.choice(["CN", "KR", "TR"])
                doc = self.line(
                    date=when,
                    seller=rng.choice(FOREIGN[sc]),
                    seller_country=sc,
                    buyer=rng.choice(importers),
                    buyer_country="KZ",
                    hs_code="8431.49",
                    description="Parts of excavators",
                    unit="pcs",
                    price=350.0,
                )
                self.truth.innocent["Asian trade"].append(doc)

    # -- planted ---------------------------------------------------------------------------

    def plant(self, per_case: int) -> None:
        rng, t = self.rng, self.truth
        for i in range(per_case):
            old, new, desc, price = rng.choice(OLD_CODES)
            # listed goods under their HS 2017 code to Russia
            doc = self.line(
                date=self.recent(),
                seller=self.company(),
                seller_country="KZ",
                buyer=f"OOO {rng.choice(RU_BUYERS)} {rng.randrange(99)}",
                buyer_country="RU",
                origin_country="CN",
                hs_code=old,
                description=desc,
                unit="pcs",
                price=price,
            )
            t.docs["hs_old"].append(doc)
            t.expected[doc] = US_EU_UK
            # a young company imports them
            young = self.company(self.day(date(2022, 6, 1), date(2024, 6, 30)))
            self.line(
                date=self.recent(),
                seller=rng.choice(FOREIGN["CN"]),
                seller_country="CN",
                buyer=young,
                buyer_country="KZ",
                hs_code=old,
                description=desc,
                unit="pcs",
                price=price,
            )
            t.companies["hs_old_cp01"].append(company_key(young, "KZ") or "")
            # a chain: imported under HS 2022, sent on to Russia under HS 2017
            trader = self.company()
            qty = float(rng.randrange(500, 5000))
            d0 = date(2025, 7, 1) + timedelta(days=rng.randrange(60))
            self.line(
                date=d0.isoformat(),
                seller=rng.choice(FOREIGN["CN"]),
                seller_country="CN",
                buyer=trader,
                buyer_country="KZ",
                hs_code=f"{new[:4]}.{new[4:]}",
                description=desc,
                unit="pcs",
                price=price,
                qty=qty,
            )
            doc = self.line(
                date=(d0 + timedelta(days=rng.randrange(10, 60))).isoformat(),
                seller=trader,
                seller_country="KZ",
                buyer=f"OOO {rng.choice(RU_BUYERS)} {rng.randrange(99)}",
                buyer_country="RU",
                origin_country="CN",
                dispatch_country="KZ",
                hs_code=old,
                description=desc,
                unit="pcs",
                price=price * 1.3,
                qty=round(qty * rng.uniform(0.7, 1.0)),
            )
            t.docs["hs_old_chain"].append(doc)

            # embargoed places: countries with listed goods (mostly) or not; regions with
            # unlisted goods, which only the embargo prohibits (listed goods to Russia are
            # prohibited anyway)
            case = list(PLACES)[i % len(PLACES)]
            dest, address, expected = PLACES[case]
            country = dest.split("-")[0]
            region = country in ("RU", "UA")
            buyer = rng.choice(FOREIGN.get(country, [f"OOO {rng.choice(RU_BUYERS)}"]))
            is_listed = not region and rng.random() < 0.7
            if is_listed:
                code, text, price = self.listed()
                unit = "pcs"
            else:
                code, text, price, unit = self.plain()
            column = rng.choice(["consignee_address", "port_of_discharge", "delivery_address"])
            doc = self.line(
                date=self.recent(),
                seller=self.company(),
                seller_country="KZ",
                buyer=buyer,
                buyer_country=country,
                destination_country=dest,
                origin_country="CN",
                hs_code=code,
                description=text,
                unit=unit,
                price=price,
                **({column: address} if address else {}),
            )
            want = dict(expected)
            if not is_listed:
                # goods embargoes (Iran for the EU, UK and UN; Syria) prohibit listed goods
                # only; the US embargo on Iran and every embargo on North Korea are total
                if case in ("IR", "IR-city"):
                    want = {"us": "prohibited"}
                elif case == "SY":
                    want = {}
            elif case in ("IR", "IR-city"):
                want = {**want, "un": "prohibited", "uk": "prohibited"}
            t.docs["embargo"].append(doc)
            t.expected[doc] = want

            # listed goods across Belarus and Russia
            code, text, price = self.listed()
            doc = self.line(
                date=self.recent(),
                seller=rng.choice(FOREIGN["DE"]),
                seller_country="DE",
                buyer=self.company(),
                buyer_country="KZ",
                transit_countries="PL;BY;RU",
                hs_code=code,
                description=text,
                unit="pcs",
                price=price,
            )
            t.docs["transit"].append(doc)

            # a forwarder as consignee, no end user
            how = i % 4
            if how == 0:
                fw = self.company(activity=rng.choice(["52290", "5229", "52.29.0"]))
            elif how == 1:
                fw = self.company(activity=rng.choice(["49410", "46900", "52100"]))
            elif how == 2:
                fw = self.company(
                    name=f"ТОО «{rng.choice(NAME_A)} Логистик {rng.randrange(9999)}»",
                    facts=False,
                )
            else:
                fw = self.company(
                    name=f"{rng.choice(NAME_A)} Freight {rng.randrange(9999)} TOO", facts=False
                )
            code, text, price, unit = self.plain()
            doc = self.line(
                date=self.recent(),
                seller=rng.choice(FOREIGN["CN"]),
                seller_country="CN",
                buyer=fw,
                buyer_country="KZ",
                hs_code=code,
                description=text,
                unit=unit,
                price=price,
            )
            t.docs["cp14"].append(doc)

            # twins: an old JSC and a young LLP of one name; the LLP imports listed goods
            # (CP-01), and so does the JSC (a near miss: it was incorporated in 2006)
            stem = f"{rng.choice(NAME_A)} {rng.choice(NAME_B)} {rng.randrange(10000, 99999)}"
            old_twin = self.company("2006-04-11", "25.11", f"{stem} JSC")
            new_twin = self.company(
                self.day(date(2022, 6, 1), date(2024, 1, 1)), "26.11", f"{stem} LLP"
            )
            given_bin = self.companies[-1][2]
            code, text, price = self.listed()
            self.line(
                date=self.recent(),
                seller=rng.choice(FOREIGN["KR"]),
                seller_country="KR",
                # half name the LLP with its form; half without it, with its BIN
                buyer=new_twin if i % 2 else stem,
                buyer_country="KZ",
                hs_code=code,
                description=text,
                unit="pcs",
                price=price,
                buyer_bin="" if i % 2 else given_bin,
            )
            t.companies["twin_new"].append(company_key(new_twin, "KZ") or "")
            code, text, price = self.listed()
            doc = self.line(
                date=self.recent(),
                seller=rng.choice(FOREIGN["KR"]),
                seller_country="KR",
                buyer=old_twin,
                buyer_country="KZ",
                hs_code=code,
                description=text,
                unit="pcs",
                price=price,
            )
            t.near_miss["twin_old"].append(company_key(old_twin, "KZ") or "")

    # -- output ----------------------------------------------------------------------------

    def write(self, out: Path) -> dict[str, Path]:
        out.mkdir(parents=True, exist_ok=True)
        self.rng.shuffle(self.rows)
        paths = {
            "ledger": out / "ledger.csv",
            "xlsx": out / "ledger.xlsx",
            "companies": out / "companies.csv",
            "truth": out / "truth.json",
        }
        with paths["ledger"].open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, COLUMNS)
            w.writeheader()
            w.writerows(self.rows)
        _write_xlsx(paths["xlsx"], self.rows)
        with paths["companies"].open("w", newline="", encoding="utf-8") as fh:
            cw = csv.writer(fh)
            cw.writerow(COMPANY_COLUMNS)
            cw.writerows(self.companies)
        paths["truth"].write_text(json.dumps(self.truth.to_dict()), "utf-8")
        return paths


def _as_number(text: str) -> object:
    """A goods code as a spreadsheet stores it when the cell is typed as a number."""
    digits = text.replace(" ", "")
    if "." in digits:
        return float(digits)
    return int(digits) if digits.isdigit() else text


def _write_xlsx(path: Path, rows: list[dict[str, str]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(COLUMNS)
    for row in rows:
        values: list[object] = [row[c] for c in COLUMNS]
        values[COLUMNS.index("hs_code")] = _as_number(row["hs_code"])
        sheet.append(values)
    book.save(path)


def generate(
    out: Path, per_case: int = 100, background: int = 9000, seed: int = 14
) -> dict[str, Path]:
    gen = CaseGenerator(seed)
    gen.background(background)
    gen.plant(per_case)
    return gen.write(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-case", type=int, default=100)
    parser.add_argument("--background", type=int, default=9000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    paths = generate(args.out, args.per_case, args.background, args.seed)
    print("wrote " + ", ".join(str(p) for p in paths.values()))


if __name__ == "__main__":
    main()
