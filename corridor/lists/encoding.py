"""Telling a text file's encoding from its first bytes.

UTF-8 (with or without a byte-order mark) and UTF-16 (with a mark, or without one when the
zero bytes give it away) are recognised first. A file that is not UTF-8 is single-byte: cp1251
when its high bytes run in words as Cyrillic letters do, cp1252 otherwise. A UTF-8 file with a
stray undecodable byte stays UTF-8 (the reader then names the line and byte offset of the
bad byte); a file is never decoded in two encodings.
"""

from __future__ import annotations

import codecs
import re

UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
HIGH = re.compile(rb"[\x80-\xff]")
CYRILLIC_RUN = re.compile(rb"[\xc0-\xff\xa8\xb8\xb2\xb3\xaa\xba\xaf\xbf]{3,}")

ENCODING_HINT = (
    "pass --encoding (e.g. utf-8, cp1251, cp1252, kz1048, utf-16) if the file is in another"
)


def _looks_utf16(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def detect_encoding(head: bytes) -> str:
    """The encoding of a file whose first bytes are ``head``."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _looks_utf16(head)
    if utf16:
        return utf16
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"  # a multi-byte character cut at the end of the sample
    sequences = sum(len(m.group()) for m in UTF8_SEQUENCE.finditer(head))
    high = len(HIGH.findall(head))
    if sequences and sequences >= 0.5 * high:
        return "utf-8"  # UTF-8 with a few bad bytes: the reader names them
    return "cp1251" if looks_cyrillic(head) else "cp1252"


def looks_cyrillic(data: bytes) -> bool:
    """True when most high bytes stand in runs of three or more letters of cp1251's Cyrillic
    range: words, not the odd accented letter of a Western name."""
    high = len(HIGH.findall(data))
    if not high:
        return False
    in_runs = sum(len(m.group()) for m in CYRILLIC_RUN.finditer(data))
    return in_runs >= 0.5 * high


def is_single_byte(encoding: str) -> bool:
    return codecs.lookup(encoding).name not in (
        "utf-8",
        "utf-8-sig",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
    )
