"""Names placed by the shape of a form or an official document, not by prose.

- a label and its value (``Họ và tên: …``, ``Người nộp: …``; a tab-separated label needs
  a surname first);
- a cell in a table column headed like a name column;
- the line under a signature title (``KT. GIÁM ĐỐC`` … ``Trần Văn B``);
- a name spelt in an e-mail local part;
- a whole text that is only a name (one spreadsheet cell analysed alone).

``FormNames`` is mixed into ``PersonRule``: it uses that class's tokeniser and name tests
(``_tokens``, ``_is_cue_word``, ``_surname_at``…), so one definition of "a name" serves
both the prose passes and these.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..lexicon.names import NameLexicon, is_syllable
from ..lexicon.tables import header_cells
from ..textutil import Anchored, fold_phrase, text_words
from .base import Span

# Between two tokens of one name: spaces only (a tab is a table cell boundary).
JOIN = regex.compile(r" {1,2}")
_LOCAL_SPLIT = regex.compile(r"[._\-\d]+")
_EMAIL = regex.compile(r"(?<![\w.+-])([A-Za-z][A-Za-z0-9._-]{2,40})@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


class FormNames:
    """Label, column, signature and lone-value names (see the module docstring)."""

    def _setup_forms(self, opts: dict) -> None:
        labels = opts.get("labels", ["họ và tên", "họ tên"])
        def alternation(items):
            return "|".join(regex.escape(" ".join(fold_phrase(p).split())).replace(r"\ ", r"\s+")
                            for p in sorted(items, key=len, reverse=True))

        # "Họ (và) tên …", "Người nhận …", "Cán bộ …" may take up to three more words
        # ("Họ và tên người nộp:", "Người nhận hồ sơ:"); other labels need their colon or
        # tab right after (short ones like "con", "mẹ" are everyday words, so they must
        # not start a scan on every occurrence).
        open_labels = [p for p in labels
                       if fold_phrase(p).startswith(("ho ", "nguoi ", "can bo "))]
        fixed = [p for p in labels if p not in open_labels]
        self._label_rx = Anchored(regex.compile(
            rf"(?<![\p{{L}}])(?:(?:{alternation(open_labels) or '(?!)'})(?:[ ]+[\p{{L}}/]+){{0,3}}?"
            rf"|(?:{alternation(fixed) or '(?!)'}))[ ]*(?:\(\*\))?[ ]*(?P<sep>[:：\t])[ \t]*"),
            [" ".join(fold_phrase(p).split()) for p in labels], words="whole")
        headers = opts.get("column_headers", ["họ và tên", "họ tên"])
        hbody = "|".join(regex.escape(" ".join(fold_phrase(p).split())) for p in headers)
        self._header_rx = regex.compile(rf"(?:{hbody})(?:\s*\([^)]*\))?")
        sig = [" ".join(fold_phrase(p).split()) for p in
               opts.get("signature_titles", ["bộ trưởng", "giám đốc"])]
        sbody = "|".join(regex.escape(p) for p in sig)
        prefixes = "|".join(_SIG_PREFIXES)
        self._sig_rx = regex.compile(
            rf"(?:(?:{prefixes})\.?\s*)?(?:[\p{{L}} ]+\s)?(?:{sbody})\b[\p{{L}} .]*")
        self._sig_words = _signature_words(sig)

    def _value_name(self, text, toks_in, lex, accented, *, need_surname: bool):
        """Tokens of a label/cell value that form a name: (start, end) or None."""
        toks = [t for t in toks_in if not t.initials]
        if toks_in and toks_in[0].initials:
            return toks_in[0].start, toks_in[0].end
        # Skip a leading honorific ("Ông", "Bà", "Ông/Bà").
        # "Ông Thị Bích Ngọc", "Ông Văn Tám" under a label: Ông is the surname.
        while len(toks) > 1 and self._is_cue_word(toks[0], accented) and not \
                self._ong_surname(toks, 0, len(toks), lex, accented, outer=True):
            toks = toks[1:]
        if not toks or len(toks) > 6 + max(self._compound_len(toks, 0, len(toks), lex) - 1, 0):
            return None
        if any(not (t.text.isalpha() or "'" in t.text or "’" in t.text) for t in toks):
            return None
        if self._surname_at(toks, 0, len(toks), lex):
            ok = all(lex.known_word(t.text, t.folded) or lex.surname_word(t.text, t.folded) or is_syllable(t.folded)
                     or len(t.text) == 1 for t in toks[1:])
        elif need_surname:
            return None
        else:
            ok = all(t.capital and not self._stopword(t, accented)
                     and (lex.known_word(t.text, t.folded) or is_syllable(t.folded)) for t in toks)
        if not ok:
            return None
        return toks[0].start, toks[-1].end

    def _from_labels(self, text, folded, lex, accented) -> Iterator[Span]:
        for m in self._label_rx.finditer(folded):
            pos = m.end()
            line_end = min(len(text), pos + 80)
            for stop in ("\n", "\t", ";", ",", "(", "-", " – "):
                k = text.find(stop, pos + 1, line_end)
                if k >= 0:
                    line_end = k
            if text.startswith("[", pos):
                continue  # an earlier placeholder ("Họ và tên: [HỌ_TÊN_1]")
            value = []
            for t in self._tokens(text, folded, pos, line_end)[:8]:
                if value and not JOIN.fullmatch(text, value[-1].end, t.start) and not (
                        value[-1].folded in self._cue_words and text[value[-1].end:t.start]
                        .strip() in ("/", "(", ")")):
                    break
                value.append(t)
            found = self._value_name(text, value, lex, accented,
                                     need_surname=m.group("sep") == "\t")
            if found:
                yield Span(found[0], found[1], 0.9, "person:label", True)

    def _from_columns(self, text, folded, lex, accented) -> Iterator[Span]:
        for a, b in header_cells(text, self._header_rx):
            cell_toks = self._tokens(text[a:b], folded[a:b])
            for t in cell_toks:
                t.start += a
                t.end += a
            found = self._value_name(text, cell_toks, lex, accented, need_surname=False)
            if found:
                yield Span(found[0], found[1], 0.85, "person:column", True)

    def _from_signatures(self, text, folded, lex, accented) -> Iterator[Span]:
        if "\n" not in text or not self._signature_possible(folded):
            return
        lines, pos = [], 0
        for line in text.split("\n"):
            lines.append((pos, line))
            pos += len(line) + 1
        for index, (line_start, line) in enumerate(lines):
            cells = [(line_start + c0, cell) for c0, cell in _split_cells(line)]
            if not any(self._is_sig_title(c, folded[s:s + len(c)]) for s, c in cells):
                continue
            for next_start, next_line in lines[index + 1:index + 8]:
                found = None
                for c0, cell in _split_cells(next_line):
                    s = next_start + c0
                    stripped = cell.strip()
                    if not stripped or stripped.startswith(("(", "[", "-", "+", "•")) \
                            or ":" in stripped or self._is_sig_title(cell, folded[s:s + len(cell)]):
                        continue
                    cell_toks = self._tokens(cell, folded[s:s + len(cell)])
                    for t in cell_toks:
                        t.start += s
                        t.end += s
                    if len(cell_toks) < 2 or not all(t.capital for t in cell_toks):
                        continue
                    found = self._value_name(text, cell_toks, lex, accented, need_surname=True)
                    if found:
                        break
                if found:
                    yield Span(found[0], found[1], 0.85, "person:signature", True)
                    break

    def _signature_possible(self, folded: str) -> bool:
        """Whether some signature title has its words in the text (unknown outside an
        analysis): most texts have none, and cutting every line into cells costs."""
        words = text_words(folded)
        return words is None or self._sig_words is None or any(
            rest <= words and not first.isdisjoint(words) for first, rest in self._sig_words)

    def _is_sig_title(self, cell: str, folded_cell: str) -> bool:
        stripped = cell.strip()
        if not stripped or stripped.upper() != stripped or len(stripped) > 60:
            return False
        return bool(self._sig_rx.fullmatch(" ".join(folded_cell.split())))

    def _lone(self, text, folded, a, b, lex, accented) -> Span | None:
        """The block ``text[a:b]`` when it is only a name-shaped value (a cell analysed
        alone)."""
        block = text[a:b]
        if len(block) > 60 or "\n" in block.strip():
            return None
        toks = self._tokens(text, folded, a, b)
        if not toks or len(toks) > 5:
            return None
        found = self._value_name(text, toks, lex, accented, need_surname=False)
        if found and all(t.capital for t in toks):
            return Span(found[0], found[1], 0.3, "person:lone value")
        return None


def email_names(text: str, lex: NameLexicon) -> Iterator[Span]:
    """A name spelt in an e-mail local part (``nguyenvanan@…``, ``tran.thi.b@…``)."""
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        local = m.group(1).lower()
        parts = [p for p in _LOCAL_SPLIT.split(local) if p]
        syllables: list[str] = []
        for part in parts:
            split = _split_syllables(part, lex)
            if split is None:
                syllables = []
                break
            syllables.extend(split)
        strong = [s for s in syllables if lex.is_surname(s) and s not in lex.homographs]
        if len(syllables) >= 2 and strong:
            yield Span(m.start(1), m.end(1), 0.6, "person:email", True)


# "KT. BỘ TRƯỞNG", "TM. ỦY BAN…": the abbreviations that may open a signature title.
_SIG_PREFIXES = ("kt", "tm", "tl", "tuq", "q", "k/t", "t/m", "t/l")
_LETTERS = regex.compile(r"\p{L}+")


def _signature_words(titles: list[str]) -> list[tuple[frozenset[str], frozenset[str]]] | None:
    """For each title, (the ways its first word may be written, its other words), as
    whole words of a text holding the title. The title regex puts every word but the
    first between non-letters; the first may be glued to an abbreviation ("ktbo truong")
    when it opens the title. None when a title has no letters."""
    glues = [""] + [prefix.split("/")[-1] for prefix in _SIG_PREFIXES]
    out = []
    for title in titles:
        runs = _LETTERS.findall(title)
        if not runs:
            return None
        first = {runs[0]}
        if title.startswith(runs[0]):
            first.update(glue + runs[0] for glue in glues)
        out.append((frozenset(first), frozenset(runs[1:])))
    return out


def _split_cells(line: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for cell in line.split("\t"):
        out.append((pos, cell))
        pos += len(cell) + 1
    return out


def _split_syllables(part: str, lex: NameLexicon) -> list[str] | None:
    """Split ``nguyenvanan`` into known syllables (surnames, middle, given), or None."""
    n = len(part)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for k in range(1, min(7, n - i) + 1):
            piece = part[i:i + k]
            if lex.is_surname(piece) or lex.known(piece):
                cand = best[i] + [piece]
                if best[i + k] is None or len(cand) < len(best[i + k]):
                    best[i + k] = cand
    return best[n]
