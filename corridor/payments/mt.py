"""SWIFT MT messages: MT103 (customer credit transfer), MT202 and MT202COV (financial
institution transfers, COV with the underlying customer's sequence B).

A file holds one message or many, each ``{1:...}{2:...}{3:...}{4:...-}{5:...}``; the blocks 1
and 2 give the sender's and the receiver's BICs and the message type, block 3 the UETR
(``{121:}``) and the COV validation flag (``{119:COV}``), block 4 the fields. A message that
cannot be read is reported with its position; the others are still read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from corridor.model.countries import to_iso2
from corridor.payments.message import Agent, Party, Payment, TextField

_MESSAGE = re.compile(r"\{1:")
_BLOCK = re.compile(r"\{([1-5]):")
_FIELD = re.compile(r"^:(\d{2}[A-Z]?):", re.M)
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_TYPES = {"103", "202"}
MAX_MESSAGE_CHARS = 100_000

# party fields by tag (the option letter follows): MT103 and MT202COV sequence B
_PARTY_TAGS = {"50": "debtor", "59": "creditor"}
_AGENT_TAGS = {
    "51": "sending_institution",
    "52": "debtor_agent",
    "53": "senders_correspondent",
    "54": "receivers_correspondent",
    "55": "third_reimbursement_institution",
    "56": "intermediary_agent",
    "57": "creditor_agent",
    "58": "beneficiary_institution",
}
_TEXT_TAGS = {"70", "72", "77B", "77T"}


class MtError(ValueError):
    """An MT message that cannot be read; the message says why."""


def _blocks(text: str) -> dict[str, str]:
    """The top-level blocks of one message (block 4 up to its ``-}`` end)."""
    out: dict[str, str] = {}
    pos = 0
    while True:
        m = _BLOCK.search(text, pos)
        if m is None:
            break
        key = m.group(1)
        if key == "4":
            end = text.find("\n-}", m.end())
            if end < 0:
                end = text.find("-}", m.end())
            if end < 0:
                raise MtError("block 4 has no end (-}): the message is cut short")
            out[key] = text[m.end() : end + 1]
            pos = end + 2
            continue
        depth, i = 1, m.end()
        while i < len(text) and depth:
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
            i += 1
        if depth:
            raise MtError(f"block {key} has no closing brace: the message is cut short")
        out[key] = text[m.end() : i - 1]
        pos = i
    return out


def _fields(block4: str) -> list[tuple[str, str]]:
    marks = list(_FIELD.finditer(block4))
    if not marks:
        raise MtError("block 4 holds no :NN: fields")
    out = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(block4)
        out.append((m.group(1), block4[m.end() : end].strip("\r\n")))
    return out


def _lines(value: str) -> list[str]:
    return [" ".join(line.split()) for line in value.replace("\r", "").split("\n") if line.strip()]


def _bic_of_address(address: str) -> str | None:
    """A BIC from a 12-character logical terminal address (BIC8, terminal letter, branch)."""
    lt = address.strip()
    if len(lt) < 12:
        return None
    bic = lt[:8] + (lt[9:12] if lt[9:12] != "XXX" else "")
    return bic if _BIC.match(bic) else None


def _party(tag: str, option: str, value: str) -> Party:
    lines = _lines(value)
    party = Party(_PARTY_TAGS[tag], f"{tag}{option}")
    if lines and lines[0].startswith("/"):
        party.account = lines.pop(0)[1:].strip() or None
    if option == "A" or (option == "" and lines and _BIC.match(lines[0])):
        if lines and _BIC.match(lines[0]):
            party.bic = lines[0]
            party.identifiers.append(lines[0])
        return party
    if option == "F":
        # structured: 1/name, 2/address, 3/country/town, 6 and 7 identifiers, 8 more
        names, address = [], []
        for line in lines:
            code, _, rest = line.partition("/")
            if code == "1":
                names.append(rest)
            elif code == "2":
                address.append(rest)
            elif code == "3":
                country, _, town = rest.partition("/")
                party.country = to_iso2(country) if country else None
                party.town = town or None
                address.append(rest)
            elif code in ("6", "7", "8"):
                party.identifiers.append(rest)
            elif not code.isdigit():
                # 50F's first line may be a party identifier (such as NIDN/KZ/123...)
                party.identifiers.append(line)
        party.name = " ".join(names) or None
        party.address = address
        return party
    party.name = lines[0] if lines else None
    party.address = lines[1:]
    return party


def _agent(tag: str, option: str, value: str) -> Agent:
    lines = _lines(value)
    agent = Agent(_AGENT_TAGS[tag], f"{tag}{option}")
    if lines and lines[0].startswith("/"):
        lines.pop(0)  # a party identifier or account
    if lines and _BIC.match(lines[0]):
        agent.bic = lines.pop(0)
    if option in ("B", "D") and lines:
        agent.name = lines[0]
        agent.address = lines[1:]
    return agent


def parse_message(text: str, source: str, where: str) -> Payment:
    blocks = _blocks(text)
    b2 = blocks.get("2", "")
    if "4" not in blocks:
        raise MtError("no block 4 (the text of the message)")
    m = re.match(r"^([IO])(\d{3})", b2)
    if m is None:
        raise MtError(f"block 2 {b2[:20]!r}: expected I or O and a message type")
    mt = m.group(2)
    if mt not in _TYPES:
        raise MtError(f"MT{mt} is not a payment message Corridor reads (MT103, MT202, MT202COV)")
    cov = "{119:COV}" in blocks.get("3", "") or "{119:COV}" in text[:400]
    kind = f"MT{mt}" + ("COV" if mt == "202" and cov else "")
    fields = _fields(blocks["4"])
    values = dict(fields)
    reference = values.get("20", "").strip()
    if not reference:
        raise MtError(f"{kind} without field :20: (the sender's reference)")
    uetr = re.search(r"\{121:([0-9a-fA-F-]{36})\}", blocks.get("3", ""))
    payment = Payment(reference, kind, source, where, uetr=uetr.group(1) if uetr else None)
    value_field = values.get("32A", "")
    vm = re.match(r"^(\d{6})([A-Z]{3})([\d,]+)", value_field.strip())
    if vm:
        d = vm.group(1)
        payment.date = f"20{d[:2]}-{d[2:4]}-{d[4:6]}"
        payment.currency = vm.group(2)
        payment.amount = vm.group(3).replace(",", ".")
    sender = _bic_of_address(blocks.get("1", "")[3:15])
    if sender:
        payment.agents.append(Agent("sender", "block 1", bic=sender))
    receiver = b2[4:16] if m.group(1) == "I" else b2[14:26]
    rbic = _bic_of_address(receiver)
    if rbic:
        payment.agents.append(Agent("receiver", "block 2", bic=rbic))
    for tag, value in fields:
        number, option = tag[:2], tag[2:]
        if number in _PARTY_TAGS and not (mt == "202" and not cov):
            payment.parties.append(_party(number, option, value))
        elif number in _AGENT_TAGS:
            payment.agents.append(_agent(number, option, value))
        elif tag in _TEXT_TAGS:
            payment.texts.append(TextField(tag, " ".join(_lines(value))))
    return payment


def split_messages(text: str) -> Iterator[tuple[int, int, str]]:
    """(ordinal, line, text) of each message of a file."""
    starts = [m.start() for m in _MESSAGE.finditer(text)]
    line, counted = 1, 0
    for n, start in enumerate(starts, start=1):
        end = starts[n] if n < len(starts) else len(text)
        line += text.count("\n", counted, start)
        counted = start
        yield n, line, text[start:end]
