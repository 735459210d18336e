"""Check that sanitized Word/Excel outputs still convert to PDF with LibreOffice.

For every Office file of the corpus the script writes the sanitized copy with the public
API (``redact_document``) into a temp folder, then converts the original (a temp copy, so
LibreOffice never writes beside or locks a corpus file) and the output to PDF with
LibreOffice headless, in batches of about 50 files per ``soffice`` call. A batch that
times out or fails is retried file by file with the per-file timeout. A conversion is
OK when a complete PDF appears. The headline figure is the number of outputs that fail
to convert although their original converts (target 0). Page counts of both PDFs are
compared for information only (placeholders change the text length).

Slow (20-40 minutes for the whole corpus on 2 cores) and not part of the test run:

    .venv/bin/python benchmarks/pdf_check.py [CORPUS] [--sample 200] [--json rows.json]

Needs ``soffice`` on PATH. LibreOffice runs with a private profile, without network
(``unshare -rn`` where the kernel allows it) and one instance at a time. Only paths and
counts are printed, never document contents.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import queue
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "office-corpus"
AS_LIMIT = 3 * 1024 ** 3
# An explicit import filter: with auto-detection LibreOffice opens a broken package as
# plain text and still writes a PDF, which would hide exactly the failures we look for.
WORD_FILTER = "MS Word 2007 XML"
EXCEL_FILTER = "Calc MS Excel 2007 XML"
PAGE_RE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_LIVE: set[subprocess.Popen] = set()


# --- sanitizing (in a worker process: a hostile file may hang or eat memory) -----------

def _redact_worker(inbox, outbox) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)  # keep library chatter (and any content) off stderr
    from app.documents import DocumentError, redact_document
    from app.engine import PlaceholderMap, default_engine

    engine = default_engine()
    while (item := inbox.get()) is not None:
        src, out = item
        try:
            result = redact_document(src, out, engine, placeholders=PlaceholderMap())
            if result.output is None:
                outbox.put(("blocked", "", None))
            else:
                outbox.put(("written", "", str(result.output)))
        except DocumentError as exc:
            outbox.put(("refused", exc.reason, None))
        except Exception as exc:  # a crash is a bug to report; only its type, no message
            outbox.put(("crash", type(exc).__name__, None))


class Redactor:
    """One sanitizing worker, replaced when a file hangs it or kills it."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.ctx = mp.get_context("spawn")
        self._start()

    def _start(self) -> None:
        self.warm = False
        self.inbox, self.outbox = self.ctx.Queue(), self.ctx.Queue()
        self.proc = self.ctx.Process(target=_redact_worker, args=(self.inbox, self.outbox),
                                     daemon=True)
        self.proc.start()

    def run(self, src: Path, out: Path) -> tuple[str, str, str | None]:
        self.inbox.put((str(src), str(out)))
        # a fresh worker first loads the engine
        deadline = time.monotonic() + self.timeout + (0 if self.warm else 60)
        while time.monotonic() < deadline:
            try:
                answer = self.outbox.get(timeout=0.5)
                self.warm = True
                return answer
            except queue.Empty:
                if not self.proc.is_alive():
                    self._start()
                    return "crash", "worker died", None
        self.proc.kill()
        self.proc.join()
        self._start()
        return "crash", "timeout", None

    def close(self) -> None:
        self.inbox.put(None)
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.kill()


def redact_batch(rows: list[dict], folder: Path, redactor: Redactor) -> None:
    """Fill status/reason/output of each row; written ones also get a copy of the original."""
    (folder / "orig").mkdir(parents=True)
    (folder / "out").mkdir()
    for row in rows:
        src = Path(row["source"])
        name = f"{row['index']:05d}{src.suffix.lower()}"
        row["status"], row["reason"], output = redactor.run(src, folder / "out" / name)
        if output:
            row["output"] = output
            row["original"] = str(folder / "orig" / name)
            shutil.copyfile(src, row["original"])


# --- converting ------------------------------------------------------------------------

def network_prefix() -> list[str]:
    """``unshare -rn`` (no network namespace) when this kernel lets us use it."""
    if shutil.which("unshare") is None:
        return []
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    return ["unshare", "-rn"] if probe.returncode == 0 else []


class Converter:
    """Runs one soffice at a time with a private profile, batch first then file by file."""

    def __init__(self, timeout: float, prefix: list[str]) -> None:
        self.timeout = timeout
        self.prefix = prefix
        self.profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))

    def _reset_profile(self) -> None:
        # a killed instance can leave a lock behind that would stall the next start
        shutil.rmtree(self.profile, ignore_errors=True)
        self.profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))

    def _soffice(self, files: list[Path], infilter: str, outdir: Path, timeout: float) -> bool:
        """True when soffice exited by itself with status 0."""
        cmd = [*self.prefix, "soffice", f"-env:UserInstallation={self.profile.as_uri()}",
               "--headless", "--norestore", "--nolockcheck", f"--infilter={infilter}",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        _LIVE.add(proc)
        try:
            return proc.wait(timeout=timeout) == 0
        except subprocess.TimeoutExpired:
            _kill(proc)
            self._reset_profile()
            return False
        finally:
            _LIVE.discard(proc)

    def convert(self, files: list[Path], infilter: str, outdir: Path) -> dict[Path, Path]:
        """Map each file that converted to its PDF."""
        if not files:
            return {}
        outdir.mkdir(parents=True, exist_ok=True)
        # short enough that one hanging file costs little: the retry redoes only the rest
        batch_timeout = self.timeout + 2 * len(files)
        clean = self._soffice(files, infilter, outdir, batch_timeout)
        done = _pdfs(files, outdir)
        if not clean:  # one bad file must not sink the rest of the batch
            for f in files:
                if f not in done:
                    self._soffice([f], infilter, outdir, self.timeout)
            done = _pdfs(files, outdir)
        return done

    def close(self) -> None:
        shutil.rmtree(self.profile, ignore_errors=True)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice.bin is a child of the wrapper
    except ProcessLookupError:
        pass
    proc.wait()


def _pdfs(files: list[Path], outdir: Path) -> dict[Path, Path]:
    found = {}
    for f in files:
        pdf = outdir / f"{f.stem}.pdf"
        if _complete_pdf(pdf):
            found[f] = pdf
        elif pdf.exists():
            pdf.unlink()  # cut short by a kill: let the retry write it again
    return found


def _complete_pdf(pdf: Path) -> bool:
    try:
        data = pdf.read_bytes()
    except OSError:
        return False
    return data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]


def page_count(pdf: Path) -> int:
    # LibreOffice writes no object streams, so page objects are visible as plain text
    return len(PAGE_RE.findall(pdf.read_bytes()))


def convert_batch(rows: list[dict], folder: Path, converter: Converter, keep: bool) -> None:
    """Convert originals and outputs of the written rows; fill ok flags and page counts."""
    from app.formats import WORD_SUFFIXES

    written = [r for r in rows if r["status"] == "written"]
    for side in ("original", "output"):
        for word in (True, False):
            group = [r for r in written if (Path(r[side]).suffix.lower() in WORD_SUFFIXES) == word]
            files = [Path(r[side]) for r in group]
            pdfs = converter.convert(files, WORD_FILTER if word else EXCEL_FILTER,
                                     folder / f"pdf-{side}")
            for r, f in zip(group, files):
                r[f"{side}_pdf"] = f in pdfs
                r[f"{side}_pages"] = page_count(pdfs[f]) if f in pdfs else None
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)


# --- driver ------------------------------------------------------------------------------

def pick_files(corpus: Path, limit: int, sample: int) -> list[Path]:
    from app.formats import OFFICE_SUFFIXES

    suffixes = set(OFFICE_SUFFIXES)
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
    if sample and sample < len(files):
        files = sorted(random.Random(1).sample(files, sample))
    return files[:limit] if limit else files


def run(files: list[Path], corpus: Path, args, work: Path, prefix: list[str]) -> list[dict]:
    rows = [{"path": os.path.relpath(f, corpus), "source": str(f), "index": i,
             "status": "", "reason": ""} for i, f in enumerate(files)]
    batches = [rows[i:i + args.batch] for i in range(0, len(rows), args.batch)]
    redactor = Redactor(args.redact_timeout)
    converter = Converter(args.timeout, prefix)
    begin = time.monotonic()
    # sanitize the next batch while LibreOffice converts the previous one (2 cores)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = []
        try:
            for k, batch in enumerate(batches):
                folder = work / f"b{k:03d}"
                redact_batch(batch, folder, redactor)
                pending.append(pool.submit(convert_batch, batch, folder, converter, args.keep))
                while len(pending) > 1:
                    pending.pop(0).result()
                print(f"  batch {k + 1}/{len(batches)} sanitized, "
                      f"{(time.monotonic() - begin) / 60:.1f} min", file=sys.stderr, flush=True)
            for future in pending:
                future.result()
        finally:
            for proc in list(_LIVE):
                _kill(proc)
            redactor.close()
            converter.close()
    return rows


def report(rows: list[dict], minutes: float, isolated: bool) -> None:
    def count(status: str) -> int:
        return sum(r["status"] == status for r in rows)

    written = [r for r in rows if r["status"] == "written"]
    lost = [r for r in written if r.get("original_pdf") and not r.get("output_pdf")]
    gained = [r for r in written if r.get("output_pdf") and not r.get("original_pdf")]
    both = [r for r in written if r.get("original_pdf") and r.get("output_pdf")]
    moved = [r for r in both if r["original_pages"] != r["output_pages"]]
    crashes = [r for r in rows if r["status"] == "crash"]
    lines = [
        ("files tried", len(rows)),
        ("outputs written", len(written)),
        ("refused", count("refused")),
        ("blocked", count("blocked")),
        ("crashes + timeouts", len(crashes)),
        ("originals that convert (of written)", sum(bool(r.get("original_pdf")) for r in written)),
        ("outputs that convert", sum(bool(r.get("output_pdf")) for r in written)),
        ("outputs failing, original OK (target 0)", len(lost)),
        ("outputs OK, original failing", len(gained)),
        ("pages, originals (both convert)", sum(r["original_pages"] for r in both)),
        ("pages, outputs (both convert)", sum(r["output_pages"] for r in both)),
        ("outputs with another page count", len(moved)),
        ("total minutes", f"{minutes:.1f}"),
    ]
    print(f"\nPDF check (LibreOffice, network isolated: {'yes' if isolated else 'no'})")
    for label, value in lines:
        print(f"{label:<42}{value:>8}")
    for r in lost:
        print(f"  ! output fails, original converts: {r['path']}")
    for r in gained:
        print(f"  + output converts, original fails: {r['path']}")
    for r in crashes:
        print(f"  x crash ({r['reason']}): {r['path']}")
    for r in moved[:10]:
        print(f"  ~ pages {r['original_pages']} -> {r['output_pages']}: {r['path']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, default=0, help="first N files (0 = all)")
    parser.add_argument("--sample", type=int, default=0, help="random N files (seed 1)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per conversion")
    parser.add_argument("--redact-timeout", type=float, default=120.0)
    parser.add_argument("--batch", type=int, default=50, help="files per soffice call")
    parser.add_argument("--json", help="write every row (paths, outcomes, pages) here")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args(argv)
    if shutil.which("soffice") is None:
        print("soffice not found on PATH", file=sys.stderr)
        return 3
    corpus = Path(args.corpus).resolve()
    files = pick_files(corpus, args.limit, args.sample)
    prefix = network_prefix()
    work = Path(tempfile.mkdtemp(prefix="giukin-pdfcheck-"))
    begin = time.monotonic()
    try:
        rows = run(files, corpus, args, work, prefix)
    finally:
        if args.keep:
            print(f"temp folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    report(rows, (time.monotonic() - begin) / 60, bool(prefix))
    if args.json:
        for r in rows:
            r.pop("source", None)  # absolute corpus paths add nothing
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
