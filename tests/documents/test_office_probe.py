"""Cases from a blind probe of the sanitizer with generated Word/Excel files."""

from __future__ import annotations

import zipfile

import openpyxl
from fixtures import NAME1, NAME2, _zip, all_text, make_xlsx

from app.documents import redact_document


def _cells(path) -> dict[str, str]:
    wb = openpyxl.load_workbook(path)
    return {c.coordinate: c.value for row in wb.active.iter_rows() for c in row
            if c.value is not None}


def test_name_column_ends_at_a_blank_row_and_skips_non_names(tmp_path, engine):
    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [["STT", "Họ và tên"], [1, NAME1], [2, "Căn cứ Nghị định số 73/2024/NĐ-CP"],
            [3, "Ghi chú: học tại cơ sở 2"], [4, NAME2], [None, None],
            [None, "Tổng cộng: 4 người"], [None, "Người lập biểu"],
            [None, "Chuyên viên Phòng Tổ chức"]]
    for row in rows:
        ws.append(row)
    src = tmp_path / "ds.xlsx"
    wb.save(src)
    cells = _cells(redact_document(src, tmp_path / "out.xlsx", engine).output)
    assert cells["B2"].startswith("[HỌ_TÊN_") and cells["B5"].startswith("[HỌ_TÊN_")
    assert cells["B3"] == "Căn cứ Nghị định số 73/2024/NĐ-CP"
    assert cells["B4"] == "Ghi chú: học tại cơ sở 2"
    assert cells["B7"] == "Tổng cộng: 4 người"
    assert cells["B8"] == "Người lập biểu"
    assert cells["B9"] == "Chuyên viên Phòng Tổ chức"


def test_a_name_after_a_blank_row_is_still_read_with_the_header(tmp_path, engine):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["Họ và tên"], [NAME1], [None], ["Phạm Quốc Toản"]]:
        ws.append(row)
    src = tmp_path / "gap.xlsx"
    wb.save(src)
    cells = _cells(redact_document(src, tmp_path / "out.xlsx", engine).output)
    assert cells["A2"].startswith("[HỌ_TÊN_") and cells["A4"].startswith("[HỌ_TÊN_")


def test_thread_link_author_and_software_creator_are_kept(tmp_path, engine):
    src = make_xlsx(tmp_path / "base.xlsx")
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    link = "tc={0E6D8C2A-6D0B-4B7C-9C4E-2F1A3B5C7D9E}"
    parts["xl/comments1.xml"] = parts["xl/comments1.xml"].replace(
        f"<author>{NAME1}</author>".encode(),
        f"<author>{link}</author><author>{NAME2}</author>".encode())
    parts["docProps/core.xml"] = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:creator>openpyxl</dc:creator><cp:lastModifiedBy>{NAME2}</cp:lastModifiedBy>'
        '</cp:coreProperties>').encode()
    out = redact_document(_zip(tmp_path / "t.xlsx", parts), tmp_path / "t2.xlsx", engine)
    text = all_text(out.output)
    assert link in text and "<dc:creator>openpyxl</dc:creator>" in text
    assert NAME2 not in text and NAME1 not in text


def _tc(text: str) -> str:
    return f'<w:tc><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'


def _tr(*cells: str) -> str:
    return "<w:tr>" + "".join(_tc(c) for c in cells) + "</w:tr>"


def test_table_labels_beside_and_above_a_value(tmp_path, engine):
    from fixtures import word_parts

    form = ("<w:tbl>" + _tr("Tên đăng nhập", "quanlyvb") + _tr("Mật khẩu:", "Bienhoa@2026")
            + _tr("Độ mật", "Thường") + "</w:tbl>")
    listing = ("<w:tbl>" + _tr("Họ và tên", "Mã số thuế", "Ngày sinh")
               + _tr("Ông Lý Văn Cường", "0100109106", "12/03/1980") + "</w:tbl>")
    accounts = ("<w:tbl>" + _tr("Hệ thống", "Tên đăng nhập", "Mật khẩu")
                + _tr("Một cửa", "tiepnhan.mc", "Motcua#77") + "</w:tbl>")
    # A table nested in a cell takes no label from the outer table.
    nested = ("<w:tbl><w:tr>" + _tc("Phòng Tổ chức") + "<w:tc><w:tbl>"
              + _tr("Họ và tên", "Ghi chú") + "</w:tbl><w:p/></w:tc></w:tr></w:tbl>")
    parts = word_parts([form, listing, accounts, nested])
    parts["customXml/item2.xml"] = ("<hoSo><MaSoThue>0100109106</MaSoThue><SoTaiKhoan>"
                                    "0451000123456</SoTaiKhoan><NgaySinh>1980-03-12</NgaySinh>"
                                    "<GhiChu>Đủ hồ sơ</GhiChu></hoSo>")
    result = redact_document(_zip(tmp_path / "t.docx", parts), tmp_path / "t2.docx", engine)
    text = all_text(result.output)
    for value in ("quanlyvb", "Bienhoa@2026", "0100109106", "12/03/1980", "0451000123456",
                  "1980-03-12", "tiepnhan.mc", "Motcua#77"):
        assert value not in text, value
    # labels and non-personal values stay; "Độ mật: Thường" does not block
    for keep in ("Tên đăng nhập", "Mật khẩu:", "Độ mật", "Thường", "Mã số thuế", "Đủ hồ sơ",
                 "Một cửa", "Phòng Tổ chức", "Họ và tên", "Ghi chú"):
        assert keep in text, keep


def test_excel_credential_columns(tmp_path, engine):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["Hệ thống", "Tên đăng nhập", "Mật khẩu"], ["Cổng một cửa", "motcua.vt",
                                                             "chuyenvien"]]:
        ws.append(row)
    src = tmp_path / "tk.xlsx"
    wb.save(src)
    cells = _cells(redact_document(src, tmp_path / "out.xlsx", engine).output)
    assert cells["A2"] == "Cổng một cửa"
    assert cells["B2"].startswith("[TÊN_ĐĂNG_NHẬP_") and cells["C2"].startswith("[MẬT_KHẨU_")


def test_red_stamp_in_an_excel_page_header_blocks(tmp_path, engine):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Báo cáo quý"
    ws.oddHeader.center.text = "MẬT"
    ws.oddHeader.center.color = "FF0000"
    src = tmp_path / "red.xlsx"
    wb.save(src)
    result = redact_document(src, tmp_path / "out.xlsx", engine)
    assert result.output is None and result.blocks


def test_excel_lists_with_groups_subtotals_and_gaps(tmp_path, engine):
    import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [["Họ và tên", "Ngày sinh"], ["Phòng Tổ chức cán bộ", None],
            [NAME1, datetime.date(1985, 4, 12)], ["Cộng phòng", "=COUNT(B3:B3)"], [None, None],
            ["Tổng cộng", None], [NAME2, datetime.date(1991, 11, 3)]]
    for row in rows:
        ws.append(row)
    src = tmp_path / "nhom.xlsx"
    wb.save(src)
    out = redact_document(src, tmp_path / "out.xlsx", engine).output
    cells = _cells(out)
    assert cells["A2"] == "Phòng Tổ chức cán bộ" and cells["A4"] == "Cộng phòng"
    assert cells["A6"] == "Tổng cộng"
    assert cells["B4"] == "=COUNT(B3:B3)"  # a formula is not a birth date
    text = all_text(out)
    assert NAME1 not in text and NAME2 not in text
    for serial in ("31149", "33545"):  # 1985-04-12 and 1991-11-03 as Excel serials
        assert f"<v>{serial}</v>" not in text, serial


def test_numbered_labels_and_a_one_row_table(tmp_path, engine):
    from fixtures import word_parts

    form = ("<w:tbl>" + _tr("3) Sinh ngày", "12/03/1990") + _tr("5. Quê quán",
                                                                "xã Yên Lạc, huyện Yên Định")
            + "</w:tbl>")
    # One row: the name beside the address used to make the re-scan refuse the file.
    one_row = "<w:tbl>" + _tr("Lò Thị Khánh", "trú tại thôn Bản Mạ, xã Chiềng Sơn") + "</w:tbl>"
    result = redact_document(_zip(tmp_path / "n.docx", word_parts([form, one_row])),
                             tmp_path / "n2.docx", engine)
    text = all_text(result.output)
    for value in ("12/03/1990", "xã Yên Lạc", "Lò Thị Khánh", "Bản Mạ"):
        assert value not in text, value
    assert "3) Sinh ngày" in text and "5. Quê quán" in text


def test_word_list_columns_read_by_their_header(tmp_path, engine):
    from fixtures import word_parts

    listing = ("<w:tbl>" + _tr("Họ và tên", "Quê quán", "Ngày sinh")
               + _tr("Ông Mạc Văn Tình", "xã Diễn Kỷ, huyện Diễn Châu, tỉnh Nghệ An", "1979")
               + _tr("Bà Đào Thị Nhàn", "phường Hưng Bình, thành phố Vinh", "04/08/1984")
               + "</w:tbl>")
    result = redact_document(_zip(tmp_path / "l.docx", word_parts([listing])),
                             tmp_path / "l2.docx", engine)
    text = all_text(result.output)
    for value in ("Diễn Kỷ", "Hưng Bình", "04/08/1984", "Mạc Văn Tình", "Đào Thị Nhàn"):
        assert value not in text, value
    assert "Quê quán" in text and "Ngày sinh" in text


def test_two_row_headers_with_merged_headings(tmp_path, engine):
    from fixtures import word_parts

    span = '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Ngày sinh</w:t></w:r></w:p></w:tc>'
    word = ("<w:tbl><w:tr>" + _tc("Họ và tên") + span + "</w:tr>" + _tr("", "Nam", "Nữ")
            + _tr("Ông Ninh Văn Tường", "", "22/06/1975") + "</w:tbl>")
    result = redact_document(_zip(tmp_path / "h.docx", word_parts([word])),
                             tmp_path / "h2.docx", engine)
    assert "22/06/1975" not in all_text(result.output)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", None])
    ws.append([None, "Nam", "Nữ"])
    ws.append(["Bế Thị Mai", None, "17/09/1988"])
    ws.merge_cells("B1:C1")
    src = tmp_path / "h.xlsx"
    wb.save(src)
    cells = _cells(redact_document(src, tmp_path / "h2.xlsx", engine).output)
    assert cells["C3"].startswith("[NGÀY_SINH_") and cells["C2"] == "Nữ"


def test_number_columns_take_only_number_shaped_values(tmp_path, engine):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["DANH SÁCH CÁN BỘ, VIÊN CHỨC NĂM 2025", None], ["Họ và tên", "Mã số thuế"],
                ["Hà Minh Đức", "0100109106"], [None, None],
                [None, "Thanh Hóa, ngày 05 tháng 7 năm 2025"]]:
        ws.append(row)
    src = tmp_path / "mst.xlsx"
    wb.save(src)
    cells = _cells(redact_document(src, tmp_path / "out.xlsx", engine).output)
    assert cells["A1"] == "DANH SÁCH CÁN BỘ, VIÊN CHỨC NĂM 2025"
    assert cells["B3"].startswith("[MST_")
    assert cells["B5"] == "Thanh Hóa, ngày 05 tháng 7 năm 2025"
