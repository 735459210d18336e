"""Overrides the contrib hook to leave thinc's test suite out (it collects every submodule)."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("thinc", filter=lambda name: not name.startswith("thinc.tests"))
datas = [entry for entry in collect_data_files("thinc")
         if "/tests/" not in entry[1].replace("\\", "/") + "/"]
