"""Text normalisation before matching (spec §2), with a map back to the user's text.

Steps: Unicode NFC; zero-width characters removed; NBSP and thin spaces to a space;
``Ð``/``Ɖ`` look-alikes to ``Đ``; legacy VNI/TCVN3 lines converted; old/new tone placement
made uniform (``hoà``/``hòa``). Every character of the result knows the index of the
original character it came from, so findings are reported on the original text.

Fast path: clean NFC text with none of the above (the usual case) is used as is and
needs no map at all.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from .legacy import convert_legacy_line, looks_legacy

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = "\u00a0\u2007\u2009\u202f\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u3000"
_TRANSLATE = {ord(c): " " for c in _SPACES}
_TRANSLATE.update({0x00D0: "Đ", 0x0189: "Đ", 0x0111: "đ"})
_SUSPECT = regex.compile(
    "[" + _ZERO_WIDTH + _SPACES + "\u00d0\u0189" + "]|[\u00f8\u00f6\u00d1\u00f1\u00a8\u00a9"
    "\u00aa\u00ab\u00ac\u00ae\u00b5\u00b8\u00b9]"
)

_ASCII_RUN = regex.compile(r"[\x00-\x7f]+")

# Tone marks that move between the vowels of oa/oe/uy (see _fix_tones).
_TONES = "\u0300\u0301\u0303\u0309\u0323"


@dataclass
class NormText:
    original: str
    text: str
    # index in ``text`` -> index in ``original``; None when the two are identical.
    index_map: list[int] | None = None
    legacy: str | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.index_map is None:
            return start, end
        imap = self.index_map
        orig_start = imap[start] if start < len(imap) else len(self.original)
        if end <= 0:
            return orig_start, orig_start
        last = imap[end - 1] if end - 1 < len(imap) else len(self.original) - 1
        # Extend to the end of the original character(s) the last index came from.
        orig_end = imap[end] if end < len(imap) else len(self.original)
        return orig_start, max(orig_end, last + 1)


def normalize(original: str) -> NormText:
    # Every character the steps below change is outside ASCII.
    if original.isascii():
        return NormText(original, original)
    if unicodedata.is_normalized("NFC", original) and not _SUSPECT.search(original) \
            and not _has_old_tones(original):
        return NormText(original, original)
    return _slow_normalize(original)


def _has_old_tones(text: str) -> bool:
    # Both patterns need one of their vowel pairs: a cheap search rules most texts out.
    return bool(_TONE_PAIR.search(text)) and bool(_OPEN.search(text) or _CLOSED.search(text))


def _slow_normalize(original: str) -> NormText:
    out: list[str] = []
    imap: list[int] = []
    legacy_kind = None
    # Work line by line so legacy detection is local (a paste can mix encodings).
    pos = 0
    for line in original.splitlines(keepends=True):
        kind = looks_legacy(line)
        if kind:
            legacy_kind = legacy_kind or kind
            converted, cmap = convert_legacy_line(line, kind)
            size = min(len(converted), len(cmap))
            chars, indexes = converted[:size], [pos + offset for offset in cmap[:size]]
        elif unicodedata.is_normalized("NFC", line) and not _SUSPECT.search(line):
            # A clean line among dirty ones (one NBSP in a long document): copied whole.
            out.append(line)
            imap.extend(range(pos, pos + len(line)))
            pos += len(line)
            continue
        else:
            chars, indexes = line, range(pos, pos + len(line))
        _append_nfc(chars, indexes, out, imap)
        pos += len(line)
    text = "".join(out)
    text = _fix_tones(text)
    return NormText(original, text, imap, legacy_kind)


def _append_nfc(chars: str, indexes: Sequence[int], out: list[str], imap: list[int]) -> None:
    """NFC-compose cluster by cluster so each output char keeps an original index
    (``indexes[i]`` is the original index of ``chars[i]``)."""
    cluster: list[tuple[str, int]] = []

    def flush() -> None:
        if not cluster:
            return
        joined = "".join(c for c, _ in cluster)
        composed = unicodedata.normalize("NFC", joined)
        first = cluster[0][1]
        if len(composed) == len(cluster):
            for char, (_, index) in zip(composed, cluster):
                out.append(char)
                imap.append(index)
        else:
            for char in composed:
                out.append(char)
                imap.append(first)
        cluster.clear()

    pos, size = 0, len(chars)
    while pos < size:
        run = _ASCII_RUN.match(chars, pos)
        if run is not None and run.end() - pos > 1:
            # An ASCII character is a cluster of its own, unchanged, unless combining
            # marks follow it: copy all of the run but its last character at once.
            flush()
            last = run.end() - 1
            out.append(chars[pos:last])
            imap.extend(indexes[pos:last])
            pos = last
        char, index = chars[pos], indexes[pos]
        pos += 1
        if char in _ZERO_WIDTH:
            continue
        char = char.translate(_TRANSLATE)
        if unicodedata.combining(char) and cluster:
            cluster.append((char, index))
            continue
        flush()
        cluster.append((char, index))
    flush()


_TONE_OF = {}
for _base in "aeiouyăâêôơưAEIOUYĂÂÊÔƠƯ":
    for _mark in _TONES:
        _TONE_OF[unicodedata.normalize("NFC", _base + _mark)] = (_base, _mark)


def _retone(char: str, mark: str | None) -> str:
    base = _TONE_OF.get(char, (char, None))[0]
    return unicodedata.normalize("NFC", base + mark) if mark else base


_OPEN = regex.compile(
    r"(?<![\p{L}])([bcdđghklmnprstvxBCDĐGHKLMNPRSTVX]*)([oOuU])"
    r"([àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ])(?![\p{L}\p{M}])"
)
_CLOSED = regex.compile(r"([òóỏõọùúủũụÒÓỎÕỌÙÚỦŨỤ])([aAyY])(?=[nNcCtTpP])")
# The two adjacent vowels each of them needs.
_TONE_PAIR = regex.compile(
    r"[oOuU][àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ]|[òóỏõọùúủũụÒÓỎÕỌÙÚỦŨỤ][aAyY]")


def _fix_tones(text: str) -> str:
    """Old style everywhere: tone on the first vowel of open oa/oe/uy, on the second when
    a consonant follows. Length-preserving, so the index map stays valid."""
    chars = list(text)
    changed = False
    for match in _OPEN.finditer(text):
        first, second = match.start(2), match.start(3)
        mark = _TONE_OF.get(chars[second], (None, None))[1]
        if mark:
            chars[first] = _retone(chars[first], mark)
            chars[second] = _retone(chars[second], None)
            changed = True
    for match in _CLOSED.finditer(text):
        first, second = match.start(1), match.start(2)
        mark = _TONE_OF.get(chars[first], (None, None))[1]
        if mark:
            chars[first] = _retone(chars[first], None)
            chars[second] = _retone(chars[second], mark)
            changed = True
    return "".join(chars) if changed else text
