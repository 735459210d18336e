"""The engine's plain data: findings, verdicts, redaction results, placeholder maps.

Nothing here knows about Presidio or regexes; every layer (documents, desktop, CLI)
speaks in these types.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

REDACT = "redact"
WARN = "warn"
BLOCK = "block"
ACTIONS = (REDACT, WARN, BLOCK)


class Verdict(str, Enum):
    CLEAN = "clean"
    REDACTED = "redacted"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Finding:
    """One detected value. ``start``/``end`` index the caller's original text.

    ``text`` holds the value itself: it lives in memory only and must never be logged.
    ``notify`` asks the UI to tell the user even when the value is redacted
    (credentials, internal markings).
    """

    entity: str
    start: int
    end: int
    text: str
    score: float
    rule_id: str
    action: str
    label: str
    reason: str = ""
    notify: bool = False
    # Overlap priority (rules.DEFAULT_PRIORITY unless the rule sets its own).
    priority: int = 0

    def __repr__(self) -> str:  # never print the value by accident
        return (
            f"Finding({self.entity}, {self.start}-{self.end}, rule={self.rule_id}, "
            f"action={self.action}, score={self.score:.2f})"
        )

    def overlaps(self, other: Finding) -> bool:
        return self.start < other.end and other.start < self.end


def canonical_value(entity: str, value: str) -> str:
    """The key under which two spellings of one value share a placeholder.

    ``0912 345 678`` and ``0912.345.678`` are one phone; ``NGUYỄN VĂN AN`` and
    ``Nguyễn Văn An`` are one person.
    """
    text = unicodedata.normalize("NFC", value).strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits and len(digits) >= max(6, len(text.replace(" ", "")) - 3):
        if entity == "PHONE_NUMBER" and digits.startswith("84") and len(digits) >= 11:
            digits = "0" + digits[2:]
        return digits
    return " ".join(text.casefold().split())


class PlaceholderMap:
    """Placeholder <-> original value, numbered per label in order of first use.

    One map per text or per file keeps placeholders consistent; the restore vault
    keeps these maps (or subclasses this to number across many texts).
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], str] = {}
        self._values: dict[str, str] = {}
        self._counters: dict[str, int] = {}
        # Files of one batch may be redacted in threads that share one map.
        self._lock = threading.Lock()
        # VN_PERSON: "hùng" / "văn hùng" -> "nguyễn văn hùng" seen earlier (None: ambiguous).
        self._person_alias: dict[tuple[str, str], str | None] = {}

    def key_for(self, label: str, entity: str, value: str) -> tuple[str, str]:
        """The placeholder key of a value (call under the lock). For a person, a bare given
        name ("anh Hùng") maps to the one full name seen earlier that ends with it
        ("Nguyễn Văn Hùng"), so both share a placeholder; two full names ending alike make
        the short form ambiguous and it gets its own placeholder."""
        canonical = canonical_value(entity, value)
        if entity != "VN_PERSON":
            return (label, canonical)
        words = canonical.split()
        if len(words) >= 2 and self._person_alias.get((label, canonical)) is None:
            for cut in range(1, len(words)):
                suffix = (label, " ".join(words[cut:]))
                known = self._person_alias.get(suffix, canonical)
                self._person_alias[suffix] = canonical if known == canonical else None
        alias = self._person_alias.get((label, canonical))
        return (label, alias or canonical)

    def placeholder_for(self, label: str, entity: str, value: str) -> str:
        with self._lock:
            key = self.key_for(label, entity, value)
            found = self._by_key.get(key)
            if found is None:
                number = self._next_number(label)
                found = f"[{label}_{number}]"
                self._by_key[key] = found
                self._values[found] = value
            return found

    def _next_number(self, label: str) -> int:
        number = self._counters.get(label, 0) + 1
        self._counters[label] = number
        return number

    def value_of(self, placeholder: str) -> str | None:
        return self._values.get(placeholder)

    def items(self) -> dict[str, str]:
        """Placeholder -> original value, in order of first use."""
        return dict(self._values)

    def __len__(self) -> int:
        return len(self._values)


@dataclass
class Redaction:
    """The outcome of redacting one text.

    ``text`` is None when the verdict is BLOCKED: a blocked text produces no copy at all.
    ``applied`` are the findings replaced by placeholders, ``warnings`` the ones the user
    must be told about, ``blocks`` the stamps that stopped the copy.
    """

    verdict: Verdict
    text: str | None
    findings: list[Finding]
    applied: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    blocks: list[Finding] = field(default_factory=list)
    placeholders: PlaceholderMap = field(default_factory=PlaceholderMap)

    def counts_by_entity(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.applied:
            counts[finding.entity] = counts.get(finding.entity, 0) + 1
        return dict(sorted(counts.items()))
