"""``giukin restore [PATH|-]``: put the real values back into a chatbot's answer, offline.

Text (a file or stdin) goes to stdout, or to ``-o``; a .docx/.xlsx answer is written next to
it as ``<name>-khoi-phuc.docx`` (or to ``-o``), never over the original. The summary goes to
stderr and names placeholders only, never values. Exit codes: 0 everything known was
restored (or there was nothing to do), 1 some placeholders are unknown or expired, 3 error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .textio import InputError, read_stream, read_text_file, write_atomic

EXIT_OK, EXIT_UNKNOWN, EXIT_ERROR = 0, 1, 3
OUTPUT_SUFFIX = "-khoi-phuc"
MAX_LISTED = 10

EPILOG = """\
Mã thoát / exit codes: 0 xong/done, 1 có mã giữ chỗ không rõ hoặc đã hết hạn/unknown or
expired placeholders, 3 lỗi/error.
Giá trị thật chỉ được lấy từ kho khôi phục trên máy này; không gì được gửi đi.
Values come only from this machine's restore vault; nothing leaves the machine.
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "restore", help="khôi phục giá trị thật vào câu trả lời / restore the real values",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", default="-",
                        help="tệp .txt/.md/.docx/.xlsx hoặc '-' (stdin) / file or '-'")
    parser.add_argument("-o", "--output", help="tệp đầu ra / output file")
    parser.set_defaults(func=run_restore)


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def run_restore(args) -> int:
    from .engine.vault import VaultError, default_vault, vault_settings

    try:
        vault = default_vault()
    except (VaultError, OSError) as exc:
        _err(f"Không mở được kho khôi phục / cannot open the restore vault: {exc}")
        return EXIT_ERROR
    source = None if args.path == "-" else Path(args.path)
    try:
        if source is not None and not source.exists():
            raise InputError(f"{source}: không tìm thấy tệp / file not found")
        if source is not None and source.is_dir():
            raise InputError(f"{source}: là thư mục, cần một tệp / is a folder, not a file")
        from .restore_documents import is_document

        if source is not None and is_document(source):
            result, written = _restore_document(source, args.output, vault)
        else:
            result, written = _restore_text(source, args.output, vault)
    except InputError as exc:
        _err(str(exc))
        return EXIT_ERROR
    except OSError as exc:
        _err(f"Không ghi được kết quả / cannot write the output: {exc.strerror or exc}")
        return EXIT_ERROR
    _record(result)
    _summary(result, written, memory_only=vault_settings()[1])
    return EXIT_UNKNOWN if result.unknown else EXIT_OK


def _restore_text(source: Path | None, output: str | None, vault):
    from .engine.restore import restore_text

    text = read_stream(sys.stdin.buffer) if source is None else read_text_file(source)
    result = restore_text(text, vault)
    if output and output != "-":
        target = Path(output)
        if source is not None and target.resolve() == source.resolve():
            raise InputError(f"{target}: không ghi đè tệp gốc / will not overwrite the original")
        write_atomic(target, result.text.encode("utf-8"))
        return result, target
    sys.stdout.write(result.text)
    sys.stdout.flush()
    return result, None


def _restore_document(source: Path, output: str | None, vault):
    from .restore_documents import restore_document

    if output == "-":
        raise InputError("tệp Office không ghi ra stdout được, hãy dùng -o TỆP / "
                         "an Office file cannot go to stdout, use -o FILE")
    target = Path(output) if output else source.with_name(source.stem + OUTPUT_SUFFIX
                                                         + source.suffix)
    return restore_document(source, target, vault), target


def _summary(result, written: Path | None, memory_only: bool) -> None:
    count = result.restored_count
    if not count and not result.unknown:
        _err("Không có mã giữ chỗ nào để khôi phục / no placeholders to restore")
    else:
        _err(f"Đã khôi phục {count} giá trị / restored {count} values")
    if result.unknown:
        expired = set(result.expired)
        fresh = [p for p in result.unknown if p not in expired]
        if fresh:
            _err(f"Không rõ (không có trong kho, giữ nguyên) / unknown (left as is): {_list(fresh)}")
        if result.expired:
            _err("Đã hết hạn hoặc đã xóa khỏi kho / expired or cleared from the vault: "
                 f"{_list(result.expired)}")
        if memory_only:
            _err("Kho chỉ giữ trong bộ nhớ của ứng dụng khay: hãy khôi phục từ biểu tượng khay / "
                 "the vault is memory-only in the tray app: restore from the tray icon")
    if written is not None:
        _err(f"Đã ghi / written: {written}")


def _list(placeholders: list[str]) -> str:
    shown = ", ".join(placeholders[:MAX_LISTED])
    more = len(placeholders) - MAX_LISTED
    return shown + (f" … (+{more})" if more > 0 else "")


def _record(result) -> None:
    try:
        from .updates.usage import record_event
    except ImportError:
        return
    try:
        record_event("restore")
    except Exception:  # counting must never break a restore
        pass
