"""The engine's shortcuts find exactly what the slow, plain scans find.

``Anchored`` (a phrase regex tried only where a phrase can start) against the regex's
own ``finditer``; the markings line filter against cutting every line into cells.
"""

import regex
from hypothesis import given, settings
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
