"""Checksums and structure checks, by name, for the rules' ``validator:`` field.

Each takes the matched text and returns True when the value is structurally possible.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

# GSO province codes (spec Appendix A): the first three digits of a CCCD.
CCCD_PROVINCES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 "
    "035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 "
    "070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
MST_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)

VALIDATORS: dict[str, Callable[[str], bool]] = {}


def validator(name: str):
    def wrap(func: Callable[[str], bool]) -> Callable[[str], bool]:
        VALIDATORS[name] = func
        return func

    return wrap


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@validator("cccd")
def cccd(text: str) -> bool:
    """12 digits: province code, century+gender digit 0-3, a birth year not in the future."""
    digits = digits_of(text)
    if len(digits) != 12 or digits[:3] not in CCCD_PROVINCES:
        return False
    century = digits[3]
    if century not in "0123":
        return False
    year = (1900 if century in "01" else 2000) + int(digits[4:6])
    return year <= datetime.date.today().year


@validator("mst")
def mst(text: str) -> bool:
    """Vietnamese tax code: 10 digits with a mod-11 check digit, optional -BBB branch."""
    digits = digits_of(text)
    if len(digits) == 13:
        if digits[10:] == "000":
            return False
        digits = digits[:10]
    if len(digits) != 10 or digits[2:9] == "0000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], MST_WEIGHTS))
    remainder = total % 11
    if remainder == 0:
        return False
    return (10 - remainder) == int(digits[9])


@validator("luhn")
def luhn(text: str) -> bool:
    digits = digits_of(text)
    if not 12 <= len(digits) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@validator("card")
def card(text: str) -> bool:
    """International cards must pass Luhn; NAPAS 9704 cards are accepted on shape alone
    (whether every 9704 card passes Luhn is unverified, spec §3.12)."""
    digits = digits_of(text)
    if digits.startswith("9704") and len(digits) in (16, 19):
        return True
    return luhn(digits)


@validator("not_repeated")
def not_repeated(text: str) -> bool:
    """Rejects 0000000000 / 1111111111 / 1234567890-style fillers."""
    digits = digits_of(text)
    if len(set(digits)) <= 2:
        return False
    return digits not in "0123456789012345678901234567890" and digits not in "9876543210987654321"


@validator("bhyt")
def bhyt(text: str) -> bool:
    """15-character health-insurance code: 2 letters, level 1-5, province, 10 digits."""
    compact = "".join(ch for ch in text if ch.isalnum())
    return len(compact) == 15 and compact[:2].isalpha() and compact[2] in "12345" \
        and compact[3:].isdigit()
