"""Credentials (spec §6): cue → value pairs, token shapes, connection strings.

``kind: credentials`` — a cue (``mật khẩu``, ``mat khau``, ``MK``, ``password``, ``OTP``,
``tên đăng nhập``, ``TK``, ``token``…) followed by ``:``, ``=``, ``là``, ``-`` or ``/``; the
*value* (next non-space run, or the quoted string) is redacted and the cue kept. Cues are
matched on the folded copy, so accented, unaccented and upper-case cues are one list.
Pairs share one separator: ``user/pass: admin/123456``, ``tài khoản và mật khẩu: a / b``.
People's passwords are low-entropy (``Hanoi@2025``): after a password cue any value
goes; generic English ``secret=``/``token=`` values must look random (Shannon entropy and
length), so ``token: xem hướng dẫn`` is not a token.

``kind: token`` — well-known token formats (regexes in YAML, optional ``value`` group,
optional entropy check per pattern name).

``kind: connection_string`` — ``scheme://user:pass@host…``, JDBC, and ``Key=Value;`` runs
(ADO.NET, ODBC, Azure) that hold a password or key: the whole string is redacted, since
it names internal hosts too.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterator

import regex

from ..lexicon.names import is_syllable
from ..textutil import Anchored, blocks, fold, fold_phrase, leading_literals, text_words
from .base import RuleRecognizer, Span, register
from .pattern import MATCH_TIMEOUT_SECONDS

SHAPES = ("password", "user", "account", "otp", "pin", "token")

_OPEN_QUOTES = {'"': '"', "'": "'", "`": "`", "“": "”", "‘": "’", "«": "»"}
# A value: up to whitespace, ",", ";" or a "&next=" of a query string.
_RUN = regex.compile(r"[^\s,;]+?(?=[\s,;]|&\w+=|$)")
_PAIR_VALUE = regex.compile(r"[^\s,;/|]+")
_PAIR_GAP = regex.compile(r"\s*(?:/|\||,|\s[-–]\s)\s*|\s+")
_MASKED = regex.compile(r"[*•●xX.…_\-–—?]+")
_NON_ASCII_LETTER = regex.compile(r"[^\x00-\x7f]")
_TRAIL = ".)]}>\"'”’»"
_NEWLINE = regex.compile(r"\n")
MAX_QUOTED = 64
# A word between a cue and its separator: "Wi-Fi", "P.201", "tầng"; not "là"/"is".
_FREE_WORD = (r"(?:[ \t]+(?!(?:la|is)(?![\p{L}\p{N}]))"
              r"[\p{L}\p{N}]{1,15}(?:[-.][\p{L}\p{N}]{1,15})?)")
# A login name right after its cue ("tạo user thanhnv2"): lower-case ASCII, so that "user
# Manual", "user ID" stay words.
_LOGIN = regex.compile(r"[a-z][a-z0-9._@\-]{3,39}")
# A label standing where the value should be ("…nhé: TK: abc", "ID: abc").
_LABEL = regex.compile(r"\p{L}{1,15}[:：]")
_LABEL_GAP = regex.compile(r"[ \t]*")
# A quantity or price, not a chosen secret ("200k", "15tr", "92.5%", "300s"); and digit
# groups ("12-16", "05/2027", "2.500.000"), which an OTP may be ("123-456"). Folded value.
_UNIT_NUMBER = regex.compile(
    r"[$€£]?\d+(?:[.,]\d+)*(?:%|k|tr|trieu|d|vnd|usd|m|cm|km|kg|g|gb|mb|tb|h|p|s|ph|phut"
    r"|gio|ngay)\d{0,3}")
_NUMBER_GROUPS = regex.compile(r"\d{1,4}(?:[.,/:\-–~]\d{1,4})+")
# A count followed by what it counts: "tối đa là 1024 ký tự", "is 1200 users". Unaccented
# words that are also given names (Nam, Lan, Thắng) are left out.
_COUNT_UNIT = regex.compile(
    r"[ \t]+(?:ký tự|kí tự|chữ số|số|ngày|tháng|năm|lần|phút|giây|giờ|người|tuổi|dòng|triệu"
    r"|nghìn|ngàn|tỷ|tỉ|ky tu|ki tu|chu so|ngay|phut|giay|nguoi|tuoi|trieu|nghin|characters?"
    r"|chars|digits?|times|days?|months?|years?|users?|people|minutes?|seconds?|hours?)"
    r"(?![\p{L}\p{N}])", regex.IGNORECASE)
# Shapes that name the secret itself: "TK admin MK: …" is the password of account admin.
_SECRET_SHAPES = ("password", "pin", "otp", "token")
_NORM = regex.compile(r"[\s_\-]+")


def shannon_entropy(value: str) -> float:
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _cue_folded(phrases) -> list[str]:
    return sorted({fold_phrase(p).strip() for p in phrases}, key=len, reverse=True)


def _cue_body(phrases) -> str:
    # "mật khẩu" also as "matkhau", "mat_khau"; "api key" as "api_key", "API-KEY", "apikey".
    return "|".join(regex.escape(p).replace(r"\ ", r"[\s_\-]*") for p in _cue_folded(phrases))


def _glued(phrases) -> frozenset[str]:
    """How the first word of a cue is written in a text: alone or glued to the next ones
    ("mat", "matkhau")."""
    out = set()
    for phrase in _cue_folded(phrases):
        runs = regex.findall(r"\p{L}+", phrase)
        out.update("".join(runs[:count]) for count in range(1, len(runs) + 1))
    return frozenset(out)


def _login_word(value: str) -> bool:
    """After "là", a user name may be a plain word ("tên đăng nhập là vanthu", "tk là
    admin"): lower-case ASCII, but not one Vietnamese syllable typed without accents
    ("user là nguoi …") and not a service's name."""
    return _LOGIN_WORD.fullmatch(value) is not None and not is_syllable(value) and \
        value not in _SERVICES


_LOGIN_WORD = regex.compile(r"[a-z][a-z0-9._\-]{3,31}")
_SERVICES = frozenset({"email", "gmail", "yahoo", "outlook", "hotmail", "zalo", "facebook",
                       "google", "microsoft", "apple", "icloud", "viber", "skype", "teams"})


def _shaped(value: str) -> bool:
    """Looks like a chosen password: digits, symbols or mixed case, 4+ characters."""
    if len(value) < 4:
        return False
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    # "WiFi", "hAnoi": an upper-case letter past the first ("Fail" is just a word).
    mixed = any(c.isupper() for c in value[1:]) and any(c.islower() for c in value)
    return has_digit or has_symbol or mixed


def _strong(value: str) -> bool:
    """A password by its make-up alone, for short cues that are also words ("pass",
    "MK"): 6+ characters with a digit, a lower-case letter (codes such as "B2B-2025" have
    none), and a symbol or a capital past the first."""
    return len(value) >= 6 and any(c.isdigit() for c in value) and any(
        c.islower() for c in value) and (any(not c.isalnum() for c in value) or any(
            c.isupper() for c in value[1:]))


@register("credentials")
class CredentialCueRule(RuleRecognizer):
    """Options: ``fields`` [{cues, entity, label, shape, bare}], ``qualifiers``,
    ``empty_values``, ``min_entropy``, ``min_length``, ``reverse_otp``."""

    OPTIONS = frozenset({"fields", "qualifiers", "empty_values", "min_entropy", "min_length",
                         "reverse_otp", "reverse_entity", "reverse_label"})

    def setup(self) -> None:
        from ..rules import RulePackError

        opts = self.rule.options
        fields = opts.get("fields")
        if not isinstance(fields, list) or not fields:
            raise RulePackError(f"{self.rule.source}: option 'fields' must be a non-empty list")
        self._by_cue: dict[str, dict] = {}
        for index, field in enumerate(fields):
            where = f"{self.rule.source} field #{index + 1}"
            if not isinstance(field, dict) or not {"cues", "entity", "label", "shape"} <= set(
                    field):
                raise RulePackError(f"{where}: needs cues, entity, label and shape")
            unknown = set(field) - {"cues", "entity", "label", "shape", "bare", "entropy",
                                    "upper_only"}
            if unknown:
                raise RulePackError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
            if not isinstance(field["cues"], list) or not field["cues"] or not all(
                    isinstance(c, str) and c.strip() for c in field["cues"]):
                raise RulePackError(f"{where}: cues must be a list of non-empty strings")
            if field["shape"] not in SHAPES:
                raise RulePackError(f"{where}: shape must be one of {', '.join(SHAPES)}")
            if field.get("bare", "none") not in ("none", "shaped", "strong", "digits", "login"):
                raise RulePackError(
                    f"{where}: bare must be none, shaped, strong, digits or login")
            for cue in field["cues"]:
                self._by_cue[_NORM.sub("", fold_phrase(cue))] = field
        self.supported_entities = sorted({f["entity"] for f in self._by_cue.values()})
        # Cues that are ordinary words unless written in capitals ("pin" = battery).
        self._lower_words = {c.casefold() for f in fields for c in f.get("upper_only") or []}
        cue_phrases = list(self._cue_phrases(fields))
        cue = _cue_body(cue_phrases)
        qualifiers = [fold_phrase(q).strip() for q in opts.get("qualifiers") or []]
        qual = "|".join(regex.escape(q).replace(r"\ ", r"\s+")
                        for q in sorted(set(qualifiers), key=len, reverse=True))
        qual_part = rf"(?:\s+(?:{qual})(?![\p{{L}}\p{{N}}])){{0,3}}" if qual else ""
        # cue (joiner cue)* qualifiers? closing-quote? separator
        self._cue = regex.compile(
            rf"(?<![\p{{L}}\p{{N}}])(?P<cues>(?:{cue})(?:\s*(?:/|&|\+|,|\s(?:va|and|hoac)\s)\s*"
            rf"(?:{cue})){{0,2}})(?![\p{{L}}\p{{N}}])"
            # Up to six free words before a colon ("Mat khau wifi phong hop: …") or before
            # the first "là"/"is" ("mật khẩu Wi-Fi tầng 2 là …", "password for the VPN is
            # …"), never "là" itself, so that "mật khẩu là X" takes X; or known qualifiers,
            # then any separator ("mật khẩu mới là …", "mk abc@1").
            rf"(?:(?P<words>{_FREE_WORD}{{1,6}})(?P<sep>[ \t]*[:：=][ \t]*)"
            rf"|(?P<words>{_FREE_WORD}{{1,6}}?)(?P<sep>[ \t]+(?:la|is)(?:[ \t]*[:：])?[ \t]+)"
            rf"|{qual_part}[\"'`]?"
            r"(?P<sep>\s*(?:[:：]+|=>|->|==?)\s*|\s+(?:la|is)(?:\s*[:：])?\s+|"
            r"\s*[-–]\s+|\s+[-–]\s*|\s*/\s*|[ \t]+))")
        # Searched from the cues' first words only (see textutil.Anchored).
        self._cue = Anchored(self._cue, _cue_folded(cue_phrases), words="joined")
        # "user deploy pass X", "tk ketoan mk X": a login written with no separator is
        # known by the password cue right after it.
        logins = [c for f in fields if f["shape"] in ("user", "account") for c in f["cues"]]
        secrets = [c for f in fields if f["shape"] == "password" for c in f["cues"]]
        self._login_pair = Anchored(regex.compile(
            rf"(?<![\p{{L}}\p{{N}}])(?:{_cue_body(logins)})[ \t]+(?P<value>[^\s:：=,;]+)"
            rf"[ \t]+(?:{_cue_body(secrets)})(?![\p{{L}}\p{{N}}])"),
            _cue_folded(logins), words="joined")
        self._login_field = next((f for f in fields if f["shape"] == "user"), None)
        self._one_cue = regex.compile(rf"(?:{cue})")
        self._cue_word = Anchored(
            regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{cue})(?![\p{{L}}\p{{N}}])"),
            _cue_folded(cue_phrases), words="joined")
        self._empty = {fold_phrase(v).strip() for v in opts.get("empty_values") or []}
        self._min_entropy = float(opts.get("min_entropy", 3.0))
        self._min_length = int(opts.get("min_length", 8))
        reverse = opts.get("reverse_otp") or []
        self._reverse = None
        if reverse:
            self._reverse = regex.compile(
                rf"(?<![\p{{L}}\p{{N}}])(?P<value>\d{{4,8}})\s+(?:la|is)\s+(?:{_cue_body(reverse)})"
                r"(?![\p{L}\p{N}])")
            self._reverse_type = (opts.get("reverse_entity", "OTP"), opts.get("reverse_label",
                                                                              "OTP"))
            self._reverse_words = _glued(reverse)

    @staticmethod
    def _cue_phrases(fields) -> Iterator[str]:
        for field in fields:
            yield from field["cues"]

    def _field(self, cue_text: str) -> dict | None:
        return self._by_cue.get(_NORM.sub("", cue_text))

    def find(self, text: str) -> Iterator[Span]:
        folded = fold(text)
        password_lines: set[int] | None = None
        line_starts: list[int] | None = None
        for match in self._cue.finditer(folded):
            cues = self._cue_fields(text, match)
            if not cues:
                continue
            sep = match.group("sep")
            strength = self._strength(sep)
            pos = match.end()
            if len(cues) == 1:
                if match.group("words"):
                    cues = [self._inner_field(text, folded, match, cues[0])]
                values = self._single_value(text, pos)
            else:
                if strength == "bare":
                    continue
                values = self._pair_values(text, pos, len(cues))
            for field, (start, end, quoted) in zip(cues, values):
                value = text[start:end]
                if field["shape"] == "account":
                    if password_lines is None:
                        line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
                        password_lines = self._password_lines(folded, line_starts)
                    line = bisect.bisect_right(line_starts, start)
                    if not self._account_ok(value, line in password_lines):
                        continue
                if not (self._accept(field, value, strength, quoted) or (
                        sep.strip() == "la" and field["shape"] in ("user", "account")
                        and _login_word(value))):
                    continue
                if strength != "strong" and not quoted and value.isdigit() and \
                        _COUNT_UNIT.match(text, end):
                    continue  # "tối đa là 1024 ký tự": a count
                yield Span(start, end, reason=f"cue:{field['shape']}", has_context=True,
                           entity=field["entity"], label=field["label"], notify=True)
        if self._login_field is not None:
            field = self._login_field
            for match in self._login_pair.finditer(folded):
                start, end = match.span("value")
                value = text[start:end]
                if _login_word(value) or (_LOGIN.fullmatch(value) and any(
                        c.isdigit() or c in "._@" for c in value)):
                    yield Span(start, end, reason="cue:user-before-password",
                               has_context=True, entity=field["entity"], label=field["label"],
                               notify=True)
        if self._reverse is not None and self._reverse_possible(folded):
            entity, label = self._reverse_type
            for match in self._reverse.finditer(folded):
                yield Span(*match.span("value"), reason="cue:otp-before", has_context=True,
                           entity=entity, label=label, notify=True)

    def _reverse_possible(self, folded: str) -> bool:
        """"123456 là mã OTP" needs the words "la"/"is" and a cue's first word (glued
        or not) in the text; unknown outside an analysis (then the regex decides)."""
        words = text_words(folded)
        return words is None or (("la" in words or "is" in words)
                                 and not words.isdisjoint(self._reverse_words))

    def _cue_fields(self, text: str, match) -> list[dict]:
        """The fields of the cue(s) of one match; empty when one of them does not count."""
        base = match.start("cues")
        fields = []
        for cue in self._one_cue.finditer(match.group("cues")):
            original = text[base + cue.start():base + cue.end()]
            if original.casefold() in self._lower_words and not original.isupper():
                return []  # "Pin: 5000 mAh" is a battery; "PIN: 1234" is a PIN
            field = self._field(cue.group())
            if field is None:
                return []
            fields.append(field)
        return fields

    @staticmethod
    def _strength(sep: str) -> str:
        core = sep.strip()
        if not core:
            return "bare"
        # "là:" / "is:" is as explicit as a bare colon.
        if core[0] in ":：=" or core[-1] in ":：" or core in ("=>", "->"):
            return "strong"
        return "weak"

    @staticmethod
    def _value_at(text: str, pos: int, pattern: regex.Pattern) -> tuple[int, int, bool] | None:
        if pos >= len(text) or text[pos] in "\r\n":
            return None
        close = _OPEN_QUOTES.get(text[pos])
        if close is not None:
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            end = text.find(close, pos + 1, min(line_end, pos + 2 + MAX_QUOTED))
            # A quoted secret is short; a long quoted run is a sentence.
            if end > pos + 1 and text.count(" ", pos, end) < 4:
                return pos + 1, end, True
        match = pattern.match(text, pos)
        if match is None:
            return None
        start, end = match.span()
        while end - start > 1 and text[end - 1] in _TRAIL:
            end -= 1
        return start, end, False

    def _inner_field(self, text: str, folded: str, match, field: dict) -> dict:
        """The field of a free-words match: a secret's cue among the words names the
        value ("TK admin MK: …" gives admin's password, not a user name)."""
        if field["shape"] in _SECRET_SHAPES:
            return field
        for inner in self._cue_word.finditer(folded, match.start("words"), match.start("sep")):
            original = text[inner.start():inner.end()]
            if original.casefold() in self._lower_words and not original.isupper():
                continue
            other = self._field(inner.group())
            if other is not None and other["shape"] in _SECRET_SHAPES:
                return other
        return field

    def _single_value(self, text: str, pos: int) -> list[tuple[int, int, bool]]:
        value = self._value_at(text, pos, _RUN)
        if value is None or value[2] or not _LABEL.fullmatch(text, value[0], value[1]):
            return [value] if value else []
        # A label, not the value: "…nhé: TK: abc". A cue's label gets its own match;
        # another one ("ID: abc") is stepped over.
        if self._field(fold_phrase(text[value[0]:value[1] - 1])) is not None:
            return []
        value = self._value_at(text, _LABEL_GAP.match(text, value[1]).end(), _RUN)
        return [value] if value and not _LABEL.fullmatch(text, value[0], value[1]) else []

    def _pair_values(self, text: str, pos: int, count: int) -> list[tuple[int, int, bool]]:
        values = []
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        while len(values) < count and pos < line_end:
            value = self._value_at(text, pos, _PAIR_VALUE)
            if value is None:
                break
            values.append(value)
            pos = value[1] + (1 if value[2] else 0)
            gap = _PAIR_GAP.match(text, pos, line_end)
            if gap is None:
                break
            pos = gap.end()
        return values

    def _password_lines(self, folded: str, line_starts: list[int]) -> set[int]:
        lines = set()
        for match in self._cue_word.finditer(folded):
            field = self._field(match.group())
            if field is not None and field["shape"] in ("password", "pin"):
                lines.add(bisect.bisect_right(line_starts, match.start()))
        return lines

    @staticmethod
    def _account_ok(value: str, password_near: bool) -> bool:
        # "TK" is also a bank account: digits only ("0123-456-789" too) is the bank's.
        if not value.isascii() or len(value) < 3 or not value.strip("0123456789.-"):
            return False
        return password_near or any(c.isdigit() or c in "._@-" for c in value)

    def _accept(self, field: dict, value: str, strength: str, quoted: bool) -> bool:
        if len(value) < 2 or _MASKED.fullmatch(value) or not any(c.isalnum() for c in value):
            return False
        if fold_phrase(value).strip() in self._empty:
            return False
        if _NORM.sub("", fold_phrase(value)) in self._by_cue:
            return False  # "Tên đăng nhập: Mật khẩu" is a header, not a value
        if not quoted and _NON_ASCII_LETTER.search(value) and not any(
                c.isdigit() for c in value):
            return False  # a Vietnamese word: prose, not a secret
        shape = field["shape"]
        if strength != "strong" and not quoted and self._quantity(shape, value):
            return False  # "pass là 200k" sells something; "OTP là 300s" is a duration
        if strength == "bare":
            bare = field.get("bare", "none")
            if bare == "digits":
                return value.isdigit() and 4 <= len(value) <= 10
            if bare == "shaped":
                return len(value) >= 4 and any(c.isdigit() or not c.isalnum() for c in value)
            if bare == "strong":
                return _strong(value)
            if bare == "login":
                return _LOGIN.fullmatch(value) is not None and any(
                    c.isdigit() or c in "._@" for c in value)
            return False
        if shape in ("otp", "pin"):
            # After "là"/"-" a code is one run of letters and digits ("HS-2024-001" is
            # a file number).
            return any(c.isdigit() for c in value) and 3 <= len(value) <= 12 and (
                strength == "strong" or value.isalnum())
        if shape in ("user", "account") and "://" in value:
            return False  # "the login for the portal is https://…" is a page
        if shape == "token" and field.get("entropy", True):
            if any(c in value for c in "<>${}()") or regex.fullmatch(r"[A-Z_]+", value):
                return False  # placeholder or variable name
            return len(value) >= self._min_length and \
                shannon_entropy(value) >= self._min_entropy
        if strength == "weak" and not quoted:
            # "the user is presented…": after "is"/"-" a user name must look like one
            # (and have a letter: "số user hôm nay là 1200" is a count).
            if shape == "user":
                return value.isascii() and any(c.isalpha() for c in value) and any(
                    c.isdigit() or c in "._@" for c in value)
            return _shaped(value)
        return True

    @staticmethod
    def _quantity(shape: str, value: str) -> bool:
        folded = fold_phrase(value).lower()
        if _UNIT_NUMBER.fullmatch(folded):
            return True
        return shape not in ("otp", "pin") and _NUMBER_GROUPS.fullmatch(folded) is not None


@register("token")
class TokenRule(RuleRecognizer):
    """Token shapes from the rule's ``patterns``; names listed in ``entropy_patterns``
    must also pass the entropy check (generic ``Bearer …``)."""

    OPTIONS = frozenset({"entropy_patterns", "min_entropy", "min_length"})

    def setup(self) -> None:
        opts = self.rule.options
        self._entropy = set(opts.get("entropy_patterns") or [])
        self._min_entropy = float(opts.get("min_entropy", 3.0))
        self._min_length = int(opts.get("min_length", 8))
        self._compiled = [(regex.compile(p.regex, p.flags), p.score, p.name)
                          for p in self.rule.patterns]
        # Most token shapes open with a fixed prefix ("ghp_", "AKIA"): a text without it
        # is not scanned (a substring test is far cheaper than the regex, timeout and all).
        self._literals = [leading_literals(compiled) for compiled, _, _ in self._compiled]

    def find(self, text: str) -> Iterator[Span]:
        for (compiled, score, name), literals in zip(self._compiled, self._literals):
            if literals is not None and not any(lit in text for lit in literals):
                continue
            has_value = "value" in compiled.groupindex
            for match in compiled.finditer(text, timeout=MATCH_TIMEOUT_SECONDS):
                start, end = match.span("value") if has_value else match.span()
                if start < 0 or start == end:
                    continue
                if name in self._entropy:
                    value = text[start:end]
                    if len(value) < self._min_length or \
                            shannon_entropy(value) < self._min_entropy:
                        continue
                yield Span(start, end, score=score, reason=f"token:{name}", has_context=True,
                           notify=True)


_URL = regex.compile(
    r"(?i)(?<![\w+.\-])(?P<jdbc>jdbc:)?(?P<scheme>[a-z][a-z0-9+.\-]{1,20})://"
    r"(?P<rest>[^\s\"'<>`]+)")
_JDBC_THIN = regex.compile(r"(?i)(?<![\w])jdbc:[a-z0-9]+(?::[a-z0-9]+)*:[^\s\"'<>/@]+/[^\s@\"']+@"
                           r"[^\s\"'<>`]+")
_USERINFO = regex.compile(r"^(?P<user>[^/@\s:?#]*)(?::(?P<pw>[^\s]*))?@")
_QUERY_SECRET = regex.compile(r"(?i)[?&;](?:password|pwd|pass|passwd|secret|token|apikey|"
                              r"api_key|accountkey|sig)=[^&\s]+")
_KEY = (r"[A-Za-z][A-Za-z0-9_.]*(?: (?:[Ii][Dd]|[Ss]ource|[Cc]atalog|[Ss]ecurity|[Nn]ame|"
        r"[Ii]nfo|[Tt]imeout|[Pp]assword|[Kk]ey|[Ss]erver))?")
_KV_RUN = regex.compile(
    rf"(?<![\w.])(?:{_KEY})\s*=\s*[^;\r\n]*;(?:\s*(?:{_KEY})\s*=\s*[^;\r\n]*;)*"
    rf"(?:\s*(?:{_KEY})\s*=\s*[^;\r\n\s]*)?")
_KV_KEY = regex.compile(rf"(?:^|;)\s*({_KEY})\s*=")


@register("connection_string")
class ConnectionStringRule(RuleRecognizer):
    """Options: ``schemes`` (need only a user), ``credential_schemes`` (need a password:
    http, https, ftp), ``secret_keys`` (Key=Value runs that hold one of them)."""

    OPTIONS = frozenset({"schemes", "credential_schemes", "secret_keys"})

    def setup(self) -> None:
        opts = self.rule.options
        self._schemes = {s.lower() for s in opts.get("schemes") or []}
        self._cred_schemes = {s.lower() for s in opts.get("credential_schemes") or []}
        self._secret_keys = {k.lower().replace(" ", "") for k in opts.get("secret_keys") or []}

    def find(self, text: str) -> Iterator[Span]:
        taken_to = -1
        for match in _JDBC_THIN.finditer(text):
            end = self._trim(text, match.start(), match.end())
            taken_to = max(taken_to, end)
            yield Span(match.start(), end, reason="conn:jdbc", has_context=True, notify=True)
        for match in _URL.finditer(text):
            if match.start() < taken_to:
                continue
            scheme = match.group("scheme").lower()
            rest = match.group("rest")
            info = _USERINFO.match(rest)
            secret_query = _QUERY_SECRET.search(rest) is not None
            if scheme in self._schemes or (match.group("jdbc") and scheme):
                ok = bool(info and (info.group("user") or info.group("pw"))) or secret_query
            elif scheme in self._cred_schemes:
                ok = bool(info and info.group("pw")) or (secret_query and scheme != "https")
            else:
                ok = False
            if ok:
                yield Span(match.start(), self._trim(text, match.start(), match.end()),
                           reason=f"conn:{scheme}", has_context=True, notify=True)
        if self._secret_keys:
            for match in _KV_RUN.finditer(text):
                keys = [k.lower().replace(" ", "") for k in _KV_KEY.findall(";" + match.group())]
                if len(keys) >= 2 and any(k in self._secret_keys for k in keys):
                    end = match.end()
                    while end > match.start() and text[end - 1] in " \t":
                        end -= 1
                    if match.start() and end > match.start() + 1 and text[end - 1] in "\"'" \
                            and text[match.start() - 1] == text[end - 1]:
                        end -= 1  # the quote closing a quoted string: "Server=...;Pwd=x"
                    yield Span(match.start(), end, reason="conn:key-value", has_context=True,
                               notify=True)

    @staticmethod
    def _trim(text: str, start: int, end: int) -> int:
        while end > start and text[end - 1] in ".,;:)]}>'\"":
            end -= 1
        return end


_CELL_NORM = regex.compile(r"[\s_\-:]+")
_TABLE_SEP_ROW = regex.compile(r"[\s|:\-]+")


@register("credential_cell")
class CredentialCellRule(RuleRecognizer):
    """Credentials in tables (spec §6): an account list pasted from Excel arrives as TSV
    with the cue only in the header row ("Tên đăng nhập<TAB>Mật khẩu"). Every cell under
    a header that names a credential (the rule's ``context`` phrases) is the value.

    A whole text that is one token (a spreadsheet cell checked on its own) is offered at
    the rule's low ``score``; the engine raises it when the caller's ``context`` (the
    column header) names a credential. Table headers are found in one pass over the
    lines, not looked up per cell.

    Options: ``max_length`` (longest value, default 128), ``ascii_only`` (user names).
    """

    OPTIONS = frozenset({"max_length", "ascii_only"})

    def setup(self) -> None:
        from ..textutil import phrase_regex

        self._cue = phrase_regex(self.rule.context)
        self._cue_values = {_CELL_NORM.sub("", fold_phrase(c)) for c in self.rule.context}
        self._max = int(self.rule.options.get("max_length", 128))
        self._ascii = bool(self.rule.options.get("ascii_only", False))
        self._table_score = self.rule.context_score or 0.85

    def _ok(self, value: str) -> bool:
        if not value or len(value) > self._max or _MASKED.fullmatch(value):
            return False
        if self._ascii and not value.isascii():
            return False
        return _CELL_NORM.sub("", fold_phrase(value)) not in self._cue_values

    def find(self, text: str) -> Iterator[Span]:
        for a, b in blocks(text):
            stripped = text[a:b].strip()
            if stripped and not any(c.isspace() for c in stripped) and self._ok(stripped):
                start = text.index(stripped, a)
                yield Span(start, start + len(stripped), reason="cell:alone")
        if self._cue is None or ("\t" not in text and "|" not in text):
            return
        columns: dict[int, bool] | None = None  # column index -> header names a credential
        sep = None
        pos = 0
        for line in text.splitlines(keepends=True):
            start, body = pos, line.rstrip("\r\n")
            pos += len(line)
            line_sep = "\t" if "\t" in body else ("|" if body.count("|") >= 2 else None)
            if line_sep is None or line_sep != sep:
                columns, sep = None, line_sep
                if line_sep is None:
                    continue
            if line_sep == "|" and _TABLE_SEP_ROW.fullmatch(body):
                continue
            cells = self._split(body, line_sep)
            if columns is None:
                columns = {i: bool(self._cue.search(fold_phrase(c)))
                           for i, (c, _, _) in enumerate(cells)}
                if not any(columns.values()):
                    columns = {}
                continue
            for index, (cell, cell_start, _) in enumerate(cells):
                if not columns.get(index):
                    continue
                value = cell.strip()
                if self._ok(value):
                    begin = start + cell_start + cell.index(value)
                    yield Span(begin, begin + len(value), score=self._table_score,
                               reason="cell:column", has_context=True, notify=True)

    @staticmethod
    def _split(body: str, sep: str) -> list[tuple[str, int, int]]:
        cells, pos = [], 0
        parts = body.split(sep)
        if sep == "|" and body.strip().startswith("|"):
            pos = len(parts[0]) + 1
            parts = parts[1:]
        for part in parts:
            cells.append((part, pos, pos + len(part)))
            pos += len(part) + 1
        return cells
