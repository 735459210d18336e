"""Word tables: what the layout says a cell's value is.

A form table puts the field name in the cell on the left ("Mật khẩu | …"), a list table
in its column's header ("Mã số thuế" above a column of numbers). The value's own text
holds no cue, so cue-based rules would miss it; each cell's paragraphs get the label
(analysed as "label: value") and the header (as context).
"""

from __future__ import annotations

import re

from lxml import etree

from .xlsx import CREDENTIAL_ENTITIES, DIGIT_ENTITIES, personal_header

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TBL, _TR, _TC, _P, _T = (_W + n for n in ("tbl", "tr", "tc", "p", "t"))
_SPAN, _VAL = _W + "tcPr/" + _W + "gridSpan", _W + "val"
# Headers that label a column's values outright: numbers and credentials, whose rules
# check the value's shape anyway ("Họ và tên" is only context: a name column also holds
# totals and notes).
_LABEL_HEADERS = DIGIT_ENTITIES | CREDENTIAL_ENTITIES


def cell_labels(root: etree._Element) -> dict[etree._Element, tuple[str, tuple[str, ...]]]:
    """(label, context) for each paragraph of a table cell that has either."""
    out: dict[etree._Element, tuple[str, tuple[str, ...]]] = {}
    for tbl in root.iter(_TBL):
        rows = [tr for tr in tbl if tr.tag == _TR]
        # The header of each grid column: a merged heading ("Ngày tháng năm sinh" over
        # "Nam | Nữ") heads every column it spans.
        header: list[str] = []
        for tc, span in _grid(rows[0]) if rows else ():
            header += [_cell_text(tc)] * span
        labels = [_header_label(h) for h in header]
        for r_index, tr in enumerate(rows):
            left = ""
            column = 0
            for tc, span in _grid(tr):
                c_index, column = column, column + span
                own = _cell_text(tc)
                context: tuple[str, ...] = ()
                label = ""
                if r_index and c_index < len(header) and _label_like(header[c_index]):
                    context = (_clean(header[c_index]),)
                    label = labels[c_index]
                # The first row is often the list's header: there the cell on the left is a
                # label only with its colon, or before a value that is no heading (lower
                # case, digits): "Họ và tên | Mã số thuế" are two headings.
                if not label and _label_like(left) and (
                        r_index or left.rstrip().endswith(":") or not own.strip()[:1].isupper()):
                    label = _clean(left)
                if label or context:
                    for p in tc:  # the cell's own paragraphs, not a nested table's
                        if p.tag == _P:
                            out[p] = (label, context)
                left = own
    return out


def _grid(tr: etree._Element) -> list[tuple[etree._Element, int]]:
    """The cells of a row with the number of grid columns each spans (w:gridSpan)."""
    out = []
    for tc in tr:
        if tc.tag != _TC:
            continue
        span = tc.find(_SPAN)
        try:
            width = max(1, int(span.get(_VAL))) if span is not None else 1
        except (TypeError, ValueError):
            width = 1
        out.append((tc, min(width, 64)))
    return out


def _header_label(text: str) -> str:
    whole = personal_header(text.strip()) if _label_like(text) else None
    return _clean(text) if whole is not None and whole.entity in _LABEL_HEADERS else ""


# A form's item numbering before its label: "3) Sinh ngày", "5. Quê quán", "b) Số CCCD".
_NUMBERING = re.compile(r"^\s*(?:(?:\d{1,2}|[a-zđ]|[IVXL]{1,5})[.)]|[-•+*–])\s*")


def _clean(text: str) -> str:
    return _NUMBERING.sub("", text).strip().rstrip(":").strip()


def _cell_text(tc: etree._Element) -> str:
    return "".join(t.text or "" for t in tc.iter(_T))


def _label_like(text: str) -> bool:
    text = _NUMBERING.sub("", text).strip()
    return 1 < len(text) <= 40 and len(text.split()) <= 6 and not any(
        ch.isdigit() for ch in text) and any(ch.isalpha() for ch in text)
