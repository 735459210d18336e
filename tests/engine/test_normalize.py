"""Normalisation: findings land on the user's original text whatever its encoding."""

import unicodedata

from app.engine.legacy import convert_legacy_line, looks_legacy
from app.engine.normalize import normalize


def test_clean_text_needs_no_map():
    norm = normalize("Số điện thoại 0912345678")
    assert norm.index_map is None and norm.text == norm.original


def test_decomposed_text_is_composed_and_mapped_back(engine):
    original = unicodedata.normalize("NFD", "Số điện thoại: 0912345678, tuổi 40")
    norm = normalize(original)
    assert norm.text == unicodedata.normalize("NFC", original)
    found = [f for f in engine.analyze(original) if f.entity == "PHONE_NUMBER"]
    assert [original[f.start:f.end] for f in found] == ["0912345678"]


def test_zero_width_and_nbsp(engine):
    original = "SĐT\u00a00912\u200b345\u200b678 nhé"
    found = [f for f in engine.analyze(original) if f.entity == "PHONE_NUMBER"]
    assert len(found) == 1
    assert original[found[0].start:found[0].end] == "0912\u200b345\u200b678"
    redacted = engine.redact(original).text
    assert "0912" not in redacted and "678" not in redacted


def test_clean_lines_beside_a_dirty_one_keep_their_offsets(engine):
    clean = "Hồ sơ của ông Trần Văn Bình, SĐT 0912345678\n"
    dirty = unicodedata.normalize("NFD", "Ghi chú:\u00a0đã nhận\u200b đủ\n")
    original = clean * 3 + dirty + clean * 2
    norm = normalize(original)
    assert norm.text == (clean * 3 + "Ghi chú: đã nhận đủ\n" + clean * 2)
    assert len(norm.index_map) == len(norm.text)
    tail = len(norm.text) - 2 * len(clean)
    for i in list(range(3 * len(clean))) + list(range(tail, len(norm.text))):
        assert original[norm.index_map[i]] == norm.text[i]
    phones = [f for f in engine.analyze(original) if f.entity == "PHONE_NUMBER"]
    assert [original[f.start:f.end] for f in phones] == ["0912345678"] * 5


def test_old_tone_placement_is_unified():
    assert normalize("hoà bình, thuý, khoẻ").text == "hòa bình, thúy, khỏe"
    assert normalize("Hùynh Văn Hòang").text == "Huỳnh Văn Hoàng"
    assert normalize("quý khách").text == "quý khách"  # qu + y keeps its mark


def test_vni_mojibake_is_detected_and_converted():
    line = "Buøi Thò Ñoã Döông Huøynh Laâm"
    assert looks_legacy(line) == "VNI"
    converted, index = convert_legacy_line(line, "VNI")
    assert converted == "Bùi Thị Đỗ Dương Hùynh Lâm"
    assert len(index) == len(converted) and index[0] == 0
    assert normalize(line).text == "Bùi Thị Đỗ Dương Huỳnh Lâm"


def test_tcvn3_is_detected_and_converted():
    line = "Ng\u00b8y sinh: 12/3/1980, \u00a7\u00ea\u00eang Tr\u00a7\u00ea\u00eang"
    assert looks_legacy("Tr\u00ad\u00eang \u00ae\u00b9i h\u00e4c") == "TCVN3"
    assert convert_legacy_line("Tr\u00ad\u00eang \u00ae\u00b9i h\u00e4c", "TCVN3")[0] == "Trường đại học"
    assert looks_legacy("Café à Paris, très bien") is None
    assert looks_legacy("Nguyễn Văn An") is None
    assert line  # mixed sample kept for readability


def test_legacy_text_findings_point_at_the_original(engine):
    original = "Soá ñieän thoaïi: 0912345678"  # VNI bytes as Windows-1252
    found = [f for f in engine.analyze(original) if f.entity == "PHONE_NUMBER"]
    assert [original[f.start:f.end] for f in found] == ["0912345678"]
