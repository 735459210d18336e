"""``giukin restore``: text and Office answers, summary, exit codes, originals untouched."""

import io
import sys
import zipfile
from types import SimpleNamespace

import docx
import openpyxl
import pytest

from app import restore_cli
from app.engine.vault import default_vault, reset_default_vault
from app.restore_documents import restore_document

NAME = "Lê Thị Thu Hà"
CCCD = "036186000777"


@pytest.fixture
def vault():
    reset_default_vault()
    v = default_vault()
    with v.recording("text"):
        assert v.placeholder_for("HỌ_TÊN", "VN_PERSON", NAME) == "[HỌ_TÊN_1]"
        assert v.placeholder_for("CCCD", "VN_CCCD", CCCD) == "[CCCD_1]"
    reset_default_vault()  # the CLI opens it again, as another process would
    yield v
    reset_default_vault()


def run(path="-", output=None, stdin=""):
    args = SimpleNamespace(path=path, output=output)
    old_in, old_out = sys.stdin, sys.stdout
    sys.stdin = SimpleNamespace(buffer=io.BytesIO(stdin.encode("utf-8")))
    sys.stdout = io.StringIO()
    try:
        code = restore_cli.run_restore(args)
        return code, sys.stdout.getvalue()
    finally:
        sys.stdin, sys.stdout = old_in, old_out


def test_stdin_to_stdout_with_summary(vault, capsys):
    code, out = run(stdin="Gửi **HỌ_TÊN_1**, CCCD [cccd_1].")
    assert code == 0
    assert out == f"Gửi **{NAME}**, CCCD {CCCD}."
    err = capsys.readouterr().err
    assert "Đã khôi phục 2 giá trị" in err and "restored 2 values" in err
    assert NAME not in err and CCCD not in err


def test_unknown_placeholders_exit_1_and_are_named(vault, capsys):
    code, out = run(stdin="[HỌ_TÊN_1] và [HỌ_TÊN_9], [MST_1]")
    assert code == 1
    assert out == f"{NAME} và [HỌ_TÊN_9], [MST_1]"
    err = capsys.readouterr().err
    assert "[HỌ_TÊN_9]" in err and "[MST_1]" in err and "unknown" in err


def test_nothing_to_do_is_success(vault, capsys):
    code, out = run(stdin="Không có gì.")
    assert (code, out) == (0, "Không có gì.")
    assert "no placeholders" in capsys.readouterr().err


def test_text_file_to_output_file(vault, tmp_path):
    answer = tmp_path / "tra-loi.md"
    answer.write_text("| Họ tên | CCCD |\n| --- | --- |\n| [HO_TEN_1] | [ CCCD 1 ] |\n",
                      encoding="utf-8")
    before = answer.read_bytes()
    code, out = run(str(answer), str(tmp_path / "out.md"))
    assert code == 0 and out == ""
    assert (tmp_path / "out.md").read_text(encoding="utf-8").splitlines()[2] == \
        f"| {NAME} | {CCCD} |"
    assert answer.read_bytes() == before


def test_errors_exit_3(vault, tmp_path, capsys):
    assert run(str(tmp_path / "missing.txt"))[0] == 3
    assert "not found" in capsys.readouterr().err
    same = tmp_path / "a.txt"
    same.write_text("[CCCD_1]", encoding="utf-8")
    assert run(str(same), str(same))[0] == 3
    assert same.read_text(encoding="utf-8") == "[CCCD_1]"
    broken = tmp_path / "hỏng.docx"
    broken.write_bytes(b"not a zip")
    assert run(str(broken))[0] == 3
    assert "damaged" in capsys.readouterr().err


def test_docx_answer_restored_in_every_part_even_split_runs(vault, tmp_path, capsys):
    document = docx.Document()
    para = document.add_paragraph()
    for piece in ("Kính gửi [HỌ_", "TÊN", "_1], số ", "[CCCD_1]", "."):
        para.add_run(piece)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "**HỌ_TÊN_1**"
    table.cell(0, 1).text = "[MST_3]"
    document.sections[0].header.paragraphs[0].text = "Về hồ sơ [Họ_Tên_1]"
    source = tmp_path / "tra-loi.docx"
    document.save(source)
    before = source.read_bytes()
    code, _ = run(str(source))
    assert code == 1  # [MST_3] is unknown
    target = tmp_path / "tra-loi-khoi-phuc.docx"
    restored = docx.Document(target)
    assert restored.paragraphs[0].text == f"Kính gửi {NAME}, số {CCCD}."
    assert restored.tables[0].cell(0, 0).text == f"**{NAME}**"
    assert restored.tables[0].cell(0, 1).text == "[MST_3]"
    assert restored.sections[0].header.paragraphs[0].text == f"Về hồ sơ {NAME}"
    assert source.read_bytes() == before
    err = capsys.readouterr().err
    assert "[MST_3]" in err and "Đã khôi phục 4 giá trị" in err


def test_xlsx_answer_restored_in_shared_and_inline_strings(vault, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Họ tên"
    sheet["B1"] = "CCCD"
    sheet["A2"] = "[HỌ_TÊN_1]"
    sheet["B2"] = "CCCD_1"
    sheet.title = "Trả lời"
    source = tmp_path / "bang.xlsx"
    book.save(source)
    target = tmp_path / "ra.xlsx"
    result = restore_document(source, target, default_vault())
    assert result.restored == {"[HỌ_TÊN_1]": 1, "[CCCD_1]": 1}
    sheet = openpyxl.load_workbook(target)["Trả lời"]
    assert (sheet["A2"].value, sheet["B2"].value) == (NAME, CCCD)


def test_untouched_parts_are_copied_byte_for_byte(vault, tmp_path):
    document = docx.Document()
    document.add_paragraph("[CCCD_1]")
    source = tmp_path / "a.docx"
    document.save(source)
    target = tmp_path / "b.docx"
    restore_document(source, target, default_vault())
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(target) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "word/document.xml":
                assert a.read(name) == b.read(name), name
        assert CCCD.encode() in b.read("word/document.xml")


def test_registered_in_the_giukin_parser():
    from app.cli import build_parser

    args = build_parser().parse_args(["restore", "-", "-o", "x.txt"])
    assert args.func is restore_cli.run_restore and args.output == "x.txt"
