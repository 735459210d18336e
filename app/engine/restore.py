"""Put the real values back into a chatbot's answer.

Chatbots rarely return a placeholder exactly as they got it: ``[HỌ_TÊN_1]`` comes back as
``HỌ_TÊN_1``, ``[Họ_Tên_1]``, ``[HO_TEN_1]``, ``[ HỌ TÊN 1 ]``, ``**[HỌ_TÊN_1]**``,
``【HỌ_TÊN_1】`` or inside a table cell. We match the labels the vault knows in an
accent-stripped, lower-case shadow of the answer (same length, so offsets carry over),
accept brackets ``[] 【】 () {} <>`` (single or doubled) with spaces and bold markers inside,
and map every form back to the canonical ``[LABEL_N]``. Only placeholders the vault holds
are replaced; anything else that looks like a placeholder is reported, never guessed.

Without brackets a form must keep the ``_`` before its number (``HỌ_TÊN_1``), so ordinary
prose such as "họ tên 1" is left alone.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .model import PlaceholderMap
from .textutil import fold, fold_phrase

# Opening bracket -> its closing partner (doubled forms first when matching).
PAIRS = {"[[": "]]", "{{": "}}", "[": "]", "【": "】", "［": "］", "(": ")", "{": "}", "<": ">",
         "〔": "〕"}
_OPENERS = sorted(PAIRS, key=len, reverse=True)
_PAD = " \t\u00a0*_"   # allowed between a bracket and the label: spaces, bold/italic marks
MAX_NUMBER_DIGITS = 6

# Something shaped like one of our placeholders even if no vault knows its label.
_GENERIC = regex.compile(r"\[\s*(\p{Lu}[\p{Lu}\p{M}0-9]*(?:_[\p{Lu}\p{M}0-9]+)*)_(\d{1,6})\s*\]")


@dataclass
class RestoreResult:
    """``text`` with the known values back; ``restored`` counts per canonical placeholder;
    ``unknown`` lists placeholder-shaped strings the vault does not hold (in order, once
    each); ``expired`` is the part of ``unknown`` this vault issued but no longer keeps."""

    text: str
    restored: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)

    @property
    def restored_count(self) -> int:
        return sum(self.restored.values())

    def __repr__(self) -> str:  # the text holds real values: never print it
        return (f"RestoreResult(restored={self.restored_count}, unknown={len(self.unknown)}, "
                f"expired={len(self.expired)})")


@lru_cache(maxsize=32)
def _label_regex(labels: frozenset[str]) -> tuple[regex.Pattern | None, dict[str, str]]:
    """One pattern over the folded text for every label, and folded label -> label."""
    canonical: dict[str, str] = {}
    for label in labels:
        canonical.setdefault(_label_key(label), label)
    if not canonical:
        return None, {}
    bodies = []
    for key in sorted(canonical, key=len, reverse=True):
        words = [w for w in key.split("_") if w]
        parts = ["".join(regex.escape(ch) + r"\p{M}*" for ch in word) for word in words]
        bodies.append(r"[ _\-]*".join(parts))
    # Not inside a longer word, nor right after "X_" (TÊN_1 inside HỌ_TÊN_1).
    pattern = (r"(?<![\p{L}\p{N}])(?<![\p{L}\p{N}]_)(?P<label>" + "|".join(bodies) + r")"
               r"(?P<sep>[ \t_\-]*)(?P<num>\d{1," + str(MAX_NUMBER_DIGITS) + r"})(?![\p{L}\p{N}])")
    return regex.compile(pattern), canonical


def _label_key(text: str) -> str:
    """Accent-stripped, lower-case, words joined by one '_' (the lookup key of a label)."""
    folded = regex.sub(r"\p{M}", "", fold_phrase(text))
    return "_".join(w for w in regex.split(r"[ _\-]+", folded) if w)


def _bracketed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span widened to a matching bracket pair around it (pads inside), or None."""
    left = start
    while left > 0 and text[left - 1] in _PAD:
        left -= 1
    right = end
    while right < len(text) and text[right] in _PAD:
        right += 1
    for opener in _OPENERS:
        if text.startswith(opener, left - len(opener)) and left - len(opener) >= 0:
            closer = PAIRS[opener]
            if text.startswith(closer, right):
                return left - len(opener), right + len(closer)
    return None


def find_placeholders(text: str, labels: set[str] | frozenset[str]):
    """Yield ``(start, end, canonical_placeholder)`` for each tolerant match, in order."""
    pattern, canonical = _label_regex(frozenset(labels))
    if pattern is None:
        return
    shadow = fold(text)
    for match in pattern.finditer(shadow):
        label = canonical.get(_label_key(match.group("label")))
        if label is None:
            continue
        number = int(match.group("num"))
        placeholder = f"[{label}_{number}]"
        span = _bracketed(text, match.start(), match.end())
        if span is None:
            # Bare form: only "LABEL_N" (an underscore before the number), never prose.
            if match.group("sep").strip(" \t") != "_":
                continue
            span = (match.start(), match.end())
        yield span[0], span[1], placeholder


def plan_restore(text: str, vault: PlaceholderMap, *, labels: set[str] | None = None
                 ) -> tuple[list[tuple[int, int, str, str]], RestoreResult]:
    """The replacements to make in ``text``: ``(start, end, placeholder, value)`` in order,
    and a result with the counts and unknown placeholders (its ``text`` is unchanged).

    Documents use this on a paragraph's joined text, then write each value into its runs.
    """
    known_labels = set(labels or ())
    if hasattr(vault, "labels"):
        known_labels |= vault.labels()
    values = vault.items()
    for placeholder in values:
        parts = _split(placeholder)
        if parts is not None:
            known_labels.add(parts[0])
    result = RestoreResult(text)
    plan: list[tuple[int, int, str, str]] = []
    last = 0
    unknown: dict[str, None] = {}
    covered: list[tuple[int, int]] = []
    for start, end, placeholder in find_placeholders(text, known_labels):
        if start < last:
            continue
        covered.append((start, end))
        value = values.get(placeholder)
        if value is None:
            unknown.setdefault(placeholder, None)
            continue
        plan.append((start, end, placeholder, value))
        last = end
        result.restored[placeholder] = result.restored.get(placeholder, 0) + 1
    # Placeholder-shaped strings with labels we do not know at all (another vault, a rule
    # pack we never used): report them as they are.
    starts = [s for s, _e in covered]
    for match in _GENERIC.finditer(text):
        index = bisect.bisect_right(starts, match.start()) - 1
        if index < 0 or not covered[index][0] <= match.start() < covered[index][1]:
            unknown.setdefault(f"[{match.group(1)}_{int(match.group(2))}]", None)
    result.unknown = list(unknown)
    issued = getattr(vault, "was_issued", None)
    if issued is not None:
        for placeholder in result.unknown:
            parts = _split(placeholder)
            if parts is not None and issued(*parts):
                result.expired.append(placeholder)
    return plan, result


def restore_text(text: str, vault: PlaceholderMap, *, labels: set[str] | None = None
                 ) -> RestoreResult:
    """Replace every placeholder ``vault`` knows, in any of the forms chatbots produce.

    ``labels`` adds labels to look for (e.g. every label of the rule pack) on top of those
    the vault has numbered; known placeholders are always found.
    """
    plan, result = plan_restore(text, vault, labels=labels)
    pieces: list[str] = []
    last = 0
    for start, end, _placeholder, value in plan:
        pieces.append(text[last:start])
        pieces.append(value)
        last = end
    pieces.append(text[last:])
    result.text = "".join(pieces)
    return result


def merge_results(results: list[RestoreResult], text: str = "") -> RestoreResult:
    """One summary for many texts (the parts of a document)."""
    total = RestoreResult(text)
    unknown: dict[str, None] = {}
    expired: dict[str, None] = {}
    for item in results:
        for placeholder, count in item.restored.items():
            total.restored[placeholder] = total.restored.get(placeholder, 0) + count
        unknown.update(dict.fromkeys(item.unknown))
        expired.update(dict.fromkeys(item.expired))
    total.unknown, total.expired = list(unknown), list(expired)
    return total


def _split(placeholder: str) -> tuple[str, int] | None:
    inner = placeholder.strip("[]")
    label, _, number = inner.rpartition("_")
    if not label or not number.isdigit():
        return None
    return label, int(number)
