"""ISO 20022 payment messages: pacs.008 (customer credit transfer), pacs.009 (financial
institution credit transfer, with its COV form carrying the underlying customer transfer) and
pain.001 (customer credit transfer initiation), in the versions in use (pacs .001.02 to
.001.12, pain .001.03 to .001.12): the namespace's message name decides, the version is
reported.

A file may hold one ``Document`` or many (concatenated, or wrapped in an envelope with
business application headers): each ``Document`` is cut out and parsed on its own, safely
(no DTD, no entities, no network), so a malformed one is reported with its position and the
others are still read. Each credit transfer transaction is one payment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from corridor.lists.xmlread import safe_parser
from corridor.model.countries import to_iso2
from corridor.payments.message import Agent, Party, Payment, TextField

_NS = re.compile(r"urn:iso:std:iso:20022:tech:xsd:((pacs\.00[89]|pain\.001)\.001\.(\d\d))")
_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Document[\s>]")
_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?Document\s*>")
# an unprefixed Document start tag and its default namespace declaration
_DEFAULT_NS = re.compile(rb'<Document\b[^>]*?(\s+xmlns="([^"]*)")')
_PARSER = safe_parser()
MAX_DOCUMENT_BYTES = 8 * 1024 * 1024

_PARTIES = {
    "Dbtr": "debtor",
    "Cdtr": "creditor",
    "UltmtDbtr": "ultimate_debtor",
    "UltmtCdtr": "ultimate_creditor",
    "InitgPty": "initiating_party",
}
_AGENTS = {
    "DbtrAgt": "debtor_agent",
    "CdtrAgt": "creditor_agent",
    "IntrmyAgt1": "intermediary_agent",
    "IntrmyAgt2": "intermediary_agent",
    "IntrmyAgt3": "intermediary_agent",
    "InstgAgt": "instructing_agent",
    "InstdAgt": "instructed_agent",
    "PrvsInstgAgt1": "previous_instructing_agent",
    "PrvsInstgAgt2": "previous_instructing_agent",
    "PrvsInstgAgt3": "previous_instructing_agent",
}


class DocumentError(ValueError):
    """A Document that cannot be read; the message says why."""


def _local(elem: etree._Element) -> str:
    tag = elem.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _kids(elem: etree._Element, name: str) -> list[etree._Element]:
    return list(elem.iterchildren(name))


def _first(elem: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element at ``path`` below ``elem`` (tags without their namespace: the
    Document's are dropped once it is parsed)."""
    node = elem
    for name in path:
        if node is None:
            return None
        node = next(node.iterchildren(name), None)
    return node


def _text(elem: etree._Element | None, *path: str) -> str | None:
    node = _first(elem, *path)
    if node is None or node.text is None:
        return None
    value = " ".join(node.text.split())
    return value or None


def _all_text(elem: etree._Element | None, name: str) -> list[str]:
    if elem is None:
        return []
    return [
        " ".join(node.text.split()) for node in elem.iter(name) if node.text and node.text.strip()
    ]


def _address(party: Party | Agent, elem: etree._Element | None) -> None:
    adr = _first(elem, "PstlAdr")
    if adr is None:
        return
    lines = [
        v
        for v in (
            _text(adr, "StrtNm"),
            _text(adr, "BldgNb"),
            _text(adr, "PstCd"),
            _text(adr, "TwnNm"),
            _text(adr, "CtrySubDvsn"),
        )
        if v
    ]
    lines += [" ".join((n.text or "").split()) for n in _kids(adr, "AdrLine") if n.text]
    party.address = [line for line in lines if line]
    country = _text(adr, "Ctry")
    party.country = to_iso2(country) if country else None
    if isinstance(party, Party):
        party.town = _text(adr, "TwnNm")


def _party(role: str, field: str, elem: etree._Element) -> Party:
    party = Party(role, field, name=_text(elem, "Nm"))
    _address(party, elem)
    ident = _first(elem, "Id")
    if ident is not None:
        bic = _text(ident, "OrgId", "AnyBIC")
        if bic:
            party.bic = bic
            party.identifiers.append(bic)
        for tag in ("LEI", "Id"):
            party.identifiers.extend(_all_text(ident, tag))
    if not party.country:
        residence = _text(elem, "CtryOfRes")
        party.country = to_iso2(residence) if residence else None
    return party


def _agent(role: str, field: str, elem: etree._Element) -> Agent:
    fin = _first(elem, "FinInstnId")
    if fin is None:
        fin = elem
    agent = Agent(role, field, bic=_text(fin, "BICFI") or _text(fin, "BIC"), name=_text(fin, "Nm"))
    _address(agent, fin)
    return agent


def _account(elem: etree._Element | None) -> str | None:
    return _text(elem, "Id", "IBAN") or _text(elem, "Id", "Othr", "Id")


def _texts(payment: Payment, elem: etree._Element, prefix: str = "") -> None:
    def add(field: str, value: str | None) -> None:
        if value:
            payment.texts.append(TextField(prefix + field, value))

    rmt = _first(elem, "RmtInf")
    if rmt is not None:
        for value in _all_text(rmt, "Ustrd"):
            add("RmtInf/Ustrd", value)
        for value in _all_text(rmt, "AddtlRmtInf"):
            add("RmtInf/Strd/AddtlRmtInf", value)
        for value in _all_text(rmt, "Ref"):
            add("RmtInf/Strd/CdtrRefInf/Ref", value)
    add("Purp/Cd", _text(elem, "Purp", "Cd"))
    add("Purp/Prtry", _text(elem, "Purp", "Prtry"))
    for rr in _kids(elem, "RgltryRptg"):
        for value in _all_text(rr, "Inf"):
            add("RgltryRptg/Dtls/Inf", value)
        for value in _all_text(rr, "Nm"):
            add("RgltryRptg/Authrty/Nm", value)
    for tag in ("InstrForNxtAgt", "InstrForCdtrAgt"):
        for node in _kids(elem, tag):
            add(f"{tag}/InstrInf", _text(node, "InstrInf"))


def _roles(payment: Payment, elem: etree._Element, fi: bool, prefix: str = "") -> None:
    """Parties and agents that are direct children of ``elem`` (a transaction, a payment
    information block, an underlying customer transfer)."""
    for child in elem:
        name = _local(child)
        if name in _PARTIES:
            if fi and name in ("Dbtr", "Cdtr"):
                # pacs.009: the debtor and creditor are institutions
                payment.agents.append(_agent(f"{_PARTIES[name]}_institution", prefix + name, child))
                continue
            party = _party(_PARTIES[name], prefix + name, child)
            acct = _first(elem, f"{name}Acct")
            if acct is not None:
                party.account = _account(acct)
            payment.parties.append(party)
        elif name in _AGENTS:
            payment.agents.append(_agent(_AGENTS[name], prefix + name, child))


def _amount(elem: etree._Element) -> tuple[str | None, str | None]:
    for path in (("IntrBkSttlmAmt",), ("Amt", "InstdAmt"), ("InstdAmt",)):
        node = _first(elem, *path)
        if node is not None and node.text:
            return node.text.strip(), node.get("Ccy")
    return None, None


def _payments(root: etree._Element, kind: str, source: str, where: str) -> Iterator[Payment]:
    """The payments of one parsed Document."""
    body = next((c for c in root if isinstance(c.tag, str)), None)
    if body is None:
        raise DocumentError("empty Document")
    header = _first(body, "GrpHdr")
    msg_id = _text(header, "MsgId") or "?"
    created = _text(header, "CreDtTm")
    fi = kind.startswith("pacs.009")
    blocks: list[tuple[etree._Element, etree._Element | None]] = []
    if kind.startswith("pain.001"):
        for block in _kids(body, "PmtInf"):
            blocks += [(tx, block) for tx in _kids(block, "CdtTrfTxInf")]
    else:
        blocks = [(tx, None) for tx in _kids(body, "CdtTrfTxInf")]
    if not blocks:
        raise DocumentError(f"{kind} without a CdtTrfTxInf transaction")
    for n, (tx, info) in enumerate(blocks, start=1):
        ids = _first(tx, "PmtId")
        tx_id = _text(ids, "TxId") or _text(ids, "EndToEndId") or _text(ids, "InstrId")
        amount, currency = _amount(tx)
        cov = _first(tx, "UndrlygCstmrCdtTrf")
        payment = Payment(
            message_id=f"{msg_id}/{tx_id}" if tx_id and len(blocks) > 1 else msg_id,
            kind=kind + (" COV" if cov is not None else ""),
            source=source,
            position=f"{where}, transaction {n}",
            amount=amount,
            currency=currency,
            date=_text(tx, "IntrBkSttlmDt")
            or (_text(info, "ReqdExctnDt", "Dt") if info is not None else None)
            or (created[:10] if created else None),
            uetr=_text(ids, "UETR"),
        )
        if header is not None:
            _roles(payment, header, False, "GrpHdr/")
        if info is not None:
            _roles(payment, info, False, "PmtInf/")
            _texts(payment, info, "PmtInf/")
        _roles(payment, tx, fi)
        _texts(payment, tx)
        if cov is not None:
            _roles(payment, cov, False, "UndrlygCstmrCdtTrf/")
            _texts(payment, cov, "UndrlygCstmrCdtTrf/")
        yield payment


def parse_document(data: bytes, source: str, where: str) -> list[Payment]:
    """The payments of one ``Document`` (bytes from its start tag to its end tag)."""
    head = data[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        raise DocumentError("XML with a DOCTYPE or entity declarations is not accepted")
    # an unprefixed Document declares its namespace once, on its start tag: read it there and
    # parse without it, so that every element's tag is its plain name
    default = _DEFAULT_NS.match(data)
    namespace = ""
    if default is not None:
        namespace = default.group(2).decode("utf-8", "replace")
        data = data[: default.start(1)] + data[default.end(1) :]
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"malformed XML: {exc.msg}") from exc
    if default is None:
        namespace = etree.QName(root).namespace or ""
        for node in root.iter():  # a prefixed Document: its tags lose their namespace
            tag = node.tag
            if isinstance(tag, str) and tag[:1] == "{":
                node.tag = tag.partition("}")[2]
    m = _NS.search(namespace)
    if m is None:
        raise DocumentError(
            f"namespace {namespace or 'none'!r}: expected pacs.008, pacs.009 or pain.001 "
            "(urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08 and the like)"
        )
    return list(_payments(root, m.group(1), source, where))


def split_documents(data: bytes) -> Iterator[tuple[int, int, bytes | None, str | None]]:
    """(ordinal, line, Document bytes or None, error) for each Document of a file: a Document
    that has no end, or that is too large, is an error and the search goes on after it."""
    pos, n = 0, 0
    line, counted = 1, 0  # lines counted up to ``counted``, incrementally
    while True:
        start = _START.search(data, pos)
        if start is None:
            return
        n += 1
        line += data.count(b"\n", counted, start.start())
        counted = start.start()
        close = data.find(b">", start.start())
        if close > 0 and data[close - 1 : close] == b"/":
            yield n, line, None, "empty Document (no message in it)"
            pos = close + 1
            continue
        end = _END.search(data, start.end())
        nxt = _START.search(data, start.end())
        if end is None or (nxt is not None and nxt.start() < end.start()):
            yield n, line, None, "Document has no end tag (the message is cut short)"
            pos = nxt.start() if nxt is not None else len(data)
            continue
        chunk = data[start.start() : end.end()]
        if len(chunk) > MAX_DOCUMENT_BYTES:
            yield n, line, None, f"Document larger than {MAX_DOCUMENT_BYTES:,} bytes"
        else:
            yield n, line, _with_namespaces(data, start.start(), chunk), None
        pos = end.end()


_XMLNS = re.compile(rb'xmlns(?::([\w.-]+))?="([^"]*)"')


def _with_namespaces(data: bytes, start: int, chunk: bytes) -> bytes:
    """A Document cut out of an envelope keeps the prefixes the envelope declared."""
    tag = re.match(rb"<(?:([\w.-]+):)?Document", chunk)
    prefix = tag.group(1) if tag else None
    if prefix is None or re.search(rb"xmlns:" + re.escape(prefix) + rb"=", chunk[:2048]):
        return chunk
    for m in _XMLNS.finditer(data, 0, start):
        if m.group(1) == prefix:
            insert = b" " + m.group(0)
            head_end = len(b"<" + prefix + b":Document")
            return chunk[:head_end] + insert + chunk[head_end:]
    return chunk
