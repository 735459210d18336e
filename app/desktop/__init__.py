"""The tray app (the only package that imports Qt, through ``app.desktop.qt``).

``app.desktop.main(argv)`` is what ``giukin`` with no arguments runs.
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from .app_main import run

    return run(argv)
