"""The fast unit walks read exactly what a visit of every element would read.

The Excel pass tells the generic pass which row children still hold something
(``SheetScan.extras``); odd cells (extra attributes, extension lists, text between
cells, foreign elements) must not be lost by that shortcut. Values are invented.
"""

from __future__ import annotations

from fixtures import NAME1, NAME2, PHONE1, S
from lxml import etree

from app.documents.ooxml import container_units, leftover_units
from app.documents.xlsx import SharedTexts, SheetScan

SHEET = (
    f'<worksheet xmlns="{S}" xmlns:x="urn:x"><sheetData>'
    f'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" x:note="{NAME1} ở Hà Nội"><v>1</v></c>'
    f'<c r="C1"><v>2</v><extLst><ext uri="u">{NAME2}</ext></extLst></c> sau ô {PHONE1} </row>'
    '<row r="2"><c r="A2"><!-- c --><v>3</v></c><x:c r="B2"><v>4</v></x:c>'
    '<note>ghi chú riêng của phòng</note></row>'
    '<row r="3"><c r="A3">chữ trong ô<v>5</v></c><c r="B3" t="inlineStr"><is><t>Ô</t></is></c>'
    '</row></sheetData></worksheet>')


def _read(units) -> list[tuple[str, str]]:
    return [(u.pieces[0].el.getroottree().getpath(u.pieces[0].el), u.pieces[0].slot)
            for u in units]


def test_sheet_extras_read_what_a_full_walk_reads():
    root = etree.fromstring(SHEET.encode())
    scan = SheetScan("xl/worksheets/sheet1.xml", "S", root, SharedTexts([]), set(), {}, {})
    scan.run()
    fast = leftover_units("p", root, set(), None, cell_extras=scan.extras)
    every = {row: list(row) for row in root.iter("{*}row")}
    full = leftover_units("p", root, set(), None, cell_extras=every)
    assert _read(fast) == _read(full)
    texts = {u.text for u in fast}
    assert {f"{NAME1} ở Hà Nội", f" sau ô {PHONE1} ", NAME2, "ghi chú riêng của phòng",
            "chữ trong ô"} <= texts
    assert not {"0", "1", "2", "3", "4", "5", "Ô"} & texts  # what the Excel pass read


def test_container_streams_and_nested_paragraph():
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    p = etree.fromstring(
        f'<w:p xmlns:w="{w}"><w:r><w:t>Họ tên</w:t><w:tab/><w:t>{NAME1}</w:t></w:r>'
        '<w:r><w:instrText> HYPERLINK "x" </w:instrText></w:r>'
        '<w:r><w:pict><w:txbxContent><w:p><w:r><w:t>hộp</w:t></w:r></w:p></w:txbxContent>'
        '</w:pict></w:r><w:del><w:r><w:delText>cũ</w:delText></w:r></w:del></w:p>'.encode())
    claimed: set = set()
    units = container_units("d", p, claimed)
    assert [u.text for u in units] == [f"Họ tên\t{NAME1}", ' HYPERLINK "x" ', "cũ"]
    nested = p.find(".//{*}txbxContent/{*}p")
    assert nested not in claimed  # a text box paragraph is its own unit
    assert [u.text for u in container_units("d", nested, claimed)] == ["hộp"]


def test_phonetic_run_is_its_own_stream():
    si = etree.fromstring(f'<si xmlns="{S}"><r><t>東京</t></r><rPh><t>とうきょう</t></rPh></si>'
                          .encode())
    assert [u.text for u in container_units("s", si, set())] == ["東京", "とうきょう"]


def test_office_builtin_names_are_not_read_but_custom_names_are():
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    styles = etree.fromstring(
        f'<w:styles xmlns:w="{w}" xmlns:a="{a}"><w:latentStyles>'
        '<w:lsdException w:name="Light Grid Accent 1" w:uiPriority="62"/>'
        '<w:lsdException w:name="HEADING 1"/></w:latentStyles>'
        '<w:style w:styleId="H1C"><w:name w:val="Heading 1 Char"/>'
        '<w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="ＭＳ 明朝"/></w:rPr></w:style>'
        f'<w:style w:styleId="X"><w:name w:val="{NAME1}"/>'
        '<w:rPr><w:rFonts w:ascii="Hộp thư Phòng Tổ chức"/></w:rPr></w:style>'
        '<a:latin typeface="Calibri Light"/><a:font script="Viet" typeface="Times New Roman"/>'
        f'<w:lsdException w:name="{NAME2} Char"/></w:styles>'.encode())
    texts = [u.text for u in leftover_units("word/styles.xml", styles, set(), None)]
    # Office's own style and font names are skipped; a name it does not know is still read,
    # and " Char" after an unknown name does not make it built-in
    assert texts == [NAME1, "Hộp thư Phòng Tổ chức", f"{NAME2} Char"]
