"""The HTML flavour: what is scanned and what is written back (Qt-free)."""

from app.desktop.html_text import html_parts, novel_lines, text_to_html


def test_parts_include_hidden_text_attributes_and_comments():
    text, separated, extra = html_parts(
        "<p>Xin chào</p><div style='display:none'>ẩn</div><img alt='ảnh A' src='a.png'>"
        "<a href='mailto:b@example.vn' data-id='42'>B</a><!-- ghi chú -->")
    assert "Xin chào" in text and "ẩn" in text and "B" in text
    assert "ẩn \n B" in separated  # pieces of different elements do not run together
    assert {"ảnh A", "a.png", "mailto:b@example.vn", "42", " ghi chú "} <= set(extra.split("\n"))


def test_novel_lines_keep_only_what_plain_text_lacks():
    plain = "Báo cáo tuần 47\nNgười lập: phòng Tổng hợp"
    scanned = "Báo cáo tuần 47\nNgười lập: phòng Tổng hợp\nCCCD 001080000001"
    assert novel_lines(scanned, plain) == "CCCD 001080000001"
    assert novel_lines("Báo   cáo\ntuần 47", plain) == ""


def test_written_html_is_escaped_text_with_line_breaks():
    html = text_to_html("a < b & [CCCD_1]\ndòng 2")
    assert "a &lt; b &amp; [CCCD_1]<br>dòng 2" in html
    assert "<script" not in text_to_html("<script>x</script>")


def test_malformed_markup_is_scanned_raw_not_dropped():
    text, _sep, _extra = html_parts("<p>CCCD 001080000001<div <<<")
    assert "001080000001" in text
