"""The one YAML loader: the safe subset, through libyaml when PyYAML was built with it.

libyaml parses the rule pack about ten times faster than the pure-Python loader, which
is most of the pack's share of start-up; the accepted YAML is the same.
"""

from __future__ import annotations

from typing import Any

import yaml

YAMLError = yaml.YAMLError
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(stream: str | bytes | Any) -> Any:
    """Parse one YAML document (text, bytes or a binary file) with the safe loader."""
    return yaml.load(stream, Loader=_LOADER)  # noqa: S506 - a safe loader, chosen above
