"""Synthetic values for the desktop tests (structurally valid fakes, no real people)."""

from pathlib import Path

DATA = Path(__file__).parent / "data"

CCCD = "001080000001"
PHONE = "0912 345 678"
EMAIL = "an.nguyen@example.vn"
