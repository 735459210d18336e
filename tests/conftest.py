"""Test set-up shared by the whole run: offscreen Qt, a private user folder, one engine."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """Every test gets its own user-data folder: nothing touches the real profile."""
    monkeypatch.setenv("GIUKIN_HOME", str(tmp_path / "giukin-home"))


@pytest.fixture(scope="session")
def engine():
    from app.engine import Engine
    from app.engine.rules import default_pack_dir

    return Engine.from_folders([default_pack_dir()])
