"""Many files at once, for the CLI (progress callback, --jobs N) and the tray.

Each entry of the returned list is one line of the JSON report of the design:
``{"path", "output", "verdict", "findings", "by_type", "error"}`` (plus blocks, notes,
warnings and the refusal reason; never any value).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import SUPPORTED_SUFFIXES, DocumentError, default_output_name, redact_document
from .package import Limits

Progress = Callable[[int, int, "FileReport"], None]


@dataclass
class FileReport:
    path: str
    output: str | None
    verdict: str | None
    findings: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    reason: str | None = None
    blocks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def collect_inputs(paths: Iterable[str | Path]) -> list[tuple[Path, Path]]:
    """(file, path relative to its root) for files and folders (recursive, sorted)."""
    found = []
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            for item in sorted(root.rglob("*")):
                if item.is_file() and item.suffix.lower() in SUPPORTED_SUFFIXES and not (
                        item.name.startswith(("~$", ".giukin-"))):
                    found.append((item, item.relative_to(root)))
        else:
            found.append((root, Path(root.name)))
    return found


def output_for(file: Path, relative: Path, out_dir: Path | None) -> Path:
    folder = (out_dir / relative.parent) if out_dir is not None else file.parent
    return folder / default_output_name(file, macros_removed=False)


def redact_one(file: Path, output: Path, engine, macro_policy: str = "remove",
               limits: Limits | None = None, placeholders=None) -> FileReport:
    try:
        r = redact_document(file, output, engine, macro_policy=macro_policy, limits=limits,
                            placeholders=placeholders)
    except DocumentError as exc:
        return FileReport(str(file), None, None, error=str(exc), reason=exc.reason)
    return FileReport(str(file), str(r.output) if r.output else None, r.verdict.value,
                      r.findings, r.by_type, None, None, r.blocks, r.warnings, r.notes)


_worker_engine = None


def _init_worker(folders: list[str], policy) -> None:
    global _worker_engine
    from app.engine import Engine

    _worker_engine = Engine.from_folders(folders, policy)


def _work(args) -> FileReport:
    file, output, macro_policy, limits = args
    return redact_one(file, output, _worker_engine, macro_policy, limits)


def redact_paths(paths: Iterable[str | Path], out_dir: str | Path | None, engine, *,
                 jobs: int = 1, progress: Progress | None = None,
                 macro_policy: str = "remove", limits: Limits | None = None) -> list[FileReport]:
    """Redact files and folders; ``out_dir`` None writes next to each original.

    ``progress(done, total, report)`` is called after each file. With ``jobs`` > 1 the
    files run in worker processes, each building its engine from ``engine``'s packs.
    """
    inputs = collect_inputs(paths)
    out = Path(out_dir) if out_dir is not None else None
    tasks = [(f, output_for(f, rel, out), macro_policy, limits) for f, rel in inputs]
    reports: list[FileReport] = []
    total = len(tasks)
    if jobs <= 1 or total <= 1:
        for file, output, policy, lim in tasks:
            reports.append(redact_one(file, output, engine, policy, lim))
            if progress:
                progress(len(reports), total, reports[-1])
        return reports
    folders = [str(p.path) for p in engine.packs]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(folders, engine.policy)) as pool:
        for report in pool.map(_work, tasks):
            reports.append(report)
            if progress:
                progress(len(reports), total, report)
    return reports
