"""Names that letters and chats place by layout, not by a cue word before them.

- a greeting opening a line, with its comma: ``Chào Hạnh,``, ``Hi Tuấn,``, ``Dear Minh,``;
- the line after a closing (blank lines between, as Word paragraphs arrive), or the
  same line after its comma: ``Trân trọng,`` / ``Best regards,`` then ``Ngọc Anh``, a role
  after a dash allowed (``Mai Anh - IT Helpdesk``);
- the speaker of an exported chat line: ``[21:04, 3/11/2025] Thảo Vy: …``;
- a chat mention: ``@Linh``, ``@Trần Minh Khoa``.

Greetings and closings name people by their given names, so every word must be a known
name syllable (``Chào Phòng Kế toán,`` names no one). A chat speaker's name is whatever
the app shows: Vietnamese or Latin syllables, one of them a known name.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..lexicon.names import NameLexicon, is_syllable

_NAME = r"(?P<name>\p{Lu}[\p{Ll}\p{M}]*(?:[ ]\p{Lu}[\p{Ll}\p{M}]*){0,3})"
_GREETING = regex.compile(
    r"(?m)^[ \t]*(?i:hi|hello|hey|dear|chào|xin chào|thân gửi|thân chào|kính chào)[ \t]+"
    + _NAME + r"[ \t]*[,:]")
_CLOSE = (r"(?i:trân trọng|thân|thân ái|thân mến|kính thư|cảm ơn|cám ơn|xin cảm ơn|thanks|"
          r"thank you|many thanks|best|regards|best regards|kind regards|warm regards|cheers)")
_CLOSING = regex.compile(
    rf"(?m)^[ \t]*{_CLOSE}(?:[ \t]*[,.!]?[ \t]+{_CLOSE})?[ \t]*[,.!]?"
    r"[ \t]*(?:\r?\n[ \t]*){1,3}(?:[-–—]+[ \t]*)?" + _NAME
    + r"[ \t]*(?:\.|[-–—|(,][^\n]*)?[ \t]*(?=\r?\n|$)")
# Closing and name on one line: "Trân trọng, Hạnh - Kế toán", "Thanks, Minh".
_CLOSING_INLINE = regex.compile(
    rf"(?m)^[ \t]*{_CLOSE}[ \t]*,[ \t]+" + _NAME
    + r"[ \t]*(?:[-–—|(][^\n]*)?\.?[ \t]*(?=\r?\n|$)")
# Not an e-mail's domain: nothing word-like right before the "@".
_MENTION = regex.compile(r"(?<![\w.@+-])@" + _NAME + r"(?![\p{L}\p{M}\d.@-])")
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[ ]?(?i:AM|PM|SA|CH))?"
_DATE = r"\d{1,2}/\d{1,2}(?:/\d{2,4})?"
_CHAT = regex.compile(
    rf"(?m)^[ \t]*\[?(?:{_DATE},?[ ]+)?{_TIME}(?:,?[ ]+{_DATE})?\]?[ \t]*-?[ \t]*"
    + _NAME.replace("{0,3}", "{0,4}") + r":[ \t]")


def letter_names(text: str, folded: str, lex: NameLexicon) -> Iterator[tuple[int, int, str]]:
    """(start, end, reason) of each name placed by a greeting, a closing or a chat line;
    ``folded`` is ``fold(text)``."""
    for rx, reason in ((_GREETING, "person:greeting"), (_CLOSING, "person:closing"),
                       (_CLOSING_INLINE, "person:closing")):
        for match in rx.finditer(text):
            if all(lex.known_word(w, f) for w, f in _words(match, folded)):
                yield match.start("name"), match.end("name"), reason
    if "@" in text:
        for match in _MENTION.finditer(text):
            words = _words(match, folded)
            if all(lex.known_word(w, f) or lex.surname_word(w, f) for w, f in words) and \
                    any(lex.known_word(w, f) for w, f in words):
                yield match.start("name"), match.end("name"), "person:mention"
    if ":" in text:
        for match in _CHAT.finditer(text):
            words = _words(match, folded)
            if all(is_syllable(f) for _, f in words) and any(
                    lex.known_word(w, f) or lex.surname_word(w, f) for w, f in words):
                yield match.start("name"), match.end("name"), "person:chat"


def _words(match, folded: str) -> list[tuple[str, str]]:
    start = match.start("name")
    out = []
    for word in _WORD.finditer(match.group("name")):
        a, b = start + word.start(), start + word.end()
        out.append((word.group(), folded[a:b]))
    return out


_WORD = regex.compile(r"\S+")
