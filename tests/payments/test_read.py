"""Reading ISO 20022 and SWIFT MT messages: every field where the screener needs it, the
versions in use, files of many messages, and bad input reported by position."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.exceptions import FormatError
from corridor.payments import MessageError, Payment, read_messages, read_text

DATA = Path(__file__).parent.parent / "data" / "payments"


def _payments(path: Path) -> list[Payment]:
    return [p for p in read_messages(path) if isinstance(p, Payment)]


def test_pacs008_fields() -> None:
    [p] = _payments(DATA / "pacs008_v08.xml")
    assert (p.message_id, p.amount, p.currency, p.date) == (
        "KZKOKZKX-20251014-000187",
        "48250.00",
        "USD",
        "2025-10-14",
    )
    assert p.uetr == "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    debtor = next(x for x in p.parties if x.role == "debtor")
    assert debtor.name == "ТОО «Иртыш Инжиниринг»" and debtor.country == "KZ"
    assert debtor.account == "KZ86125KZT5004100100" and debtor.town == "Алматы"
    assert "040440001237" in debtor.identifiers
    roles = {(a.role, a.bic) for a in p.agents}
    assert ("intermediary_agent", "BKCHCNBJ300") in roles
    assert ("instructing_agent", "KZKOKZKX") in roles
    assert [t.field for t in p.texts] == ["RmtInf/Ustrd", "Purp/Cd"]


def test_pacs009_cov_reads_the_underlying_transfer() -> None:
    [p] = _payments(DATA / "pacs009_cov_v09.xml")
    assert p.kind == "pacs.009.001.09 COV"
    # the institutions of pacs.009 are agents, the underlying customers parties
    assert {a.role for a in p.agents} >= {"debtor_institution", "creditor_institution"}
    creditor = next(x for x in p.parties if x.role == "creditor")
    assert creditor.field == "UndrlygCstmrCdtTrf/Cdtr"
    assert creditor.address == ["ул. Киевская 12", "г. Симферополь, Республика Крым"]


def test_pain001_gives_a_payment_per_transaction() -> None:
    ps = _payments(DATA / "pain001_v09.xml")
    assert [p.message_id for p in ps] == [
        "TOBOL-PAY-20251120-01/TOBOL-0001",
        "TOBOL-PAY-20251120-01/TOBOL-0002",
    ]
    assert all(p.date == "2025-11-21" for p in ps)
    assert {x.role for x in ps[0].parties} == {"initiating_party", "debtor", "creditor"}


def test_mt103_and_mt202cov() -> None:
    first, second = _payments(DATA / "mt103.txt")
    assert (first.kind, first.amount, first.currency, first.date) == (
        "MT103",
        "24500.00",
        "EUR",
        "2025-11-14",
    )
    assert {(a.role, a.bic) for a in first.agents} >= {
        ("sender", "KZKOKZKX"),
        ("receiver", "DEUTDEFF"),
    }
    debtor = second.parties[0]
    # 50F: structured name, address and country/town
    assert (debtor.field, debtor.name, debtor.country, debtor.town) == (
        "50F",
        "KASPIAN METAL TRADE TOO",
        "KZ",
        "ATYRAU",
    )
    assert [(t.field, t.text) for t in second.texts] == [
        ("70", "PAYMENT FOR MICROCONTROLLERS"),
        ("72", "/ACC/TRANSIT VIA RUSSIA"),
    ]
    [cov] = _payments(DATA / "mt202cov.txt")
    assert cov.kind == "MT202COV" and cov.uetr
    assert {x.role for x in cov.parties} == {"debtor", "creditor"}
    assert ("beneficiary_institution", "BKCHCNBJ300") in {(a.role, a.bic) for a in cov.agents}


@pytest.mark.parametrize("version", ["02", "08", "09", "10", "12"])
def test_versions_in_use(version: str) -> None:
    text = (DATA / "pacs008_v08.xml").read_text("utf-8").replace(".001.08", f".001.{version}")
    [p] = [x for x in read_text(text) if isinstance(x, Payment)]
    assert p.kind == f"pacs.008.001.{version}"


def test_many_documents_in_an_envelope_one_malformed(tmp_path: Path) -> None:
    doc = (DATA / "pacs008_v08.xml").read_text("utf-8").split("?>", 1)[1]
    bad = doc.replace("<Cdtr>", "<Cdtr><Nm>broken", 1)
    prefixed = doc.replace("<Document xmlns=", "<p:Document xmlns:p=").replace(
        "</Document>", "</p:Document>"
    )
    body = f"<Messages>\n{doc}\n{bad}\n{doc}\n{prefixed}\n</Messages>\n"
    items = list(read_text(body, "batch.xml"))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Payment", "MessageError", "Payment", "Payment"]
    error = items[1]
    assert isinstance(error, MessageError) and error.position.startswith("message 2 (line ")
    assert "malformed XML" in error.message


@pytest.mark.parametrize(
    "body,error",
    [
        (
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>',
            "empty Document",
        ),
        (
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt/>'
            "</Document>",
            "expected pacs.008, pacs.009 or pain.001",
        ),
        (
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">'
            "<FIToFICstmrCdtTrf><GrpHdr><MsgId>X</MsgId>",
            "no end tag",
        ),
        ("{1:F01KZKOKZKXAXXX0000000000}{2:I940DEUTDEFFXXXXN}{4:\n:20:X\n-}", "MT940"),
        ("{1:F01KZKOKZKXAXXX0000000000}{2:I103DEUTDEFFXXXXN}{4:\n:23B:CRED\n-}", ":20:"),
    ],
)
def test_bad_messages_are_named(body: str, error: str) -> None:
    [item] = list(read_text(body, "in.txt"))
    assert isinstance(item, MessageError) and error in item.message


def test_entities_are_refused() -> None:
    body = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"></Document>'
    )
    with pytest.raises(FormatError, match="DOCTYPE"):
        list(read_text(body))


def test_not_a_payment_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", "utf-8")
    with pytest.raises(FormatError, match="not a payment message"):
        list(read_messages(path))
    with pytest.raises(FormatError, match="no such file"):
        list(read_messages(tmp_path / "missing.xml"))
