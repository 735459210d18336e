"""Small, fast text helpers shared by recognizers.

``fold`` gives an accent-stripped, lower-case copy of the **same length** as its input,
so an index found in the copy is an index in the text: context phrases and lexicons are
matched there, unaccented Vietnamese ("so dien thoai", "mat khau") included.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x2000):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base.lower()
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    table[ord("Đ")] = "d"
    table[ord("đ")] = "d"
    table[ord("Ð")] = "d"
    return table


_FOLD = _build_fold_table()


@lru_cache(maxsize=8)
def fold(text: str) -> str:
    """Accent-stripped lower-case copy, index-aligned with ``text``.

    Cached: every recognizer of one analysis asks for the same string (a ``str`` caches
    its own hash, so the lookup is cheap even for megabytes).
    """
    return text.translate(_FOLD)


def fold_phrase(phrase: str) -> str:
    return unicodedata.normalize("NFC", phrase).translate(_FOLD)


def phrase_regex(phrases: list[str] | tuple[str, ...]) -> regex.Pattern | None:
    """One alternation matching any phrase as whole words in folded text, longest first."""
    folded = sorted({fold_phrase(p).strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not folded:
        return None
    body = "|".join(regex.escape(p) for p in folded)
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{body})(?![\p{{L}}\p{{N}}])")


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the line holding ``pos`` (end excludes the newline)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def column_header(text: str, pos: int, max_lines_up: int = 400) -> str | None:
    """For a value inside a tab- or pipe-separated table, the header cell of its column.

    Forms pasted from Excel arrive as TSV: the label ("Số CCCD") is in the first row of
    the column, far from the value, so it is context for every cell below it.
    """
    line_start, line_end = line_bounds(text, pos)
    line = text[line_start:line_end]
    sep = "\t" if "\t" in line else ("|" if line.count("|") >= 2 else None)
    if sep is None:
        return None
    column = line.count(sep, 0, pos - line_start)
    # Walk up to the first row of the block (stop at a blank line or a row without sep).
    header_start = line_start
    for _ in range(max_lines_up):
        if header_start == 0:
            break
        prev_start = text.rfind("\n", 0, header_start - 1) + 1
        prev = text[prev_start:header_start - 1]
        if sep not in prev or not prev.strip():
            break
        if sep == "|" and regex.fullmatch(r"[\s|:\-]+", prev):
            header_start = prev_start
            continue
        header_start = prev_start
    if header_start == line_start:
        return None
    header_end = text.find("\n", header_start)
    header = text[header_start:header_end if header_end >= 0 else len(text)]
    cells = header.split(sep)
    if sep == "|" and header.strip().startswith("|"):
        cells = cells[1:]
        column -= 1
    if 0 <= column < len(cells):
        cell = cells[column].strip()
        return cell or None
    return None
