"""Where shipped data lives (source tree or PyInstaller bundle) and where user data goes."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def bundle_root() -> Path:
    """The folder holding ``rules/`` and ``resources/``: the repo, or the frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def rules_dir() -> Path:
    return bundle_root() / "rules"


def resources_dir() -> Path:
    return bundle_root() / "resources"


def user_data_dir() -> Path:
    """Per-user state (vault, installed rule packs, usage counts). GIUKIN_HOME overrides (tests)."""
    override = os.environ.get("GIUKIN_HOME")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("GiuKin", appauthor=False))
