"""Test set-up shared by the whole run: offscreen Qt, a private user folder, one engine."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# The test run is repeatable: property tests draw the same examples every time, so a red
# run is a real regression. "explore" draws fresh examples to hunt for new bugs:
#   .venv/bin/python -m pytest tests/engine --hypothesis-profile=explore
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """Every test gets its own user-data folder: nothing touches the real profile."""
    monkeypatch.setenv("GIUKIN_HOME", str(tmp_path / "giukin-home"))


@pytest.fixture(scope="session")
def engine():
    from app.engine import Engine
    from app.engine.rules import default_pack_dir

    return Engine.from_folders([default_pack_dir()])
