"""The ``giukin`` command. The contract (arguments, report, exit codes) is in design.md.

``giukin`` alone starts the tray app (imported lazily: the CLI never loads Qt).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .formats import is_office
from .textio import InputError, read_stream

EXIT_CLEAN, EXIT_FINDINGS, EXIT_BLOCKED, EXIT_ERROR = 0, 1, 2, 3

EPILOG = """\
Mã thoát / exit codes:
  scan:    0 sạch/clean, 1 có thông tin cần che/findings, 2 bị chặn (dấu mật)/blocked, 3 lỗi/error
  redact:  0 xong/done, 2 có tệp bị chặn, không tạo bản sao/some input blocked, 3 lỗi/error
  restore: 0 xong/done, 1 có mã giữ chỗ không rõ/unknown placeholders, 3 lỗi/error
Không dữ liệu nào được gửi đi: mọi xử lý diễn ra trên máy này. / Nothing leaves this machine.
"""


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _engine():
    from .engine import default_engine

    return default_engine()


def _vault():
    """The restore vault: every placeholder of a redaction is kept (encrypted, expiring) so
    ``giukin restore`` can put the values back later, in this or another process."""
    from .engine.vault import default_vault

    return default_vault()


def _record(event: str, by_type: dict[str, int] | None = None) -> None:
    """Usage counts for IT (counts and entity ids only)."""
    try:
        from .updates.usage import record_event

        record_event(event, by_type)
    except Exception:  # noqa: BLE001 - counting must never break a redaction
        pass


def _mask(value: str) -> str:
    """Enough of a value to recognise it on screen, not enough to leak it in a screenshot."""
    compact = " ".join(value.split())
    if len(compact) <= 4:
        return "*" * len(compact)
    keep = 2 if len(compact) < 12 else 3
    return compact[:keep] + "*" * (len(compact) - 2 * keep) + compact[-keep:]


# -- scan ---------------------------------------------------------------------------------
def cmd_scan(args) -> int:
    engine = _engine()
    rows = []
    worst = EXIT_CLEAN
    for name, text, error in _scan_inputs(args):
        if error:
            rows.append({"path": name, "verdict": None, "findings": [], "error": error})
            worst = max(worst, EXIT_ERROR)
            continue
        if is_office(name):
            row, code = _scan_document(Path(name), engine)
        else:
            row, code = _scan_text(name, text, engine)
        rows.append(row)
        worst = max(worst, code)
    if args.json:
        print(json.dumps({"files": rows}, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            _print_scan_row(row)
    return worst


def _scan_inputs(args):
    from .batch import expand_inputs

    if args.clipboard:
        try:
            yield "clipboard", _read_clipboard(), None
        except InputError as exc:
            yield "clipboard", "", str(exc)
        return
    if args.path == "-":
        try:
            yield "-", read_stream(sys.stdin.buffer), None
        except InputError as exc:
            yield "-", "", str(exc)
        return
    from .textio import read_text_file

    path = Path(args.path)
    if not path.exists():
        yield str(path), "", f"{path}: không tìm thấy / not found"
        return
    for file, _ in expand_inputs([path]):
        if is_office(file):
            yield str(file), "", None
            continue
        try:
            yield str(file), read_text_file(file), None
        except InputError as exc:
            yield str(file), "", str(exc)


def _scan_text(name: str, text: str, engine) -> tuple[dict, int]:
    from .engine import Verdict

    result = engine.redact(text)
    findings = []
    for f in result.findings:
        line = text.count("\n", 0, f.start) + 1
        column = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
        findings.append({"entity": f.entity, "action": f.action, "rule": f.rule_id,
                         "score": f.score, "start": f.start, "end": f.end, "line": line,
                         "column": column, "value_masked": _mask(f.text)})
    code = {Verdict.CLEAN: EXIT_CLEAN, Verdict.REDACTED: EXIT_FINDINGS,
            Verdict.BLOCKED: EXIT_BLOCKED}[result.verdict]
    if result.verdict is Verdict.CLEAN and result.warnings:
        code = EXIT_FINDINGS
    return {"path": name, "verdict": result.verdict.value, "findings": findings,
            "by_type": result.counts_by_entity(), "error": None}, code


def _scan_document(path: Path, engine) -> tuple[dict, int]:
    try:
        from .documents import DocumentError, scan_document
    except ImportError:
        return {"path": str(path), "verdict": None, "findings": [],
                "error": "chưa hỗ trợ / not supported yet"}, EXIT_ERROR
    try:
        scan = scan_document(path, engine)
    except DocumentError as exc:
        return {"path": str(path), "verdict": None, "findings": [], "error": str(exc)}, EXIT_ERROR
    rows = []
    for location, f in scan.findings:
        rows.append({"entity": f.entity, "action": f.action, "rule": f.rule_id, "score": f.score,
                     "location": location, "value_masked": _mask(f.text)})
    verdict = scan.verdict.value
    code = {"clean": EXIT_CLEAN, "redacted": EXIT_FINDINGS, "blocked": EXIT_BLOCKED}[verdict]
    return {"path": str(path), "verdict": verdict, "findings": rows, "error": None}, code


def _print_scan_row(row: dict) -> None:
    if row["error"]:
        print(f"✗ {row['path']}: {row['error']}")
        return
    labels = {"clean": "sạch / clean", "redacted": "cần che / has personal data",
              "blocked": "BỊ CHẶN: có dấu mật / BLOCKED: state-secret stamp"}
    print(f"{row['path']}: {labels[row['verdict']]} ({len(row['findings'])})")
    for f in row["findings"]:
        place = f.get("location") or f"dòng {f['line']}:{f['column']}"
        print(f"  {place:<14} {f['entity']:<22} {f['action']:<7} {f['value_masked']}")


# -- redact -------------------------------------------------------------------------------
def cmd_redact(args) -> int:
    if args.clipboard:
        return _redact_clipboard(args)
    if args.paths == ["-"]:
        return _redact_stdin(args)
    if "-" in args.paths:
        _err("'-' không dùng chung với tệp khác / '-' cannot be mixed with files")
        return EXIT_ERROR
    from .batch import redact_paths

    engine = _engine()
    vault = _vault()
    out = Path(args.output) if args.output else None
    paths = [Path(p) for p in args.paths]
    many = len(paths) > 1 or any(p.is_dir() for p in paths)

    def progress(done: int, total: int, report) -> None:
        if args.quiet or total < 2:
            return
        state = report.error and "lỗi/error" or report.verdict
        _err(f"[{done}/{total}] {state:<9} {report.path}")

    if out is not None and many and out.exists() and not out.is_dir():
        _err(f"{out}: phải là thư mục khi có nhiều đầu vào / must be a folder for many inputs")
        return EXIT_ERROR
    reports = redact_paths(paths, out, engine, vault, jobs=max(1, args.jobs),
                           macro_policy=args.macros, progress=progress,
                           scope=lambda: vault.recording("file"))
    for report in reports:
        if report.verdict == "blocked":
            _record("block")
        elif report.verdict and not report.error:
            _record("file_sanitized", report.by_type)
    if args.report:
        from .textio import write_atomic

        data = json.dumps({"files": [r.as_dict() for r in reports]}, ensure_ascii=False, indent=2)
        write_atomic(Path(args.report), data.encode("utf-8"))
    code = EXIT_CLEAN
    for report in reports:
        if report.error:
            _err(f"✗ {report.error}")
            code = EXIT_ERROR
        elif report.verdict == "blocked":
            where = "; ".join(report.blocks)
            _err(f"⛔ {report.path}: có dấu mật, không tạo bản sao / state-secret stamp, no copy"
                 f" ({where})")
            code = max(code, EXIT_BLOCKED)
        elif not args.quiet:
            counts = ", ".join(f"{k} {v}" for k, v in report.by_type.items()) or "-"
            _err(f"✓ {report.path} → {report.output} [{report.verdict}: {counts}]")
    if not reports:
        _err("Không có tệp nào được hỗ trợ / no supported files found")
        return EXIT_ERROR
    return code


def _redact_text_to(text: str, args, write, source: str = "text") -> int:
    engine = _engine()
    with _vault().recording(source) as vault:
        result = engine.redact(text, placeholders=vault)
    if result.blocks:
        _record("block")
        for f in result.blocks:
            line = text.count("\n", 0, f.start) + 1
            _err(f"⛔ dòng {line}: dấu mật '{' '.join(f.text.split())}' — không tạo bản sao."
                 f" / state-secret stamp, no copy produced.")
        return EXIT_BLOCKED
    write(result.text or "")
    _record("redaction", result.counts_by_entity())
    if not args.quiet:
        counts = ", ".join(f"{k} {v}" for k, v in result.counts_by_entity().items()) or "-"
        _err(f"{result.verdict.value}: {counts}")
        for f in result.warnings:
            _err(f"⚠ {f.entity} ({f.rule_id})")
    return EXIT_CLEAN


def _redact_stdin(args) -> int:
    try:
        text = read_stream(sys.stdin.buffer)
    except InputError as exc:
        _err(str(exc))
        return EXIT_ERROR
    if not text.strip():
        _err("Đầu vào trống / empty input")
        return EXIT_ERROR

    def write(result: str) -> None:
        sys.stdout.buffer.write(result.encode("utf-8"))
        sys.stdout.flush()

    return _redact_text_to(text, args, write)


def _read_clipboard() -> str:
    import pyperclip

    try:
        text = pyperclip.paste()
    except pyperclip.PyperclipException as exc:
        raise InputError(f"không đọc được clipboard / cannot read the clipboard ({exc})") from None
    if not isinstance(text, str):
        raise InputError("clipboard không chứa văn bản / clipboard holds no text")
    if len(text) > 50 * 1024 * 1024:
        raise InputError("clipboard quá lớn / clipboard content too large")
    return text


def _redact_clipboard(args) -> int:
    import pyperclip

    try:
        text = _read_clipboard()
    except InputError as exc:
        _err(str(exc))
        return EXIT_ERROR
    if not text.strip():
        _err("Clipboard trống / the clipboard is empty")
        return EXIT_ERROR
    return _redact_text_to(text, args, pyperclip.copy, source="clipboard")


# -- tray ---------------------------------------------------------------------------------
def start_tray(argv: list[str]) -> int:
    if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            or os.environ.get("QT_QPA_PLATFORM")):
        _err("Không có màn hình: ứng dụng khay cần một phiên đồ họa. Dùng dòng lệnh:\n"
             "  giukin scan TỆP | giukin redact TỆP... | giukin restore TỆP | giukin --help\n"
             "No display: the tray app needs a desktop session. Use the commands above.")
        return EXIT_CLEAN
    from .desktop import main as desktop_main

    return desktop_main(argv)


# -- parser -------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="giukin",
        description="Giữ Kín — che thông tin cá nhân, chặn tài liệu mật trước khi dùng chatbot AI."
                    " / Redact personal data, block state secrets before using an AI chatbot.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"giukin {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    scan = sub.add_parser("scan", help="liệt kê thông tin cần che / list findings",
                          epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    scan.add_argument("path", nargs="?", default="-", help="tệp, thư mục hoặc '-' (stdin)")
    scan.add_argument("--json", action="store_true", help="kết quả dạng JSON / JSON output")
    scan.add_argument("--clipboard", action="store_true", help="quét clipboard / scan the clipboard")
    scan.set_defaults(func=cmd_scan)

    redact = sub.add_parser("redact", help="tạo bản đã che / write redacted copies",
                            epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    redact.add_argument("paths", nargs="*", default=["-"], help="tệp, thư mục hoặc '-' (stdin)")
    redact.add_argument("-o", "--output", help="thư mục (hoặc tệp) đầu ra / output folder or file")
    redact.add_argument("--report", help="ghi báo cáo JSON / write a JSON report")
    redact.add_argument("--jobs", type=int, default=1, help="số tệp xử lý song song / parallel files")
    redact.add_argument("--macros", choices=["remove", "keep"], default="remove",
                        help="macro trong .docm/.xlsm/.dotm/.xltm: xóa (mặc định) hoặc giữ")
    redact.add_argument("--clipboard", action="store_true",
                        help="che nội dung clipboard và chép lại / redact the clipboard in place")
    redact.add_argument("-q", "--quiet", action="store_true", help="ít thông báo / fewer messages")
    redact.set_defaults(func=cmd_redact)

    for module in ("app.restore_cli", "app.updates.cli"):
        try:
            register = __import__(module, fromlist=["register"]).register
        except ImportError:
            continue
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-platform") or argv == ["tray"]:
        return start_tray(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - a last line of defence: plain words, no traceback
        from .engine import RulePackError

        if isinstance(exc, RulePackError):
            _err(f"Bộ quy tắc lỗi, không chạy / broken rule pack, refusing to run: {exc}")
        else:
            _err(f"Lỗi không mong muốn / unexpected error: {type(exc).__name__}: {exc}")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
