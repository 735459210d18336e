"""Offline guards installed before presidio (and through it spaCy) is imported.

spaCy's package imports its command-line package at start-up: model downloads, training
and project tools (typer, httpx, jinja2...). Nothing in Giữ Kín runs them, and nothing may
download a model, so a stand-in takes the place of ``spacy.cli``. Start-up is about 0.2 s
shorter, and presidio's fallback that downloads a missing spaCy model raises instead of
reaching the network.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys


class DownloadsDisabled(RuntimeError):
    """A library tried to download a model or run spaCy's command line."""


def _refuse(*_args, **_kwargs):
    raise DownloadsDisabled("Giữ Kín chạy ngoại tuyến: không tải mô hình / "
                            "Giữ Kín runs offline: model downloads are disabled")


class _StandIn(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers the import of ``spacy.cli`` (and ``spacy.cli.info``, which spaCy's package
    imports) with a module whose functions refuse; the import system wires it up as usual."""

    NAMES = ("spacy.cli", "spacy.cli.info")

    def find_spec(self, name, path=None, target=None):
        if name not in self.NAMES:
            return None
        return importlib.util.spec_from_loader(name, self, is_package=name == "spacy.cli")

    def create_module(self, spec):
        return None  # the default module object

    def exec_module(self, module) -> None:
        module.info = _refuse
        if module.__name__ == "spacy.cli":
            module.download = _refuse


def install() -> None:
    """Put the stand-in in place, unless spaCy is already loaded (then it is too late)."""
    if "spacy" in sys.modules or any(isinstance(f, _StandIn) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _StandIn())
