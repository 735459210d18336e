"""Negative recognizers (spec §5.7, §7): numbers that are not personal data.

Document symbols (``557/BKHCN-CĐSQG``), money (``1.500.000 đồng``), legal and section
numbering (``khoản 2 Điều 8``, ``mục 2.1.3.4``), hotlines (``1900 1234``) and dates are
found once per text; a numeric candidate that overlaps one is dropped. Credentials,
stamps, e-mails and names are never suppressed here.
"""

from __future__ import annotations

import bisect

import regex
from presidio_analyzer import RecognizerResult

SUPPRESSIBLE = frozenset({
    "VN_CCCD", "VN_CMND", "VN_PASSPORT", "VN_TAX_CODE", "VN_SOCIAL_INSURANCE",
    "VN_DRIVER_LICENSE", "VN_VEHICLE_PLATE", "PHONE_NUMBER", "VN_BANK_ACCOUNT",
    "IP_ADDRESS", "CREDIT_CARD",
})

_PATTERNS = [
    # Document number/symbol: 557/BKHCN-CĐSQG, 13/2023/NĐ-CP, 06/QĐ-TTg, 91/2025/QH15.
    ("doc_symbol", regex.compile(
        r"(?<![\p{L}\d/])\d{1,6}(?:/\d{4})?/[A-ZĐ][\p{L}0-9]*(?:[-–][A-ZĐ][\p{L}0-9]*)*"
        r"(?![\p{L}\d])")),
    # Money: digits followed by a currency or unit word within a short gap.
    ("money", regex.compile(
        r"(?<![\p{L}\d.,])(?:\d{1,3}(?:[.,  ]\d{3})+|\d+)(?:[.,]\d+)?\s*"
        r"(?:đồng|đ|vnđ|vnd|usd|triệu|tỷ|tỉ|nghìn|ngàn|%|\$)"
        r"(?![\p{L}])", regex.IGNORECASE)),
    ("money_prefix", regex.compile(r"(?:\$|USD|VND|VNĐ)\s?\d[\d.,]*\d")),
    # Legal and section numbering, versions.
    ("numbering", regex.compile(
        r"(?<![\p{L}])(?:điều|khoản|điểm|mục|chương|phần|tiết|bước|phụ lục|mẫu số|"
        r"phiên bản|version|ver\.?|v)\s*\d+(?:\.\d+)+", regex.IGNORECASE)),
    # Hotlines: organisation numbers, not personal (spec §3.9).
    ("hotline", regex.compile(r"(?<![\d])1[89]00[\s.]?\d{2,3}[\s.]?\d{2,4}(?![\d])")),
    # Dates dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy (DOB has its own recognizer).
    ("date", regex.compile(
        r"(?<![\d.])(?:0?[1-9]|[12]\d|3[01])[/.\-](?:0?[1-9]|1[0-2])[/.\-](?:19|20)\d{2}(?![\d])")),
]


class Suppressor:
    def spans(self, text: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        for name, pattern in _PATTERNS:
            for match in pattern.finditer(text):
                found.append((match.start(), match.end(), name))
        found.sort()
        return found

    def filter(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        if not any(r.entity_type in SUPPRESSIBLE for r in results):
            return results
        spans = self.spans(text)
        if not spans:
            return results
        starts = [s[0] for s in spans]
        # Running max of ends lets one bisect answer "does any span before x reach past y".
        max_end: list[int] = []
        current = -1
        for _, end, _ in spans:
            current = max(current, end)
            max_end.append(current)
        kept = []
        for result in results:
            if result.entity_type in SUPPRESSIBLE:
                index = bisect.bisect_left(starts, result.end) - 1
                if index >= 0 and max_end[index] > result.start:
                    continue
            kept.append(result)
        return kept
