"""``kind: markings`` — state-secret stamps, internal and foreign classification markings
(spec §5.1–§5.6).

A stamp is typed as a *segment* of its own: a line, a tab cell (the .docx header table
arrives as ``MẬT<TAB>Hà Nội, ngày …``), a ``|`` cell, or a run separated by 3+ spaces
(PDF copies). Decoration (box drawing, ``* [ ] ( ) " _ = ~ #``) is ignored. Text is cut
into segments once per analysis; every rule of this kind looks its phrases up in that one
list (the scan is shared by rules with the same options), so the cost is one pass.

Roles (``options.role``), one rule per action because the action belongs to the rule:
- ``secret`` (block): an UPPERCASE level as a whole segment, not a list item and not an
  enumeration of levels; the field form ``Độ mật: Tối mật`` (also as two cells); companion
  stamps (``TÀI LIỆU THU HỒI``…) when a level is present.
- ``suspect`` (warn): the same levels in title/lower case, in a list or an enumeration,
  found only without accents (``TOI MAT``); companions without a level; ``GIẢI MẬT``;
  ``tài liệu mật`` in prose.
- ``internal`` (redact + notify): circulation/internal markings as segments in upper or
  title case (Vietnamese, English, the agency's own list), drafts with a version tail.
- ``internal_prose`` (warn): the same markings inside a sentence.
- ``classification`` (warn-high): ``TOP SECRET`` / ``SECRET`` as segments.
- ``field_value`` (block, low score): a text that is only a level ("Mật"), e.g. a
  spreadsheet cell; it blocks when the caller's context (the column header) is "Độ mật".

Words that merely contain "mật" (bí mật, mật khẩu, mật độ, BÍ MẬT NHÀ NƯỚC in a title)
never equal a whole level segment, so they never block.
"""

from __future__ import annotations

import json
import re
import string
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from ..textutil import Anchored, fold, fold_phrase, trie_regex
from .base import RuleRecognizer, Span, register

ROLES = ("secret", "suspect", "internal", "internal_prose", "classification", "field_value")

# Longest segment considered a stamp; longer cells are prose.
MAX_SEGMENT = 100
# Lines either side in which two distinct levels make an enumeration (spec §5.3 rule 3).
ENUM_WINDOW = 3

_LINE = regex.compile(r"[^\r\n]+")
# Cell separators inside a line: tab, pipe, or a wide gap of spaces.
_SEP = regex.compile(r"\t|\||\x20{3,}")
# A short cell is not cut at wide gaps: "TỐI   MẬT" is one stamp.
_GAP_MIN_CELL = 16
_CELL_END = regex.compile(r"[\t|]")
_TABLE_RULE = regex.compile(r"[\s|:\-]+")
_DECOR = " \t\u00a0[]()*\"'“”‘’«»_=~#<>" + "".join(chr(c) for c in range(0x2500, 0x2580))
_TRAIL = _DECOR + ".:;,!"
_DECOR_RUN = regex.compile(r"[\s\[\]()*\"'“”‘’«»_=~#<>\u2500-\u257f]+")
_COLON = regex.compile(r"\s*[:：]\s*")
_DASHED = regex.compile(r"([-–—]{1,3})\s+(\S(?:.*\S)?)\s+\1")
# Letters typed apart ("M Ậ T", "T Ố I  M Ậ T"): read as the word they spell.
_SPACED = regex.compile(r"\w(?:\s+\w){2,}")
_SPACED_FINDER = re.compile(r"m\s{1,3}ậ\s{1,3}t(?!\w)")
_LIST_MARK = regex.compile(
    r"(?:[-•+–—▪●○◦·►➢✓]|\d{1,3}[.)]|[a-zđ][.)]|[IVX]{1,5}\.)\s+")


@dataclass(frozen=True)
class Cell:
    line: int
    start: int
    end: int
    key: str       # content, decoration -> space, ": " -> ":", whitespace collapsed
    listed: bool   # starts with a list marker
    prev: str      # key of the previous cell on the same line ("" if first)
    header: str = ""  # key of the column's header cell in a table


def _key(content: str) -> str:
    content = _COLON.sub(":", content)
    return " ".join(_DECOR_RUN.sub(" ", content).split())


def cells(text: str, hits: list[int] | None = None) -> list[Cell]:
    """Short segments of ``text`` with their content spans (decoration trimmed).

    Tables (tab or ``|`` rows) remember their first row, so each cell knows its column
    header ("Độ mật" above "Mật") in the same single pass. ``hits`` (sorted positions,
    see ``_LineFilter``): only the lines holding one are cut; the others still count for
    line numbers and table headers.
    """
    if hits is not None and "\t" not in text and "|" not in text:
        return _cells_at(text, hits)
    out: list[Cell] = []
    block_sep: str | None = None
    headers: list[str] = []
    next_hit = 0
    for line_no, line in enumerate(_LINE.finditer(text)):
        raw = line.group()
        sep = "\t" if "\t" in raw else ("|" if raw.count("|") >= 2 else None)
        is_header = False
        if sep != block_sep:
            block_sep, headers = sep, []
            if sep is not None:
                is_header = True
                headers = [_key(c.strip(_DECOR)) if len(c) <= MAX_SEGMENT else ""
                           for c in raw.split(sep)]
        elif sep == "|" and _TABLE_RULE.fullmatch(raw):
            continue
        if hits is not None:
            while next_hit < len(hits) and hits[next_hit] < line.start():
                next_hit += 1
            if next_hit == len(hits) or hits[next_hit] >= line.end():
                continue
        _cut_line(raw, line.start(), line_no, sep, headers, is_header, out)
    return out


_BREAKS = re.compile(r"[\r\n]+")


def _cells_at(text: str, hits: list[int]) -> list[Cell]:
    """``cells`` of a text without tables: only the lines holding a hit are visited."""
    out: list[Cell] = []
    # Line numbers count the non-empty lines: the runs of breaks before a line, less one
    # if the text opens with a break.
    line_no = -1 if text[:1] in ("\r", "\n") else 0
    counted = 0
    done = -1
    for hit in hits:
        if hit < done:
            continue
        start = max(text.rfind("\n", 0, hit), text.rfind("\r", 0, hit)) + 1
        done = _line_end(text, hit)
        line_no += len(_BREAKS.findall(text, counted, start))
        counted = start
        _cut_line(text[start:done], start, line_no, None, [], False, out)
    return out


def _cut_line(raw: str, base: int, line_no: int, sep: str | None, headers: list[str],
              is_header: bool, out: list[Cell]) -> None:
    """Append the cells of one line (``raw`` at offset ``base``) to ``out``."""
    prev = ""
    pos = 0
    column = 0
    for sep_start, sep_end in _bounds(raw):
        piece = raw[pos:sep_start]
        cell_pos = pos
        pos = sep_end
        here = column
        if sep is not None and raw.startswith(sep, sep_start):
            column += 1
        lead = len(piece) - len(piece.lstrip(_DECOR))
        body = piece[lead:].rstrip(_TRAIL)
        if not body or len(body) > MAX_SEGMENT:
            prev = "\x00" if body else prev
            continue
        listed = False
        dashed = _DASHED.fullmatch(body)
        if dashed:  # "- MẬT -": dashes on both sides frame a stamp, they open no list
            lead += dashed.start(2)
            body = dashed.group(2)
        marker = None if dashed else _LIST_MARK.match(body)
        if marker and marker.end() < len(body):
            rest = body[marker.end():]
            skip = marker.end() + len(rest) - len(rest.lstrip(_DECOR))
            if skip < len(body):
                listed = True
                lead += skip
                body = body[skip:]
        content = body
        # Keep a closing bracket the content opened: "… HỌP (HỘI NGHỊ)".
        after = lead + len(content)
        if content.count("(") > content.count(")") and piece[after:after + 1] == ")":
            content += ")"
        start = base + cell_pos + lead
        key = _key(content)
        header = headers[here] if not is_header and here < len(headers) else ""
        out.append(Cell(line_no, start, start + len(content), key, listed, prev, header))
        prev = key


def _bounds(raw: str) -> list[tuple[int, int]]:
    """Separator spans of a line: tabs and pipes, and 3+ spaces inside longer cells."""
    out: list[tuple[int, int]] = []
    pos = 0
    for match in _SEP.finditer(raw):
        if match.group()[0] == " ":
            # Is the cell around this gap short ("TỐI   MẬT")? Look at a bounded window.
            before = raw[max(pos, match.start() - 40):match.start()]
            after = _CELL_END.split(raw[match.end():match.end() + 40], 1)[0]
            if len(before) < 40 and len(" ".join((before + " " + after).split())) \
                    <= _GAP_MIN_CELL:
                continue
        out.append(match.span())
        pos = match.end()
    out.append((len(raw), len(raw)))
    return out


class _LineFilter:
    """The lines that may hold a cell some role reports, found without cutting cells.

    Every report on a cell needs its key, in one of three spellings (folded, casefolded,
    upper case), to equal or start with a configured phrase. The key's first word (up to
    a space or colon) is then written in the line, in the same spelling (all three are
    character by character), right after a line start, separator, space or decoration:
    never right after an ASCII letter. So a line whose spellings hold no phrase's first
    word there holds no such cell.
    """

    def __init__(self, folded: set[str], casefolded: set[str], upper: set[str]) -> None:
        self._spaces = []
        for needles, spell in ((folded, fold), (casefolded, str.casefold), (upper, str.upper)):
            firsts = {_FIRST_WORD.match(n).group() for n in needles}
            if "" in firsts:
                self._spaces = None  # a phrase starting with a space or colon: no filter
                return
            if firsts:
                firsts = [w for w in firsts
                          if not any(o != w and w.startswith(o) for o in firsts)]
                self._spaces.append((re.compile(trie_regex(firsts)), spell))

    def hits(self, text: str) -> list[int] | None:
        """Sorted positions, at least one on each candidate line (None: no filter)."""
        if self._spaces is None:
            return None
        found: set[int] = set()
        for finder, spell in self._spaces:
            spelt = spell(text)
            if len(spelt) != len(text):
                return None  # a character changed length ("ß"): positions would shift
            pos = 0
            while (match := finder.search(spelt, pos)) is not None:
                start = match.start()
                if start and spelt[start - 1] in _ASCII_LETTERS:
                    pos = start + 1  # inside a word: not where a key starts
                    continue
                found.add(start)
                pos = _line_end(spelt, start)  # the line is a candidate: go on after it
        return sorted(found)


def _line_end(text: str, pos: int) -> int:
    ends = [i for i in (text.find("\n", pos), text.find("\r", pos)) if i >= 0]
    return min(ends) if ends else len(text)


_FIRST_WORD = re.compile(r"[^ :]*")
_ASCII_LETTERS = frozenset(string.ascii_letters)


def _is_upper(key: str) -> bool:
    return key == key.upper() and key != key.lower()


def _is_title(key: str) -> bool:
    first = next((c for c in key if c.isalpha()), "")
    return bool(first) and first.isupper()


def _words(phrases) -> list[str]:
    return [" ".join(str(p).split()) for p in phrases or [] if str(p).strip()]


class MarkingScanner:
    """Everything the markings rules report for one text, computed once."""

    def __init__(self, options: dict) -> None:
        self.levels = _words(options.get("levels"))
        self.level_cf = {lv.casefold(): lv for lv in self.levels}
        self.level_fold = {fold_phrase(lv): lv for lv in self.levels}
        self.level_joined = {"".join(lv.split()).casefold(): lv for lv in self.levels}
        self.max_level = max((len(lv) for lv in self.levels), default=0) + 2
        self.field_labels = _words(options.get("field_labels"))
        self.field_fold = {fold_phrase(x) for x in self.field_labels}
        self.companions = {_key(c).casefold() for c in _words(options.get("companions"))}
        self.companion_prefixes = [_key(p).casefold()
                                   for p in _words(options.get("companion_prefixes"))]
        self.declassified = {_key(d).casefold() for d in _words(options.get("declassified"))}
        self.companions_fold = {fold_phrase(c) for c in self.companions}
        self.companion_prefixes_fold = [fold_phrase(p) for p in self.companion_prefixes]
        self.max_companion = max((len(c) for c in self.companions), default=0) + 40
        internal = _words(options.get("internal_markings")) + _words(
            options.get("agency_markings"))
        self.internal_fold = {fold_phrase(_key(m)) for m in internal}
        # Ordinary words in title case ("Hạn chế:" heads every report's weaknesses).
        self.internal_upper_fold = {fold_phrase(_key(m))
                                    for m in _words(options.get("internal_markings_upper"))}
        self.en_internal = {_key(m).upper() for m in _words(options.get("en_markings"))}
        self.en_secret = {_key(m).upper() for m in _words(options.get("en_secret"))}
        self.drafts = [fold_phrase(_key(d)) for d in _words(options.get("draft_markings"))]
        tail = options.get("draft_tail") or r"(?!)"
        self.draft_tail = regex.compile(rf"\s*(?:{tail})", regex.IGNORECASE)
        self.field_rx, self.field_fold_rx = self._field_regexes()
        levels_alt = "|".join(regex.escape(lv).replace(r"\ ", r"\s+")
                              for lv in sorted(self.levels, key=len, reverse=True))
        # An UPPERCASE level inside a sentence ("tài liệu này là MẬT"): warn only.
        upper = "|".join(regex.escape(lv).replace(r"\ ", r"[^\S\r\n]+") for lv in sorted(
            (lv for lv in self.levels if _is_upper(lv)), key=len, reverse=True))
        # A stamp copied onto the header line beside it: "Số: 15/BC-CA  MẬT",
        # "Hà Nội, ngày 5 tháng 3 năm 2025   TỐI MẬT", "MẬT  Số: 15/BC-CA", or beside
        # its copy number.
        self.header_rx = regex.compile(
            rf"(?m)(?:^[^\S\r\n]*(?:Số|SỐ)[^\S\r\n]*[:.]?[^\S\r\n]*[^\s\d]*\d\S*"
            rf"|\bnăm[^\S\r\n]+\d{{4}})[^\S\r\n]+(?P<level>{upper})[^\S\r\n]*\.?$"
            rf"|^[^\S\r\n]*(?P<level>{upper})[^\S\r\n]{{2,}}(?:Số|SỐ)[^\S\r\n]*[:.]"
            # with its copy number: "MẬT - Bản số: 03"
            rf"|^[^\S\r\n]*(?P<level>{upper})[^\S\r\n]*[-–—,;|][^\S\r\n]*"
            rf"(?:Bản|BẢN)[^\S\r\n]+(?:(?:sao|SAO)[^\S\r\n]+)?(?:số|SỐ)\b"
        ) if upper else None
        self.inline_rx = regex.compile(
            rf"(?<![\p{{L}}\p{{M}}])(?:{levels_alt})(?![\p{{L}}\p{{M}}])") if levels_alt else None
        self.prose_secret = _phrase_rx(options.get("prose_secret"),
                                       options.get("prose_secret_not_before"))
        self.prose_internal = _phrase_rx(
            list(options.get("prose_internal") or []) + _words(options.get("agency_markings")),
            None)
        self.scores = {"block": 0.95, "companion": 0.9, "title": 0.8, "enum": 0.7,
                       "folded": 0.7, "companion_alone": 0.75, "declassified": 0.7,
                       "prose": 0.55, "internal": 0.85, "en_secret": 0.9, "inline": 0.6}
        self.scores.update({k: float(v) for k, v in (options.get("scores") or {}).items()})
        self._lines = _LineFilter(
            folded=set(self.level_fold) | self.companions_fold | set(self.companion_prefixes_fold)
            | self.internal_fold | self.internal_upper_fold | set(self.drafts),
            casefolded=set(self.level_cf) | self.companions | set(self.companion_prefixes)
            | self.declassified,
            upper=self.en_secret | self.en_internal)
        self._lock = threading.Lock()
        self._last: tuple[str, dict[str, list[Span]]] | None = None

    def _field_regexes(self) -> tuple[regex.Pattern | None, Anchored | None]:
        if not self.field_labels or not self.levels:
            return None, None

        def alt(items):
            items = sorted(items, key=len, reverse=True)
            return "|".join(regex.escape(i).replace(r"\ ", r"\s+") for i in items)

        # A value followed by more lower-case words is prose ("độ mật: mật độ …").
        tail = r"(?![\p{L}\p{M}\d])(?![ ]+(?-i:\p{Ll}))"
        accented = regex.compile(
            rf"(?<![\p{{L}}])(?:{alt(self.field_labels)})\s*[:：]\s*(?:{alt(self.levels)}){tail}",
            regex.IGNORECASE)
        folded = regex.compile(
            rf"(?<![\p{{L}}])(?:{alt(self.field_fold)})\s*[:：]\s*"
            rf"(?:{alt(self.level_fold)}){tail}")
        return accented, Anchored(folded, self.field_fold, words="whole")

    # -- the scan -------------------------------------------------------------------
    def scan(self, text: str) -> dict[str, list[Span]]:
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        result = self._scan(text)
        with self._lock:
            self._last = (text, result)
        return result

    def _scan(self, text: str) -> dict[str, list[Span]]:
        out: dict[str, list[Span]] = {role: [] for role in ROLES}
        sc = self.scores
        # Only the lines that can hold a reported cell are cut (see _LineFilter).
        all_cells = cells(text, self._hits(text))
        level_cells: list[tuple[int, str, Cell]] = []  # (line, level, cell)
        for cell in all_cells:
            level = self._level_of(cell.key)
            if level is not None:
                level_cells.append((cell.line, level, cell))
        enum_lines = _enumerated(level_cells)

        level_found = False
        if len(all_cells) == 1 and level_cells and not all_cells[0].listed \
                and all_cells[0].key.casefold() in self.level_cf and len(cells(text)) == 1:
            # A lone cell or property ("Mật") checked with its header as context: the
            # engine raises this low score when the context is "Độ mật".
            cell = all_cells[0]
            out["field_value"].append(Span(cell.start, cell.end, None, "marking:level-value"))
        for _, _level, cell in level_cells:
            key = self._spelled(cell.key)
            exact = key.casefold() in self.level_cf
            is_field = any(fold_phrase(name).rstrip(":") in self.field_fold
                           for name in (cell.prev, cell.header) if name)
            if not exact:
                if fold_phrase(key) == "mat" and not _is_upper(key):
                    continue  # "mat"/"Mat": English word, too ambiguous
                out["suspect"].append(Span(cell.start, cell.end, sc["folded"],
                                           "marking:level-unaccented"))
            elif is_field:
                out["secret"].append(Span(cell.start, cell.end, sc["block"],
                                          "marking:level-field-cell"))
                level_found = True
            elif cell.listed or id(cell) in enum_lines:
                why = "marking:level-list-item" if cell.listed else "marking:level-enumeration"
                out["suspect"].append(Span(cell.start, cell.end, sc["enum"], why))
            elif key in self.levels:  # the exact uppercase stamp text
                out["secret"].append(Span(cell.start, cell.end, sc["block"], "marking:level"))
                level_found = True
            else:
                out["suspect"].append(Span(cell.start, cell.end, sc["title"],
                                           "marking:level-lowercase"))

        if self.header_rx is not None and "MẬT" in text:
            taken = {span.start for span in out["secret"]}
            for match in self.header_rx.finditer(text):
                start, end = match.span("level")
                if start not in taken:
                    out["secret"].append(Span(start, end, sc["block"], "marking:level-header-line"))
                    level_found = True

        if self.field_rx is not None:
            seen = set()
            for match in self.field_rx.finditer(text):
                seen.add(match.start())
                out["secret"].append(Span(match.start(), match.end(), sc["block"],
                                          "marking:field"))
                level_found = True
            folded = fold(text)
            for match in self.field_fold_rx.finditer(folded):
                if match.start() not in seen:
                    out["suspect"].append(Span(match.start(), match.end(), sc["folded"],
                                               "marking:field-unaccented"))

        for cell in all_cells:
            self._other_markings(cell, level_found, out)
        if self.inline_rx is not None:
            for match in self.inline_rx.finditer(text):
                if _inline_word(text, match.start(), match.end()):
                    out["suspect"].append(Span(match.start(), match.end(), sc["inline"],
                                               "marking:level-inline"))

        if self.prose_secret is not None:
            for match in _verified(self.prose_secret, text):
                out["suspect"].append(Span(match.start(), match.end(), sc["prose"],
                                           "marking:prose"))
        if self.prose_internal is not None:
            for match in _verified(self.prose_internal, text):
                out["internal_prose"].append(Span(match.start(), match.end(), sc["prose"],
                                                  "marking:internal-prose"))
        return out

    def _hits(self, text: str) -> list[int] | None:
        """``_LineFilter`` hits, plus the lines where letters spell a level apart."""
        hits = self._lines.hits(text)
        if hits is None or ("ậ" not in text and "Ậ" not in text):
            return hits
        low = text.casefold()
        if len(low) != len(text):
            return None
        spaced = [m.start() for m in _SPACED_FINDER.finditer(low)]
        return sorted(set(hits) | set(spaced)) if spaced else hits

    def _spelled(self, key: str) -> str:
        """"M Ậ T" -> "MẬT" (in the key's case) when the letters apart spell a level."""
        if len(key) > 2 * self.max_level or not _SPACED.fullmatch(key):
            return key
        level = self.level_joined.get("".join(key.split()).casefold())
        if level is None:
            return key
        return level if _is_upper(key) else level.lower()

    def _level_of(self, key: str) -> str | None:
        key = self._spelled(key)
        if len(key) > self.max_level:
            return None
        level = self.level_cf.get(key.casefold())
        if level is None:
            level = self.level_fold.get(fold_phrase(key))
        return level

    def _other_markings(self, cell: Cell, level_found: bool, out) -> None:
        sc = self.scores
        key, cf = cell.key, cell.key.casefold()
        span = (cell.start, cell.end)
        upper = _is_upper(key)
        companion = cf in self.companions or any(
            cf.startswith(p) and (len(cf) == len(p) or not cf[len(p)].isalpha())
            for p in self.companion_prefixes)
        if companion:
            if upper and level_found and not cell.listed:
                out["secret"].append(Span(*span, sc["companion"], "marking:companion"))
            else:
                out["suspect"].append(Span(*span, sc["companion_alone"],
                                           "marking:companion-alone"))
            return
        if upper and len(key) <= self.max_companion:
            folded = fold_phrase(key)
            if folded in self.companions_fold or any(
                    folded.startswith(p) and (len(folded) == len(p) or not folded[len(p)].isalpha())
                    for p in self.companion_prefixes_fold):
                # Typed without accents ("TAI LIEU THU HOI"): never blocks (spec §2 step 4).
                out["suspect"].append(Span(*span, sc["folded"], "marking:companion-unaccented"))
                return
        if cf in self.declassified and upper:
            out["suspect"].append(Span(*span, sc["declassified"], "marking:declassified"))
            return
        if cell.listed:
            return  # a list item is prose-like: the prose rule sees it
        if upper and key.upper() in self.en_secret:
            out["classification"].append(Span(*span, sc["en_secret"], "marking:en-secret"))
            return
        if upper and key in self.en_internal:
            out["internal"].append(Span(*span, sc["internal"], "marking:en-internal"))
            return
        if not (upper or _is_title(key)):
            return
        folded = fold_phrase(key)
        if folded in self.internal_fold or (upper and folded in self.internal_upper_fold):
            out["internal"].append(Span(*span, sc["internal"], "marking:internal"))
            return
        for draft in self.drafts:
            if folded.startswith(draft):
                rest = key[len(draft):]
                if not rest or self.draft_tail.fullmatch(rest):
                    out["internal"].append(Span(*span, sc["internal"], "marking:draft"))
                return


# The nearest word with a letter on each side, across brackets and punctuation.
_WORD_BEFORE = regex.compile(r"(\S*\p{L}\S*)[^\p{L}\n]*$")
_WORD_AFTER = regex.compile(r"[^\p{L}\n]*(\S*\p{L}\S*)")


def _inline_word(text: str, start: int, end: int) -> bool:
    """The level sits between words that are not upper case: a sentence, not a title
    ("BẢO VỆ BÍ MẬT NHÀ NƯỚC") and not a stamp segment (those are cells)."""
    line_start = text.rfind("\n", max(0, start - 60), start) + 1
    before = _WORD_BEFORE.search(text, max(line_start, start - 60), start)
    after = _WORD_AFTER.match(text, end, min(len(text), end + 60))
    words = [before.group(1) if before else "",
             after.group(1) if after and "\n" not in after.group() else ""]
    kinds = [_case_of(w) for w in words]
    return "upper" not in kinds and "lower" in kinds


def _case_of(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "none"
    return "upper" if all(c.isupper() for c in letters) else "lower"


def _enumerated(level_cells: list[tuple[int, str, Cell]]) -> set[int]:
    """ids of level cells with a *different* level within ENUM_WINDOW lines."""
    marked: set[int] = set()
    count = len(level_cells)
    for i, (line, level, cell) in enumerate(level_cells):
        for j in range(max(0, i - 8), min(count, i + 9)):
            other_line, other_level, _ = level_cells[j]
            if other_level != level and abs(other_line - line) <= ENUM_WINDOW:
                marked.add(id(cell))
                break
    return marked


def _verified(compiled: tuple[Anchored, set[str]], text: str) -> Iterator[regex.Match]:
    """Matches of a folded phrase regex whose original text is the accented phrase or
    plain ASCII ("tai lieu mat"): "tài liệu mắt" folds the same but is not a marking."""
    rx, accented = compiled
    for match in rx.finditer(fold(text)):
        original = text[match.start():match.end()]
        if original.isascii() or " ".join(original.casefold().split()) in accented:
            yield match


def _phrase_rx(phrases, not_before) -> tuple[Anchored, set[str]] | None:
    phrases = _words(phrases)
    folded = sorted({fold_phrase(p) for p in phrases}, key=len, reverse=True)
    if not folded:
        return None
    body = "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in folded)
    guard = ""
    stops = [fold_phrase(s).strip() for s in not_before or [] if str(s).strip()]
    if stops:
        guard = r"(?!\s+(?:" + "|".join(regex.escape(s) for s in stops) + r")(?![\p{L}\p{N}]))"
    rx = regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{body})(?![\p{{L}}\p{{N}}]){guard}")
    return Anchored(rx, folded, words="whole"), {p.casefold() for p in phrases}


_SCANNERS: dict[str, MarkingScanner] = {}
_SCANNERS_LOCK = threading.Lock()


def _shared_scanner(options: dict) -> MarkingScanner:
    """Rules whose options differ only by ``role`` share one scanner (one scan per text)."""
    shared = {k: v for k, v in options.items() if k != "role"}
    key = json.dumps(shared, sort_keys=True, ensure_ascii=False, default=str)
    with _SCANNERS_LOCK:
        scanner = _SCANNERS.get(key)
        if scanner is None:
            scanner = _SCANNERS[key] = MarkingScanner(shared)
        return scanner


@register("markings")
class MarkingRule(RuleRecognizer):
    OPTIONS = frozenset({
        "role", "levels", "field_labels", "companions", "companion_prefixes", "declassified",
        "internal_markings", "internal_markings_upper", "agency_markings", "en_markings",
        "en_secret", "draft_markings", "draft_tail", "prose_secret", "prose_secret_not_before",
        "prose_internal", "scores",
    })

    def setup(self) -> None:
        from ..rules import RulePackError

        options = self.rule.options
        self._role = options.get("role")
        if self._role not in ROLES:
            raise RulePackError(f"{self.rule.source}: option 'role' must be one of "
                                f"{', '.join(ROLES)}")
        for name in self.OPTIONS - {"role", "draft_tail", "scores"}:
            value = options.get(name)
            if value is not None and (not isinstance(value, list) or not all(
                    isinstance(v, str) and v.strip() for v in value)):
                raise RulePackError(f"{self.rule.source}: option '{name}' must be a list of "
                                    "non-empty strings")
        try:
            self._scanner = _shared_scanner(options)
        except (regex.error, TypeError, ValueError, AttributeError) as exc:
            raise RulePackError(f"{self.rule.source}: bad markings option ({exc})") from None

    def find(self, text: str) -> Iterator[Span]:
        # Only the lone-value role leaves context to the engine (caller's column header).
        decided = self._role != "field_value"
        for span in self._scanner.scan(text)[self._role]:
            yield Span(span.start, span.end, score=span.score, reason=span.reason,
                       has_context=decided)
