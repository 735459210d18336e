"""One error type for every update failure, worded in Vietnamese and English.

The CLI prints both lines; the tray shows the one for the current language. A ``code``
lets tests and scripts tell failures apart without parsing text.
"""

from __future__ import annotations


class UpdateError(Exception):
    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(f"{vi} / {en}")
        self.code = code
        self.vi = vi
        self.en = en

    def text(self, language: str = "vi") -> str:
        return self.en if language == "en" else self.vi

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "vi": self.vi, "en": self.en}
