"""VN_PERSON: cues, labels, signature blocks, lexicon names, traps, placeholders (spec §4)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from app.engine import Engine, PlaceholderMap, RulePackError
from app.engine.rules import default_pack_dir


def names(engine, text, **kw):
    return [f.text for f in engine.analyze(text, **kw) if f.entity == "VN_PERSON"]


@pytest.mark.parametrize("text, expected", [
    ("Hôm nay anh Tuấn gặp chị Lan.", ["Tuấn", "Lan"]),
    ("Đề nghị đ/c Hùng (phòng TCCB) báo cáo.", ["Hùng"]),
    ("Bà NGUYỄN THỊ MAI đề nghị xem xét.", ["NGUYỄN THỊ MAI"]),
    ("BS. Trần Văn Bình khám cho bệnh nhân.", ["Trần Văn Bình"]),
    ("Kính gửi: Ông/Bà Nguyễn Văn Hòa", ["Nguyễn Văn Hòa"]),
    ("Ông N.V.A. và bà H.T.P đã đến.", ["N.V.A.", "H.T.P"]),
    ("Đại tá Đinh Công Tráng chủ trì.", ["Đinh Công Tráng"]),
    ("Gửi a Hùng, c Mai bản thảo.", ["Hùng", "Mai"]),
    ("Hộ ông Y Bhin Niê được hỗ trợ; cô giáo Ksor H'Hen dạy lớp 1.", ["Y Bhin Niê", "Ksor H'Hen"]),
    ("Theo đơn của công dân Lê Văn Tuyến.", ["Lê Văn Tuyến"]),
    # A public figure's name after a title stays; after an honorific it is a colleague.
    ("Đại tướng Võ Nguyên Giáp; ông Phạm Văn Đồng ở phòng tôi.", ["Phạm Văn Đồng"]),
])
def test_cue_and_name(engine, text, expected):
    assert names(engine, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Họ và tên: NGUYỄN VĂN HÙNG\nChức vụ: chuyên viên", ["NGUYỄN VĂN HÙNG"]),
    ("Họ tên: trần thị b; năm sinh: 1975", ["trần thị b"]),
    ("Người ký: Đặng Quốc Bảo", ["Đặng Quốc Bảo"]),
    ("Họ tên chủ hộ: MA VĂN PÁO", ["MA VĂN PÁO"]),
    ("Cha: Nguyễn Văn Tư, mẹ: Lê Thị Sen.", ["Nguyễn Văn Tư", "Lê Thị Sen"]),
])
def test_labels(engine, text, expected):
    assert names(engine, text) == expected


def test_signature_block_and_table_column(engine):
    text = "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n(Đã ký)\nTrần Quốc Khánh"
    assert names(engine, text) == ["Trần Quốc Khánh"]
    table = "STT\tHọ và tên\tGhi chú\n1\tPhạm Thị Hoa\tđủ\n2\tHòa\tthiếu"
    assert names(engine, table) == ["Phạm Thị Hoa", "Hòa"]


def test_bare_names_accented_upper_and_unaccented(engine):
    assert names(engine, "Hội đồng gồm Nguyễn Thị Thanh Tâm và Phan Văn Khải.") == [
        "Nguyễn Thị Thanh Tâm", "Phan Văn Khải"]
    assert names(engine, "Nguyen Van An gui bao cao cho Tran Thi Binh.") == [
        "Nguyen Van An", "Tran Thi Binh"]
    assert names(engine, "Danh sách: 1. Nguyễn Hùng; 2. Lê Quang Vinh.") == [
        "Nguyễn Hùng", "Lê Quang Vinh"]
    # "Duong" is the surname Dương here, not the street word; "Phạm Văn Hải" is a person
    # even though the unaccented form is also the commune "Phạm Văn Hai".
    assert names(engine, "Gui anh Duong Ngoc Nam ban du thao.") == ["Duong Ngoc Nam"]
    assert names(engine, "4. Phạm Văn Hải – chuyên viên") == ["Phạm Văn Hải"]


@pytest.mark.parametrize("text", [
    "Trụ sở nằm trên phố Lê Lợi, đối diện Trường THPT Nguyễn Du.",
    "Đoàn đi qua cầu Trần Thị Lý rồi vào Bệnh viện Trưng Vương.",
    "Chủ tịch Hồ Chí Minh đã dạy. Bác Hồ kính yêu.",
    "Mai tôi đi Hà Nội. Văn bản này do tỉnh Cao Bằng gửi.",
    "Giám đốc Sở Tài chính và Chủ tịch Quốc hội cùng dự.",
    "QUYẾT ĐỊNH\nVề việc cử cán bộ đi công tác\nGIÁM ĐỐC SỞ NỘI VỤ",
    "Cô Tô là một đặc khu của tỉnh Quảng Ninh.",
    "Ông Bà ta thường nói: có công mài sắt có ngày nên kim.",
    "Trường Đại học Bách khoa Hà Nội tuyển sinh.",
    "Đường Hồ Chí Minh đoạn qua Kon Tum đang nâng cấp.",
    "Hội nghị tại số 12 Lê Văn Sỹ.",
    "Các đồng chí Thường trực Tỉnh ủy dự họp.",
])
def test_traps_stay(engine, text):
    assert names(engine, text) == []


def test_lone_cell_needs_outside_context(engine):
    assert names(engine, "Tuấn") == []
    assert names(engine, "Tuấn", context=["Họ và tên"]) == ["Tuấn"]


def test_same_person_same_placeholder(engine):
    text = ("Ông Nguyễn Văn Hùng (phòng TCCB) trình bày. Sau đó anh Hùng và chị Trần Thị Lan "
            "phát biểu; chị Lan đồng ý.")
    result = engine.redact(text)
    assert result.text == ("Ông [HỌ_TÊN_1] (phòng TCCB) trình bày. Sau đó anh [HỌ_TÊN_1] và chị "
                           "[HỌ_TÊN_2] phát biểu; chị [HỌ_TÊN_2] đồng ý.")


def test_a_name_found_once_is_redacted_everywhere(engine):
    text = "Đồng chí Khổng Tử Vũ dự họp. Khổng Tử Vũ đề nghị bổ sung. KHỔNG TỬ VŨ ký."
    result = engine.redact(text)
    assert "Khổng Tử Vũ" not in result.text
    assert result.text.count("[HỌ_TÊN_1]") == 3


def test_ambiguous_given_name_gets_its_own_placeholder():
    pm = PlaceholderMap()
    first = pm.placeholder_for("HỌ_TÊN", "VN_PERSON", "Lê Minh Tuấn")
    second = pm.placeholder_for("HỌ_TÊN", "VN_PERSON", "Phạm Văn Tuấn")
    bare = pm.placeholder_for("HỌ_TÊN", "VN_PERSON", "Tuấn")
    assert len({first, second, bare}) == 3
    assert pm.placeholder_for("HỌ_TÊN", "VN_PERSON", "Văn Tuấn") == second
    # Other entities keep exact keys: "Hùng" as a plain value is not aliased.
    assert pm.placeholder_for("X", "OTHER", "a b") != pm.placeholder_for("X", "OTHER", "b")


def _pack_with(tmp_path, edit):
    folder = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), folder)
    path = folder / "people.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "vn-person")
    edit(rule)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_it_can_keep_public_names(tmp_path):
    folder = _pack_with(tmp_path, lambda r: r["options"].update(keep_names=["Phạm Minh Đức"]))
    engine = Engine.from_folders([folder])
    assert names(engine, "Giám đốc Phạm Minh Đức ký quyết định.") == []


def test_unknown_option_is_an_error(tmp_path):
    folder = _pack_with(tmp_path, lambda r: r["options"].update(honorific=["ông"]))
    with pytest.raises(RulePackError, match="unknown option"):
        Engine.from_folders([folder])
