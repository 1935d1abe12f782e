"""Payments: ISO 20022 (pacs.008, pacs.009 and its COV form, pain.001) and SWIFT MT (MT103,
MT202, MT202COV) messages read field by field; their parties, agents, addresses and free text
screened against the lists, the embargoes and the red-flag patterns of transit trade; a
decision per jurisdiction for each payment."""

from corridor.payments.message import Agent, Party, Payment, TextField
from corridor.payments.read import MessageError, read_messages, read_text
from corridor.payments.scan import FreeTextScanner, TextHit
from corridor.payments.screen import PaymentResult, PaymentScreener

__all__ = [
    "Agent",
    "FreeTextScanner",
    "MessageError",
    "Party",
    "Payment",
    "PaymentResult",
    "PaymentScreener",
    "TextField",
    "TextHit",
    "read_messages",
    "read_text",
]
