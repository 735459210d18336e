"""Redacting and scanning files and folders: one code path for the CLI (and scripts).

Text files go through ``engine.redact``; Word/Excel files through ``app.documents``.
Each input gets a ``FileReport`` (the JSON report row of the design) and never an
exception: a bad file is an ``error`` row, the batch goes on.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .engine import Engine, PlaceholderMap, Verdict
from .engine.model import Finding
from .formats import OFFICE_SUFFIXES
from .textio import TEXT_SUFFIXES, InputError, read_text_file, write_atomic

SUPPORTED_SUFFIXES = TEXT_SUFFIXES | set(OFFICE_SUFFIXES)
REDACTED_TAG = "đã che"


@dataclass
class FileReport:
    path: str
    output: str | None
    verdict: str | None
    findings: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    blocks: list[str] = field(default_factory=list)
    warnings: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def expand_inputs(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """(file, name relative to its input root) for files and folders (recursive)."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    file = Path(root) / name
                    if file.suffix.lower() in SUPPORTED_SUFFIXES and not name.startswith("~$"):
                        yield file, file.relative_to(path)
        else:
            yield path, Path(path.name)


def redacted_name(path: Path) -> str:
    return f"{path.stem} ({REDACTED_TAG}){path.suffix}"


def output_for(path: Path, relative: Path, out: Path | None, single: bool) -> Path:
    """Where a redacted copy goes: beside the original with '(đã che)', into the OUT
    folder under its relative name, or to OUT itself for one file."""
    if out is None:
        return path.with_name(redacted_name(path))
    if single and not out.is_dir() and out.suffix:
        return out
    target = out / relative
    if target.resolve() == path.resolve():
        # OUT is the input's own folder: keep the original, add the '(đã che)' mark.
        return target.with_name(redacted_name(path))
    return target


def where(finding: Finding, text: str) -> str:
    line = text.count("\n", 0, finding.start) + 1
    return f"dòng {line}"


def redact_text_file(path: Path, output: Path, engine: Engine,
                     placeholders: PlaceholderMap) -> FileReport:
    text = read_text_file(path)
    result = engine.redact(text, placeholders=placeholders)
    report = FileReport(str(path), None, result.verdict.value, len(result.applied),
                        result.counts_by_entity(), warnings=len(result.warnings))
    if result.verdict is Verdict.BLOCKED:
        report.blocks = [f"{where(f, text)}: {f.entity}" for f in result.blocks]
        return report
    if output.resolve() == path.resolve():
        raise InputError(f"{path}: đầu ra trùng tệp gốc / output would overwrite the original")
    write_atomic(output, (result.text or "").encode("utf-8"))
    report.output = str(output)
    return report


def redact_office_file(path: Path, output: Path, engine: Engine, placeholders: PlaceholderMap,
                       macro_policy: str) -> FileReport:
    try:
        from .documents import DocumentError, redact_document
    except ImportError:
        return FileReport(str(path), None, None, error="chưa hỗ trợ / not supported yet")
    try:
        result = redact_document(path, output, engine, placeholders=placeholders,
                                 macro_policy=macro_policy)
    except DocumentError as exc:
        return FileReport(str(path), None, None, error=str(exc))
    return FileReport(str(path), str(result.output) if result.output else None,
                      result.verdict.value, result.findings, dict(result.by_type),
                      blocks=list(result.blocks), warnings=len(result.warnings),
                      notes=list(result.notes))


def redact_one(path: Path, output: Path, engine: Engine, placeholders: PlaceholderMap,
               macro_policy: str = "remove") -> FileReport:
    suffix = path.suffix.lower()
    try:
        if not path.exists():
            raise InputError(f"{path}: không tìm thấy / not found")
        if suffix in OFFICE_SUFFIXES:
            return redact_office_file(path, output, engine, placeholders, macro_policy)
        if suffix in TEXT_SUFFIXES or suffix == "":
            return redact_text_file(path, output, engine, placeholders)
        raise InputError(f"{path}: định dạng chưa hỗ trợ / unsupported file type '{suffix}'")
    except InputError as exc:
        return FileReport(str(path), None, None, error=str(exc))
    except OSError as exc:
        return FileReport(str(path), None, None,
                          error=f"{path}: lỗi ghi/đọc / I/O error ({exc.strerror or exc})")


def redact_paths(paths: list[Path], out: Path | None, engine: Engine,
                 placeholders: PlaceholderMap, *, jobs: int = 1, macro_policy: str = "remove",
                 progress: Callable[[int, int, FileReport], None] | None = None,
                 scope: Callable[[], contextlib.AbstractContextManager] | None = None,
                 ) -> list[FileReport]:
    """Redact every input; threads when ``jobs`` > 1 (XML parsing, zlib and regex
    matching release the GIL). Reports come back in input order.

    ``scope`` wraps each file when files run one at a time (the vault's ``recording``:
    lock, merge other processes' entries, save). Threads share ``placeholders`` (it has
    its own lock) and the vault is saved once at the end instead.
    """
    items = list(expand_inputs(paths))
    single = len(items) == 1 and not any(p.is_dir() for p in paths)
    tasks = [(file, output_for(file, rel, out, single)) for file, rel in items]
    reports: list[FileReport | None] = [None] * len(tasks)

    parallel = jobs > 1 and len(tasks) > 1

    def run(index: int) -> None:
        file, output = tasks[index]
        with (scope() if scope and not parallel else contextlib.nullcontext()):
            reports[index] = redact_one(file, output, engine, placeholders, macro_policy)
        if progress:
            progress(index + 1, len(tasks), reports[index])

    if parallel:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(run, range(len(tasks))))
        if scope:
            with scope():
                pass  # merge and save the entries the threads added
    else:
        for index in range(len(tasks)):
            run(index)
    return [r for r in reports if r is not None]
