"""Layering rules the design depends on."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
QT = ("PySide6", "shiboken6")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_outside_desktop_imports_qt():
    offenders = []
    for path in APP.rglob("*.py"):
        if "desktop" in path.relative_to(APP).parts:
            continue
        if any(name.split(".")[0] in QT for name in imports(path)):
            offenders.append(str(path.relative_to(APP)))
    assert offenders == []


def test_engine_imports_neither_qt_nor_outer_layers():
    for path in (APP / "engine").rglob("*.py"):
        for name in imports(path):
            assert name.split(".")[0] not in QT, path
            assert not name.startswith(("app.desktop", "app.documents", "app.cli")), (path, name)


def test_engine_loads_without_qt_in_a_fresh_process():
    import subprocess
    import sys

    code = ("import sys, app.engine as e; e.default_engine().analyze('SĐT 0912345678');"
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=APP.parent, check=True)
    assert out.stdout.strip() == "False"


def test_spacy_command_line_is_never_loaded_and_cannot_download():
    """app.offline stands in for spacy.cli: no typer/httpx/jinja2, no model download."""
    import subprocess
    import sys

    code = ("import sys, app.engine as e, spacy\n"
            "from app.offline import DownloadsDisabled\n"
            "e.default_engine().analyze('SĐT 0912345678')\n"
            "print(sorted(m for m in ('typer', 'httpx', 'jinja2', 'weasel') if m in sys.modules))\n"
            "try:\n    spacy.cli.download('vi_core_news_lg')\nexcept DownloadsDisabled:\n"
            "    print('refused')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=APP.parent, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "refused"]
