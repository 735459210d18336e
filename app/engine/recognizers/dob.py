"""``kind: dob`` and ``kind: age`` — dates of birth and ages tied to a person (spec §3.13–3.14).

A date is a birth date only with a birth cue right before it (``sinh ngày``, ``Ngày
sinh:``, ``SN``, ``DOB``…) or under a table column headed ``Ngày sinh``; the place-date
line of a letter (``Hà Nội, ngày 31 tháng 3 năm 2025``) and issue/effective dates have no
such cue and are never reported. All shapes are matched on the folded copy, so
``ngay 12 thang 3 nam 1980`` counts like its accented form. An age (``45 tuổi``) counts
only next to a person (an honorific, ``bệnh nhân``, a capitalised name, a ``Tuổi:`` label);
``người từ đủ 14 tuổi`` is law, not a person.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..lexicon.names import lexicon
from ..lexicon.tables import header_cells
from ..textutil import blocks, fold, phrase_finder, phrase_regex, text_words
from .base import RuleRecognizer, Span, register

_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"
_EN_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
             r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# Date shapes on the folded text (lower case, no accents). Longest first.
_DATE = regex.compile(
    rf"(?:ngay\s+)?{_DAY}\s+thang\s+{_MONTH}\s*(?:,\s*|\s)(?:nam\s+)?{_YEAR}"
    rf"|{_DAY}\s*([/.\-])\s*{_MONTH}\s*\1\s*(?:{_YEAR}|\d{{2}})"
    rf"|{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    rf"|{_EN_MONTH}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}"
    rf"|{_DAY}(?:st|nd|rd|th)?\s+{_EN_MONTH},?\s+{_YEAR}"
    rf"|(?:thang\s+)?{_MONTH}\s*(?:[/.\-]|\s+nam\s+)\s*{_YEAR}"
    rf"|{_YEAR}"
)
_FULL_DATE = regex.compile(
    rf"(?<![\d/.\-])(?:{_DATE.pattern})(?![\d/])"
)
# Between a cue and its date: colon, comma, bracket, "là", "vào", "ngày", and a time of
# day as death certificates write it ("vào lúc: 05 giờ 20 phút, ngày …").
_GAP = regex.compile(
    r"[ \t:：,.(\-]*(?:(?:vao[ ]+)?(?:(?:luc|hoi)[ \t:：]*)?\d{1,2}[ ]*(?:gio|h)[ ]*"
    r"(?:\d{1,2}[ ]*(?:phut|p)?)?[ \t:：,.]*)?(?:(?:la|vao|vao ngay|ngay|nam|:)[ \t:：]*)?")
_PUNCT = regex.compile(r"[ \t:：,.(\-]*")
_NOT_BIRTH = regex.compile(r"(?:hoc|ve|phat|san|thi|ky|ki|hy|tai|giang|nhan|con|song)\s$")

DEFAULT_CUES = (
    "ngày sinh", "sinh ngày", "ngày tháng năm sinh", "ngày, tháng, năm sinh", "sinh năm",
    "năm sinh", "sinh tháng", "sinh", "sinh vào", "NS", "SN", "DOB", "D.O.B", "date of birth",
    "birth date", "birthday", "born", "born on", "born in", "b.",
)
DEFAULT_HEADERS = ("ngày sinh", "năm sinh", "ngày tháng năm sinh", "ngày, tháng, năm sinh",
                   "ngày/tháng/năm sinh", "sinh ngày", "ns", "dob", "date of birth", "birth date")


def _header_regex(phrases) -> regex.Pattern:
    from ..textutil import fold_phrase

    body = "|".join(regex.escape(" ".join(fold_phrase(p).split())) for p in phrases)
    return regex.compile(rf"(?:{body})(?:\s*\([^)]*\))?")


@register("dob")
class DobRule(RuleRecognizer):
    OPTIONS = frozenset({"cues", "column_headers"})

    def setup(self) -> None:
        cues = self.rule.options.get("cues", DEFAULT_CUES)
        self._cues = phrase_finder(cues)
        self._headers = _header_regex(self.rule.options.get("column_headers", DEFAULT_HEADERS))

    def find(self, text: str) -> Iterator[Span]:
        folded = fold(text)
        seen: set[tuple[int, int]] = set()
        for cue in self._cues.finditer(folded):
            # "học sinh", "phát sinh", "sản sinh": no birth (other cues are not at risk:
            # "bệnh nhân tử vong lúc …" is a death).
            if cue.group(0).startswith("sinh") and _NOT_BIRTH.search(
                    folded, max(0, cue.start() - 8), cue.start()):
                continue
            pos = _PUNCT.match(folded, cue.end()).end()
            date = _FULL_DATE.match(folded, pos)
            if date is None:
                date = _FULL_DATE.match(folded, _GAP.match(folded, cue.end()).end())
            if date is None:
                continue
            start, end = date.span()
            if (start, end) not in seen:
                seen.add((start, end))
                yield Span(start, end, score=0.9, reason=f"dob:cue:{cue.group(0)}",
                           has_context=True)
        for cell_start, cell_end in header_cells(text, self._headers):
            for date in _FULL_DATE.finditer(folded, cell_start, cell_end):
                if date.span() not in seen:
                    seen.add(date.span())
                    yield Span(date.start(), date.end(), score=0.9, reason="dob:column",
                               has_context=True)
        # A lone date (a cell analysed alone, or one block of joined cells): the caller's
        # context decides.
        for a, b in blocks(folded):
            block = folded[a:b]
            stripped = block.strip()
            if stripped and len(stripped) <= 40:
                lead = a + len(block) - len(block.lstrip())
                date = _FULL_DATE.fullmatch(folded, lead, lead + len(stripped))
                if date is not None and date.span() not in seen:
                    yield Span(date.start(), date.end(), score=0.3, reason="dob:lone date")


_AGE = regex.compile(
    r"(?<![\d.,/])(\d{1,3})[ ]?(?:tuoi|y/o|yo|years? old)(?![\p{L}])"
    r"|(?<![\p{L}])(?:tuoi|aged?)[ \t]*[:：]?[ \t]*(\d{1,3})(?![\d.,/])"
)
# The words of _AGE, each a whole word wherever it matches ("45tuoi" too).
_AGE_WORDS = frozenset({"tuoi", "yo", "age", "aged"})


def _age_possible(folded: str) -> bool:
    """Whether _AGE can match (unknown outside an analysis): most texts hold none of its
    words, and its look-behinds cost at every position."""
    words = text_words(folded)
    return words is None or not words.isdisjoint(_AGE_WORDS) or {"y", "o"} <= words or (
        "old" in words and ("year" in words or "years" in words))


# Chat and clinical shorthand "72t" (72 tuổi): a bare "t" is also tấn, tầng, tháng, so it
# counts only right after a comma, a bracket or a sex word, tied to a person.
_AGE_SHORT = regex.compile(r"(?<![\p{L}\d.,/])(\d{1,3})t(?![\p{L}\d])"
                           # "3t nữa", "2t sau": a time (tiếng, tuần), not an age
                           r"(?![ \t]+(?:nua|sau|truoc|roi|toi|qua)(?![\p{L}]))")
_SHORT_END = regex.compile(r"[ \t]*(?:[,;.)]|$)")
_SHORT_BEFORE = regex.compile(r"(?:[,(]|(?<![\p{L}])(?:nam|nu))[ \t]*$")


_GENERIC_AFTER = regex.compile(r"\s*(?:tro len|tro xuong|tro lai|den|-|–|and over|or older)")
_AGE_LABEL = regex.compile(r"(?<![\p{L}])tuoi[ \t]*[:：]")
_AGE_CELL = regex.compile(r"\d{1,3}(?:\s*tuoi)?")
_CLAUSE_STOP = regex.compile(r"[\n;.!?]")
_CAPITAL_NAME = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]*(?:\s+\p{Lu}[\p{Ll}\p{M}]*)+")

DEFAULT_PERSON_CUES = (
    "ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "cụ", "cháu", "bé", "đồng chí", "đ/c",
    "bệnh nhân", "BN", "người bệnh", "bị cáo", "bị can", "nạn nhân", "sản phụ", "thí sinh",
    "học sinh", "sinh viên", "chồng", "vợ", "con trai", "con gái",
    "họ và tên", "họ tên",
)
DEFAULT_GENERIC_CUES = (
    "đủ", "dưới", "trên", "từ", "đến", "tới", "độ tuổi", "lứa tuổi", "chưa đủ", "quá", "ngoài",
    "under", "over", "từ đủ",
)


@register("age")
class AgeRule(RuleRecognizer):
    OPTIONS = frozenset({"person_cues", "generic_cues", "column_headers"})

    def setup(self) -> None:
        options = self.rule.options
        cues = options.get("person_cues", DEFAULT_PERSON_CUES)
        self._person = phrase_regex(cues)
        # Accented text: match cues with their accents ("có" is not "cô", "ba" not "bà").
        body = "|".join(regex.escape(" ".join(c.lower().split()))
                        for c in sorted(cues, key=len, reverse=True))
        self._person_low = regex.compile(rf"(?<![\p{{L}}])(?:{body})(?![\p{{L}}])")
        generic = options.get("generic_cues", DEFAULT_GENERIC_CUES)
        self._generic = regex.compile(phrase_regex(generic).pattern + r"\s*$")
        self._headers = _header_regex(options.get("column_headers", ("tuổi", "age", "độ tuổi")))

    def find(self, text: str) -> Iterator[Span]:
        folded = fold(text)
        lowered: list[str] = []  # text.lower(), computed once and only if needed
        for match in _AGE.finditer(folded) if _age_possible(folded) else ():
            start, end = match.span()
            number_start = match.start(1) if match.group(1) else match.start(2)
            before = folded[max(0, number_start - 14):number_start]
            if self._generic.search(before) or _GENERIC_AFTER.match(folded, end):
                continue
            if match.group(2):  # "Tuổi: 45" is a form row about the person it describes
                yield Span(match.start(2), match.end(2), score=0.85, reason="age:label",
                           has_context=True)
            elif self._tied(text, folded, start, lowered):
                yield Span(start, end, score=0.85, reason="age:person", has_context=True)
        words = text_words(folded)
        if words is None or "t" in words:
            for match in _AGE_SHORT.finditer(folded):
                start, end = match.span()
                if 0 < int(match.group(1)) <= 110 and (_SHORT_BEFORE.search(
                        folded, max(0, start - 8), start) or self._after_name(
                        text, folded, start, end)) and self._tied(text, folded, start, lowered):
                    yield Span(start, end, score=0.85, reason="age:short", has_context=True)
        for cell_start, cell_end in header_cells(text, self._headers):
            cell = folded[cell_start:cell_end]
            if _AGE_CELL.fullmatch(cell):
                yield Span(cell_start, cell_end, score=0.85, reason="age:column",
                           has_context=True)

    @staticmethod
    def _after_name(text: str, folded: str, start: int, end: int) -> bool:
        """"bn Tran Van Sau 72t, …": right after a full name, and a clause ends after it."""
        if not _SHORT_END.match(text, end):
            return False
        for run in _CAPITAL_NAME.finditer(text, max(0, start - 40), start):
            if not text[run.end():start].strip() and lexicon().is_surname(
                    folded[run.start():run.end()].split()[0]):
                return True
        return False

    def _tied(self, text: str, folded: str, start: int, lowered: list[str]) -> bool:
        low = max(0, start - 60)
        for stop in _CLAUSE_STOP.finditer(folded, low, start):
            # a dot inside "BS." or "N.V.A" is not a clause end; a sentence end is
            if stop.group(0) != "." or (stop.end() < len(folded) and folded[stop.end()] == " "
                                        and text[stop.end() + 1:stop.end() + 2].isupper()):
                low = stop.end()
        if text.isascii():
            cue = self._person.search(folded, low, start)
        else:
            if not lowered:
                lowered.append(text.lower())
            cue = self._person_low.search(lowered[0], low, start)
        if cue or _AGE_LABEL.search(folded, low, start):
            return True
        names = lexicon()
        for run in _CAPITAL_NAME.finditer(text, low, start):
            if names.is_surname(folded[run.start():run.end()].split()[0]):
                return True
        return False
