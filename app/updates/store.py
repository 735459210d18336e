"""Installed rule packs on this workstation: atomic install, previous pack kept, ratchet.

Layout under ``user_data_dir()/rulepacks``::

    packs/<pack_id>-<version>/   verified files + manifest.json + manifest.json.sig
    current.json                 {"active": name, "previous": name}   (swapped with os.replace)
    ratchet.json                 highest version accepted, per signing key (never goes down)
    status.json                  last check, last error, source (for the tray and `rules list`)

``active_pack_dir()`` is what the engine calls: it reads ``current.json`` and verifies the
pack once per process (signature, sizes, hashes, schema). A pack that no longer verifies
(edited on disk, key withdrawn by IT) is skipped for the previous one, then for the shipped
default: never "fewer rules, silently" from a broken pack.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import UpdateError
from .manifest import (
    MANIFEST,
    MAX_MANIFEST_BYTES,
    Manifest,
    iso,
    parse_manifest,
    parse_version,
    read_capped,
    verify_folder,
    write_atomic,
)

log = logging.getLogger(__name__)

CURRENT = "current.json"
RATCHET = "ratchet.json"
STATUS = "status.json"
_lock = threading.RLock()
_verified: dict[tuple, Manifest | None] = {}


def root() -> Path:
    from app.paths import user_data_dir

    return user_data_dir() / "rulepacks"


def packs_dir() -> Path:
    return root() / "packs"


def _read_json(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        return data if isinstance(data, dict) else {}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("%s unreadable; treated as empty", path.name)
        return {}


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def _safe_name(name: object) -> str | None:
    if isinstance(name, str) and name and "/" not in name and "\\" not in name \
            and not name.startswith("."):
        return name
    return None


def current() -> tuple[str | None, str | None]:
    data = _read_json(root() / CURRENT)
    return _safe_name(data.get("active")), _safe_name(data.get("previous"))


# -- verification of what is installed -------------------------------------------------
def verify_installed(folder: Path, keys: dict | None = None) -> Manifest:
    """Full check of an installed pack: signature with pinned keys, files, schema."""
    if keys is None:
        from .keys import pinned_keys

        keys = pinned_keys()
    manifest = verify_folder(folder, keys)
    load_check(folder, manifest, build_engine=False)
    return manifest


def _cached_manifest(folder: Path) -> Manifest | None:
    try:
        stamp = tuple((folder / n).stat().st_mtime_ns for n in ("manifest.json", "manifest.json.sig"))
    except OSError:
        return None
    key = (str(folder), stamp)
    with _lock:
        if key not in _verified:
            try:
                _verified[key] = verify_installed(folder)
            except UpdateError as exc:
                log.warning("installed pack %s rejected: %s", folder.name, exc.en)
                _verified[key] = None
        return _verified[key]


def forget_verification() -> None:
    """Drop the per-process cache (after an install, or when IT changes the keys)."""
    with _lock:
        _verified.clear()


def active_manifest() -> tuple[Path, Manifest] | None:
    active, previous = current()
    for name in (active, previous):
        if name:
            folder = packs_dir() / name
            manifest = _cached_manifest(folder)
            if manifest is not None:
                return folder, manifest
    return None


def active_pack_dir() -> Path | None:
    """The installed, verified pack the engine should use, or None for the shipped default."""
    if not (root() / CURRENT).is_file():
        return None  # the common case on a fresh workstation: one stat, nothing else
    found = active_manifest()
    return found[0] if found else None


# -- checks before install -------------------------------------------------------------
def engine_check(folder: Path, build_engine: bool = True):
    """Load the pack with this app's recognizer kinds and validators (and build an engine)."""
    from app.engine.core import Engine
    from app.engine.recognizers.base import KINDS
    from app.engine.rules import RulePackError, load_pack
    from app.engine.validators import VALIDATORS

    try:
        pack = load_pack(folder, known_kinds=set(KINDS), known_validators=set(VALIDATORS))
        if build_engine:
            Engine([pack])
    except RulePackError as exc:
        detail = str(exc).replace(str(folder), "").lstrip("/\\")
        raise UpdateError("load_failed", f"Bộ quy tắc không nạp được: {detail}",
                          f"The rule pack does not load: {detail}") from None
    return pack


def load_check(folder: Path, manifest: Manifest, build_engine: bool = True) -> None:
    """The pack must load in *this* app exactly as signed, and build a real engine."""
    pack = engine_check(folder, build_engine)
    if pack.id != manifest.pack_id or pack.version != manifest.version:
        raise UpdateError("mismatch", "pack.yaml không khớp id/phiên bản trong manifest.",
                          "pack.yaml does not match the manifest's id/version.")
    listed = {f.name for f in manifest.files}
    missing = [name for name in pack.files if name not in listed]
    if missing:
        raise UpdateError("unsigned_file", f"Tệp {missing[0]} không có trong manifest đã ký.",
                          f"File {missing[0]} is not in the signed manifest.")


def highest_seen(trusted_ids: set[str] | None = None) -> tuple[tuple[int, ...], str]:
    """(version, manifest digest) of the highest release ever accepted here.

    One ratchet per signing key, and only the keys trusted *now* count: if IT withdraws a
    compromised key that pushed an absurd version (a "fast-forward"), releases signed by
    the replacement key install again, while a rollback between trusted keys is still
    refused. ``trusted_ids`` None counts every key.
    """
    data = _read_json(root() / RATCHET)
    by_key = data.get("by_key") if isinstance(data.get("by_key"), dict) else {}
    best: tuple[tuple[int, ...], str] = ((), "")
    for kid, entry in by_key.items():
        if trusted_ids is not None and kid not in trusted_ids or not isinstance(entry, dict):
            continue
        try:
            version = parse_version(str(entry.get("highest", "")))
        except UpdateError:
            log.warning("ratchet entry unreadable; using installed packs as the floor")
            continue
        if version > best[0]:
            best = (version, str(entry.get("digest", "")))
    # Installed packs are a floor too, so deleting ratchet.json alone does not reopen rollback.
    for folder in packs_dir().glob("*") if packs_dir().is_dir() else []:
        try:
            manifest = parse_manifest(read_capped(folder / MANIFEST, MAX_MANIFEST_BYTES))
        except (OSError, UpdateError):
            continue
        if trusted_ids is not None and manifest.key_id not in trusted_ids:
            continue
        if manifest.version_key > best[0]:
            best = (manifest.version_key, manifest.digest)
    return best


def check_ratchet(manifest: Manifest, trusted_ids: set[str] | None = None) -> bool:
    """True if this exact release is already the highest; raises on anything older."""
    highest, digest = highest_seen(trusted_ids)
    version = manifest.version_key
    if version > highest:
        return False
    if version == highest and (digest == manifest.digest or not digest):
        return True
    if version == highest:
        raise UpdateError("replay",
                          f"Phiên bản {manifest.version} đã nhận với nội dung khác; bị từ chối.",
                          f"Version {manifest.version} was already accepted with other content; rejected.")
    shown = ".".join(map(str, highest))
    raise UpdateError("rollback",
                      f"Phiên bản {manifest.version} cũ hơn bản mới nhất đã nhận ({shown}); bị từ chối.",
                      f"Version {manifest.version} is older than the newest accepted ({shown}); rejected.")


# -- install ---------------------------------------------------------------------------
def new_staging() -> Path:
    root().mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".staging-", dir=root()))


def install(staging: Path, manifest: Manifest) -> Path:
    """Move a fully verified staging folder into place and switch to it atomically.

    The engine is built from the staged files before the switch: a pack that fails to
    load is never made active, so the pack in use stays the last good one.
    """
    with _lock:
        try:
            load_check(staging, manifest)
            name = f"{manifest.pack_id}-{manifest.version}"
            target = packs_dir() / name
            packs_dir().mkdir(parents=True, exist_ok=True)
            if target.exists():
                shutil.rmtree(target)  # a leftover from an interrupted or rejected install
            os.replace(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        active, _previous = current()
        ratchet = _read_json(root() / RATCHET)
        by_key = ratchet.get("by_key") if isinstance(ratchet.get("by_key"), dict) else {}
        by_key[manifest.key_id] = {"highest": manifest.version, "digest": manifest.digest,
                                   "pack_id": manifest.pack_id,
                                   "accepted": iso(datetime.now(UTC))}
        _write_json(root() / RATCHET, {"by_key": by_key})
        _write_json(root() / CURRENT, {"active": name,
                                       "previous": active if active != name else _previous})
        forget_verification()
        _prune()
        return target


def _prune() -> None:
    """Keep the active and the previous pack; remove older ones and stale staging folders."""
    keep = {n for n in current() if n}
    for folder in packs_dir().iterdir():
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
    for folder in root().glob(".staging-*"):
        shutil.rmtree(folder, ignore_errors=True)


def rollback() -> str | None:
    """Make the previous pack active again (IT-triggered or when the active one broke)."""
    with _lock:
        active, previous = current()
        if not previous or not (packs_dir() / previous).is_dir():
            return None
        _write_json(root() / CURRENT, {"active": previous, "previous": active})
        forget_verification()
        return previous


# -- status ----------------------------------------------------------------------------
def record_check(source: str, error: UpdateError | None, installed: str | None = None) -> None:
    data = _read_json(root() / STATUS)
    now = iso(datetime.now(UTC))
    data.update({"last_check": now, "source": source,
                 "last_error": error.as_dict() if error else None})
    if error is None:
        data["last_success"] = now
    if installed:
        data["last_install"] = now
    _write_json(root() / STATUS, data)


def read_status() -> dict:
    return _read_json(root() / STATUS)


@dataclass(frozen=True)
class InstalledPack:
    name: str
    pack_id: str
    version: str
    expires: datetime | None
    active: bool
    previous: bool
    valid: bool


def installed_packs() -> list[InstalledPack]:
    active, previous = current()
    rows = []
    for folder in sorted(packs_dir().iterdir()) if packs_dir().is_dir() else []:
        manifest = _cached_manifest(folder)
        pack_id, _, version = folder.name.rpartition("-")
        rows.append(InstalledPack(folder.name, manifest.pack_id if manifest else pack_id,
                                  manifest.version if manifest else version,
                                  manifest.expires if manifest else None,
                                  folder.name == active, folder.name == previous,
                                  manifest is not None))
    return rows
