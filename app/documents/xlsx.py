"""Excel specifics: cell values with their column header, personal columns, sheet names.

A column whose header names personal data (``Họ và tên``, ``Số CCCD``, ``SĐT``,
``Địa chỉ``...) is personal as a whole: every value under it that could hold the data (a
digit for numbers, an "@" for e-mail, no digit or colon for a name) is replaced, down to
the first blank row that ends the list. Other cells are analyzed with their header as context. Numbers are read as text
(a CCCD or phone stored as a number has lost its leading 0, which is put back for
analysis) and a redacted number becomes an inline string.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from .ooxml import container_units
from .units import Seg, Unit, Whole
from .xmlsafe import local

HEADER_ROWS = 30
# (pattern on the normalised header, placeholder label, entity); first match wins.
PERSONAL_HEADERS = [
    (r"(địa chỉ )?(e-?mail|thư điện tử)", "EMAIL", "EMAIL_ADDRESS"),
    (r"họ (và )?tên( (đệm|khai sinh|người .*|chủ hộ|cán bộ|học sinh|bệnh nhân))?|họ, tên|"
     r"full ?name|tên (cán bộ|nhân viên|công chức|viên chức|học sinh|sinh viên|bệnh nhân|"
     r"khách hàng|người .*|chủ hộ|thí sinh|đảng viên)|người (nhận|khai|liên hệ)|tên",
     "HỌ_TÊN", "VN_PERSON"),
    (r"(số )?(cccd|cmnd|cmt|căn cước|chứng minh|định danh)([ /].*)?", "CCCD", "VN_CCCD"),
    (r"(số )?(sđt|sdt|đt|điện thoại|di động|phone|mobile|tel|zalo)(\b.*)?", "SĐT",
     "PHONE_NUMBER"),
    (r"(địa chỉ|nơi ở|chỗ ở|hộ khẩu|hktt|thường trú|tạm trú|quê quán|nguyên quán|nơi sinh|"
     r"address)(\b.*)?", "ĐỊA_CHỈ", "VN_ADDRESS"),
    (r"(ngày,? )?(tháng,? )?(năm )?sinh|ngày sinh|date of birth|dob|birth ?date", "NGÀY_SINH",
     "VN_DOB"),
    (r"(ngày|năm) (mất|từ trần|qua đời)|date of death", "NGÀY_MẤT", "VN_DATE_PERSONAL"),
    (r"(mã số thuế|mst)(\b.*)?", "MST", "VN_TAX_CODE"),
    (r"(số )?(tài khoản|stk)( ngân hàng)?", "STK", "VN_BANK_ACCOUNT"),
    (r"(số |mã )?(sổ |số )?bhxh|bảo hiểm xã hội", "BHXH", "VN_SOCIAL_INSURANCE"),
    (r"(số |mã )?(thẻ )?bhyt", "BHYT", "VN_HEALTH_INSURANCE"),
    (r"(số )?hộ chiếu|passport( no\.?| number)?", "HỘ_CHIẾU", "VN_PASSPORT"),
    (r"mật khẩu( .*)?|password|passwd|pwd|mk", "MẬT_KHẨU", "CREDENTIAL_PASSWORD"),
    (r"tên đăng nhập|tên truy cập|tài khoản đăng nhập|username|user ?name|user|login|"
     r"user ?id|tđn", "TÊN_ĐĂNG_NHẬP", "CREDENTIAL_USERNAME"),
]
_HEADERS = [(re.compile(rf"^(?:{p})$"), Whole(label, entity)) for p, label, entity in
            PERSONAL_HEADERS]
# A cell under one of these headers can only hold the value if it has a digit ("Job
# title:" in a phone column is a label, not a phone); e-mail cells need an "@".
DIGIT_ENTITIES = {"VN_CCCD", "PHONE_NUMBER", "VN_DOB", "VN_DATE_PERSONAL", "VN_TAX_CODE",
                  "VN_BANK_ACCOUNT", "VN_SOCIAL_INSURANCE", "VN_HEALTH_INSURANCE", "VN_PASSPORT"}
DATE_ENTITIES = {"VN_DOB", "VN_DATE_PERSONAL"}
CREDENTIAL_ENTITIES = {"CREDENTIAL_PASSWORD", "CREDENTIAL_USERNAME"}
# First words of a list's group, total and signature rows in a name column.
GROUP_WORDS = frozenset({"phòng", "ban", "tổ", "đội", "khoa", "văn", "trung", "bộ", "sở",
                         "cục", "chi", "đơn", "tổng", "cộng", "người", "ghi", "căn",
                         "nơi", "kt.", "tm.", "tl.", "khối", "nhóm", "lớp", "xã", "phường",
                         "huyện", "tỉnh", "thôn", "trường", "ủy", "uỷ", "ubnd"})
CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
# A number stored in a cell that may be an identifier (CCCD, phone, tax code, account).
BIG_INT = re.compile(r"^\d{8,15}$")


def normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"\(.*?\)|\*|:$", " ", text)
    return " ".join(text.replace("\n", " ").split()).strip(" :.")


def personal_header(text: str) -> Whole | None:
    if not text or len(text) > 60:
        return None
    norm = normalise_header(text)
    for pattern, whole in _HEADERS:
        if pattern.match(norm):
            return whole
    return None


def header_like(text: str) -> bool:
    return 0 < len(text) <= 60 and not any(ch.isdigit() for ch in text) and any(
        ch.isalpha() for ch in text)


def shared_strings(root: etree._Element | None) -> list[etree._Element]:
    if root is None:
        return []
    return [el for el in root if local(el.tag) == "si"]


def si_text(si: etree._Element) -> str:
    parts = []
    for el in si.iter():
        if local(el.tag) == "t" and local(el.getparent().tag) != "rPh":
            parts.append(el.text or "")
    return "".join(parts)


class SharedTexts:
    """The plain text of each shared string, worked out only when a cell asks for it (the
    header rows and personal columns): indexed like the list of ``si`` elements."""

    def __init__(self, sis: list[etree._Element]) -> None:
        self.sis = sis
        self._texts: dict[etree._Element, str] = {}

    def __getitem__(self, index: int) -> str:
        si = self.sis[index]
        text = self._texts.get(si)
        if text is None:
            text = self._texts[si] = si_text(si)
        return text


class SheetScan:
    """Units of one worksheet; shared-string uses are reported back to the workbook.

    While reading the cells, the scan also notes, per row, the children that hold more
    than a reference, a style, a type and a value/formula/inline string (``extras``):
    only those are left for the generic pass, which would otherwise visit every cell
    again for nothing.
    """

    def __init__(self, part: str, sheet_name: str, root, sst_texts: SharedTexts, claimed: set,
                 si_context: dict[int, set[str]], si_whole: dict[int, Whole]) -> None:
        self.part, self.sheet, self.root = part, sheet_name, root
        self.sst, self.claimed = sst_texts, claimed
        self.si_context, self.si_whole = si_context, si_whole
        self.units: list[Unit] = []
        self.extras: dict[etree._Element, list[etree._Element]] = {}

    def run(self) -> list[Unit]:
        self.spans = _header_merges(self.root)
        headers: dict[str, str] = {}
        personal: dict[str, tuple[Whole, int]] = {}
        contexts: dict[str, tuple[str, ...]] = {}  # column -> (header,): one tuple per column
        filled: dict[str, int] = {}  # personal column -> its last row with a value
        for row in self.root.iter("{*}row"):
            try:
                rnum = int(row.get("r") or 0)
            except ValueError:
                rnum = 0
            index = -1
            for cell in row:
                tag = cell.tag
                name = _NAMES[tag] if tag in _NAMES else _name(tag)
                if name != "c":
                    if name:  # not a comment: the generic pass reads it
                        self.extras.setdefault(row, []).append(cell)
                    continue
                index += 1
                children = _children(cell)
                if not children[3]:
                    self.extras.setdefault(row, []).append(cell)
                kind = cell.get("t")
                if not personal and _plain_number(kind, children):
                    continue  # most cells: nothing to read, whatever the column
                ref = cell.get("r") or ""
                m = CELL_REF.match(ref)
                col = m.group(1) if m else f"#{index}"
                row_no = int(m.group(2)) if m else rnum
                if row_no <= HEADER_ROWS and col not in personal:
                    text = self._cell_text(cell, kind)
                    if text is not None and self._header(cell, kind, ref, text, col, row_no,
                                                         headers, personal, children):
                        contexts.pop(col, None)
                        continue
                whole = None
                if col in personal and row_no > personal[col][1] and _has_value(children):
                    last = filled.get(col)
                    if last is not None and row_no > last + 1 and \
                            personal[col][0].entity == "VN_PERSON":
                        # A blank row ends a list of names: what follows (totals, "Người
                        # lập biểu", a legal basis) is read with the header as context.
                        # Number columns go on: a date or an ID has its own shape.
                        del personal[col]
                    else:
                        whole = personal[col][0]
                        filled[col] = row_no
                        # A formula ("=SUBTOTAL(…)") is read as a formula, not replaced.
                        if children[0] is not None or not _could_hold(
                                whole, self._cell_text(cell, kind)):
                            whole = None
                context = contexts.get(col)
                if context is None:
                    context = contexts[col] = (headers[col],) if col in headers else ()
                self._cell_units(cell, kind, ref, context, whole, children)
        return self.units

    def _header(self, cell, kind, ref, text, col, row_no, headers, personal, children) -> bool:
        """Whether the cell is a column header (read without context); records it."""
        whole = personal_header(text)
        # A heading merged over several columns ("Ngày sinh" over "Nam | Nữ") heads them all.
        cols = [col] + self.spans.get((col, row_no), [])
        if whole is not None:
            for c in cols:
                personal[c] = (whole, row_no)
                headers[c] = text
        elif header_like(text) and col not in headers:
            for c in cols:
                headers.setdefault(c, text)
        else:
            return False
        self._cell_units(cell, kind, ref, (), None, children)
        return True

    def _cell_text(self, cell, kind: str | None) -> str | None:
        if kind == "s":
            v = _child(cell, "v")
            try:
                return self.sst[int(v.text)] if v is not None else None
            except (ValueError, IndexError, TypeError):
                return None
        if kind == "inlineStr":
            is_ = _child(cell, "is")
            return "".join(t.text or "" for t in is_.iter("{*}t")) if is_ is not None else None
        return None

    def _cell_units(self, cell, kind, ref: str, context: tuple, whole: Whole | None,
                    children: tuple) -> None:
        f, v, is_, _ = children
        if whole is None and _plain_number(kind, children):
            return
        where = f"{self.sheet}!{ref}" if ref else self.sheet
        # cell children are not added to ``claimed``: the generic pass skips cells itself
        if kind == "s" and v is not None:
            try:
                index = int(v.text)
            except (TypeError, ValueError):
                return
            if context:
                self.si_context.setdefault(index, set()).update(context)
            if whole is not None:
                self.si_whole.setdefault(index, whole)
            return
        if kind == "inlineStr" and is_ is not None:
            if whole is not None:
                self._whole_unit(cell, kind, where, context, whole)
            else:
                self.units.extend(container_units(self.part, is_, self.claimed, context, where))
            return
        if whole is not None and (v is not None and (v.text or "").strip() or f is not None):
            self._whole_unit(cell, kind, where, context, whole)
            return
        if f is not None and (f.text or "").strip():
            self.units.append(Unit(self.part, where, [Seg(f, "text")], context, kind="formula"))
        if v is None or not (v.text or "").strip() or kind in ("b", "e"):
            return
        value = v.text.strip()
        if kind in ("str", "d"):
            self.units.append(Unit(self.part, where, [Seg(v, "text")], context))
        elif BIG_INT.match(value):
            alt = "0" + value if len(value) in (9, 11) else None
            self.units.append(Unit(self.part, where, [Seg(v, "text")], context,
                                   writer=_to_inline, alt=alt))

    def _whole_unit(self, cell, kind, where, context, whole) -> None:
        text = self._cell_text(cell, kind)
        if text is None:
            v = _child(cell, "v")
            text = (v.text or "") if v is not None else ""
        self.units.append(Unit(self.part, where, [text], context, whole=whole,
                               writer=_to_inline, cell=cell))


_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)$")


def _col_number(col: str) -> int:
    n = 0
    for ch in col:
        n = n * 26 + ord(ch) - 64
    return n


def _col_name(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _header_merges(root) -> dict[tuple[str, int], list[str]]:
    """(first column, row) -> the other columns of a merged cell in the header rows."""
    merges = root.find("{*}mergeCells")
    out: dict[tuple[str, int], list[str]] = {}
    for merge in merges if merges is not None else ():
        m = _RANGE.match(merge.get("ref") or "")
        if not m or int(m.group(2)) > HEADER_ROWS:
            continue
        first, last = _col_number(m.group(1)), _col_number(m.group(3))
        if 1 < last - first + 1 <= 64:
            out[(m.group(1), int(m.group(2)))] = [_col_name(c) for c in range(first + 1, last + 1)]
    return out


def _has_value(children: tuple) -> bool:
    """A value or a formula, not an empty cell kept for its borders."""
    f, v, is_, _ = children
    return f is not None or is_ is not None or (v is not None and bool((v.text or "").strip()))


def _could_hold(whole: Whole, text: str | None) -> bool:
    """Whether a cell of a personal column can hold its value (numbers always can)."""
    if text is None:
        return True
    if whole.entity == "EMAIL_ADDRESS":
        return "@" in text
    if whole.entity in DIGIT_ENTITIES:
        # A number column's value is mostly digits ("Thanh Hóa, ngày 05 tháng 7 năm 2025"
        # under a tax-code column is the signature's date line); a date may be in words.
        digits = sum(ch.isdigit() for ch in text)
        return digits > 0 and (whole.entity in DATE_ENTITIES or
                               digits * 2 >= sum(ch.isalnum() for ch in text))
    if whole.entity == "VN_PERSON":
        # "Căn cứ Nghị định số 73/2024/NĐ-CP", "Ghi chú: …", a group row ("Phòng Tổ chức
        # cán bộ", "Tổng cộng") are no names: the engine reads them with the header as
        # context instead.
        words = text.split()
        return not any(ch.isdigit() for ch in text) and ":" not in text and \
            0 < len(words) <= 8 and words[0].casefold() not in GROUP_WORDS
    return True


_NAMES: dict[object, str] = {}  # tag -> local name, for the per-cell loops


def _name(tag: object) -> str:
    try:
        return _NAMES[tag]
    except KeyError:
        name = _NAMES[tag] = local(tag)
        return name


# The attributes every cell may carry and the generic pass would skip anyway.
_CELL_KEYS = frozenset({"r", "s", "t"})


def _children(cell) -> tuple:
    """The cell's ``f``, ``v`` and ``is`` children (None when absent), in one pass, and
    whether the generic pass has nothing else to read in it: no other child element, no
    text, no tail, no attribute besides r/s/t."""
    f = v = is_ = None
    plain = True
    for child in cell:
        tag = child.tag
        name = _NAMES[tag] if tag in _NAMES else _name(tag)
        if name == "v":
            v = child
        elif name == "f":
            f = child
        elif name == "is":
            is_ = child
        elif name:
            plain = False
    if plain:
        text, tail = cell.text, cell.tail
        plain = (text is None or text.isspace()) and (tail is None or tail.isspace()) and (
            _CELL_KEYS.issuperset(cell.keys()))
    return f, v, is_, plain


def _plain_number(kind: str | None, children: tuple) -> bool:
    """A number without formula that cannot be an identifier (most cells)."""
    f, v = children[0], children[1]
    return (kind is None or kind == "n") and f is None and (
        v is None or not BIG_INT.match((v.text or "").strip()))


def _child(cell, name: str):
    for child in cell:
        if _name(child.tag) == name:
            return child
    return None


def _to_inline(unit: Unit, text: str) -> None:
    """Turn a cell (number, formula, string) into an inline string holding ``text``."""
    cell = unit.cell
    if cell is None:
        seg = next(p for p in unit.pieces if not isinstance(p, str))
        cell = seg.el.getparent()
    ns = cell.tag[1:].split("}")[0] if cell.tag.startswith("{") else ""
    q = (lambda n: f"{{{ns}}}{n}") if ns else (lambda n: n)
    for child in list(cell):
        if local(child.tag) in ("f", "v", "is"):
            cell.remove(child)
    cell.set("t", "inlineStr")
    is_ = etree.SubElement(cell, q("is"))
    t = etree.SubElement(is_, q("t"))
    t.text = text
    if text[:1].isspace() or text[-1:].isspace():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    # keep schema order: <is> must follow <f>/<v> position; extLst stays last
    for child in list(cell):
        if local(child.tag) == "extLst":
            cell.remove(child)
            cell.append(child)


def si_units(part: str, sis: list, claimed: set, si_context: dict[int, set[str]],
             si_whole: dict[int, Whole]) -> list[Unit]:
    units = []
    for index, si in enumerate(sis):
        context = tuple(sorted(si_context[index]))[:3] if index in si_context else ()
        where = f"{part}#{index}"
        whole = si_whole.get(index)
        if whole is None:
            units.extend(container_units(part, si, claimed, context, where))
            continue
        segs = [Seg(t, "text") for t in si.iter("{*}t") if t.text]
        claimed.add(si)  # replaced as a whole here; the generic pass must not read it again
        for t in si.iter("{*}t"):
            claimed.add(t)
        if segs:
            units.append(Unit(part, where, segs, context, whole=whole))
    return units


def sheet_name_units(part: str, root, claimed_attrs: set) -> list[Unit]:
    """Sheet names (workbook.xml): analyzed; a redacted name loses its brackets."""
    units = []
    for sheet in root.iter("{*}sheet"):
        name = sheet.get("name")
        if name:
            units.append(Unit(part, f"sheet '{len(units) + 1}'", [Seg(sheet, "name")],
                              kind="sheetname"))
            claimed_attrs.add((sheet, "name"))
    return units
