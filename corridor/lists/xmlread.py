"""Reading XML safely: streamed, with no DTD, no entities and no network, syntax errors
(a file cut short among them) reported with the line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from corridor.exceptions import FormatError, ParseError
from corridor.lists.files import DAMAGED, open_binary


def safe_parser() -> etree.XMLParser:
    """A parser for whole documents with the refusals of :func:`iter_xml`: no entities, no
    DTD, no network, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def iter_xml(path: Path, tags: tuple[str, ...] | None = None) -> Iterator[etree._Element]:
    """Stream ``end`` events of an XML file safely (no DTD, no entities, no network).

    Yields each element whose local name is in ``tags`` (or every element); the caller must
    clear elements it no longer needs. A document type declaration anywhere before the root
    element is refused; syntax errors (a file cut short among them) become ParseError with
    the line.
    """
    fh = open_binary(path)
    try:
        parser = etree.iterparse(
            fh,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        checked = False
        try:
            for event, elem in parser:
                if event == "start":
                    if not checked:
                        checked = True
                        info = elem.getroottree().docinfo
                        if info.doctype or info.internalDTD is not None:
                            raise FormatError(
                                "XML with a DOCTYPE or entity declarations is not accepted",
                                str(path),
                            )
                    continue
                if tags is None or etree.QName(elem).localname in tags:
                    yield elem
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if exc.lineno else None
            msg = exc.msg if hasattr(exc, "msg") and exc.msg else str(exc)
            if "Premature end of data" in msg or "EndTag" in msg or "end of" in msg.lower():
                msg = f"{msg} (the file is truncated or damaged)"
            raise ParseError(f"malformed XML: {msg}", str(path), line=line) from exc
        except DAMAGED as exc:
            raise ParseError(f"file is truncated or damaged ({exc})", str(path)) from exc
    finally:
        fh.close()


def local(elem: etree._Element) -> str:
    return etree.QName(elem).localname


def text_of(elem: etree._Element | None) -> str | None:
    if elem is None or elem.text is None:
        return None
    value = elem.text.strip()
    return value or None


def child_text(elem: etree._Element, name: str) -> str | None:
    """Text of the first direct child with local name ``name`` (namespace-agnostic)."""
    for child in elem:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return text_of(child)
    return None


def children(elem: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in elem if isinstance(c.tag, str) and etree.QName(c).localname == name]


def first(elem: etree._Element, name: str) -> etree._Element | None:
    for c in elem:
        if isinstance(c.tag, str) and etree.QName(c).localname == name:
            return c
    return None


def descendants(elem: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in elem.iter() if isinstance(c.tag, str) and etree.QName(c).localname == name]


def line_of(elem: etree._Element) -> int | None:
    """The source line of an element, where the parser recorded one."""
    line = elem.sourceline
    return line if isinstance(line, int) else None


def release(elem: etree._Element) -> None:
    """Free a processed element and its already-parsed preceding siblings."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]
