"""Cells of tab- or pipe-separated tables whose column header matches a pattern.

Forms pasted from Excel arrive as TSV: a column headed "Họ và tên" makes every cell
under it a name, "Ngày sinh" a birth date. One linear pass over the text (the per-cell
``textutil.column_header`` walk would be quadratic on big sheets).
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..textutil import fold_phrase

_MD_RULE = regex.compile(r"[\s|:\-]+")


def _cells(line: str, sep: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for part in line.split(sep):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans


def header_cells(text: str, header: regex.Pattern) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-empty body cell, trimmed, under a matching header.

    A table block is a run of lines holding the separator; its first line is the header.
    ``header`` is matched (``fullmatch``) on the folded, trimmed header cell.
    """
    if "\t" not in text and "|" not in text:
        return
    pos = 0
    columns: set[int] | None = None
    sep = None
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        this_sep = "\t" if "\t" in line else ("|" if line.count("|") >= 2 else None)
        if this_sep is None or (sep is not None and this_sep != sep):
            columns, sep = None, None
            if this_sep is None:
                continue
        if columns is None:  # header row of a new block
            sep = this_sep
            cells = _cells(line, sep)
            columns = {i for i, (a, b) in enumerate(cells)
                       if header.fullmatch(" ".join(fold_phrase(line[a:b]).split()).strip(" :*"))}
            continue
        if not columns or (sep == "|" and _MD_RULE.fullmatch(line)):
            continue
        for index, (a, b) in enumerate(_cells(line, sep)):
            if index not in columns:
                continue
            cell = line[a:b]
            stripped = cell.strip()
            if not stripped:
                continue
            lead = len(cell) - len(cell.lstrip())
            yield line_start + a + lead, line_start + a + lead + len(stripped)
