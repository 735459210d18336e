"""Ed25519 keys for rule packs: IT's key pair, and the public keys a workstation trusts.

A public key is written as one base64 line (32 raw bytes), so IT can paste it into a
Group Policy text box; PEM is accepted too. A key id is the first 16 hex digits of the
SHA-256 of the raw key: short enough to read aloud, long enough not to collide.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import UpdateError

PRIVATE_FILE = "private.key"
PUBLIC_FILE = "public.key"
MAX_KEY_FILE_BYTES = 16_384


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public(key)).hexdigest()[:16]


def public_text(key: Ed25519PublicKey) -> str:
    return base64.b64encode(raw_public(key)).decode("ascii")


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A public key from base64 (comment lines '#' allowed) or PEM text."""
    text = text.strip()
    if "BEGIN PUBLIC KEY" in text:
        try:
            key = serialization.load_pem_public_key(text.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            key = None
        if isinstance(key, Ed25519PublicKey):
            return key
        raise _bad_key()
    lines = [line.strip() for line in text.splitlines()
             if line.strip() and not line.strip().startswith("#")]
    if len(lines) != 1:
        raise _bad_key()
    try:
        raw = base64.b64decode(lines[0], validate=True)
    except (binascii.Error, ValueError):
        raise _bad_key() from None
    if len(raw) != 32:
        raise _bad_key()
    return Ed25519PublicKey.from_public_bytes(raw)


def _bad_key() -> UpdateError:
    return UpdateError("bad_key", "Khóa công khai không hợp lệ (cần khóa Ed25519, dạng base64 hoặc PEM).",
                       "Not a valid public key (expected an Ed25519 key, base64 or PEM).")


def _read_small(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise UpdateError("bad_key", f"Tệp khóa quá lớn: {path}", f"Key file too large: {path}")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UpdateError("no_key", f"Không tìm thấy tệp khóa: {path}",
                          f"Key file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UpdateError("no_key", f"Không đọc được tệp khóa {path}: {exc}",
                          f"Cannot read key file {path}: {exc}") from None


def load_public_key(path: str | Path) -> Ed25519PublicKey:
    return parse_public_key(_read_small(Path(path)))


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    text = _read_small(Path(path))
    try:
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise UpdateError("bad_key", f"Tệp {path} không phải khóa bí mật Ed25519 của Giữ Kín.",
                          f"{path} is not a Giữ Kín Ed25519 private key.")
    return key


def keygen(keydir: str | Path) -> tuple[Path, Path, str]:
    """Write a new key pair; the private file is readable by its owner only.

    Refuses to overwrite: replacing a key by accident would orphan every workstation
    that pinned the old one.
    """
    keydir = Path(keydir)
    private_path, public_path = keydir / PRIVATE_FILE, keydir / PUBLIC_FILE
    if private_path.exists() or public_path.exists():
        raise UpdateError("exists", f"{keydir} đã có khóa; không ghi đè. Chọn thư mục khác.",
                          f"{keydir} already holds a key; not overwriting. Choose another folder.")
    try:
        keydir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.chmod(private_path, 0o600)  # umask cannot widen it, but be explicit
        _owner_only_on_windows(private_path)
        public = key.public_key()
        kid = key_id(public)
        public_path.write_text(f"# Giữ Kín rule-pack public key, id {kid}\n{public_text(public)}\n",
                               encoding="utf-8")
    except OSError as exc:
        raise UpdateError("io", f"Không ghi được khóa vào {keydir}: {exc}",
                          f"Cannot write keys to {keydir}: {exc}") from None
    return private_path, public_path, kid


def _owner_only_on_windows(path: Path) -> None:
    """chmod does not restrict readers on Windows: drop inherited ACLs, grant the owner only."""
    if sys.platform != "win32":
        return
    import getpass
    import subprocess

    subprocess.run(["icacls", str(path), "/inheritance:r", "/grant:r", f"{getpass.getuser()}:F"],
                   check=False, capture_output=True)


def shipped_keys_dir() -> Path:
    from app.paths import rules_dir

    return rules_dir() / "keys"


def shipped_keys() -> dict[str, Ed25519PublicKey]:
    keys: dict[str, Ed25519PublicKey] = {}
    folder = shipped_keys_dir()
    for path in sorted(folder.glob("*.pub")) if folder.is_dir() else []:
        key = load_public_key(path)
        keys[key_id(key)] = key
    return keys


def keys_from_entries(entries: list[str]) -> tuple[dict[str, Ed25519PublicKey], list[str]]:
    """Keys from policy entries (base64 text or a path to a key file); bad entries listed."""
    keys: dict[str, Ed25519PublicKey] = {}
    problems: list[str] = []
    for index, entry in enumerate(entries):
        try:
            if entry.strip().endswith((".key", ".pub", ".pem")):
                key = load_public_key(entry.strip())
            else:
                key = parse_public_key(entry)
        except UpdateError as exc:
            problems.append(f"rule_public_keys[{index}]: {exc.en}")
            continue
        keys[key_id(key)] = key
    return keys, problems


def pinned_keys(policy: dict | None = None) -> dict[str, Ed25519PublicKey]:
    """The keys this workstation trusts: IT policy's list when set, else the shipped ones.

    A policy list replaces the shipped keys (IT decides whom to trust). When every entry
    of a policy list is broken, nothing is trusted: fail closed, updates are refused.
    """
    if policy is None:
        from .policy import read_policy

        policy = read_policy()
    entries = policy.get("rule_public_keys") or []
    if entries:
        keys, _problems = keys_from_entries(list(entries))
        return keys
    return shipped_keys()
