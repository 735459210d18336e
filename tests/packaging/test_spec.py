"""The PyInstaller spec and hooks, checked without building (a build takes a minute).

The spec is executed with PyInstaller's build classes replaced by recorders, so the tests see
exactly what it would hand to PyInstaller: data folders, hidden imports, excludes, filters.
The excludes are then checked against what the app really imports at run time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


class _Recorder:
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.scripts = self.pure = []
        self.binaries = []
        self.datas = list(kwargs.get("datas", []))


def _fake_hooks(calls: list):
    """Stand-ins for PyInstaller.utils.hooks that record what the spec asks to collect."""
    module = types.ModuleType("PyInstaller.utils.hooks")

    def collect_submodules(package, filter=None):  # noqa: A002 - PyInstaller's name
        calls.append(("submodules", package))
        return [f"{package}.<all>"]

    def collect_data_files(package, include_py_files=False, includes=None, **_):
        calls.append(("data", package, tuple(includes or ())))
        return [(f"/site/{package}/data.bin", package)]

    module.collect_submodules = collect_submodules
    module.collect_data_files = collect_data_files
    return module


@pytest.fixture(scope="module")
def spec():
    calls: list = []
    fakes = {"PyInstaller": types.ModuleType("PyInstaller"),
             "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
             "PyInstaller.utils.hooks": _fake_hooks(calls)}
    saved = {name: sys.modules.get(name) for name in fakes}
    sys.modules.update(fakes)
    namespace = {"SPECPATH": str(PACKAGING), "workpath": "/nonexistent-workpath",
                 "Analysis": _Recorder, "PYZ": _Recorder, "EXE": _Recorder,
                 "COLLECT": _Recorder, "__name__": "giukin_spec"}
    try:
        source = (PACKAGING / "giukin.spec").read_text(encoding="utf-8")
        exec(compile(source, "giukin.spec", "exec"), namespace)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    namespace["_calls"] = calls
    return namespace


def test_data_folders_and_entry(spec):
    analysis = spec["a"].kwargs
    datas = {Path(src).resolve(): dest for src, dest in analysis["datas"]
             if not src.startswith("/site/")}
    assert datas[ROOT / "rules"] == "rules"
    assert datas[ROOT / "resources"] == "resources"
    # app/paths.py looks for exactly these folders under sys._MEIPASS
    assert (ROOT / "rules" / "default" / "pack.yaml").is_file()
    assert list((ROOT / "rules" / "keys").glob("*.pub")), "the pinned public key is shipped"
    entry = Path(spec["a"].args[0][0])
    assert entry.is_file() and "app.cli import main" in entry.read_text(encoding="utf-8")
    assert Path(analysis["pathex"][0]).resolve() == ROOT


def test_collects_app_and_third_party_data(spec):
    calls = spec["_calls"]
    assert ("submodules", "app") in calls, "every app module, also those loaded by __import__"
    assert any(c[:2] == ("data", "tldextract") for c in calls), "PSL snapshot (.tld_set_snapshot)"
    assert ("data", "presidio_analyzer", ("conf/*.yaml",)) in calls
    hooks = Path(spec["a"].kwargs["hookspath"][0])
    for name in ("hook-phonenumbers.py", "hook-spacy.py", "hook-thinc.py"):
        assert (hooks / name).is_file()


def test_runtime_hook_sets_offline_env_first(spec):
    hooks = [Path(p) for p in spec["a"].kwargs["runtime_hooks"]]
    assert len(hooks) == 1 and hooks[0].is_file()
    env = {k: v for k, v in os.environ.items()
           if k not in ("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "REGEX_TIMEOUT_SECONDS")}
    code = ("import os, runpy, sys; runpy.run_path(sys.argv[1]);"
            "print(repr(os.environ['TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS']),"
            " os.environ['REGEX_TIMEOUT_SECONDS'])")
    out = subprocess.run([sys.executable, "-c", code, str(hooks[0])], env=env, text=True,
                         capture_output=True, check=True).stdout.split()
    assert out == ["''", "2"]


def _excluded(module: str, excludes: list[str]) -> bool:
    return any(module == ex or module.startswith(ex + ".") for ex in excludes)


_RUN_APP = r"""
import sys
from app.engine import default_engine
import app.cli, app.updates.cli
engine = default_engine()
text = ("Ông Trần Minh Khoa, sinh ngày 12/03/1985, CCCD 001085000123, điện thoại 0912 345 678,"
        " +44 20 7946 0958, email khoa.tran@example.com, thẻ 4111 1111 1111 1111,"
        " số 12 ngõ 45 phố Hàng Bạc, Hà Nội.")
assert engine.redact(text).findings
print("\n".join(sorted(sys.modules)))
"""


@pytest.fixture(scope="module")
def runtime_modules():
    """Modules a fresh interpreter loads to run the CLI and the engine (no test tools)."""
    out = subprocess.run([sys.executable, "-c", _RUN_APP], cwd=ROOT, text=True,
                         capture_output=True, check=True).stdout
    return out.split()


def test_nothing_the_app_imports_is_excluded(spec, runtime_modules):
    excludes = spec["excludes"]
    assert "presidio_analyzer" in runtime_modules and "phonenumbers.data" in runtime_modules
    assert [m for m in runtime_modules if _excluded(m, excludes)] == []
    assert not [ex for ex in excludes if ex == "app" or ex.startswith("app.")]


def test_qt_modules_used_by_the_desktop_are_kept(spec):
    """Every PySide6 module named in app/ (the qt.py shim and any other) stays in the build."""
    import re

    used = set()
    for path in (ROOT / "app").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    for name in used:
        assert not _excluded(f"PySide6.{name}", spec["excludes"]), name


def test_data_filter_drops_sources_and_foreign_qt_translations(spec):
    keep = spec["_keep"]
    assert keep("rules/default/pack.yaml")
    assert keep("resources/names/surnames.txt")
    assert keep("tldextract/.tld_set_snapshot")
    assert not keep("spacy/tokens/doc.pyx")
    assert not keep("thinc/backends/ops.pxd")
    assert keep("PySide6/Qt/translations/qtbase_vi.qm")
    assert keep("PySide6/Qt/translations/qtbase_en.qm")
    assert not keep("PySide6/Qt/translations/qtbase_de.qm")


def test_one_folder_console_exe_without_upx(spec):
    exe = spec["exe"].kwargs
    assert exe["name"] == "giukin" and exe["exclude_binaries"] is True  # one-folder
    assert exe["upx"] is False and exe["console"] is True
    assert spec["coll"].kwargs["name"] == "giukin"


def _load_hook(name: str):
    calls: list = []
    fake = _fake_hooks(calls)
    source = (PACKAGING / "hooks" / name).read_text(encoding="utf-8")
    source = source.replace("from PyInstaller.utils.hooks import", "from _fake_hooks import")
    namespace: dict = {}
    sys.modules["_fake_hooks"] = fake
    try:
        exec(compile(source, name, "exec"), namespace)
    finally:
        sys.modules.pop("_fake_hooks", None)
    return namespace, calls


def test_spacy_hook_keeps_every_spacy_module_the_engine_loads(runtime_modules):
    hook, _ = _load_hook("hook-spacy.py")
    wanted = hook["_wanted"]
    loaded = [m for m in runtime_modules if m == "spacy" or m.startswith("spacy.")]
    assert "spacy.tokens" in loaded and "spacy.lang.vi" not in loaded
    assert [m for m in loaded if not wanted(m)] == []
    assert not wanted("spacy.lang.vi") and not wanted("spacy.lang.en.stop_words")
    assert not wanted("spacy.tests.test_language")
    assert wanted("spacy.lang.char_classes") and wanted("spacy.lang.xx")


def test_phonenumbers_hook_collects_region_metadata_only():
    hook, calls = _load_hook("hook-phonenumbers.py")
    assert ("submodules", "phonenumbers.data") in calls
    assert ("submodules", "phonenumbers.shortdata") in calls
    assert not [c for c in calls if c[1] in ("phonenumbers", "phonenumbers.geodata")]


def test_windows_software_opengl_is_left_out(spec):
    needed = spec["_binary_needed"]
    assert not needed("PySide6/opengl32sw.dll")
    assert not needed("PySide6\\d3dcompiler_47.dll")
    assert needed("PySide6/Qt6Gui.dll") and needed("PySide6/Qt6Widgets.dll")
    assert needed("PySide6/Qt/lib/libQt6Gui.so.6")
