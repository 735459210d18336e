"""Build the Group Policy template (GiuKin.admx + vi-VN/en-US GiuKin.adml) from one table.

Run ``python packaging/admx/build_admx.py`` after changing a policy; a test checks that the
committed files match this table and that every policy writes a real option name under
``HKLM\\Software\\Policies\\GiuKin`` (read by ``app/updates/policy.py``).

Value layout: text and enum -> REG_SZ, bool and number -> REG_DWORD, list -> a subkey
named after the option with values "1", "2", ... (ADMX ``<list>``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
KEY = r"Software\Policies\GiuKin"
NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"

# (policy name, option, kind, category, extra, {lang: (title, help, label)})
# kind: text | list | bool | decimal | enum; extra: enum items or (min, max, default).
POLICIES = [
    ("RuleSource", "rule_source", "text", "Updates", None, {
        "vi": ("Nguồn cập nhật bộ quy tắc",
               "Thư mục chia sẻ (\\\\maychu\\giukin-rules) hoặc địa chỉ https:// nơi IT phát hành bộ "
               "quy tắc đã ký bằng 'giukin rules publish'. Máy trạm chỉ cài bộ có chữ ký hợp lệ của "
               "khóa được ghim.", "Đường dẫn hoặc URL:"),
        "en": ("Rule-pack update source",
               "Share (\\\\server\\giukin-rules) or https:// address where IT publishes signed rule "
               "packs with 'giukin rules publish'. Workstations install only packs signed by a "
               "pinned key.", "Path or URL:")}),
    ("RulePublicKeys", "rule_public_keys", "list", "Updates", None, {
        "vi": ("Khóa công khai tin cậy của bộ quy tắc",
               "Mỗi dòng một khóa công khai Ed25519 (dòng base64 cuối của public.key do 'giukin rules "
               "keygen' tạo). Khi đặt, danh sách này thay thế các khóa đi kèm ứng dụng. Nếu mọi dòng "
               "đều sai, máy trạm không tin khóa nào và từ chối mọi bản cập nhật.", "Khóa:"),
        "en": ("Trusted rule-pack public keys",
               "One Ed25519 public key per entry (the last base64 line of public.key written by "
               "'giukin rules keygen'). When set, this list replaces the keys shipped with the app. "
               "If every entry is invalid, no key is trusted and every update is refused.", "Keys:")}),
    ("UpdateInterval", "update_interval_minutes", "decimal", "Updates", (5, 10080, 240), {
        "vi": ("Chu kỳ kiểm tra cập nhật (phút)",
               "Khoảng thời gian giữa hai lần kiểm tra nguồn; mỗi máy lệch ngẫu nhiên ±20% để không "
               "cùng lúc truy cập thư mục chia sẻ.", "Số phút:"),
        "en": ("Update check interval (minutes)",
               "Time between two checks of the source; each workstation adds ±20% random jitter so "
               "they do not hit the share together.", "Minutes:")}),
    ("InternalMarkAction", "internal_mark_action", "enum", "Detection",
     [("redact", "Che dấu và báo cho người dùng", "Redact the marking and tell the user"),
      ("warn", "Chỉ cảnh báo", "Warn only"),
      ("block", "Chặn, không cho sao chép", "Block, no copy")], {
        "vi": ("Xử lý dấu nội bộ (LƯU HÀNH NỘI BỘ…)",
               "Cách xử lý văn bản có dấu nội bộ. Dấu mật (MẬT, TỐI MẬT, TUYỆT MẬT) luôn bị chặn, "
               "không phụ thuộc chính sách này.", "Hành động:"),
        "en": ("Internal markings (LƯU HÀNH NỘI BỘ…)",
               "What to do with text that carries an internal marking. State-secret stamps (MẬT, TỐI "
               "MẬT, TUYỆT MẬT) are always blocked, whatever this policy says.", "Action:")}),
    ("RequiredTypes", "required_types", "list", "Detection", None, {
        "vi": ("Loại dữ liệu luôn phải che",
               "Mã loại dữ liệu (vd VN_CCCD, VN_TAX_CODE, PHONE_NUMBER) luôn bị che, kể cả khi quy "
               "tắc chỉ cảnh báo; người dùng không tắt được.", "Mã loại:"),
        "en": ("Types that must always be redacted",
               "Entity ids (e.g. VN_CCCD, VN_TAX_CODE, PHONE_NUMBER) that are always redacted, even "
               "where a rule would only warn; users cannot turn them off.", "Entity ids:")}),
    ("RedactTypes", "redact_types", "list", "Detection", None, {
        "vi": ("Chỉ che các loại dữ liệu này",
               "Nếu đặt, chỉ các loại này (và các loại luôn phải che) được che. Dấu mật vẫn luôn bị "
               "chặn. Để trống: che mọi loại.", "Mã loại:"),
        "en": ("Redact only these types",
               "When set, only these types (plus the required ones) are redacted. State-secret "
               "stamps are still blocked. Empty: every type.", "Entity ids:")}),
    ("AllowList", "allow_list", "list", "Detection", None, {
        "vi": ("Giá trị không bao giờ che",
               "Tên công khai (lãnh đạo, người phát ngôn), mã số thuế của chính cơ quan… Mỗi dòng một "
               "giá trị.", "Giá trị:"),
        "en": ("Values never redacted",
               "Public officials' names, the agency's own tax code… One value per entry.",
               "Values:")}),
    ("AllowKeepFinding", "allow_keep_finding", "bool", "Detection", None, {
        "vi": ("Cho phép giữ lại một mục đã phát hiện",
               "Khi tắt, cửa sổ xem lại không cho người dùng bỏ che một mục đã phát hiện.", ""),
        "en": ("Allow keeping a finding",
               "When disabled, the review window does not let users un-redact a finding.", "")}),
    ("WatchClipboard", "watch_clipboard", "bool", "Detection", None, {
        "vi": ("Theo dõi clipboard", "Kiểm tra nội dung mỗi khi người dùng sao chép.", ""),
        "en": ("Watch the clipboard", "Check the content every time the user copies.", "")}),
    ("ClipboardMode", "clipboard_mode", "enum", "Detection",
     [("offer", "Hỏi trước khi thay bản đã che", "Ask before replacing with the redacted copy"),
      ("replace", "Tự động thay bằng bản đã che", "Replace with the redacted copy automatically")], {
        "vi": ("Khi phát hiện dữ liệu nhạy cảm trong clipboard", "", "Cách làm:"),
        "en": ("When the clipboard holds sensitive data", "", "Mode:")}),
    ("MacroPolicy", "macro_policy", "enum", "Detection",
     [("remove", "Gỡ bỏ macro", "Remove macros"), ("keep", "Giữ macro", "Keep macros")], {
        "vi": ("Macro trong tệp Office đã che", "", "Macro:"),
        "en": ("Macros in sanitized Office files", "", "Macros:")}),
    ("VaultMemoryOnly", "vault_memory_only", "bool", "Privacy", None, {
        "vi": ("Chỉ giữ bảng khôi phục trong bộ nhớ",
               "Bảng đối chiếu để khôi phục câu trả lời không được ghi ra đĩa.", ""),
        "en": ("Keep the restore table in memory only",
               "The table used to restore answers is never written to disk.", "")}),
    ("VaultTtlHours", "vault_ttl_hours", "decimal", "Privacy", (0, 720, 10), {
        "vi": ("Thời gian giữ bảng khôi phục (giờ)", "", "Số giờ:"),
        "en": ("Keep the restore table for (hours)", "", "Hours:")}),
    ("UsageReportFolder", "usage_report_folder", "text", "Reports", None, {
        "vi": ("Thư mục báo cáo thống kê sử dụng",
               "Thư mục chia sẻ nơi mỗi máy ghi số lần kiểm tra, che, chặn theo ngày (chỉ số đếm, "
               "không bao giờ có nội dung). Tên tệp gồm tên máy và tài khoản.", "Thư mục:"),
        "en": ("Usage report folder",
               "Share where each workstation writes its daily counts of checks, redactions and "
               "blocks (counts only, never content). File names hold the computer and account "
               "names.", "Folder:")}),
    ("OutputFolder", "output_folder", "text", "Reports", None, {
        "vi": ("Thư mục lưu bản đã che", "Để trống: cạnh tệp gốc.", "Thư mục:"),
        "en": ("Folder for sanitized copies", "Empty: next to the original.", "Folder:")}),
    ("Language", "language", "enum", "Privacy",
     [("vi", "Tiếng Việt", "Vietnamese"), ("en", "Tiếng Anh", "English")], {
        "vi": ("Ngôn ngữ giao diện", "", "Ngôn ngữ:"),
        "en": ("Interface language", "", "Language:")}),
]

CATEGORIES = {
    "Updates": {"vi": "Cập nhật bộ quy tắc", "en": "Rule-pack updates"},
    "Detection": {"vi": "Phát hiện và che", "en": "Detection and redaction"},
    "Privacy": {"vi": "Quyền riêng tư", "en": "Privacy"},
    "Reports": {"vi": "Báo cáo và tệp", "en": "Reports and files"},
}
ROOT_TITLE = {"vi": "Giữ Kín", "en": "Giữ Kín"}
SUPPORTED = {"vi": "Giữ Kín 0.1 trở lên", "en": "Giữ Kín 0.1 or later"}


def a(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def build_admx() -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<policyDefinitions xmlns="{NS}" revision="1.0" schemaVersion="1.0">',
           "  <policyNamespaces>",
           '    <target prefix="giukin" namespace="GiuKin.Policies.GiuKin" />',
           "  </policyNamespaces>",
           '  <resources minRequiredRevision="1.0" />',
           "  <supportedOn>", "    <definitions>",
           '      <definition name="SUPPORTED_GiuKin_0_1" displayName="$(string.SUPPORTED_GiuKin_0_1)" />',
           "    </definitions>", "  </supportedOn>", "  <categories>",
           '    <category name="GiuKin" displayName="$(string.Cat_GiuKin)" />']
    for cat in CATEGORIES:
        out += [f'    <category name="GiuKin_{cat}" displayName="$(string.Cat_{cat})">',
                '      <parentCategory ref="GiuKin" />', "    </category>"]
    out += ["  </categories>", "  <policies>"]
    for name, option, kind, cat, extra, _texts in POLICIES:
        attrs = (f'name="{name}" class="Machine" displayName="$(string.{name})" '
                 f'explainText="$(string.{name}_Help)" key="{KEY}"')
        if kind == "bool":
            out.append(f'    <policy {attrs} valueName="{option}">')
        else:
            out.append(f'    <policy {attrs} presentation="$(presentation.{name})">')
        out += [f'      <parentCategory ref="GiuKin_{cat}" />',
                '      <supportedOn ref="SUPPORTED_GiuKin_0_1" />']
        if kind == "bool":
            out += ['      <enabledValue><decimal value="1" /></enabledValue>',
                    '      <disabledValue><decimal value="0" /></disabledValue>']
        else:
            out.append("      <elements>")
            if kind == "text":
                out.append(f'        <text id="{name}_Value" valueName="{option}" maxLength="1024" '
                           'required="true" />')
            elif kind == "list":
                out.append(f'        <list id="{name}_Value" key="{KEY}\\{option}" valuePrefix="" />')
            elif kind == "decimal":
                low, high, _default = extra
                out.append(f'        <decimal id="{name}_Value" valueName="{option}" minValue="{low}" '
                           f'maxValue="{high}" required="true" />')
            elif kind == "enum":
                out.append(f'        <enum id="{name}_Value" valueName="{option}" required="true">')
                for value, _vi, _en in extra:
                    out += [f'          <item displayName="$(string.{name}_{value})">',
                            f"            <value><string>{value}</string></value>",
                            "          </item>"]
                out.append("        </enum>")
            out.append("      </elements>")
        out.append("    </policy>")
    out += ["  </policies>", "</policyDefinitions>", ""]
    return "\n".join(out)


def build_adml(lang: str) -> str:
    strings = [("Cat_GiuKin", ROOT_TITLE[lang]), ("SUPPORTED_GiuKin_0_1", SUPPORTED[lang])]
    strings += [(f"Cat_{cat}", titles[lang]) for cat, titles in CATEGORIES.items()]
    presentations = []
    for name, _option, kind, _cat, extra, texts in POLICIES:
        title, help_text, label = texts[lang]
        strings += [(name, title), (f"{name}_Help", help_text or title)]
        if kind == "enum":
            strings += [(f"{name}_{value}", vi if lang == "vi" else en) for value, vi, en in extra]
        if kind == "bool":
            continue
        ref = f"{name}_Value"
        if kind == "text":
            body = f'<textBox refId="{ref}"><label>{escape(label)}</label></textBox>'
        elif kind == "list":
            body = f'<listBox refId="{ref}">{escape(label)}</listBox>'
        elif kind == "decimal":
            body = (f'<decimalTextBox refId="{ref}" defaultValue="{extra[2]}">{escape(label)}'
                    "</decimalTextBox>")
        else:
            body = f'<dropdownList refId="{ref}" defaultItem="0">{escape(label)}</dropdownList>'
        presentations.append(f'      <presentation id="{name}">{body}</presentation>')
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<policyDefinitionResources xmlns="{NS}" revision="1.0" schemaVersion="1.0">',
           f"  <displayName>{escape(ROOT_TITLE[lang])}</displayName>",
           "  <description>"
           + escape("Chính sách Giữ Kín" if lang == "vi" else "Giữ Kín policies")
           + "</description>",
           "  <resources>", "    <stringTable>"]
    out += [f'      <string id="{sid}">{escape(text)}</string>' for sid, text in strings]
    out += ["    </stringTable>", "    <presentationTable>"] + presentations
    out += ["    </presentationTable>", "  </resources>", "</policyDefinitionResources>", ""]
    return "\n".join(out)


def outputs() -> dict[Path, str]:
    return {HERE / "GiuKin.admx": build_admx(),
            HERE / "vi-VN" / "GiuKin.adml": build_adml("vi"),
            HERE / "en-US" / "GiuKin.adml": build_adml("en")}


def main() -> int:
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\r\n" if "--crlf" in sys.argv else "\n")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
