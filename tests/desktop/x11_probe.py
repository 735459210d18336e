"""Run under Xvfb by test_x11.py: another process (xclip) copies, we offer, we write back.

Prints one line per check; exits non-zero on the first failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "xcb"
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from desktop_samples import CCCD, DATA  # noqa: E402


def main() -> int:
    from app.desktop import analysis
    from app.desktop.clipboard import MARKER
    from app.desktop.qt import QApplication, QEventLoop, QTimer
    from app.desktop.tray import TrayApp
    from app.engine import Engine, PlaceholderMap
    from app.engine.rules import default_pack_dir
    from app.settings import Settings

    analysis.placeholder_map_factory = PlaceholderMap
    app = QApplication(["x11-probe"])
    engine = Engine.from_folders([default_pack_dir(), DATA / "marks-pack"])
    tray = TrayApp(Settings(policy={}), show_tray=False, engine_factory=lambda _s: engine)
    tray.start()
    tray.runner.wait(60_000)

    def wait(signal, ms=15_000):
        got = []
        loop = QEventLoop()
        signal.connect(lambda *a: (got.append(a), loop.quit()))
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        return got

    xclip = subprocess.Popen(["xclip", "-selection", "clipboard", "-i"], stdin=subprocess.PIPE)
    xclip.communicate(f"Số CCCD {CCCD} của ông Bình".encode())
    got = wait(tray.analysis_ready)
    if not got or got[0][0].verdict != "redacted":
        print("FAIL: external copy not analysed")
        return 1
    print("ok external copy seen")
    tray.popup.button("copy").click()
    app.processEvents()
    def read(*extra: str) -> str:
        # We own the selection: keep our event loop turning while xclip asks us for it.
        proc = subprocess.Popen(["xclip", "-selection", "clipboard", "-o", *extra],
                                stdout=subprocess.PIPE)
        import time

        deadline = time.monotonic() + 10
        while proc.poll() is None and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        return proc.stdout.read().decode() if proc.returncode == 0 else ""

    text = read()
    targets = read("-t", "TARGETS")
    if CCCD in text or "[CCCD_1]" not in text or MARKER not in targets:
        print("FAIL: safe copy not seen by other processes")
        return 1
    print("ok safe copy seen by xclip with marker")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
