"""Overrides the contrib hook, which collects every phonenumbers submodule (~48 MB).

Validation and formatting need only the per-region metadata modules, which phonenumbers
imports by name on demand; the geocoder, carrier and timezone data are never used.
"""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("phonenumbers.data") + collect_submodules("phonenumbers.shortdata")
