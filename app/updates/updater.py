"""The workstation updater: poll the configured source, verify, install, report status.

Qt-free. The tray runs ``Updater.check_now()`` on a worker thread (or ``UpdateLoop``),
then reads ``status()`` for its menu. Order of checks, cheapest and most decisive first:
signature with a pinned key -> ratchet (no older version, no other content under the
same version) -> expiry and app version -> each file's size (before download), size and
hash (after) -> schema and a real engine -> atomic switch.
"""

from __future__ import annotations

import logging
import random
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from .errors import UpdateError
from .manifest import (
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MAX_SIGNATURE_BYTES,
    SIGNATURE,
    Manifest,
    check_installable,
    verify_manifest,
    write_atomic,
)
from .source import Source, open_source, release_path

log = logging.getLogger(__name__)

INSTALLED, UP_TO_DATE, REJECTED, FAILED, NO_SOURCE = (
    "installed", "up_to_date", "rejected", "failed", "no_source")
# Failures of the network or share are retried quietly; these mean an attack or IT error.
_TRANSIENT = {"unreachable", "not_found", "no_source"}


@dataclass(frozen=True)
class CheckResult:
    outcome: str
    version: str | None = None
    error: UpdateError | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in (INSTALLED, UP_TO_DATE)


@dataclass(frozen=True)
class UpdateStatus:
    active_pack_id: str
    active_version: str
    shipped: bool            # True: the default pack inside the app is in use
    expires: datetime | None
    expired_warning: bool    # installed pack past its expiry: still used, the tray warns
    last_check: str | None
    last_success: str | None
    last_error: dict | None  # {"code", "vi", "en"}
    source: str

    def error_text(self, language: str = "vi") -> str:
        if not self.last_error:
            return ""
        return str(self.last_error.get("en" if language == "en" else "vi", ""))


def app_version() -> str:
    from app import __version__

    return __version__


def status(now: datetime | None = None) -> UpdateStatus:
    from . import store

    stat = store.read_status()
    found = store.active_manifest() if (store.root() / store.CURRENT).is_file() else None
    if found is None:
        from app.engine.rules import default_pack_dir

        pack_id, version = _shipped_identity(default_pack_dir())
        return UpdateStatus(pack_id, version, True, None, False, stat.get("last_check"),
                            stat.get("last_success"), stat.get("last_error"),
                            str(stat.get("source", "")))
    _folder, manifest = found
    return UpdateStatus(manifest.pack_id, manifest.version, False, manifest.expires,
                        manifest.expired(now), stat.get("last_check"), stat.get("last_success"),
                        stat.get("last_error"), str(stat.get("source", "")))


def _shipped_identity(folder) -> tuple[str, str]:
    from app import yamlsafe

    try:
        meta = yamlsafe.load((folder / "pack.yaml").read_text(encoding="utf-8")) or {}
        return str(meta.get("id", "default")), str(meta.get("version", "?"))
    except (OSError, yamlsafe.YAMLError):
        return "default", "?"


class Updater:
    """One check at a time; listeners hear about every finished check."""

    def __init__(self, source: str | None = None, keys: dict | None = None,
                 interval_minutes: int | None = None) -> None:
        self._source = source
        self._keys = keys
        self._interval = interval_minutes
        self._lock = threading.Lock()
        self._listeners: list[Callable[[CheckResult], None]] = []

    # -- configuration (IT policy > user setting > default) -----------------------------
    def _settings(self):
        from app.settings import Settings

        return Settings.load()

    def source_location(self) -> str:
        if self._source is not None:
            return self._source
        return str(self._settings().get("rule_source") or "")

    def keys(self) -> dict:
        if self._keys is not None:
            return self._keys
        from .keys import pinned_keys

        return pinned_keys()

    def interval_seconds(self) -> float:
        minutes = self._interval if self._interval is not None else \
            int(self._settings().get("update_interval_minutes"))
        return max(5, minutes) * 60.0

    def next_delay(self, rng: random.Random | None = None) -> float:
        """The interval +-20 %: a thousand workstations must not hit the share together."""
        base = self.interval_seconds()
        return base * (0.8 + 0.4 * (rng or random).random())

    def subscribe(self, listener: Callable[[CheckResult], None]) -> None:
        self._listeners.append(listener)

    # -- the check ----------------------------------------------------------------------
    def check_now(self) -> CheckResult:
        from . import store

        with self._lock:
            location = self.source_location()
            try:
                result = self._check(open_source(location))
            except UpdateError as exc:
                outcome = NO_SOURCE if exc.code == "no_source" else (
                    FAILED if exc.code in _TRANSIENT else REJECTED)
                result = CheckResult(outcome, error=exc)
                log.warning("rule update %s: %s", outcome, exc.en)
            try:
                store.record_check(location, result.error, result.version
                                   if result.outcome == INSTALLED else None)
            except OSError:
                log.warning("could not record the update status")
        for listener in list(self._listeners):
            try:
                listener(result)
            except Exception:  # a broken listener must not stop updates
                log.exception("update listener failed")
        return result

    def _check(self, source: Source) -> CheckResult:
        from . import store

        release = release_path(source)
        prefix = f"{release}/" if release else ""
        data = source.read(prefix + MANIFEST, MAX_MANIFEST_BYTES)
        signature = source.read(prefix + SIGNATURE, MAX_SIGNATURE_BYTES)
        keys = self.keys()
        manifest = verify_manifest(data, signature, keys)
        if store.check_ratchet(manifest, set(keys)):
            found = store.active_manifest()
            if found and found[1].digest == manifest.digest:
                return CheckResult(UP_TO_DATE, manifest.version)
        check_installable(manifest, app_version(), datetime.now(UTC))
        staging = store.new_staging()
        try:
            self._download(source, prefix, manifest, staging)
            write_atomic(staging / MANIFEST, data)
            write_atomic(staging / SIGNATURE, signature)
            store.install(staging, manifest)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        log.info("rule pack %s %s installed", manifest.pack_id, manifest.version)
        return CheckResult(INSTALLED, manifest.version)

    @staticmethod
    def _download(source: Source, prefix: str, manifest: Manifest, staging) -> None:
        for entry in manifest.files:
            source.fetch(prefix + entry.name, entry, staging / entry.name)


class UpdateLoop(threading.Thread):
    """Background polling: first check after a short random delay, then every interval."""

    def __init__(self, updater: Updater, first_delay: float | None = None) -> None:
        super().__init__(name="giukin-rule-updates", daemon=True)
        self.updater = updater
        self._stop_event = threading.Event()
        self._first = first_delay

    def run(self) -> None:
        delay = self._first if self._first is not None else random.uniform(30, 300)
        while not self._stop_event.wait(delay):
            try:
                self.updater.check_now()
            except Exception:  # keep polling whatever happens
                log.exception("rule update check crashed")
            delay = self.updater.next_delay()

    def stop(self) -> None:
        self._stop_event.set()
