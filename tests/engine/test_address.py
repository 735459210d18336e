"""VN_ADDRESS: triggers, labels, house-number cores, traps, gazetteer (spec §3.16, §9)."""

from __future__ import annotations

import json

import pytest

from app.engine.lexicon.gazetteer import gazetteer
from app.paths import resources_dir


def addresses(engine, text, **kw):
    return [f.text for f in engine.analyze(text, **kw) if f.entity == "VN_ADDRESS"]


@pytest.mark.parametrize("text, expected", [
    ("Ông A, trú tại số 12 ngõ 34 phố Hào Nam, phường Ô Chợ Dừa, Hà Nội đã đến làm việc.",
     "số 12 ngõ 34 phố Hào Nam, phường Ô Chợ Dừa, Hà Nội"),
    ("Địa chỉ: 45/6 Lê Văn Sỹ, Phường 13, Quận 3, TP. Hồ Chí Minh. SĐT: 0912345678",
     "45/6 Lê Văn Sỹ, Phường 13, Quận 3, TP. Hồ Chí Minh"),
    ("Nơi thường trú: thôn Đông, xã Tân Tiến, huyện Văn Giang, tỉnh Hưng Yên",
     "thôn Đông, xã Tân Tiến, huyện Văn Giang, tỉnh Hưng Yên"),
    ("Bị hại trú xóm 7, xã Quỳnh Lưu, tỉnh Nghệ An.", "xóm 7, xã Quỳnh Lưu, tỉnh Nghệ An"),
    ("Năm sinh 1975, quê quán Hà Tĩnh.", "Hà Tĩnh"),
])
def test_trigger_and_label(engine, text, expected):
    assert addresses(engine, text) == [expected]


@pytest.mark.parametrize("text, expected", [
    ("Gửi hồ sơ đến số 7 ngách 12/5 ngõ 105 Xuân Thủy, Cầu Giấy, Hà Nội trước thứ Hai.",
     "số 7 ngách 12/5 ngõ 105 Xuân Thủy, Cầu Giấy, Hà Nội"),
    ("Cửa hàng ở 123/45 Nguyễn Trãi, Thanh Xuân, Hà Nội", "123/45 Nguyễn Trãi, Thanh Xuân, Hà Nội"),
    ("chỗ ở: so 5 hem 23 duong Tran Hung Dao, phuong 2, quan 5",
     "so 5 hem 23 duong Tran Hung Dao, phuong 2, quan 5"),
    ("Căn hộ 1205 tòa A2, chung cư Sao Mai, phường Tây Mỗ, Hà Nội là nơi ở.",
     "Căn hộ 1205 tòa A2, chung cư Sao Mai, phường Tây Mỗ, Hà Nội"),
    ("Hộ gia đình ở buôn Ko Tam, xã Ea Tu, tỉnh Đắk Lắk được hỗ trợ.",
     "buôn Ko Tam, xã Ea Tu, tỉnh Đắk Lắk"),
])
def test_house_number_core_without_trigger(engine, text, expected):
    assert addresses(engine, text) == [expected]


@pytest.mark.parametrize("text", [
    "tỉnh Thanh Hóa đã triển khai kế hoạch phòng chống thiên tai.",
    "UBND phường Hoàn Kiếm tổ chức hội nghị.",
    "Trụ sở Sở Tư pháp nằm trên phố Lê Lợi.",
    "Căn cứ Quyết định số 12 ngày 5/3; Nghị định 13/2023/NĐ-CP; khoản 2 Điều 8.",
    "Hà Nội, ngày 31 tháng 3 năm 2025",
    "Ngõ 41 Thái Hà thường xuyên ùn tắc.",
    "phường Hai Bà Trưng, quận Hai Bà Trưng là địa bàn trọng điểm.",
])
def test_places_in_prose_are_not_addresses(engine, text):
    assert addresses(engine, text) == []


def test_table_column_and_lone_cell(engine):
    table = "Họ tên\tĐịa chỉ\nLan\t12 Hàng Bài, Hoàn Kiếm\nHà\tthôn 3, xã Yên Phú"
    assert addresses(engine, table) == ["12 Hàng Bài, Hoàn Kiếm", "thôn 3, xã Yên Phú"]
    assert addresses(engine, "thôn 3, xã Yên Phú") == []
    assert addresses(engine, "thôn 3, xã Yên Phú", context=["Nơi thường trú"]) == [
        "thôn 3, xã Yên Phú"]


def test_gazetteer_counts_and_lookup():
    data = json.loads((resources_dir() / "gazetteer" / "vn_admin.json").read_text("utf-8"))
    assert len(data["current"]["provinces"]) == 34
    assert len(data["current"]["communes"]) == 3321
    assert {row[1] for row in data["current"]["communes"]} == {"xã", "phường", "đặc khu"}
    assert len(data["legacy"]["provinces"]) == 63
    gaz = gazetteer()
    assert gaz.is_province("thanh hoa") and gaz.is_place("o cho dua")
    assert gaz.is_exact_place("cô tô") and not gaz.is_place("hao nam")
