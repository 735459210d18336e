"""Vietnamese name lexicons (resources/names/*.txt) and syllable checks (spec §4).

Every lookup is on the accent-stripped lower-case form (``textutil.fold``), so
``Nguyễn``, ``NGUYỄN`` and ``Nguyen`` are one surname. Homograph surnames (``Mai``,
``Hà``, ``Cao``…) are marked ``*`` in the file: bare, they need more evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from app.paths import resources_dir

from ..textutil import fold_phrase

# Onset + vowel nucleus + coda of a Vietnamese syllable, on the folded form. English
# words (Smith, Peter, Mary) and acronyms (UBND, THPT) fail it.
_SYLLABLE = regex.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:[aeiouy]{1,3})(?:ng|nh|ch|[cmnpt])?"
)


def is_syllable(folded: str) -> bool:
    return bool(_SYLLABLE.fullmatch(folded))


@dataclass(frozen=True)
class NameLexicon:
    surnames: frozenset[str]          # single-syllable surnames, folded
    compound_surnames: frozenset[str]  # "ton that", "ro cham"…
    homographs: frozenset[str]        # surnames that are also common words
    middle: frozenset[str]
    given: frozenset[str]
    famous: frozenset[str]            # folded full names kept in prose
    exact_surnames: frozenset[str] = frozenset()  # lower case with accents
    exact_names: frozenset[str] = frozenset()     # middle and given, lower case with accents

    def known(self, folded: str) -> bool:
        """A syllable used as a middle or given name."""
        return folded in self.given or folded in self.middle

    def is_surname(self, folded: str) -> bool:
        return folded in self.surnames

    # Token-level checks: a word written with accents must match with its accents
    # ("Trường" is not "Trương", "Đông" not "Đồng"); an unaccented word matches folded.
    def surname_word(self, word: str, folded: str) -> bool:
        if word.isascii():
            return folded in self.surnames
        return word.lower() in self.exact_surnames

    def known_word(self, word: str, folded: str) -> bool:
        if word.isascii():
            return self.known(folded)
        return word.lower() in self.exact_names


def _exact(word: str) -> str:
    """Lower case with the engine's tone placement (it rewrites "hoà"/"hòa" to one form)."""
    from ..normalize import normalize

    return normalize(word).text.lower()


def _lines(name: str) -> list[str]:
    path = resources_dir() / "names" / name
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


@lru_cache(maxsize=1)
def lexicon() -> NameLexicon:
    surnames, compound, homographs = set(), set(), set()
    exact_surnames: set[str] = set()
    for line in _lines("surnames.txt"):
        homograph = line.endswith(" *")
        name = fold_phrase(line.removesuffix(" *").strip())
        if " " in name:
            compound.add(name)  # its first word counts only when listed on its own
        else:
            surnames.add(name)
            exact_surnames.add(_exact(line.removesuffix(" *").strip()))
        if homograph:
            homographs.add(name)
    middle = {fold_phrase(w) for w in _lines("middle_names.txt")}
    given = {fold_phrase(w) for w in _lines("given_names.txt")}
    famous = {" ".join(fold_phrase(w).split()) for w in _lines("public_figures.txt")}
    exact = {_exact(w) for w in _lines("middle_names.txt") + _lines("given_names.txt")}
    return NameLexicon(frozenset(surnames), frozenset(compound), frozenset(homographs),
                       frozenset(middle), frozenset(given), frozenset(famous),
                       frozenset(exact_surnames), frozenset(exact))
