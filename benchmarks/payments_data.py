"""A generator of payment messages between Kazakh, Russian, Chinese, Turkish, Emirati and
European banks, pacs.008.001.08 and MT103, with planted hits of each kind and ground truth.

Planted (one kind per message, spread over both formats):
- ``listed_party``: a listed party as debtor or creditor under one of its other names (another
  script, spelling or word order than its primary name), from the active lists;
- ``listed_bic``: a bank of the chain whose BIC a listed party carries;
- ``place``: the creditor's town, or an address line, in an embargoed place (Crimea,
  Sevastopol, the occupied cities, Iran, North Korea, Syria), in Latin, Russian or Ukrainian;
- ``vessel``: the remittance information names a listed vessel by its IMO number;
- ``ru_inn``: the remittance information gives a Russian company's INN (valid check digits)
  while no party or bank of the payment is Russian;
- ``phrase``: the free text says "transit via RF", "parallel import", "через РФ"...

Innocent messages (to be cleared): ordinary customers with common names of the region
(from ../shared/data/names), unlisted banks, invoices for ordinary goods, and traps: a town
that shares a word with an embargoed region (Krymsk, Donetsk of Rostov oblast, a street named
after Sevastopol), an INN that fails its check digit, a Kazakh BIN in the text.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corridor.matching.index import NameIndex  # noqa: E402
from corridor.model.checkdigits import ru_inn_valid  # noqa: E402
from corridor.model.entity import EntityKind  # noqa: E402
from corridor.names.translit import romanise  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
BANKS = {  # unlisted banks of the corridor
    "KZ": ["KZKOKZKX", "HSBKKZKX", "CASPKZKA", "BRKEKZKA", "ALMNKZKA"],
    "CN": ["BKCHCNBJ", "ICBKCNBJ", "ABOCCNBJ", "PCBCCNBJ"],
    "TR": ["ISBKTRIS", "TCZBTR2A", "AKBKTRIS", "GARATRIS"],
    "AE": ["EBILAEAD", "NBADAEAA", "MSHQAEAD"],
    "DE": ["DEUTDEFF", "COBADEFF", "DRESDEFF"],
    "RU": ["ALFARUMM", "RZBMRUMM"],
}
TOWNS = {
    "KZ": ["Almaty", "Astana", "Shymkent", "Karaganda", "Atyrau", "Aktobe", "Pavlodar"],
    "CN": ["Shenzhen", "Urumqi", "Guangzhou", "Yiwu", "Shanghai"],
    "TR": ["Istanbul", "Izmir", "Bursa", "Mersin"],
    "AE": ["Dubai", "Sharjah", "Abu Dhabi"],
    "DE": ["Hamburg", "Stuttgart", "Munich"],
    "RU": ["Moscow", "Yekaterinburg", "Novosibirsk", "Omsk"],
}
ORDINARY = [
    "Invoice {n} wheat flour",
    "INV/{n} spare parts for trucks",
    "Contract {n}/2025 cotton",
    "оплата по счету {n} за мебель",
    "Payment for textiles inv {n}",
    "Счет {n} строительные материалы",
    "Freight charges B/L {n}",
    "Advance payment contract {n}",
    "Tuition fee student {n}",
]
PLACES = [
    "Simferopol",
    "г. Симферополь",
    "м. Сімферополь",
    "Sevastopol",
    "г. Севастополь",
    "Kerch",
    "порт Феодосия",
    "Yalta",
    "Mariupol",
    "г. Мариуполь",
    "м. Маріуполь",
    "Donetsk, DNR",
    "г. Луганск",
    "Alchevsk",
    "Melitopol",
    "Berdyansk",
    "Нова Каховка",
    "Tehran",
    "Bandar Abbas",
    "Pyongyang",
    "Nampo",
    "Damascus",
    "Latakia",
]
TRAP_PLACES = [
    "Krymsk, Krasnodar krai",
    "г. Донецк, Ростовская область",
    "Sevastopolskaya St 3, Almaty",
    "Kerchenskaya 4, Moscow",
    "Tokmok, Chui",
    "Novorossiysk",
]
PHRASES = [
    "goods in transit via RF to final buyer",
    "parallel import contract {n}",
    "оплата за товар, поставка через РФ",
    "транзит через Россию, контракт {n}",
    "re-export to Russia per agreement {n}",
    "для российского покупателя, счет {n}",
]


def _inn(rng: random.Random, valid: bool) -> str:
    while True:
        value = f"77{rng.randrange(10**8):08d}"
        if ru_inn_valid(value) == valid:
            return value


def _names(country: str, limit: int = 300) -> list[str]:
    """Common forename-surname pairs of a country, romanised (the names data)."""
    fore, sur = [], []
    base = SHARED / "names" / "sigpwned_popular_names"
    for fname, out in (
        ("common-forenames-by-country.csv", fore),
        ("common-surnames-by-country.csv", sur),
    ):
        with (base / fname).open(encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                if row["Country"] == country:
                    out.append(row["Romanized Name"] or row["Localized Name"])
    rng = random.Random(country)
    return [f"{rng.choice(fore)} {rng.choice(sur)}" for _ in range(limit)] if fore and sur else []


@dataclass
class Truth:
    planted: dict[str, str] = field(default_factory=dict)  # message id -> kind
    innocent: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"planted": self.planted, "innocent": self.innocent}


class PaymentGenerator:
    def __init__(self, index: NameIndex, seed: int = 19) -> None:
        self.rng = random.Random(seed)
        self.truth = Truth()
        self.pacs: list[str] = []
        self.mt: list[str] = []
        self.n = 0
        # the bank's customers: 200 persons a country and 288 companies
        self.customers = {c: _names(c, 200) for c in ("KZ", "RU", "TR", "CN", "AE", "DE")}
        self.companies = [
            f"{a} {b} {c}"
            for a in ("Altyn", "Steppe", "Nomad", "Irtysh", "Aral", "Tobol", "Esil", "Turan")
            for b in ("Trade", "Agro", "Logistics", "Textile", "Build", "Food")
            for c in ("LLP", "TOO", "Ltd", "Co Ltd", "AS", "GmbH")
        ]
        # listed parties with another name than their primary one, listed BICs and vessels
        self.aliases: list[tuple[str, str]] = []
        self.bics: list[str] = []
        self.vessels: list[str] = []
        for e in range(len(index.entities)):
            ent = index.entities[e]
            for value in ent.facts.identifiers:
                if (
                    len(value) in (8, 11)
                    and value[:6].isalpha()
                    and ent.kind is not EntityKind.PERSON
                ):
                    self.bics.append(value)
                if ent.kind is EntityKind.VESSEL and len(value) == 7 and value.isdigit():
                    self.vessels.append(value)
        for i in range(len(index.names)):
            name = index.names[i]
            ent = index.entities[name.entity]
            other = name.type.value != "primary" and not name.weak
            party = ent.kind in (EntityKind.PERSON, EntityKind.ORGANIZATION)
            if other and party and len(name.text.split()) >= 2:
                self.aliases.append((name.text, ent.id))
        self.rng.shuffle(self.aliases)

    # -- parts -----------------------------------------------------------------------------

    def _customer(self, country: str) -> str:
        """A customer of the bank's book: the same parties pay and are paid again and again."""
        if self.rng.random() < 0.5 and self.customers.get(country):
            return self.rng.choice(self.customers[country])
        return self.rng.choice(self.companies)

    def _text(self) -> str:
        return self.rng.choice(ORDINARY).format(n=self.rng.randrange(100, 99999))

    def message(
        self,
        kind: str | None,
        *,
        debtor: str | None = None,
        creditor: str | None = None,
        creditor_country: str | None = None,
        creditor_town: str | None = None,
        creditor_bank: str | None = None,
        text: str | None = None,
    ) -> str:
        rng = self.rng
        self.n += 1
        msg_id = f"P{self.n:07d}"
        dc = rng.choice(["KZ", "KZ", "KZ", "TR", "AE", "CN"])
        cc = creditor_country or rng.choice(["KZ", "CN", "TR", "AE", "DE", "KZ"])
        debtor = debtor or self._customer(dc)
        creditor = creditor or self._customer(cc)
        town = creditor_town or rng.choice(TOWNS.get(cc, ["Almaty"]))
        dbank = rng.choice(BANKS[dc])
        cbank = creditor_bank or rng.choice(BANKS.get(cc, BANKS["KZ"]))
        text = text or self._text()
        amount = f"{rng.randrange(1000, 500000)}.{rng.randrange(100):02d}"
        if rng.random() < 0.5:
            dtown = escape(rng.choice(TOWNS.get(dc, ["Almaty"])))
            self.pacs.append(
                '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">'
                "<FIToFICstmrCdtTrf>\n"
                f"<GrpHdr><MsgId>{msg_id}</MsgId><CreDtTm>2025-11-20T10:00:00</CreDtTm>"
                "<NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>\n"
                f"<CdtTrfTxInf><PmtId><EndToEndId>E{msg_id}</EndToEndId></PmtId>\n"
                f'<IntrBkSttlmAmt Ccy="USD">{amount}</IntrBkSttlmAmt>'
                "<IntrBkSttlmDt>2025-11-20</IntrBkSttlmDt><ChrgBr>SHAR</ChrgBr>\n"
                f"<Dbtr><Nm>{escape(debtor)}</Nm><PstlAdr><TwnNm>{dtown}</TwnNm>"
                f"<Ctry>{dc}</Ctry></PstlAdr></Dbtr>\n"
                f"<DbtrAgt><FinInstnId><BICFI>{dbank}</BICFI></FinInstnId></DbtrAgt>\n"
                f"<CdtrAgt><FinInstnId><BICFI>{cbank}</BICFI></FinInstnId></CdtrAgt>\n"
                f"<Cdtr><Nm>{escape(creditor)}</Nm><PstlAdr><TwnNm>{escape(town)}</TwnNm>"
                f"<Ctry>{cc}</Ctry></PstlAdr></Cdtr>\n"
                f"<RmtInf><Ustrd>{escape(text)}</Ustrd></RmtInf></CdtTrfTxInf>"
                "</FIToFICstmrCdtTrf></Document>"
            )
        else:
            # MT fields are in the SWIFT character set: names and text transliterated
            debtor, creditor, town, text = (
                romanise(v).upper() for v in (debtor, creditor, town, text)
            )
            self.mt.append(
                f"{{1:F01{dbank[:8]}AXXX0000000000}}{{2:I103{cbank[:8]}XXXXN}}{{4:\r\n"
                f":20:{msg_id}\r\n:23B:CRED\r\n:32A:251120USD{amount.replace('.', ',')}\r\n"
                f":50K:/KZ00125KZT{rng.randrange(10**10):010d}\r\n{debtor}\r\n"
                f"{rng.choice(TOWNS.get(dc, ['ALMATY'])).upper()} {dc}\r\n"
                f":52A:{dbank}\r\n:57A:{cbank}\r\n"
                f":59:/{rng.randrange(10**12)}\r\n{creditor}\r\n{town}\r\n"
                f":70:{text[:140]}\r\n:71A:SHA\r\n-}}\r\n"
            )
        if kind:
            self.truth.planted[msg_id] = kind
        else:
            self.truth.innocent.append(msg_id)
        return msg_id

    # -- the set ---------------------------------------------------------------------------

    def generate(self, per_kind: int, innocent: int) -> None:
        rng = self.rng
        for i in range(per_kind):
            name, _ = self.aliases[i % len(self.aliases)]
            if rng.random() < 0.5:
                self.message("listed_party", creditor=name)
            else:
                self.message("listed_party", debtor=name)
            self.message("listed_bic", creditor_bank=rng.choice(self.bics))
            self.message("place", creditor_town=rng.choice(PLACES))
            imo = rng.choice(self.vessels)
            self.message("vessel", text=f"freight for IMO {imo} charter {rng.randrange(999)}")
            self.message(
                "ru_inn",
                text=rng.choice(["оплата за ООО Техснаб ИНН {}", "for OOO Vostok INN {}"]).format(
                    _inn(rng, True)
                ),
            )
            self.message("phrase", text=rng.choice(PHRASES).format(n=rng.randrange(999)))
        for _ in range(innocent):
            trap = rng.random()
            if trap < 0.05:
                self.message(None, creditor_town=rng.choice(TRAP_PLACES))
            elif trap < 0.10:
                self.message(
                    None, text=f"payment INN {_inn(rng, False)} invoice {rng.randrange(999)}"
                )
            elif trap < 0.15:
                self.message(None, text=f"ТОО БИН 971240001315 счет {rng.randrange(999)}")
            else:
                self.message(None)

    def write(self, out: Path) -> dict[str, Path]:
        out.mkdir(parents=True, exist_ok=True)
        paths = {"pacs": out / "pacs008.xml", "mt": out / "mt103.txt", "truth": out / "truth.json"}
        paths["pacs"].write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<Messages>\n'
            + "\n".join(self.pacs)
            + "\n</Messages>\n",
            "utf-8",
        )
        paths["mt"].write_text("".join(self.mt), "utf-8")
        paths["truth"].write_text(json.dumps(self.truth.to_dict()), "utf-8")
        return paths
