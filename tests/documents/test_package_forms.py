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
