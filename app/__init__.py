"""Giữ Kín: offline redaction of Vietnamese personal data before it reaches an AI chatbot.

Data flow: ``engine`` (detect, redact) -> ``documents`` (Office files) -> ``desktop`` / ``cli``.
"""

import os

# Both must be set before anything imports presidio/tldextract: tldextract would fetch the
# Public Suffix List on first use, and presidio reads the regex timeout once at import.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
os.environ.setdefault("REGEX_TIMEOUT_SECONDS", "2")

from . import offline  # noqa: E402 - before presidio/spaCy, like the two settings above

offline.install()

__version__ = "0.1.0"
