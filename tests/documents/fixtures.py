"""Synthetic Word/Excel packages written as raw XML, with personal data in every hiding place.

All values are invented (structurally valid fakes). Each builder returns the planted
values so tests can check that none survives anywhere in the output.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CCCD1, CCCD2, CCCD3 = "001080000001", "079085000123", "001190000777"
EMAIL1, EMAIL2 = "an.nguyen@example.vn", "binh.tran@example.vn"
PHONE1 = "0912345678"
NAME1, NAME2 = "Trần Văn Bình", "Nguyễn Thị Hoa"
KEEP = ["Báo cáo tổng hợp công tác quý", "Kế hoạch triển khai", "Ghi chú cuối trang",
        "Nội dung hộp văn bản", "Chú thích chân trang", "Phụ lục đính kèm"]


def _zip(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _p(*runs: str, extra: str = "") -> str:
    body = "".join(f'<w:r><w:rPr><w:b w:val="{i % 2}"/></w:rPr>'
                   f'<w:t xml:space="preserve">{t}</w:t></w:r>' for i, t in enumerate(runs))
    return f"<w:p>{body}{extra}</w:p>"


def word_parts(body_paragraphs: list[str] | None = None, header_text: str = "Kế hoạch triển khai",
               ) -> dict[str, str | bytes]:
    split_cccd = _p("Số CCCD: ", CCCD1[:4], CCCD1[4:9], CCCD1[9:], " đã xác minh.")
    textbox = (
        '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
        'markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><wp:inline '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        f'<wp:docPr id="1" name="Hộp 1" descr="Ảnh chân dung {NAME2}"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="x"><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/'
        f'2010/wordprocessingShape"><wps:txbx><w:txbxContent>{_p("Nội dung hộp văn bản ", CCCD2)}'
        '</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline>'
        '</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-'
        f'com:vml"><v:textbox><w:txbxContent>{_p("Nội dung hộp văn bản ", CCCD2)}'
        '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>'
        '</w:r></w:p>')
    tracked = (f'<w:p><w:r><w:t xml:space="preserve">Liên hệ {PHONE1[:4]}</w:t></w:r>'
               f'<w:ins w:id="5" w:author="{NAME1}" w:date="2024-01-01T00:00:00Z"><w:r>'
               f'<w:t>{PHONE1[4:]}</w:t></w:r></w:ins><w:del w:id="6" w:author="{NAME1}" '
               f'w:date="2024-01-01T00:00:00Z"><w:r><w:delText>cũ {EMAIL2}</w:delText></w:r>'
               '</w:del></w:p>')
    field = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
             f'xml:space="preserve"> HYPERLINK "mailto:{EMAIL1}" </w:instrText></w:r><w:r>'
             '<w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Thư</w:t></w:r><w:r>'
             '<w:fldChar w:fldCharType="end"/></w:r></w:p>')
    link = f'<w:p><w:hyperlink r:id="rIdLink"><w:r><w:t>{EMAIL1}</w:t></w:r></w:hyperlink></w:p>'
    sdt = (f'<w:sdt><w:sdtPr><w:alias w:val="Người ký"/><w:tag w:val="{EMAIL2}"/></w:sdtPr>'
           f'<w:sdtContent>{_p("Người ký: Ông ", NAME1)}</w:sdtContent></w:sdt>')
    smart = (f'<w:p><w:smartTag w:uri="urn:x" w:element="place"><w:r><w:t xml:space="preserve">'
             f'Ông {NAME2}. </w:t></w:r></w:smartTag>{_p("Phụ lục đính kèm")[5:-6]}</w:p>')
    table = ('<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc>'
             f'{_p("Email ", EMAIL2)}</w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>')
    comment_ref = ('<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Báo cáo tổng hợp công tác quý'
                   '</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/>'
                   '</w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>')
    paragraphs = body_paragraphs if body_paragraphs is not None else [
        comment_ref, split_cccd, textbox, tracked, field, link, sdt, smart, table]
    sect = ('<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/><w:headerReference '
            'w:type="first" r:id="rIdH2"/><w:footerReference w:type="even" r:id="rIdF1"/>'
            '</w:sectPr>')
    doc = (f'{DECL}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{"".join(paragraphs)}'
           f'{sect}</w:body></w:document>')
    hdr = lambda body: f'{DECL}<w:hdr xmlns:w="{W}" xmlns:r="{R}">{body}</w:hdr>'  # noqa: E731
    ftr = lambda body: f'{DECL}<w:ftr xmlns:w="{W}" xmlns:r="{R}">{body}</w:ftr>'  # noqa: E731
    ct = (f'{DECL}<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/'
          'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
          'ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.wordprocessingml.document.main+xml"/>'
          + "".join(f'<Override PartName="/word/{n}.xml" ContentType="application/vnd.'
                    f'openxmlformats-officedocument.wordprocessingml.{t}+xml"/>'
                    for n, t in [("header1", "header"), ("header2", "header"),
                                 ("footer1", "footer"), ("footnotes", "footnotes"),
                                 ("comments", "comments"), ("settings", "settings")])
          + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
          'package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType='
          '"application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
          '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.'
          'openxmlformats-officedocument.custom-properties+xml"/></Types>')
    rels = (f'{DECL}<Relationships xmlns="{PR}">'
            f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{R}/extended-properties" Target="docProps/app.xml"/>'
            f'<Relationship Id="rId4" Type="{R}/custom-properties" Target="docProps/custom.xml"/>'
            '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/>'
            '</Relationships>')
    doc_rels = (f'{DECL}<Relationships xmlns="{PR}">'
                + "".join(f'<Relationship Id="{i}" Type="{R}/{t}" Target="{n}"/>' for i, t, n in [
                    ("rIdH1", "header", "header1.xml"), ("rIdH2", "header", "header2.xml"),
                    ("rIdF1", "footer", "footer1.xml"), ("rIdFn", "footnotes", "footnotes.xml"),
                    ("rIdC", "comments", "comments.xml"), ("rIdS", "settings", "settings.xml")])
                + f'<Relationship Id="rIdLink" Type="{R}/hyperlink" Target="mailto:{EMAIL1}" '
                'TargetMode="External"/></Relationships>')
    settings = (f'{DECL}<w:settings xmlns:w="{W}" xmlns:r="{R}"><w:attachedTemplate '
                'r:id="rIdT"/></w:settings>')
    settings_rels = (f'{DECL}<Relationships xmlns="{PR}"><Relationship Id="rIdT" Type="{R}/'
                     'attachedTemplate" Target="file:///C:\\Users\\binh.tran\\Templates\\'
                     'Mau%20cong%20van.dotm" TargetMode="External"/></Relationships>')
    core = (f'{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:title>Hồ sơ {NAME2}</dc:title><dc:creator>{NAME1}</dc:creator>'
            f'<cp:lastModifiedBy>{NAME2}</cp:lastModifiedBy></cp:coreProperties>')
    app = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
           f'properties"><Manager>{NAME1}</Manager><Company>Sở Nội vụ</Company></Properties>')
    custom = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
              'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
              'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
              f'name="Số CCCD"><vt:lpwstr>{CCCD3}</vt:lpwstr></property></Properties>')
    footnotes = (f'{DECL}<w:footnotes xmlns:w="{W}"><w:footnote w:id="1">'
                 f'{_p("Chú thích chân trang, liên hệ ", EMAIL2)}</w:footnote></w:footnotes>')
    comments = (f'{DECL}<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{NAME2}" '
                f'w:initials="NTH">{_p("Kiểm tra lại số ", CCCD3)}</w:comment></w:comments>')
    return {
        "[Content_Types].xml": ct, "_rels/.rels": rels, "word/document.xml": doc,
        "word/_rels/document.xml.rels": doc_rels,
        "word/header1.xml": hdr(_p(header_text)),
        "word/header2.xml": hdr(_p("Ghi chú cuối trang ", CCCD2)),
        "word/footer1.xml": ftr(_p("Điện thoại ", PHONE1)),
        "word/footnotes.xml": footnotes, "word/comments.xml": comments,
        "word/settings.xml": settings, "word/_rels/settings.xml.rels": settings_rels,
        "docProps/core.xml": core, "docProps/app.xml": app, "docProps/custom.xml": custom,
        "docProps/thumbnail.jpeg": b"\xff\xd8\xff\xe0fake-jpeg-page-1",
        "customXml/item1.xml": f"<root><signer>{NAME1}</signer><id>{CCCD1}</id></root>",
    }


def make_docx(path: Path, **kwargs) -> Path:
    return _zip(path, word_parts(**kwargs))


def make_xlsx(path: Path, *, a1: str = "Danh sách cán bộ", header_footer: str = "&CTrang &P",
              macros: bool = False) -> Path:
    strings = ["STT", "Họ và tên", "Số CCCD", "SĐT", "Địa chỉ", "Ghi chú", NAME1, NAME2,
               "Số 12 phố Hàng Bài, Hoàn Kiếm", "Thôn Đông, xã Yên Sở",
               f"Liên hệ {EMAIL1}", "Đủ hồ sơ", a1, "Kế hoạch triển khai"]
    sst = (f'{DECL}<sst xmlns="{S}" count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f"<si><t>{s}</t></si>" for s in strings[:-1])
           + '<si><r><t>Kế hoạch </t></r><r><rPr><b/></rPr><t>triển khai</t></r></si></sst>')
    idx = {s: i for i, s in enumerate(strings)}

    def s(ref, text):
        return f'<c r="{ref}" t="s"><v>{idx[text]}</v></c>'

    rows = [
        f'<row r="1">{s("A1", a1)}</row>',
        f'<row r="2">{s("A2", "STT")}{s("B2", "Họ và tên")}{s("C2", "Số CCCD")}{s("D2", "SĐT")}'
        f'{s("E2", "Địa chỉ")}{s("F2", "Ghi chú")}</row>',
        f'<row r="3"><c r="A3"><v>1</v></c>{s("B3", NAME1)}<c r="C3"><v>{int(CCCD1)}</v></c>'
        f'<c r="D3"><v>{int(PHONE1)}</v></c>{s("E3", "Số 12 phố Hàng Bài, Hoàn Kiếm")}'
        f'{s("F3", "Đủ hồ sơ")}</row>',
        f'<row r="4"><c r="A4"><v>2</v></c>{s("B4", NAME2)}<c r="C4" t="inlineStr"><is><t>'
        f'{CCCD2}</t></is></c><c r="D4" t="str"><f>"0912"&amp;"345678"</f><v>{PHONE1}</v></c>'
        f'{s("E4", "Thôn Đông, xã Yên Sở")}{s("F4", f"Liên hệ {EMAIL1}")}</row>',
        f'<row r="5"><c r="F5" t="str"><f>CONCATENATE("Email: ","{EMAIL2}")</f>'
        f'<v>Email: {EMAIL2}</v></c>{s("A5", "Kế hoạch triển khai")}</row>',
    ]
    sheet1 = (f'{DECL}<worksheet xmlns="{S}" xmlns:r="{R}"><sheetData>{"".join(rows)}</sheetData>'
              f'<dataValidations count="1"><dataValidation type="list" sqref="F3:F9" '
              f'prompt="Hỏi {NAME2}"><formula1>"{EMAIL2},Khác"</formula1></dataValidation>'
              f'</dataValidations><headerFooter><oddHeader>{escape(header_footer)}</oddHeader>'
              f'<oddFooter>&amp;LNgười lập: {NAME1}</oddFooter></headerFooter></worksheet>')
    sheet2 = (f'{DECL}<worksheet xmlns="{S}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
              f'<t>Mật khẩu wifi</t></is></c><c r="B1" t="inlineStr"><is><t>Ông {NAME2} '
              f'CCCD {CCCD3}</t></is></c></row></sheetData></worksheet>')
    workbook = (f'{DECL}<workbook xmlns="{S}" xmlns:r="{R}" xmlns:mc="http://schemas.openxmlformats'
                '.org/markup-compatibility/2006" xmlns:x15ac="http://schemas.microsoft.com/office/'
                'spreadsheetml/2010/11/ac"><mc:AlternateContent><mc:Choice Requires="x15">'
                '<x15ac:absPath url="C:\\Users\\binh.tran\\Documents\\"/></mc:Choice>'
                '</mc:AlternateContent><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/>'
                f'<sheet name="{NAME2}" sheetId="2" state="veryHidden" r:id="rId2"/></sheets>'
                f'<definedNames><definedName name="NguoiKy">"{NAME1}"</definedName>'
                f"<definedName name=\"Vung\">'{NAME2}'!$A$1:$B$1</definedName></definedNames>"
                '</workbook>')
    wb_rels = (f'{DECL}<Relationships xmlns="{PR}">'
               f'<Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/>'
               f'<Relationship Id="rId2" Type="{R}/worksheet" Target="worksheets/sheet2.xml"/>'
               f'<Relationship Id="rId3" Type="{R}/sharedStrings" Target="sharedStrings.xml"/>'
               + ('<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/'
                  'relationships/vbaProject" Target="vbaProject.bin"/>' if macros else '')
               + '</Relationships>')
    sheet1_rels = (f'{DECL}<Relationships xmlns="{PR}"><Relationship Id="rId1" Type="{R}/comments" '
                   'Target="../comments1.xml"/></Relationships>')
    comments = (f'{DECL}<comments xmlns="{S}"><authors><author>{NAME1}</author></authors>'
                '<commentList><comment ref="B3" authorId="0"><text><r><t>Số ĐT cũ: </t></r>'
                f'<r><t>{PHONE1}</t></r></text></comment></commentList></comments>')
    main_type = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macros else
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    ct = (f'{DECL}<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/vnd.'
          'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
          '"application/xml"/><Default Extension="bin" ContentType="application/vnd.ms-office.'
          f'vbaProject"/><Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
          'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/'
          'worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
          '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
          '<Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.comments+xml"/>'
          + ('<Override PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.'
             'vbaProject"/>' if macros else '') + '</Types>')
    rels = (f'{DECL}<Relationships xmlns="{PR}"><Relationship Id="rId1" Type="{R}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>')
    parts = {"[Content_Types].xml": ct, "_rels/.rels": rels, "xl/workbook.xml": workbook,
             "xl/_rels/workbook.xml.rels": wb_rels, "xl/worksheets/sheet1.xml": sheet1,
             "xl/worksheets/sheet2.xml": sheet2, "xl/sharedStrings.xml": sst,
             "xl/worksheets/_rels/sheet1.xml.rels": sheet1_rels, "xl/comments1.xml": comments}
    if macros:
        parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0fake-vba"
    return _zip(path, parts)


PLANTED = [CCCD1, CCCD2, CCCD3, EMAIL1, EMAIL2, PHONE1, NAME1, NAME2, "binh.tran",
           str(int(CCCD1)), str(int(PHONE1))]


def all_text(path: Path) -> str:
    """Every XML member of a package, decoded (for 'no planted value survives' checks)."""
    chunks = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.endswith((".xml", ".rels", ".vml")):
                chunks.append(data.decode("utf-8"))
            else:
                chunks.append(data.decode("latin-1"))
    return "\n".join(chunks)
