"""Check that sanitizing edits only what it redacts, on the office corpus.

    .venv/bin/python benchmarks/fidelity_check.py [CORPUS] [--every 1]

For every output with findings, each XML part that changed is compared with the input,
text node by text node (element text, tails, attribute values, in document order). A
changed node must be its input with some pieces replaced by placeholders: any other
difference (words lost next to a value, a placeholder written twice) is an anomaly.
Parts whose structure changed (a number cell turned into an inline string) are skipped,
and so is ``[Content_Types].xml`` when macros were removed (its type changes by design).
Prints counts and paths only, never document text. Slow (about 3 minutes); not part of
the test run.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import warnings
import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "office-corpus"
PLACEHOLDER = re.compile(r"\[?[A-ZĐÀ-Ỹ_]+_\d+\]?")


def _nodes(data: bytes) -> list[str] | None:
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    out: list[str] = []
    for el in root.iter():
        if isinstance(el.tag, str):
            out += [el.text or "", el.tail or ""]
            out += [value for _key, value in sorted(el.attrib.items())]
    return out


def _explained(before: str, after: str) -> bool:
    """``after`` is ``before`` with pieces replaced by placeholders (or a path cut to its
    file name, or a value blanked)."""
    if not PLACEHOLDER.search(after):
        return not after.strip() or before.endswith(after)
    pieces = re.split(f"({PLACEHOLDER.pattern})", after)
    pattern = "".join(".+?" if PLACEHOLDER.fullmatch(p) else re.escape(p) for p in pieces if p)
    return re.fullmatch(pattern, before, re.S) is not None


def _explained_here(before: list[str], after: list[str], i: int) -> bool:
    """Node ``i`` alone, or with the nodes just before it: a value split over runs gets its
    placeholder in the first run and the rest removed from the next ones."""
    for j in range(i, max(-1, i - 12), -1):
        changed = [k for k in range(j, i + 1) if before[k] != after[k]]  # skip run properties
        if _explained("".join(before[k] for k in changed), "".join(after[k] for k in changed)):
            return True
    return False


def check(src: Path, out: Path) -> list[str]:
    """Parts of ``out`` holding a changed node that placeholders do not explain."""
    bad = []
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out) as zout:
        written = set(zout.namelist())
        for member in zin.namelist():
            name = member.replace("\\", "/")
            if name == "[Content_Types].xml" or not name.endswith((".xml", ".rels")) or (
                    name not in written):
                continue
            before, after = zin.read(member), zout.read(name)
            if before == after:
                continue
            nb, na = _nodes(before), _nodes(after)
            if nb is None or na is None or len(nb) != len(na):
                continue
            if any(x != y and not _explained_here(nb, na, i)
                   for i, (x, y) in enumerate(zip(nb, na, strict=True))):
                bad.append(name)
    return bad


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--every", type=int, default=1, help="take every Nth file")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    from app.documents import DocumentError, redact_document
    from app.engine import PlaceholderMap, default_engine
    from app.formats import OFFICE_SUFFIXES

    engine = default_engine()
    root = Path(args.corpus)
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in OFFICE_SUFFIXES)
    scratch = Path(tempfile.mkdtemp(prefix="giukin-fidelity-"))
    checked, anomalies, outcomes = 0, [], Counter()
    for path in files[:: args.every]:
        try:
            result = redact_document(path, scratch / f"out{path.suffix}", engine,
                                     placeholders=PlaceholderMap())
        except DocumentError:
            outcomes["refused"] += 1
            continue
        except Exception as exc:  # noqa: BLE001 - counted and named, the run goes on
            outcomes[f"crash {type(exc).__name__}"] += 1
            continue
        if result.output is None or not result.findings:
            outcomes["blocked or clean"] += 1
            continue
        checked += 1
        anomalies += [(path.relative_to(root), part) for part in check(path, result.output)]
        result.output.unlink()
    print(f"outputs with findings checked     {checked:>6}")
    for what, n in sorted(outcomes.items()):
        print(f"{what:<34}{n:>6}")
    print(f"parts with unexplained edits      {len(anomalies):>6}   (target 0)")
    for file, part in anomalies[:40]:
        print(f"  ! {file} [{part}]")
    return 1 if anomalies else 0


if __name__ == "__main__":
    sys.exit(main())
