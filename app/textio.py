"""Reading text inputs safely: size caps, binary detection, encodings, atomic writes.

Text copied from old Vietnamese software arrives in Windows-1258 or as VNI/TCVN3 bytes
shown through Windows-1252; both are decoded here and left to the engine's normaliser.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path

MAX_TEXT_BYTES = 50 * 1024 * 1024  # a paste or a text file larger than this is refused
TEXT_SUFFIXES = {".txt", ".md", ".csv", ".tsv", ".log", ".text", ".markdown"}


class InputError(Exception):
    """Bad input with a message for the user (Vietnamese / English)."""


def decode_bytes(data: bytes, name: str = "input") -> str:
    if not data:
        return ""
    head = data[:8192]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(_bad_encoding(name)) from None
    if b"\x00" in head:
        raise InputError(
            f"{name}: tệp nhị phân, không phải văn bản / binary data, not text"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Windows-1258 (Vietnamese ANSI) stores tone marks as combining characters; text
    # typed in VNI/TCVN3 fonts is plain Windows-1252 bytes that the engine converts.
    as_1258 = data.decode("cp1258", errors="replace")
    combining = sum(1 for ch in as_1258[:20000] if unicodedata.combining(ch))
    if combining >= 3:
        return as_1258
    return data.decode("cp1252", errors="replace")


def _bad_encoding(name: str) -> str:
    return f"{name}: không đọc được bảng mã / unreadable text encoding"


def read_text_file(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: không đọc được / cannot read ({exc.strerror})") from None
    if size > MAX_TEXT_BYTES:
        raise InputError(
            f"{path}: tệp quá lớn ({size // (1024 * 1024)} MB > {MAX_TEXT_BYTES // (1024 * 1024)} MB)"
            f" / file too large"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: không đọc được / cannot read ({exc.strerror})") from None
    return decode_bytes(data, str(path))


def read_stream(stream, name: str = "stdin") -> str:
    data = stream.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(f"{name}: dữ liệu quá lớn / input too large (> 50 MB)")
    return decode_bytes(data, name)


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write to a temp file in the same folder, then rename: never a half-written output.

    ``mode`` None gives an ordinary file (umask applies); private files pass 0o600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".giukin-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, (0o666 & ~_umask()) if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
