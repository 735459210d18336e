"""Generic text-unit extraction for any XML part of a Word or Excel package.

Paragraph-like containers (``w:p``, ``a:p``, ``si``, ``is``, comment ``text``) become
run-aware units; every other non-blank text node becomes a unit of its own; attributes
that can hold people's data (authors, alt text, link targets, pivot values...) are read
too. Nothing that holds text is skipped because its part type is unknown: this is the
fail-closed side of the design.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from .units import Seg, Unit, Whole
from .xmlsafe import local, namespace

PERSON = Whole("HỌ_TÊN", "VN_PERSON")
BLANK = Whole("", "", mode="blank")
# A local path keeps only its file name (a folder often holds the user's name).
BLANK_DIR = Whole("", "", mode="basename")

# Text elements inside a container, by local name -> stream. Deleted text and field
# codes are read as their own streams so they never join the visible text.
STREAMS = {"t": "t", "delText": "del", "instrText": "instr"}
SEPARATORS = {"tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-", "ptab": "\t"}

# Element text replaced as a whole (who wrote or touched the file).
WHOLE_ELEMENTS = {"creator": PERSON, "lastModifiedBy": PERSON, "Manager": PERSON,
                  "author": PERSON, "LastAuthor": PERSON, "Author": PERSON}
# Attributes replaced as a whole; some only on given elements.
WHOLE_ATTRS = {"author": PERSON, "userName": PERSON, "refreshedBy": PERSON,
               "initials": BLANK}
WHOLE_ATTRS_ON = {("person", "displayName"): PERSON, ("person", "userId"): BLANK,
                  ("presenceInfo", "userId"): BLANK, ("person", "providerId"): BLANK, ("person", "contact"): BLANK}
# Attributes always analyzed (alt text, prompts, connection strings, pivot values...).
TEXT_ATTRS = {"descr", "title", "instr", "url", "prompt", "error", "promptTitle", "errorTitle",
              "v", "connection", "command", "sourceFile", "odcFile", "description", "caption",
              "tooltip", "display", "name", "location", "text", "uniqueName", "alias",
              "lpstr"}
VAL_ELEMENTS = {"attr", "alias", "tag", "docVar", "sheetName", "placeholder", "listItem",
                "docPartGallery", "docPartCategory", "textInput", "default", "result",
                "helpText", "statusText", "ddList", "entry", "format", "name", "calcOnExit"}
SKIP_ATTRS = {"Ignorable", "ProcessContent", "PreserveElements", "PreserveAttributes",
              "MustUnderstand", "Requires", "ContentType", "PartName", "Extension", "Type",
              "Id", "id", "r", "s", "t", "ref", "sqref", "spans", "paraId", "textId",
              "durableId", "uri", "space", "noProof"}
NUMBER = re.compile(r"^[-+]?\d*[.,]\d+(?:[eE][-+]?\d+)?$|^[-+]?\d+[eE][-+]?\d+$")
RISKY = re.compile(r"\d{6}|@|[^\x00-\x7f]|\s\w|\\|://|\w\.\w+\.")
# The producing software's name and version ("LibreOffice/7.4.7.2$Linux"), never a person's.
SOFTWARE_ELEMENTS = {"Application", "AppVersion"}
FORMULA_ELEMENTS = {"f", "definedName", "formula1", "formula2", "formula"}
HF_ELEMENTS = {"oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader",
               "firstFooter"}
PATH_TARGET = re.compile(r"^(?:file:|[A-Za-z]:[\\/]|\\\\|/)")


def is_container(el: etree._Element) -> bool:
    name = local(el.tag)
    if name == "p":
        ns = namespace(el.tag)
        return "wordprocessingml" in ns or "drawingml" in ns
    if name in ("si", "is"):
        return "spreadsheetml" in namespace(el.tag)
    if name == "text":
        ns = namespace(el.tag)
        return "spreadsheetml" in ns and len(el) > 0
    return False


def container_units(part: str, el: etree._Element, claimed: set, context=(),
                    location: str | None = None) -> list[Unit]:
    """Run-aware units of one container: visible text, phonetic, deleted text, field codes."""
    streams: dict[str, list] = {}
    claimed.add(el)  # read once: a second unit over the same runs would edit them twice
    _walk_container(el, streams, claimed, in_rph=False)
    units = []
    for name, pieces in streams.items():
        if any(not isinstance(p, str) and p.get().strip() for p in pieces):
            units.append(Unit(part, location or part, pieces, tuple(context),
                              kind="text" if name != "instr" else "text"))
    return units


def _walk_container(el, streams, claimed, in_rph: bool) -> None:
    for child in el:
        name = local(child.tag)
        if not name:
            continue
        if is_container(child):
            continue  # a nested paragraph (text box) is its own unit
        if name in STREAMS:
            stream = "rPh" if in_rph else STREAMS[name]
            if child.text:
                streams.setdefault(stream, []).append(Seg(child, "text"))
            claimed.add(child)
            continue
        if name in SEPARATORS:
            for pieces in streams.values():
                pieces.append(SEPARATORS[name])
            continue
        _walk_container(child, streams, claimed, in_rph or name == "rPh")


# What the Excel pass reads in a worksheet cell (with the column header as context).
CELL_READ = frozenset({"v", "f", "is"})


def elements(root: etree._Element, cells_done: bool = False):
    """Every element of a part, in document order. In a worksheet whose cells the Excel
    pass has read, the cells' values, formulas and inline strings are left out (the rest of
    each cell, such as an extension list, is still visited)."""
    if not cells_done:
        return root.iter()
    return _outside_cells(root)


def _outside_cells(root: etree._Element):
    yield root
    for top in root:
        if local(top.tag) != "sheetData":
            yield from top.iter()
            continue
        yield top
        for row in top:
            yield row
            for cell in row:
                if local(cell.tag) != "c":
                    yield from cell.iter()
                    continue
                yield cell
                for child in cell:
                    if local(child.tag) not in CELL_READ:
                        yield from child.iter()


def leftover_units(part: str, root: etree._Element, claimed: set, rels_base: str | None,
                   location_of=None, claimed_attrs: set | None = None,
                   cells_done: bool = False) -> list[Unit]:
    """Units for every non-blank text, tail and text-bearing attribute not yet claimed."""
    units: list[Unit] = []
    is_rels = rels_base is not None
    for el in elements(root, cells_done):
        name = local(el.tag)
        if not name:
            continue
        where = location_of(el) if location_of else part
        if el.text and el not in claimed and el.text.strip() and not is_container(el) and not (
                name in SOFTWARE_ELEMENTS and "extended-properties" in namespace(el.tag)):
            whole = WHOLE_ELEMENTS.get(name)
            kind = "formula" if name in FORMULA_ELEMENTS else (
                "hf" if name in HF_ELEMENTS else "text")
            parent = el.getparent()
            context = ()
            if parent is not None and local(parent.tag) == "property" and parent.get("name"):
                context = (parent.get("name"),)  # custom document property: its name
            units.append(Unit(part, where, [Seg(el, "text")], context, kind=kind, whole=whole))
        if el.tail and el.tail.strip() and el.getparent() is not None:
            units.append(Unit(part, where, [Seg(el, "tail")]))
        if el.attrib:
            units.extend(_attr_units(part, where, el, name, is_rels, claimed_attrs or ()))
    return units


_DECISION: dict[str, dict[str, object]] = {}  # element name -> attribute key -> decision
_SKIP, _ANALYZE, _HEURISTIC = "skip", "analyze", "heuristic"


def _decide(name: str, key: str):
    """What to do with attribute ``key`` on element ``name`` (cached: few distinct pairs)."""
    attr = local(key)
    whole = WHOLE_ATTRS_ON.get((name, attr)) or WHOLE_ATTRS.get(attr)
    if whole is not None:
        return whole
    if attr in SKIP_ATTRS or attr.startswith("rsid") or (
            attr == "val" and name not in VAL_ELEMENTS):
        return _SKIP
    if attr in TEXT_ATTRS or attr == "val":
        return _ANALYZE
    return _HEURISTIC


def _attr_units(part, where, el, name, is_rels, claimed_attrs) -> list[Unit]:
    units = []
    decisions = _DECISION.get(name)
    if decisions is None:
        decisions = _DECISION[name] = {}
    for key, value in el.attrib.items():
        if not value:
            continue
        if is_rels:
            if local(key) == "Target" and el.get("TargetMode") == "External":
                units.append(Unit(part, where, [Seg(el, key)],
                                  whole=BLANK_DIR if PATH_TARGET.match(value) else None))
            continue
        decision = decisions.get(key)
        if decision is None:
            decision = decisions[key] = _decide(name, key)
        if decision is _SKIP or (claimed_attrs and (el, key) in claimed_attrs):
            continue
        if isinstance(decision, Whole):
            if value.strip():
                units.append(Unit(part, where, [Seg(el, key)], whole=decision))
            continue
        if NUMBER.match(value):
            continue  # a measurement or a decimal, never an identifier
        if decision is _ANALYZE or (len(value) >= 5 and RISKY.search(value)):
            units.append(Unit(part, where, [Seg(el, key)]))
    return units


def rels_base(rels_name: str) -> str | None:
    """'word/_rels/document.xml.rels' -> 'word/'; None for a part that is not a .rels."""
    if not rels_name.endswith(".rels"):
        return None
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return folder + "/" if folder else ""


def resolve_target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def basename_of_path(value: str) -> str:
    return re.split(r"[\\/]", value.rstrip("\\/"))[-1]
