"""Recall, precision and over-redaction of the people recognizers on the labelled corpus.

Corpus: tests/corpus/people/*.txt (format in its README). Run with ``pytest -s`` to see
the figures. A value is recalled when findings of its type cover >= 90 % of its
characters; a finding is correct when >= 50 % of it lies inside values of its type;
over-redaction is the share of words outside every labelled value that a finding of
these types touches.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "people"
TYPES = {"P": "VN_PERSON", "N": "VN_PERSON", "A": "VN_ADDRESS", "D": "VN_DOB", "G": "VN_AGE"}
MARK = regex.compile(r"\[\[([PNADG]):(.*?)\]\]", regex.DOTALL)
OURS = set(TYPES.values())
CORE = regex.compile(r"(?i)^(?:số\s+|so\s+)?\d+[A-Za-z]?(?:/\d+)*\s+\S+|^(?:ngõ|ngách|hẻm|kiệt)\s+\S+")


def parse(snippet: str) -> tuple[str, list[tuple[str, int, int]]]:
    text, spans, last = [], [], 0
    pos = 0
    for m in MARK.finditer(snippet):
        text.append(snippet[last:m.start()])
        pos += m.start() - last
        value = m.group(2)
        spans.append((m.group(1), pos, pos + len(value)))
        text.append(value)
        pos += len(value)
        last = m.end()
    text.append(snippet[last:])
    return "".join(text), spans


def load() -> list[tuple[str, list[tuple[str, int, int]]]]:
    items = []
    for path in sorted(CORPUS.glob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n---\n"):
            if block.strip():
                items.append(parse(block.strip("\n")))
    return items


def _covered(mask: list[bool], start: int, end: int, text: str) -> float:
    idx = [i for i in range(start, end) if not text[i].isspace()]
    return sum(mask[i] for i in idx) / len(idx) if idx else 1.0


def measure(engine) -> dict:
    items = load()
    stats = {k: [0, 0] for k in ("P", "N", "A", "D", "G")}      # recalled, total
    found = {t: [0, 0] for t in OURS}                            # correct, total
    words_out = words_hit = 0
    core_leaks = 0
    misses = []
    for text, spans in items:
        findings = [f for f in engine.analyze(text) if f.entity in OURS]
        by_type = {t: [False] * len(text) for t in OURS}
        any_mask = [False] * len(text)
        for f in findings:
            for i in range(f.start, f.end):
                by_type[f.entity][i] = True
                any_mask[i] = True
        expected = {t: [False] * len(text) for t in OURS}
        inside = [False] * len(text)
        for code, start, end in spans:
            entity = TYPES[code]
            for i in range(start, end):
                expected[entity][i] = True
                inside[i] = True
            stats[code][1] += 1
            if _covered(by_type[entity], start, end, text) >= 0.9:
                stats[code][0] += 1
            else:
                misses.append((code, text[start:end]))
            if code == "A":
                core = CORE.match(text, start, end)
                if core and _covered(by_type[entity], core.start(), core.end(), text) < 1.0:
                    core_leaks += 1
        for f in findings:
            found[f.entity][1] += 1
            if _covered(expected[f.entity], f.start, f.end, text) >= 0.5:
                found[f.entity][0] += 1
            else:
                misses.append(("FP:" + f.entity, text[f.start:f.end]))
        for w in regex.finditer(r"[\p{L}\p{N}]+", text):
            if any(inside[w.start():w.end()]):
                continue
            words_out += 1
            if any(any_mask[w.start():w.end()]):
                words_hit += 1
    return {
        "snippets": len(items),
        "recall": {k: (v[0] / v[1] if v[1] else 1.0, v[1]) for k, v in stats.items()},
        "precision": {k: (v[0] / v[1] if v[1] else 1.0, v[1]) for k, v in found.items()},
        "over_redaction": words_hit / words_out if words_out else 0.0,
        "words_outside": words_out,
        "core_leaks": core_leaks,
        "misses": misses,
    }


@pytest.fixture(scope="module")
def figures(engine):
    result = measure(engine)
    names = {"P": "names with cue/label", "N": "bare full names", "A": "addresses",
             "D": "dates of birth", "G": "ages"}
    print(f"\npeople corpus: {result['snippets']} snippets")
    for code, (value, total) in result["recall"].items():
        print(f"  recall    {names[code]:<22} {value:.3f}  (n={total})")
    for entity, (value, total) in sorted(result["precision"].items()):
        print(f"  precision {entity:<22} {value:.3f}  (findings={total})")
    print(f"  over-redaction {result['over_redaction']:.4f} of {result['words_outside']} words")
    print(f"  address cores leaked: {result['core_leaks']}")
    for kind, value in result["misses"]:
        print(f"    miss {kind}: {value!r}")
    return result


def test_corpus_is_big_enough(figures):
    assert figures["snippets"] >= 300


def test_name_recall(figures):
    assert figures["recall"]["P"][0] >= 0.97
    assert figures["recall"]["N"][0] >= 0.90


def test_address_recall_and_core(figures):
    assert figures["recall"]["A"][0] >= 0.95
    assert figures["core_leaks"] == 0


def test_dob_and_age_recall(figures):
    assert figures["recall"]["D"][0] >= 0.95
    assert figures["recall"]["G"][0] >= 0.9


def test_precision(figures):
    for entity, (value, _total) in figures["precision"].items():
        assert value >= 0.9, entity


def test_over_redaction(figures):
    assert figures["over_redaction"] <= 0.02
