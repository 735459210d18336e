"""Usage counts per day, so the agency can see the tool is used without seeing what was copied.

Only event names, entity type ids, counts, the rule-pack version, the app version and
the workstation/account names are stored: never a value, never a piece of text. The
entity ids come from a fixed pattern (UPPER_SNAKE_CASE); anything else is counted as
"OTHER", so a caller bug cannot smuggle text into a report.

Stored as ``user_data_dir()/usage/YYYY-MM-DD.json``; when IT sets ``usage_report_folder``
the day's file is also copied there (at most every few minutes, and on ``flush()``) as
``<workstation>_<account>_<date>.json``.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import logging
import platform
import re
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

EVENTS = ("clipboard_check", "redaction", "block", "file_sanitized", "restore")
_ENTITY = re.compile(r"[A-Z][A-Z0-9_]{0,39}")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
EXPORT_EVERY_SECONDS = 300
MAX_BY_TYPE = 200  # bounded: entity ids are a small closed set

_lock = threading.Lock()
_last_export: float | None = None


def usage_dir() -> Path:
    from app.paths import user_data_dir

    return user_data_dir() / "usage"


def _today() -> str:
    return datetime.now().date().isoformat()  # local day: what staff and IT call "today"


def _empty(day: str) -> dict[str, Any]:
    return {"date": day, "counts": {e: 0 for e in EVENTS}, "by_type": {}, "rule_packs": []}


def _load_day(day: str) -> dict[str, Any]:
    path = usage_dir() / f"{day}.json"
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return _empty(day)
    except (OSError, ValueError):
        log.warning("usage file for %s unreadable; starting it again", day)
        return _empty(day)
    return _sanitize(data, day)


def _sanitize(data: Any, day: str) -> dict[str, Any]:
    """Re-build a day from a file, keeping only the known shape."""
    clean = _empty(day)
    if not isinstance(data, dict):
        return clean
    for event, count in (data.get("counts") or {}).items():
        if event in EVENTS and isinstance(count, int) and count >= 0:
            clean["counts"][event] = count
    for event, types in (data.get("by_type") or {}).items():
        if event in EVENTS and isinstance(types, dict):
            clean["by_type"][event] = {t: n for t, n in types.items()
                                       if isinstance(t, str) and _ENTITY.fullmatch(t)
                                       and isinstance(n, int) and n >= 0}
    packs = data.get("rule_packs") or []
    clean["rule_packs"] = [p for p in packs if isinstance(p, str) and len(p) <= 120][:20]
    return clean


def _write(path: Path, text: str) -> None:
    from .manifest import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))


def _rule_pack() -> str:
    try:
        from .store import active_manifest, current

        if current()[0]:
            found = active_manifest()
            if found:
                return f"{found[1].pack_id} {found[1].version}"
        from app.engine.rules import default_pack_dir

        from .updater import _shipped_identity

        return " ".join(_shipped_identity(default_pack_dir()))
    except Exception:  # counting must never break the app
        return "unknown"


def record_event(event: str, by_type: dict[str, int] | None = None) -> None:
    """Count one event (and entity types seen in it). Thread-safe, never raises."""
    if event not in EVENTS:
        log.warning("unknown usage event ignored")
        return
    try:
        with _lock:
            day = _today()
            data = _load_day(day)
            data["counts"][event] += 1
            if by_type:
                bucket = data["by_type"].setdefault(event, {})
                for entity, count in by_type.items():
                    name = entity if isinstance(entity, str) and _ENTITY.fullmatch(entity) else "OTHER"
                    if name not in bucket and len(bucket) >= MAX_BY_TYPE:
                        name = "OTHER"
                    if isinstance(count, int) and not isinstance(count, bool) and count > 0:
                        bucket[name] = bucket.get(name, 0) + count
            pack = _rule_pack()
            if pack not in data["rule_packs"]:
                data["rule_packs"] = (data["rule_packs"] + [pack])[-20:]
            _write(usage_dir() / f"{day}.json", json.dumps(data, ensure_ascii=False, indent=1))
        _maybe_export()
    except Exception:
        log.exception("usage count not recorded")


def days(since: int = 30) -> list[dict[str, Any]]:
    """The recorded days of the last ``since`` days, oldest first."""
    start = datetime.now().date() - timedelta(days=max(0, since - 1))
    rows = []
    folder = usage_dir()
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            day = date.fromisoformat(path.stem)
        except ValueError:
            continue
        if day >= start:
            rows.append(_load_day(path.stem))
    return rows


def identity() -> dict[str, str]:
    try:
        account = getpass.getuser()
    except Exception:
        account = "unknown"
    from app import __version__

    return {"workstation": platform.node() or "unknown", "account": account,
            "app_version": __version__}


def to_json(rows: list[dict[str, Any]]) -> str:
    report = dict(identity())
    report["generated"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    report["days"] = rows
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: list[dict[str, Any]]) -> str:
    """One line per day, event and entity type (entity '' = the event's total)."""
    who = identity()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "workstation", "account", "event", "entity", "count", "rule_packs"])
    for row in rows:
        packs = " | ".join(row["rule_packs"])
        for event in EVENTS:
            writer.writerow([row["date"], who["workstation"], who["account"], event, "",
                             row["counts"].get(event, 0), packs])
            for entity, count in sorted(row["by_type"].get(event, {}).items()):
                writer.writerow([row["date"], who["workstation"], who["account"], event, entity,
                                 count, packs])
    return out.getvalue()


def report_folder() -> str:
    try:
        from app.settings import Settings

        return str(Settings.load().get("usage_report_folder") or "")
    except Exception:
        return ""


def export(folder: str | Path, since: int = 30, fmt: str = "json") -> Path:
    """Write this workstation's report into ``folder`` (one file per workstation and account)."""
    who = identity()
    stem = _SAFE_NAME.sub("_", f"{who['workstation']}_{who['account']}")
    rows = days(since)
    path = Path(folder) / f"giukin-usage_{stem}.{fmt}"
    _write(path, to_csv(rows) if fmt == "csv" else to_json(rows))
    return path


def _maybe_export(force: bool = False) -> None:
    global _last_export
    if not force and _last_export is not None and \
            time.monotonic() - _last_export < EXPORT_EVERY_SECONDS:
        return
    folder = report_folder()
    _last_export = time.monotonic()
    if folder:
        try:
            export(folder)
        except OSError:
            log.warning("usage report folder not writable")


def flush() -> None:
    """Export now (on quit, or from the tray's timer)."""
    try:
        _maybe_export(force=True)
    except Exception:
        log.exception("usage export failed")
