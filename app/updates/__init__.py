"""Signed rule-pack updates, IT policy and usage counts (Qt-free).

    from app.updates import Updater, status
    result = Updater().check_now()      # on a worker thread
    status().active_version, status().expired_warning, status().error_text("vi")

``app.updates.store.active_pack_dir()`` is what the engine calls to find its pack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .updater import CheckResult, UpdateLoop, Updater, UpdateStatus

__all__ = ["CheckResult", "UpdateLoop", "UpdateStatus", "Updater", "status"]


def status():
    from .updater import status as _status

    return _status()


def __getattr__(name: str):
    # Imported lazily: the engine imports app.updates.store at start-up and must stay cheap.
    if name in {"CheckResult", "Updater", "UpdateLoop", "UpdateStatus"}:
        from . import updater

        return getattr(updater, name)
    raise AttributeError(name)
