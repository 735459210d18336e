"""Overrides the contrib hook, which collects every spaCy submodule and data file.

presidio imports spaCy at import time even with the no-op NLP engine, so spaCy itself must
be there; its test suite and its per-language packages (tokenizer rules, stop words) are
never loaded because no spaCy pipeline is ever built. `spacy.lang.xx` and the base modules
of `spacy.lang` are imported by spacy/__init__ and stay.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules


def _wanted(name: str) -> bool:
    if name.startswith("spacy.tests"):
        return False
    parts = name.split(".")
    if len(parts) > 2 and parts[1] == "lang":
        # spacy.lang.<code>[.sub]: a language package unless <code> is a base module
        return parts[2] == "xx" or not _is_package(parts[2])
    return True


def _is_package(code: str) -> bool:
    from importlib.util import find_spec

    spec = find_spec(f"spacy.lang.{code}")
    return spec is not None and spec.submodule_search_locations is not None


hiddenimports = collect_submodules("spacy", filter=_wanted)
datas = [entry for entry in collect_data_files("spacy")
         if "/tests/" not in entry[0].replace("\\", "/") + "/"
         and not entry[1].replace("\\", "/").startswith("spacy/lang/")]
