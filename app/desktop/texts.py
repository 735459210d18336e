"""What the popup and windows say about an analysis (Qt-free, translated at call time)."""

from __future__ import annotations

from app.i18n import _
from app.settings import entity_title

from .analysis import ClipAnalysis

GUIDANCE = "Công văn 557/BKHCN-CĐSQG"


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, max(0, offset)) + 1


def counts_phrase(counts: dict[str, int]) -> str:
    """'2 Số CCCD, 1 Số điện thoại'"""
    return ", ".join(f"{n} {entity_title(entity)}" for entity, n in counts.items())


def offer_body(analysis: ClipAnalysis) -> str:
    lines = [_("Đoạn vừa sao chép có: {items}.").format(items=counts_phrase(analysis.counts_by_type()))]
    if analysis.html_only:
        lines.append(_("{n} mục nằm ở phần ẩn của định dạng HTML (sẽ bị loại khỏi bản đã che).")
                     .format(n=len(analysis.html_only)))
    lines.extend(warning_lines(analysis))
    return "\n".join(lines)


def warning_lines(analysis: ClipAnalysis) -> list[str]:
    entities = sorted({f.entity for f in analysis.warnings})
    if not entities:
        return []
    names = ", ".join(entity_title(e) for e in entities)
    return [_("Lưu ý: có {names}. Hãy kiểm tra trước khi dán vào chatbot.").format(names=names)]


def blocked_title(analysis: ClipAnalysis) -> str:
    if any(f.entity == "VN_SECRET_MARK" for f in analysis.blocks):
        return _("Không được đưa vào chatbot: văn bản mang dấu mật")
    return _("Không được đưa vào chatbot: văn bản bị chặn theo quy định của đơn vị")


def blocked_body(analysis: ClipAnalysis) -> str:
    """Which stamp, where, and why. The stamp text is shown to the user, never logged."""
    lines = []
    in_text = {id(f) for f in analysis.findings}
    for finding in analysis.blocks[:3]:
        stamp = " ".join(finding.text.split())[:60]
        if id(finding) in in_text:
            where = _("dòng {line}").format(line=line_of(analysis.text, finding.start))
        else:
            where = _("phần ẩn của định dạng HTML")
        lines.append(_("Dấu «{stamp}» ở {where}.").format(stamp=stamp, where=where))
    if len(analysis.blocks) > 3:
        lines.append(_("… và {n} dấu khác.").format(n=len(analysis.blocks) - 3))
    if any(f.entity == "VN_SECRET_MARK" for f in analysis.blocks):
        lines.append(_("Hướng dẫn {doc} cấm đưa thông tin bí mật nhà nước vào chatbot AI. "
                       "Giữ Kín không tạo bản sao cho văn bản này.").format(doc=GUIDANCE))
    else:
        lines.append(_("Chính sách của đơn vị chặn đưa văn bản nội bộ vào chatbot AI. "
                       "Giữ Kín không tạo bản sao cho văn bản này."))
    return "\n".join(lines)


def copied_body(by_type: dict[str, int]) -> str:
    if not by_type:
        return _("Đã sao chép. Có thể dán vào chatbot.")
    return _("Đã che {items}. Có thể dán vào chatbot.").format(items=counts_phrase(by_type))
