"""Administrative-unit names (resources/gazetteer/vn_admin.json, built by
tools/build_gazetteer.py): the 34 provinces and 3,321 communes of the 2025 two-level
system plus the former provinces, districts and wards, for address parsing and for telling
"Thái Bình" the province from a person.

Lookups are on the folded form (``ha noi``); ``max_words`` bounds the longest-match scan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from app.paths import resources_dir

from ..textutil import fold_phrase


@dataclass(frozen=True)
class Gazetteer:
    provinces: frozenset[str]   # current and former provinces, folded
    units: frozenset[str]       # every unit name of any level, folded
    max_words: int
    exact: frozenset[str] = frozenset()  # every unit name, lower case with accents

    def is_exact_place(self, lowered: str) -> bool:
        return lowered in self.exact

    def is_place(self, folded: str) -> bool:
        return folded in self.units

    def is_province(self, folded: str) -> bool:
        return folded in self.provinces


def _key(name: str) -> str:
    return " ".join(fold_phrase(name).split())


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    path = resources_dir() / "gazetteer" / "vn_admin.json"
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    current, legacy = data["current"], data["legacy"]
    provinces = {_key(row[0]) for row in current["provinces"] + legacy["provinces"]}
    provinces |= {"ho chi minh", "tp hcm", "hcm", "tphcm", "sai gon", "hue", "thua thien hue"}
    units = set(provinces)
    for part in (current["communes"], legacy["districts"], legacy["wards"]):
        units.update(_key(row[0]) for row in part)
    units.discard("")
    exact = {" ".join(row[0].lower().split()) for part in (
        current["provinces"], current["communes"], legacy["provinces"], legacy["districts"],
        legacy["wards"]) for row in part}
    return Gazetteer(frozenset(provinces), frozenset(units),
                     max(len(u.split()) for u in units), frozenset(exact))
