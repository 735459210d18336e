"""One message mechanism (Vietnamese source, English catalogue); Qt only in app/desktop."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import i18n

ROOT = Path(__file__).resolve().parents[2]


def marked_messages() -> set[str]:
    """Every literal passed to _() or N_() anywhere in app/."""
    found = set()
    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in {"_", "N_"} and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_every_desktop_message_has_an_english_translation():
    catalogue = json.loads((ROOT / "resources/translations/en.json").read_text(encoding="utf-8"))
    desktop = set()
    for path in list((ROOT / "app/desktop").rglob("*.py")) + [ROOT / "app/settings.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in {"_", "N_"} and isinstance(node.args[0], ast.Constant)):
                desktop.add(node.args[0].value)
    missing = sorted(m for m in desktop if m not in catalogue)
    assert not missing, missing
    for source, english in catalogue.items():
        # Placeholders must survive translation.
        assert set(_fields(source)) == set(_fields(english)), source


def _fields(message: str) -> list[str]:
    import string

    return [f for _lit, f, _spec, _conv in string.Formatter().parse(message) if f]


def test_switching_language(monkeypatch):
    try:
        assert i18n.set_language("en_US.UTF-8") == "en"
        assert i18n._("Sao chép bản đã che") == "Copy redacted version"
        assert i18n._("một câu chưa dịch") == "một câu chưa dịch"  # falls back to Vietnamese
        assert i18n.set_language("fr") == "vi"
        assert i18n._("Sao chép bản đã che") == "Sao chép bản đã che"
        monkeypatch.setenv("GIUKIN_LANG", "en")
        assert i18n.initial_language("vi") == "en"
    finally:
        i18n.set_language("vi")


def test_popup_in_english(qapp, marks_engine):
    from app.desktop.analysis import analyze_clip
    from app.desktop.popup import Popup

    i18n.set_language("en")
    try:
        popup = Popup()
        popup.show_offer(analyze_clip(marks_engine, "CCCD 001080000001"))
        assert popup.button("copy").text() == "Copy redacted version"
        assert "ID" in popup.body.text()
        popup.hide()
        popup.deleteLater()
    finally:
        i18n.set_language("vi")


@pytest.mark.parametrize("module", ["app.engine", "app.settings", "app.i18n", "app.cli",
                                    "app.batch", "app.updates", "app.desktop",
                                    "app.desktop.analysis"])
def test_qt_is_not_imported_outside_desktop(module):
    code = (f"import sys; sys.modules['PySide6'] = None; import {module}; "
            "assert not any(m.startswith('PySide6') for m in sys.modules if sys.modules[m])")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)


def test_no_source_outside_desktop_mentions_pyside():
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        if "desktop" in path.relative_to(ROOT / "app").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in {"PySide6", "PyQt6", "PyQt5", "PySide2"} for n in names):
                offenders.append(str(path))
    assert not offenders
    inside = [p for p in (ROOT / "app/desktop").rglob("*.py") if p.name != "qt.py"
              and "PySide6" in p.read_text(encoding="utf-8")]
    assert not inside, "desktop modules must import Qt through app/desktop/qt.py"


def test_single_instance(qapp, qtbot):
    from app.desktop.single import SingleInstance, server_name

    name = server_name("-test")
    first = SingleInstance(name)
    assert first.claim()
    with qtbot.waitSignal(first.activated, timeout=3000):
        second = SingleInstance(name)
        assert not second.claim()
    first.close()
    third = SingleInstance(name)
    assert third.claim()  # after the first one went away, a new start runs
    third.close()


def test_giukin_without_arguments_starts_the_tray(tmp_path):
    """The real entry point, in a fresh process: tray first, then the engine."""
    import os

    env = dict(os.environ, GIUKIN_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen",
               GIUKIN_HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", "import sys; from app.cli import main; "
                           "sys.exit(main([]))"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    stamps = dict(line.split() for line in proc.stderr.splitlines()
                  if line.startswith(("tray_at ", "engine_at ")))
    assert float(stamps["tray_at"]) <= float(stamps["engine_at"])
    assert (tmp_path / "logs" / "giukin.log").is_file()


def test_many_void_qt_calls_do_not_exhaust_none(qapp):
    """PySide6 6.12 on Python 3.11 drops a reference to None per void call; the shim pins
    None/True/False so a tray running all day does not abort ('deallocating None')."""
    from app.desktop.qt import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _n in range(30_000):  # several times None's natural reference count
        label.setText("x")
        label.setVisible(False)
    assert sys.getrefcount(None) > 1_000_000 or sys.version_info >= (3, 12)
    assert before > 0
    label.deleteLater()
