"""VN_DOB, VN_DATE_PERSONAL and VN_AGE: only with birth or death context / tied to a person
(spec §3.13-3.14)."""

from __future__ import annotations

import pytest


def found(engine, text, entity, **kw):
    return [f.text for f in engine.analyze(text, **kw) if f.entity == entity]


@pytest.mark.parametrize("text, expected", [
    ("Cụ Đặng Văn Lực từ trần ngày 21/11/2023 tại quê nhà.", "21/11/2023"),
    ("Ông E qua đời vào ngày 4 tháng 1 năm 2001", "4 tháng 1 năm 2001"),
    ("Cháu F mất tích từ ngày 15.08.2022, gia đình đang tìm.", "15.08.2022"),
    ("Date of death: 02/10/2018", "02/10/2018"),
])
def test_death_and_missing_dates(engine, text, expected):
    assert found(engine, text, "VN_DATE_PERSONAL") == [expected]
    assert found(engine, text, "VN_DOB") == []


def test_death_date_column_and_dates_of_documents(engine):
    table = "STT\tHọ và tên\tNgày mất\n1\tPhan Văn G\t9/9/1999"
    assert found(engine, table, "VN_DATE_PERSONAL") == ["9/9/1999"]
    assert found(engine, "Hà Nội, ngày 31 tháng 3 năm 2025; hiệu lực từ 01/7/2025",
                 "VN_DATE_PERSONAL") == []


@pytest.mark.parametrize("text, expected", [
    ("Ông A, sinh ngày 12/03/1980 tại Hà Nội.", "12/03/1980"),
    ("Ngày sinh: 05.11.1992; ngày cấp: 01/02/2015", "05.11.1992"),
    ("Bà B sinh ngày 05 tháng 6 năm 1968 tại xã Đông Hải.", "05 tháng 6 năm 1968"),
    ("Ngày sinh: ngày 05 tháng 6 năm 1968", "ngày 05 tháng 6 năm 1968"),
    ("ngay sinh: 12 thang 3 nam 1980", "12 thang 3 nam 1980"),
    ("Ông C (SN 1958) đã nghỉ hưu.", "1958"),
    ("Chị D sinh năm 1968 tại Cà Mau.", "1968"),
    ("DOB: March 12, 1980.", "March 12, 1980"),
    ("DOB 1990-05-12, male.", "1990-05-12"),
    ("Sinh ngày: 5 - 6 - 1988", "5 - 6 - 1988"),
    ("Ngày, tháng, năm sinh: 02/09/1995", "02/09/1995"),
])
def test_birth_dates_with_cue(engine, text, expected):
    assert found(engine, text, "VN_DOB") == [expected]


@pytest.mark.parametrize("text", [
    "Hà Nội, ngày 31 tháng 3 năm 2025",
    "Căn cứ Nghị định số 13/2023/NĐ-CP ngày 17 tháng 4 năm 2023 của Chính phủ.",
    "Quyết định có hiệu lực từ ngày 01/7/2025.",
    "Anh ấy hy sinh năm 1968 tại Quảng Trị.",
    "Học sinh 2010 tham gia hội thao.",
    "SN 12 ngõ 34 phố Hào Nam",
])
def test_other_dates_are_not_birth_dates(engine, text):
    assert found(engine, text, "VN_DOB") == []


def test_birth_date_column_and_lone_cell(engine):
    table = "STT\tHọ và tên\tNgày sinh\n1\tTrần Thị B\t1/2/1990\n2\tLê Văn C\t1985"
    assert found(engine, table, "VN_DOB") == ["1/2/1990", "1985"]
    assert found(engine, "12/03/1980", "VN_DOB") == []
    assert found(engine, "12/03/1980", "VN_DOB", context=["Ngày sinh"]) == ["12/03/1980"]


@pytest.mark.parametrize("text, expected", [
    ("Bệnh nhân Lò Văn Sáng, nam, 67 tuổi, vào viện.", ["67 tuổi"]),
    ("Anh Trương Công Danh (34 tuổi) khai báo.", ["34 tuổi"]),
    ("Cháu Bảo Anh, 5 tuổi, được nhận vào lớp.", ["5 tuổi"]),
    ("Họ tên: Lê Văn Tám\nTuổi: 45", ["45"]),
    # Shorthand "t" after a comma, a bracket or a sex word, tied to a person.
    ("BN nữ, 58t, nhập viện lúc 9h", ["58t"]),
    ("Cụ Vi Thị Mẩy (91t) sống một mình", ["91t"]),
])
def test_age_tied_to_person(engine, text, expected):
    assert found(engine, text, "VN_AGE") == expected


@pytest.mark.parametrize("text", [
    "Người từ đủ 14 tuổi trở lên phải chịu trách nhiệm hình sự.",
    "Trẻ em dưới 6 tuổi được miễn phí.",
    "Theo Bộ luật Lao động, tuổi nghỉ hưu của lao động nam là 62 tuổi.",
    "Độ tuổi lao động là từ 15 tuổi trở lên.",
    "Có 25% người trên 60 tuổi mắc bệnh mạn tính.",
    "Anh Khải chở 3t gạo về kho.",           # tấn, not tied by a comma
    "chị Loan, 2t nữa em gửi báo cáo",       # a time
    "Nhà 9t, ông Tùng ở tầng 4",             # a building's floors, before the person
])
def test_generic_ages_stay(engine, text):
    assert found(engine, text, "VN_AGE") == []


@pytest.mark.parametrize("text, expected", [
    ("Chết vào lúc: 07 giờ 45 phút, ngày 03/01/2026 tại nhà riêng", ["03/01/2026"]),
    ("Bệnh nhân tử vong lúc 23h10 ngày 9/4/2025.", ["9/4/2025"]),
])
def test_death_dates_with_a_time_of_day(engine, text, expected):
    assert found(engine, text, "VN_DATE_PERSONAL") == expected


def test_death_cue_needs_its_date_words(engine):
    assert found(engine, "Vụ cháy làm 2 người chết năm 2024.", "VN_DATE_PERSONAL") == []


def test_short_age_right_after_a_full_name(engine):
    assert found(engine, "bn Phan Thi Kim Oanh 64t, THA", "VN_AGE") == ["64t"]
    assert found(engine, "ông Lê Văn Tâm 4t gạo", "VN_AGE") == []


def test_semicolon_export_with_field_names(engine):
    text = "ho_ten;ngay_sinh;trang_thai\nLa Văn Cầu;14/07/1993;Đã xác thực"
    assert found(engine, text, "VN_DOB") == ["14/07/1993"]


def test_aligned_columns_by_position(engine):
    text = ("Họ và tên        Ghi chú      Ngày sinh\n"
            "Lý Thị Hạnh                   02/02/1972")  # an empty cell in between
    assert found(engine, text, "VN_DOB") == ["02/02/1972"]


def test_death_notice_hour_after_hoi(engine):
    text = "Cụ Kiều Văn Thìn từ trần hồi 05 giờ 40 phút ngày 2/1/2026"
    assert found(engine, text, "VN_DATE_PERSONAL") == ["2/1/2026"]
