"""Fixtures for rule-pack updates: real keys, real signed packs, a folder and an HTTP source.

Everything runs on temp folders and a loopback HTTP server; nothing leaves the machine.
"""

from __future__ import annotations

import http.server
import shutil
import threading
from datetime import datetime
from pathlib import Path

import pytest

from app.engine.rules import default_pack_dir
from app.updates.keys import key_id, keygen, load_private_key, load_public_key
from app.updates.manifest import sign_folder

# An agency's own rule, the kind IT pushes: its internal marking and its own ID format.
AGENCY_RULES = """\
description: Quy tắc riêng của cơ quan (dữ liệu thử).
rules:
  - id: agency-internal-mark
    entity: VN_INTERNAL_MARK
    label: DẤU_NỘI_BỘ
    action: redact
    notify: true
    patterns:
      - name: mark
        regex: 'LƯU HÀNH NỘI BỘ SỞ THỬ NGHIỆM'
        score: 0.9
  - id: agency-staff-id
    entity: AGENCY_STAFF_ID
    label: MÃ_CÁN_BỘ
    action: redact
    patterns:
      - name: staff
        regex: '(?<![\\p{L}\\d])STN-\\d{6}(?!\\d)'
        score: 0.9
"""


class Keys:
    def __init__(self, folder: Path) -> None:
        self.private_path, self.public_path, self.id = keygen(folder)
        self.private = load_private_key(self.private_path)
        self.public = load_public_key(self.public_path)
        self.trusted = {key_id(self.public): self.public}
        self.text = self.public_path.read_text(encoding="utf-8").strip().splitlines()[-1]


@pytest.fixture
def keys(tmp_path) -> Keys:
    return Keys(tmp_path / "it-keys")


@pytest.fixture
def other_keys(tmp_path) -> Keys:
    return Keys(tmp_path / "attacker-keys")


class PackFactory:
    """Builds signed pack folders from the shipped default plus the agency rules."""

    def __init__(self, base: Path, keys: Keys) -> None:
        self.base = base
        self.keys = keys

    def make(self, version: str, *, pack_id: str = "agency-rules", signer: Keys | None = None,
             sign: bool = True, now: datetime | None = None, expires_days: int = 30,
             agency: str = AGENCY_RULES, min_app_version: str | None = None,
             name: str | None = None) -> Path:
        folder = self.base / (name or f"src-{pack_id}-{version}")
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(default_pack_dir(), folder)
        meta = (folder / "pack.yaml").read_text(encoding="utf-8").splitlines()
        out = []
        for line in meta:
            if line.startswith("id:"):
                line = f"id: {pack_id}"
            elif line.startswith("version:"):
                line = f'version: "{version}"'
            elif line.startswith("files:"):
                out.append(line)
                out.append("  - agency.yaml")
                continue
            out.append(line)
        (folder / "pack.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
        (folder / "agency.yaml").write_text(agency, encoding="utf-8")
        if sign:
            sign_folder(folder, (signer or self.keys).private, expires_days=expires_days,
                        now=now, min_app_version=min_app_version)
        return folder


@pytest.fixture
def packs(tmp_path, keys) -> PackFactory:
    (tmp_path / "build").mkdir()
    return PackFactory(tmp_path / "build", keys)


@pytest.fixture
def share(tmp_path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the share; ``tweaks`` maps a URL path to a misbehaviour."""

    tweaks: dict[str, str] = {}
    requests: list[str] = []

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.requests.append(self.path)
        tweak = self.tweaks.get(self.path)
        if tweak is None:
            return super().do_GET()
        path = Path(self.translate_path(self.path))
        body = path.read_bytes() if path.is_file() else b""
        if tweak == "truncate":  # promise the whole file, send half, hang up
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif tweak == "no_length":  # stream with no Content-Length (size known only by reading)
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
        elif tweak == "endless":  # never-ending body with no length
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(2000):
                    self.wfile.write(b"x" * 65536)
            except OSError:
                pass
            self.close_connection = True
        elif tweak.startswith("redirect:"):
            self.send_response(302)
            self.send_header("Location", tweak.split(":", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()


@pytest.fixture
def http_share(share):
    """(base URL, handler class) serving ``share`` on 127.0.0.1 on a free port."""

    class Handler(_Handler):
        tweaks: dict[str, str] = {}
        requests: list[str] = []

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(share), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", Handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def policy_file(tmp_path, monkeypatch):
    """Each test reads IT policy from its own file (absent until a test writes it)."""
    from app.updates import store

    path = tmp_path / "policy" / "policy.json"
    monkeypatch.setenv("GIUKIN_POLICY_FILE", str(path))
    store.forget_verification()
    yield path
    store.forget_verification()


def write_policy(path: Path, values: dict) -> None:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
