"""Generic text-unit extraction for any XML part of a Word or Excel package.

Paragraph-like containers (``w:p``, ``a:p``, ``si``, ``is``, comment ``text``) become
run-aware units; every other non-blank text node becomes a unit of its own; attributes
that can hold people's data (authors, alt text, link targets, pivot values...) are read
too. Nothing that holds text is skipped because its part type is unknown: this is the
fail-closed side of the design.
"""

from __future__ import annotations

import functools
import posixpath
import re

from lxml import etree

from app.paths import resources_dir

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


@functools.cache
def builtin_names() -> frozenset[str]:
    """Office's own style and font names, case-folded (``resources/office``)."""
    path = resources_dir() / "office" / "builtin_names.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines
                     if line.strip() and not line.lstrip().startswith("#"))


def is_builtin_name(value: str) -> bool:
    """A style or font name Office writes itself (``Heading 1 Char`` is Word's linked
    character style of ``heading 1``): it names no one, so the engine need not read it."""
    names = builtin_names()
    key = value.casefold()
    return key in names or (key.endswith(" char") and key[:-5] in names)


class _Tag:
    """What the passes need to know about one tag, worked out once per distinct ``{ns}name``
    (a part repeats a few dozen tags thousands of times)."""

    __slots__ = ("name", "container", "reads_text", "kind", "whole", "walk", "decisions")

    def __init__(self, tag: str) -> None:
        name = self.name = local(tag)
        ns = namespace(tag)
        self.container = _container_rule(name, ns)
        self.reads_text = not (name in SOFTWARE_ELEMENTS and "extended-properties" in ns)
        self.kind = "formula" if name in FORMULA_ELEMENTS else (
            "hf" if name in HF_ELEMENTS else "text")
        self.whole = WHOLE_ELEMENTS.get(name)
        # inside a container: "stream", "sep", "stop" (own unit) or None (walk through)
        self.walk = "stream" if name in STREAMS else "sep" if name in SEPARATORS else (
            "stop" if self.container is not False else None)
        self.decisions: dict[str, object] = {}  # attribute key -> decision


def _container_rule(name: str, ns: str) -> bool | None:
    """True: a container; None: one when it has children (comment ``text``); False: not."""
    if name == "p":
        return "wordprocessingml" in ns or "drawingml" in ns
    if name in ("si", "is"):
        return "spreadsheetml" in ns
    if name == "text" and "spreadsheetml" in ns:
        return None
    return False


_TAGS: dict[object, _Tag | None] = {}


def _tag(tag: object) -> _Tag | None:
    """The facts of an element tag; None for comments and processing instructions."""
    try:
        return _TAGS[tag]
    except KeyError:
        info = _TAGS[tag] = _Tag(tag) if isinstance(tag, str) and local(tag) else None
        return info


def _is_container(el: etree._Element, info: _Tag) -> bool:
    return info.container is True or (info.container is None and len(el) > 0)


def container_units(part: str, el: etree._Element, claimed: set, context=(),
                    location: str | None = None, label: str = "") -> list[Unit]:
    """Run-aware units of one container: visible text, phonetic, deleted text, field codes."""
    streams: dict[str, list] = {}
    texty: set[str] = set()  # streams with non-blank text
    claimed.add(el)  # read once: a second unit over the same runs would edit them twice
    _walk_container(el, streams, texty, claimed)
    if not texty:
        return []
    context = tuple(context)
    return [Unit(part, location or part, pieces, context, label=label if name == "t" else "")
            for name, pieces in streams.items() if name in texty]


_FIELD_SEP = re.compile(r"[_\-.]+")
_OFFICE_NS = ("openxmlformats.org", "schemas.microsoft.com", "schemas-microsoft-com", "purl.org",
              "w3.org")


def field_label(name: str) -> str:
    """A field name as words: "MaSoThue" -> "Ma So Thue", "so_tai_khoan" -> "so tai khoan"
    (folded, these read as the cues "mã số thuế", "số tài khoản")."""
    spaced = "".join(" " + ch if ch.isupper() and i and name[i - 1].islower() else ch
                     for i, ch in enumerate(name))
    words = _FIELD_SEP.sub(" ", spaced).split()
    return " ".join(words) if 0 < len(words) <= 6 and len(name) <= 60 else ""


def _office_namespace(tag: str) -> bool:
    return tag.startswith("{") and any(ns in tag[:tag.find("}")] for ns in _OFFICE_NS)


def _walk_container(el, streams, texty, claimed, in_rph: bool = False) -> None:
    for child in el:
        tag = child.tag
        info = _TAGS[tag] if tag in _TAGS else _tag(tag)
        if info is None:
            continue
        walk = info.walk
        if walk == "stream":
            stream = "rPh" if in_rph else STREAMS[info.name]
            text = child.text
            if text:
                streams.setdefault(stream, []).append(Seg(child, "text"))
                if not text.isspace():
                    texty.add(stream)
            claimed.add(child)
        elif walk == "sep":
            for pieces in streams.values():
                pieces.append(SEPARATORS[info.name])
        elif walk == "stop" and _is_container(child, info):
            continue  # a nested paragraph (text box) is its own unit
        elif len(child):
            _walk_container(child, streams, texty, claimed, in_rph or info.name == "rPh")


def containers(root: etree._Element, cells_done: bool = False):
    """The containers of a part in document order (found by tag in C, then checked)."""
    for el in root.iter(_CONTAINER_TAGS):
        info = _tag(el.tag)
        if _is_container(el, info) and not (cells_done and _in_cell_value(el, root)):
            yield el


_CONTAINER_TAGS = ("{*}p", "{*}si", "{*}is", "{*}text")
# What the Excel pass reads in a worksheet cell (with the column header as context).
CELL_READ = frozenset({"v", "f", "is"})


def _in_cell_value(el: etree._Element, root: etree._Element) -> bool:
    """Whether ``el`` lies in a value, formula or inline string the Excel pass has read
    (root/sheetData/row/c/{v,f,is}/...)."""
    node, parent = el, el.getparent()
    while parent is not None and parent is not root:
        grand = parent.getparent()
        if local(node.tag) in CELL_READ and local(parent.tag) == "c" and grand is not None:
            data = grand.getparent()
            if data is not None and data.getparent() is root and local(data.tag) == "sheetData":
                return True
        node, parent = parent, grand
    return False


def leftover_units(part: str, root: etree._Element, claimed: set, rels_base: str | None,
                   claimed_attrs: set | None = None, cell_extras: dict | None = None
                   ) -> list[Unit]:
    """Units for every non-blank text, tail and text-bearing attribute not yet claimed, in
    document order. ``cell_extras``: the part is a worksheet whose cells the Excel pass has
    read; of each ``row`` it lists the children still to read (``SheetScan.extras``), and
    the cells' values, formulas and inline strings are left out (the rest of such a cell,
    such as an extension list, is still read)."""
    reader = _Leftovers(part, claimed, rels_base is not None, claimed_attrs or ())
    if cell_extras is not None:
        reader.worksheet(root, cell_extras)
    else:
        reader.tree(root)
    return reader.units


class _Leftovers:
    def __init__(self, part: str, claimed: set, is_rels: bool, claimed_attrs) -> None:
        self.part, self.claimed = part, claimed
        self.is_rels, self.claimed_attrs = is_rels, claimed_attrs
        self.units: list[Unit] = []
        # attribute value -> read it, judged once per part (heuristic / always-read attributes)
        self.risky: dict[str, bool] = {}
        self.plain: dict[str, bool] = {}

    def tree(self, top: etree._Element) -> None:
        element = self.element
        for el in top.iter():
            tag = el.tag
            info = _TAGS[tag] if tag in _TAGS else _tag(tag)
            if info is not None:  # None: a comment or a processing instruction
                element(el, info)

    def element(self, el: etree._Element, info: _Tag) -> None:
        """The text, tail and attribute units of one element."""
        part = self.part
        text = el.text
        if text and not text.isspace() and info.reads_text and el not in self.claimed and not (
                info.container is not False and _is_container(el, info)):
            context, label = (), ""
            parent = el.getparent()
            if parent is not None and local(parent.tag) == "property" and parent.get("name"):
                # custom document property: its name says what the value is
                context, label = (parent.get("name"),), field_label(parent.get("name"))
            elif not len(el) and not _office_namespace(el.tag):
                label = field_label(info.name)  # custom XML: <MaSoThue>…</MaSoThue>
            self.units.append(Unit(part, part, [Seg(el, "text")], context, kind=info.kind,
                                   whole=info.whole, label=label))
        tail = el.tail
        if tail and not tail.isspace() and el.getparent() is not None:
            self.units.append(Unit(part, part, [Seg(el, "tail")]))
        items = el.items()
        if items:
            if self.is_rels:
                _rels_attr_units(self.units, part, el, items)
            else:
                _attr_units(self.units, part, el, info, items, self.claimed_attrs, self.risky,
                            self.plain)

    def worksheet(self, root: etree._Element, extras: dict) -> None:
        """Like ``tree``, but of a ``row`` in root/sheetData only its ``extras`` are read."""
        self.element(root, _tag(root.tag))
        for top in root:
            info = _tag(top.tag)
            if info is None or info.name != "sheetData":
                self.tree(top)
                continue
            self.element(top, info)
            for row in top:
                info = _tag(row.tag)
                if info is None:
                    continue
                self.element(row, info)
                for cell in extras.get(row, ()) if info.name == "row" else row:
                    self.cell(cell)

    def cell(self, cell: etree._Element) -> None:
        info = _tag(cell.tag)
        if info is None or info.name != "c":
            self.tree(cell)
            return
        self.element(cell, info)
        for child in cell:
            above = _tag(child.tag)
            if above is None or above.name not in CELL_READ:
                self.tree(child)


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


def _attr_units(units, part, el, info: _Tag, items, claimed_attrs, risky: dict,
                plain: dict) -> None:
    decisions = info.decisions
    for key, value in items:
        decision = decisions.get(key)
        if decision is None:
            decision = decisions[key] = _decide(info.name, key)
        if decision is _SKIP or not value:
            continue
        if decision is _HEURISTIC:
            # the same values recur (fonts, colours, sizes): each is judged once per part
            keep = risky.get(value)
            if keep is None:
                keep = risky[value] = not NUMBER.match(value) and len(value) >= 5 and (
                    RISKY.search(value) is not None) and not is_builtin_name(value)
            if not keep:
                continue
            whole = None
        elif decision is _ANALYZE:
            keep = plain.get(value)
            if keep is None:  # a measurement or a decimal is never an identifier
                keep = plain[value] = not NUMBER.match(value) and not is_builtin_name(value)
            if not keep:
                continue
            whole = None
        elif value.strip():
            whole = decision
        else:
            continue
        if not (claimed_attrs and (el, key) in claimed_attrs):
            units.append(Unit(part, part, [Seg(el, key)], whole=whole))


def _rels_attr_units(units, part, el, items) -> None:
    """A relationship part: only external targets (links, local paths) hold text."""
    for key, value in items:
        if value and local(key) == "Target" and el.get("TargetMode") == "External":
            units.append(Unit(part, part, [Seg(el, key)],
                              whole=BLANK_DIR if PATH_TARGET.match(value) else None))


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
