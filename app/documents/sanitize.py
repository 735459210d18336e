"""One OOXML package: load safely, list its text units, redact them, write the copy.

The flow of the design: preflight -> parse every XML part -> units (Excel specifics
first, then the generic pass over every part) -> engine -> block or redact -> scrub
metadata -> write -> re-scan the written copy (fail closed).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from app.engine import BLOCK, REDACT, WARN, Finding, PlaceholderMap
from app.formats import OFFICE_SUFFIXES

from . import metadata, xlsx
from .analysis import Analyzer, KnownValues
from .errors import DocumentError
from .ooxml import (
    basename_of_path,
    container_units,
    containers,
    leftover_units,
    rels_base,
)
from .package import Limits, Package, write_package
from .tables import cell_labels
from .units import Unit, apply_unit
from .xmlsafe import UnsafeXML, local, parse, serialize

WORD_MAIN = ("wordprocessingml.document.main", "ms-word.document.macroEnabled.main",
             "wordprocessingml.template.main", "ms-word.template.macroEnabledTemplate.main")
EXCEL_MAIN = ("spreadsheetml.sheet.main", "ms-excel.sheet.macroEnabled.main",
              "spreadsheetml.template.main", "ms-excel.template.macroEnabled.main")
# Author values that name no one; never searched for elsewhere in the file.
GENERIC_AUTHORS = {"admin", "administrator", "user", "windows user", "microsoft office user",
                   "author", "unknown", "openpyxl", "python-docx", "apache poi", "owner",
                   "người dùng", "tác giả", "guest"}
# Excel's legacy note author that ties the note to its threaded comment: an id, and
# replacing it would break the pairing.
THREAD_LINK = re.compile(r"^tc=\{[0-9A-Fa-f-]{36}\}$")
XML_SUFFIXES = (".xml", ".rels", ".vml")


def names_no_one(value: str) -> bool:
    """An author/creator value that is no person: a generic account, the software that
    wrote the file, a thread link. Kept as it is, and never searched for elsewhere."""
    return value.casefold() in GENERIC_AUTHORS or THREAD_LINK.match(value) is not None


@dataclass
class Outcome:
    """What one pass over a package found and did (no values, only places and counts)."""

    kind: str = ""
    blocks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)
    by_location: dict[str, dict[str, int]] = field(default_factory=dict)
    findings: int = 0
    macros_removed: bool = False
    rewritten: set = field(default_factory=set)  # members whose bytes changed
    items: list = field(default_factory=list)  # (location, Finding), in memory only

    def count(self, location: str, entity: str) -> None:
        self.findings += 1
        self.by_type[entity] = self.by_type.get(entity, 0) + 1
        where = self.by_location.setdefault(location, {})
        where[entity] = where.get(entity, 0) + 1

    def merge(self, other: Outcome, prefix: str) -> None:
        self.blocks += [f"{prefix} > {b}" for b in other.blocks]
        self.warnings += [f"{prefix} > {w}" for w in other.warnings]
        self.notes += [f"{prefix}: {n}" for n in other.notes]
        for loc, counts in other.by_location.items():
            for entity, n in counts.items():
                for _ in range(n):
                    self.count(f"{prefix} > {loc}", entity)


# What the Excel pass needs to know which column each shared string sits in.
EXCEL_STRUCTURE = re.compile(r"(^|/)(workbook\.xml|_rels/workbook\.xml\.rels|sharedStrings\.xml)$"
                             r"|/worksheets/[^/]+\.xml$", re.IGNORECASE)


class OfficePackage:
    """``parts``: parse only these XML parts (and what the Excel pass needs); the re-scan
    reads only what was rewritten, every other member being the input's bytes."""

    def __init__(self, source, limits: Limits, depth: int = 0,
                 parts: set[str] | None = None) -> None:
        self.limits = limits
        self.depth = depth
        self.parts = parts
        self.pkg = Package(source, limits)
        self.roots: dict[str, object] = {}
        self.raw: dict[str, bytes] = {}
        self.binary: list[str] = []
        self.kind = ""
        self.sheet_names: dict[str, str] = {}
        self.repaired: set[str] = set()  # parts rewritten even if nothing is redacted
        self._load()

    # -- loading ----------------------------------------------------------------------
    def _load(self) -> None:
        for name in self.pkg.names:
            if self.parts is not None and name not in self.parts and not (
                    name == "[Content_Types].xml" or EXCEL_STRUCTURE.search(name)):
                continue
            if name.lower().endswith(XML_SUFFIXES) or name == "[Content_Types].xml":
                data = self.pkg.read(name, self.limits.max_xml_part_bytes)
                if not data.strip() and name != "[Content_Types].xml":
                    self.binary.append(name)  # an empty part holds no text: copied as is
                    continue
                try:
                    self.roots[name] = parse(data, max_elements=self.limits.max_elements)
                except UnsafeXML as exc:
                    if exc.reason == "xml_invalid" and name.lower().endswith(".vml"):
                        # Excel writes legacy VML with HTML-style <br> in comment boxes
                        fixed = re.sub(rb"<br\s*>", b"<br/>", data, flags=re.IGNORECASE)
                        try:
                            self.roots[name] = parse(fixed, max_elements=self.limits.max_elements)
                            self.raw[name] = fixed
                            self.repaired.add(name)
                            continue
                        except UnsafeXML:
                            pass
                    reason = {"xml_too_many_elements": "bomb", "xml_dtd": "xml_unsafe"}.get(
                        exc.reason, "corrupt")
                    raise DocumentError(reason, where=name, detail=str(exc)) from None
                self.raw[name] = data
            else:
                self.binary.append(name)
        ct = self.roots.get("[Content_Types].xml")
        if ct is not None:
            self._match_declared_case(ct)
        types = " ".join(el.get("ContentType") or "" for el in ct) if ct is not None else ""
        if any(k in types for k in WORD_MAIN) or "word/document.xml" in self.roots:
            self.kind = "docx"
        elif any(k in types for k in EXCEL_MAIN) or "xl/workbook.xml" in self.roots:
            self.kind = "xlsx"
        else:
            raise DocumentError("unsupported", detail="not a Word or Excel package")

    def _match_declared_case(self, ct) -> None:
        """Part names are case-insensitive in OPC and Office reads ``xl/sharedstrings.xml``
        for ``/xl/sharedStrings.xml``; use the declared spelling so every reader finds it."""
        declared = {name.lstrip("/").lower(): name.lstrip("/")
                    for name in (el.get("PartName") or "" for el in ct) if name}
        for name in list(self.pkg.names):
            wanted = declared.get(name.lower())
            if wanted is None or wanted == name or wanted in self.pkg.names:
                continue
            self.pkg.rename(name, wanted)
            for table in (self.roots, self.raw):
                if name in table:
                    table[wanted] = table.pop(name)
            self.binary = [wanted if n == name else n for n in self.binary]

    def workbook_part(self) -> str | None:
        for name in self.roots:
            if name.endswith("workbook.xml") and (name.startswith("xl/") or name.count("/") == 1):
                return name
        return None

    def _sheet_parts(self) -> list[tuple[str, str]]:
        """(part, sheet name) in workbook order."""
        wb = self.workbook_part()
        if wb is None:
            return []
        rels = self.roots.get(metadata.rels_of(wb))
        targets = {}
        if rels is not None:
            base = posixpath.dirname(wb) + "/"
            for rel in rels:
                if rel.get("Target") and rel.get("TargetMode") != "External":
                    targets[rel.get("Id")] = posixpath.normpath(
                        posixpath.join(base, rel.get("Target"))) if not rel.get(
                        "Target").startswith("/") else rel.get("Target").lstrip("/")
        out = []
        for sheet in self.roots[wb].iter("{*}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            part = targets.get(rid)
            if part in self.roots:
                out.append((part, sheet.get("name") or part))
        return out

    # -- units ------------------------------------------------------------------------
    def units(self, only: set[str] | None = None) -> list[Unit]:
        """Every text unit, or only those of the parts in ``only`` (the re-scan)."""
        claimed: set = set()
        claimed_attrs: set = set()
        cell_extras: dict[str, dict] = {}  # worksheet part -> what the Excel pass left
        units: list[Unit] = []
        if self.kind == "xlsx":
            units += self._excel_units(claimed, claimed_attrs, cell_extras, only)
        if only is not None:
            units = [u for u in units if u.part in only]
        order = sorted(self.roots, key=self._part_order)
        for name in order:
            if only is not None and name not in only:
                continue
            root = self.roots[name]
            extras = cell_extras.get(name)
            labels = cell_labels(root) if name.startswith("word/") else {}
            for el in containers(root, cells_done=extras is not None):
                if el not in claimed:
                    label, context = labels.get(el, ("", ()))
                    units += container_units(name, el, claimed, context, label=label)
            units += leftover_units(name, root, claimed, rels_base(name),
                                    claimed_attrs=claimed_attrs, cell_extras=extras)
        return units

    def _part_order(self, name: str) -> tuple[int, str]:
        main = ("word/document.xml", "xl/sharedStrings.xml")
        return (0 if name in main else 1 if not name.endswith(".rels") else 2, name)

    def _excel_units(self, claimed: set, claimed_attrs: set, cell_extras: dict,
                     only: set[str] | None = None) -> list[Unit]:
        """``only``: a sheet outside it is scanned only for what its cells tell about the
        shared strings (their column headers), so not at all when those are not re-read."""
        sst_part = next((n for n in self.roots if n.endswith("sharedStrings.xml")), None)
        sis = xlsx.shared_strings(self.roots.get(sst_part)) if sst_part else []
        texts = xlsx.SharedTexts(sis)
        si_context: dict = {}
        si_whole: dict = {}
        units: list[Unit] = []
        for part, sheet_name in self._sheet_parts():
            self.sheet_names[part] = sheet_name
            if only is not None and part not in only and sst_part not in only:
                continue
            scan = xlsx.SheetScan(part, sheet_name, self.roots[part], texts, claimed,
                                  si_context, si_whole)
            units += scan.run()
            cell_extras.setdefault(part, {}).update(scan.extras)
        if sst_part:
            units = xlsx.si_units(sst_part, sis, claimed, si_context, si_whole) + units
        wb = self.workbook_part()
        if wb:
            units = xlsx.sheet_name_units(wb, self.roots[wb], claimed_attrs) + units
        return units


def process(doc: OfficePackage, engine, pm: PlaceholderMap, *, write: bool,
            macro_policy: str = "remove", analyzer: Analyzer | None = None,
            known: KnownValues | None = None) -> tuple[Outcome, bytes | None]:
    """Analyze (and when ``write``, redact) one package; returns the outcome and new bytes."""
    out = Outcome(kind=doc.kind)
    analyzer = analyzer or Analyzer(engine)
    units = doc.units()
    for unit in units:
        if len(unit.analysis_text()) > doc.limits.max_unit_chars:
            raise DocumentError("too_big", where=unit.location, detail="text unit too long")
    analyzer.run(units)
    for unit in units:
        out.items += [(unit.location, f) for f in unit.findings]
        if unit.whole is not None and unit.whole.mode == "placeholder" and unit.text.strip() \
                and not names_no_one(unit.text.strip()):
            value = unit.text.strip()
            start = unit.text.index(value)
            out.items.append((unit.location, Finding(
                unit.whole.entity, start, start + len(value), value, 1.0, "document-field",
                REDACT, unit.whole.label, reason="column header / author field")))
        for f in unit.findings:
            if f.action == BLOCK:
                out.blocks.append(f"{unit.location}: {f.entity} ({f.rule_id})")
            elif f.action == WARN:
                out.warnings.append(f"{unit.location}: {f.entity} ({f.rule_id})")
    embedded = [n for n in doc.binary if "/embeddings/" in n]
    if out.blocks:
        return out, None
    known = known if known is not None else KnownValues()
    for unit in units:
        for f in unit.findings:
            if f.action == REDACT:
                known.add(f.text, f.label, f.entity)
        if unit.whole is not None and unit.whole.mode == "placeholder" and not names_no_one(
                unit.text.strip()):
            known.add(unit.text, unit.whole.label, unit.whole.entity)
    changed_parts: set[str] = set()
    renames: dict[str, str] = {}
    touched: set[str] = set()
    for unit in units:
        spans = _spans(unit, pm, known, out)
        if not spans:
            continue
        touched.add(unit.part)
        if unit.kind == "sheetname":
            old = unit.text
            spans = [(s, e, r.strip("[]")) for s, e, r in spans]
        if apply_unit(unit, spans):
            changed_parts.add(unit.part)
            if unit.kind == "sheetname":
                renames[old] = unit.text[:31]
    if renames:
        changed_parts |= _rename_sheet_refs(doc, renames)
    if not write:
        return out, None
    # -- metadata and embedded packages --------------------------------------------------
    macros = metadata.has_macros(doc.pkg.names)
    remove_macros = macros and macro_policy == "remove"
    if macros and not remove_macros:
        out.warnings.append("macros kept (VBA not inspected) / giữ macro (không kiểm tra VBA)")
        out.notes.append("macros kept")
    if remove_macros:
        out.notes.append("macros removed")
        out.macros_removed = True
    removed = metadata.parts_to_remove(doc.pkg.names, remove_macros)
    if any(metadata.THUMBNAIL.match(n) for n in removed):
        out.notes.append("thumbnail removed")
    abs_changed = metadata.drop_save_paths(doc.roots)
    if abs_changed:
        out.notes.append("save path (absPath) removed")
    changed_parts |= abs_changed
    changed_parts |= metadata.fix_references(doc.roots, removed, remove_macros)
    new_bytes: dict[str, bytes] = {}
    for name in embedded:
        if name in removed:
            continue
        data = doc.pkg.read(name)
        if name.lower().endswith(OFFICE_SUFFIXES) and data[:4] == b"PK\x03\x04" and (
                doc.depth < doc.limits.max_nesting):
            inner = OfficePackage(data, doc.limits, doc.depth + 1)
            inner_out, inner_bytes = process(inner, engine, pm, write=True,
                                             macro_policy=macro_policy, analyzer=analyzer,
                                             known=known)
            out.merge(inner_out, name)
            if inner_out.blocks:
                out.blocks += []  # merged above
                return out, None
            if inner_bytes is not None:
                new_bytes[name] = inner_bytes
        else:
            out.warnings.append(f"{name}: embedded object kept, not inspected / "
                                f"đối tượng nhúng giữ nguyên, không kiểm tra")
    for name in changed_parts | doc.repaired:
        if name in doc.roots and name not in removed:
            new_bytes[name] = serialize(doc.roots[name], doc.raw[name])
    # re-scanned: every rewritten part and every part where something was to be replaced
    out.rewritten = set(new_bytes) | touched
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        write_package(zout, doc.pkg, new_bytes, removed)
    return out, buffer.getvalue()


def _spans(unit: Unit, pm: PlaceholderMap, known: KnownValues, out: Outcome):
    """(start, end, replacement) for one unit, counting each applied finding."""
    text = unit.text
    if unit.whole is not None:
        core = text.strip()
        if not core:
            return []
        start = text.index(core)
        w = unit.whole
        if w.mode == "blank":
            repl = ""
        elif w.mode == "basename":
            repl = basename_of_path(core)
            if repl == core:
                return []
        elif names_no_one(core):
            return []
        else:
            repl = pm.placeholder_for(w.label, w.entity, core)
            out.count(unit.location, w.entity)
        return [(start, start + len(core), repl)]
    spans = []
    for f in unit.findings:
        if unit.kind == "formula" and _sheet_ref(text, f.end):
            continue  # a sheet name inside a reference follows the sheet's new name
        if f.action == REDACT:
            spans.append((f.start, f.end, pm.placeholder_for(f.label, f.entity, f.text)))
            out.count(unit.location, f.entity)
    if unit.alt is None and known:
        for start, end, value, label, entity in known.find(text, spans):
            if unit.kind == "formula" and _sheet_ref(text, end):
                continue
            spans.append((start, end, pm.placeholder_for(label, entity, value)))
            out.count(unit.location, entity)
    if unit.alt is not None and spans:
        # a number read with its lost leading 0: the whole cell becomes the placeholder
        return [(0, len(text), spans[0][2])]
    return sorted(spans)


def _sheet_ref(text: str, end: int) -> bool:
    return text[end:end + 2] == "'!" or text[end:end + 1] == "!"


def _rename_sheet_refs(doc: OfficePackage, renames: dict[str, str]) -> set[str]:
    """Follow renamed sheets in formulas, defined names, chart references and app.xml."""
    changed = set()
    formula_names = {"f", "definedName", "formula1", "formula2", "formula"}
    for name, root in doc.roots.items():
        for el in root.iter():
            tag = local(el.tag)
            if tag in formula_names and el.text:
                new = el.text
                for old, repl in renames.items():
                    new = new.replace(f"'{old.replace(chr(39), chr(39) * 2)}'!", f"'{repl}'!")
                    new = new.replace(f"{old}!", f"'{repl}'!") if " " not in old else new
                if new != el.text:
                    el.text = new
                    changed.add(name)
            elif tag == "lpstr" and el.text in renames:
                el.text = renames[el.text]
                changed.add(name)
            if el.get("sheet") in renames:
                el.set("sheet", renames[el.get("sheet")])
                changed.add(name)
    return changed


PLACEHOLDER = re.compile(r"\[[^\[\]\s]+_\d+\]")


def rescan(doc: OfficePackage, analyzer: Analyzer, known: KnownValues,
           only: set[str] | None = None) -> list[str]:
    """Places in a written copy where something is still found (empty = clean).

    Our placeholders are read as neutral filler, and a finding touching one is ignored:
    the re-scan checks the text around them, not the label rules' view of a placeholder
    (``Người ký: Ông [HỌ_TÊN_1]`` must not turn ``Ông`` into a name). ``only``: the
    parts that were rewritten (a member copied byte for byte had nothing left to find in
    the first pass, against the same rules and the same known values).
    """
    units = doc.units(only)
    masks: dict[int, list[tuple[int, int]]] = {}
    for unit in units:
        if unit.alt is None and "[" in unit.text:
            spans = [m.span() for m in PLACEHOLDER.finditer(unit.text)]
            if spans:
                chars = list(unit.text)
                for a, b in spans:
                    chars[a:b] = "x" * (b - a)
                unit.alt = "".join(chars)
                masks[id(unit)] = spans
    analyzer.run(units)
    left = []
    for unit in units:
        if unit.whole is not None and unit.whole.mode == "basename":
            continue
        spans = masks.get(id(unit), [])
        found = [f for f in unit.findings if f.action in (REDACT, BLOCK) and not any(
            a <= f.end and f.start <= b for a, b in spans)]
        if found or (known and known.find(unit.text)):
            left.append(unit.location)
    for name in doc.binary:  # embedded workbooks/documents we rewrote are checked too
        if "/embeddings/" not in name or not name.lower().endswith(OFFICE_SUFFIXES) or (
                only is not None and name not in only) or doc.depth >= doc.limits.max_nesting:
            continue
        data = doc.pkg.read(name)
        if data[:4] == b"PK\x03\x04":
            inner = OfficePackage(data, doc.limits, doc.depth + 1)
            left += [f"{name} > {where}" for where in rescan(inner, analyzer, known)]
    return left
