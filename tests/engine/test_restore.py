"""Restore: chatbot-mangled placeholders back to values; unknown ones reported, never guessed."""

import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.engine.model import PlaceholderMap
from app.engine.restore import plan_restore, restore_text
from app.engine.vault import Vault

from .restore_corpus import build_corpus, detection_recall, fake_cccd, round_trip

NAME = "Nguyễn Thị Hồng Nhung"
CCCD = "079190000123"
PHONE = "0912 345 678"
ADDRESS = "số 12 phố Hàng Bài, Hoàn Kiếm, Hà Nội"


@pytest.fixture
def vault():
    v = Vault(None)
    v.placeholder_for("HỌ_TÊN", "VN_PERSON", NAME)
    v.placeholder_for("CCCD", "VN_CCCD", CCCD)
    v.placeholder_for("SĐT", "PHONE_NUMBER", PHONE)
    v.placeholder_for("ĐỊA_CHỈ", "VN_ADDRESS", ADDRESS)
    return v


@pytest.mark.parametrize("answer, expected", [
    ("[HỌ_TÊN_1]", NAME),
    ("HỌ_TÊN_1", NAME),
    ("[Họ_Tên_1]", NAME),
    ("[HO_TEN_1]", NAME),
    ("[ho_ten_1]", NAME),
    ("[ HỌ TÊN 1 ]", NAME),
    ("[HỌ TÊN_1]", NAME),
    ("[HỌ_TÊN 1]", NAME),
    ("**[HỌ_TÊN_1]**", f"**{NAME}**"),
    ("**HỌ_TÊN_1**", f"**{NAME}**"),
    ("[**HỌ_TÊN_1**]", NAME),
    ("__[HỌ_TÊN_1]__", f"__{NAME}__"),
    ("【HỌ_TÊN_1】", NAME),
    ("[[HỌ_TÊN_1]]", NAME),
    ("{HỌ_TÊN_1}", NAME),
    ("{{HỌ_TÊN_1}}", NAME),
    ("(HỌ_TÊN_1)", NAME),
    ("<HỌ_TÊN_1>", NAME),
    ("[SDT_1]", PHONE),
    ("[DIA_CHI_1]", ADDRESS),
    ("dia_chi_1", ADDRESS),
    ("[CCCD_01]", CCCD),
    (unicodedata.normalize("NFD", "[HỌ_TÊN_1]"), NAME),
    ("| 1 | [HỌ_TÊN_1] | [CCCD_1] |", f"| 1 | {NAME} | {CCCD} |"),
    ("<td>HỌ_TÊN_1</td>", f"<td>{NAME}</td>"),
    ("Ông [HỌ_TÊN_1], CCCD [CCCD_1].", f"Ông {NAME}, CCCD {CCCD}."),
])
def test_chatbot_forms_are_restored(vault, answer, expected):
    result = restore_text(answer, vault)
    assert result.text == expected
    assert result.unknown == []
    assert result.restored_count >= 1


@pytest.mark.parametrize("prose", [
    "Điền họ tên 1 lần vào ô số 2.",       # ordinary words, no underscore before the number
    "Mục CCCD 1: bản sao.",
    "Bảng SĐT 1 và SĐT 2.",
    "[HỌ_TÊN_1x]",                          # not a whole placeholder
    "[HỌ_TÊN_12]",                          # another number
    "XHỌ_TÊN_1 và A_TÊN_1",                 # inside a longer word
])
def test_prose_and_near_misses_are_left_alone(vault, prose):
    assert restore_text(prose, vault).text == prose


def test_a_shorter_label_does_not_match_inside_a_longer_one():
    v = Vault(None)
    v.placeholder_for("TÊN", "X", "Mơ")
    result = restore_text("[HỌ_TÊN_1] và [TÊN_1]", v)
    assert result.text == "[HỌ_TÊN_1] và Mơ"
    assert result.unknown == ["[HỌ_TÊN_1]"]


def test_unknown_placeholders_are_kept_and_reported(vault):
    answer = "Gửi [HỌ_TÊN_1] và [HỌ_TÊN_7], [MST_2] cùng **ĐỊA_CHỈ_4** và [HỌ_TÊN_7]."
    result = restore_text(answer, vault)
    assert result.text == f"Gửi {NAME} và [HỌ_TÊN_7], [MST_2] cùng **ĐỊA_CHỈ_4** và [HỌ_TÊN_7]."
    assert result.unknown == ["[HỌ_TÊN_7]", "[ĐỊA_CHỈ_4]", "[MST_2]"]
    assert result.expired == []
    assert result.restored == {"[HỌ_TÊN_1]": 1}


def test_placeholders_from_another_vault_are_never_guessed(engine):
    ours, theirs = Vault(None), Vault(None)
    with theirs.recording():
        answer = engine.redact(f"CCCD {fake_cccd(__import__('random').Random(5))}",
                               placeholders=theirs).text
    with ours.recording():
        engine.redact("Email lan.tran@example.vn", placeholders=ours)
    result = restore_text(answer, ours)
    assert result.text == answer == "CCCD [CCCD_1]"
    assert result.unknown == ["[CCCD_1]"] and result.restored == {}


def test_values_are_inserted_once_and_never_rescanned():
    v = Vault(None)
    v.placeholder_for("GHI_CHÚ", "X", "xem [GHI_CHÚ_1]")  # a value that looks like a placeholder
    assert restore_text("[GHI_CHÚ_1]", v).text == "xem [GHI_CHÚ_1]"


def test_a_plain_placeholder_map_works_too():
    pm = PlaceholderMap()
    pm.placeholder_for("EMAIL", "EMAIL_ADDRESS", "a.b@example.vn")
    plan, result = plan_restore("Gửi EMAIL_1 nhé", pm)
    assert [(s, e, p) for s, e, p, _v in plan] == [(4, 11, "[EMAIL_1]")]
    assert restore_text("Gửi EMAIL_1 nhé", pm).text == "Gửi a.b@example.vn nhé"


def test_round_trip_on_the_labelled_corpus(engine):
    corpus = build_corpus(60)
    figures = round_trip(engine, corpus, Vault(None))
    assert figures["texts"] == 60 and figures["values"] >= 300
    assert figures["redacted"] >= 0.9 * figures["values"]
    assert figures["unknown_reported"] == 0
    assert figures["fully_restored"] >= 0.99, figures["per_form"]
    assert min(figures["per_form"].values()) >= 0.95, figures["per_form"]


def test_corpus_values_are_labelled_and_detected(engine):
    # Guards the corpus itself: if the engine stopped redacting these, the round trip
    # above would test little.
    assert detection_recall(engine, build_corpus(20)) >= 0.9


# -- property: restore(redact(x)) == x ------------------------------------------------------
_filler = st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếệọụ "
                                                "ABCĐEHKLMNOPTUV.,;:!?()-\n0123")),
                  max_size=25)


@st.composite
def _texts(draw):
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        pieces.append(draw(_filler))
        kind = draw(st.sampled_from(["cccd", "phone", "email", "none"]))
        if kind == "cccd":
            pieces.append(" CCCD " + fake_cccd(__import__("random").Random(draw(st.integers()))))
        elif kind == "phone":
            pieces.append(" SĐT 09" + "".join(draw(st.lists(st.sampled_from("0123456789"),
                                                            min_size=8, max_size=8))))
        elif kind == "email":
            user = draw(st.from_regex(r"[a-z]{2,8}(\.[a-z]{2,6})?", fullmatch=True))
            pieces.append(f" {user}@example.vn")
        pieces.append(" ")
    return "".join(pieces)


_shared = Vault(None)  # across examples: numbering goes on across entries


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(text=_texts())
def test_restore_inverts_redact(engine, text):
    findings = engine.analyze(text)
    assume(all(f.action == "redact" for f in findings))  # every finding is redacted
    with _shared.recording():
        redaction = engine.redact(text, findings=findings, placeholders=_shared)
    # One spelling per placeholder (two spellings of one value share it by design).
    spellings = {}
    for f in redaction.applied:
        key = _shared.placeholder_for(f.label, f.entity, f.text)
        spellings.setdefault(key, set()).add(f.text)
    assume(all(len(s) == 1 for s in spellings.values()))
    assume(not plan_restore(text, _shared)[0])  # the input holds no placeholder itself
    result = restore_text(redaction.text, _shared)
    assert result.text == text
    assert result.unknown == []
    assert result.restored_count == len(redaction.applied)
