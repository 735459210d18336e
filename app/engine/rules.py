"""Rule packs: YAML data validated on load.

A pack is a folder with ``pack.yaml`` (id, version, the rule files, allow-list) and the
rule files it names. Loading fails closed: any error names the file, the rule and the
field, and no engine is built from a pack with an error (never "fewer rules, silently").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from app import yamlsafe

from .model import ACTIONS

PACK_FILE = "pack.yaml"
MAX_RULE_FILE_BYTES = 2_000_000

# Overlap priority when spans of different types collide (spec §7): a stamp beats
# everything, a credential beats the numbers inside it, explicit IDs beat shapes.
DEFAULT_PRIORITY = {
    "VN_SECRET_MARK": 100,
    "PRIVATE_KEY": 95,
    "CONNECTION_STRING": 94,
    "CREDENTIAL_TOKEN": 93,
    "CREDENTIAL_PASSWORD": 92,
    "CREDENTIAL_USERNAME": 91,
    "OTP": 90,
    "VN_INTERNAL_MARK": 88,
    "EN_CLASSIFICATION": 87,
    "VN_SECRET_SUSPECT": 86,
    "VN_INTERNAL_MENTION": 85,
    "EMAIL_ADDRESS": 80,
    "SOCIAL_PROFILE": 79,
    "VN_HEALTH_INSURANCE": 78,
    "VN_CCCD": 76,
    "VN_DRIVER_LICENSE": 75,
    "VN_CMND": 74,
    "VN_PASSPORT": 73,
    "VN_SOCIAL_INSURANCE": 72,
    "VN_TAX_CODE": 70,
    "CREDIT_CARD": 69,
    "PHONE_NUMBER": 68,
    "VN_BANK_ACCOUNT": 66,
    "VN_VEHICLE_PLATE": 64,
    "IP_ADDRESS": 62,
    "INTERNAL_NETWORK": 61,
    "VN_ADDRESS": 50,
    "VN_DOB": 48,
    "VN_DATE_PERSONAL": 47,
    "VN_PERSON": 45,
}
FALLBACK_PRIORITY = 40

RULE_KEYS = {
    "id", "entity", "label", "action", "kind", "score", "context_score", "patterns",
    "context", "validator", "priority", "notify", "options", "description", "enabled",
}
PACK_KEYS = {"id", "version", "name", "description", "min_app_version", "files", "allow"}
PATTERN_KEYS = {"name", "regex", "score", "flags"}
FLAG_NAMES = {"IGNORECASE": regex.IGNORECASE, "MULTILINE": regex.MULTILINE,
              "DOTALL": regex.DOTALL, "VERBOSE": regex.VERBOSE}


class RulePackError(ValueError):
    """A pack that must not be used; the message names file, rule and field."""


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: str
    score: float | None = None
    flags: int = 0


@dataclass(frozen=True)
class Rule:
    id: str
    entity: str
    label: str
    action: str
    kind: str = "pattern"
    score: float = 0.6
    context_score: float | None = None
    patterns: tuple[Pattern, ...] = ()
    context: tuple[str, ...] = ()
    validator: str | None = None
    priority: int = FALLBACK_PRIORITY
    notify: bool = False
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    source: str = ""


@dataclass
class RulePack:
    id: str
    version: str
    path: Path
    rules: list[Rule]
    allow: list[str] = field(default_factory=list)
    name: str = ""
    min_app_version: str = ""
    files: list[str] = field(default_factory=list)


def default_pack_dir() -> Path:
    from app.paths import rules_dir

    return rules_dir() / "default"


def _fail(where: str, message: str) -> RulePackError:
    return RulePackError(f"{where}: {message}")


def _read_yaml(path: Path) -> Any:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _fail(str(path), f"cannot read ({exc.strerror})") from None
    if size > MAX_RULE_FILE_BYTES:
        raise _fail(str(path), f"file is {size} bytes, over the {MAX_RULE_FILE_BYTES} limit")
    try:
        with path.open("rb") as handle:
            return yamlsafe.load(handle)
    except yamlsafe.YAMLError as exc:
        raise _fail(str(path), f"not valid YAML ({exc})") from None
    except UnicodeDecodeError:
        raise _fail(str(path), "not UTF-8 text") from None


def load_pack(folder: str | Path, *, known_kinds: set[str] | None = None,
              known_validators: set[str] | None = None) -> RulePack:
    """Load and validate a pack folder. Raises RulePackError on the first problem."""
    folder = Path(folder)
    meta_path = folder / PACK_FILE
    if not meta_path.is_file():
        raise _fail(str(folder), f"no {PACK_FILE} in this folder")
    meta = _read_yaml(meta_path)
    if not isinstance(meta, dict):
        raise _fail(str(meta_path), "must be a mapping with id, version and files")
    unknown = set(meta) - PACK_KEYS
    if unknown:
        raise _fail(str(meta_path), f"unknown field(s): {', '.join(sorted(unknown))}")
    for key in ("id", "version", "files"):
        if key not in meta:
            raise _fail(str(meta_path), f"field '{key}' is missing")
    pack_id, version = str(meta["id"]), str(meta["version"])
    files = meta["files"]
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise _fail(str(meta_path), "field 'files' must be a non-empty list of file names")
    allow = meta.get("allow") or []
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        raise _fail(str(meta_path), "field 'allow' must be a list of strings")

    rules: list[Rule] = []
    seen: set[str] = set()
    for name in files:
        if "/" in name or "\\" in name or name.startswith("."):
            raise _fail(str(meta_path), f"file name '{name}' must be a plain name in the pack folder")
        path = folder / name
        data = _read_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            raise _fail(str(path), "must be a mapping with a 'rules' list")
        extra = set(data) - {"rules", "description"}
        if extra:
            raise _fail(str(path), f"unknown top-level field(s): {', '.join(sorted(extra))}")
        for index, raw in enumerate(data["rules"]):
            rule = _parse_rule(raw, f"{path} rule #{index + 1}", known_kinds, known_validators)
            if rule is None:
                continue
            if rule.id in seen:
                raise _fail(f"{path} rule '{rule.id}'", "id is used twice in this pack")
            seen.add(rule.id)
            rules.append(rule)
    if not rules:
        raise _fail(str(folder), "the pack has no enabled rules")
    return RulePack(id=pack_id, version=version, path=folder, rules=rules, allow=list(allow),
                    name=str(meta.get("name", "")),
                    min_app_version=str(meta.get("min_app_version", "")), files=list(files))


def _number(value: Any, where: str, name: str, low: float = 0.0, high: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(where, f"field '{name}' must be a number")
    if not low <= float(value) <= high:
        raise _fail(where, f"field '{name}' must be between {low} and {high}")
    return float(value)


def _strings(value: Any, where: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(where, f"field '{name}' must be a list of non-empty strings")
    return tuple(value)


def _parse_rule(raw: Any, where: str, known_kinds: set[str] | None,
                known_validators: set[str] | None) -> Rule | None:
    if not isinstance(raw, dict):
        raise _fail(where, "a rule must be a mapping")
    if isinstance(raw.get("id"), str):
        where = f"{where.rsplit(' rule #', 1)[0]} rule '{raw['id']}'"
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise _fail(where, f"unknown field(s): {', '.join(sorted(unknown))}")
    for key in ("id", "entity", "label", "action"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _fail(where, f"field '{key}' is missing or not text")
    if not regex.fullmatch(r"[a-z0-9][a-z0-9._-]*", raw["id"]):
        raise _fail(where, "field 'id' must be lowercase letters, digits, '.', '_' or '-'")
    if not regex.fullmatch(r"[A-Z][A-Z0-9_]*", raw["entity"]):
        raise _fail(where, "field 'entity' must be UPPER_SNAKE_CASE")
    if not regex.fullmatch(r"[\p{Lu}0-9_]+", raw["label"]):
        raise _fail(where, "field 'label' must be uppercase letters, digits or '_' (e.g. HỌ_TÊN)")
    if raw["action"] not in ACTIONS:
        raise _fail(where, f"field 'action' must be one of {', '.join(ACTIONS)}")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _fail(where, "field 'enabled' must be true or false")
    kind = raw.get("kind", "pattern")
    if not isinstance(kind, str):
        raise _fail(where, "field 'kind' must be text")
    if known_kinds is not None and kind not in known_kinds:
        raise _fail(where, f"field 'kind': unknown recognizer kind '{kind}'")
    validator = raw.get("validator")
    if validator is not None and (not isinstance(validator, str) or (
            known_validators is not None and validator not in known_validators)):
        raise _fail(where, f"field 'validator': unknown validator '{validator}'")
    score = _number(raw.get("score", 0.6), where, "score")
    context_score = raw.get("context_score")
    if context_score is not None:
        context_score = _number(context_score, where, "context_score")
    patterns = _parse_patterns(raw.get("patterns"), where)
    if kind == "pattern" and not patterns:
        raise _fail(where, "field 'patterns': a pattern rule needs at least one pattern")
    options = raw.get("options") or {}
    if not isinstance(options, dict):
        raise _fail(where, "field 'options' must be a mapping")
    notify = raw.get("notify", False)
    if not isinstance(notify, bool):
        raise _fail(where, "field 'notify' must be true or false")
    priority = raw.get("priority", DEFAULT_PRIORITY.get(raw["entity"], FALLBACK_PRIORITY))
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise _fail(where, "field 'priority' must be a whole number")
    if not enabled:
        return None
    return Rule(id=raw["id"], entity=raw["entity"], label=raw["label"], action=raw["action"],
                kind=kind, score=score, context_score=context_score, patterns=patterns,
                context=_strings(raw.get("context"), where, "context"), validator=validator,
                priority=priority, notify=notify, options=dict(options), source=where)


def _parse_patterns(value: Any, where: str) -> tuple[Pattern, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(where, "field 'patterns' must be a list")
    patterns = []
    for index, item in enumerate(value):
        here = f"{where} pattern #{index + 1}"
        if not isinstance(item, dict) or not isinstance(item.get("regex"), str):
            raise _fail(here, "a pattern needs a 'regex' text field")
        unknown = set(item) - PATTERN_KEYS
        if unknown:
            raise _fail(here, f"unknown field(s): {', '.join(sorted(unknown))}")
        flags = 0
        for flag in item.get("flags", []) or []:
            if flag not in FLAG_NAMES:
                raise _fail(here, f"field 'flags': unknown flag '{flag}'")
            flags |= FLAG_NAMES[flag]
        try:
            regex.compile(item["regex"], flags)
        except regex.error as exc:
            raise _fail(here, f"field 'regex' does not compile ({exc})") from None
        score = item.get("score")
        if score is not None:
            score = _number(score, here, "score")
        patterns.append(Pattern(name=str(item.get("name", f"p{index + 1}")), regex=item["regex"],
                                score=score, flags=flags))
    return tuple(patterns)
