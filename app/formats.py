"""The Office file types Giữ Kín takes, in one place.

No heavy imports: the CLI and the tray sort paths by type before the engine is loaded.
Templates (.dotx/.xltx and their macro forms) are the same packages as documents.
"""

from __future__ import annotations

from pathlib import PurePath

WORD_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
OFFICE_SUFFIXES = WORD_SUFFIXES + EXCEL_SUFFIXES
# What a macro-enabled file becomes once its macros are removed.
MACRO_FREE_SUFFIX = {".docm": ".docx", ".dotm": ".dotx", ".xlsm": ".xlsx", ".xltm": ".xltx"}


def is_office(path: str | PurePath) -> bool:
    return str(path).lower().endswith(OFFICE_SUFFIXES)
