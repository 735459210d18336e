"""Property tests: redaction never leaves a detected value, spans are valid, and
redacting the output again changes nothing."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PIECES = st.sampled_from([
    "Số CCCD 001080000001", "SĐT 0912 345 678", "email an.nv@gmail.com", "MST 0100109106",
    "STK 0011000012345 Vietcombank", "thẻ BHYT DN4010123456789", "biển số 30A-123.45",
    "Công văn 557/BKHCN-CĐSQG", "1.500.000 đồng", "mật độ dân số", "Hà Nội, ngày 31 tháng 3",
    "Ông Trần Văn Bình", "hộ chiếu C1234567", "\n", "\t", " ", "tổng đài 1900 1234",
])
# Pieces are joined by a space: digits glued to other digits ("0010800000011.500.000")
# are ambiguous even to a reader.
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=12).map(" ".join)
SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(TEXTS)
def test_spans_are_valid_on_the_original(engine, text):
    for finding in engine.analyze(text):
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start:finding.end] == finding.text


@SETTINGS
@given(TEXTS)
def test_redacted_output_holds_no_detected_value(engine, text):
    result = engine.redact(text)
    if result.text is None:
        return
    for finding in result.applied:
        value = finding.text.strip()
        if len(value) >= 4:
            assert value not in result.text


@SETTINGS
@given(TEXTS)
def test_redacting_twice_changes_nothing_more(engine, text):
    first = engine.redact(text)
    if first.text is None:
        return
    second = engine.redact(first.text)
    assert second.text == first.text
