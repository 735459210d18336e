"""Planted personal data in every hiding place: none survives, the rest does, files open."""

import zipfile

import docx
import openpyxl
import pytest
from fixtures import (
    CCCD1,
    CCCD2,
    CCCD3,
    EMAIL1,
    KEEP,
    NAME1,
    NAME2,
    PHONE1,
    PLANTED,
    all_text,
    make_docx,
    make_xlsx,
)

from app.documents import (
    DocumentError,
    default_output_name,
    file_sha256,
    redact_document,
    scan_document,
)
from app.engine import PlaceholderMap, Verdict


@pytest.fixture
def docx_out(tmp_path, engine):
    src = make_docx(tmp_path / "hồ sơ.docx")
    before = file_sha256(src)
    out = tmp_path / "out" / default_output_name(src)
    result = redact_document(src, out, engine)
    assert file_sha256(src) == before  # the original is never modified
    return src, out, result


def test_docx_no_planted_value_survives_anywhere(docx_out):
    src, out, result = docx_out
    assert result.verdict is Verdict.REDACTED and result.output == out
    assert out.name == "hồ sơ (đã che).docx"
    text = all_text(out)
    for value in PLANTED:
        assert value not in text, value
    for keep in KEEP:
        assert keep in text, keep
    assert "Sở Nội vụ" in text and "Mau%20cong%20van.dotm" in text


def test_docx_output_opens_and_reads(docx_out):
    _, out, result = docx_out
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert "Số CCCD: [CCCD_1] đã xác minh." in texts
    assert "Liên hệ [SĐT_1]" in texts  # the phone split by a tracked insertion
    assert document.core_properties.author.startswith("[HỌ_TÊN_")
    with zipfile.ZipFile(out) as z:
        assert "docProps/thumbnail.jpeg" not in z.namelist()
        assert "thumbnail" not in z.read("_rels/.rels").decode()
    assert "thumbnail removed" in result.notes


def test_docx_split_run_keeps_first_run_formatting(docx_out):
    _, out, _ = docx_out
    paragraph = next(p for p in docx.Document(str(out)).paragraphs if "[CCCD_1]" in p.text)
    runs = [(r.text, r.bold) for r in paragraph.runs]
    # "Số CCCD: " (bold 0) / value split over three runs (bold 1, 0, 1) / tail (bold 0)
    assert runs[1] == ("[CCCD_1]", True)
    assert [t for t, _ in runs[2:4]] == ["", ""]
    assert runs[-1] == (" đã xác minh.", False)


def test_docx_same_value_same_placeholder_everywhere(docx_out):
    _, out, result = docx_out
    items = result.placeholders.items()
    assert items["[CCCD_1]"] == CCCD1
    cccd2 = [k for k, v in items.items() if v == CCCD2]
    assert len(cccd2) == 1
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode()
        header = z.read("word/header2.xml").decode()
    assert body.count(cccd2[0]) == 2  # DrawingML and VML copies of the text box
    assert cccd2[0] in header
    assert set(result.by_type) >= {"VN_CCCD", "EMAIL_ADDRESS", "PHONE_NUMBER", "VN_PERSON"}


def test_docx_scan_groups_by_location(tmp_path, engine):
    src = make_docx(tmp_path / "a.docx")
    scan = scan_document(src, engine)
    assert scan.verdict is Verdict.REDACTED
    assert scan.by_location["word/header2.xml"] == {"VN_CCCD": 1}
    assert "word/footnotes.xml" in scan.by_location and "docProps/custom.xml" in scan.by_location
    assert "word/comments.xml" in scan.by_location
    places = {loc for loc, f in scan.findings if f.entity == "VN_CCCD"}
    assert {"word/header2.xml", "word/document.xml", "customXml/item1.xml"} <= places
    assert scan.by_type["VN_CCCD"] >= 5


@pytest.fixture
def xlsx_out(tmp_path, engine):
    src = make_xlsx(tmp_path / "danh sách.xlsx")
    before = file_sha256(src)
    result = redact_document(src, tmp_path / default_output_name(src), engine)
    assert file_sha256(src) == before
    return result


def test_xlsx_no_planted_value_survives(xlsx_out):
    text = all_text(xlsx_out.output)
    for value in PLANTED:
        assert value not in text, value
    for keep in ("Danh sách cán bộ", "Đủ hồ sơ", "Kế hoạch ", "triển khai", "Họ và tên",
                 "Mật khẩu wifi", "Trang &amp;P"):
        assert keep in text, keep
    assert "absPath" not in text


def test_xlsx_personal_columns_and_numbers(xlsx_out):
    wb = openpyxl.load_workbook(xlsx_out.output)
    ws = wb["Danh sách"]
    row3 = [c.value for c in ws[3]]
    assert row3[0] == 1 and row3[5] == "Đủ hồ sơ"  # not personal: kept, number stays a number
    assert row3[1].startswith("[HỌ_TÊN_") and row3[2] == "[CCCD_1]"
    assert row3[3].startswith("[SĐT_") and row3[4].startswith("[ĐỊA_CHỈ_")
    assert ws["F4"].value == "Liên hệ [EMAIL_1]"
    assert EMAIL1 not in str(ws["F5"].value)
    # a sheet named after a person is renamed and references follow it
    assert NAME2 not in wb.sheetnames and len(wb.sheetnames) == 2
    assert wb.defined_names["Vung"].attr_text.startswith(f"'{wb.sheetnames[1]}'!")
    assert NAME1 not in ws.oddFooter.left.text
    items = xlsx_out.placeholders.items()
    assert CCCD1 in items.values() or str(int(CCCD1)) in items.values()
    assert PHONE1 in items.values()


def test_xlsm_macros_removed_or_kept(tmp_path, engine):
    src = make_xlsx(tmp_path / "m.xlsm", macros=True)
    removed = redact_document(src, tmp_path / "out" / "m (đã che).xlsm", engine)
    assert removed.output.suffix == ".xlsx" and "macros removed" in removed.notes
    with zipfile.ZipFile(removed.output) as z:
        assert not any("vbaProject" in n for n in z.namelist())
        assert "macroEnabled" not in z.read("[Content_Types].xml").decode()
        assert "vbaProject" not in z.read("xl/_rels/workbook.xml.rels").decode()
    openpyxl.load_workbook(removed.output)
    kept = redact_document(src, tmp_path / "keep" / "m (đã che).xlsm", engine,
                           macro_policy="keep")
    assert kept.output.suffix == ".xlsm" and "macros kept" in kept.notes
    with zipfile.ZipFile(kept.output) as z:
        assert "xl/vbaProject.bin" in z.namelist()


def test_shared_placeholder_map_across_files(tmp_path, engine):
    pm = PlaceholderMap()
    a = redact_document(make_docx(tmp_path / "a.docx"), tmp_path / "a2.docx", engine,
                        placeholders=pm)
    b = redact_document(make_xlsx(tmp_path / "b.xlsx"), tmp_path / "b2.xlsx", engine,
                        placeholders=pm)
    assert a.placeholders is b.placeholders
    assert list(pm.items().values()).count(CCCD3) == 1


def test_refuses_to_overwrite_original(tmp_path, engine):
    src = make_docx(tmp_path / "a.docx")
    with pytest.raises(ValueError):
        redact_document(src, src, engine)


def test_residual_after_rewrite_is_refused(tmp_path, engine, monkeypatch):
    from app.documents import sanitize

    monkeypatch.setattr(sanitize, "apply_unit", lambda unit, spans: False)
    src = make_docx(tmp_path / "a.docx")
    out = tmp_path / "o" / "a (đã che).docx"
    with pytest.raises(DocumentError) as err:
        redact_document(src, out, engine)
    assert err.value.reason == "residual" and "word/" in str(err.value)
    assert not out.exists() and list(out.parent.iterdir()) == []  # no temp file left


def test_xlsx_caches_threaded_comments_and_connections(tmp_path, engine):
    from fixtures import EMAIL2, _zip

    src = make_xlsx(tmp_path / "base.xlsx")
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/pivotCache/pivotCacheDefinition1.xml"] = (
        f'<pivotCacheDefinition xmlns="{ns}" refreshedBy="{NAME1}"><cacheFields count="1">'
        f'<cacheField name="Họ và tên"><sharedItems><s v="{NAME2}"/></sharedItems></cacheField>'
        '</cacheFields></pivotCacheDefinition>').encode()
    parts["xl/pivotCache/pivotCacheRecords1.xml"] = (
        f'<pivotCacheRecords xmlns="{ns}"><r><x v="0"/><s v="Email {EMAIL1}"/>'
        f'<n v="{int(CCCD1)}"/><n v="12.5"/></r></pivotCacheRecords>').encode()
    tc = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
    parts["xl/threadedComments/threadedComment1.xml"] = (
        f'<ThreadedComments xmlns="{tc}"><threadedComment ref="B3" personId="{{1}}">'
        f'<text>Gọi lại số {PHONE1} giúp tôi</text></threadedComment></ThreadedComments>').encode()
    parts["xl/persons/person.xml"] = (
        f'<personList xmlns="{tc}"><person displayName="{NAME2}" id="{{1}}" '
        f'userId="{EMAIL2}" providerId="AD"/></personList>').encode()
    parts["xl/connections.xml"] = (
        f'<connections xmlns="{ns}"><connection id="1" name="Nguồn"><dbPr connection="Provider='
        f'SQLOLEDB;User ID={EMAIL2};Data Source=srv" command="SELECT * FROM t WHERE cccd='
        f"'{CCCD3}'\"/></connection></connections>").encode()
    result = redact_document(_zip(tmp_path / "c.xlsx", parts), tmp_path / "c2.xlsx", engine)
    text = all_text(result.output)
    for value in PLANTED:
        assert value not in text, value
    assert 'v="12.5"' in text and "giúp tôi" in text and "Provider=SQLOLEDB" in text
    assert result.by_location["xl/threadedComments/threadedComment1.xml"] == {"PHONE_NUMBER": 1}


def test_embedded_workbook_is_sanitized_too(tmp_path, engine):
    from fixtures import _zip, word_parts

    parts = word_parts()
    inner = make_xlsx(tmp_path / "inner.xlsx").read_bytes()
    parts["word/embeddings/Microsoft_Excel_Worksheet1.xlsx"] = inner
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0opaque"
    result = redact_document(_zip(tmp_path / "e.docx", parts), tmp_path / "e2.docx", engine)
    with zipfile.ZipFile(result.output) as z:
        z.extract("word/embeddings/Microsoft_Excel_Worksheet1.xlsx", tmp_path / "x")
    text = all_text(tmp_path / "x" / "word/embeddings/Microsoft_Excel_Worksheet1.xlsx")
    for value in PLANTED:
        assert value not in text, value
    assert "Đủ hồ sơ" in text
    assert any("oleObject1.bin" in w for w in result.warnings)  # kept, and said so
    assert any(loc.startswith("word/embeddings/") for loc in result.by_location)



def test_column_headers_name_the_personal_column():
    from app.documents.xlsx import personal_header

    assert personal_header("Ngày mất").entity == "VN_DATE_PERSONAL"
    assert personal_header("Ngày sinh (dd/mm/yyyy)").entity == "VN_DOB"
    assert personal_header("SỐ CCCD").entity == "VN_CCCD"
    assert personal_header("Ngày mất điện") is None  # a power cut is no one's date
    assert personal_header("Ghi chú") is None
