"""Where the vault's data key lives: the OS keystore, or a private key file as a last resort.

The vault file is AES-GCM encrypted with a random 256-bit *data key*. That key is kept by
the operating system when it can:

- Windows: wrapped with DPAPI (``CryptProtectData``, current user), stored next to the vault;
  only this Windows account on this machine can unwrap it.
- macOS / Linux: the ``keyring`` package (Keychain / Secret Service) when it is installed
  and a real backend answers. It is optional: without it, or without a running Secret
  Service (headless Linux), we fall back to
- a key file readable only by the user (0600) in the user data folder.

Logs name the store in use, never the key.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import sys
from pathlib import Path

log = logging.getLogger(__name__)

KEY_BYTES = 32
SERVICE = "GiuKin"
ACCOUNT = "vault-data-key"
KEY_FILE = "vault.key"
DPAPI_FILE = "vault.key.dpapi"


class KeyStoreError(Exception):
    """The key cannot be read or written (message is safe to show; it holds no key)."""


class KeyStore:
    """A place that keeps one data key. ``load`` returns None when there is none yet."""

    name = "base"

    def load(self) -> bytes | None:
        raise NotImplementedError

    def store(self, key: bytes) -> None:
        raise NotImplementedError

    def delete(self) -> None:
        raise NotImplementedError

    def data_key(self) -> bytes:
        """The existing key, or a new random one stored for next time."""
        key = self.load()
        if key is not None:
            if len(key) != KEY_BYTES:
                raise KeyStoreError(f"vault key in {self.name} has the wrong size")
            return key
        key = secrets.token_bytes(KEY_BYTES)
        self.store(key)
        log.info("new vault key created in %s", self.name)
        return key


class FileKeyStore(KeyStore):
    """The key in a file only the user can read. The fallback where no OS keystore answers."""

    name = "key file"

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / KEY_FILE

    def load(self) -> bytes | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise KeyStoreError(f"cannot read the vault key file: {exc.strerror}") from None
        if os.name == "posix":
            mode = self.path.stat().st_mode & 0o777
            if mode & 0o077:
                # Someone widened it: take it back rather than refuse to work.
                os.chmod(self.path, 0o600)
                log.warning("vault key file was readable by others; permissions reset to 0600")
        try:
            return base64.b64decode(raw.strip(), validate=True)
        except ValueError:
            raise KeyStoreError("the vault key file is damaged") from None

    def store(self, key: bytes) -> None:
        _private_folder(self.path.parent)
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        # O_EXCL + 0600 at creation: the key is never readable by others, even briefly.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(base64.b64encode(key))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        log.warning("no OS keystore available: vault key kept in a private key file (0600)")

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)


class DpapiKeyStore(KeyStore):
    """Windows: the key wrapped by DPAPI for the current user, stored in a file."""

    name = "Windows DPAPI"

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / DPAPI_FILE

    def load(self) -> bytes | None:
        try:
            blob = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return dpapi_unprotect(blob)

    def store(self, key: bytes) -> None:
        _private_folder(self.path.parent)
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp.write_bytes(dpapi_protect(key))
        os.replace(tmp, self.path)

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)


class KeyringKeyStore(KeyStore):
    """macOS Keychain / Secret Service through the optional ``keyring`` package."""

    name = "OS keyring"

    def __init__(self, module) -> None:
        self._keyring = module

    def load(self) -> bytes | None:
        try:
            text = self._keyring.get_password(SERVICE, ACCOUNT)
        except Exception as exc:  # keyring backends raise their own types
            raise KeyStoreError(f"keyring unavailable: {type(exc).__name__}") from None
        if text is None:
            return None
        try:
            return base64.b64decode(text, validate=True)
        except ValueError:
            raise KeyStoreError("the vault key in the keyring is damaged") from None

    def store(self, key: bytes) -> None:
        try:
            self._keyring.set_password(SERVICE, ACCOUNT, base64.b64encode(key).decode("ascii"))
        except Exception as exc:
            raise KeyStoreError(f"keyring unavailable: {type(exc).__name__}") from None

    def delete(self) -> None:
        try:
            self._keyring.delete_password(SERVICE, ACCOUNT)
        except Exception:
            pass


def usable_keyring():
    """The ``keyring`` module if it is installed and has a real backend, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except Exception:  # not installed (optional dependency) or broken install
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def data_key(folder: Path) -> tuple[bytes, str]:
    """The vault data key and the name of the store that holds it.

    Order: DPAPI on Windows; elsewhere an existing key file (so a key is never silently
    replaced), then the keyring, then a new key file.
    """
    folder = Path(folder)
    if sys.platform == "win32":
        store: KeyStore = DpapiKeyStore(folder)
        return store.data_key(), store.name
    file_store = FileKeyStore(folder)
    if file_store.path.exists():
        return file_store.data_key(), file_store.name
    module = usable_keyring()
    if module is not None:
        store = KeyringKeyStore(module)
        try:
            return store.data_key(), store.name
        except KeyStoreError as exc:
            # A locked or absent Secret Service: fall back, but say so (no values).
            log.warning("OS keyring not usable (%s); using a private key file", exc)
    return file_store.data_key(), file_store.name


def forget_key(folder: Path) -> None:
    """Remove the data key from every store (used when the vault is reset)."""
    folder = Path(folder)
    FileKeyStore(folder).delete()
    DpapiKeyStore(folder).delete()
    module = usable_keyring()
    if module is not None:
        KeyringKeyStore(module).delete()


def _private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        try:
            os.chmod(folder, 0o700)
        except OSError:
            pass


# -- Windows DPAPI via ctypes (import-safe elsewhere: nothing loads until called) --------

def _dpapi_call(function_name: str, data: bytes) -> bytes:
    if sys.platform != "win32":
        raise KeyStoreError("DPAPI exists only on Windows")
    import ctypes
    from ctypes import wintypes

    class DataBlob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    crypt32 = ctypes.windll.crypt32
    kernel32 = ctypes.windll.kernel32
    buffer = ctypes.create_string_buffer(data, len(data))
    blob_in = DataBlob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
    blob_out = DataBlob()
    cryptprotect_ui_forbidden = 0x1
    function = getattr(crypt32, function_name)
    if function_name == "CryptProtectData":
        ok = function(ctypes.byref(blob_in), "GiuKin vault key", None, None, None,
                      cryptprotect_ui_forbidden, ctypes.byref(blob_out))
    else:
        ok = function(ctypes.byref(blob_in), None, None, None, None,
                      cryptprotect_ui_forbidden, ctypes.byref(blob_out))
    if not ok:
        raise KeyStoreError(f"{function_name} failed (Windows error {ctypes.GetLastError()})")
    try:
        return ctypes.string_at(blob_out.pbData, blob_out.cbData)
    finally:
        kernel32.LocalFree(blob_out.pbData)


def dpapi_protect(data: bytes) -> bytes:
    return _dpapi_call("CryptProtectData", data)


def dpapi_unprotect(blob: bytes) -> bytes:
    return _dpapi_call("CryptUnprotectData", blob)
