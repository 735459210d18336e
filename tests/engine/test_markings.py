"""State-secret stamps, internal and foreign markings (spec §5.1-§5.6) through the full
default engine: a stamp blocks the whole text, look-alikes never do."""

from __future__ import annotations

import shutil
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine import Engine, Policy, Verdict
from app.engine.rules import default_pack_dir

HEADER = ("ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
          "TỈNH HƯNG YÊN\tĐộc lập - Tự do - Hạnh phúc\n"
          "Số: 12/BC-UBND\tHưng Yên, ngày 03 tháng 4 năm 2025\n")


def of(result, entity):
    return [f for f in result.findings if f.entity == entity]


# -- blocks ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, stamp", [
    (HEADER + "MẬT\n\nBÁO CÁO\nTình hình thực hiện nhiệm vụ quý I", "MẬT"),
    (HEADER + "TỐI MẬT\nBÁO CÁO", "TỐI MẬT"),
    ("Số: 07/KH-CAT\nTUYỆT MẬT\nKẾ HOẠCH", "TUYỆT MẬT"),
    ("MẬT\tHà Nội, ngày 5 tháng 6 năm 2025\nV/v triển khai", "MẬT"),           # .docx header cell
    ("| Số: 12/BC-UBND | TỐI MẬT |\n|---|---|\n| nội dung | |", "TỐI MẬT"),   # markdown cell
    ("**TUYỆT MẬT**\nNội dung", "TUYỆT MẬT"),                                # decoration
    ("[ MẬT ]\nThông báo", "MẬT"),
    ("┌─────┐\n│ MẬT │\n└─────┘\nBáo cáo", "MẬT"),                            # box drawing
    ("Số: 12/BC-UBND      MẬT\nBÁO CÁO", "MẬT"),                              # PDF gap
    ("TỐI   MẬT\nBÁO CÁO", "TỐI   MẬT"),                                        # spaced letters
    ("T Ố I  M Ậ T\nKẾ HOẠCH", "T Ố I  M Ậ T"),                             # letters apart
    ("M Ậ T\nThông báo", "M Ậ T"),
    ("- TUYỆT MẬT -\nTờ trình", "TUYỆT MẬT"),                                # framed by dashes
    ("—— MẬT ——\nBáo cáo", "MẬT"),
    ("CÔNG AN TỈNH\nSố: 31/BC-CAT  TỐI MẬT\nBÁO CÁO", "TỐI MẬT"),             # on the number line
    ("Số: 9/TTr-SNV MẬT", "MẬT"),
    ("Cần Thơ, ngày 2 tháng 9 năm 2025  MẬT\nV/v bổ nhiệm", "MẬT"),         # on the date line
    ("MẬT  Số: 44/KH-BCH\nKẾ HOẠCH", "MẬT"),
    ("TỐI MẬT - Bản số: 05\nTỜ TRÌNH", "TỐI MẬT"),                           # with its copy number
])
def test_uppercase_level_segment_blocks(engine, text, stamp):
    result = engine.redact(text)
    assert result.verdict == Verdict.BLOCKED
    assert result.text is None
    blocks = of(result, "VN_SECRET_MARK")
    assert [f.text for f in blocks] == [stamp]
    # The span points at the stamp so the UI can say which stamp and where.
    assert text[blocks[0].start:blocks[0].end] == stamp
    assert blocks[0].action == "block"


def test_decomposed_unicode_stamp_blocks(engine):
    text = unicodedata.normalize("NFD", "Số: 1/TB-UBND\nTỐI MẬT\nThông báo")
    result = engine.redact(text)
    assert result.verdict == Verdict.BLOCKED
    block = of(result, "VN_SECRET_MARK")[0]
    assert unicodedata.normalize("NFC", text[block.start:block.end]) == "TỐI MẬT"


@pytest.mark.parametrize("text, stamp", [
    ("Độ mật: Tối mật\nĐộ khẩn: Hỏa tốc", "Độ mật: Tối mật"),
    ("ĐỘ MẬT: MẬT", "ĐỘ MẬT: MẬT"),
    ("Trích yếu: Báo cáo quý   Độ mật : Tuyệt mật   Độ khẩn: Thường",
     "Độ mật : Tuyệt mật"),
    ("Mức độ mật: Mật, Độ khẩn: Thường", "Mức độ mật: Mật"),
    ("Độ mật\tMật\nĐộ khẩn\tThường", "Mật"),                                  # two cells
    ("| Số ký hiệu | Độ mật | Độ khẩn |\n|---|---|---|\n| 12/BC | Mật | Thường |", "Mật"),
    ("Số ký hiệu\tĐộ mật\n15/TB-UBND\tTối mật", "Tối mật"),                    # column header
])
def test_field_form_blocks(engine, text, stamp):
    result = engine.redact(text)
    assert result.verdict == Verdict.BLOCKED
    assert [f.text for f in of(result, "VN_SECRET_MARK")] == [stamp]


@pytest.mark.parametrize("text", [
    "Độ mật: Thường\nĐộ khẩn: Thường",
    "Độ mật: Không",
    "Độ mật: —",
    "Độ mật: mật độ dân số trung bình",
    "Độ mật\tThường",
])
def test_field_form_not_secret(engine, text):
    result = engine.redact(text)
    assert result.verdict != Verdict.BLOCKED
    assert not of(result, "VN_SECRET_MARK")


@pytest.mark.parametrize("cell", ["Mật", "TỐI MẬT", "tuyệt mật"])
def test_lone_level_cell_with_header_context_blocks(engine, cell):
    assert engine.redact(cell, context=["Độ mật"]).verdict == Verdict.BLOCKED
    assert engine.redact(cell, context=["Ghi chú"]).verdict != Verdict.BLOCKED or cell.isupper()
    assert engine.redact("Thường", context=["Độ mật"]).verdict != Verdict.BLOCKED


def test_companion_stamps_block_only_with_a_level(engine):
    with_level = "TÀI LIỆU THU HỒI\nMẬT\nBÁO CÁO\nCHỈ NGƯỜI CÓ TÊN MỚI ĐƯỢC BÓC BÌ"
    result = engine.redact(with_level)
    assert result.verdict == Verdict.BLOCKED
    assert sorted(f.text for f in of(result, "VN_SECRET_MARK")) == [
        "CHỈ NGƯỜI CÓ TÊN MỚI ĐƯỢC BÓC BÌ", "MẬT", "TÀI LIỆU THU HỒI"]
    field_level = "BẢN SAO SỐ: 02\nĐộ mật: Tối mật"
    assert [f.text for f in of(engine.redact(field_level), "VN_SECRET_MARK")] == [
        "BẢN SAO SỐ: 02", "Độ mật: Tối mật"]
    # Conference papers are "thu hồi" too: without a level it is only a warning.
    alone = engine.redact("TÀI LIỆU THU HỒI\nHội nghị tổng kết công tác năm 2025")
    assert alone.verdict != Verdict.BLOCKED
    warned = of(alone, "VN_SECRET_SUSPECT")
    assert [f.text for f in warned] == ["TÀI LIỆU THU HỒI"] and warned[0].action == "warn"
    assert warned[0] in alone.warnings


# -- never block ------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "QUY CHẾ BẢO VỆ BÍ MẬT NHÀ NƯỚC",
    "LUẬT BẢO VỆ BÍ MẬT NHÀ NƯỚC\nsố 29/2018/QH14",
    "KẾ HOẠCH TỐI MẬT CỦA CHIẾN DỊCH QUẢNG CÁO",
    "Cán bộ phải giữ bí mật thông tin, bảo mật tài khoản và đổi mật khẩu định kỳ.",
    "Mật độ dân số tăng; nuôi ong lấy mật ong; sỏi mật và túi mật; quan hệ mật thiết.",
    "Ban Cơ yếu Chính phủ quản lý mật mã dân sự; mật thám, mật vụ, mật lệnh, cơ mật.",
    "MẬT KHẨU\nMẬT ĐỘ\nMẬT MÃ\nBÍ MẬT",
    "Nghị định quy định về độ mật của tài liệu và việc giải mật.",
    "Số: 15/QĐ-UBND về việc ban hành QUY CHẾ BẢO VỆ BÍ MẬT",
    "M Ậ T   K H Ẩ U",
    "Trong năm 2024 các cơ quan xử lý 12 văn bản TỐI MẬT",
])
def test_words_containing_mat_never_block(engine, text):
    result = engine.redact(text)
    assert result.verdict != Verdict.BLOCKED
    assert not of(result, "VN_SECRET_MARK")


@pytest.mark.parametrize("text, reason", [
    ("Các độ mật gồm:\nTUYỆT MẬT\nTỐI MẬT\nMẬT\nTheo Luật 29/2018/QH14.", "enumeration"),
    ("| TUYỆT MẬT | TỐI MẬT | MẬT |", "enumeration"),
    ("Phân loại:\n- MẬT\n- Không mật", "list-item"),
    ("1. TỐI MẬT", "list-item"),
    ("Mật\nBáo cáo tháng", "lowercase"),
    ("Tối mật", "lowercase"),
    ("tuyệt mật", "lowercase"),
    ("TOI MAT\nBao cao", "unaccented"),
    ("MAT", "unaccented"),
    ("Do mat: Toi mat", "unaccented"),
    ("GIẢI MẬT\nTừ: 01/01/2025", "declassified"),
    ("TAI LIEU THU HOI\nTOI MAT", "companion-unaccented"),
    ("Đây là tài liệu mật, không được đưa lên mạng.", "prose"),
    ("TÀI LIỆU MẬT", "prose"),
    ("Tài liệu này là MẬT, không gửi ra ngoài.", "inline"),
    ("Đây là văn bản (TỐI MẬT).", "inline"),
    ("Danh mục:\n- MẬT\n- Thường", "list-item"),              # one dash: a list, not a frame
    ("m ậ t", "lowercase"),
])
def test_suspect_warns_never_blocks(engine, text, reason):
    result = engine.redact(text)
    assert result.verdict != Verdict.BLOCKED
    suspects = of(result, "VN_SECRET_SUSPECT")
    assert suspects, "expected a warning"
    assert all(f.action == "warn" and f in result.warnings for f in suspects)
    assert any(reason in f.reason for f in suspects)


@pytest.mark.parametrize("text", [
    "Quản lý tài liệu mật mã và tài liệu mật khẩu theo quy định.",
    "Luật Bảo vệ BÍ MẬT nhà nước năm 2018",
    "QUY CHẾ BẢO VỆ BÍ MẬT NHÀ NƯỚC (sửa đổi)",
    "Đổi MẬT KHẨU của hệ thống",
])
def test_not_suspect(engine, text):
    assert not of(engine.redact(text), "VN_SECRET_SUSPECT")


def test_urgency_marks_no_action(engine):
    result = engine.redact("HỎA TỐC\nTHƯỢNG KHẨN\nKHẨN\nĐộ khẩn: Hỏa tốc")
    assert result.verdict == Verdict.CLEAN
    assert result.findings == []


def test_lone_english_mat_is_not_suspect(engine):
    assert not of(engine.redact("mat\nMat"), "VN_SECRET_SUSPECT")


# -- internal markings --------------------------------------------------------------------
@pytest.mark.parametrize("text, mark", [
    ("LƯU HÀNH NỘI BỘ\nBáo cáo tổng kết", "LƯU HÀNH NỘI BỘ"),
    ("Lưu hành nội bộ\nBáo cáo", "Lưu hành nội bộ"),
    ("Báo cáo\tXEM XONG TRẢ LẠI", "XEM XONG TRẢ LẠI"),
    ("(TÀI LIỆU NỘI BỘ)", "TÀI LIỆU NỘI BỘ"),
    ("TRẢ LẠI SAU KHI HỌP (HỘI NGHỊ)", "TRẢ LẠI SAU KHI HỌP (HỘI NGHỊ)"),
    ("HẠN CHẾ\nBáo cáo", "HẠN CHẾ"),
    ("KHÔNG PHỔ BIẾN TRÊN CÁC PHƯƠNG TIỆN THÔNG TIN ĐẠI CHÚNG", None),
    ("DỰ THẢO\nNGHỊ ĐỊNH", "DỰ THẢO"),
    ("Dự thảo lần 2\nQuyết định", "Dự thảo lần 2"),
    ("Dự thảo 14/3", "Dự thảo 14/3"),
    ("LUU HANH NOI BO", "LUU HANH NOI BO"),
    ("CONFIDENTIAL\nQuarterly report", "CONFIDENTIAL"),
    ("TLP:RED", "TLP:RED"),
    ("FOR INTERNAL USE ONLY", "FOR INTERNAL USE ONLY"),
    ("PRIVILEGED & CONFIDENTIAL", "PRIVILEGED & CONFIDENTIAL"),
])
def test_internal_marking_redacted_and_notified(engine, text, mark):
    mark = mark or text
    result = engine.redact(text)
    assert result.verdict == Verdict.REDACTED
    marks = of(result, "VN_INTERNAL_MARK")
    assert [f.text for f in marks] == [mark]
    assert marks[0].action == "redact" and marks[0].notify and marks[0] in result.warnings
    assert mark not in result.text and "[NỘI_BỘ_1]" in result.text


@pytest.mark.parametrize("text", [
    "Dự thảo Luật Đất đai (sửa đổi) đang lấy ý kiến.",
    "DỰ THẢO NGHỊ ĐỊNH QUY ĐỊNH CHI TIẾT",
    "Hiện tượng này không phổ biến; cần hạn chế sử dụng nhựa.",
    "CONFIDENTIALITY NOTICE: This e-mail is CONFIDENTIAL and intended only for the addressee.",
    "Internal\nThe internal audit is done.",
    "Ưu điểm:\nLàm tốt.\nHạn chế:\nCòn chậm.",
])
def test_internal_lookalikes_not_redacted(engine, text):
    result = engine.redact(text)
    assert not [f for f in of(result, "VN_INTERNAL_MARK") if f.action == "redact"]


def test_internal_marking_in_prose_warns_only(engine):
    text = "Đây là tài liệu nội bộ của cơ quan, chỉ lưu hành nội bộ."
    result = engine.redact(text)
    marks = of(result, "VN_INTERNAL_MENTION")
    assert [f.text for f in marks] == ["tài liệu nội bộ", "lưu hành nội bộ"]
    assert all(f.action == "warn" and f.score < 0.85 for f in marks)
    assert result.verdict == Verdict.CLEAN and result.text == text


def test_english_secret_warns_high(engine):
    result = engine.redact("TOP SECRET\nOperation plan")
    found = of(result, "EN_CLASSIFICATION")
    assert [f.text for f in found] == ["TOP SECRET"]
    assert found[0].action == "warn" and found[0].score >= 0.85
    assert result.verdict != Verdict.BLOCKED
    assert not of(engine.redact("The secret of success is work."), "EN_CLASSIFICATION")


def test_blocking_policy_does_not_block_prose_mentions():
    engine = Engine.from_folders([default_pack_dir()],
                                 policy=Policy(actions={"VN_INTERNAL_MARK": "block"}))
    assert engine.redact("Đây là tài liệu nội bộ của cơ quan.").verdict != Verdict.BLOCKED


@pytest.mark.parametrize("action, verdict", [("block", Verdict.BLOCKED), ("warn", Verdict.CLEAN)])
def test_policy_switches_internal_mark_action(action, verdict):
    engine = Engine.from_folders([default_pack_dir()],
                                 policy=Policy(actions={"VN_INTERNAL_MARK": action}))
    result = engine.redact("LƯU HÀNH NỘI BỘ\nBáo cáo tổng kết")
    assert result.verdict == verdict
    assert [f.action for f in of(result, "VN_INTERNAL_MARK")] == [action]


def test_agency_markings_from_yaml(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), pack)
    path = pack / "markings.yaml"
    source = path.read_text(encoding="utf-8")
    assert "agency_markings: []" in source
    path.write_text(source.replace("agency_markings: []",
                                   "agency_markings: [CHỈ LƯU HÀNH TRONG SỞ]"), encoding="utf-8")
    engine = Engine.from_folders([pack])
    result = engine.redact("CHỈ LƯU HÀNH TRONG SỞ\nKế hoạch công tác")
    assert [f.text for f in of(result, "VN_INTERNAL_MARK")] == ["CHỈ LƯU HÀNH TRONG SỞ"]
    assert result.verdict == Verdict.REDACTED
    prose = engine.redact("Văn bản này chỉ lưu hành trong sở.")
    assert [f.action for f in of(prose, "VN_INTERNAL_MENTION")] == ["warn"]


def test_bad_role_fails_the_pack(tmp_path):
    from app.engine import RulePackError

    pack = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), pack)
    path = pack / "markings.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: suspect", "role: nope"),
                    encoding="utf-8")
    with pytest.raises(RulePackError, match="role"):
        Engine.from_folders([pack])


# -- property: no uppercase level word, no block --------------------------------------------
_WORDS = ["mật", "Mật", "tối mật", "Tối mật", "tuyệt mật", "bí mật", "mật khẩu", "Mật độ",
          "giải mật", "tài liệu", "TÀI LIỆU THU HỒI", "BẢN SAO SỐ", "LƯU HÀNH NỘI BỘ",
          "Số: 12/BC-UBND", "Hà Nội", "KHẨN", "báo cáo", "BÁO CÁO", "MAT", "TOI MAT", "Đ",
          "CHỈ NGƯỜI CÓ TÊN MỚI ĐƯỢC BÓC BÌ", "GIẢI", "TỐI", "TUYỆT", "1.", "-", "**", "(",
          ")", "Thường", ":", "mức", "Độ khẩn"]
_SEPS = [" ", "\n", "\t", " | ", "    ", "\n- ", ": "]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPS)), max_size=30))
def test_no_uppercase_level_never_blocks(engine, parts):
    text = "".join(word + sep for word, sep in parts)
    assert "MẬT" not in text
    assert engine.redact(text).verdict != Verdict.BLOCKED


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="mậtMÂTốiuyêbí TỐIUYỆ\n\t|*-:ĐđộÔ", max_size=60))
def test_random_letters_without_uppercase_level_never_block(engine, text):
    from hypothesis import assume

    assume("MẬT" not in unicodedata.normalize("NFC", text))
    assume("độ mật" not in text.lower())  # the field form blocks by design
    assert engine.redact(text).verdict != Verdict.BLOCKED


def test_policy_can_block_foreign_top_secret():
    engine = Engine.from_folders([default_pack_dir()],
                                 policy=Policy(actions={"EN_CLASSIFICATION": "block"}))
    assert engine.redact("TOP SECRET\nPlan").verdict == Verdict.BLOCKED
    assert engine.redact("CONFIDENTIAL\nPlan").verdict == Verdict.REDACTED
