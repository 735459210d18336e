"""Refusals with a short reason id and a message in Vietnamese and English."""

from __future__ import annotations

MESSAGES = {
    "encrypted": ("Tệp có mật khẩu/được mã hoá. Hãy mở trong Office, gỡ mật khẩu rồi thử lại.",
                  "The file is password-protected. Open it in Office, remove the password, "
                  "then try again."),
    "legacy": ("Đây là tệp Word/Excel đời cũ (.doc/.xls). Hãy mở trong Office và lưu lại "
               "thành .docx/.xlsx.",
               "This is a legacy Word/Excel file (.doc/.xls). Save it as .docx/.xlsx in Office."),
    "not_ooxml": ("Tệp không phải định dạng Word/Excel (.docx/.xlsx).",
                  "The file is not a Word/Excel (.docx/.xlsx) document."),
    "unsupported": ("Loại tệp này chưa được hỗ trợ.", "This file type is not supported."),
    "corrupt": ("Tệp bị hỏng hoặc không đọc được.", "The file is damaged or unreadable."),
    "empty": ("Tệp rỗng.", "The file is empty."),
    "unreadable": ("Không đọc được tệp.", "The file cannot be read."),
    "too_big": ("Tệp quá lớn để xử lý an toàn.", "The file is too big to process safely."),
    "bomb": ("Tệp có dấu hiệu 'bom nén' (kích thước giải nén bất thường); đã từ chối.",
             "The file looks like a zip bomb (abnormal inflated size); refused."),
    "xml_unsafe": ("Tệp chứa XML không an toàn (DTD/thực thể) hoặc hỏng; đã từ chối.",
                   "The file holds unsafe (DTD/entity) or malformed XML; refused."),
    "residual": ("Kiểm tra lại bản đã che vẫn thấy dữ liệu cá nhân; không xuất tệp.",
                 "The re-scan of the redacted copy still found personal data; no output."),
    "blocked": ("Tệp có dấu chỉ độ mật nhà nước; không tạo bản sao.",
                "The file carries a state-secret stamp; no copy is made."),
    "macros": ("Tệp có macro và chính sách không cho phép giữ macro.",
               "The file has macros and policy does not allow keeping them."),
    "output_invalid": ("Bản đã che không mở được bằng Word/Excel; không xuất tệp.",
                       "The redacted copy does not open; no output."),
}


class DocumentError(Exception):
    """A refusal: ``reason`` is a short id (e.g. ``encrypted``), ``str()`` the message."""

    def __init__(self, reason: str, *, detail: str = "", where: str = "") -> None:
        self.reason = reason
        self.detail = detail   # technical, never holds document values
        self.where = where
        vi, en = MESSAGES.get(reason, (reason, reason))
        text = f"{vi} / {en}"
        if where:
            text += f" [{where}]"
        super().__init__(text)

    @property
    def message_vi(self) -> str:
        return MESSAGES.get(self.reason, (self.reason, self.reason))[0]

    @property
    def message_en(self) -> str:
        return MESSAGES.get(self.reason, (self.reason, self.reason))[1]
