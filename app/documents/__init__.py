"""Word and Excel sanitizing (.docx/.docm/.xlsx/.xlsm and the .dotx/.xltx templates).

Public API (CLI and tray)::

    scan_document(path, engine) -> DocumentScan
    redact_document(path, output_path, engine) -> DocumentResult   # never touches ``path``
    default_output_name(path) -> "name (đã che).docx"

Batches of files and folders go through ``app.batch.redact_paths`` (one runner for
text and Office files, used by the CLI).

Every refusal is a ``DocumentError`` with ``.reason`` (``encrypted``, ``legacy``,
``corrupt``, ``bomb``, ``too_big``, ``xml_unsafe``, ``residual``...) and a bilingual message.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from app.engine import Finding, PlaceholderMap, Verdict
from app.formats import MACRO_FREE_SUFFIX, OFFICE_SUFFIXES

from .analysis import Analyzer, KnownValues
from .errors import DocumentError
from .package import Limits, atomic_temp, commit_temp, preflight
from .sanitize import OfficePackage, Outcome, process, rescan

SUPPORTED_SUFFIXES = set(OFFICE_SUFFIXES)
OUTPUT_MARK = " (đã che)"

__all__ = [
    "SUPPORTED_SUFFIXES", "DocumentError", "DocumentResult", "DocumentScan", "Limits",
    "default_output_name", "redact_document", "scan_document",
]


@dataclass
class DocumentScan:
    """``findings`` pairs a location with each Finding (values in memory only: mask them)."""

    path: Path
    verdict: Verdict
    findings: list[tuple[str, Finding]]
    by_type: dict[str, int]
    by_location: dict[str, dict[str, int]]   # "word/header1.xml", "Sheet2!B4" -> counts
    blocks: list[str]
    warnings: list[str]
    kind: str = ""


@dataclass
class DocumentResult:
    path: Path
    output: Path | None
    verdict: Verdict
    findings: int
    by_type: dict[str, int]
    blocks: list[str]
    warnings: list[str]
    notes: list[str]
    placeholders: PlaceholderMap
    by_location: dict[str, dict[str, int]] = field(default_factory=dict)
    kind: str = ""


def default_output_name(path: str | Path, *, macros_removed: bool = True) -> str:
    """'báo cáo.docx' -> 'báo cáo (đã che).docx' (a .docm/.xlsm becomes .docx/.xlsx)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if macros_removed:
        suffix = MACRO_FREE_SUFFIX.get(suffix, suffix)
    return f"{path.stem}{OUTPUT_MARK}{suffix}"


def _open(path: Path, limits: Limits) -> OfficePackage:
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        if path.suffix.lower() in (".doc", ".xls"):
            raise DocumentError("legacy")
        raise DocumentError("unsupported")
    preflight(path, limits)
    return OfficePackage(path, limits)


def _verdict(out: Outcome) -> Verdict:
    if out.blocks:
        return Verdict.BLOCKED
    return Verdict.REDACTED if out.findings else Verdict.CLEAN


def scan_document(path, engine, *, limits: Limits | None = None) -> DocumentScan:
    """Findings grouped by location, and the verdict; raises DocumentError."""
    path = Path(path)
    doc = _open(path, limits or Limits())
    try:
        out, _ = process(doc, engine, PlaceholderMap(), write=False)
    finally:
        doc.pkg.close()
    by_type: dict[str, int] = {}
    for _, f in out.items:
        by_type[f.entity] = by_type.get(f.entity, 0) + 1
    verdict = Verdict.BLOCKED if out.blocks else (
        Verdict.REDACTED if any(f.action == "redact" for _, f in out.items) else Verdict.CLEAN)
    return DocumentScan(path, verdict, out.items, dict(sorted(by_type.items())),
                        out.by_location, out.blocks, out.warnings, out.kind)


def redact_document(path, output_path, engine, *, placeholders: PlaceholderMap | None = None,
                    macro_policy: str = "remove", limits: Limits | None = None) -> DocumentResult:
    """Write a redacted copy of ``path`` to ``output_path`` (atomically, after a re-scan).

    A blocked file gets no output (``output`` is None). A .docm/.xlsm whose macros are
    removed is written as .docx/.xlsx (the suffix of ``output_path`` is changed).
    """
    path, output_path = Path(path), Path(output_path)
    limits = limits or Limits()
    if output_path.resolve() == path.resolve():
        raise ValueError("output_path must differ from the original")
    pm = placeholders if placeholders is not None else PlaceholderMap()
    doc = _open(path, limits)
    analyzer = Analyzer(engine)
    known = KnownValues()
    try:
        out, data = process(doc, engine, pm, write=True, macro_policy=macro_policy,
                            analyzer=analyzer, known=known)
    finally:
        doc.pkg.close()
    del doc  # free the parsed tree before the re-scan parses the copy
    result = DocumentResult(path, None, _verdict(out), out.findings,
                            dict(sorted(out.by_type.items())), out.blocks, out.warnings,
                            out.notes, pm, out.by_location, out.kind)
    if out.blocks or data is None:
        return result
    if out.macros_removed and output_path.suffix.lower() in MACRO_FREE_SUFFIX:
        output_path = output_path.with_suffix(MACRO_FREE_SUFFIX[output_path.suffix.lower()])
    temp = atomic_temp(output_path)
    try:
        temp.write_bytes(data)
        check = OfficePackage(temp, limits, parts=out.rewritten)
        try:
            left = rescan(check, analyzer, known, out.rewritten)
        finally:
            check.pkg.close()
        if left:
            raise DocumentError("residual", where=", ".join(sorted(set(left))[:5]))
        commit_temp(temp, output_path)
    finally:
        if temp.exists():
            os.unlink(temp)
    result.output = output_path
    return result


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


__all__ += ["file_sha256"]
