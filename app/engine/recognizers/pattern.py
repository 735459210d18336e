"""``kind: pattern`` — regexes from the rule, an optional validator, context from YAML.

This is the kind IT uses for its own rules (a new ID format, an agency's internal
marking) without touching code.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..textutil import has_digit_run, leading_literals, required_digits
from ..validators import VALIDATORS
from .base import THRESHOLD, RuleRecognizer, Span, register

# Bounds the time one pattern may take on one text (a pathological IT regex must not
# freeze the tray); raised as a clear error by the engine.
MATCH_TIMEOUT_SECONDS = 5.0


@register("pattern")
class PatternRule(RuleRecognizer):
    OPTIONS = frozenset({"ignore_case"})

    def setup(self) -> None:
        extra = regex.IGNORECASE if self.rule.options.get("ignore_case") else 0
        self._compiled = [
            (regex.compile(p.regex, p.flags | extra), p.score, p.name) for p in self.rule.patterns
        ]
        # Patterns whose candidates only count with a cue (score under the threshold).
        self._cue_only = [(self.rule.score if p.score is None else p.score) < THRESHOLD
                           for p in self.rule.patterns]
        self._validate = VALIDATORS.get(self.rule.validator) if self.rule.validator else None
        # A pattern opening with a fixed prefix skips texts without it (see TokenRule).
        self._literals = [leading_literals(compiled) for compiled, _, _ in self._compiled]
        # Most ID shapes need a run of 9+ digits: texts without one are not scanned.
        self._digits = [required_digits(compiled) for compiled, _, _ in self._compiled]

    def find(self, text: str) -> Iterator[Span]:
        unreachable = None
        for (compiled, score, name), cue_only, literals, digits in zip(
                self._compiled, self._cue_only, self._literals, self._digits):
            if literals is not None and not any(lit in text for lit in literals):
                continue
            if not has_digit_run(text, digits):
                continue
            if cue_only:
                if unreachable is None:
                    unreachable = self._unreachable(text)
                if unreachable:
                    continue  # every candidate would be dropped as hopeless
            for match in compiled.finditer(text, timeout=MATCH_TIMEOUT_SECONDS):
                start, end = match.span("value") if "value" in compiled.groupindex \
                    else match.span()
                if start < 0 or start == end:
                    continue
                if self._validate is not None and not self._validate(text[start:end]):
                    continue
                yield Span(start, end, score=score, reason=f"pattern:{name}")
