"""Phrase-window context enhancer (replaces Presidio's lemma enhancer, notes/presidio.md §3).

Presidio compares context words with single lemmas, which never matches Vietnamese
multi-syllable cues ("số tài khoản"), and its scan is quadratic. Here each rule's phrases
become one compiled alternation run on the folded (accent-stripped) text in a window
around the hit: ``WINDOW_BEFORE`` characters before it and ``WINDOW_AFTER`` after
(forms put the label first; tables sometimes after). A table cell also gets its column
header as context. Linear in the number of hits.
"""

from __future__ import annotations

import regex
from presidio_analyzer import RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

from .textutil import column_header, fold, fold_phrase, phrase_regex

WINDOW_BEFORE = 48
WINDOW_AFTER = 20


# A placeholder left by an earlier redaction ends a window like the value it replaced,
# so redacting a redacted text finds nothing new.
_BOUNDARY = regex.compile(r"[\n;]|[.!?](?=\s)|\d{5,}|\[[^\[\]\n]{1,40}_\d+\]")
_AFTER_STOP = regex.compile(r"[\n\t;,.:]")  # a tab starts another table cell


def _window_start(folded: str, start: int, rx=None) -> int:
    """Window before a value, cut at the end of the line, clause or a previous number:
    in "CCCD 001..., MST 0100..." the CCCD label must not vouch for the tax code.

    A full stop between one of ``rx``'s phrases and the value, with nothing else between
    them, abbreviates the label ("Passport No. C47…", "Số CMND. 17…"): it does not end
    the window. With words after the stop it ends a sentence ("…hộ chiếu. Mã hồ sơ B12…")."""
    low = max(0, start - WINDOW_BEFORE)
    cut = low
    stop = None
    for match in _BOUNDARY.finditer(folded, low, start):
        cut, stop = match.end(), match
    if stop is not None and rx is not None and stop.group() == "." and not folded[
            stop.end():start].strip(" \t:") and _ends_with_phrase(
            rx, folded, max(low, stop.start() - WINDOW_BEFORE), stop.start()):
        return max(low, stop.start() - WINDOW_BEFORE)
    return cut


def _ends_with_phrase(rx, folded: str, low: int, end: int) -> bool:
    return any(m.end() == end for m in rx.finditer(folded, low, end))


def _window_end(folded: str, end: int) -> int:
    high = min(len(folded), end + WINDOW_AFTER)
    stop = _AFTER_STOP.search(folded, end, high)
    return stop.start() if stop else high


class PhraseWindowEnhancer(ContextAwareEnhancer):
    def __init__(self, rules_by_id: dict) -> None:
        super().__init__(context_similarity_factor=0.0, min_score_with_context_similarity=0.0,
                         context_prefix_count=0, context_suffix_count=0)
        self._rules = rules_by_id
        self._regex = {rid: phrase_regex(rule.context) for rid, rule in rules_by_id.items()}

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers,
                              context=None) -> list[RecognizerResult]:
        folded = fold(text)
        extra = [fold_phrase(c) for c in (context or []) if c]
        headers: dict[int, str | None] = {}
        for result in raw_results:
            meta = result.recognition_metadata or {}
            rule = self._rules.get(meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY))
            if rule is None or rule.context_score is None or meta.get("has_context"):
                continue
            if result.score >= rule.context_score:
                continue
            phrase = self._find(rule.id, folded, result.start, result.end, extra, text, headers)
            if phrase:
                result.score = rule.context_score
                meta["has_context"] = True
                meta["reason"] = ";".join(filter(None, [meta.get("reason"), f"context:{phrase}"]))
        return raw_results

    def _find(self, rid, folded, start, end, extra, text, headers) -> str | None:
        rx = self._regex.get(rid)
        if rx is None:
            return None
        found = None
        for match in rx.finditer(folded, _window_start(folded, start, rx), start):
            found = match  # the nearest phrase before the value is the one that labels it
        if found is None:
            found = rx.search(folded, end, _window_end(folded, end))
        if found is not None:
            return found.group(0)
        for phrase in extra:
            if rx.search(phrase):
                return phrase
        line_start = text.rfind("\n", 0, start) + 1
        key = (line_start, text.count("\t", line_start, start), text.count("|", line_start, start))
        if key not in headers:
            headers[key] = column_header(text, start)
        header = headers[key]
        if header:
            hit = rx.search(fold_phrase(header))
            if hit:
                return hit.group(0)
        return None
