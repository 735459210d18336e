"""Hardened XML parsing for package parts.

OOXML parts never need a DTD, so any DOCTYPE is refused before parsing: no entity
expansion, no external entity, no network. ``huge_tree`` stays off (libxml2 caps a text
node at 10 MB) and the element count is bounded after parsing.
"""

from __future__ import annotations

import re

from lxml import etree

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class UnsafeXML(ValueError):
    """A part that must not be parsed (DOCTYPE, entities, not well-formed, too many elements)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_blank_text=False,
                           collect_ids=False)


def _head(data: bytes) -> bytes:
    """Bytes before the root element's content, decoded from UTF-16 if needed."""
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            codec = "utf-16"
            return head.decode(codec, errors="ignore").encode("utf-8")
        except LookupError:  # pragma: no cover
            return head
    return head


def parse(data: bytes, *, max_elements: int = 2_000_000) -> etree._Element:
    """Parse one part; raise UnsafeXML for a DTD, entities, bad XML or too many elements."""
    if _DOCTYPE.search(_head(data)) or (b"<!ENTITY" in data):
        raise UnsafeXML("xml_dtd", "DOCTYPE/ENTITY declaration")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeXML("xml_invalid", str(exc)[:200]) from None
    if root is None:
        raise UnsafeXML("xml_invalid", "empty part")
    for count, _ in enumerate(root.iter(), 1):
        if count > max_elements:
            raise UnsafeXML("xml_too_many_elements", f"more than {max_elements} elements")
    return root


def serialize(root: etree._Element, original: bytes) -> bytes:
    """Serialize with the same kind of XML declaration the part had."""
    standalone = None
    m = re.match(rb"<\?xml[^>]*standalone=[\"'](yes|no)[\"']", original[:200])
    if m:
        standalone = m.group(1) == b"yes"
    has_decl = original.lstrip()[:5] == b"<?xml"
    if has_decl:
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=standalone)
    return etree.tostring(root, encoding="UTF-8")


_LOCAL: dict[str, str] = {}


def local(tag: object) -> str:
    """Local name of an element tag ('' for comments and processing instructions)."""
    try:
        return _LOCAL[tag]  # type: ignore[index]
    except (KeyError, TypeError):
        if not isinstance(tag, str):
            return ""
        name = _LOCAL[tag] = tag.rsplit("}", 1)[-1]
        return name


def namespace(tag: object) -> str:
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].split("}", 1)[0]
