"""Overlap resolution by priority (spec §7), not by score.

A 10-digit number may be a phone, a tax code and a bank account at once; a password may
contain digits that look like a phone. Spans are grouped into clusters of overlapping
findings (one sort, linear sweep); inside a cluster the highest-priority finding wins
(then the higher score, then the longer span) and anything overlapping it is dropped.
"""

from __future__ import annotations

from .model import Finding
from .rules import DEFAULT_PRIORITY, FALLBACK_PRIORITY


def _rank(finding: Finding) -> tuple:
    """Sort key, best first. Among numeric identifiers (priority 60-79) a value with an
    explicit cue beats a bare shape (spec §7: "STK 0912345678" is an account, "di động
    0912345678" after a bank name is a phone); then priority, score and length."""
    priority = finding.priority or DEFAULT_PRIORITY.get(finding.entity, FALLBACK_PRIORITY)
    numeric = 60 <= priority < 80
    cued = numeric and ("context:" in finding.reason or "form:" in finding.reason)
    return (-(80 if numeric else priority), -cued, -priority, -finding.score,
            -(finding.end - finding.start), finding.start)


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    if len(findings) < 2:
        return list(findings)
    ordered = sorted(findings, key=lambda f: (f.start, -f.end))
    kept: list[Finding] = []
    cluster: list[Finding] = [ordered[0]]
    cluster_end = ordered[0].end
    for finding in ordered[1:]:
        if finding.start < cluster_end:
            cluster.append(finding)
            cluster_end = max(cluster_end, finding.end)
        else:
            kept.extend(_pick(cluster))
            cluster = [finding]
            cluster_end = finding.end
    kept.extend(_pick(cluster))
    kept.sort(key=lambda f: (f.start, f.end))
    return kept


def _pick(cluster: list[Finding]) -> list[Finding]:
    if len(cluster) == 1:
        return cluster
    chosen: list[Finding] = []
    for finding in sorted(cluster, key=_rank):
        if not any(finding.overlaps(other) for other in chosen):
            chosen.append(finding)
    return chosen
