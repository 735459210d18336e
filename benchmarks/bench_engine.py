"""Engine speed benchmark: printed as ratios measured in one run (not a test).

    .venv/bin/python benchmarks/bench_engine.py [--sizes 1K,10K,100K,1M,10M] [--presidio-max 100K]

Compares, on the same synthetic Vietnamese office text (the labelled corpus, repeated):
- floor: every regex of the default pack's pattern rules in ONE compiled alternation, one
  finditer pass, spans collected — no framework, no validation, no context;
- engine: ``Engine.analyze`` (normalisation, all recognizers incl. names/addresses/stamps,
  validators, phrase context, suppression, overlap priority);
- presidio-default: the same recognizers in Presidio with a spaCy blank tokenizer and
  Presidio's default LemmaContextAwareEnhancer (the set-up the design replaced).
Also: import time, engine construction time, and growth 10x input -> Nx time.
Targets (issue 2): engine <= 1.5x floor at 1 MB; 10x larger input costs <= 11x.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"1K": 1_000, "10K": 10_000, "100K": 100_000, "1M": 1_000_000, "10M": 10_000_000}


def corpus_text(size: int) -> str:
    rows = [json.loads(line)["text"] for line in
            (ROOT / "tests/corpus/engine/snippets.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if "MẬT\n" not in r]  # a stamp would end the analysis early
    block = "\n\n".join(rows)
    text = (block * (size // len(block) + 1))[:size]
    return text[: text.rfind("\n") if "\n" in text[-200:] else size]


def timed(func, text: str, repeat: int) -> float:
    func(text)  # warm-up
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(text)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def build_floor(engine):
    import regex

    parts = []
    for rule in engine.rules.values():
        for pattern in rule.patterns:
            parts.append(f"(?:{pattern.regex})")
    combined = regex.compile("|".join(parts))

    def floor(text: str) -> list[tuple[int, int]]:
        return [m.span() for m in combined.finditer(text)]

    return floor, len(parts)


def build_presidio_default(engine):
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    from app.engine.recognizers.base import KINDS

    model_dir = Path(tempfile.mkdtemp()) / "xx_blank"
    spacy.blank("xx").to_disk(model_dir)
    registry = RecognizerRegistry(supported_languages=["vi"])
    for rule in engine.rules.values():
        registry.add_recognizer(KINDS[rule.kind](rule))
    nlp = SpacyNlpEngine(models=[{"lang_code": "vi", "model_name": str(model_dir)}])
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["vi"],
                              context_aware_enhancer=LemmaContextAwareEnhancer())

    def run(text: str):
        return analyzer.analyze(text=text, language="vi")

    return run


def import_and_build_times() -> tuple[float, float]:
    code = ("import time; t=time.perf_counter(); import app.engine as e; t1=time.perf_counter();"
            "e.default_engine(); t2=time.perf_counter(); print(t1-t, t2-t1)")
    samples = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             cwd=ROOT, check=True).stdout.split()
        samples.append((float(out[0]), float(out[1])))
    return (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1K,10K,100K,1M,10M")
    parser.add_argument("--presidio-max", default="100K",
                        help="largest size for the Presidio default set-up (it is quadratic)")
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",")]

    imp, build = import_and_build_times()
    print(f"import app.engine: {imp * 1000:.0f} ms; engine construction: {build * 1000:.0f} ms")

    from app.engine import default_engine

    engine = default_engine()
    floor, n_patterns = build_floor(engine)
    presidio = build_presidio_default(engine)
    print(f"rules: {len(engine.rules)}; floor = {n_patterns} YAML regexes in one alternation")
    print(f"{'size':>6} {'floor ms':>10} {'engine ms':>10} {'engine/floor':>13} "
          f"{'presidio-default ms':>20} {'presidio/engine':>16}")
    times = {}
    for name in sizes:
        text = corpus_text(SIZES[name])
        repeat = 7 if SIZES[name] <= 100_000 else (3 if SIZES[name] <= 1_000_000 else 1)
        t_floor = timed(floor, text, repeat)
        t_engine = timed(engine.analyze, text, repeat)
        times[name] = t_engine
        if SIZES[name] <= SIZES[args.presidio_max]:
            t_pres = timed(presidio, text, max(1, repeat // 2))
            pres = f"{t_pres * 1000:>20.1f} {t_pres / t_engine:>15.1f}x"
        else:
            pres = f"{'(skipped)':>20} {'':>16}"
        print(f"{name:>6} {t_floor * 1000:>10.1f} {t_engine * 1000:>10.1f} "
              f"{t_engine / t_floor:>12.2f}x {pres}")
    ordered = [s for s in SIZES if s in times]
    for small, big in zip(ordered, ordered[1:]):
        print(f"growth {small} -> {big} (10x input): {times[big] / times[small]:.1f}x time")


if __name__ == "__main__":
    main()
