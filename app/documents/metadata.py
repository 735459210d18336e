"""Package-level scrubbing: thumbnails, save paths, macros; relationships kept consistent.

Dropping a part also drops every relationship that points to it and its content-type
override (Office complains about dangling ones).
"""

from __future__ import annotations

import posixpath
import re

from .ooxml import rels_base, resolve_target
from .xmlsafe import local

THUMBNAIL = re.compile(r"^docProps/thumbnail\.[A-Za-z0-9]+$")
MACRO_PART = re.compile(r"(^|/)(vbaProject\.bin|vbaProjectSignature[^/]*\.bin|vbaData\.xml|"
                        r"_rels/vbaProject\.bin\.rels)$", re.IGNORECASE)
MACRO_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml":
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml":
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml":
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml":
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
}


def has_macros(names: list[str]) -> bool:
    return any(MACRO_PART.search(n) and n.lower().endswith(".bin") for n in names)


def parts_to_remove(names: list[str], remove_macros: bool) -> set[str]:
    removed = {n for n in names if THUMBNAIL.match(n)}
    if remove_macros:
        removed |= {n for n in names if MACRO_PART.search(n)}
    return removed


def drop_save_paths(roots: dict) -> set[str]:
    """Remove ``x15ac:absPath`` (the folder the workbook was saved in)."""
    changed = set()
    for name, root in roots.items():
        if not name.endswith("workbook.xml"):
            continue
        for el in list(root.iter("{*}absPath")):
            parent = el.getparent()
            # absPath sits inside mc:AlternateContent/mc:Choice: drop the whole wrapper
            while parent is not None and local(parent.tag) in ("Choice", "AlternateContent"):
                el, parent = parent, parent.getparent()
            if parent is not None:
                parent.remove(el)
                changed.add(name)
    return changed


def fix_references(roots: dict, removed: set[str], switch_macro_types: bool) -> set[str]:
    """Drop relationships and content-type overrides of removed parts."""
    changed = set()
    for name, root in roots.items():
        base = rels_base(name)
        if base is None:
            continue
        for rel in list(root):
            if rel.get("TargetMode") == "External" or not rel.get("Target"):
                continue
            if resolve_target(base, rel.get("Target")) in removed:
                root.remove(rel)
                changed.add(name)
        # rels of a removed part go too
    ct = roots.get("[Content_Types].xml")
    if ct is not None:
        for el in list(ct):
            part = (el.get("PartName") or "").lstrip("/")
            if part and part in removed:
                ct.remove(el)
                changed.add("[Content_Types].xml")
            elif switch_macro_types and el.get("ContentType") in MACRO_TYPES:
                el.set("ContentType", MACRO_TYPES[el.get("ContentType")])
                changed.add("[Content_Types].xml")
    return changed


def rels_of(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")
