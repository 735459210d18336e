"""Small helpers shared by the update tests (imported by name: tests are not a package)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.updates.source import publish


def publish_to(pack: Path, share: Path, keys) -> Path:
    _manifest, target = publish(pack, share, keys.trusted)
    return target


def past(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)
