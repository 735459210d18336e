"""``kind: person`` — Vietnamese person names (spec §4).

Evidence, strongest first:

1. a label (``Họ và tên:``, ``Người ký:``) or a table column headed like one;
2. the signature block of an official document (the name under ``KT. BỘ TRƯỞNG``);
3. an honorific or role right before a capitalised run (``anh Tuấn``, ``Bà NGUYỄN THỊ
   MAI``, ``BS. Trần Văn B``, ``đ/c Hùng``); honorifics may take a bare given name or
   initials, titles (``Giám đốc``) need a surname-first name so ``Giám đốc Sở`` is not one;
   a title right after an honorific is an office, not a name (``đ/c Bí thư …``);
4. a bare run of 2–5 capitalised syllables starting with a surname whose other syllables
   are known middle/given names (``Nguyen Van An`` too: lookups are on the folded copy);
   an ALL-CAPS heading tries each surname in it; Ê Đê / Gia Rai names are read by shape
   (``Y Bhin Niê``, ``H'Hen Ksor``: a clan name closes them);
5. after a cue only, a lower- or mixed-case name typed in a chat (``chị nguyễn thị lan``);
6. a name spelt in an e-mail local part (``nguyenvanan@…``).

Traps (spec §4.4): a run after a street/organisation word (``phố Lê Lợi``, ``Trường THPT
Nguyễn Du``) or a house number is a place; administrative names (``Thái Bình``) and the
allow-list of public figures (``Hồ Chí Minh``) are kept; homograph surnames (``Mai``,
``Hà``, ``Cao``) need two more name syllables when bare. The scan is linear: one token
pass, then fixed-size look-behinds per capitalised run.

The layout passes live beside this file: ``person_forms`` (labels, columns, signature
blocks, e-mail local parts, a lone cell) and ``person_letters`` (greetings, closings,
chat speakers).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

import regex

from ..lexicon.gazetteer import gazetteer
from ..lexicon.names import NameLexicon, is_syllable, lexicon
from ..textutil import blocks, fold, fold_phrase, trie_regex
from .base import RuleRecognizer, Span, register
from .person_forms import JOIN, FormNames, email_names
from .person_letters import letter_names

_TOKEN = regex.compile(
    r"(?P<init>(?<![\p{L}\d.])\p{Lu}(?:\.\p{Lu}){1,4}\.?(?![\p{L}\d]))"
    r"|(?P<word>[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}][\p{L}\p{M}]*)?)"
)
_CAP_WORD = (r"(?:(?<![\p{L}\d.])\p{Lu}(?:\.\p{Lu}){1,4}\.?(?![\p{L}\d])"
             r"|\p{Lu}[\p{L}\p{M}\p{N}]*(?:['’]\p{L}[\p{L}\p{M}]*)?)")
# A run of capitalised words joined by spaces: only these can hold a name, so only they
# (and a short window before each) are tokenised.
_RUN = regex.compile(rf"(?<![\p{{L}}\p{{M}}\p{{N}}])(?:{_CAP_WORD})(?: {{1,2}}(?:{_CAP_WORD}))*")
_LOOK_BACK = 36
_SUBSTRING_NAMES = 32

# A short abbreviation with a dot does not end the phrase ("TP. Hồ Chí Minh", "Q. 3").
_ABBREV_GAP = regex.compile(r"\. ?")
_ETHNIC_PREFIX = regex.compile(r"\p{Lu}['’]\p{Lu}\p{Ll}+")
# Ê Đê / Gia Rai clan names, folded: they close a name written "Y Bhin Niê", "H'Hen Ksor"
# (compound ones are matched as two words).
_CLANS = frozenset({"ksor", "siu", "kpa", "nie", "mlo", "bya", "eban", "nay", "rcom", "adrong",
                    "hdok", "ayun", "kbuor", "eya", "knul", "mdrang", "puih", "rah lan",
                    "ro cham", "ro mah", "buon ya", "nie kdam"})
_ETHNIC_SURNAMES = frozenset({"y", "h'", "rah", "ro", "buon"}) | _CLANS
# Unaccented lower case: surnames that fold onto everyday particles ("la" là, "do" do,
# "thi" thì…) start no name there ("chi la van phong" is "chỉ là văn phòng").
_ASCII_PARTICLES = frozenset({"la", "do", "thi", "ma", "vi", "nhu", "lai", "ho", "dang",
                              "lam", "thanh", "van", "cung", "chu", "tu", "y"})
# Specialist grades written after a title ("BS.CKII", "DS. CK1", "BS.NT").
_DEGREES = frozenset({"cki", "ckii", "ck1", "ck2", "nt"})
# Words after which a heading names someone ("… CHO LÊ VĂN TÁM", "… CỦA NGUYỄN THỊ HOA").
_LINKS = frozenset({"cho", "cua", "voi", "va", "gui", "tang", "boi", "tu", "la", "den", "doi",
                    "ve", "ong", "ba", "anh", "chi", "em"})
_FOLDED_AMBIGUOUS = frozenset({"cho", "den", "ban", "so", "to", "lang", "cau", "giai", "tau",
                               "lo", "ga", "khu", "nha", "hoi", "phong", "vien", "ben", "th"})


def _accents_agree(toks, lex: NameLexicon) -> bool:
    """A bare name whose given names carry accents has its surname spelt with them too:
    in "ỦY BAN NHÂN DÂN", "BAN" is the word ban, not the surname Bàn."""
    first = toks[0].text
    return not first.isascii() or first.lower() in lex.exact_surnames or all(
        t.text.isascii() for t in toks[1:])


def _phrases_regex(phrases, *, folded: bool) -> regex.Pattern | None:
    """Phrases anchored at the end of a look-behind window (the cue right before a name)."""
    forms = set()
    for phrase in phrases:
        base = " ".join(phrase.lower().split())
        forms.add(fold_phrase(base) if folded else base)
    if not forms:
        return None
    body = "|".join(regex.escape(p).replace(r"\ ", r"\s*") if "/" in p or "(" in p
                    else regex.escape(p).replace(r"\ ", r"\s+")
                    for p in sorted(forms, key=len, reverse=True))
    # Spaces only: a tab ends a table cell, and a cue in one cell ("Mã BN") names
    # nothing in the next ("Họ tên").
    return regex.compile(rf"(?<![\p{{L}}])(?:{body})[ ]*[:,]?[ ]*\(?[ ]*$")


class _Tok:
    __slots__ = ("start", "end", "text", "folded", "initials", "capital")

    def __init__(self, start: int, end: int, text: str, folded: str,
                 initials: bool = False) -> None:
        self.start, self.end, self.text, self.folded = start, end, text, folded
        self.initials = initials
        self.capital = text[:1].isupper()


@register("person")
class PersonRule(FormNames, RuleRecognizer):
    OPTIONS = frozenset({
        "honorifics", "titles", "labels", "column_headers", "signature_titles", "traps",
        "stop_words", "keep_names",
    })

    def setup(self) -> None:
        opts = self.rule.options
        honorifics = opts.get("honorifics", ["ông", "bà", "anh", "chị", "đ/c"])
        titles = opts.get("titles", ["giám đốc", "bác sĩ"])
        self._cue_rx = {
            (kind, folded): _phrases_regex(phrases, folded=folded)
            for kind, phrases in (("honorific", honorifics), ("title", titles))
            for folded in (False, True)
        }
        self._cue_words = {fold_phrase(p) for p in list(honorifics) + list(titles)}
        self._cue_words_low = {" ".join(p.lower().split()) for p in list(honorifics) + list(titles)}
        # Last word of every cue phrase, accented and folded, for the cheap pre-check.
        self._cue_last = {p.lower().split()[-1] for p in list(honorifics) + list(titles)}
        self._cue_last |= {fold_phrase(w) for w in self._cue_last}
        self._cue_last |= {w.split("/")[-1] for w in self._cue_last}
        # A title or office word right after an honorific ("đ/c Bí thư …", "chị Kế toán
        # trưởng") is no name; the name, if any, comes after it.
        office = list(titles) + list(opts.get("signature_titles", []))
        self._title_at = {
            accented: regex.compile("(?:" + "|".join(
                regex.escape(p).replace(r"\ ", r"\s+") for p in sorted(
                    {" ".join((p.lower() if accented else fold_phrase(p)).split())
                     for p in office}, key=len, reverse=True)) + r")(?![\p{L}\p{M}])")
            for accented in (True, False)}
        lex = lexicon()
        # The lower-case pass ("chị nguyễn thị thanh tâm"): a cue's last word, a space, a
        # surname (accented text: with its accents, or none at all; unaccented lower case:
        # not one that folds onto a particle). One ``re`` trie scan finds the few candidates.
        last = trie_regex(sorted(self._cue_last))
        plain = sorted(s for s in lex.surnames if s not in _ASCII_PARTICLES)
        self._lower_cue = {
            accented: re.compile(r"(?<![^\W\d_])(?:" + last + r") {1,2}(?:" + trie_regex(
                sorted(set(lex.exact_surnames) | set(plain)) if accented else plain)
                + r")(?![^\W_])")
            for accented in (True, False)}
        # Words that may open a compound surname ("Công Tằng Tôn Nữ", "Rơ Châm"), folded.
        self._compound_first = frozenset(c.split()[0] for c in lex.compound_surnames)
        # Those that are no surname alone ("Rơ Châm Thuận"): the run filter looks for them.
        opening = sorted(self._compound_first - lex.surnames)
        self._compound_open = re.compile(r"(?<![^\W\d_])(?:" + trie_regex(opening) + r") ") \
            if opening else None
        # The words that make a capitalised run worth a closer look (see ``find``), for
        # accented and for folded text: a surname, a cue word; in accented text also a
        # surname written without accents.
        self._run_words = {
            True: frozenset(lex.exact_surnames | self._cue_words_low
                            | {w for w in lex.surnames if w.isascii()}),
            False: frozenset(lex.surnames | self._cue_words),
        }
        self._setup_forms(opts)
        traps = opts.get("traps", ["đường", "phố", "trường"])
        self._traps = {" ".join(t.lower().split()) for t in traps}
        # Unaccented text: drop traps that fold onto everyday words (chợ/cho, đền/đến…).
        self._traps_folded = {fold_phrase(t) for t in self._traps} - _FOLDED_AMBIGUOUS
        self._stop = {w.lower() for w in opts.get("stop_words", [])}
        # Unaccented text: a stop word that folds onto a name ("tỉnh"/"Tình") is no stop.
        self._stop_folded = {fold_phrase(w) for w in self._stop} - lex.given - lex.middle \
            - lex.surnames
        self._keep = {" ".join(fold_phrase(n).split()) for n in opts.get("keep_names", [])}

    # -- helpers ---------------------------------------------------------------------
    def _tokens(self, text: str, folded: str, start: int = 0, end: int | None = None
                ) -> list[_Tok]:
        """Tokens of ``text[start:end]``; ``folded`` is the folded copy of ``text``."""
        out = []
        for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
            out.append(_Tok(m.start(), m.end(), m.group(0), folded[m.start():m.end()],
                            initials=m.group("init") is not None))
        return out

    def _is_cue_word(self, tok: _Tok, accented: bool) -> bool:
        return (tok.text.lower() in self._cue_words_low) if accented \
            else (tok.folded in self._cue_words)

    def _is_trap_word(self, tok: _Tok, accented: bool) -> bool:
        if accented:
            return tok.text.lower() in self._traps
        # Unaccented "Duong" starting a name is the surname Dương, "duong" the street word.
        return tok.folded in self._traps_folded and not (
            tok.capital and lexicon().is_surname(tok.folded))

    def _stopword(self, tok: _Tok, accented: bool) -> bool:
        return (tok.text.lower() in self._stop) if accented else (tok.folded in self._stop_folded)

    def _nameish(self, tok: _Tok, lex: NameLexicon, accented: bool, *, strict: bool) -> bool:
        """A syllable that can be part of a name after the surname."""
        if tok.initials or not tok.capital or self._stopword(tok, accented):
            return False
        # "… Văn Bình Ông Trần …": an honorific that is not also a name ends the name.
        if self._is_cue_word(tok, accented) and not lex.known_word(tok.text, tok.folded):
            return False
        if _ETHNIC_PREFIX.fullmatch(tok.text):  # "H'Hen", "K'Long"
            return True
        if lex.known_word(tok.text, tok.folded) or lex.surname_word(tok.text, tok.folded):
            return True
        if strict or not accented:
            return False
        return is_syllable(tok.folded)

    def _is_kept(self, folded_name: str) -> bool:
        key = " ".join(folded_name.split())
        return key in lexicon().famous or key in self._keep

    def _compound_len(self, toks: list[_Tok], k: int, j: int, lex: NameLexicon) -> int:
        """Words of a compound surname starting at token k ("Công Tằng Tôn Nữ": 4), or 0."""
        if toks[k].folded not in self._compound_first:
            return 0
        for n in (4, 3, 2):
            if k + n <= j and " ".join(t.folded for t in toks[k:k + n]) in lex.compound_surnames:
                return n
        return 0

    def _surname_at(self, toks: list[_Tok], k: int, j: int, lex: NameLexicon) -> bool:
        tok = toks[k]
        return lex.surname_word(tok.text, tok.folded) or self._compound_len(toks, k, j, lex) > 0

    def _ong_surname(self, toks: list[_Tok], k: int, j: int, lex: NameLexicon, accented: bool,
                     *, outer: bool) -> bool:
        """"Ông" is the surname, not "Mr.", before Thị + a given name ("Ông Thị Bích Ngọc"),
        and before Văn + a given name when another cue or a label comes first."""
        if k + 2 >= j or toks[k].folded != "ong":
            return False
        second = toks[k + 1].text.lower() if accented and not toks[k + 1].text.isascii() \
            else toks[k + 1].folded
        if second not in ("thị", "thi", "văn", "van"):
            return False
        third = toks[k + 2]
        if third.initials or self._stopword(third, accented) or not (
                lex.known_word(third.text, third.folded) or len(third.text) == 1):
            return False
        return second in ("thị", "thi") or outer

    def _title_len(self, text: str, toks: list[_Tok], i: int, j: int, accented: bool) -> int:
        """Tokens of a title/office phrase starting at token i ("Bí thư", "Kế toán trưởng")."""
        start = toks[i].start
        window = text[start:start + 48]
        m = self._title_at[accented].match(window.lower() if accented else fold_phrase(window))
        if m is None:
            return 0
        k = i
        while k < j and toks[k].start < start + m.end():
            k += 1
        return k - i

    def _cue_before(self, text: str, low: str, folded: str, pos: int,
                    accented: bool) -> str | None:
        """'honorific' / 'title' when a cue phrase ends right before ``pos`` on this line."""
        start = max(0, pos - 40)
        nl = text.rfind("\n", start, pos)
        if nl >= 0:
            start = nl + 1
        window = low[start:pos] if accented else folded[start:pos]
        for kind in ("honorific", "title"):
            rx = self._cue_rx[(kind, not accented)]
            if rx is not None and rx.search(window):
                return kind
        return None

    def _trap_before(self, toks: list[_Tok], index: int, text: str, accented: bool) -> bool:
        """A street/organisation word or a house number within the 4 tokens before."""
        j, seen = index - 1, 0
        while j >= 0 and seen < 4:
            gap = text[toks[j].end:toks[j + 1].start]
            if gap.strip() and not (_ABBREV_GAP.fullmatch(gap) and len(toks[j].text) <= 3):
                break
            if "\n" in gap or "\t" in gap:
                break
            tok = toks[j]
            if tok.text[:1].isdigit():
                # "12 Lê Lợi" is a house number (right before the name, or after "số");
                # "2. Trần Thị Hạnh" is list numbering; an account number ("TU 0091000283746
                # DOAN THI NGOC BICH") is too long for a house.
                # Two spaces or more: a row number in a column-aligned table ("1    Phạm…").
                after = text[tok.end:toks[j + 1].start]
                return seen == 0 and len(tok.text) <= 6 and not any(
                    ch in after for ch in ".)") and "  " not in after
            words = [tok.text.lower() if accented else tok.folded]
            if j > 0 and not text[toks[j - 1].end:tok.start].strip():
                prev = toks[j - 1]
                words.append((prev.text.lower() if accented else prev.folded) + " " + words[0])
            traps = self._traps if accented else self._traps_folded
            if any(w in traps for w in words):
                # "xã Tân Tiến Nguyễn Văn A": the unit word names the place in between.
                between = " ".join(t.folded for t in toks[j + 1:index])
                return not (between and gazetteer().is_place(between))
            if not tok.capital:
                break  # a lowercase word that is not a trap ends the look-behind
            j -= 1
            seen += 1
        return False

    # -- main -----------------------------------------------------------------------
    def find(self, text: str) -> Iterator[Span]:
        folded = fold(text)
        low = text.lower()
        accented = not text.isascii() and len(low) == len(text)
        lex, gaz = lexicon(), gazetteer()
        spans: dict[tuple[int, int], Span] = {}

        def emit(span: Span) -> None:
            key = (span.start, span.end)
            old = spans.get(key)
            if old is None or (span.score or 0) > (old.score or 0):
                spans[key] = span

        for span in self._from_labels(text, folded, lex, accented):
            emit(span)
        for span in self._from_columns(text, folded, lex, accented):
            emit(span)
        for start, end, reason in letter_names(text, folded, lex):
            emit(Span(start, end, 0.85, reason, True))
        for span in self._from_signatures(text, folded, lex, accented):
            emit(span)
        run_words, cue_last = self._run_words[accented], self._cue_last
        source = low if accented else folded
        runs: list[tuple[int, int]] = []
        for run in _RUN.finditer(text):
            span = run.span()
            runs.append(span)
            # Cheap exit for most runs (a capitalised word starting a sentence): no
            # surname, no initials, no cue word inside or right before.
            chunk = source[span[0]:span[1]]
            if "." not in chunk and run_words.isdisjoint(chunk.split()) \
                    and _prev_word(source, span[0]) not in cue_last \
                    and not (" " in chunk and ("'" in chunk or "’" in chunk or (
                        self._compound_open is not None
                        and self._compound_open.search(folded, span[0], span[1])))):
                continue
            inside = _run_tokens(text, folded, run.start(), run.end())
            line_start = text.rfind("\n", max(0, run.start() - _LOOK_BACK), run.start()) + 1
            back = max(line_start, run.start() - _LOOK_BACK)
            before = self._tokens(text, folded, back, run.start())
            if before and before[0].start == back and back > line_start:
                before = before[1:]  # a word cut by the window edge
            toks = before + inside
            i = len(before)
            # A run may hold several names ("Ông A Bà B"): go on after each one found.
            while i < len(toks) - (0 if i == len(before) else 1):
                span = self._from_run(text, low, folded, toks, i, len(toks), lex, gaz,
                                      accented)
                if span is None:
                    break
                emit(span)
                i = next((k for k in range(i, len(toks)) if toks[k].start >= span.end),
                         len(toks))
        for span in self._from_lowercase(text, low, folded, lex, gaz, accented):
            emit(span)
        for span in self._repeats(text, runs, spans):
            emit(span)
        for span in email_names(text, lex):
            emit(span)
        for a, b in blocks(text):
            if b - a <= 80 and not any(s < b and a < e for s, e in spans):
                span = self._lone(text, folded, a, b, lex, accented)
                if span is not None:
                    emit(span)
        yield from _drop_nested(spans.values())

    def _from_lowercase(self, text, low, folded, lex, gaz, accented) -> Iterator[Span]:
        """A name in lower or mixed case right after a cue, as typed in chats: "chị nguyễn
        thị thanh tâm", "anh Trần văn Bình", "gui chi pham thu trang": a surname, a middle
        name, then known names, three syllables at least (two when the surname is
        capitalised and no common word), so "anh lưu ý", "chị đinh ninh" stay. Without a
        cue, lower case is never a name (too many everyday words fold onto names)."""
        source = low if accented else folded
        for m in self._lower_cue[accented].finditer(source):
            end = m.end()
            if text[end - 1].isupper() and end + 1 < len(text) and text[end + 1].isupper():
                continue  # a capitalised name (or an ALL-CAPS line): the run pass reads it
            pos = source.rfind(" ", m.start(), end) + 1
            toks: list[_Tok] = []
            for t in _TOKEN.finditer(text, pos, min(len(text), pos + 48)):
                if toks and not JOIN.fullmatch(text, toks[-1].end, t.start()):
                    break
                toks.append(_Tok(t.start(), t.end(), t.group(0), folded[t.start():t.end()],
                                 initials=t.group("init") is not None))
                if len(toks) == 5:
                    break
            span = self._lower_name(text, low, folded, toks, lex, gaz, accented)
            if span is not None:
                yield span

    def _lower_name(self, text, low, folded, toks, lex, gaz, accented) -> Span | None:
        first = toks[0]
        plain = first.text.isascii()
        if first.initials or not self._surname_at(toks, 0, len(toks), lex) \
                or (plain and first.folded in _ASCII_PARTICLES):
            return None
        if self._is_cue_word(first, accented) and not self._ong_surname(
                toks, 0, len(toks), lex, accented, outer=True):
            return None
        n_sur = self._compound_len(toks, 0, len(toks), lex) or 1
        end = n_sur
        while end < len(toks) and end - n_sur < 3:
            t = toks[end]
            if t.initials or self._stopword(t, accented) or not (
                    lex.known_word(t.text, t.folded) or (end > n_sur and len(t.text) == 1)):
                break
            if end > n_sur and not t.capital and toks[end - 1].capital:
                break  # "chị Trần Thị Lan phát biểu": the name ended at "Lan"
            end += 1
        rest = end - n_sur
        if rest == 0 or (rest >= 2 and toks[n_sur].folded not in lex.middle):
            return None
        name_toks = toks[:end]
        if all(t.capital for t in name_toks):
            return None  # the capitalised-run pass reads it
        homograph = first.folded in lex.homographs
        if end < (2 if first.capital and not homograph and not plain else 3):
            return None
        cue = self._cue_before(text, low, folded, first.start, accented)
        if cue is None:
            return None
        name = " ".join(t.folded for t in name_toks)
        if gaz.is_province(name) or gaz.is_place(name) or (
                cue != "honorific" and self._is_kept(name)):
            return None
        return Span(first.start, name_toks[-1].end, 0.86, f"person:{cue}+lowercase", True)

    @staticmethod
    def _repeats(text: str, runs: list[tuple[int, int]], spans: dict) -> Iterator[Span]:
        """A full name found once (with a cue) is redacted at its other places too, where
        the cue is missing: "Ông A … A" must not leak the second A."""
        by_first: dict[str, set[tuple[str, ...]]] = {}
        for start, end in spans:
            words = tuple(text[start:end].split())
            if len(words) >= 2:
                by_first.setdefault(words[0], set()).add(words)
        if not by_first:
            return
        # Few distinct names (the usual letter or form): a plain substring search also
        # catches a repeat glued to other characters ("… A0"). Many names (a big list):
        # word-level matching on the capitalised runs keeps the pass linear.
        names = {text[start:end] for start, end in spans if len(text[start:end].split()) >= 2}
        if len(names) <= _SUBSTRING_NAMES:
            for name in names:
                pos = text.find(name)
                while pos >= 0:
                    if (pos, pos + len(name)) not in spans:
                        yield Span(pos, pos + len(name), 0.8, "person:repeat", True)
                    pos = text.find(name, pos + len(name))
            return
        for start, end in runs:
            words = text[start:end].split(" ")
            positions, pos = [], start
            for word in words:
                positions.append(pos)
                pos += len(word) + 1
            for index, word in enumerate(words):
                for name in by_first.get(word, ()):
                    if tuple(words[index:index + len(name)]) == name:
                        begin = positions[index]
                        finish = positions[index + len(name) - 1] + len(name[-1])
                        if (begin, finish) not in spans:
                            yield Span(begin, finish, 0.8, "person:repeat", True)

    def _name_from(self, toks: list[_Tok], i: int, j: int, lex: NameLexicon, accented: bool,
                   *, max_len: int = 5) -> int:
        """End index (exclusive) of the name starting at surname token i, or i if none."""
        compound = self._compound_len(toks, i, j, lex)
        k = i + max(compound, 1)
        max_len += max(compound - 1, 0)
        ethnic = toks[i].folded in _ETHNIC_SURNAMES
        while k < j and k - i < max_len and (
                self._nameish(toks[k], lex, accented, strict=False)
                # Ê Đê / Gia Rai names ("Y Bhin Niê", "Ksor H'Hen") are not Kinh syllables.
                or (ethnic and toks[k].capital and toks[k].text.replace("'", "").isalpha()
                    and not self._stopword(toks[k], accented))):
            k += 1
        # "Nguyễn Văn A": a single capital letter as the given name.
        if k < j and k - i >= 2 and k - i < max_len and len(toks[k].text) == 1 \
                and toks[k].text.isupper():
            k += 1
        return k

    def _from_run(self, text, low, folded, toks, i, j, lex, gaz, accented) -> Span | None:
        # Leading cue words inside the run ("Ông Nguyễn Văn An", "Bác sĩ Trần B").
        cue = None
        for width in (3, 2, 1):
            if i + width < j:
                head = " ".join(t.folded for t in toks[i:i + width])
                if head in self._cue_words and self._cue_before(
                        text, low, folded, toks[i + width].start, accented):
                    if width == 1 and self._ong_surname(
                            toks, i, j, lex, accented,
                            outer=self._cue_before(text, low, folded, toks[i].start, accented)
                            is not None):
                        break  # "bà Ông Thị Bích Ngọc": Ông is her surname
                    cue = self._cue_before(text, low, folded, toks[i + width].start, accented)
                    i += width
                    break
        if cue is None:
            cue = self._cue_before(text, low, folded, toks[i].start, accented)
        first = toks[i]
        if first.initials:
            if cue:
                return Span(first.start, first.end, 0.85, f"person:{cue}+initials", True)
            return None
        if cue:
            span = self._after_cue(text, toks, i, j, cue, lex, gaz, accented)
            if span is not None or i + 2 >= j or lex.surname_word(first.text, first.folded) \
                    or lex.known_word(first.text, first.folded):
                return span
            # The cue's own word was no name ("chu TK NGUYEN VAN AN": chủ tài khoản):
            # the rest of the run may still hold a bare one.
            return self._scan(text, low, folded, toks, i + 1, j, lex, gaz, accented)
        return self._scan(text, low, folded, toks, i, j, lex, gaz, accented)

    def _scan(self, text, low, folded, toks, i, j, lex, gaz, accented) -> Span | None:
        """The first name in a run without a leading cue: a cue inside the run ("Vietcombank
        Ông Trần Văn Bình", "… CẤP LẠI THẺ CHO ÔNG LÊ VĂN TÁM"), or a bare surname-first
        name. Title-case runs try their first surname (and one right after a place: "xã Tân
        Tiến Nguyễn Văn A"); an accented ALL-CAPS run (a heading holds words like LẠI, KỶ,
        PHÍ) tries each surname. A failed candidate does not end the scan. Each attempt
        reads at most a few tokens, so the scan stays linear."""
        upper = accented and text[toks[i].start:toks[j - 1].end].isupper()
        cue_last = self._cue_last
        tried = False
        for k in range(i, j):
            tok = toks[k]
            if k > i and k + 1 < j and (tok.text.lower() if accented else tok.folded) in cue_last \
                    and (self._surname_at(toks, k + 1, j, lex) or toks[k + 1].initials):
                cue = self._cue_before(text, low, folded, toks[k + 1].start, accented)
                if cue and toks[k + 1].initials:
                    return Span(toks[k + 1].start, toks[k + 1].end, 0.85,
                                f"person:{cue}+initials", True)
                if cue:
                    span = self._after_cue(text, toks, k + 1, j, cue, lex, gaz, accented)
                    if span is not None:
                        return span
                    continue
            if tok.text == "Y" or (("'" in tok.text or "’" in tok.text)
                                   and _ETHNIC_PREFIX.fullmatch(tok.text)):
                span = self._ethnic_at(text, toks, k, j, lex, gaz, accented)
                if span is not None:
                    return span
            if k + 1 >= j or not self._surname_at(toks, k, j, lex):
                continue
            # After the first surname, an ALL-CAPS heading tries the others, each with its
            # own accents ("ỦY BAN NHÂN DÂN" holds no Bàn), no office word (PHÓ), and
            # after a linking word ("… CHO LÊ VĂN TÁM"): inside a heading a surname is
            # mostly a syllable of a word ("XỬ PHẠT VI PHẠM HÀNH CHÍNH").
            if tried and not (k - i <= gaz.max_words and gaz.is_place(
                    " ".join(t.folded for t in toks[i:k]))) and (
                    not upper or self._stopword(tok, accented) or not (
                        tok.text.lower() in lex.exact_surnames
                        or self._compound_len(toks, k, j, lex))
                    or toks[k - 1].folded not in _LINKS):
                continue
            tried = True
            if self._is_trap_word(tok, accented) and not _middle_after(toks, k, j):
                continue
            span = self._bare_at(text, toks, k, j, lex, gaz, accented)
            if span is not None:
                return span
        return None

    def _ethnic_at(self, text, toks, k, j, lex, gaz, accented) -> Span | None:
        """Ê Đê / Gia Rai order: "Y" (men) or an H'-name (women), given syllables, then a
        clan name that closes the name ("Y Bhin Niê", "H'Hen Ksor", "Y Kông Rơ Mah")."""
        first = toks[k]
        low_end = k + 2 if first.text == "Y" else k + 1
        for e in range(k + 1, min(j, k + 5)):
            tok = toks[e]
            if tok.initials or not tok.capital or self._stopword(tok, accented) \
                    or not tok.text.replace("'", "").replace("’", "").isalpha():
                return None
            if e < low_end:
                continue
            n = 2 if e + 1 < j and f"{tok.folded} {toks[e + 1].folded}" in _CLANS else (
                1 if tok.folded in _CLANS else 0)
            if not n:
                continue
            if self._trap_before(toks, k, text, accented):
                return None
            return Span(first.start, toks[e + n - 1].end, 0.75, "person:ethnic", True)
        return None

    def _after_cue(self, text, toks, i, j, cue, lex, gaz, accented) -> Span | None:
        if cue == "title" and i + 1 < j and toks[i].folded in _DEGREES:
            i += 1  # "BS.CKII Trần …", "BS. CK1 Lê …": the specialist grade, then the name
        first = toks[i]
        if cue == "honorific":
            # "đ/c Bí thư Tỉnh ủy", "ông Giám Đốc Trần Văn B": the office, then maybe a name.
            skip = self._title_len(text, toks, i, j, accented)
            if skip:
                i += skip
                if i >= j or toks[i].initials:
                    return None
                return self._after_cue(text, toks, i, j, "title", lex, gaz, accented)
        if first.text == "Y" or _ETHNIC_PREFIX.fullmatch(first.text):
            span = self._ethnic_at(text, toks, i, j, lex, gaz, accented)
            if span is not None:
                return Span(span.start, span.end, 0.85, f"person:{cue}", True)
        if _org_unit(text, first) or (
                self._is_trap_word(first, accented) and not _middle_after(toks, i, j)) or (
                self._is_cue_word(first, accented) and not
                                                   self._ong_surname(toks, i, j, lex, accented,
                                                                     outer=True)):
            return None  # "Ông Bà ta", "ông Đường …"
        if self._surname_at(toks, i, j, lex) and i + 1 < j:
            end = self._name_from(toks, i, j, lex, accented)
        elif cue == "honorific" and self._nameish(first, lex, accented, strict=False):
            end = i + 1
            while end < j and end - i < 3 and self._nameish(toks[end], lex, accented,
                                                            strict=False):
                end += 1
        elif cue == "honorific" and lex.surname_word(first.text, first.folded):
            end = i + 1  # "bà Mai", "anh Hà"
        else:
            return None
        if len(first.text) > 1 and first.folded not in _ETHNIC_SURNAMES \
                and text[first.start:toks[end - 1].end].isupper():
            # In capitals every word looks like a name ("… CÔNG CHỨC VIÊN CHỨC LẠI KỶ …"):
            # after a surname, a second surname that is no given name ends the name;
            # without a surname, every syllable must be a known name.
            if self._surname_at(toks, i, end, lex):
                for k in range(i + (self._compound_len(toks, i, end, lex) or 1), end):
                    if lex.surname_word(toks[k].text, toks[k].folded) and not \
                            lex.known_word(toks[k].text, toks[k].folded):
                        if k == i + 1:
                            return None  # "… VIÊN CHỨC LẠI KỶ PHÍ": a heading, no name
                        if k + 1 < end:  # a last syllable is the given name ("VŨ ĐÌNH KHƯƠNG")
                            end = k
                        break
            elif end - i < 2 or not all(lex.known_word(t.text, t.folded) for t in toks[i:end]):
                return None  # one capitalised syllable ("… VIÊN CHỨC NĂM 2025") is a word
        if end - i < 2 and cue == "title":
            return None
        if end - i >= 2 and " ".join(t.folded for t in toks[i:end]) in self._cue_words:
            return None  # a list of roles: "cán bộ, Công Chức, Viên Chức"
        name = " ".join(t.folded for t in toks[i:end])
        # A public figure's name stays in prose and after titles ("Chủ tịch Hồ Chí Minh"),
        # but "ông Phạm Văn Đồng ở phòng tôi" is a colleague: honorifics mark a person.
        kept = self._is_kept(name) and cue != "honorific"
        if kept or gaz.is_province(name) or (end - i >= 2 and gaz.is_place(name)
                                                           and not lex.surname_word(first.text, first.folded)):
            return None
        # "Bác Hồ", "Cô Tô", "Anh Sơn": the cue and the name together may be a figure or a
        # place. A place is written with its first word capitalised, and is not called
        # ("anh Sơn gửi", "Anh Dũng ơi" are people).
        if i > 0 and not text[toks[i - 1].end:first.start].strip():
            joined = f"{toks[i - 1].folded} {name}"
            exact = " ".join(t.text.lower() for t in toks[i - 1:end])
            if self._is_kept(joined) or (
                    toks[i - 1].capital and not _VOCATIVE.match(text, toks[end - 1].end)
                    and (gaz.is_exact_place(exact) if accented else gaz.is_place(joined))):
                return None
        return Span(first.start, toks[end - 1].end, 0.85, f"person:{cue}", True)

    def _bare_at(self, text, toks, start, j, lex, gaz, accented) -> Span | None:
        end = self._name_from(toks, start, j, lex, accented)
        size = end - start
        if size < 2:
            return None
        name_toks = toks[start:end]
        # Title case or upper case, not a mix of the two inside the name.
        if len({t.text.isupper() for t in name_toks if len(t.text) > 1}) > 1:
            return None
        if accented and not _accents_agree(name_toks, lex):
            return None
        # The score first (set look-ups), the costlier trap and place checks after.
        surname = name_toks[0].folded
        n_sur = self._compound_len(toks, start, end, lex) or 1
        if n_sur == size and lex.surname_word(name_toks[0].text, surname):
            n_sur = 1  # "Nguyễn Phúc" is Nguyễn + Phúc unless more follows
        rest = name_toks[n_sur:]
        if not rest:
            return None
        known = sum(1 for t in rest if lex.known_word(t.text, t.folded) or len(t.text) == 1)
        homograph = surname in lex.homographs
        clan = not homograph and " ".join(t.folded for t in name_toks[:n_sur]) in _CLANS
        reason = "person:lexicon"
        if clan and known < len(rest):
            # Gia Rai order, clan first ("Ksor Nhưm", "Rơ Châm H'Yim"): the given names are
            # not Kinh syllables, and the clan names are no everyday words.
            score, reason = 0.6, "person:ethnic"
        elif known == len(rest):
            if size >= 3:
                score = 0.7 if homograph else 0.8
            elif homograph:
                return None
            else:
                score = 0.6
        elif size >= 3 and not homograph and known >= len(rest) - 1 and accented:
            score = 0.6
        else:
            return None
        if self._trap_before(toks, start, text, accented):
            return None
        name = " ".join(t.folded for t in name_toks)
        exact = " ".join(t.text.lower() for t in name_toks)
        if self._is_kept(name) or (gaz.is_exact_place(exact) if accented else gaz.is_place(name)):
            return None
        return Span(name_toks[0].start, name_toks[-1].end, score, reason, True)

_INITIALS = regex.compile(r"\p{Lu}(?:\.\p{Lu}){1,4}\.?")
# A unit of an organisation after a role ("chuyên viên Văn phòng", "viên chức Trung tâm",
# "cán bộ Đội Cảnh sát", "Phó Chánh Thanh tra"): its first word is also a name syllable.
_ORG_UNITS = frozenset({"van phong", "trung tam", "thanh tra", "chanh van", "chanh thanh",
                        "chanh an", "ban quan", "ban chi", "cong an", "uy ban", "dang uy",
                        "chi bo", "chi cuc", "bo phan", "quan ly", "thuong truc", "hanh chinh",
                        "ke hoach", "tai chinh", "to chuc", "kinh te", "dan toc", "tu phap",
                        "quoc phong", "nong nghiep", "giao duc", "van hoa", "y te"})
_ORG_FIRST = frozenset({"doi"})
_NEXT_WORD = regex.compile(r" ([\p{L}\p{M}]+)")


def _org_unit(text: str, tok: _Tok) -> bool:
    if tok.folded in _ORG_FIRST:
        return True
    nxt = _NEXT_WORD.match(text, tok.end)
    return nxt is not None and f"{tok.folded} {fold(nxt.group(1))}" in _ORG_UNITS


def _middle_after(toks: list[_Tok], k: int, j: int) -> bool:
    """A place word that is also a surname ("Lăng", "Đường") opens a name when "Văn" or
    "Thị" and a given name follow it capitalised ("ông Lăng Văn Tú"): no place is named so."""
    return k + 2 < j and toks[k + 1].capital and toks[k + 1].folded in ("van", "thi") \
        and toks[k + 2].capital


def _run_tokens(text: str, folded: str, start: int, end: int) -> list[_Tok]:
    """Tokens of a capitalised run: its words are separated by spaces only."""
    out, pos = [], start
    for word in text[start:end].split(" "):
        if word:
            out.append(_Tok(pos, pos + len(word), word, folded[pos:pos + len(word)],
                            initials="." in word and _INITIALS.fullmatch(word) is not None))
        pos += len(word) + 1
    return out


def _prev_word(s: str, end: int) -> str:
    """The word right before ``end``, past the punctuation a cue may carry ("Ông/Bà: ",
    "(anh ")."""
    window = s[max(0, end - 24):end].rstrip(" \t:,(")
    return window[max(window.rfind(" "), window.rfind("\t"), window.rfind("\n")) + 1:] \
        .lstrip(_OPENERS)


# A particle that calls the person just named ("Anh Sơn ơi", "chị Hà ạ").
_VOCATIVE = regex.compile(r"[ ]+(?:ơi|ạ|oi)(?![\p{L}])", regex.IGNORECASE)
_OPENERS = "([{\"'“‘«"


def _drop_nested(spans) -> list[Span]:
    """Keep the strongest of spans that overlap (label beats lexicon on the same name).

    Kept spans are disjoint, so one bisect on their sorted starts finds the only two
    neighbours that could overlap a candidate."""
    ordered = sorted(spans, key=lambda s: (-(s.score or 0), -(s.end - s.start), s.start))
    starts: list[int] = []
    kept: list[Span] = []
    for span in ordered:
        index = bisect.bisect_left(starts, span.start)
        if index > 0 and kept[index - 1].end > span.start:
            continue
        if index < len(kept) and kept[index].start < span.end:
            continue
        starts.insert(index, span.start)
        kept.insert(index, span)
    return kept
