"""Run the engine over many units: batched, cached, plus the file-wide value pass.

Batching: units with the same context are joined with blank lines and analyzed in one
engine call (a call has a fixed cost); a finding that crosses a join is discarded and
its units are analyzed alone. Results are cached per (text, context) for the file, so a
repeated cell value or a re-scan of unchanged text costs nothing.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable

from app.engine import BLOCK, REDACT, Finding
from app.engine.textutil import BLOCK_SEP

from .units import Unit

# Joined cells are read block by block by the engine's lone-value rules (textutil.blocks).
SEP = BLOCK_SEP
BATCH_CHARS = 16_000
# Text that is only our own placeholders (re-processing a redacted copy, a label rule
# reading "[CCCD_1]" as the value): never a finding.
PLACEHOLDER_ONLY = re.compile(r"^[\s\-–,;:./()'\"]*(?:\[[^\[\]\s]+_\d+\][\s\-–,;:./()'\"]*)+$")


class Analyzer:
    def __init__(self, engine, batch_chars: int = BATCH_CHARS) -> None:
        self.engine = engine
        self.batch_chars = batch_chars
        self.cache: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}
        self.calls = 0

    def run(self, units: Iterable[Unit]) -> None:
        """Set ``unit.findings`` for every unit."""
        pending: dict[tuple[str, ...], list[str]] = {}
        seen: set[tuple[str, tuple[str, ...]]] = set()
        units = list(units)
        keys = [(unit.analysis_text(), unit.context) for unit in units]
        # A labelled unit is also read alone: a label that is no label (the cell on the
        # left held a name) must not hide what the text shows by itself.
        bare = [(unit.analysis_text(labelled=False), unit.context) if unit.label else None
                for unit in units]
        for key in keys + [b for b in bare if b is not None]:
            if key in self.cache or key in seen or not key[0].strip():
                continue
            seen.add(key)
            pending.setdefault(key[1], []).append(key[0])
        for context, texts in pending.items():
            self._batch(texts, context)
        kept: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}  # the same text recurs
        for unit, key, alone in zip(units, keys, bare, strict=True):
            found = self._kept(kept, key)
            if alone is not None:
                unit.findings = _merge(_unlabelled(found, unit.label_offset),
                                       self._kept(kept, alone))
            else:
                unit.findings = list(found) if found else []

    def _kept(self, kept: dict, key: tuple[str, tuple[str, ...]]) -> list[Finding]:
        found = kept.get(key)
        if found is None:
            found = kept[key] = [f for f in self.cache.get(key, ())
                                 if not PLACEHOLDER_ONLY.match(f.text)]
        return found

    def _batch(self, texts: list[str], context: tuple[str, ...]) -> None:
        group: list[str] = []
        size = 0
        for text in texts:
            if len(text) > self.batch_chars:
                self._single(text, context)
                continue
            if size + len(text) > self.batch_chars and group:
                self._joined(group, context)
                group, size = [], 0
            group.append(text)
            size += len(text) + len(SEP)
        if group:
            self._joined(group, context)

    def _single(self, text: str, context: tuple[str, ...]) -> None:
        self.calls += 1
        self.cache[(text, context)] = self.engine.analyze(text, context=list(context))

    def _joined(self, texts: list[str], context: tuple[str, ...]) -> None:
        if len(texts) == 1:
            self._single(texts[0], context)
            return
        starts, pos = [], 0
        for text in texts:
            starts.append(pos)
            pos += len(text) + len(SEP)
        self.calls += 1
        findings = self.engine.analyze(SEP.join(texts), context=list(context))
        per: list[list[Finding]] = [[] for _ in texts]
        retry: set[int] = set()
        for f in findings:
            i = bisect.bisect_right(starts, f.start) - 1
            end_of_i = starts[i] + len(texts[i])
            if f.end > end_of_i:
                retry.update(range(i, bisect.bisect_right(starts, f.end - 1)))
                continue
            per[i].append(dataclasses.replace(f, start=f.start - starts[i],
                                              end=f.end - starts[i]))
        for i, text in enumerate(texts):
            if i in retry:
                self._single(text, context)
            else:
                self.cache[(text, context)] = per[i]


def _unlabelled(found: list[Finding], offset: int) -> list[Finding]:
    """Findings of "label: text" moved onto the text. Those that start in the label are
    dropped: a finding that runs from the label into the text read the label as part of a
    value, so the label was no label there."""
    return [dataclasses.replace(f, start=f.start - offset, end=f.end - offset)
            for f in found if f.start >= offset]


def _merge(labelled: list[Finding], alone: list[Finding]) -> list[Finding]:
    """The labelled reading's findings, plus those of the text alone that overlap none."""
    out = list(labelled)
    out += [f for f in alone if not any(g.start < f.end and f.start < g.end for g in labelled)]
    return sorted(out, key=lambda f: (f.start, f.end))


WORD = re.compile(r"\w+")


class KnownValues:
    """Every value redacted anywhere in the file, found again wherever it appears."""

    def __init__(self) -> None:
        self._index: dict[str, list[tuple[str, str, str, str]]] = {}
        self._found: dict[str, list] = {}  # text -> find(text): many units share a text
        self.count = 0

    def add(self, value: str, label: str, entity: str) -> None:
        core = value.strip(" \t\r\n.,;:()\"'")
        if len(core) < 4 or (core.isdigit() and len(core) < 6):
            return
        tokens = WORD.findall(core)
        if not tokens or not core[0].isalnum():
            return
        first = tokens[0].lower()
        bucket = self._index.setdefault(first, [])
        entry = (core.lower(), core, label, entity)
        if entry not in bucket:
            bucket.append(entry)
            bucket.sort(key=lambda e: -len(e[0]))
            self.count += 1
            self._found.clear()

    def __bool__(self) -> bool:
        return bool(self._index)

    def values(self) -> list[str]:
        return [e[1] for bucket in self._index.values() for e in bucket]

    def find(self, text: str, taken: list | None = None) -> list[tuple[int, int, str, str, str]]:
        """(start, end, value, label, entity) for each known value in ``text``.

        ``taken`` spans (already redacted) are skipped; a shorter known value that fits
        beside them is still found.
        """
        if not self._index:
            return []
        if taken:
            return self._find(text, taken)
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = self._find(text, ())
        return list(found)

    def _find(self, text: str, taken) -> list[tuple[int, int, str, str, str]]:
        low = text.lower()
        if len(low) != len(text):
            low = text
        out = []
        last_end = -1
        for m in WORD.finditer(text):
            if m.start() < last_end:
                continue
            bucket = self._index.get(m.group().lower())
            if not bucket:
                continue
            for vlow, value, label, entity in bucket:
                end = m.start() + len(vlow)
                if low.startswith(vlow, m.start()) and not (end < len(text) and (
                        text[end].isalnum() and value[-1].isalnum())) and not any(
                        s < end and m.start() < e for s, e, *_ in taken):
                    out.append((m.start(), end, value, label, entity))
                    last_end = end
                    break
        return out


def redact_findings(unit: Unit) -> list[Finding]:
    return [f for f in unit.findings if f.action == REDACT]


def block_findings(unit: Unit) -> list[Finding]:
    return [f for f in unit.findings if f.action == BLOCK]
