"""The engine's shortcuts find exactly what the slow, plain scans find.

``Anchored`` (a phrase regex tried only where a phrase can start) against the regex's
own ``finditer``; the markings line filter against cutting every line into cells.
"""

from unittest.mock import patch

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.engine.recognizers.markings import MarkingRule
from app.engine.textutil import Anchored, analysis_memo, fold, phrase_regex

PHRASES = ["so tai khoan", "stk", "mat khau", "ma", "ma so thue", "tai lieu mat", "pin",
           "khau tru", "thue"]
WORDS = st.sampled_from(PHRASES + ["so", "tai", "khoan", "mat", "khau", "tru", "xmat", "ma1",
                                   "Mã", "MẬT", "TỐI MẬT", "Độ mật: Mật", "LƯU HÀNH NỘI BỘ",
                                   "DỰ THẢO lần 2", "CONFIDENTIAL", "TÀI LIỆU THU HỒI",
                                   "- MẬT", "Hà Nội"])
SEPS = st.sampled_from([" ", "  ", "   ", "\n", "\t", "|", ":", "-", "a", "1", ", ", "\r\n"])
TEXTS = st.lists(st.tuples(WORDS, SEPS), max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts))
SETTINGS = settings(max_examples=300, deadline=None)


def _spans(matches):
    return [m.span() for m in matches]


@SETTINGS
@given(TEXTS)
def test_anchored_finds_what_the_regex_finds(text):
    rx = phrase_regex(PHRASES)
    anchored = Anchored(rx, sorted({p for p in PHRASES}), words="whole")
    folded = fold(text)
    expected = _spans(rx.finditer(folded))
    assert _spans(anchored.finditer(folded)) == expected
    with analysis_memo():  # inside an analysis the whole-text word check is on too
        assert _spans(anchored.finditer(folded)) == expected


@SETTINGS
@given(TEXTS, st.integers(0, 30), st.integers(0, 30))
def test_anchored_windows_match_the_regex(text, a, b):
    rx = phrase_regex(PHRASES)
    anchored = Anchored(rx, PHRASES, words="whole")
    folded = fold(text)
    pos, end = min(a, b, len(folded)), min(max(a, b), len(folded))
    assert _spans(anchored.finditer(folded, pos, end)) == _spans(rx.finditer(folded, pos, end))


def test_a_phrase_not_starting_with_a_letter_disables_the_shortcut():
    rx = regex.compile(r"(?<![\p{L}\p{N}])(?:#tag|abc)")
    anchored = Anchored(rx, ["#tag", "abc"])
    assert _spans(anchored.finditer("x #tag abc")) == [(2, 6), (7, 10)]


def _scanner(engine):
    rule = next(r for r in engine._analyzer.registry.recognizers if isinstance(r, MarkingRule))
    return rule._scanner


@SETTINGS
@given(TEXTS)
def test_markings_line_filter_changes_no_report(engine, text):
    scanner = _scanner(engine)
    filtered = scanner._scan(text)
    scanner._lines.hits = lambda _text: None  # cut every line
    try:
        assert scanner._scan(text) == filtered
    finally:
        del scanner._lines.hits


# -- round 2 shortcuts ----------------------------------------------------------------

def _rule(engine, name):
    return next(r for r in engine._analyzer.registry.recognizers if r.name == name)


def _found(rule, text):
    with analysis_memo():  # as in Engine.analyze: per-text facts are shared
        return [(s.start, s.end, s.score, s.reason) for s in rule.find(text)]


MIXED = st.text(st.sampled_from(list("aAzZ đĐươƯàÀẠễỄ“”’–…ßİΣσςǅ\u0301\n\t0123456789.,:-")),
                max_size=60)


@SETTINGS
@given(MIXED)
def test_fold_equals_the_table_lookup(text):
    from app.engine.textutil import _FOLD

    assert fold(text) == text.translate(_FOLD)


PREFIX_PHRASES = ["a/c", "acc", "account no", "tai khoan", "so tai khoan", "to", "tomo",
                  "mr.", "ma"]
PREFIX_TEXTS = st.lists(st.tuples(st.sampled_from(PREFIX_PHRASES + [
    "account", "tomorrow", "a", "c", "mr", "Mr.", "so", "xacc", "ma1", "mà"]), SEPS),
    max_size=14).map(lambda parts: "".join(w + s for w, s in parts))


@SETTINGS
@given(PREFIX_TEXTS)
def test_whole_word_anchor_keeps_every_first_word(text):
    # With whole words the anchor keeps "acc" beside "a" and requires a word end.
    rx = phrase_regex(PREFIX_PHRASES)
    anchored = Anchored(rx, PREFIX_PHRASES, words="whole")
    folded = fold(text)
    assert _spans(anchored.finditer(folded)) == _spans(rx.finditer(folded))


PHONE_PARTS = st.sampled_from(["0912", "345", "678", "0987 654 321", "+84", "(024)", "3825",
                               "4011", "84", "12", "2015", "1900", "1", "2", "(", ")", "+",
                               "đồng", "SĐT", "fax", "x", "-", ".", " ", "  ", "\n", ", "])
PHONE_TEXTS = st.lists(PHONE_PARTS, max_size=20).map("".join)


@SETTINGS
@given(PHONE_TEXTS)
def test_phone_scan_skips_only_short_candidates(engine, text):
    from app.engine.recognizers import phone

    rule = _rule(engine, "phone-vn")
    fast = _found(rule, text)
    # The plain loop: every candidate in turn.
    with patch.object(phone, "_next_long", lambda t, pos: phone._CANDIDATE.search(t, pos)):
        assert _found(rule, text) == fast


ADDRESS_PARTS = st.sampled_from([
    "12", "123/45", "5A", "số", "so", "Số", "ngõ", "ngo", "34", "phố", "pho", "Hào Nam",
    "Nguyễn Trãi", "đường", "to", "the", "people", "Accent", "a12", "so 12", "Q.3", "P.",
    "phường", "Ô Chợ Dừa", "quận", "Đống Đa", "Hà Nội", "thôn", "xã", "tỉnh", "St.",
    "street", "Road", "tòa", "block", "căn hộ", "1205", "ki ot", "khu", "Ave", "NE"])
ADDRESS_SEPS = st.sampled_from([" ", "  ", ", ", " - ", ".", "\n", " . ", ""])
ADDRESS_TEXTS = st.lists(st.tuples(ADDRESS_PARTS, ADDRESS_SEPS), max_size=16).map(
    lambda parts: "".join(w + s for w, s in parts))


@SETTINGS
@given(ADDRESS_TEXTS)
@example("12 a12, phường Ô Chợ Dừa, quận Đống Đa")
@example("nhà 7 so 12 ngo 34 pho Hao Nam, Ha Noi")
@example("5A street Hào Nam, phường Ô Chợ Dừa")
def test_address_precheck_drops_no_address(engine, text):
    rule = _rule(engine, "vn-address")
    fast = _found(rule, text)
    # The plain path: every candidate is parsed.
    with patch.object(type(rule), "_may_open", lambda self, *args: True):
        assert _found(rule, text) == fast


def _prev_word_plain(s, end):
    k, low = end, max(0, end - 24)
    while k > low and s[k - 1] in " \t:,(":
        k -= 1
    j = max(s.rfind(" ", low, k), s.rfind("\t", low, k), s.rfind("\n", low, k)) + 1
    return s[max(j, low):k].lstrip("([{\"'“‘«")


@SETTINGS
@given(st.text(st.sampled_from(list(" \t\n:,(ab.c\r/\"")), max_size=40), st.integers(0, 40))
def test_prev_word_matches_the_plain_loop(text, end):
    from app.engine.recognizers.person import _prev_word

    end = min(end, len(text))
    assert _prev_word(text, end) == _prev_word_plain(text, end)


PERSON_WORDS = st.sampled_from([
    "Nguyễn", "Nguyen", "Văn", "Van", "An", "Trần", "Thị", "Mai", "Le", "Lê", "ông", "Ông",
    "bà", "anh", "a", "c", "Mr.", "BS.", "The", "Software", "It", "To", "Do", "Ha", "Hà",
    "Nội", "phố", "Lợi", "N.V.A", "Họ và tên:", "Giám đốc", "Accent", "Hồ Chí Minh"])
PERSON_TEXTS = st.lists(st.tuples(PERSON_WORDS, SEPS), max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts))


@SETTINGS
@given(PERSON_TEXTS)
def test_person_run_filter_is_the_three_checks(engine, text):
    from app.engine.lexicon.names import lexicon

    rule, lex = _rule(engine, "vn-person"), lexicon()
    words = fold(text).split() + text.lower().split()
    for accented in (True, False):
        surnames = lex.exact_surnames if accented else lex.surnames
        cue_words = rule._cue_words_low if accented else rule._cue_words
        plain = surnames.isdisjoint(words) and cue_words.isdisjoint(words) and not (
            accented and not lex.surnames.isdisjoint(words)
            and any(w.isascii() and w in lex.surnames for w in words))
        assert rule._run_words[accented].isdisjoint(words) == plain


IPV6_TEXTS = st.lists(st.sampled_from([
    "::", ":", "1", "fe80", "abcd", "0db8", "2001", "ffff", "192.168.1.1", "11:39:23", "/64",
    " ", "x", ".", "\n", "g", "12345"]), max_size=16).map("".join)


@SETTINGS
@given(IPV6_TEXTS)
def test_ipv6_candidates_find_what_the_regex_finds(text):
    from app.engine.recognizers import network

    assert _spans(network._ipv6_matches(text)) == _spans(network._IPV6.finditer(text))


def test_leading_literals_read_only_what_is_sure():
    from app.engine.textutil import leading_literals

    def lits(pattern, flags=0):
        return leading_literals(regex.compile(pattern, flags))

    assert lits(r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}") == ("AKIA", "ASIA")
    assert lits(r"(?<![A-Za-z0-9_.-])ya29\.[A-Za-z0-9_\-]{30,}") == ("ya29.",)
    assert lits(r"(?<![\w])ghp?_x") == ("gh",)  # "p" may be absent
    assert lits(r"ab\.?c") == ("ab",)  # so may an escaped "."
    assert lits(r"(?<![\]|)])abc") == ("abc",)  # a look-behind class holding "]" and "|"
    assert lits(r"(?:ab|cd)?x") is None  # the group may be skipped
    assert lits(r"abc|xyz") is None  # an alternation at the top
    assert lits(r"(?i)bearer\s") is None  # case folding: a substring test would differ
    assert lits(r"abc", regex.IGNORECASE) is None
    assert lits(r"(?#(|)abc") is None
    assert lits(r"\d{3}abc") is None


def test_required_digits_reads_only_what_is_sure():
    from app.engine.textutil import required_digits

    def need(pattern):
        return required_digits(regex.compile(pattern))

    assert need(r"(?<![\p{L}\d.,/-])\d{13,19}(?![\d\p{L}])") == 13
    assert need(r"[A-Z]{2}[ -]?\d{2}[ -]?\d{10}") == 10
    assert need(r"(?:\d{12})?x") == 0  # inside a group: may be skipped
    assert need(r"\d{12}|x") == 0
    assert need(r"[\d{12}]") == 0
    assert need(r"\\d{12}") == 0  # a backslash, then "d{12}"


TOKEN_PARTS = st.sampled_from([
    "AKIA", "ABCDEFGHIJKLMNOP", "ghp_", "x" * 36, "sk-", "proj-", "T3BlbkFJ", "a" * 16,
    "whsec_", "eyJ", "abcdefghij", ".", "-", "_", "npm_", "SG.", "SK", "0123456789abcdef",
    "key-", " ", "\n", "Bearer ", "https://hooks.slack.com/", "services/", "-----BEGIN",
    " PRIVATE KEY-----", "000201", "A000000727", "0", "1234567", "12345678901234"])
TOKEN_TEXTS = st.lists(TOKEN_PARTS, max_size=16).map("".join)


@SETTINGS
@given(TOKEN_TEXTS)
def test_literal_and_digit_prefilters_drop_no_match(engine, text):
    from app.engine.recognizers.credentials import TokenRule
    from app.engine.recognizers.pattern import PatternRule

    for rule in engine._analyzer.registry.recognizers:
        if not isinstance(rule, (TokenRule, PatternRule)):
            continue
        fast = _found(rule, text)
        saved = rule._literals, getattr(rule, "_digits", None)
        rule._literals = [None] * len(rule._compiled)  # the plain path: every regex runs
        if isinstance(rule, PatternRule):
            rule._digits = [0] * len(rule._compiled)
        try:
            assert _found(rule, text) == fast, rule.name
        finally:
            rule._literals = saved[0]
            if isinstance(rule, PatternRule):
                rule._digits = saved[1]


DIGIT_TEXTS = st.lists(st.sampled_from([
    "0123456789", "012345678901", "1234 5678 9012 3456", "4111111111111111", "0912345678",
    "12", "-", ".", " ", "CMND", "MST", "số thẻ", "BHYT", "DN4010123456789", "0100109106-001",
    "\n", "a", "٣"]), max_size=10).map("".join)


@SETTINGS
@given(DIGIT_TEXTS)
def test_digit_run_prefilter_drops_no_match(engine, text):
    from app.engine.recognizers.pattern import PatternRule

    for rule in engine._analyzer.registry.recognizers:
        if isinstance(rule, PatternRule):
            fast = _found(rule, text)
            saved, rule._digits = rule._digits, [0] * len(rule._compiled)
            try:
                assert _found(rule, text) == fast, rule.name
            finally:
                rule._digits = saved


def test_supported_entities_are_presidios(engine):
    from presidio_analyzer import AnalyzerEngine

    analyzer = engine._analyzer
    assert sorted(analyzer.get_supported_entities("vi")) == sorted(
        AnalyzerEngine.get_supported_entities(analyzer, "vi"))


def test_default_engine_is_kept_out_of_the_collector_until_reset():
    import gc

    from app.engine import default_engine, reset_default_engine

    engine = default_engine()
    assert gc.get_freeze_count() > 0
    reset_default_engine()
    assert gc.get_freeze_count() == 0  # the replaced engine can be collected
    assert default_engine() is not engine and gc.get_freeze_count() > 0
