"""Rule packs are validated on load; a broken pack names file, rule and field, and no
engine is built from it."""

import shutil
from pathlib import Path

import pytest

from app.engine import Engine, Policy, RulePackError
from app.engine.rules import default_pack_dir


def make_pack(tmp_path: Path, rules_yaml: str, extra: str = "") -> Path:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        f"id: test-pack\nversion: '1'\nfiles: [r.yaml]\n{extra}", encoding="utf-8")
    (folder / "r.yaml").write_text(rules_yaml, encoding="utf-8")
    return folder


GOOD = """rules:
  - id: agency-code
    entity: AGENCY_CODE
    label: MÃ_CƠ_QUAN
    action: redact
    patterns: [{name: code, regex: 'HS-\\d{6}'}]
    score: 0.8
"""


def test_custom_pattern_rule_works_without_code(tmp_path):
    engine = Engine.from_folders([make_pack(tmp_path, GOOD)])
    result = engine.redact("Hồ sơ HS-123456 đã duyệt")
    assert result.text == "Hồ sơ [MÃ_CƠ_QUAN_1] đã duyệt"
    assert engine.version == "test-pack 1"


@pytest.mark.parametrize("broken,field", [
    (GOOD.replace("action: redact", "action: hide"), "action"),
    (GOOD.replace("entity: AGENCY_CODE", "entity: agency"), "entity"),
    (GOOD.replace("score: 0.8", "score: 3"), "score"),
    (GOOD.replace("'HS-\\d{6}'", "'HS-(\\d{6}'"), "regex"),
    (GOOD.replace("    score: 0.8", "    colour: red"), "colour"),
    (GOOD.replace("    patterns: [{name: code, regex: 'HS-\\d{6}'}]\n", ""), "patterns"),
    (GOOD + "    validator: nope\n", "validator"),
    (GOOD.replace("label: MÃ_CƠ_QUAN", "label: mã cơ quan"), "label"),
    (GOOD.replace("rules:", "rulez:"), "rules"),
    ("rules: [\n", "YAML"),
])
def test_broken_pack_names_the_problem(tmp_path, broken, field):
    folder = make_pack(tmp_path, broken)
    with pytest.raises(RulePackError) as error:
        Engine.from_folders([folder])
    message = str(error.value)
    assert "r.yaml" in message and field in message


def test_unknown_kind_and_option_are_errors(tmp_path):
    folder = make_pack(tmp_path, GOOD.replace("    score: 0.8", "    kind: magic"))
    with pytest.raises(RulePackError, match="kind"):
        Engine.from_folders([folder])


def test_missing_file_and_duplicate_ids(tmp_path):
    folder = make_pack(tmp_path, GOOD + GOOD.replace("rules:\n", ""))
    with pytest.raises(RulePackError, match="used twice"):
        Engine.from_folders([folder])
    (folder / "r.yaml").unlink()
    with pytest.raises(RulePackError, match="r.yaml"):
        Engine.from_folders([folder])


def test_default_pack_loads(engine):
    assert engine.packs[0].id == "giukin-default"
    assert len(engine.rules) >= 15


def test_broken_copy_of_default_pack_refuses_to_start(tmp_path):
    copy = tmp_path / "default"
    shutil.copytree(default_pack_dir(), copy)
    target = copy / "identifiers.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("action: redact", "action: hide", 1),
                      encoding="utf-8")
    with pytest.raises(RulePackError, match="identifiers.yaml.*vn-cccd.*action"):
        Engine.from_folders([copy])


def test_policy_allow_list_and_actions(tmp_path):
    folder = make_pack(tmp_path, GOOD, extra="allow: ['HS-000001']\n")
    engine = Engine.from_folders([folder], Policy(actions={"AGENCY_CODE": "block"},
                                                  allow=["HS-000002"]))
    assert engine.redact("HS-000001 và HS-000002").verdict.value == "clean"
    assert engine.redact("HS-123456").verdict.value == "blocked"
    engine = Engine.from_folders([folder], Policy(disabled={"AGENCY_CODE"}))
    assert engine.analyze("HS-123456") == []
