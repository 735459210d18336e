"""Rule-pack updates in the tray: poll in the background, switch engines when IT's new
pack is installed, and flush the usage counts on quit.

The updater (``app.updates``) is Qt-free and runs on its own daemon thread; a finished
check crosses to the UI thread through a signal, where the engine is rebuilt in the
background like at start-up.
"""

from __future__ import annotations

import logging

from .qt import QApplication, QObject, Signal

log = logging.getLogger(__name__)


class UpdateBridge(QObject):
    checked = Signal(str)  # the check's outcome, delivered on the UI thread

    def __init__(self, tray) -> None:
        super().__init__(tray)
        self.tray = tray
        self.loop = None
        self.checked.connect(self._on_checked)

    def start(self, updater=None, first_delay: float | None = None) -> None:
        from app.updates.updater import UpdateLoop, Updater

        updater = updater or Updater()
        updater.subscribe(lambda result: self.checked.emit(result.outcome))
        self.loop = UpdateLoop(updater, first_delay=first_delay)
        self.loop.start()

    def stop(self) -> None:
        if self.loop is not None:
            self.loop.stop()
            self.loop = None
        try:
            from app.updates.usage import flush

            flush()
        except Exception:  # noqa: BLE001 - quitting must not fail on counters
            log.warning("usage counts not flushed")

    def _on_checked(self, outcome: str) -> None:
        from app.engine import reset_default_engine
        from app.updates.updater import INSTALLED

        if outcome == INSTALLED and not getattr(self.tray, "_closed", False):
            log.info("new rule pack installed: rebuilding the engine")
            reset_default_engine()
            self.tray.engine_host.start()
        self.tray._refresh_status()


def install(tray, *, start: bool = True) -> UpdateBridge:
    """Poll only where a source is configured (IT policy or settings); a source set later
    starts the loop then. Without one there is nothing to poll, and no thread runs."""
    bridge = UpdateBridge(tray)

    def maybe_start(name: str = "rule_source") -> None:
        if name == "rule_source" and bridge.loop is None and tray.settings.get("rule_source"):
            bridge.start()

    if start:
        maybe_start()
        tray.settings.subscribe(maybe_start)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(bridge.stop)
    tray.update_bridge = bridge
    return bridge
