"""The restore vault: placeholder -> original value, across texts, processes and time.

A ``Vault`` is a ``PlaceholderMap`` that numbers placeholders across every redaction it
records (text, clipboard, file), so two redactions never hand out the same placeholder for
different values, and one value keeps its placeholder for as long as the vault keeps it::

    vault = default_vault()
    with vault.recording("file"):                  # lock, reload, save when done
        r = engine.redact(text, placeholders=vault.placeholder_map())
    restore_text(answer, vault)

On disk (``user_data_dir()/vault.bin``) it is AES-GCM encrypted with a data key from the OS
keystore (see ``keystore``); values never touch the disk or the logs in clear. Entries
expire ``ttl_hours`` after their last use and are purged on load and save. ``memory_only``
keeps everything in this process (strict policies; the CLI cannot restore then).

Placeholder numbers are never reused, even after expiry or ``clear()``: an old answer that
still carries ``[HỌ_TÊN_3]`` must come back "unknown", never with somebody else's name.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import keystore
from .model import PlaceholderMap, canonical_value

log = logging.getLogger(__name__)

VAULT_FILE = "vault.bin"
LOCK_FILE = "vault.lock"
MAGIC = b"GKV1"
NONCE_BYTES = 12
FORMAT_VERSION = 1
DEFAULT_TTL_HOURS = 10.0
SOURCES = ("text", "clipboard", "file")


class VaultError(Exception):
    """The vault cannot be saved (message is safe to show: no values)."""


@dataclass
class Entry:
    placeholder: str
    label: str
    key: str        # canonical value: two spellings of one value share a placeholder
    value: str      # the first spelling seen; never log it
    created: float
    used: float     # last time a redaction handed this placeholder out
    source: str = "text"

    def __repr__(self) -> str:  # never print the value by accident
        return f"Entry({self.placeholder}, source={self.source})"

    def to_row(self) -> list:
        return [self.placeholder, self.label, self.key, self.value, self.created, self.used,
                self.source]

    @classmethod
    def from_row(cls, row: list) -> Entry:
        placeholder, label, key, value, created, used, source = row
        return cls(str(placeholder), str(label), str(key), str(value), float(created),
                   float(used), str(source))


class Vault(PlaceholderMap):
    def __init__(self, path: str | Path | None = None, *, ttl_hours: float = DEFAULT_TTL_HOURS,
                 memory_only: bool = False, clock: Callable[[], float] = time.time,
                 key_provider: Callable[[Path], tuple[bytes, str]] | None = None) -> None:
        super().__init__()
        if ttl_hours <= 0:
            raise ValueError("ttl_hours must be positive")
        self.memory_only = memory_only or path is None
        self.path = None if self.memory_only else Path(path)
        self.ttl_seconds = float(ttl_hours) * 3600.0
        self._clock = clock
        self._key_provider = key_provider or keystore.data_key
        self._key: bytes | None = None
        self._entries: dict[str, Entry] = {}
        self._cleared_at = 0.0
        self._source = "text"
        self._lock = threading.RLock()
        self._depth = 0
        self._loaded_sig: tuple[int, int] | None = None

    # -- PlaceholderMap ---------------------------------------------------------------
    def placeholder_for(self, label: str, entity: str, value: str) -> str:
        with self._lock:
            now = self._clock()
            key = (label, canonical_value(entity, value))
            found = self._by_key.get(key)
            entry = self._entries.get(found) if found else None
            if entry is not None and not self._expired(entry, now):
                entry.used = now
                return entry.placeholder
            if entry is not None:
                self._drop(entry)
            placeholder = f"[{label}_{self._next_number(label)}]"
            self._entries[placeholder] = Entry(placeholder, label, key[1], value, now, now,
                                               self._source)
            self._by_key[key] = placeholder
            return placeholder

    def value_of(self, placeholder: str) -> str | None:
        with self._lock:
            entry = self._entries.get(placeholder)
            if entry is None or self._expired(entry, self._clock()):
                return None
            return entry.value

    def items(self) -> dict[str, str]:
        """Placeholder -> original value for the live entries, oldest first."""
        with self._lock:
            now = self._clock()
            return {p: e.value for p, e in self._entries.items() if not self._expired(e, now)}

    def __len__(self) -> int:
        return len(self.items())

    def placeholder_map(self) -> Vault:
        """The map to pass to ``engine.redact``: the vault itself, numbering across entries."""
        return self

    # -- what restore needs to know ----------------------------------------------------
    def labels(self) -> set[str]:
        """Every label this vault ever numbered (kept after expiry: numbers are never reused)."""
        with self._lock:
            return set(self._counters)

    def was_issued(self, label: str, number: int) -> bool:
        """True if this vault handed out ``[label_number]`` at some point (maybe expired)."""
        with self._lock:
            return 0 < number <= self._counters.get(label, 0)

    # -- lifetime -------------------------------------------------------------------------
    def _expired(self, entry: Entry, now: float) -> bool:
        return now - entry.used >= self.ttl_seconds

    def _drop(self, entry: Entry) -> None:
        self._entries.pop(entry.placeholder, None)
        key = (entry.label, entry.key)
        if self._by_key.get(key) == entry.placeholder:
            del self._by_key[key]

    def purge(self) -> int:
        """Forget expired entries; returns how many."""
        with self._lock:
            now = self._clock()
            old = [e for e in self._entries.values() if self._expired(e, now)]
            for entry in old:
                self._drop(entry)
            return len(old)

    def clear(self) -> None:
        """Forget every value now, here and on disk (numbering goes on, see module doc)."""
        with self._lock, self._file_lock():
            self._entries.clear()
            self._by_key.clear()
            self._cleared_at = self._clock()
            if self.path is not None:
                self._merge_disk(self._read_disk())  # keep the counters of other processes
                self._entries.clear()
                self._by_key.clear()
                self._write_disk()
        log.info("vault cleared")

    # -- recording a redaction ---------------------------------------------------------
    @contextlib.contextmanager
    def recording(self, source: str = "text") -> Iterator[Vault]:
        """Lock the vault file, take in other processes' entries, save when done.

        Every redaction that may be restored later should run inside this, so the tray and
        a CLI run at the same moment never number two values alike.
        """
        if source not in SOURCES:
            raise ValueError(f"unknown vault source {source!r}")
        with self._lock, self._file_lock():
            previous, self._source = self._source, source
            try:
                self.refresh()
                yield self
                if self._depth == 1:
                    try:
                        self._save_locked()
                    except VaultError as exc:
                        # The redaction itself must not fail: the values stay in this
                        # process (restore from here still works), only not on disk.
                        log.warning("vault not saved: %s", exc)
            finally:
                self._source = previous

    # -- persistence ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Take in entries saved by other processes since the last load (cheap if none)."""
        with self._lock:
            if self.path is not None and self._disk_signature() != self._loaded_sig:
                with self._file_lock():
                    self._merge_disk(self._read_disk())
            self.purge()

    def load(self) -> None:
        self.refresh()

    def save(self) -> None:
        """Write the vault atomically (merged with what other processes saved)."""
        if self.path is None:
            self.purge()
            return
        with self._lock, self._file_lock():
            self._save_locked()

    def _save_locked(self) -> None:
        if self.path is None:
            self.purge()
            return
        self._merge_disk(self._read_disk())
        self.purge()
        self._write_disk()

    def _disk_signature(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except (FileNotFoundError, AttributeError):
            return None
        return (st.st_mtime_ns, st.st_size)

    def _data_key(self) -> bytes:
        if self._key is None:
            try:
                self._key, store = self._key_provider(self.path.parent)
            except keystore.KeyStoreError as exc:
                raise VaultError(f"vault key unavailable: {exc}") from None
            log.info("vault key from %s", store)
        return self._key

    def _read_disk(self) -> dict | None:
        signature = self._disk_signature()
        try:
            blob = self.path.read_bytes()
        except FileNotFoundError:
            self._loaded_sig = None
            return None
        except OSError as exc:
            log.warning("vault file unreadable (%s); continuing without it", exc.strerror)
            return None
        self._loaded_sig = signature
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + NONCE_BYTES + 16:
            log.warning("vault file has an unknown format; it will be replaced")
            return None
        nonce = blob[len(MAGIC):len(MAGIC) + NONCE_BYTES]
        try:
            key = self._data_key()
            plain = AESGCM(key).decrypt(nonce, blob[len(MAGIC) + NONCE_BYTES:], MAGIC)
            data = json.loads(plain.decode("utf-8"))
        except (InvalidTag, ValueError, VaultError) as exc:
            # Another key (keystore reset) or a damaged file: the values are lost, not guessed.
            log.warning("vault file cannot be decrypted (%s); starting empty",
                        type(exc).__name__)
            return None
        if not isinstance(data, dict) or data.get("v") != FORMAT_VERSION:
            log.warning("vault file version not supported; starting empty")
            return None
        return data

    def _merge_disk(self, data: dict | None) -> None:
        if not data:
            return
        for label, number in dict(data.get("counters", {})).items():
            self._counters[label] = max(self._counters.get(label, 0), int(number))
        cleared_at = float(data.get("cleared_at", 0.0))
        if cleared_at > self._cleared_at:
            # Another process cleared the vault: what we held from before is gone too.
            for entry in [e for e in self._entries.values() if e.used <= cleared_at]:
                self._drop(entry)
            self._cleared_at = cleared_at
        now = self._clock()
        conflicts = 0
        for row in data.get("entries", []):
            try:
                entry = Entry.from_row(row)
            except (TypeError, ValueError):
                continue
            if self._expired(entry, now) or entry.used <= self._cleared_at:
                continue
            mine = self._entries.get(entry.placeholder)
            if mine is None:
                other = self._by_key.get((entry.label, entry.key))
                if other is not None and other != entry.placeholder:
                    # Same value under two numbers (saved outside ``recording``): keep both,
                    # the key points at the newer one.
                    self._entries[entry.placeholder] = entry
                    if entry.used > self._entries[other].used:
                        self._by_key[(entry.label, entry.key)] = entry.placeholder
                    continue
                self._entries[entry.placeholder] = entry
                self._by_key[(entry.label, entry.key)] = entry.placeholder
            elif mine.key != entry.key or mine.label != entry.label:
                # One placeholder, two values: restoring either would be a guess. Forget it.
                self._drop(mine)
                conflicts += 1
            else:
                mine.used = max(mine.used, entry.used)
                mine.created = min(mine.created, entry.created)
        if conflicts:
            log.warning("vault: %d placeholder(s) had two values in two processes; dropped",
                        conflicts)

    def _write_disk(self) -> None:
        data = {
            "v": FORMAT_VERSION,
            "counters": dict(self._counters),
            "cleared_at": self._cleared_at,
            "entries": [e.to_row() for e in self._entries.values()],
        }
        plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        nonce = secrets.token_bytes(NONCE_BYTES)
        blob = MAGIC + nonce + AESGCM(self._data_key()).encrypt(nonce, plain, MAGIC)
        folder = self.path.parent
        keystore._private_folder(folder)
        tmp = folder / f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise VaultError(f"cannot save the vault: {exc.strerror}") from None
        self._loaded_sig = self._disk_signature()

    # -- cross-process lock -----------------------------------------------------------
    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """An OS lock on ``vault.lock`` (re-entrant inside this process through ``_depth``)."""
        with self._lock:
            self._depth += 1
            try:
                if self._depth > 1 or self.path is None:
                    yield
                    return
                folder = self.path.parent
                keystore._private_folder(folder)
                with open(folder / LOCK_FILE, "a+b") as handle:
                    _lock_handle(handle)
                    try:
                        yield
                    finally:
                        _unlock_handle(handle)
            finally:
                self._depth -= 1


def _lock_handle(handle) -> None:
    if os.name == "nt":
        import msvcrt

        handle.seek(0)
        while True:
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after ~10 s; keep waiting
                continue
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def _unlock_handle(handle) -> None:
    if os.name == "nt":
        import msvcrt

        handle.seek(0)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# -- the process-wide vault -------------------------------------------------------------

_default_lock = threading.Lock()
_default: Vault | None = None


def vault_settings() -> tuple[float, bool]:
    """(ttl_hours, memory_only) from the settings registry, or the defaults without one."""
    try:
        from app import settings as settings_module
    except ImportError:
        return DEFAULT_TTL_HOURS, False
    values = []
    for name, default in (("vault_ttl_hours", DEFAULT_TTL_HOURS), ("vault_memory_only", False)):
        values.append(_read_setting(settings_module, name, default))
    ttl, memory_only = values
    try:
        ttl = float(ttl)
    except (TypeError, ValueError):
        ttl = DEFAULT_TTL_HOURS
    return (ttl if ttl > 0 else DEFAULT_TTL_HOURS), bool(memory_only)


def _read_setting(module, name: str, default):
    getter = getattr(module, "get", None)
    if callable(getter):
        try:
            return getter(name)
        except Exception:
            return default
    return default


def default_vault() -> Vault:
    """The vault shared by the tray and the CLI (``user_data_dir()/vault.bin``), built once."""
    global _default
    from app.paths import user_data_dir

    with _default_lock:
        path = user_data_dir() / VAULT_FILE
        if _default is None or (_default.path is not None and _default.path != path):
            ttl, memory_only = vault_settings()
            _default = Vault(None if memory_only else path, ttl_hours=ttl,
                             memory_only=memory_only)
            _default.refresh()
        return _default


def reset_default_vault() -> None:
    """Drop the process-wide vault (tests; a settings change of ttl or memory-only)."""
    global _default
    with _default_lock:
        _default = None
