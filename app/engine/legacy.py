"""Legacy Vietnamese encodings that reach the clipboard as mojibake (spec §2 step 3).

Text typed in VNI-Windows fonts arrives as a base letter followed by a Latin-1 "modifier"
(``Buøi`` = Bùi, ``Ñoã`` = Đỗ, ``Döông`` = Dương); TCVN3 (.VnTime) text arrives as one
Latin-1 character per Vietnamese letter (``Tr\u00a7\u00eang`` style). Both tables below were
written for this project from the published character layouts.
"""

from __future__ import annotations

import unicodedata

import regex

# VNI: vowel + modifier -> diacritics to add (combining marks).
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
# Modifiers after a/e/o (and their capitals) in VNI-Windows.
_VNI_MODS_LOWER = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK,
    "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}
_VNI_MODS = dict(_VNI_MODS_LOWER)
_VNI_MODS.update({k.upper(): v for k, v in _VNI_MODS_LOWER.items()})
# Single characters with their own meaning in VNI.
_VNI_SINGLE = {
    "ö": "ư", "Ö": "Ư", "ô": "ơ", "Ô": "Ơ", "ñ": "đ", "Ñ": "Đ",
    "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
    "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị",
}
# Breve modifiers only combine with "a"; circumflex with a/e/o.
_BREVE_OK = set("aA")
_CIRC_OK = set("aeoAEO")

# TCVN3 (ABC) lower-case table; upper-case plain letters are ASCII, and the few
# upper-case Vietnamese letters have their own codes.
_TCVN3 = dict(zip(
    "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢£¤¥¦§",
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂÊÔƠƯĐ",
    strict=True,
))

_VNI_PAIR = regex.compile(r"[aeiouyAEIOUYöÖôÔ][ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]")
_TCVN3_HINT = regex.compile("[µ¸¶·¹¨»¾¼½©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞß«¬\xad§]")
_REAL_VIETNAMESE = regex.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")  # â ê ô are VNI glyphs too


def looks_legacy(line: str) -> str | None:
    """'VNI', 'TCVN3' or None. Needs at least two tell-tale characters and no real
    Vietnamese letters on the line (French or German text has accents, not these pairs)."""
    if line.isascii() or _REAL_VIETNAMESE.search(line):
        return None
    vni = len(_VNI_PAIR.findall(line)) + sum(line.count(c) for c in "ñÑöÖ")
    tcvn = len(_TCVN3_HINT.findall(line))
    if vni >= 2 and vni >= tcvn:
        return "VNI"
    if tcvn >= 2:
        return "TCVN3"
    return None


def convert_legacy_line(line: str, kind: str) -> tuple[str, list[int]]:
    """Convert one line; returns the text and, per output char, its index in ``line``."""
    if kind == "TCVN3":
        return "".join(_TCVN3.get(ch, ch) for ch in line), list(range(len(line)))
    out: list[str] = []
    index: list[int] = []
    for pos, char in enumerate(line):
        mods = _VNI_MODS.get(char)
        if mods and out and _vni_accepts(out[-1], mods):
            out[-1] = unicodedata.normalize("NFC", unicodedata.normalize("NFD", out[-1]) + mods)
            continue
        out.append(_VNI_SINGLE.get(char, char))
        index.append(pos)
    return "".join(out), index


def _vni_accepts(previous: str, mods: str) -> bool:
    base = unicodedata.normalize("NFD", previous)[0]
    if base not in "aeiouyAEIOUY":
        return False
    if _BREVE in mods and base not in _BREVE_OK:
        return False
    if _CIRC in mods and base not in _CIRC_OK:
        return False
    return True
