"""PyInstaller runtime hook: runs before any bundled module is imported.

Same settings as ``app/__init__.py``, set here too so that nothing imported ahead of ``app``
(PyInstaller's own hooks, a future entry point) can make tldextract fetch the Public Suffix
List or presidio read its regex timeout before we set it. The frozen app never downloads.
"""

import os

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
os.environ.setdefault("REGEX_TIMEOUT_SECONDS", "2")
