"""Clipboard analysis and the safe copy, without Qt (so it is tested and timed directly).

``analyze_clip`` runs on a worker thread; ``build_safe_copy`` runs when the user presses
"Sao chép bản đã che" and is linear in the text (no re-analysis). The placeholder map is
only created at copy time, so values the user chose not to copy never reach the restore
vault.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .html_text import html_parts, novel_lines, text_to_html

if TYPE_CHECKING:  # the engine (and presidio) is loaded in the background, never at start-up
    from app.engine import Engine, Finding, PlaceholderMap

# Beyond these sizes the clipboard is not analysed (a notice says so): a 20 MB paste
# would hold the worker for many seconds and nobody pastes that into a chatbot box.
MAX_TEXT_CHARS = 1_000_000
MAX_HTML_CHARS = 4_000_000

USER_MARK_ENTITY = "USER_MARK"
USER_MARK_LABEL = "ĐÃ_CHE"

# A placeholder as the engine writes it: [CCCD_1], [HỌ_TÊN_12], [SĐT_3].
PLACEHOLDER_RE = re.compile(r"\[[^\W\d_][\w]*_\d+\]")


def looks_like_placeholders(text: str) -> bool:
    """True when ``text`` holds at least one placeholder (an answer to restore)."""
    return bool(text) and PLACEHOLDER_RE.search(text) is not None


@dataclass
class ClipAnalysis:
    """What was found in one clipboard content. Values live in memory only."""

    text: str
    findings: list[Finding] = field(default_factory=list)
    blocks: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    html_only: list[Finding] = field(default_factory=list)
    had_html: bool = False
    too_large: bool = False

    @property
    def redactable(self) -> list[Finding]:
        return [f for f in self.findings if f.action == "redact"]

    @property
    def blocked(self) -> bool:
        return bool(self.blocks)

    @property
    def verdict(self) -> str:
        """'blocked', 'redacted' (a safe copy is worth offering), 'warn' or 'clean'."""
        if self.blocks:
            return "blocked"
        if self.redactable or self.html_only:
            return "redacted"
        if self.warnings:
            return "warn"
        return "clean"

    @property
    def needs_attention(self) -> bool:
        return self.verdict != "clean" or self.too_large

    def counts_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.redactable + self.html_only:
            counts[finding.entity] = counts.get(finding.entity, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _key(finding: Finding) -> tuple[str, str]:
    return finding.entity, " ".join(finding.text.casefold().split())


def analyze_clip(engine: Engine, text: str, html: str = "") -> ClipAnalysis:
    """Analyse the plain text and the HTML flavour of one clipboard content."""
    if len(text) > MAX_TEXT_CHARS or (not text and len(html) > MAX_HTML_CHARS):
        return ClipAnalysis(text="", too_large=True, had_html=bool(html))
    visible, separated, extra = ("", "", "")
    if html and len(html) <= MAX_HTML_CHARS:
        visible, separated, extra = html_parts(html)
    if not text.strip() and visible.strip():
        # An HTML-only copy: its readable text becomes the text we offer to copy.
        text = visible.strip()
    findings = engine.analyze(text) if text.strip() else []
    result = ClipAnalysis(text=text, findings=findings, had_html=bool(html))
    result.blocks = [f for f in findings if f.action == "block"]
    result.warnings = [f for f in findings if f.action == "warn" or f.notify]
    # Scan only what the HTML adds: lines with words the plain text lacks (hidden
    # elements), attribute values and comments.
    scan = novel_lines(separated, text) + "\n" + extra
    if scan.strip():
        seen = {_key(f) for f in findings}
        for finding in engine.analyze(scan):
            if _key(finding) in seen:
                continue
            seen.add(_key(finding))
            if finding.action == "block":
                result.blocks.append(finding)
            elif finding.action == "redact":
                result.html_only.append(finding)
            elif finding.action == "warn":
                result.warnings.append(finding)
    return result


def user_mark(text: str, start: int, end: int) -> Finding:
    """A finding for text the user marked by hand in the review window."""
    from app.engine.model import Finding

    return Finding(entity=USER_MARK_ENTITY, start=start, end=end, text=text[start:end],
                   score=1.0, rule_id="user", action="redact", label=USER_MARK_LABEL)


def choose_findings(analysis: ClipAnalysis, keep: Iterable[int] = (),
                    redact_warnings: Iterable[int] = (),
                    marks: Iterable[tuple[int, int]] = ()) -> list[Finding]:
    """The findings to apply after the user's review.

    ``keep``: indices into ``analysis.findings`` the user chose to leave in clear;
    ``redact_warnings``: indices of warn-only findings the user chose to redact;
    ``marks``: extra (start, end) spans to redact. A mark wins over findings it overlaps.
    """
    keep, extra = set(keep), set(redact_warnings)
    chosen: list[Finding] = []
    for index, finding in enumerate(analysis.findings):
        if finding.action == "redact" and index not in keep:
            chosen.append(finding)
        elif finding.action == "warn" and index in extra:
            chosen.append(dataclasses.replace(finding, action="redact"))
    spans = _merge_spans((s, e) for s, e in marks if 0 <= s < e <= len(analysis.text))
    if spans:
        chosen = [f for f in chosen if not any(f.start < e and s < f.end for s, e in spans)]
        chosen += [user_mark(analysis.text, s, e) for s, e in spans]
    return sorted(chosen, key=lambda f: f.start)


def _merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


@dataclass
class SafeCopy:
    text: str
    html: str
    by_type: dict[str, int]
    placeholders: Any


def build_safe_copy(engine: Engine, analysis: ClipAnalysis, chosen: list[Finding] | None = None,
                    placeholders: PlaceholderMap | None = None) -> SafeCopy:
    """The redacted text and matching HTML. Never called for a blocked analysis."""
    if analysis.blocked:
        raise ValueError("a blocked text has no safe copy")
    if chosen is None:
        chosen = choose_findings(analysis)
    if placeholders is None:
        placeholders = new_placeholder_map()
    recording = getattr(placeholders, "recording", None)
    if callable(recording):  # the restore vault: lock it, number across processes, save
        with recording("clipboard"):
            redaction = engine.redact(analysis.text, findings=chosen, placeholders=placeholders)
    else:
        redaction = engine.redact(analysis.text, findings=chosen, placeholders=placeholders)
    text = redaction.text if redaction.text is not None else analysis.text
    return SafeCopy(text=text, html=text_to_html(text), by_type=redaction.counts_by_entity(),
                    placeholders=placeholders)


def default_placeholder_map() -> PlaceholderMap:
    """The vault's map when the restore vault is installed, else a fresh one per copy."""
    try:
        from app.engine.vault import default_vault
    except ImportError:
        from app.engine import PlaceholderMap

        return PlaceholderMap()
    return default_vault().placeholder_map()


# Swappable (tests, the restore helper): where a safe copy gets its placeholder map.
placeholder_map_factory: Callable[[], PlaceholderMap] = default_placeholder_map


def new_placeholder_map() -> PlaceholderMap:
    return placeholder_map_factory()
