"""Small, fast text helpers shared by recognizers.

``fold`` gives an accent-stripped, lower-case copy of the **same length** as its input,
so an index found in the copy is an index in the text: context phrases and lexicons are
matched there, unaccented Vietnamese ("so dien thoai", "mat khau") included.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Table:
    start: int        # offset of the first body row
    end: int          # offset just past the last row
    sep: str
    header: tuple[str, ...]


@lru_cache(maxsize=8)
def _tables(text: str) -> tuple[list[int], list[_Table]]:
    """Every tab- or pipe-separated block of a text, found in one pass over its lines."""
    tables: list[_Table] = []
    if "\t" not in text and "|" not in text:
        return [], tables
    block_sep, header, body_start, pos = None, None, 0, 0
    for line in text.split("\n"):
        end = pos + len(line)
        sep = "\t" if "\t" in line else ("|" if line.count("|") >= 2 else None)
        if sep is not None and sep == block_sep:
            if sep == "|" and regex.fullmatch(r"[\s|:\-]+", line):
                body_start = end + 1  # markdown rule under the header
            pos = end + 1
            continue
        if header is not None and body_start < pos:
            tables.append(_Table(body_start, pos, block_sep, header))
        if sep is not None:
            cells = line.split(sep)
            if sep == "|" and line.strip().startswith("|"):
                cells = cells[1:]
            block_sep, header, body_start = sep, tuple(c.strip() for c in cells), end + 1
        else:
            block_sep, header = None, None
        pos = end + 1
    if header is not None and body_start < pos:
        tables.append(_Table(body_start, pos, block_sep, header))
    return [t.start for t in tables], tables


def column_header(text: str, pos: int) -> str | None:
    """For a value inside a tab- or pipe-separated table, the header cell of its column.

    Forms pasted from Excel arrive as TSV: the label ("Số CCCD") is in the first row of
    the column, far from the value, so it is context for every cell below it. The table
    index is built once per text, then each lookup is a bisect.
    """
    starts, tables = _tables(text)
    index = bisect.bisect_right(starts, pos) - 1
    if index < 0 or pos >= tables[index].end:
        return None
    table = tables[index]
    line_start = text.rfind("\n", 0, pos) + 1
    column = text.count(table.sep, line_start, pos)
    if table.sep == "|" and text[line_start:pos].lstrip().startswith("|"):
        column -= 1
    if 0 <= column < len(table.header):
        return table.header[column] or None
    return None
