"""Start-up: settings and language, single instance, tray icon first, engine after."""

from __future__ import annotations

import logging
import os
import sys
import time
from logging.handlers import RotatingFileHandler

from app.i18n import initial_language, set_language

log = logging.getLogger("app.desktop")

# GIUKIN_STARTUP_PROBE=1 prints start-up timings to stderr and quits when the engine is
# ready (used by benchmarks/bench_desktop.py; no user data involved).
PROBE_ENV = "GIUKIN_STARTUP_PROBE"


def setup_logging() -> None:
    """Counts and rule ids only ever reach this log (never clipboard or file contents)."""
    from app.paths import user_data_dir

    folder = user_data_dir() / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(folder / "giukin.log", maxBytes=500_000,
                                                       backupCount=2, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("app")
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def run(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    argv = list(sys.argv if argv is None else argv) or ["giukin"]
    from app import settings as settings_module

    settings = settings_module.current()
    set_language(initial_language(settings.get("language")))
    setup_logging()

    from .qt import QApplication
    from .single import SingleInstance

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Giữ Kín")
    app.setQuitOnLastWindowClosed(False)
    instance = SingleInstance()
    if not instance.claim():
        log.info("another instance is running; asked it to show itself")
        return 0

    from .icons import app_icon
    from .tray import TrayApp

    app.setWindowIcon(app_icon("on"))
    tray = TrayApp(settings)
    instance.activated.connect(tray.show_running_instance)
    tray.start()
    tray_seconds = time.perf_counter() - started
    log.info("tray shown after %.3f s", tray_seconds)
    if tray.tray is None:
        # No system tray (some Linux desktops): the drop window is the app; closing it quits.
        app.setQuitOnLastWindowClosed(True)
        tray.show_drop_window()
    if os.environ.get(PROBE_ENV):
        _probe(tray, started, tray_seconds)
    try:
        return app.exec()
    finally:
        tray.shutdown()
        instance.close()


def _probe(tray, started: float, tray_seconds: float) -> None:
    from .qt import QApplication

    # Wall-clock stamps too, so a caller can measure from the moment it spawned us.
    print(f"tray_at {time.time():.4f}", file=sys.stderr, flush=True)

    def report(_engine=None) -> None:
        print(f"tray {tray_seconds:.4f}", file=sys.stderr)
        print(f"engine {time.perf_counter() - started:.4f}", file=sys.stderr)
        print(f"engine_at {time.time():.4f}", file=sys.stderr, flush=True)
        QApplication.quit()

    tray.engine_host.ready.connect(report)
    tray.engine_host.failed.connect(lambda _msg: QApplication.exit(3))
