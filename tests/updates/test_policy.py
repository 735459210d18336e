"""IT policy: file and registry sources, validation, precedence over user settings, engine mapping."""

from __future__ import annotations

import pytest
from conftest import write_policy

from app.settings import Settings
from app.updates.policy import (
    REGISTRY_KEY,
    _registry_values,
    engine_policy,
    read_policy,
    read_policy_report,
    validate,
)


def test_no_policy_file_means_no_policy(policy_file):
    assert read_policy() == {}


def test_json_policy_is_read_and_typed(policy_file):
    write_policy(policy_file, {"internal_mark_action": "block", "allow_keep_finding": False,
                               "allow_list": ["Nguyễn Thị Thử"], "update_interval_minutes": "60",
                               "required_types": "VN_CCCD; VN_TAX_CODE"})
    policy = read_policy()
    assert policy == {"internal_mark_action": "block", "allow_keep_finding": False,
                      "allow_list": ["Nguyễn Thị Thử"], "update_interval_minutes": 60,
                      "required_types": ["VN_CCCD", "VN_TAX_CODE"]}


def test_yaml_policy_file(tmp_path, monkeypatch):
    path = tmp_path / "policy.yaml"
    path.write_text("rule_source: '\\\\srv\\giukin'\nwatch_clipboard: true\n", encoding="utf-8")
    monkeypatch.setenv("GIUKIN_POLICY_FILE", str(path))
    assert read_policy() == {"rule_source": "\\\\srv\\giukin", "watch_clipboard": True}


def test_unknown_option_is_reported_and_ignored(policy_file):
    write_policy(policy_file, {"telemetry": True, "watch_clipboard": False})
    values, problems = read_policy_report()
    assert values == {"watch_clipboard": False}
    assert any("telemetry" in p for p in problems)


def test_wrong_value_fails_closed_and_never_echoes_the_value(policy_file):
    write_policy(policy_file, {"internal_mark_action": "blokc", "allow_keep_finding": "maybe",
                               "update_interval_minutes": 1})
    values, problems = read_policy_report()
    assert values["internal_mark_action"] == "block"
    assert values["allow_keep_finding"] is False
    assert values["update_interval_minutes"] == 240  # no stricter side: the default
    assert len(problems) == 3
    assert not any("blokc" in p or "maybe" in p for p in problems)


def test_broken_policy_file_locks_fail_closed_values(policy_file):
    policy_file.parent.mkdir(parents=True, exist_ok=True)
    policy_file.write_text("{not json", encoding="utf-8")
    values, problems = read_policy_report()
    assert values["internal_mark_action"] == "block" and values["allow_keep_finding"] is False
    assert problems


def test_policy_beats_user_settings_and_locks_them(policy_file, tmp_path):
    write_policy(policy_file, {"internal_mark_action": "block", "rule_source": "\\\\srv\\share"})
    user = Settings.load(path=tmp_path / "settings.json")
    user.set("language", "en")
    with pytest.raises(Exception) as err:
        user.set("internal_mark_action", "warn")
    assert "policy" in str(err.value)
    user.save()
    again = Settings.load(path=tmp_path / "settings.json")
    assert again.get("internal_mark_action") == "block" and again.is_locked("internal_mark_action")
    assert again.get("rule_source") == "\\\\srv\\share"
    assert again.get("language") == "en" and not again.is_locked("language")


class FakeKey:
    def __init__(self, values, subkeys=None):
        self.values = values
        self.subkeys = subkeys or {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class FakeWinreg:
    """Just the winreg calls policy.py makes, over a dict (REG_SZ/DWORD/MULTI_SZ values)."""

    HKEY_LOCAL_MACHINE = "HKLM"

    def __init__(self, tree):
        self.tree = tree

    def OpenKey(self, parent, name):  # noqa: N802
        if parent == self.HKEY_LOCAL_MACHINE:
            if name not in self.tree:
                raise OSError("no key")
            return self.tree[name]
        if name not in parent.subkeys:
            raise OSError("no key")
        return parent.subkeys[name]

    def EnumValue(self, key, index):  # noqa: N802
        items = list(key.values.items())
        if index >= len(items):
            raise OSError("no more")
        name, value = items[index]
        return name, value, 1


def test_registry_values_from_the_admx_layout():
    tree = {REGISTRY_KEY: FakeKey(
        {"internal_mark_action": "warn", "allow_keep_finding": 0, "update_interval_minutes": 30,
         "rule_public_keys": ["AAAA", "BBBB"]},
        {"allow_list": FakeKey({"1": "Trần Văn Thử", "2": "Lê Thị Mẫu"})})}
    raw = _registry_values(FakeWinreg(tree), {"allow_list", "required_types", "rule_public_keys"})
    values, problems = validate(raw)
    assert values == {"internal_mark_action": "warn", "allow_keep_finding": False,
                      "update_interval_minutes": 30, "rule_public_keys": ["AAAA", "BBBB"],
                      "allow_list": ["Trần Văn Thử", "Lê Thị Mẫu"]}
    assert problems == []
    assert _registry_values(FakeWinreg({}), set()) == {}


def test_engine_policy_blocks_internal_markings_and_allows_listed_values(packs, keys):
    from app.engine import Engine, Verdict

    folder = packs.make("1")
    text = "LƯU HÀNH NỘI BỘ SỞ THỬ NGHIỆM. Cán bộ STN-123456, CCCD 001080000001."
    plain = Engine.from_folders([folder]).redact(text)
    assert plain.verdict == Verdict.REDACTED

    policy = engine_policy({"internal_mark_action": "block"})
    assert Engine.from_folders([folder], policy).redact(text).verdict == Verdict.BLOCKED

    allow = engine_policy({"allow_list": ["STN-123456"]})
    result = Engine.from_folders([folder], allow).redact(text)
    assert "STN-123456" in result.text and "001080000001" not in result.text


def test_engine_policy_redact_types_keeps_required_and_stamps():
    policy = engine_policy({"redact_types": ["VN_CCCD"], "required_types": ["VN_TAX_CODE"]},
                           known_entities={"VN_CCCD", "VN_TAX_CODE", "PHONE_NUMBER",
                                           "VN_SECRET_MARK"})
    assert policy.disabled == {"PHONE_NUMBER"}
    assert policy.required == {"VN_TAX_CODE"}
    assert engine_policy({}).disabled == set() and engine_policy({}).actions == {}


def test_registry_wins_over_the_policy_file(policy_file):
    write_policy(policy_file, {"internal_mark_action": "warn", "rule_source": "\\\\file\\share"})
    tree = {REGISTRY_KEY: FakeKey({"internal_mark_action": "block"})}
    values, problems = read_policy_report(FakeWinreg(tree))
    assert values == {"internal_mark_action": "block", "rule_source": "\\\\file\\share"}
    assert problems == []


def test_registry_read_failure_is_reported_not_raised(policy_file):
    class Broken(FakeWinreg):
        def OpenKey(self, parent, name):  # noqa: N802
            raise PermissionError("denied")

    class Exploding(FakeWinreg):
        def OpenKey(self, parent, name):  # noqa: N802
            raise RuntimeError("boom")

    assert read_policy_report(Broken({})) == ({}, [])  # no access = no policy key
    values, problems = read_policy_report(Exploding({}))
    assert values == {} and problems and "registry" in problems[0]
