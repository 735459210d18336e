"""Where workstations fetch rule packs: a folder or UNC share, or an HTTPS URL.

A published source looks like::

    latest.json                    {"release": "<pack_id>-<version>"}   (unsigned pointer)
    <pack_id>-<version>/           pack files + manifest.json + manifest.json.sig

The pointer is not trusted: it can only point at releases IT signed, and the ratchet
refuses old ones. Release folders are written completely before the pointer is swapped,
so a client never reads half a release. Every read has a size cap known *before* the
transfer (the manifest's sizes for pack files), so a hostile source cannot feed endless
data. This is the only module in Giữ Kín that opens network connections.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import regex

from .errors import UpdateError
from .manifest import MANIFEST, SIGNATURE, FileEntry, Manifest, verify_folder, write_atomic

POINTER = "latest.json"
MAX_POINTER_BYTES = 4_096
TIMEOUT_SECONDS = 20
_RELEASE = regex.compile(r"[a-z0-9][a-z0-9._-]{0,63}-\d{1,10}(\.\d{1,10}){0,5}")


def _too_large(name: str, limit: int) -> UpdateError:
    return UpdateError("too_large", f"{name} lớn hơn giới hạn {limit} byte; bị từ chối.",
                       f"{name} is larger than the {limit}-byte limit; rejected.")


def _truncated(name: str) -> UpdateError:
    return UpdateError("truncated", f"{name} tải về không đủ dữ liệu (bị cắt ngắn).",
                       f"{name} arrived incomplete (truncated download).")


def _unreachable(where: str, detail: str) -> UpdateError:
    return UpdateError("unreachable", f"Không truy cập được nguồn cập nhật {where}: {detail}",
                       f"Cannot reach the update source {where}: {detail}")


class Source:
    """Read small named files from a release source, never more than asked for."""

    location: str

    def read(self, relpath: str, limit: int) -> bytes:
        raise NotImplementedError

    def fetch(self, relpath: str, entry: FileEntry, dest: Path) -> None:
        """Download one pack file into ``dest``, checking size and hash."""
        data = self.read(relpath, entry.size)
        if len(data) < entry.size:
            raise _truncated(entry.name)
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise UpdateError("tampered", f"Tệp {entry.name} không khớp với bản đã ký.",
                              f"File {entry.name} does not match the signed manifest.")
        dest.write_bytes(data)


class FolderSource(Source):
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.location = str(folder)

    def read(self, relpath: str, limit: int) -> bytes:
        path = self.folder.joinpath(*relpath.split("/"))
        if not self.folder.is_dir():
            raise _unreachable(self.location, "không có thư mục này / no such folder")
        try:
            if path.stat().st_size > limit:  # the size check happens before any read
                raise _too_large(relpath, limit)
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        except FileNotFoundError:
            raise UpdateError("not_found", f"Nguồn không có {relpath}.",
                              f"The source has no {relpath}.") from None
        except OSError as exc:
            raise _unreachable(self.location, exc.strerror or str(exc)) from None
        if len(data) > limit:
            raise _too_large(relpath, limit)
        return data


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None  # a redirect could leave HTTPS; IT gives the final URL


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HttpSource(Source):
    """HTTPS only; plain HTTP is accepted for loopback addresses (local mirrors, tests)."""

    def __init__(self, url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise UpdateError("insecure", "Nguồn HTTP không mã hóa bị từ chối; dùng https://.",
                              "Plain HTTP sources are refused; use https://.")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UpdateError("bad_source", f"Địa chỉ nguồn không hợp lệ: {url}",
                              f"Invalid source address: {url}")
        self.base = url if url.endswith("/") else url + "/"
        self.location = url
        self.timeout = timeout
        handlers: list = [_NoRedirect()]
        if is_loopback(parts.hostname):
            handlers.append(urllib.request.ProxyHandler({}))  # never send loopback via a proxy
        self._opener = urllib.request.build_opener(*handlers)

    def read(self, relpath: str, limit: int) -> bytes:
        url = urllib.parse.urljoin(self.base, urllib.parse.quote(relpath))
        request = urllib.request.Request(url, headers={"User-Agent": "GiuKin-rules",
                                                       "Accept-Encoding": "identity"})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length")
                if length is not None and length.isdigit() and int(length) > limit:
                    raise _too_large(relpath, limit)  # refused before the body is read
                data = response.read(limit + 1)
                if len(data) > limit:
                    raise _too_large(relpath, limit)
                if length is not None and length.isdigit() and len(data) < int(length):
                    raise _truncated(relpath)
                return data
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise UpdateError("not_found", f"Nguồn không có {relpath}.",
                                  f"The source has no {relpath}.") from None
            raise _unreachable(self.location, f"HTTP {exc.code}") from None
        except http.client.IncompleteRead:
            raise _truncated(relpath) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise _unreachable(self.location, str(reason)) from None


def open_source(location: str) -> Source:
    if not location or not location.strip():
        raise UpdateError("no_source", "Chưa cấu hình nguồn cập nhật bộ quy tắc.",
                          "No rule-pack update source is configured.")
    location = location.strip()
    if regex.match(r"(?i)^[a-z][a-z0-9+.-]*://", location):
        if location.lower().startswith("file://"):
            return FolderSource(urllib.request.url2pathname(urllib.parse.urlsplit(location).path))
        return HttpSource(location)
    return FolderSource(location)


def release_path(source: Source) -> str:
    """The release folder named by ``latest.json``, or "" when the source is a pack folder."""
    try:
        data = source.read(POINTER, MAX_POINTER_BYTES)
    except UpdateError as exc:
        if exc.code == "not_found":
            return ""
        raise
    try:
        release = json.loads(data.decode("utf-8")).get("release")
    except (UnicodeDecodeError, ValueError, AttributeError):
        release = None
    if not isinstance(release, str) or not _RELEASE.fullmatch(release):
        raise UpdateError("bad_pointer", f"{POINTER} trên nguồn không hợp lệ.",
                          f"{POINTER} on the source is invalid.")
    return release


def publish(pack_dir: str | Path, dest: str | Path, keys: dict) -> tuple[Manifest, Path]:
    """Copy a signed pack to ``dest/<id>-<version>/`` and then swap ``latest.json``.

    ``keys`` is what the signature is checked against before anything is copied (the
    key named in the manifest when IT publishes its own pack).
    """
    pack_dir, dest = Path(pack_dir), Path(dest)
    manifest = verify_folder(pack_dir, keys)
    name = f"{manifest.pack_id}-{manifest.version}"
    try:
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / name
        if target.exists():
            try:
                if verify_folder(target, keys).digest == manifest.digest:
                    _write_pointer(dest, name)
                    return manifest, target
            except UpdateError:
                pass
            raise UpdateError("exists", f"{target} đã có một bản phát hành khác; tăng số phiên bản.",
                              f"{target} already holds a different release; raise the version.")
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=dest))
        try:
            for entry in manifest.files:
                shutil.copyfile(pack_dir / entry.name, staging / entry.name)
            for extra in (MANIFEST, SIGNATURE):
                shutil.copyfile(pack_dir / extra, staging / extra)
            verify_folder(staging, keys)  # what landed on the share is what was signed
            os.replace(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        _write_pointer(dest, name)
    except OSError as exc:
        raise UpdateError("io", f"Không ghi được vào {dest}: {exc}",
                          f"Cannot write to {dest}: {exc}") from None
    return manifest, target


def _write_pointer(dest: Path, name: str) -> None:
    write_atomic(dest / POINTER, (json.dumps({"release": name}) + "\n").encode("utf-8"))
