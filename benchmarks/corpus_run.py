"""Run the document sanitizer over the office corpus and print a summary table.

Not part of the test run (it takes minutes):

    .venv/bin/python benchmarks/corpus_run.py [CORPUS_DIR] [--workers 2] [--timeout 120]

Each file runs in a worker process with an address-space cap; a file that exceeds the
timeout kills its worker (counted, and a new worker takes over). For every output the
script checks that python-docx / openpyxl can open it whenever they can open the input.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "office-corpus"
SLOW_SECONDS = 30.0
AS_LIMIT = 3 * 1024 ** 3


def _opens(path: Path) -> bool | None:
    """True/False: python-docx or openpyxl opens ``path``; None: no library for it."""
    warnings.simplefilter("ignore")
    from app.formats import EXCEL_SUFFIXES, WORD_SUFFIXES

    suffix = path.suffix.lower()
    try:
        if suffix in WORD_SUFFIXES:
            import docx

            docx.Document(str(path))
        elif suffix in EXCEL_SUFFIXES:
            import openpyxl

            openpyxl.load_workbook(str(path)).close()
        else:
            return None
    except Exception:
        return False
    return True


def _checker(inbox, outbox) -> None:
    """Library re-open checks, in their own process so they never count in the RSS figure."""
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))
    while True:
        item = inbox.get()
        if item is None:
            break
        source, output = item
        source_opens = _opens(Path(source))
        outbox.put(None if not source_opens else _opens(Path(output)))


def _worker(inbox, outbox) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))
    from app.documents import DocumentError, default_output_name, redact_document
    from app.engine import default_engine

    ctx = mp.get_context("spawn")
    check_in, check_out = ctx.Queue(), ctx.Queue()
    checker = ctx.Process(target=_checker, args=(check_in, check_out), daemon=True)
    checker.start()
    engine = default_engine()
    scratch = Path(tempfile.mkdtemp(prefix="giukin-corpus-"))
    while True:
        item = inbox.get()
        if item is None:
            break
        path = Path(item)
        row = {"path": item, "status": "", "reason": "", "seconds": 0.0, "reopen": None}
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        out = scratch / default_output_name(path)
        try:
            result = redact_document(path, out, engine)
            row["seconds"] = time.perf_counter() - start
            if result.output is None:
                row["status"] = "blocked"
            else:
                row["status"] = "written"
                row["findings"] = result.findings
                row["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                check_in.put((str(path), str(result.output)))
                try:
                    row["reopen"] = check_out.get(timeout=300)
                except Exception:
                    row["reopen"] = False
                    checker.kill()
                    checker = ctx.Process(target=_checker, args=(check_in, check_out),
                                          daemon=True)
                    checker.start()
                result.output.unlink()
        except DocumentError as exc:
            row["seconds"] = time.perf_counter() - start
            row["status"], row["reason"] = "refused", exc.reason
        except MemoryError:
            row["seconds"] = time.perf_counter() - start
            row["status"], row["reason"] = "crash", "MemoryError"
        except Exception as exc:  # a crash is a bug to report, not a refusal
            row["seconds"] = time.perf_counter() - start
            row["status"], row["reason"] = "crash", f"{type(exc).__name__}: {exc}"[:160]
            row["trace"] = traceback.format_exc(limit=3)[-600:]
        row["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        row["rss_raised"] = row["rss_mb"] > rss_before + 1
        outbox.put(row)
    check_in.put(None)
    shutil.rmtree(scratch, ignore_errors=True)


class Worker:
    def __init__(self, ctx) -> None:
        self.inbox, self.outbox = ctx.Queue(), ctx.Queue()
        # not a daemon: it starts its own checker process
        self.proc = ctx.Process(target=_worker, args=(self.inbox, self.outbox), daemon=False)
        self.proc.start()
        self.current: str | None = None
        self.started = 0.0

    def give(self, path: str) -> None:
        self.current, self.started = path, time.perf_counter()
        self.inbox.put(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--json", help="write every row (paths, outcomes, times) here")
    args = parser.parse_args(argv)
    from app.formats import OFFICE_SUFFIXES

    suffixes = set(OFFICE_SUFFIXES)
    files = sorted(str(p) for p in Path(args.corpus).rglob("*") if p.suffix.lower() in suffixes)
    if args.limit:
        files = files[: args.limit]
    ctx = mp.get_context("spawn")
    queue = list(files)
    workers = [Worker(ctx) for _ in range(max(1, args.workers))]
    rows = []
    begin = time.perf_counter()
    while queue or any(w.current for w in workers):
        for i, w in enumerate(workers):
            if w.current is None and queue:
                w.give(queue.pop(0))
            if w.current is None:
                continue
            try:
                row = w.outbox.get(timeout=0.05)
            except Exception:
                if time.perf_counter() - w.started > args.timeout or not w.proc.is_alive():
                    status = "timeout" if w.proc.is_alive() else "crash"
                    rows.append({"path": w.current, "status": status, "reason": "worker died"
                                 if status == "crash" else "", "seconds": args.timeout,
                                 "rss_mb": 0})
                    w.proc.kill()
                    workers[i] = Worker(ctx)
                continue
            rows.append(row)
            w.current = None
            done = len(rows)
            if done % 100 == 0:
                print(f"  {done}/{len(files)} files, {time.perf_counter() - begin:.0f} s",
                      file=sys.stderr)
    for w in workers:
        w.inbox.put(None)
    for w in workers:
        w.proc.join(timeout=30)
        if w.proc.is_alive():
            w.proc.kill()
    report(rows, time.perf_counter() - begin)
    if args.json:
        import json

        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


def report(rows: list[dict], elapsed: float) -> None:
    status = Counter(r["status"] for r in rows)
    reasons = Counter(r["reason"] for r in rows if r["status"] == "refused")
    crashes = [r for r in rows if r["status"] in ("crash", "timeout")]
    slow = [r for r in rows if r["seconds"] > SLOW_SECONDS]
    reopen_fail = [r for r in rows if r.get("reopen") is False]
    reopen_ok = sum(1 for r in rows if r.get("reopen") is True)
    peak = max((r.get("rss_mb", 0) for r in rows), default=0)
    total = len(rows)
    refused = status["refused"]
    expected = {"encrypted", "legacy", "corrupt", "unsupported", "not_ooxml", "empty"}
    # DTD bombs and external entities: hostile by construction, refused by design (issue 4).
    hostile = reasons.get("xml_unsafe", 0)
    unexpected = sum(n for k, n in reasons.items() if k not in expected | {"xml_unsafe"})
    print(f"\nOffice corpus: {total} files in {elapsed:.0f} s")
    print(f"{'outcome':<38}{'files':>8}")
    print(f"{'outputs written':<38}{status['written']:>8}")
    print(f"{'blocked (state-secret stamp)':<38}{status['blocked']:>8}")
    print(f"{'refused':<38}{refused:>8}")
    for reason, n in reasons.most_common():
        print(f"{'  - ' + reason:<38}{n:>8}")
    print(f"{'crashes + timeouts (target 0)':<38}{len(crashes):>8}")
    print(f"{'files over 30 s (target 0)':<38}{len(slow):>8}")
    print(f"{'outputs failing to reopen (target 0)':<38}{len(reopen_fail):>8}"
          f"   (reopened OK: {reopen_ok})")
    print(f"{'peak worker RSS MB (target <= 500)':<38}{peak:>8.0f}")
    print(f"{'refusal rate (target <= 5 %)':<38}{100 * refused / max(total, 1):>7.1f}%")
    print(f"{'  of which hostile XML (DTD/entities)':<38}{hostile:>8}")
    print(f"{'other refusals (not corrupt/encrypted)':<38}{unexpected:>8}")
    times = sorted(r["seconds"] for r in rows if r["status"] in ("written", "blocked"))
    if times:
        print(f"{'median / p95 / max seconds':<38}{times[len(times) // 2]:>8.2f}"
              f"{times[int(len(times) * 0.95)]:>8.2f}{times[-1]:>8.2f}")
    for r in crashes[:15] + reopen_fail[:10]:
        print(f"  ! {r['status']:<8} {os.path.relpath(r['path'], DEFAULT_CORPUS)}  "
              f"{r.get('reason', '')}")
    for r in sorted(rows, key=lambda r: -r["seconds"])[:5]:
        print(f"  slowest {r['seconds']:6.1f} s  {os.path.relpath(r['path'], DEFAULT_CORPUS)}")
    for r in sorted((r for r in rows if r.get("rss_raised")), key=lambda r: -r["rss_mb"])[:5]:
        print(f"  RSS peak {r['rss_mb']:5.0f} MB  {os.path.relpath(r['path'], DEFAULT_CORPUS)}")
    for r in [r for r in rows if r["status"] == "refused" and r["reason"] not in expected][:40]:
        print(f"  - refused {r['reason']:<10} {os.path.relpath(r['path'], DEFAULT_CORPUS)}")


if __name__ == "__main__":
    sys.exit(main())
