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


@pytest.mark.parametrize("text, expected", [
    # A street without "đường/phố", outside the gazetteer, after an alley or house number.
    ("Giao đến 61/9/4 hẻm 61 Bùi Đình Túy, phường Gia Định, TP. Hồ Chí Minh giúp em.",
     "61/9/4 hẻm 61 Bùi Đình Túy, phường Gia Định, TP. Hồ Chí Minh"),
    ("gui hang ve so 27 ngach 4 ngo 61 Hoang Quoc Viet, Nghia Do, Ha Noi nhe",
     "so 27 ngach 4 ngo 61 Hoang Quoc Viet, Nghia Do, Ha Noi"),
    ("Số 9, ngõ 17, Trần Quý Cáp, Đống Đa, Hà Nội là nhà bà ngoại.",
     "Số 9, ngõ 17, Trần Quý Cáp, Đống Đa, Hà Nội"),
    ("Bưu phẩm gửi kiệt 36 Ngô Thì Nhậm, phường Liên Chiểu, TP. Đà Nẵng.",
     "kiệt 36 Ngô Thì Nhậm, phường Liên Chiểu, TP. Đà Nẵng"),
    # Central "kiệt" numbering: K27/8 = house 8 in kiệt 27.
    ("Anh Tư ở K27/8 Ông Ích Khiêm, phường Thanh Khê, Đà Nẵng.",
     "K27/8 Ông Ích Khiêm, phường Thanh Khê, Đà Nẵng"),
    # The house number before an alley address found on its own is kept.
    ("Gửi về 42/7 kiệt 42 Nguyễn Văn Cừ, phường Thạc Gián, TP. Đà Nẵng giúp mình.",
     "42/7 kiệt 42 Nguyễn Văn Cừ, phường Thạc Gián, TP. Đà Nẵng"),
])
def test_named_street_after_number(engine, text, expected):
    assert addresses(engine, text) == [expected]


@pytest.mark.parametrize("text", [
    # Road kilometre markers and legal references are not house number + street.
    "Đoạn Km 73+250 Quốc lộ 14 và Km 9+400 đường tỉnh 2 bị sạt lở.",
    "Xe hỏng tại Km 19 Tỉnh lộ 8 lúc 5 giờ.",
    "Áp dụng điểm b khoản 4 Điều 17 Luật số 58/2024/QH15 về xử phạt.",
    "Căn cứ Điều 9 Luật số 36/2023 Quốc hội ban hành.",
    # A bare name after a number needs a further component.
    "Bài số 4 Anh văn khó quá.",
    "em ở ngõ 8, Minh nói vậy",
    "Số 318-CV/VP ngày 2/4",
])
def test_markers_and_references_are_not_addresses(engine, text):
    assert addresses(engine, text) == []


@pytest.mark.parametrize("text, expected", [
    ("Địa chỉ: 19 Hàng Chuối, phường Hai Bà Trưng, Hà Nội. Cảm ơn chị nhiều!",
     "19 Hàng Chuối, phường Hai Bà Trưng, Hà Nội"),
    ("Địa chỉ nhận hàng: 8 Lý Tự Trọng, P. Bến Thành, TP. Hồ Chí Minh. Giao buổi sáng nha",
     "8 Lý Tự Trọng, P. Bến Thành, TP. Hồ Chí Minh"),
])
def test_label_value_ends_at_sentence_end(engine, text, expected):
    assert addresses(engine, text) == [expected]


def test_long_name_does_not_end_in_a_space(engine):
    # The name scan stops after six words: the space it stepped over stays outside.
    found = addresses(engine, "Bà Hoa trú tại 33 Lê Thị Hồng Gấm Phường Cầu Kho Quận Nhất.")
    assert found and all(f == f.strip() for f in found)


def test_bilingual_card_label(engine):
    text = "Nơi thường trú / Place of residence: Phường 3, Quận 10, TP. Hồ Chí Minh"
    assert addresses(engine, text) == ["Phường 3, Quận 10, TP. Hồ Chí Minh"]


def test_address_followed_by_a_phone_field(engine):
    text = "ông Tạ Văn Khoa, trú tại xóm 5, xã Quỳnh Lâm, tỉnh Nghệ An, SĐT 0866 203 517."
    assert addresses(engine, text) == ["xóm 5, xã Quỳnh Lâm, tỉnh Nghệ An"]
