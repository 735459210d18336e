"""`giukin rules …` and `giukin report` (for IT). Handlers return exit codes.

Exit codes: 0 success; 1 the pack or release is invalid or was rejected; 3 the command
could not run (missing file, unreachable source, nothing configured). Expected failures
print one Vietnamese line and one English line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from .errors import UpdateError

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 3
_NOT_INVALID = {"no_key", "exists", "io", "unreachable", "not_found", "no_source", "not_a_pack"}

RULES_EPILOG = """\
Mã thoát / exit codes: 0 thành công / success; 1 bộ quy tắc không hợp lệ hoặc bị từ chối /
invalid or rejected; 3 không chạy được (thiếu tệp, không tới được nguồn) / could not run.

Quy trình của IT / IT workflow:
  giukin rules keygen --out KHOA            (một lần; giữ KHOA/private.key ngoài mạng)
  giukin rules sign GOI --key KHOA/private.key
  giukin rules verify GOI --pubkey KHOA/public.key
  giukin rules publish GOI \\\\maychu\\giukin-rules
"""


def _err(vi: str, en: str) -> None:
    print(f"Lỗi: {vi}\nError: {en}", file=sys.stderr)


def _fail(exc: UpdateError) -> int:
    _err(exc.vi, exc.en)
    return EXIT_ERROR if exc.code in _NOT_INVALID else EXIT_INVALID


def _out(line: str = "") -> None:
    print(line)


# -- handlers ------------------------------------------------------------------------------
def cmd_keygen(args: argparse.Namespace) -> int:
    from .keys import keygen

    try:
        private, public, kid = keygen(args.out)
    except UpdateError as exc:
        return _fail(exc)
    _out(f"Khóa bí mật / private key: {private}  (chỉ chủ sở hữu đọc được / owner-only)")
    _out(f"Khóa công khai / public key: {public}  (id {kid})")
    _out("Cất khóa bí mật ngoài mạng; ghim khóa công khai bằng chính sách rule_public_keys.")
    _out("Keep the private key offline; pin the public key with the rule_public_keys policy.")
    return EXIT_OK


def cmd_sign(args: argparse.Namespace) -> int:
    from .keys import load_private_key
    from .manifest import sign_folder
    from .store import engine_check, load_check

    try:
        key = load_private_key(args.key)
        engine_check(Path(args.packdir))  # never sign a pack that workstations would refuse
        manifest = sign_folder(args.packdir, key, expires_days=args.expires_days,
                               min_app_version=args.min_app_version)
        load_check(Path(args.packdir), manifest)
    except UpdateError as exc:
        return _fail(exc)
    _out(f"Đã ký / signed: {manifest.pack_id} {manifest.version}, {len(manifest.files)} tệp/files, "
         f"khóa/key {manifest.key_id}, hết hạn/expires {manifest.expires:%Y-%m-%d}")
    return EXIT_OK


def _keys_for(args: argparse.Namespace) -> dict:
    from .keys import key_id, load_public_key, pinned_keys

    if getattr(args, "pubkey", None):
        keys = {}
        for path in args.pubkey:
            key = load_public_key(path)
            keys[key_id(key)] = key
        return keys
    return pinned_keys()


def cmd_verify(args: argparse.Namespace) -> int:
    from .manifest import check_installable, verify_folder
    from .store import load_check
    from .updater import app_version

    try:
        keys = _keys_for(args)
        manifest = verify_folder(args.packdir, keys)
        load_check(Path(args.packdir), manifest)
        check_installable(manifest, app_version())
    except UpdateError as exc:
        return _fail(exc)
    _out(f"Hợp lệ / valid: {manifest.pack_id} {manifest.version}, khóa/key {manifest.key_id}, "
         f"hết hạn/expires {manifest.expires:%Y-%m-%d}")
    return EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    from .keys import key_id, pinned_keys
    from .manifest import MANIFEST, check_installable, embedded_key, read_capped
    from .source import publish
    from .store import load_check
    from .updater import app_version

    try:
        if args.pubkey:
            keys = _keys_for(args)
        else:  # IT's own key: check integrity with the key the manifest names
            try:
                key = embedded_key(read_capped(Path(args.packdir) / MANIFEST, 65_536))
            except (FileNotFoundError, ValueError, KeyError, UpdateError):
                raise UpdateError("unsigned", f"{args.packdir} chưa được ký hợp lệ.",
                                  f"{args.packdir} is not properly signed.") from None
            keys = {key_id(key): key}
        from .manifest import verify_folder

        manifest = verify_folder(args.packdir, keys)
        check_installable(manifest, app_version())
        load_check(Path(args.packdir), manifest)
        manifest, target = publish(args.packdir, args.dest, keys)
    except UpdateError as exc:
        return _fail(exc)
    _out(f"Đã phát hành / published: {manifest.pack_id} {manifest.version} -> {target}")
    if manifest.key_id not in pinned_keys():
        _out(f"Chú ý: khóa {manifest.key_id} chưa được ghim trên máy này (chính sách rule_public_keys).")
        _out(f"Note: key {manifest.key_id} is not pinned on this machine (rule_public_keys policy).")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from .policy import read_policy_report
    from .store import installed_packs
    from .updater import status

    st = status()
    _out(f"Đang dùng / active: {st.active_pack_id} {st.active_version}"
         + (" (đi kèm ứng dụng / shipped)" if st.shipped else ""))
    if st.expires:
        _out(f"Hết hạn / expires: {st.expires:%Y-%m-%d %H:%M} UTC")
    if st.expired_warning:
        _out("CẢNH BÁO: bộ quy tắc đã quá hạn, vẫn dùng cho tới khi có bản mới.")
        _out("WARNING: the rule pack has expired; it stays in use until a new one arrives.")
    for pack in installed_packs():
        tag = "active" if pack.active else ("previous" if pack.previous else "")
        _out(f"  {pack.pack_id} {pack.version} {tag}{'' if pack.valid else ' INVALID/KHÔNG HỢP LỆ'}")
    _out(f"Nguồn / source: {st.source or '-'}")
    _out(f"Kiểm tra gần nhất / last check: {st.last_check or '-'}")
    _out(f"Thành công gần nhất / last success: {st.last_success or '-'}")
    if st.last_error:
        _out(f"Lỗi gần nhất / last error: {st.last_error.get('vi')} / {st.last_error.get('en')}")
    else:
        _out("Lỗi gần nhất / last error: -")
    _values, problems = read_policy_report()
    for problem in problems:
        _out(f"Chính sách / policy: {problem}")
    return EXIT_OK


def cmd_update_now(args: argparse.Namespace) -> int:
    from .updater import FAILED, INSTALLED, NO_SOURCE, UP_TO_DATE, Updater

    result = Updater(source=args.source).check_now()
    if result.outcome == INSTALLED:
        _out(f"Đã cài / installed: {result.version}")
        return EXIT_OK
    if result.outcome == UP_TO_DATE:
        _out(f"Đã mới nhất / up to date: {result.version}")
        return EXIT_OK
    assert result.error is not None
    _err(result.error.vi, result.error.en)
    return EXIT_ERROR if result.outcome in (FAILED, NO_SOURCE) else EXIT_INVALID


def cmd_report(args: argparse.Namespace) -> int:
    from . import usage

    if args.export:
        folder = args.export if args.export != "-" else usage.report_folder()
        if not folder:
            _err("Chưa có thư mục báo cáo (usage_report_folder).", "No report folder is set "
                 "(usage_report_folder).")
            return EXIT_ERROR
        try:
            path = usage.export(folder, since=args.days, fmt=args.format)
        except OSError as exc:
            _err(f"Không ghi được báo cáo vào {folder}: {exc.strerror}",
                 f"Cannot write the report to {folder}: {exc.strerror}")
            return EXIT_ERROR
        _out(f"Đã ghi báo cáo / report written: {path}")
        return EXIT_OK
    rows = usage.days(args.days)
    if args.format == "csv":
        sys.stdout.write(usage.to_csv(rows))
    elif args.format == "json":
        sys.stdout.write(usage.to_json(rows))
    else:
        _print_table(rows)
    return EXIT_OK


def _print_table(rows: list[dict]) -> None:
    from .usage import EVENTS

    titles = {"clipboard_check": "kiểm tra clipboard/clipboard checks",
              "redaction": "lần che/redactions", "block": "lần chặn/blocks",
              "file_sanitized": "tệp đã che/files sanitized", "restore": "khôi phục/restores"}
    if not rows:
        _out("Chưa có số liệu / no usage recorded yet.")
        return
    for row in rows:
        counts = ", ".join(f"{titles[e]} {row['counts'].get(e, 0)}" for e in EVENTS)
        _out(f"{row['date']}: {counts}")
        types = row["by_type"].get("redaction", {})
        if types:
            _out("    " + ", ".join(f"{t} {n}" for t, n in sorted(types.items())))
        if row["rule_packs"]:
            _out("    bộ quy tắc / rule packs: " + " | ".join(row["rule_packs"]))
    _out(f"(đến / until {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")


# -- parser --------------------------------------------------------------------------------
def register(subparsers) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    rules = subparsers.add_parser("rules", help="bộ quy tắc: ký, kiểm tra, phát hành / rule packs (IT)",
                                  epilog=RULES_EPILOG, formatter_class=fmt)
    sub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)

    p = sub.add_parser("keygen", help="tạo cặp khóa Ed25519 / create a signing key pair")
    p.add_argument("--out", required=True, metavar="KEYDIR", help="thư mục khóa / key folder")
    p.set_defaults(func=cmd_keygen)

    p = sub.add_parser("sign", help="ký một thư mục bộ quy tắc / sign a pack folder")
    p.add_argument("packdir", metavar="PACKDIR")
    p.add_argument("--key", required=True, metavar="PRIVATE_KEY")
    p.add_argument("--expires-days", type=int, default=90,
                   help="số ngày hiệu lực (mặc định 90) / days until expiry (default 90)")
    p.add_argument("--min-app-version", default=None,
                   help="phiên bản Giữ Kín tối thiểu / minimum app version")
    p.set_defaults(func=cmd_sign)

    p = sub.add_parser("verify", help="kiểm tra chữ ký và nội dung / verify a signed pack")
    p.add_argument("packdir", metavar="PACKDIR")
    p.add_argument("--pubkey", action="append", metavar="PUBLIC_KEY",
                   help="khóa công khai (mặc định: khóa đã ghim) / public key (default: pinned)")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("publish", help="đưa bộ quy tắc lên thư mục chia sẻ / publish to a share")
    p.add_argument("packdir", metavar="PACKDIR")
    p.add_argument("dest", metavar="DEST", help="thư mục hoặc UNC / folder or UNC share")
    p.add_argument("--pubkey", action="append", metavar="PUBLIC_KEY")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("list", help="bộ quy tắc đang dùng, lần kiểm tra cuối / installed packs")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("update-now", help="kiểm tra cập nhật ngay / check the source now")
    p.add_argument("--source", default=None, help="thay nguồn đã cấu hình / override the source")
    p.set_defaults(func=cmd_update_now)

    report = subparsers.add_parser("report", help="thống kê sử dụng (chỉ số đếm) / usage counts",
                                   formatter_class=fmt)
    report.add_argument("--days", type=int, default=30, help="số ngày gần nhất / last N days")
    report.add_argument("--format", choices=["table", "json", "csv"], default="table")
    report.add_argument("--export", nargs="?", const="-", metavar="FOLDER",
                        help="ghi vào thư mục (mặc định: usage_report_folder) / write to a folder")
    report.set_defaults(func=cmd_report)
