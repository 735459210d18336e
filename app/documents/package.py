"""The zip container: preflight by magic bytes, bounded reads, atomic writes.

``zipfile.is_zipfile`` is never trusted (a legacy .doc can pass it); the first bytes
decide. Every member is inflated in capped chunks, so a forged size or a bomb stops at
the cap instead of filling memory.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 64 * 1024
CONTENT_TYPES = "[Content_Types].xml"


@dataclass(frozen=True)
class Limits:
    """Resource caps for one document (every size is of inflated bytes)."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_members: int = 10_000
    max_member_bytes: int = 100 * 1024 * 1024
    max_xml_part_bytes: int = 60 * 1024 * 1024
    max_total_bytes: int = 600 * 1024 * 1024
    max_ratio: int = 300          # declared inflated/compressed, for members over 1 MB
    max_name_length: int = 512
    max_elements: int = 3_000_000
    max_nesting: int = 2          # embedded workbooks/documents inside a package
    max_unit_chars: int = 2_000_000


def preflight(path: Path, limits: Limits) -> None:
    """Refuse what is not an OOXML zip, with the reason the user can act on."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise DocumentError("unreadable", detail=exc.strerror or "") from None
    if size > limits.max_file_bytes:
        raise DocumentError("too_big")
    if head.startswith(OLE_MAGIC):
        raise DocumentError("encrypted" if _ole_is_encrypted(path) else "legacy")
    if not head.startswith(ZIP_MAGIC):
        if head[:5] in (b"{\\rtf",) or head.lstrip()[:1] == b"<":
            raise DocumentError("not_ooxml")
        raise DocumentError("corrupt" if size else "empty")


def _ole_is_encrypted(path: Path) -> bool:
    """An encrypted OOXML file is an OLE container with EncryptionInfo/EncryptedPackage streams."""
    needles = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
    with path.open("rb") as handle:
        data = handle.read(8 * 1024 * 1024)
    return any(n in data for n in needles)


def part_name(member: str) -> str:
    """The OPC part name of a zip member. Some Windows tools store ``xl\\styles.xml`` and
    ``[content_types].xml``; Office reads them, so we do too, and write the standard names."""
    name = member.replace("\\", "/")
    return CONTENT_TYPES if name.lower() == CONTENT_TYPES.lower() else name


class Package:
    """A read-only view of an OOXML zip with bounded member reads."""

    def __init__(self, source: Path | bytes, limits: Limits) -> None:
        self.limits = limits
        self._total = 0
        try:
            if isinstance(source, bytes):
                import io

                self._zip = zipfile.ZipFile(io.BytesIO(source))
            else:
                self._zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise DocumentError("corrupt") from None
        self.infos = self._check_members()
        self.names = [part_name(i.filename) for i in self.infos]
        self._by_name = dict(zip(self.names, self.infos, strict=True))

    def _check_members(self) -> list[zipfile.ZipInfo]:
        infos = [i for i in self._zip.infolist() if not i.is_dir()]
        lim = self.limits
        if len(infos) > lim.max_members:
            raise DocumentError("bomb", detail="too many members")
        seen: set[str] = set()
        declared = 0
        for info in infos:
            name = part_name(info.filename)
            norm = posixpath.normpath(name)
            if (len(name) > lim.max_name_length or name.startswith("/") or ".." in
                    norm.split("/") or ":" in name.split("/")[0] or "\x00" in name):
                raise DocumentError("corrupt", detail="bad member name")
            key = name.lower()
            if key in seen:
                raise DocumentError("corrupt", detail="duplicate member")
            seen.add(key)
            if info.flag_bits & 0x1:
                raise DocumentError("encrypted")
            declared += info.file_size
            if info.file_size > 1024 * 1024 and info.file_size > lim.max_ratio * max(
                    info.compress_size, 1):
                raise DocumentError("bomb", detail="compression ratio")
            if info.file_size > lim.max_member_bytes:
                raise DocumentError("too_big", detail="member too big")
        if declared > lim.max_total_bytes:
            raise DocumentError("too_big", detail="total size")
        if CONTENT_TYPES.lower() not in seen:
            raise DocumentError("corrupt", detail="no [Content_Types].xml")
        return infos

    def rename(self, old: str, new: str) -> None:
        """Give a member another part name (the output is written under it)."""
        index = self.names.index(old)
        self.names[index] = new
        self._by_name[new] = self._by_name.pop(old)

    def info(self, name: str) -> zipfile.ZipInfo:
        return self._by_name[name]

    def read(self, name: str, cap: int | None = None) -> bytes:
        """Inflate one member in chunks, never past ``cap`` (or the member/total limits)."""
        lim = self.limits
        cap = min(cap or lim.max_member_bytes, lim.max_member_bytes)
        parts: list[bytes] = []
        got = 0
        try:
            with self._zip.open(self._by_name[name]) as handle:
                while True:
                    chunk = handle.read(CHUNK)
                    if not chunk:
                        break
                    got += len(chunk)
                    self._total += len(chunk)
                    if got > cap:
                        raise DocumentError("bomb" if cap == lim.max_member_bytes else "too_big",
                                            detail=f"member larger than {cap} bytes")
                    if self._total > lim.max_total_bytes:
                        raise DocumentError("bomb", detail="inflated total over limit")
                    parts.append(chunk)
        except DocumentError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
                RuntimeError) as exc:
            raise DocumentError("corrupt", detail=type(exc).__name__) from None
        except Exception as exc:  # zlib.error and friends
            raise DocumentError("corrupt", detail=type(exc).__name__) from None
        return b"".join(parts)

    def close(self) -> None:
        self._zip.close()


def write_package(out: zipfile.ZipFile, pkg: Package, changed: dict[str, bytes],
                  removed: set[str]) -> None:
    """Members in the original order: changed ones rewritten, the rest copied unchanged."""
    for name, info in zip(pkg.names, pkg.infos, strict=True):
        if name in removed:
            continue
        data = changed[name] if name in changed else pkg.read(name)
        zi = zipfile.ZipInfo(name, date_time=info.date_time)
        zi.compress_type = info.compress_type if info.compress_type in (
            zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else zipfile.ZIP_DEFLATED
        zi.external_attr = info.external_attr
        zi.create_system = info.create_system
        out.writestr(zi, data)


def atomic_temp(target: Path) -> Path:
    """A fresh temp file beside ``target`` (same folder, so os.replace is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".giukin-", suffix=".part", dir=target.parent)
    os.close(fd)
    return Path(name)


def commit_temp(temp: Path, target: Path) -> None:
    with temp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, target)
