"""Identifier recognizers: every written form from the spec, and the traps as negatives."""

import pytest

from app.engine import Verdict
from app.engine.validators import card, cccd, luhn, mst


def entities(engine, text):
    return [(f.entity, f.text) for f in engine.analyze(text) if f.action != "warn"]


@pytest.mark.parametrize("text,entity,value", [
    ("Số CCCD 001080000001 cấp năm 2021", "VN_CCCD", "001080000001"),
    ("căn cước công dân: 079203004567", "VN_CCCD", "079203004567"),
    ("CCCD 001 080 000 001", "VN_CCCD", "001 080 000 001"),
    ("CMND số 123456789 cấp 2010", "VN_CMND", "123456789"),
    ("Hộ chiếu số C1234567", "VN_PASSPORT", "C1234567"),
    ("MST 0100109106", "VN_TAX_CODE", "0100109106"),
    ("mã số thuế: 0314409058-002", "VN_TAX_CODE", "0314409058-002"),
    ("Mã số thuế cá nhân 001080000001", "VN_TAX_CODE", "001080000001"),
    ("mã số BHXH 0123456789", "VN_SOCIAL_INSURANCE", "0123456789"),
    ("Số thẻ BHYT: 7912345680 (mã 10 số)", "VN_SOCIAL_INSURANCE", "7912345680"),
    ("thẻ BHYT DN4010123456789", "VN_HEALTH_INSURANCE", "DN4010123456789"),
    ("mã HS4790123456789 của cháu", "VN_HEALTH_INSURANCE", "HS4790123456789"),
    ("GPLX số 790123456789 hạng B2", "VN_DRIVER_LICENSE", "790123456789"),
    ("xe ô tô biển số 30A-123.45", "VN_VEHICLE_PLATE", "30A-123.45"),
    ("xe máy biển số 29-B1 234.56", "VN_VEHICLE_PLATE", "29-B1 234.56"),
    ("xe máy cũ biển số 36-K3 4821", "VN_VEHICLE_PLATE", "36-K3 4821"),
    ("STK 0011000012345 tại Vietcombank", "VN_BANK_ACCOUNT", "0011000012345"),
    ("số tài khoản 1903 5555 6666 77 Techcombank", "VN_BANK_ACCOUNT", "1903 5555 6666 77"),
    ("thẻ Visa 4111 1111 1111 1111", "CREDIT_CARD", "4111 1111 1111 1111"),
    ("thẻ ATM NAPAS 9704 3600 1234 5678", "CREDIT_CARD", "9704 3600 1234 5678"),
    ("email nguyen.van.an@moet.gov.vn", "EMAIL_ADDRESS", "nguyen.van.an@moet.gov.vn"),
    ("tọa độ 21.028511, 105.804817 nơi ở", "GEO_COORD", "21.028511, 105.804817"),
])
def test_identifier_forms(engine, text, entity, value):
    assert (entity, value) in entities(engine, text)


@pytest.mark.parametrize("text,value", [
    ("SĐT 0912345678", "0912345678"),
    ("ĐT: 0912 345 678", "0912 345 678"),
    ("di động 0912.345.678", "0912.345.678"),
    ("Zalo 091.234.5678", "091.234.5678"),
    ("gọi +84 912 345 678", "+84 912 345 678"),
    ("tel +84 (0) 912 345 678", "+84 (0) 912 345 678"),
    ("liên hệ 84-912-345-678", "84-912-345-678"),
    ("điện thoại (024) 3825 4011", "(024) 3825 4011"),
    ("số máy bàn 0243.825.4011", "0243.825.4011"),
    ("0987654321 là số của chị", "0987654321"),
    ("gọi cho anh (0912 345 678) nhé", "0912 345 678"),  # the bracket is the sentence's
    # an organisation cue belongs to the number right after it, not to the next one
    ("tổng đài 1900 1234, SĐT 0987 654 321", "0987 654 321"),
])
def test_phone_forms(engine, text, value):
    assert ("PHONE_NUMBER", value) in entities(engine, text)


def test_a_spaced_number_found_once_is_redacted_everywhere(engine):
    text = "SĐT 0912 345 678 tổng đài 1900 1234 SĐT 0912 345 678; mã 10912 345 678"
    redacted = engine.redact(text).text
    assert redacted.count("[SĐT_1]") == 2 and "0912 345 678;" not in redacted
    assert "10912 345 678" in redacted  # part of a longer number: not the same value


@pytest.mark.parametrize("text", [
    "Tổng kinh phí 912.345.678 đồng",
    "Số tiền 0912345678 đồng đã chuyển",
    "Hotline 1900 1234",
    "Tổng đài 1800 1090",
    "Công văn 557/BKHCN-CĐSQG",
    "Nghị định 13/2023/NĐ-CP",
    "Theo khoản 2 Điều 8",
    "ngày 12/03/2025",
    "Dân số 1.245.678 người",
    "mã sản phẩm A1234567 trong kho",          # passport shape without context
    "Mã hồ sơ 0100109106 lưu kho",             # MST shape without context: not redacted
    "kinh phí 1.500.000.000 đồng",
    "năm 2024 đến năm 2030",
    "Thuốc nhỏ mắt HSD 08/27, lô 2301",          # an expiry date with no card around it
    "Giấy chứng nhận hết hạn 11/2029",
])
def test_non_personal_numbers(engine, text):
    assert entities(engine, text) == []


def test_context_of_one_label_does_not_leak_to_the_next_value(engine):
    text = "CCCD số 001080000001, MST 0100109106, STK 0011000012345"
    assert entities(engine, text) == [("VN_CCCD", "001080000001"),
                                      ("VN_TAX_CODE", "0100109106"),
                                      ("VN_BANK_ACCOUNT", "0011000012345")]


@pytest.mark.parametrize("text,entity,value", [
    ("Passport No. B7654321 valid until 2030", "VN_PASSPORT", "B7654321"),
    ("Số CMND. 281234567 do CA tỉnh cấp", "VN_CMND", "281234567"),
    ("Acc. 0451000123456", "VN_BANK_ACCOUNT", "0451000123456"),
    ("A/C no. 0451000123457", "VN_BANK_ACCOUNT", "0451000123457"),
])
def test_a_label_abbreviated_with_a_full_stop_still_labels(engine, text, entity, value):
    assert (entity, value) in entities(engine, text)


def test_a_sentence_ending_in_a_label_word_does_not_label_the_next_one(engine):
    text = "Chị đã nộp bản sao hộ chiếu. Mã hồ sơ B7654321 đang chờ duyệt"
    assert ("VN_PASSPORT", "B7654321") not in entities(engine, text)


@pytest.mark.parametrize("text", [
    "Thẻ ghi nợ của tôi hết hạn 10/29",
    "Visa 4000 0012 3456 7899, exp 04/2030",
    "số thẻ 4000001234567899 hết hạn 04/30",
])
def test_a_card_expiry_date_is_redacted_next_to_a_card(engine, text):
    assert any(e == "CREDIT_CARD" and "/" in v for e, v in entities(engine, text))


def test_amounts_beside_accounts_are_money(engine):
    text = ("Họ tên\tSTK\tNgân hàng\tThực lĩnh\n"
            "Ngô Văn Sáu\t0451000111222\tVietcombank\t12.340.500\n"
            "Đỗ Thị Bảy\t19036600011122\tTechcombank\t9.875.000")
    accounts = [v for e, v in entities(engine, text) if e == "VN_BANK_ACCOUNT"]
    assert accounts == ["0451000111222", "19036600011122"]


def test_tsv_column_header_is_context(engine):
    text = "STT\tHọ tên\tSố tài khoản\n1\tA\t190355566677\n2\tB\t711002233445"
    found = entities(engine, text)
    assert ("VN_BANK_ACCOUNT", "190355566677") in found
    assert ("VN_BANK_ACCOUNT", "711002233445") in found


def test_form_fields_redact_values_whatever_their_shape(engine):
    text = "Giới tính: Nam   Dân tộc: Kinh\nSố CCCD: 12345 (đang làm lại)\nTôn giáo: Không"
    result = engine.redact(text)
    assert "Nam" not in result.text and "Kinh" not in result.text and "12345" not in result.text
    assert "Giới tính:" in result.text and "Dân tộc:" in result.text
    # Sensitive categories are redacted and the user is told.
    assert any(f.entity == "VN_SENSITIVE_FIELD" for f in result.warnings)


def test_same_value_same_placeholder(engine):
    result = engine.redact("SĐT 0912 345 678; gọi lại 0912.345.678 hoặc 0987654321")
    assert result.text == "SĐT [SĐT_1]; gọi lại [SĐT_1] hoặc [SĐT_2]"
    assert result.placeholders.value_of("[SĐT_1]") == "0912 345 678"


def test_verdicts(engine):
    assert engine.redact("Báo cáo tổng kết năm").verdict is Verdict.CLEAN
    assert engine.redact("SĐT 0912345678").verdict is Verdict.REDACTED
    assert engine.redact("").verdict is Verdict.CLEAN


def test_validators():
    assert cccd("001080000001") and not cccd("001480000001") and not cccd("999080000001")
    assert mst("0100109106") and mst("0300588569") and not mst("0100109107")
    assert mst("0314409058-002") is mst("0314409058") and not mst("0314409058-000")
    assert luhn("4111111111111111") and not luhn("4111111111111112")
    assert card("9704360012345678")


def test_explicit_cue_decides_between_phone_and_account(engine):
    # A "vanity" account equal to a mobile number (spec §3.9) is an account after STK...
    assert entities(engine, "STK 0912345678 tại Vietcombank") == [
        ("VN_BANK_ACCOUNT", "0912345678")]
    # ...and a phone after its own cue, even with a bank name just before it.
    assert ("PHONE_NUMBER", "0912345678") in entities(
        engine, "STK 0011000012345 tại Vietcombank, di động 0912345678")


def test_email_after_a_url_escape(engine):
    text = "mailto:an.nv@gmail.com;%20binh.tran@example.vn"
    assert engine.redact(text).text == "mailto:[EMAIL_1];%20[EMAIL_2]"


def test_a_label_in_the_next_table_cell_does_not_type_this_value(engine):
    text = "Số CCCD: 001080000001\tMã số thuế: 0100109106"
    assert entities(engine, text) == [("VN_CCCD", "001080000001"),
                                      ("VN_TAX_CODE", "0100109106")]


@pytest.mark.parametrize("text, value", [
    ("Hotline cán bộ trực: 0386 214 579", "0386 214 579"),   # a mobile stays a phone
    ("Zalo: https://zalo.me/0977215468", "0977215468"),      # in a chat link
    ("nhắn qua wa.me/84977215468 nhé", "84977215468"),
])
def test_phones_under_hotline_cues_and_in_chat_links(engine, text, value):
    found = [(f.entity, f.text) for f in engine.analyze(text)]
    assert found == [("PHONE_NUMBER", value)]


def test_landline_hotline_stays_the_organisations(engine):
    assert entities(engine, "Hotline: 024 3825 1234") == []


@pytest.mark.parametrize("text, value", [
    ("Trang cá nhân: facebook.com/hoangyen.pham.1990", "hoangyen.pham.1990"),
    ("https://www.facebook.com/profile.php?id=100045678901234", "100045678901234"),
    ("kênh tiktok.com/@minhchau.bakery", "minhchau.bakery"),
    ("linkedin.com/in/le-quoc-dat-8f2c1", "le-quoc-dat-8f2c1"),
])
def test_social_profile_handles(engine, text, value):
    assert entities(engine, text) == [("SOCIAL_PROFILE", value)]


@pytest.mark.parametrize("text", [
    "Tham gia nhóm fb.com/groups/congdongcntt",
    "Chia sẻ qua facebook.com/sharer/sharer.php",
    "xem x.com/intent/tweet",
])
def test_social_site_pages_name_no_one(engine, text):
    assert entities(engine, text) == []
