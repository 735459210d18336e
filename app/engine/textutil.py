"""Small, fast text helpers shared by recognizers.

``fold`` gives an accent-stripped, lower-case copy of the **same length** as its input,
so an index found in the copy is an index in the text: context phrases and lexicons are
matched there, unaccented Vietnamese ("so dien thoai", "mat khau") included.
"""

from __future__ import annotations

import bisect
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
    if text.isascii():
        return text.lower()  # the table maps only A-Z in ASCII
    # ``translate`` looks every character up in the table: on mostly-English text that
    # is the slow part. Lower-case the ASCII stretches, translate only the others.
    parts = _NON_ASCII.split(text)
    parts[::2] = [part.lower() for part in parts[::2]]
    parts[1::2] = [part.translate(_FOLD) for part in parts[1::2]]
    return "".join(parts)


_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")


def fold_phrase(phrase: str) -> str:
    return unicodedata.normalize("NFC", phrase).translate(_FOLD)


def phrase_regex(phrases: list[str] | tuple[str, ...]) -> regex.Pattern | None:
    """One alternation matching any phrase as whole words in folded text, longest first."""
    folded = _folded_phrases(phrases)
    if not folded:
        return None
    body = "|".join(regex.escape(p) for p in folded)
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{body})(?![\p{{L}}\p{{N}}])")


def phrase_finder(phrases: list[str] | tuple[str, ...]) -> Anchored | None:
    """``phrase_regex`` for scanning whole texts (same matches, found faster)."""
    rx = phrase_regex(phrases)
    return Anchored(rx, _folded_phrases(phrases), words="whole") if rx is not None else None


def _folded_phrases(phrases) -> list[str]:
    return sorted({fold_phrase(p).strip() for p in phrases if p.strip()}, key=len, reverse=True)


# Values derived from the text of one ``Engine.analyze`` call and shared by its
# recognizers. The memo lives only for that call: document contents are never cached.
_MEMO: ContextVar[dict | None] = ContextVar("giukin_analysis_memo", default=None)


@contextmanager
def analysis_memo() -> Iterator[None]:
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def memoized(name: str, text: str, compute: Callable[[str], object]):
    """``compute(text)``, once per analysis (computed afresh outside one)."""
    memo = _MEMO.get()
    if memo is None:
        return compute(text)
    key = (name, text)
    if key not in memo:
        memo[key] = compute(text)
    return memo[key]


_LETTERS = regex.compile(r"\p{L}+")
_ASCII_LETTERS = frozenset(string.ascii_letters)


def _letter_words(text: str) -> frozenset[str]:
    return frozenset(_LETTERS.findall(text))


def text_words(text: str) -> frozenset[str] | None:
    """The maximal letter runs of ``text``, collected once per analysis (None outside one,
    where collecting them for one look-up would cost more than it saves)."""
    if _MEMO.get() is None:
        return None
    return memoized("letter_words", text, _letter_words)


class Anchored:
    r"""A phrase regex searched only where one of its phrases can start.

    The ``regex`` module tries a big alternation behind a look-behind at every position
    of the text, which dominates the engine's time on long texts. Here a plain ``re``
    trie of the phrases' first words (a fast first-character scan) lists the candidate
    positions, and the full regex is tried at those only: the matches are exactly those
    of ``rx.finditer``, provided (the caller's promise)

    - every match of ``rx`` starts with one of ``phrases``, written literally up to its
      first non-letter (the phrases' words may then be joined by any separator), and
    - ``rx`` never matches right after a letter (it opens with a look-behind such as
      ``(?<![\p{L}\p{N}])``), so no candidate hides a match by overlapping it.

    A phrase that does not start with a letter disables the shortcut.

    ``words`` tells how a phrase's letter runs stand in any text it matches, so that
    inside an analysis a whole text can be skipped at once when it lacks the words (a
    text's words are collected once per analysis, for all recognizers):

    - ``"whole"``: each run is a whole word (a maximal letter run), as with
      ``phrase_regex``: some phrase must have all its words in the text;
    - ``"joined"``: the runs may be written together ("matkhau" for "mat khau"), but the
      first run, with those glued to it, is a whole word.
    """

    def __init__(self, rx: regex.Pattern, phrases: Iterable[str], *,
                 words: str | None = None) -> None:
        self.rx = rx
        self._anchor = None
        self._whole: dict[str, list[frozenset[str]]] | None = None
        self._joined: frozenset[str] | None = None
        firsts, whole, joined = set(), {}, set()
        for phrase in phrases:
            runs = _LETTERS.findall(phrase)
            if not runs or not phrase.startswith(runs[0]):
                return  # a phrase may start anywhere: no shortcut at all
            firsts.add(runs[0])
            whole.setdefault(runs[0], []).append(frozenset(runs[1:]))
            joined.update("".join(runs[:count]) for count in range(1, len(runs) + 1))
        if not firsts:
            return
        if words == "whole":
            self._whole = whole
            # A phrase's first word is whole: a candidate followed by an ASCII letter
            # would be only the start of a longer word ("to" in "tomorrow").
            self._anchor = re.compile(trie_regex(sorted(firsts)) + "(?![A-Za-z])")
            return
        if words == "joined":
            self._joined = frozenset(joined)
        # A word that starts with another one adds no candidate: keep the shorter.
        keys = [w for w in firsts if not any(o != w and w.startswith(o) for o in firsts)]
        self._anchor = re.compile(trie_regex(keys)) if keys else None

    def absent(self, text: str) -> bool:
        """No phrase can match anywhere in ``text`` (known only inside an analysis)."""
        words = text_words(text) if self._whole is not None or self._joined is not None \
            else None
        if words is None:
            return False
        if self._joined is not None:
            return words.isdisjoint(self._joined)
        return not any(rest <= words for first in words.intersection(self._whole)
                       for rest in self._whole[first])

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None
                 ) -> Iterator[regex.Match]:
        end = len(text) if endpos is None else endpos
        if pos == 0 and end == len(text) and self.absent(text):
            return  # a window's edge may cut a word: only whole texts are checked
        if self._anchor is None:
            yield from self.rx.finditer(text, pos, end)
            return
        match_at = self.rx.match
        for candidate in self._anchor.finditer(text, pos, end):
            start = candidate.start()
            if start < pos or start and text[start - 1] in _ASCII_LETTERS:
                continue  # inside a word: ``rx`` cannot match there
            found = match_at(text, start, end)
            if found is not None:
                yield found
                pos = max(found.end(), start + 1)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match | None:
        return next(self.finditer(text, pos, endpos), None)


# One literal character of a pattern's text: a plain one, or escaped punctuation.
_LITERAL_ATOM = r"(?:[A-Za-z0-9_ '\-:,;=@#%&~<>!\"/]|\\[^A-Za-z0-9])"
_LITERAL_RUN = re.compile(rf"{_LITERAL_ATOM}*")
_LITERAL_ALTS = re.compile(rf"\(\?:({_LITERAL_ATOM}+(?:\|{_LITERAL_ATOM}+)*)\)")
_UNSURE_FLAGS = regex.IGNORECASE | regex.VERBOSE | regex.REVERSE | regex.V1


def leading_literals(pattern: regex.Pattern) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` starts with (after its opening
    look-behinds), read off the pattern's text: ``(?<![A-Za-z0-9])(?:AKIA|ASIA)…`` gives
    ("AKIA", "ASIA"). A text holding none of them has no match, which a substring test
    tells far faster than the regex. None when the pattern is not that simple (case
    folding, an alternation at the top, a comment…)."""
    src = pattern.pattern
    if pattern.flags & _UNSURE_FLAGS or "(?#" in src or _top_level_bar(src):
        return None
    pos = 0
    while src.startswith(("(?<!", "(?<="), pos):
        pos = _group_end(src, pos)
    alts = _LITERAL_ALTS.match(src, pos)
    if alts is not None:
        if src[alts.end():alts.end() + 1] in ("?", "*", "{"):
            return None  # the group may be skipped
        return tuple(_unescape(a) for a in alts.group(1).split("|"))
    run = _LITERAL_RUN.match(src, pos).group()
    if src[pos + len(run):pos + len(run) + 1] in ("?", "*", "{"):
        run = run[:-2] if run[-2:-1] == "\\" else run[:-1]  # the last atom may be absent
    literal = _unescape(run)
    return (literal,) if literal else None


def required_digits(pattern: regex.Pattern) -> int:
    """A length every match of ``pattern`` has a run of digits of (0 if unknown): the
    longest ``\\d{n}`` / ``\\d{n,m}`` standing outside any group, when the pattern has no
    alternation at the top."""
    src = pattern.pattern
    if pattern.flags & (regex.VERBOSE | regex.REVERSE | regex.V1) or "(?#" in src \
            or _top_level_bar(src):
        return 0
    longest, depth, pos = 0, 0, 0
    while pos < len(src):
        char = src[pos]
        if char == "\\":
            count = _DIGITS_COUNT.match(src, pos) if depth == 0 else None
            if count is not None:
                longest = max(longest, int(count.group(1)))
            pos += 2
            continue
        if char == "[":
            pos = _class_end(src, pos)
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        pos += 1
    return longest


_DIGITS_COUNT = re.compile(r"\\d\{(\d+)(?:,\d*)?\}")
LONG_DIGITS = 9
_LONG_DIGIT_RUN = regex.compile(rf"\d{{{LONG_DIGITS},}}")


def _longest_long_run(text: str) -> int:
    return max(map(len, _LONG_DIGIT_RUN.findall(text)), default=0)


def has_digit_run(text: str, length: int) -> bool:
    """Whether ``text`` holds ``length`` digits in a row. Runs of ``LONG_DIGITS`` or
    more are measured once per analysis, for all patterns that need one; shorter
    lengths are not worth a scan of their own (answered True)."""
    if length < LONG_DIGITS:
        return True
    return memoized("longest_digit_run", text, _longest_long_run) >= length


def _unescape(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal)


def _top_level_bar(src: str) -> bool:
    """Whether the pattern text has an alternation outside any group."""
    return any(char == "|" and depth == 0 for _, char, depth in _syntax(src))


def _group_end(src: str, pos: int) -> int:
    """Index just past the group opening at ``pos``."""
    for at, char, depth in _syntax(src, pos):
        if char == ")" and depth == 0:
            return at + 1
    return len(src)


def _syntax(src: str, pos: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) for each character of the pattern text
    that is neither escaped nor inside a character class."""
    depth = 0
    while pos < len(src):
        char = src[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "[":
            pos = _class_end(src, pos)
            continue
        depth += 1 if char == "(" else -1 if char == ")" else 0
        yield pos, char, depth
        pos += 1


def _class_end(src: str, pos: int) -> int:
    """Index just past the character class opening at ``pos``."""
    pos += 1
    if src.startswith("^", pos):
        pos += 1
    if src.startswith("]", pos):
        pos += 1  # a leading "]" is literal
    while pos < len(src) and src[pos] != "]":
        pos += 2 if src[pos] == "\\" else 1
    return pos + 1


def trie_regex(words: list[str]) -> str:
    """An ``re`` alternation of ``words`` factored on common prefixes."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if "" in node:
            alts.append("")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(tree)


BLOCK_SEP = "\n\n"


def blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the blank-line-separated blocks of a text. Document cells are
    analysed joined by ``BLOCK_SEP``, so a rule for a value standing alone (a cell
    analysed on its own) reads each block as one such value."""
    if BLOCK_SEP not in text:
        return [(0, len(text))]
    out, pos = [], 0
    while True:
        k = text.find(BLOCK_SEP, pos)
        if k < 0:
            out.append((pos, len(text)))
            return out
        out.append((pos, k))
        pos = k + len(BLOCK_SEP)


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the line holding ``pos`` (end excludes the newline)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


# Columns of a text table: tabs (Excel), pipes (markdown), semicolons (CSV exports) or runs
# of 2+ spaces (tables copied from Word or PDF as aligned text).
_GAP = re.compile(r" {2,}")
_SPACED_CELL = re.compile(r"\S+(?: \S+)*")
SPACED = "  "
_MD_RULE_LINE = re.compile(r"[\s|:\-]+")


def table_sep(line: str, block: str | None = None) -> str | None:
    """The column separator of a table line, or None for a line of prose. Inside an
    aligned block (``block``), one gap is enough: a row may have empty cells."""
    if "\t" in line:
        return "\t"
    if line.count("|") >= 2:
        return "|"
    if line.count(";") >= 2:
        return ";"
    if len(_GAP.findall(line.strip())) >= (1 if block == SPACED else 2):
        return SPACED
    return None


def table_cells(line: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a table line, offsets in the line. Aligned text gives
    its non-blank runs (single spaces stay inside a cell: "Phạm Văn Khởi")."""
    if sep == SPACED:
        return [m.span() for m in _SPACED_CELL.finditer(line)]
    spans, pos = [], 0
    for part in line.split(sep):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    if sep == "|" and line.strip().startswith("|"):
        spans = spans[1:]
    return spans


def cell_columns(cells: list[tuple[int, int]], sep: str,
                 header: list[tuple[int, int]]) -> list[int]:
    """The header column of each cell: by index, or for aligned text by position (an
    empty cell leaves a gap, so counting would shift the columns after it)."""
    if sep != SPACED:
        return list(range(len(cells)))
    starts = [a for a, _ in header]
    return [max(bisect.bisect_right(starts, a + 2) - 1, 0) for a, _ in cells]


def is_rule_line(line: str, sep: str) -> bool:
    """A markdown rule under a header ("|---|:--|")."""
    return sep == "|" and _MD_RULE_LINE.fullmatch(line) is not None


@dataclass(frozen=True)
class _Table:
    start: int        # offset of the first body row
    end: int          # offset just past the last row
    sep: str
    header: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # header cells, offsets in the header line


def may_hold_table(text: str) -> bool:
    return "\t" in text or "|" in text or ";" in text or "   " in text


@lru_cache(maxsize=8)
def _tables(text: str) -> tuple[list[int], list[_Table]]:
    """Every table block of a text (see ``table_sep``), found in one pass over its lines."""
    tables: list[_Table] = []
    if not may_hold_table(text):
        return [], tables
    block_sep, header, spans, body_start, pos = None, None, (), 0, 0
    for line in text.split("\n"):
        end = pos + len(line)
        sep = table_sep(line, block_sep)
        if sep is not None and sep == block_sep:
            if is_rule_line(line, sep):
                body_start = end + 1  # markdown rule under the header
            pos = end + 1
            continue
        if header is not None and body_start < pos:
            tables.append(_Table(body_start, pos, block_sep, header, spans))
        if sep is not None:
            spans = tuple(table_cells(line, sep))
            block_sep, body_start = sep, end + 1
            # "ngay_sinh", "so_dinh_danh": an export's field names read as words
            header = tuple(line[a:b].strip().strip('"').replace("_", " ") for a, b in spans)
        else:
            block_sep, header = None, None
        pos = end + 1
    if header is not None and body_start < pos:
        tables.append(_Table(body_start, pos, block_sep, header, spans))
    return [t.start for t in tables], tables


def has_tables(text: str) -> bool:
    """Whether the text holds a table (see ``table_sep``)."""
    return bool(_tables(text)[1])


def column_header(text: str, pos: int) -> str | None:
    """For a value inside a table (see ``table_sep``), the header cell of its column.

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
    if table.sep == SPACED:
        column = cell_columns([(pos - line_start, pos - line_start)], SPACED,
                              list(table.spans))[0]
    else:
        column = text.count(table.sep, line_start, pos)
        if table.sep == "|" and text[line_start:pos].lstrip().startswith("|"):
            column -= 1
    if 0 <= column < len(table.header):
        return table.header[column] or None
    return None
