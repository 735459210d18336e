"""``kind: address`` — Vietnamese postal addresses (spec §3.16).

An address starts at a trigger (``trú tại``, ``Địa chỉ:``, ``Nơi thường trú:``…) or at a
house-number/alley/street core (``số 12 ngõ 34 phố Hào Nam``, ``123/45 Nguyễn Trãi``) and
extends over unit components — ``keyword + name`` (``ngõ 34``, ``phường Ô Chợ Dừa``,
``Q.3``), or a gazetteer name (``Hà Nội``) — separated by spaces, commas or dashes; it
stops at the first thing that is not a component (a verb, the clause end, a new line).
Keywords are matched on the folded copy, so ``so 12 ngo 34 pho Hao Nam`` counts too.

Without a trigger at least two components including the core are needed: ``tỉnh Thanh
Hóa đã triển khai…`` or ``phố Lê Lợi`` alone are places, not someone's address. A
``Label: value`` row keeps the whole value up to the end of its line or cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import regex

from ..lexicon.gazetteer import gazetteer
from ..lexicon.tables import header_cells
from ..textutil import Anchored, blocks, fold, fold_phrase, phrase_finder
from .base import RuleRecognizer, Span, register

HOUSE, ALLEY, STREET, AREA, COMMUNE, DISTRICT, PROVINCE, LOOSE = range(8)
NAMED = 8  # a street known only by following a house/alley number ("hẻm 215 Lê Văn Sỹ")

# Unit keywords on the folded text, longest first within each level.
_KEYWORDS = [
    (HOUSE, r"so nha|nha so|can ho so|can ho|phong so|toa nha|toa|tang|block|kiot|ki ot|"
            r"lo dat|lo|sn|so"),
    (ALLEY, r"ngo|ngach|hem|kiet|hxh"),
    (STREET, r"dai lo|quoc lo|tinh lo|huong lo|duong so|duong|pho|ql|tl|street|st\.|road|rd\."),
    (AREA, r"to dan pho|khu dan cu|khu pho|khu tap the|khu do thi|khu cong nghiep|tieu khu|"
           r"chung cu|tdp|kdc|kp|ktt|kdt|kcn|cum|khu|to|khoi|thon|xom|ap|ban|buon|lang|plei|"
           r"soc|phum|khom|doi"),
    (COMMUNE, r"phuong|xa|dac khu|thi tran|ward|tt\.?|p\.|x\."),
    (DISTRICT, r"quan|huyen|thi xa|district|tx\.?|q\.|h\."),
    (PROVINCE, r"thanh pho|tinh|province|city|tp\.?|t\."),
]
_KEYWORD = regex.compile(
    "|".join(f"(?P<k{level}>(?<![\\p{{L}}\\d])(?:{body})(?![\\p{{L}}]))"
             for level, body in _KEYWORDS)
)
# In accented text a keyword must carry its accents: "Sở Tư pháp" is not "số", "trụ sở"
# not "trú", "cho" not "chợ". Abbreviations (P., Q., TP, KP) have no accents to check.
_ACCENTED = {
    "so": {"số"}, "so nha": {"số nhà"}, "nha so": {"nhà số"}, "pho": {"phố"}, "to": {"tổ"},
    "xa": {"xã"}, "ban": {"bản"}, "lang": {"làng"}, "doi": {"đội"}, "lo": {"lô"},
    "quan": {"quận"}, "ap": {"ấp"}, "tang": {"tầng"}, "toa": {"tòa", "toà"}, "khoi": {"khối"},
    "thon": {"thôn"}, "xom": {"xóm"}, "ngo": {"ngõ"}, "hem": {"hẻm"}, "duong": {"đường"},
    "tinh": {"tỉnh"}, "huyen": {"huyện"}, "phuong": {"phường"}, "cum": {"cụm"},
    "kiet": {"kiệt"}, "ngach": {"ngách"}, "buon": {"buôn"}, "soc": {"sóc"}, "khu": {"khu"},
    "thi xa": {"thị xã"}, "thi tran": {"thị trấn"}, "thanh pho": {"thành phố"},
    "dai lo": {"đại lộ"}, "quoc lo": {"quốc lộ"}, "tinh lo": {"tỉnh lộ"}, "khom": {"khóm"},
    "can ho": {"căn hộ"}, "toa nha": {"tòa nhà", "toà nhà"}, "dac khu": {"đặc khu"},
    "khu pho": {"khu phố"}, "to dan pho": {"tổ dân phố"}, "duong so": {"đường số"},
}
# House keywords take a number ("số 12", "căn hộ 1205"); these may take a name.
_NAMED_HOUSE = {"toa nha", "toa", "block", "chung cu"}
# Where an address without a trigger can start: a house, alley, street or village keyword.
_CORE_START = Anchored(
    regex.compile("|".join(f"(?<![\\p{{L}}\\d])(?:{body})(?![\\p{{L}}])"
                           for level, body in _KEYWORDS if level in (0, 1, 2, 3))),
    [word for level, body in _KEYWORDS if level in (0, 1, 2, 3) for word in body.split("|")],
    words="whole")
# "+" before: "Km 45+800" is a road marker, not a house number 800.
_NUMBER_START = regex.compile(
    r"(?<![\p{L}\d/.,+-])(?:[Kk]\d{1,4}(?:/\d{1,4}[A-Za-z]?){1,3}"
    r"|\d{1,5}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?){0,3}) ")
# Central "kiệt" numbering: K45/12 = house 12 in kiệt 45 (the slash keeps "K62" cohorts out).
_KIET = regex.compile(r"k\d{1,4}(?:/\d{1,4}[a-z]?){1,3}(?![\d\p{L}])")
# House keywords that carry a house number, after which a bare street name may follow
# ("số 15 Lê Lợi"); a floor or flat number ("tầng 3 Vincom") is not followed by a street.
_NUMBER_HOUSE = {"so", "so nha", "nha so", "sn"}
# A number after these words (folded, "số" between allowed) is a road marker or a
# legal/document reference ("Km 45 Quốc lộ 6", "khoản 3 Điều 12", "Luật số 91/2025").
_NOT_HOUSE_BEFORE = frozenset(
    "km|dieu|khoan|diem|chuong|muc|tiet|phu luc|luat|nghi dinh|nghi quyet|quyet dinh|"
    "thong tu|cong van|chi thi|to trinh|van ban|thong bao|ke hoach|bao cao|bien ban|"
    "hop dong|hoa don|giay phep|ban an|phap lenh".split("|"))
# ... and a street name does not start with a legal reference ("12 Điều 5", "Luật …").
_LEGAL_NAME = regex.compile(
    r"(?:dieu|khoan|diem|chuong|muc|tiet|phu luc)[ ]+(?:\d|[ivxlc]+(?![\p{L}]))"
    r"|(?:bo[ ]+)?luat(?![\p{L}])|nghi dinh|nghi quyet|quyet dinh|thong tu|cong van|chi thi|"
    r"to trinh|phap lenh|hien phap")
# A sentence end inside a label's value, and the abbreviations whose dot is not one.
_SENTENCE_END = regex.compile(r"(?<=[\p{L}\p{N})])[.!?]+[ ]+(?=\S)")
_LAST_WORD = regex.compile(r"\p{L}+$")
_ABBREVIATIONS = {"tp", "tx", "tt", "st", "rd", "kp", "no", "ng", "ph", "dt", "sdt"}
_NUMBERISH = regex.compile(
    r"(?:so[ ]+)?\d{1,5}[a-z]?(?:[/.\-]\d{1,4}[a-z]?){0,3}(?![\d\p{L}])|[a-z]\d{1,3}(?:[.\-]\d{1,4})?"
    r"(?![\d\p{L}])"
)
# A candidate start and what follows it, for the cheap test in ``AddressRule._may_open``
# (atomic groups: the number or keyword is the one ``_unit`` would take). After a bare
# house number: an alley or street keyword, "số 12" or a letter-digit code ("a12"), on
# the folded copy (a capital is checked on the text); after a keyword, its name/number.
_NUMBER_NEXT = regex.compile(
    rf"(?>{_NUMBERISH.pattern})(?P<space>(?>[ ]*\.?[ ]*))(?P<next>"
    + "|".join(body for level, body in _KEYWORDS if level in (ALLEY, STREET))
    + r"|so[ ]+\d|[a-z]\d)?")
_KEYWORD_NEXT = regex.compile(
    rf"(?>{_KEYWORD.pattern})(?P<space>(?>[ ]*\.?[ ]*))(?P<next>\d|so[ ]+\d|[a-z]\d)?")
_CAPWORD = regex.compile(r"[\p{Lu}\d][\p{L}\p{M}\d'’]*")
_PLACEHOLDER = regex.compile(r"\[[\p{Lu}\d_]+\]")
_LONG_NUMBER = regex.compile(r"\d{5,}")
_NAME_JOIN = regex.compile(r"[ ]|[ ]?-[ ]?(?=\p{Lu})")
_PLACE_JOIN = regex.compile(r"[ ]?-[ ]?|[ ]")
_SEP = regex.compile(r"[ ]*(?:[,–\-][ ]*)?")
_SPACE_DOT = regex.compile(r"[ ]*\.?[ ]*")
# Before an address value in a table/label row: the next label ends it.
# ... and so does an ID number or an earlier placeholder: an address holds neither, and
# cutting there keeps a second pass over redacted text from finding something new.
_VALUE_STOP = regex.compile(
    r"[\n\t;|\[]|\d{9,}|\s(?:sđt|sdt|đt|dt|điện thoại|dien thoai|email|e-mail|fax|số cccd|cccd|mst|"
    r"stk|số tài khoản)\b",
    regex.IGNORECASE)


@register("address")
class AddressRule(RuleRecognizer):
    OPTIONS = frozenset({"triggers", "labels", "column_headers", "max_length"})

    def setup(self) -> None:
        opts = self.rule.options
        triggers = opts.get("triggers", ["trú tại", "ngụ tại"])
        self._triggers = phrase_finder(triggers)
        lowered = [" ".join(t.lower().split()) for t in sorted(triggers, key=len, reverse=True)]
        body = "|".join(regex.escape(t) for t in lowered)
        self._triggers_low = Anchored(
            regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{body})(?![\p{{L}}\p{{N}}])"), lowered)
        labels = opts.get("labels", ["địa chỉ", "nơi thường trú"])
        folded_labels = [" ".join(fold_phrase(p).split())
                         for p in sorted(labels, key=len, reverse=True)]
        body = "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in folded_labels)
        # Up to four words before the colon: "Địa chỉ liên lạc hiện nay:", and the English
        # half of a card's label ("Quê quán / Place of origin:").
        self._label_rx = Anchored(regex.compile(
            rf"(?<![\p{{L}}])(?:{body})(?:[ ]+[\p{{L}}/]+){{0,4}}?[ ]*[:：][ \t]*"),
            folded_labels, words="whole")
        headers = opts.get("column_headers", ["địa chỉ"])
        hbody = "|".join(regex.escape(" ".join(fold_phrase(p).split())) for p in headers)
        self._header_rx = regex.compile(rf"(?:{hbody})(?:\s*\([^)]*\))?")
        self._max = int(opts.get("max_length", 200))

    # -- grammar ----------------------------------------------------------------------
    def _name(self, text: str, folded: str, pos: int, limit: int) -> int:
        """End of a unit's name at ``pos``: a number-ish token or capitalised words."""
        m = _NUMBERISH.match(folded, pos, limit)
        if m:
            return m.end()
        end = word_end = pos
        count = 0
        while count < 6:
            w = _CAPWORD.match(text, end, limit)
            if not w or _LONG_NUMBER.match(text, w.start(), w.end()):
                break  # an ID number is not part of a place name
            end = word_end = w.end()
            count += 1
            nxt = _NAME_JOIN.match(text, end, min(limit, end + 4))
            if not nxt or not _CAPWORD.match(text, nxt.end(), limit):
                break
            end_try = nxt.end()
            # A unit keyword starts the next component, not this name.
            if self._keyword(text, folded, end_try, limit) and text[end_try].islower():
                break
            end = end_try
        return word_end  # not a space or dash taken before a word that was refused

    def _gazetteer_name(self, text: str, folded: str, pos: int, limit: int) -> int:
        """End of the longest gazetteer name starting at ``pos`` (capitalised), or pos."""
        gaz = gazetteer()
        words = []
        end = pos
        best = pos
        for _ in range(gaz.max_words):
            w = _CAPWORD.match(text, end, limit)
            if not w:
                break
            words.append(folded[w.start():w.end()])
            end = w.end()
            if gaz.is_place(" ".join(words)):
                best = end
            sp = _PLACE_JOIN.match(text, end, min(limit, end + 3))
            if not sp:
                break
            end = sp.end()
        return best

    def _keyword(self, text: str, folded: str, pos: int, limit: int):
        m = _KEYWORD.match(folded, pos, limit)
        if m and _accented(text):
            forms = _ACCENTED.get(" ".join(m.group(0).split()))
            word = text[m.start():m.end()]
            if forms and word.lower() not in forms and not (
                    word.isascii() and text[m.start():m.end() + 30].isascii()):
                return None  # an unaccented stretch inside accented text still counts
        return m

    def _unit(self, text: str, folded: str, pos: int, limit: int,
              loose: bool, street_ok: bool = False, caps_ok: bool = False
              ) -> tuple[int, int] | None:
        """(level, end) of one address component at ``pos``. ``street_ok``: right after
        a house or alley number, where capitalised words are the street's name even
        without "đường"/"phố" and outside the gazetteer ("hẻm 215 Lê Văn Sỹ"); an
        all-caps name only after an all-caps number (``caps_ok``: not "Số 215 CV")."""
        m = self._keyword(text, folded, pos, limit)
        if m:
            level = int(m.lastgroup[1:])
            after = _SPACE_DOT.match(folded, m.end(), limit).end()
            if after > m.end() or folded[m.end() - 1] == ".":
                if level == HOUSE and m.group(0) not in _NAMED_HOUSE:
                    num = _NUMBERISH.match(folded, after, limit)
                    end = num.end() if num else after
                else:
                    end = self._name(text, folded, after, limit)
                if end > after:
                    return level, end
        m = _NUMBERISH.match(folded, pos, limit)
        if not (m and text[pos].isdigit()) and text[pos] in "Kk":
            m = _KIET.match(folded, pos, limit)
        if m and (text[pos].isdigit() or text[pos] in "Kk"):
            # A bare house number must be followed by a street-like name ("12 Hào Nam").
            after = _SPACE_DOT.match(folded, m.end(), limit).end()
            if after > m.end():
                k = self._keyword(text, folded, after, limit)
                if k and int(k.lastgroup[1:]) in (ALLEY, STREET):
                    return HOUSE, m.end()
                end = self._name(text, folded, after, limit)
                if end > after and not text[after].isdigit() \
                        and not _LEGAL_NAME.match(folded, after, end):
                    return STREET, end
            return None
        end = self._gazetteer_name(text, folded, pos, limit)
        if street_ok and text[pos].isupper():
            name_end = self._street_name(text, folded, pos, limit, end, caps_ok)
            if name_end > pos:
                return NAMED, name_end
        if end > pos:
            return PROVINCE, end
        if loose and not _KEYWORD.match(folded, pos, limit):
            end = self._name(text, folded, pos, limit)
            # Capitalised words after a trigger ("Ô Chợ Dừa"); not a field that follows the
            # address ("…, SĐT 0815 515 319": a label and its number).
            if end > pos and not text[pos].isdigit() and not _LONG_NUMBER.search(
                    text, pos, end) and not _NUMBER_AFTER.match(text, end):
                return LOOSE, end
        return None

    def _street_name(self, text: str, folded: str, pos: int, limit: int, place_end: int,
                     caps_ok: bool) -> int:
        """End of a street name without keyword at ``pos`` (after a number), or pos."""
        end = self._name(text, folded, pos, limit)
        if end < place_end or _LEGAL_NAME.match(folded, pos, end):
            return pos
        # Streets share names with communes ("số 12 Lê Lợi"), not with provinces.
        if end == place_end and gazetteer().is_province(
                " ".join(folded[pos:end].replace("-", " ").split())):
            return pos
        if text[end:end + 1] in ("/", "-"):
            return pos  # a document symbol: "Số 215-CV/VP"
        first = _CAPWORD.match(text, pos, end).group(0)
        if len(first) > 1 and first.isupper() and not caps_ok:
            return pos  # "số 12 UBND": an all-caps name only in all-caps text
        return end

    def _parse(self, text: str, folded: str, pos: int, *, triggered: bool
               ) -> tuple[int, list[int]]:
        """Extend from ``pos`` over components. Returns (end, levels)."""
        limit = self._limit(text, pos)
        levels: list[int] = []
        end = pos
        cur = pos
        street_ok = caps_ok = False
        weak_from = -1  # where a NAMED street after a comma starts
        while cur < limit:
            sep = text[end:cur]
            after_comma = bool(levels) and "," in sep
            unit = self._unit(text, folded, cur, limit, loose=triggered and (
                not levels or after_comma),
                street_ok=street_ok and "-" not in sep and "–" not in sep, caps_ok=caps_ok)
            if unit is None:
                break
            level, unit_end = unit
            weak_from = end if level == NAMED and after_comma else -1
            street_ok = self._numbered(folded, cur, unit_end, level)
            caps_ok = street_ok and not any(ch.islower() for ch in text[cur:unit_end])
            levels.append(level)
            end = unit_end
            cur = _SEP.match(text, end, limit).end()
            if cur == end:
                break
        if weak_from >= 0:
            # "ngõ 5, Lan nói": after a comma a bare name is a street only when the
            # address goes on past it (or is a place: "ngõ 5, Cầu Giấy").
            named_at = _SEP.match(text, weak_from, limit).end()
            place_end = self._gazetteer_name(text, folded, named_at, limit)
            if place_end > named_at:
                levels[-1] = PROVINCE
                end = place_end
            else:
                levels.pop()
                end = weak_from
        return end, levels

    def _numbered(self, folded: str, start: int, end: int, level: int) -> bool:
        """Whether the component ``folded[start:end]`` ends in a house or alley number
        that a street name may follow ("số 15", "ngõ 92", "hẻm 88", "K45/12")."""
        if level not in (HOUSE, ALLEY) or not (
                folded[end - 1].isdigit() or folded[end - 2:end - 1].isdigit()):
            return False
        if level == ALLEY or folded[start].isdigit() or _KIET.match(folded, start, end):
            return True
        m = _KEYWORD.match(folded, start, end)
        return m is not None and " ".join(m.group(0).split()) in _NUMBER_HOUSE

    def _limit(self, text: str, pos: int) -> int:
        """Where an address starting at ``pos`` must end: its line, ``max_length``."""
        limit = min(len(text), pos + self._max)
        nl = text.find("\n", pos, limit)
        return nl if nl >= 0 else limit

    def _may_open(self, text: str, folded: str, pos: int) -> bool:
        """False where ``_unit`` (as ``_core`` calls it) surely finds no component at
        ``pos``. Most candidates in prose are a number or a keyword followed by a
        lower-case word ("12 people", "to the"): one match settles them without the full
        parse. Mirrors ``_unit``'s branches; anything unusual (a capital, a non-ASCII
        character) goes to the parser."""
        first = text[pos]
        if not first.isascii() or first.isupper():
            return True  # a capitalised keyword or a gazetteer name
        limit = self._limit(text, pos)
        shape = (_NUMBER_NEXT if first.isdigit() else _KEYWORD_NEXT).match(folded, pos, limit)
        if shape is None:
            return first.isdigit()  # an unusual number: parse; no keyword: no unit
        if shape.start("space") == shape.end("space") and not (
                not first.isdigit() and folded[shape.start("space") - 1] == "."):
            return False  # "12a", "tox": nothing separates the name
        after = shape.end("space")
        following = text[after:after + 1]
        return not following.isascii() or following.isupper() or \
            shape.group("next") is not None

    # -- main ---------------------------------------------------------------------------
    def find(self, text: str) -> Iterator[Span]:
        folded = fold(text)
        low = text.lower() if len(text.lower()) == len(text) else None
        spans: list[Span] = []
        covered_to = -1
        for m in self._label_rx.finditer(folded):
            start = m.end()
            # From the space before the value: "Địa chỉ: SĐT 09…" has no address.
            stop = _VALUE_STOP.search(text, max(0, start - 1), min(len(text), start + self._max))
            end = stop.start() if stop else min(len(text), start + self._max)
            end = self._sentence_end(text, folded, start, end)
            value = text[start:max(start, end)].rstrip(" .,")
            # Already redacted ("[ĐỊA_CHỈ_1]"): nothing left to find.
            if any(ch.isalnum() for ch in _PLACEHOLDER.sub("", value)) \
                    and self._addressy(text, folded, start, start + len(value)):
                spans.append(Span(start, start + len(value), 0.85, "address:label", True))
        triggers = self._triggers if (not _accented(text) or low is None) else self._triggers_low
        if triggers is not None:
            for m in triggers.finditer(folded if triggers is self._triggers else low):
                start = _SPACE_DOT.match(text, m.end()).end()
                if start < len(text) and text[start] == ":":
                    continue  # a label, handled above
                end, levels = self._parse(text, folded, start, triggered=True)
                if any(level != LOOSE for level in levels):
                    spans.append(Span(start, end, 0.85, "address:trigger", True))
        for a, b in header_cells(text, self._header_rx):
            if any(ch.isalnum() for ch in _PLACEHOLDER.sub("", text[a:b])):
                spans.append(Span(a, b, 0.85, "address:column", True))
        # A start inside a chain already parsed (found or not) gives a sub-chain of it,
        # which cannot qualify where the whole did not: skip it (keeps the scan linear).
        parsed_to = -1
        cores: list[Span] = []
        for m in _CORE_START.finditer(folded):
            if m.start() < covered_to or m.start() < parsed_to:
                continue
            k = self._keyword(text, folded, m.start(), len(text))
            if k is None or (k.group(0) == "so" and self._not_house(folded, m.start())):
                continue
            if not self._may_open(text, folded, m.start()):
                parsed_to = m.start()  # as the parse would report: no component
                continue
            found, parsed_to = self._core(text, folded, m.start(), parsed_to)
            if found:
                spans.append(found)
                cores.append(found)
                covered_to = found.end
        # A house number just before a core found above ("88/14 hẻm 88 …") is still
        # parsed: only starts inside a found core are sub-chains of it.
        parsed_to = -1
        covered_to = -1
        core_at = 0
        for m in _NUMBER_START.finditer(text):
            while core_at < len(cores) and cores[core_at].end <= m.start():
                core_at += 1
            if core_at < len(cores) and cores[core_at].start <= m.start():
                continue
            if m.start() < covered_to or m.start() < parsed_to:
                continue
            if not self._may_open(text, folded, m.start()):
                parsed_to = m.start()  # as the parse would report: no component
                continue
            if self._not_house(folded, m.start()):
                continue
            found, parsed_to = self._core(text, folded, m.start(), parsed_to)
            if found:
                spans.append(found)
                covered_to = found.end
        for a, b in blocks(text):
            if not any(sp.start < b and a < sp.end for sp in spans):
                lone = self._lone(text, folded, a, b)
                if lone:
                    spans.append(lone)
        yield from _merge(spans)

    def _not_house(self, folded: str, pos: int) -> bool:
        """A number at ``pos`` follows "Km", "Điều", "Luật số"…: not a house number."""
        words = folded[max(0, pos - 20):pos].split()
        if words and words[-1] == "so":
            words.pop()
        return bool(words) and (words[-1].lstrip("(") in _NOT_HOUSE_BEFORE
                                or " ".join(words[-2:]).lstrip("(") in _NOT_HOUSE_BEFORE)

    def _sentence_end(self, text: str, folded: str, start: int, end: int) -> int:
        """Where a label's value ends: at a sentence end followed by text that is not an
        address component ("… Hà Nội. Thanks!"), else at ``end``."""
        value = text[start:end]
        if "." not in value and "!" not in value and "?" not in value:
            return end
        for s in _SENTENCE_END.finditer(text, start, end):
            if text[s.start()] == ".":
                word = _LAST_WORD.search(folded, max(start, s.start() - 8), s.start())
                if word and (len(word.group(0)) == 1 or word.group(0) in _ABBREVIATIONS):
                    continue  # "P. Bến Nghé", "TP. Huế"
            if self._unit(text, folded, s.end(), end, loose=False) is None:
                return s.start()
        return end

    def _addressy(self, text: str, folded: str, start: int, end: int) -> bool:
        """A label's value holds at least one real unit (a keyword, a house number and
        street, a gazetteer name), not only an ID number or other words."""
        pos = start
        while pos < end:
            unit = self._unit(text, folded, pos, end, loose=False)
            if unit is not None:
                return True
            nxt = text.find(" ", pos, end)
            if nxt < 0:
                return False
            pos = nxt + 1
        return False

    def _core(self, text: str, folded: str, start: int, parsed_to: int
              ) -> tuple[Span | None, int]:
        """A trigger-less address at ``start`` (or None), and how far the chain reached."""
        end, levels = self._parse(text, folded, start, triggered=False)
        parsed_to = max(parsed_to, end)
        if len(levels) < 2:
            return None, parsed_to
        has_house = HOUSE in levels[:2]
        has_way = any(lv in (ALLEY, STREET) for lv in levels)
        has_unit = any(lv in (COMMUNE, DISTRICT, PROVINCE) for lv in levels)
        # A street known only by its place after a number needs a third component:
        # "Ngõ 41 Thái Hà thường xuyên…", "Bài số 3 Anh văn" are not addresses.
        if (has_way and (has_house or levels[0] == ALLEY) and NAMED not in levels) or (
                (has_way or NAMED in levels) and len(levels) >= 3):
            return Span(start, end, 0.75, "address:core", True), parsed_to
        # "thôn 4, xã Ea Kao, tỉnh Đắk Lắk": a village address has no street either.
        if levels[0] == AREA and COMMUNE in levels and len(levels) >= 3:
            return Span(start, end, 0.7, "address:village", True), parsed_to
        # "căn hộ 1205 tòa A2, chung cư X, phường Y": a flat needs no street.
        if has_house and has_unit and len(levels) >= 3:
            return Span(start, end, 0.7, "address:flat", True), parsed_to
        return None, parsed_to

    def _lone(self, text: str, folded: str, a: int, b: int) -> Span | None:
        """The block ``text[a:b]`` when it is only an address (a cell analysed alone)."""
        stripped = text[a:b].strip()
        if not stripped or len(stripped) > self._max or "\n" in stripped:
            return None
        start = text.index(stripped[0], a)
        end, levels = self._parse(text, folded, start, triggered=True)
        if len(levels) >= 2 and end >= start + len(stripped.rstrip(" .")):
            return Span(start, end, 0.3, "address:lone value")
        return None


_LONG_NUMBER = regex.compile(r"\d{3}")
_NUMBER_AFTER = regex.compile(r"[ \t:.]*\d{3}")


@lru_cache(maxsize=8)
def _accented(text: str) -> bool:
    """Whether the text carries Vietnamese accents (cached per text, like ``fold``)."""
    return not text.isascii()


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping candidates become one span with the best score."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and span.start < out[-1].end:
            last = out[-1]
            best = last if (last.score or 0) >= (span.score or 0) else span
            out[-1] = Span(last.start, max(last.end, span.end), best.score, best.reason, True)
        else:
            out.append(span)
    return out
