"""Restore inside a chatbot's .docx/.xlsx answer: every text part, placeholders split or not.

A chatbot (or the user's editor) may split ``[HỌ_TÊN_1]`` across runs (``[HỌ_`` + ``TÊN_1]``),
so each paragraph (``w:p``/``a:p``) or shared string (``si``/``is``) is restored on its joined
text and every value is written into the run where its placeholder starts; the rest of the
placeholder is cut from the following runs. Parts with nothing to restore are copied byte for
byte; the output is written atomically and the input is never touched.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from app.documents.xmlsafe import UnsafeXML, local, parse, serialize
from app.engine.restore import RestoreResult, merge_results, plan_restore
from app.formats import OFFICE_SUFFIXES
from app.textio import InputError, write_atomic

SUFFIXES = OFFICE_SUFFIXES
MAX_PART_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_PARTS = 20_000
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TEXT_TAGS = {"t"}                      # w:t, a:t, and SpreadsheetML's t
_GROUP_TAGS = {"p", "si", "is"}         # a paragraph, a shared string, an inline string


def is_document(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def restore_document(source: Path, target: Path, vault) -> RestoreResult:
    """Write ``target``: ``source`` with every known placeholder restored."""
    if source.resolve() == target.resolve():
        raise InputError(f"{target}: không ghi đè tệp gốc / will not overwrite the original")
    _preflight(source)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{source}: không phải tệp Office hợp lệ (có thể đã đặt mật khẩu) / "
                         f"not a valid Office file (maybe password-protected): {exc}") from None
    results: list[RestoreResult] = []
    out = io.BytesIO()
    with archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as writer:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise InputError(f"{source}: tệp quá lớn / file too large")
        for info in infos:
            if info.file_size > MAX_PART_BYTES:
                raise InputError(f"{source}: một phần của tệp quá lớn / a part is too large")
            data = archive.read(info)
            if info.filename.lower().endswith(".xml") and b"<" in data[:512]:
                changed, result = _restore_part(data, vault)
                if result is not None:
                    results.append(result)
                if changed is not None:
                    data = changed
            writer.writestr(info, data)
    write_atomic(target, out.getvalue())
    return merge_results(results)


def _preflight(source: Path) -> None:
    """The documents layer's checks (encrypted, legacy .doc, not OOXML), same messages."""
    try:
        from app.documents.errors import DocumentError
        from app.documents.package import Limits, preflight
    except ImportError:
        return
    try:
        preflight(source, Limits())
    except DocumentError as exc:
        raise InputError(f"{source}: {exc}") from None


def _restore_part(data: bytes, vault) -> tuple[bytes | None, RestoreResult | None]:
    try:
        root = parse(data)
    except UnsafeXML:
        return None, None  # not ours to fix; copied as it is
    # Keyed by the element itself: lxml proxies are kept alive by the dict, whereas an id()
    # of a dropped proxy can be reused by another node.
    groups: dict = {}
    order: list = []
    for element in root.iter():
        if local(element.tag) not in _TEXT_TAGS or not element.text:
            continue
        owner = element.getparent()
        while owner is not None and local(owner.tag) not in _GROUP_TAGS:
            owner = owner.getparent()
        key = owner if owner is not None else element
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(element)
    results, changed = [], False
    for key in order:
        nodes = groups[key]
        joined = "".join(n.text for n in nodes)
        plan, result = plan_restore(joined, vault)
        if result.restored or result.unknown:
            results.append(result)
        if plan:
            _apply(nodes, plan)
            changed = True
    merged = merge_results(results) if results else None
    return (serialize(root, data) if changed else None), merged


def _apply(nodes: list, plan: list[tuple[int, int, str, str]]) -> None:
    """Write each value into the node where its placeholder starts; cut the rest."""
    offset = 0
    for node in nodes:
        text = node.text
        begin, end = offset, offset + len(text)
        pieces, pos = [], begin
        for start, stop, _placeholder, value in plan:
            if stop <= begin or start >= end:
                continue
            if start >= begin:  # the placeholder starts here: the value goes here
                pieces.append(text[pos - begin:start - begin])
                pieces.append(value)
            pos = max(pos, min(stop, end))
        pieces.append(text[pos - begin:])
        new = "".join(pieces)
        if new != text:
            node.text = new
            if new != new.strip() and local(node.tag) == "t":
                node.set(XML_SPACE, "preserve")
        offset = end
