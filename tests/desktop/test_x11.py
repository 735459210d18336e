"""A real window system: another process's copy reaches us and sees our safe copy.

Needs Xvfb (xvfb-run), xclip and the xcb libraries; skipped where they are missing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.mark.skipif(not (shutil.which("xvfb-run") and shutil.which("xclip")),
                    reason="needs xvfb-run and xclip")
def test_cross_process_copy_on_x11():
    proc = subprocess.run(["xvfb-run", "-a", sys.executable, str(HERE / "x11_probe.py")],
                          capture_output=True, text=True, timeout=180)
    if "could not connect to display" in proc.stderr or "xcb" in proc.stderr and proc.returncode:
        pytest.skip("xcb platform unavailable here")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    assert "ok external copy seen" in proc.stdout
    assert "ok safe copy seen by xclip with marker" in proc.stdout
