"""Scores the engine on a labelled corpus (tests/corpus/engine/snippets.jsonl by default).

- leak: an expected value still present in the redacted text (or the text not blocked
  when it should be);
- recall per type: expected values covered by a redacted finding of the same type;
- precision per type: findings of that type that cover an expected value;
- over-redaction: words outside every expected value that were replaced (a word's
  own punctuation, as in "Hóa," at the end of a value, is not part of it).

Run ``python -m tests.engine.corpus_eval`` to print the table.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "engine" / "snippets.jsonl"
# Types that may stand for one another (a private IP is reported as internal network).
SAME = {"IP_ADDRESS": "NET", "INTERNAL_NETWORK": "NET"}


def load(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _group(entity: str) -> str:
    return SAME.get(entity, entity)


@dataclass
class Score:
    expected: Counter = field(default_factory=Counter)
    leaked: Counter = field(default_factory=Counter)
    typed: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    found_true: Counter = field(default_factory=Counter)
    words: int = 0
    over_words: int = 0
    block_missed: list = field(default_factory=list)
    block_false: list = field(default_factory=list)
    leaks: list = field(default_factory=list)

    def recall(self, entity: str) -> float:
        total = self.expected[entity]
        return (total - self.leaked[entity]) / total if total else 1.0

    def typed_recall(self, entity: str) -> float:
        total = self.expected[entity]
        return self.typed[entity] / total if total else 1.0

    def precision(self, entity: str) -> float:
        total = self.found[entity]
        return self.found_true[entity] / total if total else 1.0

    def leak_rate(self, entities: set[str] | None = None) -> float:
        keys = [e for e in self.expected if entities is None or e in entities]
        total = sum(self.expected[e] for e in keys)
        return sum(self.leaked[e] for e in keys) / total if total else 0.0

    @property
    def over_redaction(self) -> float:
        return self.over_words / self.words if self.words else 0.0


_EDGE = ".,;:!?()[]{}\"'“”‘’«»"


def _spans(text: str, value: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(value)
    while start >= 0:
        spans.append((start, start + len(value)))
        start = text.find(value, start + 1)
    return spans


def _present(value: str, text: str) -> bool:
    """``value`` still in ``text`` as itself, not inside a longer word ("CONFIDENTIAL" is
    not left in "CONFIDENTIALITY NOTICE")."""
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text) is not None


def evaluate(engine, rows: list[dict]) -> Score:
    score = Score()
    for row in rows:
        text = row["text"]
        result = engine.redact(text)
        blocked = result.text is None
        if row["blocked"] and not blocked:
            score.block_missed.append(row["id"])
        if blocked and not row["blocked"]:
            score.block_false.append(row["id"])
        if blocked:
            continue
        applied = result.applied
        expected_spans = []
        for entity, value in row["expect"]:
            spans = _spans(text, value)
            expected_spans.extend((s, e, entity) for s, e in spans)
            score.expected[entity] += 1
            if _present(value, result.text):
                score.leaked[entity] += 1
                score.leaks.append((row["id"], entity))
            elif any(_group(f.entity) == _group(entity) and f.start < e and s < f.end
                     for f in applied for s, e in spans):
                score.typed[entity] += 1
        # "optional": values a reader may or may not redact; they count neither way.
        neutral = [(s, e, "") for value in row.get("optional", ()) for s, e in _spans(text, value)]
        for finding in applied:
            if any(finding.start < e and s < finding.end for s, e, _ in neutral) and not any(
                    finding.start < e and s < finding.end for s, e, _ in expected_spans):
                continue
            score.found[finding.entity] += 1
            if any(finding.start < e and s < finding.end for s, e, _ in expected_spans):
                score.found_true[finding.entity] += 1
        expected_spans += neutral
        # Over-redaction: whitespace words that lie outside every expected value.
        covered = [(f.start, f.end) for f in applied]
        position = 0
        for word in text.split():
            start = text.find(word, position)
            end = start + len(word)
            position = end
            # A word's own punctuation ("Hóa," ending an expected value) is not a word.
            core = word.strip(_EDGE)
            if not core:
                continue
            start += word.index(core)
            end = start + len(core)
            if any(s <= start and end <= e for s, e, _ in expected_spans):
                continue
            score.words += 1
            if any(s < end and start < e for s, e in covered) and not any(
                    s < end and start < e for s, e, _ in expected_spans):
                score.over_words += 1
    return score


def table(score: Score) -> str:
    lines = [f"{'type':<22}{'n':>5}{'recall':>8}{'typed':>8}{'found':>7}{'precision':>10}"]
    for entity in sorted(set(score.expected) | set(score.found)):
        lines.append(f"{entity:<22}{score.expected[entity]:>5}{score.recall(entity):>8.3f}"
                     f"{score.typed_recall(entity):>8.3f}{score.found[entity]:>7}"
                     f"{score.precision(entity):>10.3f}")
    lines.append(f"leak rate (all types): {score.leak_rate():.3%}; over-redaction: "
                 f"{score.over_redaction:.3%} of {score.words} non-personal words; "
                 f"blocks missed: {len(score.block_missed)}; false blocks: {len(score.block_false)}")
    return "\n".join(lines)


if __name__ == "__main__":
    from app.engine import default_engine

    rows = load()
    result = evaluate(default_engine(), rows)
    print(f"{len(rows)} snippets")
    print(table(result))
    for leak in result.leaks[:40]:
        print("leak:", *leak)
