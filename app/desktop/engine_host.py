"""Loads the engine in the background so the tray icon appears first.

Importing presidio and building the analyzer takes about a second; the tray shows at
once and the engine arrives through ``ready``. Changing detection settings rebuilds it,
also in the background, on the same one-thread pool the analyses use, so an analysis
never sees a half-built engine.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.settings import Settings

from .qt import QObject, QTimer, Signal
from .tasks import Background

if TYPE_CHECKING:
    from app.engine import Engine

log = logging.getLogger(__name__)

# Options that change what the engine reports.
ENGINE_OPTIONS = {"redact_types", "required_types", "internal_mark_action", "allow_list"}


def build_engine(settings: Settings) -> Engine:
    """The engine under the user's and IT's detection settings."""
    from app.engine import Engine, Policy, default_engine
    from app.engine.core import active_pack_folders

    fields = settings.engine_policy_fields()
    if not any(fields.values()) and not settings.get("redact_types"):
        return default_engine()  # shared with every other user of the default engine
    engine = Engine.from_folders(active_pack_folders(), Policy(**fields))
    entities = {rule.entity for rule in engine.rules.values()}
    engine.policy.disabled = settings.engine_policy_fields(entities)["disabled"]
    return engine


class EngineHost(QObject):
    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, settings: Settings, runner: Background,
                 factory: Callable[[Settings], Any] = build_engine) -> None:
        super().__init__()
        self.settings, self.runner, self.factory = settings, runner, factory
        self.engine: Any = None
        self.error: str = ""
        self.load_seconds: float | None = None
        # Saving the settings dialog may change several detection options at once:
        # rebuild once, after the last of them.
        self._rebuild = QTimer(self)
        self._rebuild.setSingleShot(True)
        self._rebuild.setInterval(0)
        self._rebuild.timeout.connect(self.start)
        settings.subscribe(self._on_setting)

    def start(self) -> None:
        started = time.perf_counter()

        def work():
            # Assigned here, not in done(): the next queued analysis on this one-thread
            # pool may run before done() reaches the UI thread.
            self.engine = self.factory(self.settings)
            return self.engine

        def done(engine):
            self.error = ""
            self.load_seconds = time.perf_counter() - started
            log.info("engine ready in %.2f s (%s)", self.load_seconds, engine.version)
            self.ready.emit(engine)

        def fail(exc):
            self.error = str(exc) or type(exc).__name__
            log.error("engine failed to load: %s", type(exc).__name__)
            self.failed.emit(self.error)

        self.runner.run(work, done, fail)

    def _on_setting(self, name: str) -> None:
        if name in ENGINE_OPTIONS:
            self._rebuild.start()

    @property
    def version(self) -> str:
        return self.engine.version if self.engine is not None else ""
