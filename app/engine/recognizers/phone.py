"""``kind: phone`` — Vietnamese phone numbers, validated with ``phonenumbers`` (spec §3.9).

A regex finds number-shaped candidates that start with ``0``, ``+84`` or ``84`` (the raw
match must carry the trunk or country code: ``912.345.678`` alone is usually money), then
``phonenumbers`` decides with current carrier metadata, so re-allocated prefixes need no
code change. Money (``0912 345 678 đồng``) and organisation hotlines (1800/1900) are not
phones; ``Fax`` / ``hotline`` / ``tổng đài`` cues lower the score of a landline (a mobile
stays someone's phone).
"""

from __future__ import annotations

from collections.abc import Iterator

import phonenumbers
import regex

from ..textutil import fold, phrase_regex
from .base import RuleRecognizer, Span, register

# Digit groups joined by one separator: "0912 345 678", "(024) 3825 4011", "+84 (0) 912...".
_CANDIDATE = regex.compile(
    r"(?<![\p{L}\d.,/+(-])(?:\+\s?|\(\+|\()?\d+(?:(?:[ .\-]|\)\s?|\s?\()\d+){0,5}"
)
_GROUP = regex.compile(r"\d+")
_CHAT_LINK = regex.compile(r"(?i)(?<![\w.])(?:zalo|wa)\.me/(?P<number>\+?\d{9,13})(?!\d)")
_SEPARATORS = regex.compile(r"[\s.()\-]")
_MONEY_AFTER = regex.compile(
    # Up to two words between the number and the unit, none of them another number
    # ("0912 345 678 1.500.000 đồng": the money is the second number).
    r"\s*(?:[^\s\d]\S*\s+){0,2}?(?:đồng|đ|vnđ|vnd|triệu|tỷ|tỉ|nghìn|ngàn|usd)(?![\p{L}])",
    regex.IGNORECASE
)


def _cue_window(text: str, start: int, width: int = 24) -> int:
    """Start of the window before a number where an organisation cue may stand: it ends at
    the previous number ("tổng đài 1900 1234, SĐT 0912…": the hotline cue is not this one's)."""
    low = max(0, start - width)
    for index in range(start - 1, low - 1, -1):
        if text[index].isdigit():
            return index + 1
    return low


def _next_long(text: str, pos: int):
    """The first candidate from ``pos`` on that may hold a phone: 9 characters or more.

    Most candidates are short numbers ("2015", "12"). One that is shorter than 9 has
    fewer than 6 groups, so it ended where no group can follow; a candidate starting
    inside it (after one of its spaces) ends there too and is shorter still. So the scan
    may go on after a short candidate's end instead of after its first group, which
    lets one ``finditer`` skip them all.
    """
    for match in _CANDIDATE.finditer(text, pos):
        if match.end() - match.start() >= 9:
            return match
    return None


def _first_digit(candidate: str) -> str:
    """The first digit of a candidate (after its "+", "(" or "(+")."""
    return next((ch for ch in candidate if ch.isdigit()), "")


def _mobile(candidate: str) -> bool:
    """A Vietnamese mobile number (03x, 05x, 07x, 08x, 09x; also after +84 / 84)."""
    digits = "".join(ch for ch in candidate if ch.isdigit())
    if digits.startswith("0084"):
        digits = digits[4:]
    elif digits.startswith("84") and len(digits) >= 11:
        digits = digits[2:]
    else:
        digits = digits[1:] if digits.startswith("0") else digits
    return len(digits) == 9 and digits[0] in "35789"


@register("phone")
class PhoneRule(RuleRecognizer):
    OPTIONS = frozenset({"organisation_context", "organisation_score"})

    def setup(self) -> None:
        org = self.rule.options.get("organisation_context", ["fax", "hotline", "tổng đài"])
        self._org = phrase_regex(org)
        self._org_score = float(self.rule.options.get("organisation_score", 0.4))

    def find(self, text: str) -> Iterator[Span]:
        if ".me/" in text:
            yield from self._in_links(text)
        folded = None
        pos = 0
        while True:
            match = _next_long(text, pos)
            if match is None:
                return
            span = self._longest_valid(text, match)
            if span is None:
                first = _GROUP.search(text, match.start())
                pos = first.end() if first else match.end()
                continue
            start, end = span
            pos = end
            if text[start] == "(" and ")" not in text[start:end]:
                start += 1  # "(0912 345 678)": the bracket is the sentence's, not the number's
            if _MONEY_AFTER.match(text, end, min(len(text), end + 24)):
                continue
            if folded is None:
                folded = fold(text)
            # A mobile under a "hotline" cue is still someone's phone ("Hotline cán bộ trực:
            # 0357…"): only landlines are taken as the organisation's.
            if self._org is not None and not _mobile(text[start:end]) and self._org.search(
                    folded, _cue_window(text, start), start):
                # An organisation's fax/hotline: its own score, no boost from nearby cues.
                yield Span(start, end, score=self._org_score, reason="phonenumbers:VN;organisation",
                           has_context=True)
            else:
                yield Span(start, end, reason="phonenumbers:VN")

    def _in_links(self, text: str) -> Iterator[Span]:
        """A number in a chat link ("zalo.me/0912…", "wa.me/84912…"): the main scan leaves
        digits after "/" alone (dates, document numbers)."""
        for match in _CHAT_LINK.finditer(text):
            start, end = match.span("number")
            if self._valid(match.group("number")):
                yield Span(start, end, reason="phonenumbers:VN;link")

    def _longest_valid(self, text: str, match) -> tuple[int, int] | None:
        """Two phones side by side ("0912 345 678 0987 654 321") form one candidate: try
        the candidate's prefixes, longest first, ending on a digit group."""
        start = match.start()
        if match.end() - start < 9 or _first_digit(match.group()) not in "08":
            return None  # under 9 digits, or not "0…", "84…", "+84…": no prefix can be one
        ends = [g.end() for g in _GROUP.finditer(text, start, match.end())]
        for end in reversed(ends):
            if end < len(text) and (text[end].isalnum()):
                continue
            compact = _SEPARATORS.sub("", text[start:end])
            digits = compact.lstrip("+")
            if not 9 <= len(digits) <= 13:
                continue
            if not (compact.startswith(("0", "+84", "84"))):
                continue
            if compact.startswith(("1800", "1900", "01800", "01900")):
                continue
            if self._valid(compact):
                return start, end
        return None

    @staticmethod
    def _valid(compact: str) -> bool:
        if compact.startswith("0084"):
            compact = "+" + compact[2:]
        elif compact.startswith("84") and len(compact) >= 11:
            compact = "+" + compact
        try:
            number = phonenumbers.parse(compact, "VN")
        except phonenumbers.NumberParseException:
            return False
        return number.country_code == 84 and phonenumbers.is_valid_number(number)
