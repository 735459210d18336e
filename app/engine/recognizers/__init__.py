"""Recognizer kinds. Importing this package registers every built-in kind.

One module per kind, each with its patterns, context handling and checks side by side.
"""

from . import base, pattern  # noqa: F401
from .base import KINDS, RuleRecognizer, Span, register  # noqa: F401

# Kinds in their own modules register themselves on import.
for _name in ("phone", "markings", "credentials", "network", "form_field", "person", "address",
              "dob"):
    try:
        __import__(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{__name__}.{_name}":
            raise
