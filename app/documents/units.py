"""Text units: the pieces of a document the engine reads, and how edits go back.

A unit is a run of *segments* (an element's text, its tail or one attribute) plus
separators that are read but never written (a tab, a break). The engine sees the joined
text; each finding is written back into the segments it touches: the first keeps its
prefix and gets the placeholder (so the value takes the first character's formatting),
the others lose the covered characters. This is the split-run method of the office note
without materialising one run per character.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

XML_NS = "http://www.w3.org/XML/1998/namespace"


@dataclass(eq=False, slots=True)
class Seg:
    el: etree._Element
    slot: str  # "text", "tail" or an attribute name (Clark notation)

    def get(self) -> str:
        if self.slot == "text":
            return self.el.text or ""
        if self.slot == "tail":
            return self.el.tail or ""
        return self.el.get(self.slot) or ""

    def set(self, value: str) -> None:
        if self.slot == "text":
            self.el.text = value
            if value[:1].isspace() or value[-1:].isspace():
                self.el.set(f"{{{XML_NS}}}space", "preserve")
        elif self.slot == "tail":
            self.el.tail = value
        else:
            self.el.set(self.slot, value)


@dataclass(frozen=True)
class Whole:
    """Replace the unit's whole text: a personal column, an author, a creator."""

    label: str
    entity: str
    mode: str = "placeholder"  # or "blank" (initials, ids) or "basename" (local paths)


@dataclass(eq=False, slots=True)
class Unit:
    part: str
    location: str
    pieces: list  # Seg | str (separator)
    context: tuple[str, ...] = ()
    kind: str = "text"          # "text" | "formula" | "hf" (spreadsheet header/footer codes)
    whole: Whole | None = None
    writer: Callable[[Unit, str], None] | None = None  # custom whole-value write (numbers)
    alt: str | None = None      # analysis text when it differs (a number with its lost 0)
    findings: list = field(default_factory=list)
    _text: str | None = None
    cell: etree._Element | None = None  # a whole-value cell (the writer rebuilds it)
    # What the layout says the value is (the label cell to its left, a custom XML element's
    # name): analysed as "label: text" so cue-based rules see it; findings are mapped back.
    label: str = ""

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(p if isinstance(p, str) else p.get() for p in self.pieces)
        return self._text

    def analysis_text(self, labelled: bool = True) -> str:
        if self.alt is not None:
            text = self.alt
        elif self.kind == "hf":
            text = mask_header_codes(self.text)
        else:
            text = self.text
        return f"{self.label}: {text}" if self.label and labelled else text

    @property
    def label_offset(self) -> int:
        """Where the unit's own text starts in ``analysis_text()``."""
        return len(self.label) + 2 if self.label else 0


_COLOUR = re.compile(r"[0-9A-Fa-f]{6}|\d\d[+-]\d{3}")


def mask_header_codes(text: str) -> str:
    """Blank spreadsheet header/footer codes (&L, &"Arial,Bold", &12, &KFF0000, &P) keeping
    offsets."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        if text[i] == "&" and i + 1 < n:
            j = i + 1
            if text[j] == '"':
                k = text.find('"', j + 1)
                j = n - 1 if k < 0 else k
            elif text[j].isdigit():
                while j + 1 < n and text[j + 1].isdigit():
                    j += 1
            elif text[j] in "Kk" and _COLOUR.match(text, j + 1):
                j += 6  # "&KFF0000" (RGB) or "&K01+000" (theme colour): a red stamp's colour
            for x in range(i, j + 1):
                out[x] = " "
            i = j + 1
        else:
            i += 1
    return "".join(out)


def in_string_literal(text: str, pos: int) -> bool:
    return text.count('"', 0, pos) % 2 == 1


def apply_unit(unit: Unit, spans: list[tuple[int, int, str]]) -> bool:
    """Write ``(start, end, replacement)`` spans (non-overlapping) back into the segments."""
    if not spans:
        return False
    if unit.writer is not None:
        unit.writer(unit, spans[0][2] if len(spans) == 1 else " ".join(s[2] for s in spans))
        return True
    text = unit.text
    if unit.kind == "formula":
        spans = [(s, e, r if (not r or in_string_literal(text, s)) else f'"{r}"')
                 for s, e, r in spans]
    bounds = []
    pos = 0
    for piece in unit.pieces:
        length = len(piece) if isinstance(piece, str) else len(piece.get())
        if not isinstance(piece, str):
            bounds.append((pos, pos + length, piece))
        pos += length
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for start, end, repl in sorted(spans):
        first = True
        for index, (b0, b1, _seg) in enumerate(bounds):
            if b1 <= start or b0 >= end or b0 == b1:
                continue
            lo, hi = max(start, b0) - b0, min(end, b1) - b0
            edits.setdefault(index, []).append((lo, hi, repl if first else ""))
            first = False
    for index, items in edits.items():
        seg = bounds[index][2]
        value = seg.get()
        for lo, hi, repl in sorted(items, reverse=True):
            value = value[:lo] + repl + value[hi:]
        seg.set(value)
    unit._text = None
    return bool(edits)
