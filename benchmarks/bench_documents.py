"""Sanitize time vs a bare library round trip of the same files, as ratios (target <= 1x).

    .venv/bin/python benchmarks/bench_documents.py [CORPUS_DIR] [--every 3] [--repeat 1]

For each corpus file that python-docx (.docx) or openpyxl (.xlsx) can open and save, it
times ``redact_document`` (engine built once, outside the timing) against
``Document(path).save()`` / ``load_workbook(path).save()`` and prints the ratio of the
totals and the median per-file ratio, per format.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "office-corpus"


def _library_round_trip(path: Path, out: Path) -> None:
    if path.suffix.lower() == ".docx":
        import docx

        docx.Document(str(path)).save(str(out))
    else:
        import openpyxl

        openpyxl.load_workbook(str(path)).save(str(out))


def _best(fn, repeat: int, *args) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--every", type=int, default=3, help="take every Nth file")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    from app.documents import DocumentError, redact_document
    from app.engine import default_engine

    engine = default_engine()
    engine.analyze("Ông Nguyễn Văn An, 0912345678")  # lazy lexicons load outside the timing
    files = sorted(p for p in Path(args.corpus).rglob("*")
                   if p.suffix.lower() in (".docx", ".xlsx"))[:: args.every]
    scratch = Path(tempfile.mkdtemp(prefix="giukin-bench-"))
    rows: dict[str, list[tuple[float, float]]] = {".docx": [], ".xlsx": []}
    for path in files:
        lib_out, our_out = scratch / f"lib{path.suffix}", scratch / f"our{path.suffix}"
        try:
            _library_round_trip(path, lib_out)  # warm-up + skip what the library cannot do
        except Exception:
            continue
        try:
            ours = _best(redact_document, args.repeat, path, our_out, engine)
        except DocumentError:
            continue
        lib = _best(_library_round_trip, args.repeat, path, lib_out)
        rows[path.suffix.lower()].append((ours, lib))
    print(f"{'format':<8}{'files':>7}{'ours s':>10}{'library s':>11}{'ratio':>8}"
          f"{'median':>8}   (ratio = sanitize / library open+save; target <= 1x)")
    for suffix, pairs in rows.items():
        if not pairs:
            continue
        ours = sum(p[0] for p in pairs)
        lib = sum(p[1] for p in pairs)
        med = statistics.median(p[0] / p[1] for p in pairs if p[1] > 0)
        print(f"{suffix:<8}{len(pairs):>7}{ours:>10.2f}{lib:>11.2f}{ours / lib:>7.2f}x"
              f"{med:>7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
