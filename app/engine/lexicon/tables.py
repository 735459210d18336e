"""Cells of text tables (tabs, pipes, semicolons, aligned columns) under a matching header.

Forms pasted from Excel arrive as TSV: a column headed "Họ và tên" makes every cell
under it a name, "Ngày sinh" a birth date. One linear pass over the text (the per-cell
``textutil.column_header`` walk would be quadratic on big sheets).
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..textutil import (
    cell_columns,
    fold_phrase,
    is_rule_line,
    may_hold_table,
    table_cells,
    table_sep,
)


def header_cells(text: str, header: regex.Pattern) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-empty body cell, trimmed, under a matching header.

    A table block is a run of lines with the same separator (``textutil.table_sep``); its
    first line is the header. ``header`` is matched (``fullmatch``) on the folded, trimmed
    header cell.
    """
    if not may_hold_table(text):
        return
    pos = 0
    columns: set[int] | None = None
    head: list[tuple[int, int]] = []
    sep = None
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        this_sep = table_sep(line, sep)
        if this_sep is None or (sep is not None and this_sep != sep):
            columns, sep = None, None
            if this_sep is None:
                continue
        if columns is None:  # header row of a new block
            sep = this_sep
            head = table_cells(line, sep)
            columns = {i for i, (a, b) in enumerate(head)
                       if header.fullmatch(" ".join(
                           fold_phrase(line[a:b]).replace("_", " ").split()).strip(" :*\""))}
            continue
        if not columns or is_rule_line(line, sep):
            continue
        cells = table_cells(line, sep)
        for (a, b), index in zip(cells, cell_columns(cells, sep, head), strict=True):
            if index not in columns:
                continue
            cell = line[a:b]
            stripped = cell.strip().strip('"')
            if not stripped:
                continue
            lead = cell.index(stripped)
            yield line_start + a + lead, line_start + a + lead + len(stripped)
