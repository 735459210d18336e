"""The typed option registry (Qt-free): types, defaults, IT policy locks, storage."""

from __future__ import annotations

import json

import pytest

from app.settings import OPTIONS, SettingError, SettingLocked, Settings

NAMES = {"watch_clipboard", "clipboard_mode", "redact_types", "required_types", "output_folder",
         "language", "internal_mark_action", "allow_list", "allow_keep_finding", "rule_source",
         "rule_public_keys", "update_interval_minutes", "usage_report_folder", "vault_ttl_hours",
         "vault_memory_only", "macro_policy"}


def test_every_agreed_option_is_declared_with_its_default():
    assert set(OPTIONS) == NAMES
    s = Settings()
    assert s.get("watch_clipboard") is True
    assert s.get("clipboard_mode") == "offer"
    assert s.get("internal_mark_action") == "redact"
    assert s.get("update_interval_minutes") == 240
    assert s.get("vault_ttl_hours") == 10.0


def test_values_are_type_checked():
    s = Settings()
    with pytest.raises(SettingError):
        s.set("clipboard_mode", "always")
    with pytest.raises(SettingError):
        s.set("update_interval_minutes", 1)
    with pytest.raises(SettingError):
        s.set("watch_clipboard", "maybe")
    with pytest.raises(SettingError):
        s.set("no_such_option", 1)
    s.set("redact_types", "VN_CCCD; EMAIL_ADDRESS")
    assert s.get("redact_types") == ["VN_CCCD", "EMAIL_ADDRESS"]


def test_policy_locks_and_wins_over_user_choice(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"internal_mark_action": "warn", "language": "en"}), encoding="utf-8")
    s = Settings.load(path, policy={"internal_mark_action": "block", "watch_clipboard": 1})
    assert s.get("internal_mark_action") == "block"
    assert s.get("language") == "en"
    assert s.is_locked("internal_mark_action") and s.is_locked("watch_clipboard")
    assert not s.is_locked("language")
    with pytest.raises(SettingLocked):
        s.set("internal_mark_action", "redact")


def test_invalid_policy_value_locks_the_option(caplog):
    s = Settings(policy={"clipboard_mode": "sometimes", "unknown": 3})
    assert s.is_locked("clipboard_mode") and s.get("clipboard_mode") == "offer"
    assert "sometimes" not in caplog.text  # names only, never values


def test_save_keeps_user_values_only_and_round_trips(tmp_path):
    path = tmp_path / "sub" / "settings.json"
    s = Settings(policy={"macro_policy": "keep"}, path=path)
    s.set("output_folder", "D:/Đã che")
    s.set("allow_list", ["0100109106"])
    s.save()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {"output_folder": "D:/Đã che", "allow_list": ["0100109106"]}
    again = Settings.load(path, policy={})
    assert again.get("output_folder") == "D:/Đã che" and again.get("macro_policy") == "remove"


def test_broken_or_wrong_saved_values_fall_back(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert Settings.load(path, policy={}).get("watch_clipboard") is True
    path.write_text(json.dumps({"watch_clipboard": "x", "clipboard_mode": "replace"}), encoding="utf-8")
    s = Settings.load(path, policy={})
    assert s.get("watch_clipboard") is True and s.get("clipboard_mode") == "replace"


def test_listeners_hear_effective_changes():
    s = Settings()
    heard = []
    s.subscribe(heard.append)
    s.set("language", "en")
    s.set("language", "en")
    s.apply_policy({"watch_clipboard": False})
    assert heard == ["language", "watch_clipboard"]


def test_engine_policy_fields():
    s = Settings(policy={"internal_mark_action": "block"})
    s.set("redact_types", ["VN_CCCD"])
    s.set("required_types", ["EMAIL_ADDRESS"])
    fields = s.engine_policy_fields({"VN_CCCD", "EMAIL_ADDRESS", "PHONE_NUMBER", "VN_SECRET_MARK"})
    assert fields["disabled"] == {"PHONE_NUMBER"}
    assert fields["actions"] == {"VN_INTERNAL_MARK": "block"}
    assert fields["required"] == {"EMAIL_ADDRESS"}


def test_engine_built_from_settings_respects_redact_types():
    from app.desktop.engine_host import build_engine

    s = Settings()
    s.set("redact_types", ["EMAIL_ADDRESS"])
    engine = build_engine(s)
    found = {f.entity for f in engine.analyze("CCCD 001080000001, email an@example.vn")}
    assert found == {"EMAIL_ADDRESS"}
