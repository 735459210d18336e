"""Messages in Vietnamese (the source language) with an English catalogue.

One mechanism for the tray app and the CLI: mark a string with ``_()`` where it is shown
(``N_()`` where it is defined at import time and translated later). The Vietnamese text
*is* the message id, so a missing English entry falls back to Vietnamese, never to an
empty string. The English catalogue is a plain JSON file (``resources/translations/en.json``,
Vietnamese -> English) that a translator can edit without a toolchain.

Usage::

    from app.i18n import _, set_language
    set_language("en")
    print(_("Đã che {n} mục").format(n=3))
"""

from __future__ import annotations

import json
import os
import threading
from functools import lru_cache
from pathlib import Path

SOURCE_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")

_lock = threading.Lock()
_language = SOURCE_LANGUAGE


def catalogue_path(language: str) -> Path:
    from app.paths import resources_dir

    return resources_dir() / "translations" / f"{language}.json"


@lru_cache(maxsize=4)
def load_catalogue(language: str) -> dict[str, str]:
    """The message table for ``language`` (empty for the source language or a broken file)."""
    if language == SOURCE_LANGUAGE:
        return {}
    try:
        with catalogue_path(language).open(encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str) and v}


def normalise_language(code: str | None) -> str:
    """'en_US.UTF-8' -> 'en'; anything unknown -> Vietnamese."""
    if not code:
        return SOURCE_LANGUAGE
    short = code.replace("-", "_").split("_")[0].split(".")[0].lower()
    return short if short in LANGUAGES else SOURCE_LANGUAGE


def set_language(code: str | None) -> str:
    """Switch every later ``_()`` call to ``code``; returns the language actually used."""
    global _language
    with _lock:
        _language = normalise_language(code)
        return _language


def language() -> str:
    return _language


def initial_language(setting: str | None = None) -> str:
    """GIUKIN_LANG (for scripts and tests) beats the saved setting; default Vietnamese."""
    return normalise_language(os.environ.get("GIUKIN_LANG") or setting)


def _(message: str) -> str:
    """Translate ``message`` (Vietnamese) into the current language."""
    if _language == SOURCE_LANGUAGE:
        return message
    return load_catalogue(_language).get(message, message)


def N_(message: str) -> str:  # noqa: N802  (gettext's conventional name)
    """Mark ``message`` for translation without translating it now (import-time strings)."""
    return message

