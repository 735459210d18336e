"""Package forms that real files come in: templates, Windows-style member names, empty parts."""

from __future__ import annotations

import zipfile

import docx
import openpyxl
import pytest
from fixtures import CCCD1, NAME1, PLANTED, _zip, all_text, make_xlsx, word_parts

from app.batch import redact_paths
from app.documents import DocumentError, default_output_name, redact_document
from app.engine import PlaceholderMap

WORD_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
WORD_MACRO_TEMPLATE = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
WORD_DOC = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_TEMPLATE = "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
EXCEL_MACRO_TEMPLATE = "application/vnd.ms-excel.template.macroEnabled.main+xml"
EXCEL_MACRO_SHEET = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _retype(src, dest, old: str, new: str):
    """Copy a package with its main content type changed (a document made a template)."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    ct = parts["[Content_Types].xml"].decode()
    assert old in ct
    parts["[Content_Types].xml"] = ct.replace(old, new).encode()
    return _zip(dest, parts)


def _no_planted(path):
    text = all_text(path)
    leaked = [v for v in PLANTED if v in text]
    assert leaked == []


def test_word_template_is_sanitized_and_stays_a_template(tmp_path, engine):
    doc = _zip(tmp_path / "d.docx", word_parts())
    src = _retype(doc, tmp_path / "mẫu.dotx", WORD_DOC, WORD_TEMPLATE)
    out = tmp_path / default_output_name(src)
    result = redact_document(src, out, engine)
    assert result.output == out and out.name == "mẫu (đã che).dotx"
    _no_planted(out)
    with zipfile.ZipFile(out) as z:
        assert WORD_TEMPLATE in z.read("[Content_Types].xml").decode()
    assert "Báo cáo tổng hợp công tác quý" in all_text(out)


def test_excel_template_opens_in_openpyxl_after(tmp_path, engine):
    book = make_xlsx(tmp_path / "b.xlsx")
    src = _retype(book, tmp_path / "mẫu.xltx",
                  "spreadsheetml.sheet.main+xml", "spreadsheetml.template.main+xml")
    result = redact_document(src, tmp_path / "o.xltx", engine)
    _no_planted(result.output)
    wb = openpyxl.load_workbook(result.output)
    assert wb["Danh sách"]["B2"].value == "Họ và tên"


def test_macro_template_loses_its_macros_and_its_m(tmp_path, engine):
    book = make_xlsx(tmp_path / "m.xlsm", macros=True)
    src = _retype(book, tmp_path / "m.xltm", EXCEL_MACRO_SHEET, EXCEL_MACRO_TEMPLATE)
    result = redact_document(src, tmp_path / default_output_name(src), engine)
    assert result.output.suffix == ".xltx" and "macros removed" in result.notes
    with zipfile.ZipFile(result.output) as z:
        ct = z.read("[Content_Types].xml").decode()
        assert not any("vbaProject" in n for n in z.namelist())
    assert EXCEL_TEMPLATE in ct and "macroEnabled" not in ct


def test_folder_batch_picks_up_templates(tmp_path, engine):
    folder = tmp_path / "in"
    folder.mkdir()
    doc = _zip(tmp_path / "d.docx", word_parts())
    _retype(doc, folder / "a.dotx", WORD_DOC, WORD_TEMPLATE)
    _retype(doc, folder / "b.dotm", WORD_DOC, WORD_MACRO_TEMPLATE)
    reports = redact_paths([folder], tmp_path / "out", engine, PlaceholderMap())
    assert sorted(r.verdict for r in reports) == ["redacted", "redacted"]
    # b.dotm carries no macros, so nothing is removed and it keeps its type.
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".dotm", ".dotx"]


def test_backslash_member_names_and_lowercase_part_names(tmp_path, engine):
    """Some Windows tools write ``xl\\sharedstrings.xml`` and ``[content_types].xml``."""
    book = make_xlsx(tmp_path / "b.xlsx")
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    odd = {}
    for name, data in parts.items():
        name = name.replace("/", "\\")
        if name.endswith(("sharedStrings.xml", "Content_Types].xml")):
            name = name.lower()
        odd[name] = data
    src = _zip(tmp_path / "windows.xlsx", odd)
    with pytest.raises(KeyError):  # the library cannot read the input...
        openpyxl.load_workbook(src)
    result = redact_document(src, tmp_path / "o.xlsx", engine)
    with zipfile.ZipFile(result.output) as z:
        names = z.namelist()
    assert "[Content_Types].xml" in names and "xl/sharedStrings.xml" in names
    assert not any("\\" in n for n in names)
    _no_planted(result.output)
    wb = openpyxl.load_workbook(result.output)  # ...but it reads our output
    assert wb["Danh sách"]["B3"].value.startswith("[HỌ_TÊN_")


def test_member_names_that_climb_out_are_still_refused(tmp_path, engine):
    parts = word_parts()
    parts["word\\..\\..\\evil.xml"] = "<a/>"
    src = _zip(tmp_path / "climb.docx", parts)
    with pytest.raises(DocumentError) as err:
        redact_document(src, tmp_path / "o.docx", engine)
    assert err.value.reason == "corrupt" and not (tmp_path / "o.docx").exists()


def test_empty_part_is_copied_not_refused(tmp_path, engine):
    parts = word_parts()
    parts["word/fontTable.xml"] = b""
    src = _zip(tmp_path / "empty-part.docx", parts)
    result = redact_document(src, tmp_path / "o.docx", engine)
    with zipfile.ZipFile(result.output) as z:
        assert z.read("word/fontTable.xml") == b""
    assert CCCD1 not in all_text(result.output) and NAME1 not in all_text(result.output)
    docx.Document(str(result.output))


def _sst_book(path, strings: list[str], extra_workbook: str = "", app_xml: str | None = None):
    """A minimal workbook whose cells all point into the shared-string table."""
    from fixtures import CT, DECL, PR, R, S

    sst = (f'{DECL}<sst xmlns="{S}" count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in strings) + "</sst>")
    rows = "".join(f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c></row>'
                   for i in range(len(strings)))
    parts = {
        "[Content_Types].xml": (
            f'{DECL}<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.'
            'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/></Types>'),
        "_rels/.rels": (f'{DECL}<Relationships xmlns="{PR}"><Relationship Id="rId1" '
                        f'Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'{DECL}<workbook xmlns="{S}" xmlns:r="{R}">{extra_workbook}<sheets>'
                            '<sheet name="Trang1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'{DECL}<Relationships xmlns="{PR}"><Relationship Id="rId1" Type="{R}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{R}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (f'{DECL}<worksheet xmlns="{S}"><sheetData>{rows}'
                                     '</sheetData></worksheet>'),
        "xl/sharedStrings.xml": sst,
    }
    if app_xml is not None:
        parts["docProps/app.xml"] = app_xml
    return _zip(path, parts)


def test_shared_string_text_around_a_value_is_kept_whole(tmp_path, engine):
    """Each shared string is edited once: the words after a value survive intact."""
    src = _sst_book(tmp_path / "sst.xlsx", [
        "gửi tới an.nguyen@example.vn trước thứ sáu, cảm ơn",
        "Liên hệ 0912 345 678 trước thứ sáu nhé",
        "Kế hoạch triển khai",
    ])
    result = redact_document(src, tmp_path / "o.xlsx", engine)
    assert result.by_type == {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}
    ws = openpyxl.load_workbook(result.output).active
    assert [ws[f"A{i}"].value for i in (1, 2, 3)] == [
        "gửi tới [EMAIL_1] trước thứ sáu, cảm ơn",
        "Liên hệ [SĐT_1] trước thứ sáu nhé",
        "Kế hoạch triển khai",
    ]


def test_version_numbers_and_the_producing_app_are_not_personal(tmp_path, engine):
    from fixtures import DECL

    app_xml = (f'{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
               '2006/extended-properties"><Application>LibreOffice/7.4.7.2$Linux_X86_64 '
               'LibreOffice_project/40$Build-2</Application><AppVersion>15.0000</AppVersion>'
               '</Properties>')
    src = _sst_book(tmp_path / "v.xlsx", ["Kế hoạch triển khai"], app_xml=app_xml,
                    extra_workbook='<fileVersion appName="xl" lastEdited="7" lowestEdited="7"/>')
    result = redact_document(src, tmp_path / "o.xlsx", engine)
    assert result.findings == 0
    with zipfile.ZipFile(result.output) as z:
        assert 'lastEdited="7"' in z.read("xl/workbook.xml").decode()
        assert "LibreOffice/7.4.7.2" in z.read("docProps/app.xml").decode()


def test_personal_column_shared_strings_become_one_placeholder_each(tmp_path, engine):
    src = _sst_book(tmp_path / "names.xlsx", ["Họ và tên", "Trần Văn Bình", "Nguyễn Thị Hoa"])
    ws = openpyxl.load_workbook(redact_document(src, tmp_path / "o.xlsx", engine).output).active
    assert [ws["A2"].value, ws["A3"].value] == ["[HỌ_TÊN_1]", "[HỌ_TÊN_2]"]


def test_a_label_in_a_phone_column_is_not_a_phone(tmp_path, engine):
    src = _sst_book(tmp_path / "phones.xlsx", ["Số điện thoại", "0912 345 678", "Chức vụ:"])
    ws = openpyxl.load_workbook(redact_document(src, tmp_path / "o.xlsx", engine).output).active
    assert [ws["A2"].value, ws["A3"].value] == ["[SĐT_1]", "Chức vụ:"]
