"""Recognizer kinds. Importing this package registers every built-in kind.

One module per kind, each with its patterns, context handling and checks side by side.
"""

from . import (  # noqa: F401  (imported for their @register side effect)
    address,
    credentials,
    dob,
    form_field,
    markings,
    network,
    pattern,
    person,
    phone,
)
from .base import KINDS, RuleRecognizer, Span, register  # noqa: F401
