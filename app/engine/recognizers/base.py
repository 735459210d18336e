"""The recognizer contract: one rule from a pack becomes one Presidio recognizer.

A recognizer *kind* (``pattern``, ``phone``, ``stamp``…) is a class registered with
``@register("kind")``. It receives its ``Rule`` (patterns, context phrases, scores,
options from YAML) and yields candidate spans from ``find()``. Context phrases are applied
afterwards by the engine's phrase-window enhancer (``app/engine/context.py``): a span's
score becomes ``rule.context_score`` when one of the rule's phrases is near it. A span
whose final score is under the threshold (0.5) is dropped, so "needs context" is just
``score < 0.5 <= context_score`` in the YAML.

``find()`` works on the engine's normalised text (NFC, zero-width removed); use
``textutil.fold(text)`` for an accent-stripped, index-aligned copy.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, RecognizerResult

from ..rules import Rule
from ..textutil import column_header, fold, has_tables, phrase_finder

THRESHOLD = 0.5
# Generous bounds around a value within which a cue phrase may sit (the enhancer in
# context.py decides precisely; this only discards hopeless candidates early).
NEAR_BEFORE, NEAR_AFTER = 64, 32
# The cue phrases the caller passed (a spreadsheet column header), folded: a candidate of
# a rule whose cues match one of them gets its context from outside the text.
CALLER_CONTEXT: ContextVar[tuple[str, ...]] = ContextVar("giukin_caller_context", default=())

KINDS: dict[str, type[RuleRecognizer]] = {}


def register(kind: str):
    def wrap(cls: type[RuleRecognizer]) -> type[RuleRecognizer]:
        if kind in KINDS:
            raise ValueError(f"recognizer kind '{kind}' registered twice")
        cls.kind = kind
        KINDS[kind] = cls
        return cls

    return wrap


@dataclass(frozen=True)
class Span:
    """A candidate from ``find()``.

    ``score`` None means the rule's (or the pattern's) score. ``has_context`` True means the
    recognizer already checked its own context (no further boost needed). ``entity`` / ``label``
    let one rule emit several types (the form-field rule does).
    """

    start: int
    end: int
    score: float | None = None
    reason: str = ""
    has_context: bool = False
    entity: str | None = None
    label: str | None = None
    notify: bool = False


class RuleRecognizer(EntityRecognizer):
    kind: ClassVar[str] = ""
    # Option names this kind accepts in the rule's ``options:``; others are an error.
    OPTIONS: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        unknown = set(rule.options) - self.OPTIONS
        if unknown:
            from ..rules import RulePackError

            raise RulePackError(f"{rule.source}: unknown option(s) for kind '{self.kind}': "
                                f"{', '.join(sorted(unknown))}")
        super().__init__(supported_entities=[rule.entity], name=rule.id,
                         supported_language="vi", context=list(rule.context))
        self._id = rule.id  # stable id: findings name the rule, not an object address
        needs = rule.context_score is not None and rule.score < THRESHOLD <= rule.context_score
        self._context_finder = phrase_finder(rule.context) if needs else None
        self._context_rx = self._context_finder.rx if self._context_finder else None
        self._cues: tuple[str | None, list[int]] = (None, [])
        self.setup()

    def setup(self) -> None:
        """Compile what the kind needs (called once, at engine construction)."""

    def load(self) -> None:  # Presidio hook; everything is built in setup()
        pass

    def find(self, text: str) -> Iterable[Span]:
        raise NotImplementedError

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        return list(self._results(text))

    def _cue_positions(self, text: str) -> list[int]:
        cached_text, positions = self._cues
        if cached_text is not text:
            positions = [m.start() for m in self._context_finder.finditer(fold(text))]
            self._cues = (text, positions)
        return positions

    def _caller_vouches(self) -> bool:
        """A phrase from the caller matches this rule's cues: the enhancer raises every
        candidate of the rule (context.py looks the caller's phrases up the same way)."""
        return any(self._context_rx.search(phrase) for phrase in CALLER_CONTEXT.get())

    def _needs_cue(self) -> bool:
        """Whether a candidate under the threshold needs a cue or a table header in the
        text to be kept (False: the rule has no cues to wait for, or the caller gave one)."""
        return self._context_rx is not None and not self._caller_vouches()

    def _unreachable(self, text: str) -> bool:
        """No candidate under the threshold can reach it in this text: it has no cue phrase
        and no table, and the caller gave none. A kind may then skip searching for such
        candidates at all."""
        return self._needs_cue() and not self._cue_positions(text) and not has_tables(text)

    def _hopeless(self, text: str, span: Span, score: float, needs_cue: bool) -> bool:
        """A candidate under the threshold with no cue anywhere near it and no table
        header above it can never reach the threshold: drop it before Presidio sees it."""
        if not needs_cue or score >= THRESHOLD or span.has_context:
            return False
        cues = self._cue_positions(text)
        index = bisect.bisect_left(cues, span.start - NEAR_BEFORE)
        if index < len(cues) and cues[index] <= span.end + NEAR_AFTER:
            return False
        return column_header(text, span.start) is None

    def _results(self, text: str) -> Iterator[RecognizerResult]:
        rule = self.rule
        needs_cue = self._needs_cue()
        for span in self.find(text):
            if span.end <= span.start:
                continue
            score = rule.score if span.score is None else span.score
            if self._hopeless(text, span, score, needs_cue):
                continue
            yield RecognizerResult(
                entity_type=span.entity or rule.entity,
                start=span.start,
                end=span.end,
                score=score,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: rule.id,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: rule.id,
                    "reason": span.reason,
                    "has_context": span.has_context,
                    "label": span.label,
                    "notify": span.notify,
                },
            )
