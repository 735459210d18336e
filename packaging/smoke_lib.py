"""Helpers for packaging/smoke.sh: make synthetic inputs, compare scans, look for leaks.

    python smoke_lib.py make DIR             write all.txt, secret.txt, hidden.docx, hidden.xlsx
    python smoke_lib.py compare REF FROZEN   same findings in two `scan --json` outputs?
    python smoke_lib.py leaks VALUES FILE... planted values left in any part of the files?

Every value is invented (CCCD 001085000123 is a structurally valid fake). Runs with the
build venv's python (python-docx and openpyxl are runtime dependencies).
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

# Text with one sample of every entity type the default pack knows, plus lines for kinds
# still being written (IP address, credential, internal marking): those are checked only
# if the plain venv run finds them too.
ALL_TEXT = """\
Kính gửi phòng Tổ chức cán bộ,
Ông Trần Minh Khoa, sinh ngày 12/03/1985, 39 tuổi, thường trú tại số 12 ngõ 45 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội.
Số CCCD: 001085000123. Số CMND cũ: 012345678. Hộ chiếu số C1234567.
Mã số thuế cá nhân: 8012345678. Mã số BHXH: 0123456789. Thẻ BHYT: DN4010123456789.
Giấy phép lái xe số 010123456789. Biển số xe 29A-123.45.
Số tài khoản Vietcombank: 0071000123456. Thẻ tín dụng 4111 1111 1111 1111, CVV 123.
Điện thoại 0912 345 678, email khoa.tran@example.com.
Tọa độ nhà riêng: 21.0285, 105.8542.
Dân tộc: Kinh. Tôn giáo: Không. Tình trạng hôn nhân: Đã kết hôn. Mức lương: 12.500.000 đồng.
Máy chủ nội bộ: 10.12.34.56. Mật khẩu: Xk9#tQ2!vbLm
TÀI LIỆU LƯU HÀNH NỘI BỘ
"""

# Entity types the frozen scan of ALL_TEXT must report (the default pack's types).
REQUIRED = [
    "VN_PERSON", "VN_DOB", "VN_AGE", "VN_ADDRESS", "VN_CCCD", "VN_CMND", "VN_PASSPORT",
    "VN_TAX_CODE", "VN_SOCIAL_INSURANCE", "VN_HEALTH_INSURANCE", "VN_DRIVER_LICENSE",
    "VN_VEHICLE_PLATE", "VN_BANK_ACCOUNT", "CREDIT_CARD", "PHONE_NUMBER", "EMAIL_ADDRESS",
    "GEO_COORD", "VN_SENSITIVE_FIELD", "VN_FAMILY_FIELD", "VN_SALARY_FIELD",
]

SECRET_TEXT = """\
BỘ CÔNG AN
MẬT
Báo cáo tình hình tháng 10.
"""

# Values planted in hidden places of the Office files; none may survive redaction.
DOCX_VALUES = {
    "body": "001085000123",            # CCCD in a normal paragraph
    "hidden_run": "0912345678",         # phone in a run formatted as hidden (w:vanish)
    "header": "khoa.tran@example.com",  # email in the page header
    "footer": "0071000123456",          # bank account in the footer (with its cue)
    "comment": "079190000456",          # CCCD in a reviewer comment
    "core_title": "036095000789",       # CCCD in the document title property
    "deleted": "0987654321",            # phone in a tracked deletion (w:delText), raw XML
}
XLSX_VALUES = {
    "visible": "001085000123",          # CCCD in a visible cell
    "hidden_sheet": "0987654321",        # phone on a hidden sheet
    "hidden_column": "079190000456",     # CCCD in a hidden column
    "comment": "khoa.tran@example.com",  # email in a cell comment
    "header": "036095000789",           # CCCD in the print header
    "defined_name": "0912345678",       # phone in a workbook defined name (a constant)
}


def make(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "all.txt").write_text(ALL_TEXT, encoding="utf-8")
    (folder / "secret.txt").write_text(SECRET_TEXT, encoding="utf-8")
    _make_docx(folder / "hidden.docx")
    _make_xlsx(folder / "hidden.xlsx")
    (folder / "values.json").write_text(
        json.dumps({"hidden.docx": list(DOCX_VALUES.values()),
                    "hidden.xlsx": list(XLSX_VALUES.values())}), encoding="utf-8")


def _make_docx(path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.oxml.shared import OxmlElement

    v = DOCX_VALUES
    document = docx.Document()
    document.add_paragraph(f"Họ tên: Trần Minh Khoa, số CCCD {v['body']}.")
    paragraph = document.add_paragraph("Ghi chú: ")
    hidden = paragraph.add_run(f"số điện thoại {v['hidden_run']}")
    vanish = OxmlElement("w:vanish")
    hidden._r.get_or_add_rPr().append(vanish)
    assert hidden._r.rPr.find(qn("w:vanish")) is not None
    # A tracked deletion: invisible in Word's final view, still in word/document.xml.
    deleted = parse_xml(
        f'<w:del {nsdecls("w")} w:id="901" w:author="Người duyệt" w:date="2026-01-05T09:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">gọi số {v["deleted"]}</w:delText></w:r></w:del>')
    paragraph._p.append(deleted)
    section = document.sections[0]
    section.header.paragraphs[0].text = f"Liên hệ: {v['header']}"
    section.footer.paragraphs[0].text = f"Số tài khoản: {v['footer']}"
    document.core_properties.title = f"Hồ sơ CCCD {v['core_title']}"
    document.core_properties.author = "Phòng Tổ chức"
    if hasattr(document, "add_comment"):  # python-docx >= 1.2
        document.add_comment(paragraph.runs[0], text=f"Số CCCD của ông Khoa: {v['comment']}",
                             author="Người duyệt", initials="ND")
    else:  # older python-docx: put the value in a second hidden run instead
        extra = paragraph.add_run(f" CCCD {v['comment']}")
        extra._r.get_or_add_rPr().append(OxmlElement("w:vanish"))
    document.save(path)


def _make_xlsx(path: Path) -> None:
    import openpyxl
    from openpyxl.comments import Comment

    v = XLSX_VALUES
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(["Họ và tên", "Số CCCD", "Ghi chú", "CCCD người thân"])
    sheet.append(["Trần Minh Khoa", v["visible"], "đã nộp", v["hidden_column"]])
    sheet.column_dimensions["D"].hidden = True
    sheet["C2"].comment = Comment(f"Email liên hệ: {v['comment']}", "Người duyệt")
    sheet.oddHeader.center.text = f"Hồ sơ CCCD {v['header']}"
    secret = book.create_sheet("Tạm")
    secret.append(["Số điện thoại", v["hidden_sheet"]])
    secret.sheet_state = "hidden"
    from openpyxl.workbook.defined_name import DefinedName

    name = DefinedName("lien_he", attr_text=f'"điện thoại {v["defined_name"]}"')
    if hasattr(book.defined_names, "add"):  # openpyxl >= 3.1
        book.defined_names.add(name)
    else:
        book.defined_names.append(name)
    book.save(path)


def compare(reference: Path, frozen: Path) -> int:
    """0 when the frozen scan found exactly what the plain venv found."""
    ref = _findings(reference)
    got = _findings(frozen)
    missing, extra = ref - got, got - ref
    for row in sorted(missing):
        print(f"  only in the venv run:   {row}")
    for row in sorted(extra):
        print(f"  only in the frozen run: {row}")
    found = {row[1] for row in got}
    lacking = [entity for entity in REQUIRED if entity not in found]
    if lacking:
        print(f"  entity types not found by the frozen binary: {', '.join(lacking)}")
    optional = {row[1] for row in got} - set(REQUIRED)
    print(f"  {len(got)} findings, {len(found)} entity types"
          + (f" (also: {', '.join(sorted(optional))})" if optional else ""))
    return 1 if missing or extra or lacking else 0


def _findings(path: Path) -> set[tuple]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = set()
    for file in data["files"]:
        for f in file["findings"]:
            rows.add((Path(file["path"]).name, f["entity"], f["rule"], f.get("start"),
                      f.get("end"), f.get("location")))
    return rows


def leaks(paths: list[Path], values_file: Path) -> int:
    """Every part of each output (XML, rels, properties) searched for the planted values."""
    planted = json.loads(values_file.read_text(encoding="utf-8"))
    status = 0
    for path in paths:
        values = planted[path.name]
        leaked = 0
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                data = archive.read(name).decode("utf-8", "replace")
                leaked_here = sum(value in data for value in values)
                if leaked_here:
                    print(f"  LEAK: {path.name}:{name} still holds {leaked_here} planted value(s)")
                    leaked += leaked_here
        if leaked:
            status = 1
        else:
            print(f"  {path.name}: none of {len(values)} planted values left in any part")
    return status


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "make":
        make(Path(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    if len(argv) >= 3 and argv[0] == "leaks":
        return leaks([Path(p) for p in argv[2:]], Path(argv[1]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
