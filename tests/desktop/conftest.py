"""Desktop test set-up: offscreen Qt (set by these tests), one engine with test marks."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402
from desktop_samples import DATA  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _clipboard_left_clean():
    """Tests put Python-made QMimeData on the clipboard; Qt would delete the last one
    after Python has exited (a crash at exit). Hand it back to Qt while Python runs."""
    yield
    from app.desktop.qt import QGuiApplication

    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()


@pytest.fixture(scope="session")
def marks_engine():
    from app.engine import Engine
    from app.engine.rules import default_pack_dir

    return Engine.from_folders([default_pack_dir(), DATA / "marks-pack"])


@pytest.fixture
def settings(tmp_path):
    from app.settings import Settings

    return Settings(path=tmp_path / "settings.json")


@pytest.fixture
def tray(qapp, settings, marks_engine, monkeypatch):
    """A tray app on the real clipboard (process-local offscreen), engine already built."""
    from app.desktop import analysis
    from app.desktop.tray import TrayApp
    from app.engine import PlaceholderMap

    monkeypatch.setattr(analysis, "placeholder_map_factory", PlaceholderMap)
    app = TrayApp(settings, show_tray=False, engine_factory=lambda _s: marks_engine)
    app.start()
    app.runner.wait(10_000)
    qapp.processEvents()
    assert app.engine_host.engine is marks_engine
    yield app
    app.shutdown()
    qapp.processEvents()
