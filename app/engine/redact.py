"""Findings -> redacted text, in one linear join (no per-item string rebuild)."""

from __future__ import annotations

from .model import Finding, PlaceholderMap


def apply_findings(text: str, findings: list[Finding], placeholders: PlaceholderMap) -> str:
    """Replace each finding's span by its placeholder. Findings must not overlap.

    Placeholders are numbered in document order (the first phone is ``[SĐT_1]``).
    """
    pieces: list[str] = []
    last = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < last:
            raise ValueError("overlapping findings cannot be applied")
        pieces.append(text[last:finding.start])
        pieces.append(placeholders.placeholder_for(finding.label, finding.entity, finding.text))
        last = finding.end
    pieces.append(text[last:])
    return "".join(pieces)
