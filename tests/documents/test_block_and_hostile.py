"""State-secret stamps block the file; hostile or broken input gets a clear refusal."""

import io
import zipfile

import pytest
from fixtures import W, _p, _zip, make_docx, make_xlsx, word_parts

from app.batch import redact_paths
from app.documents import (
    DocumentError,
    Limits,
    redact_document,
    scan_document,
)
from app.engine import Engine, PlaceholderMap, Verdict

PACK = """id: test-block
version: "1"
files: [r.yaml]
"""
RULES = """rules:
  - id: test-stamp
    entity: VN_SECRET_MARK
    label: MẬT
    action: block
    patterns:
      - {name: stamp, regex: 'CHỈ_TEST_MẬT', score: 0.9}
"""


@pytest.fixture(scope="module")
def tiny_engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pack")
    (folder / "pack.yaml").write_text(PACK, encoding="utf-8")
    (folder / "r.yaml").write_text(RULES, encoding="utf-8")
    return Engine.from_folders([folder])


def _blocked(path, engine):
    out = path.with_name("out (đã che)" + path.suffix)
    result = redact_document(path, out, engine)
    assert result.verdict is Verdict.BLOCKED and result.output is None
    assert not out.exists()
    return result


def test_tiny_pack_block_in_header(tmp_path, tiny_engine):
    result = _blocked(make_docx(tmp_path / "a.docx", header_text="CHỈ_TEST_MẬT"), tiny_engine)
    assert result.blocks == ["word/header1.xml: VN_SECRET_MARK (test-stamp)"]


@pytest.mark.parametrize("where", ["header", "textbox", "first"])
def test_default_stamp_blocks_docx(tmp_path, engine, where):
    stamp = "Độ mật: Tối mật"
    if where == "header":
        path = make_docx(tmp_path / "a.docx", header_text=stamp)
        expect = "word/header1.xml"
    else:
        parts = word_parts()
        body = (f'<w:p><w:r><w:t>{stamp}</w:t></w:r></w:p>' if where == "first" else
                f'<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
                f'<w:txbxContent>{_p("TỐI ", "MẬT")}</w:txbxContent></v:textbox></v:shape>'
                '</w:pict></w:r></w:p>')
        parts["word/document.xml"] = parts["word/document.xml"].replace("<w:body>",
                                                                        "<w:body>" + body)
        path = _zip(tmp_path / "a.docx", parts)
        expect = "word/document.xml"
    result = _blocked(path, engine)
    assert any(b.startswith(expect) and "VN_SECRET_MARK" in b for b in result.blocks)
    assert all(stamp not in b for b in result.blocks)  # where and which rule, never the text


@pytest.mark.parametrize("a1,hf", [("TỐI MẬT", "&CTrang &P"), ("Danh sách", "&CTUYỆT MẬT")])
def test_default_stamp_blocks_xlsx(tmp_path, engine, a1, hf):
    result = _blocked(make_xlsx(tmp_path / "a.xlsx", a1=a1, header_footer=hf), engine)
    assert result.blocks
    assert scan_document(tmp_path / "a.xlsx", engine).verdict is Verdict.BLOCKED


@pytest.mark.parametrize("text", ["Bí mật", "mật khẩu", "Độ mật: Thường"])
def test_words_that_are_not_stamps(tmp_path, engine, text):
    path = make_docx(tmp_path / "a.docx", header_text=text)
    result = redact_document(path, tmp_path / "o.docx", engine)
    assert result.verdict is Verdict.REDACTED and result.output.exists()


def _refused(path, engine, reason, limits=None):
    with pytest.raises(DocumentError) as err:
        redact_document(path, path.with_name("out.docx"), engine, limits=limits)
    assert err.value.reason == reason
    assert "/" in str(err.value)  # Vietnamese / English
    assert not path.with_name("out.docx").exists()
    return err.value


def test_encrypted_and_legacy_by_magic(tmp_path, engine):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
    enc = tmp_path / "khoá.docx"
    enc.write_bytes(ole + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100)
    _refused(enc, engine, "encrypted")
    # a legacy file named .docx, with a zip appended so that zipfile.is_zipfile() says yes
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    legacy = tmp_path / "cũ.docx"
    legacy.write_bytes(ole + buffer.getvalue())
    assert zipfile.is_zipfile(legacy)
    _refused(legacy, engine, "legacy")
    doc = tmp_path / "cũ.doc"
    doc.write_bytes(ole)
    _refused(doc, engine, "legacy")


def test_truncated_and_not_zip(tmp_path, engine):
    good = make_docx(tmp_path / "a.docx").read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good[: len(good) // 2])
    _refused(cut, engine, "corrupt")
    text = tmp_path / "t.docx"
    text.write_bytes(b"hello")
    _refused(text, engine, "corrupt")
    flipped = bytearray(good)
    for i in range(200, len(flipped) - 400, 97):
        flipped[i] ^= 0x5A
    fuzz = tmp_path / "fuzz.docx"
    fuzz.write_bytes(bytes(flipped))
    with pytest.raises(DocumentError):
        redact_document(fuzz, tmp_path / "f.docx", engine)


def test_zip_bomb_is_stopped_at_the_cap(tmp_path, engine):
    parts = word_parts()
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        "<w:body>", "<w:body>" + " " * 3_000_000)
    bomb = _zip(tmp_path / "bomb.docx", parts)
    _refused(bomb, engine, "too_big", Limits(max_member_bytes=1_000_000, max_ratio=10**6))
    _refused(bomb, engine, "bomb", Limits(max_ratio=50))


def test_forged_small_size_read_in_capped_chunks(tmp_path, engine):
    parts = word_parts()
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        "<w:body>", "<w:body>" + " " * 2_000_000)
    path = _zip(tmp_path / "forged.docx", parts)
    data = bytearray(path.read_bytes())
    # patch the central directory's uncompressed size of document.xml down to 1000 bytes
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("word/document.xml")
    start = data.find(b"PK\x01\x02")
    while start >= 0:
        name_len = int.from_bytes(data[start + 28:start + 30], "little")
        if data[start + 46:start + 46 + name_len] == b"word/document.xml":
            data[start + 24:start + 28] = (1000).to_bytes(4, "little")
        start = data.find(b"PK\x01\x02", start + 4)
    assert info.file_size > 1000
    path.write_bytes(bytes(data))
    with pytest.raises(DocumentError) as err:
        redact_document(path, tmp_path / "o.docx", engine,
                        limits=Limits(max_member_bytes=1_000_000))
    assert err.value.reason in ("bomb", "corrupt")


@pytest.mark.parametrize("payload", [
    '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
])
def test_xml_bombs_and_external_entities(tmp_path, engine, payload):
    parts = word_parts()
    doc = parts["word/document.xml"]
    decl_end = doc.index("?>") + 2
    parts["word/document.xml"] = doc[:decl_end] + payload + doc[decl_end:]
    err = _refused(_zip(tmp_path / "x.docx", parts), engine, "xml_unsafe")
    assert err.where == "word/document.xml"


def test_huge_shared_string_used_many_times(tmp_path, engine):
    from fixtures import make_xlsx as mk
    path = mk(tmp_path / "big.xlsx")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    big = ("Nội dung dài " * 40_000).encode()
    sst = parts["xl/sharedStrings.xml"].replace(b"<si><t>STT</t></si>",
                                                b"<si><t>" + big + b"</t></si>")
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (i, i)
                    for i in range(10, 3010))
    parts["xl/sharedStrings.xml"] = sst
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", rows + b"</sheetData>")
    path = _zip(tmp_path / "big2.xlsx", parts)
    result = redact_document(path, tmp_path / "o.xlsx", engine)
    assert result.output.stat().st_size < 3 * path.stat().st_size + 2_000_000


def test_strict_ooxml_is_sanitized(tmp_path, engine):
    parts = word_parts()
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    for name, data in list(parts.items()):
        if isinstance(data, str):
            parts[name] = data.replace(W, strict)
    path = _zip(tmp_path / "strict.docx", parts)
    result = redact_document(path, tmp_path / "o.docx", engine)
    with zipfile.ZipFile(result.output) as z:
        body = z.read("word/document.xml").decode()
    assert strict in body and "001080000001" not in body and "[CCCD_1]" in body


def test_unsupported_suffix(tmp_path, engine):
    path = tmp_path / "a.pptx"
    path.write_bytes(make_docx(tmp_path / "a.docx").read_bytes())
    _refused(path, engine, "unsupported")


def test_redact_paths_folder_progress_and_report(tmp_path, engine):
    """Office files go through the one batch runner the CLI uses (app.batch)."""
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    make_docx(src / "a.docx")
    make_xlsx(src / "sub" / "b.xlsx")
    (src / "c.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    seen = []
    reports = redact_paths([src], tmp_path / "out", engine, PlaceholderMap(),
                           progress=lambda done, total, r: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in reports}
    assert by_name["a.docx"].verdict == "redacted"
    assert by_name["b.xlsx"].output.endswith("out/sub/b.xlsx")
    assert by_name["c.docx"].output is None and ".doc" in by_name["c.docx"].error
    assert set(by_name["a.docx"].as_dict()) >= {"path", "output", "verdict", "findings",
                                                 "by_type", "error"}


def test_redact_paths_parallel_jobs(tmp_path, engine):
    (tmp_path / "in").mkdir()
    for i in range(3):
        make_docx(tmp_path / f"in/{i}.docx")
    placeholders = PlaceholderMap()
    reports = redact_paths([tmp_path / "in"], tmp_path / "out", engine, placeholders, jobs=2)
    assert [r.verdict for r in reports] == ["redacted"] * 3
