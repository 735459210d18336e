"""The signed manifest of a rule pack: what is in it, for how long, and who vouches.

``manifest.json`` binds the pack id, version, dates, minimum app version and the
SHA-256 and size of every file; ``manifest.json.sig`` is an Ed25519 signature over the
exact bytes of ``manifest.json`` (base64, one line). Verification never trusts the key
written in the manifest: it looks the key id up among the pinned keys.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import regex
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app import yamlsafe

from .errors import UpdateError
from .keys import key_id, parse_public_key, public_text

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
FORMAT = 1
MAX_MANIFEST_BYTES = 65_536
MAX_SIGNATURE_BYTES = 1_024
MAX_FILE_BYTES = 2_000_000       # same cap as the engine's rule-file reader
MAX_FILES = 64
MAX_TOTAL_BYTES = 16_000_000
DEFAULT_EXPIRY_DAYS = 90
_NAME = regex.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_VERSION = regex.compile(r"\d{1,10}(\.\d{1,10}){0,5}")
_PACK_ID = regex.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def parse_version(text: str) -> tuple[int, ...]:
    """'2026.12.01' -> (2026, 12, 1). Versions are dotted numbers so they can be ordered."""
    if not isinstance(text, str) or not _VERSION.fullmatch(text):
        raise UpdateError("bad_version",
                          f"Phiên bản '{text}' không hợp lệ: dùng các số cách nhau bởi dấu chấm (vd 2026.12.01).",
                          f"Version '{text}' is invalid: use dot-separated numbers (e.g. 2026.12.01).")
    return tuple(int(part) for part in text.split("."))


def _utc(text: str, field: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError, TypeError):
        raise _invalid(f"'{field}' is not a date") from None
    if value.tzinfo is None:
        raise _invalid(f"'{field}' has no time zone")
    return value.astimezone(UTC)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _invalid(detail: str) -> UpdateError:
    return UpdateError("bad_manifest", f"Tệp kê khai (manifest) không hợp lệ: {detail}",
                       f"Invalid manifest: {detail}")


@dataclass(frozen=True)
class FileEntry:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    pack_id: str
    version: str
    created: datetime
    expires: datetime
    min_app_version: str
    key_id: str
    files: tuple[FileEntry, ...]
    digest: str  # SHA-256 of the manifest bytes: tells two releases of one version apart

    @property
    def version_key(self) -> tuple[int, ...]:
        return parse_version(self.version)

    def expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) >= self.expires

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)


def parse_manifest(data: bytes) -> Manifest:
    """Check the manifest's shape (no trust yet); every size and name is bounded."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise _invalid(f"larger than {MAX_MANIFEST_BYTES} bytes")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _invalid("not JSON") from None
    if not isinstance(raw, dict):
        raise _invalid("not a JSON object")
    if raw.get("format") != FORMAT:
        raise _invalid(f"format must be {FORMAT}")
    for name in ("pack_id", "version", "created", "expires", "min_app_version", "key_id",
                 "public_key"):
        if not isinstance(raw.get(name), str):
            raise _invalid(f"field '{name}' is missing or not text")
    if not _PACK_ID.fullmatch(raw["pack_id"]):
        raise _invalid("field 'pack_id' must be lowercase letters, digits, '.', '_' or '-'")
    parse_version(raw["version"])
    if raw["min_app_version"]:
        parse_version(raw["min_app_version"])
    files = raw.get("files")
    if not isinstance(files, list) or not files or len(files) > MAX_FILES:
        raise _invalid(f"field 'files' must list 1 to {MAX_FILES} files")
    entries, seen = [], set()
    for item in files:
        if not isinstance(item, dict) or set(item) != {"name", "sha256", "size"}:
            raise _invalid("each file needs exactly name, sha256 and size")
        name, digest, size = item["name"], item["sha256"], item["size"]
        if not isinstance(name, str) or not _NAME.fullmatch(name) or name in (MANIFEST, SIGNATURE):
            raise _invalid(f"file name {name!r} is not a plain file name")
        if name in seen:
            raise _invalid(f"file '{name}' listed twice")
        seen.add(name)
        if not isinstance(digest, str) or not regex.fullmatch(r"[0-9a-f]{64}", digest):
            raise _invalid(f"file '{name}': sha256 must be 64 lowercase hex digits")
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_FILE_BYTES:
            raise _invalid(f"file '{name}': size must be 0..{MAX_FILE_BYTES}")
        entries.append(FileEntry(name, digest, size))
    if "pack.yaml" not in seen:
        raise _invalid("pack.yaml is not listed")
    if sum(e.size for e in entries) > MAX_TOTAL_BYTES:
        raise _invalid(f"files add up to more than {MAX_TOTAL_BYTES} bytes")
    created, expires = _utc(raw["created"], "created"), _utc(raw["expires"], "expires")
    if expires <= created:
        raise _invalid("'expires' is not after 'created'")
    try:
        embedded = parse_public_key(raw["public_key"])
    except UpdateError:
        raise _invalid("field 'public_key' is not an Ed25519 key") from None
    if key_id(embedded) != raw["key_id"]:
        raise _invalid("'key_id' does not match 'public_key'")
    return Manifest(raw["pack_id"], raw["version"], created, expires, raw["min_app_version"],
                    raw["key_id"], tuple(entries), hashlib.sha256(data).hexdigest())


def embedded_key(data: bytes) -> Ed25519PublicKey:
    return parse_public_key(json.loads(data.decode("utf-8"))["public_key"])


def verify_manifest(data: bytes, signature: bytes,
                    trusted: dict[str, Ed25519PublicKey]) -> Manifest:
    """Parse, then check the signature with a *pinned* key. Raises UpdateError."""
    manifest = parse_manifest(data)
    key = trusted.get(manifest.key_id)
    if key is None:
        raise UpdateError("unknown_key",
                          f"Bộ quy tắc được ký bằng khóa {manifest.key_id}, không nằm trong các khóa tin cậy.",
                          f"The pack is signed with key {manifest.key_id}, which is not a trusted key.")
    if len(signature) > MAX_SIGNATURE_BYTES:
        raise _bad_signature()
    try:
        raw_sig = base64.b64decode(signature.strip(), validate=True)
        key.verify(raw_sig, data)
    except (binascii.Error, ValueError, InvalidSignature):
        raise _bad_signature() from None
    return manifest


def _bad_signature() -> UpdateError:
    return UpdateError("bad_signature", "Chữ ký của bộ quy tắc không đúng: có thể đã bị sửa đổi.",
                       "The rule pack's signature does not match: it may have been altered.")


def check_installable(manifest: Manifest, app_version: str, now: datetime | None = None) -> None:
    """Expired or too-new-for-this-app manifests are never installed."""
    if manifest.expired(now):
        raise UpdateError("expired",
                          f"Bộ quy tắc {manifest.version} đã hết hạn ngày {iso(manifest.expires)}; không cài.",
                          f"Rule pack {manifest.version} expired on {iso(manifest.expires)}; not installed.")
    if manifest.min_app_version and parse_version(app_version) < parse_version(manifest.min_app_version):
        raise UpdateError("app_too_old",
                          f"Bộ quy tắc cần Giữ Kín {manifest.min_app_version} trở lên (máy này: {app_version}).",
                          f"The rule pack needs Giữ Kín {manifest.min_app_version} or later (this: {app_version}).")


def hash_file(path: Path, limit: int) -> tuple[str, int]:
    """SHA-256 and size of a file, reading at most ``limit + 1`` bytes."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while size <= limit:
            chunk = handle.read(min(65_536, limit + 1 - size))
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def check_file(entry: FileEntry, path: Path) -> None:
    """The file on disk is exactly the one the manifest names (size first, then hash)."""
    try:
        actual = path.stat().st_size
        if actual != entry.size:
            raise _file_mismatch(entry.name, f"size {actual}, expected {entry.size}")
        digest, size = hash_file(path, entry.size)
    except FileNotFoundError:
        raise UpdateError("missing_file", f"Thiếu tệp {entry.name} trong bộ quy tắc.",
                          f"File {entry.name} is missing from the pack.") from None
    if size != entry.size or digest != entry.sha256:
        raise _file_mismatch(entry.name, "content differs from the signed manifest")


def _file_mismatch(name: str, detail: str) -> UpdateError:
    return UpdateError("tampered", f"Tệp {name} không khớp với bản đã ký ({detail}).",
                       f"File {name} does not match the signed manifest ({detail}).")


def read_capped(path: Path, limit: int) -> bytes:
    if path.stat().st_size > limit:
        raise _invalid(f"{path.name} is larger than {limit} bytes")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _invalid(f"{path.name} is larger than {limit} bytes")
    return data


def verify_folder(folder: str | Path, trusted: dict[str, Ed25519PublicKey]) -> Manifest:
    """Signature, then every listed file's size and hash. Does not check expiry."""
    folder = Path(folder)
    try:
        data = read_capped(folder / MANIFEST, MAX_MANIFEST_BYTES)
        signature = read_capped(folder / SIGNATURE, MAX_SIGNATURE_BYTES)
    except FileNotFoundError as exc:
        raise UpdateError("unsigned", f"{folder} chưa được ký (thiếu {Path(exc.filename).name}).",
                          f"{folder} is not signed ({Path(exc.filename).name} is missing).") from None
    manifest = verify_manifest(data, signature, trusted)
    for entry in manifest.files:
        check_file(entry, folder / entry.name)
    return manifest


def _pack_meta(folder: Path) -> dict:
    path = folder / "pack.yaml"
    try:
        with path.open("rb") as handle:
            meta = yamlsafe.load(handle.read(MAX_FILE_BYTES + 1))
    except FileNotFoundError:
        raise UpdateError("not_a_pack", f"{folder} không có pack.yaml.",
                          f"{folder} has no pack.yaml.") from None
    except (OSError, yamlsafe.YAMLError, UnicodeDecodeError) as exc:
        raise UpdateError("bad_pack", f"Không đọc được {path}: {exc}",
                          f"Cannot read {path}: {exc}") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("files"), list):
        raise UpdateError("bad_pack", f"{path} phải có id, version và files.",
                          f"{path} must have id, version and files.")
    return meta


def sign_folder(folder: str | Path, private: Ed25519PrivateKey, *,
                expires_days: int = DEFAULT_EXPIRY_DAYS, min_app_version: str | None = None,
                now: datetime | None = None) -> Manifest:
    """Write manifest.json and manifest.json.sig into a pack folder (atomically)."""
    folder = Path(folder)
    meta = _pack_meta(folder)
    pack_id, version = str(meta.get("id", "")), str(meta.get("version", ""))
    if not _PACK_ID.fullmatch(pack_id):
        raise UpdateError("bad_pack", f"id '{pack_id}' trong pack.yaml không hợp lệ.",
                          f"id '{pack_id}' in pack.yaml is invalid.")
    parse_version(version)
    if not 1 <= expires_days <= 3650:
        raise UpdateError("bad_expiry", "Thời hạn phải từ 1 đến 3650 ngày.",
                          "Expiry must be 1 to 3650 days.")
    min_app = min_app_version if min_app_version is not None else str(meta.get("min_app_version") or "")
    if min_app:
        parse_version(min_app)
    names = ["pack.yaml"] + [str(n) for n in meta["files"]]
    files = []
    for name in dict.fromkeys(names):
        path = folder / name
        if not _NAME.fullmatch(name) or not path.is_file():
            raise UpdateError("missing_file", f"pack.yaml liệt kê '{name}' nhưng không có tệp đó.",
                              f"pack.yaml lists '{name}' but there is no such file.")
        digest, size = hash_file(path, MAX_FILE_BYTES)
        if size > MAX_FILE_BYTES:
            raise UpdateError("too_large", f"Tệp {name} lớn hơn {MAX_FILE_BYTES} byte.",
                              f"File {name} is larger than {MAX_FILE_BYTES} bytes.")
        files.append({"name": name, "sha256": digest, "size": size})
    now = now or datetime.now(UTC)
    public = private.public_key()
    body = {
        "format": FORMAT, "pack_id": pack_id, "version": version,
        "created": iso(now), "expires": iso(now + timedelta(days=expires_days)),
        "min_app_version": min_app, "key_id": key_id(public), "public_key": public_text(public),
        "files": files,
    }
    data = (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    manifest = parse_manifest(data)  # the signer never writes what a client would reject
    signature = base64.b64encode(private.sign(data)) + b"\n"
    write_atomic(folder / MANIFEST, data)
    write_atomic(folder / SIGNATURE, signature)
    return manifest


def write_atomic(path: Path, data: bytes) -> None:
    from app.textio import write_atomic as write

    write(path, data)
