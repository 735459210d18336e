"""IT policy: admin-owned option values that override (and lock) the user's settings.

Sources, later ones winning where both set an option:
1. a JSON or YAML file in the system config folder (every OS):
   Linux ``/etc/giukin/policy.json|yaml``, Windows ``%ProgramData%\\GiuKin\\policy.json|yaml``,
   macOS ``/Library/Application Support/GiuKin/policy.json|yaml``;
   ``GIUKIN_POLICY_FILE`` replaces the path (tests, pilots);
2. on Windows, ``HKLM\\Software\\Policies\\GiuKin`` (what the ADMX template writes).
   Lists are a subkey of numbered values (ADMX ``<list>``), a REG_MULTI_SZ, or "a;b" text.

Validation (documented for IT in docs/it.md):
- an unknown option name is reported and ignored (it cannot lock anything);
- a value of the wrong type or out of range is reported and the option is locked at its
  *fail-closed* value (e.g. internal markings blocked, "keep this finding" disabled), so a
  typo in a policy never hands the user a looser setting than IT meant.
Problems name the option only, never the value.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from app import yamlsafe

log = logging.getLogger(__name__)

REGISTRY_KEY = r"Software\Policies\GiuKin"
MAX_POLICY_BYTES = 1_000_000

# What an unreadable value locks to: the strict side, not the permissive default.
FAIL_CLOSED: dict[str, Any] = {
    "internal_mark_action": "block",
    "allow_keep_finding": False,
    "watch_clipboard": True,
    "clipboard_mode": "offer",
    "macro_policy": "remove",
    "vault_memory_only": True,
    "vault_ttl_hours": 1.0,
    "allow_list": [],
    "redact_types": [],
}
# Entities that no policy may switch off (a stamp must always block).
NEVER_DISABLED = {"VN_SECRET_MARK"}


def policy_file_candidates() -> list[Path]:
    override = os.environ.get("GIUKIN_POLICY_FILE")
    if override:
        return [Path(override)]
    if sys.platform == "win32":
        base = Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "GiuKin"
    elif sys.platform == "darwin":
        base = Path("/Library/Application Support/GiuKin")
    else:
        base = Path("/etc/giukin")
    return [base / "policy.json", base / "policy.yaml", base / "policy.yml"]


def _options() -> dict:
    from app.settings import OPTIONS

    return OPTIONS


def _read_file(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_POLICY_BYTES:
            problems.append(f"{path}: larger than {MAX_POLICY_BYTES} bytes, ignored")
            return {}
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot be read ({type(exc).__name__})")
        return {}
    try:
        data = json.loads(text) if path.suffix == ".json" else yamlsafe.load(text)
    except (ValueError, yamlsafe.YAMLError):
        problems.append(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}; "
                        "every option is locked at its fail-closed value")
        return {name: value for name, value in FAIL_CLOSED.items()}
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path}: must be a mapping of option names to values")
        return dict(FAIL_CLOSED)
    return data


def _check_owner(path: Path, problems: list[str]) -> None:
    """A policy file others can edit is no policy: say so (it is still applied)."""
    if os.name != "posix" or "GIUKIN_POLICY_FILE" in os.environ:
        return
    try:
        info = path.stat()
    except OSError:
        return
    if info.st_uid != 0 or info.st_mode & 0o022:
        problems.append(f"{path}: should be owned by root and writable by root only")


def _registry_values(winreg: Any, list_names: set[str]) -> dict[str, Any]:
    """Values under HKLM\\Software\\Policies\\GiuKin (``winreg`` passed in for tests)."""
    values: dict[str, Any] = {}
    try:
        key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, REGISTRY_KEY)
    except OSError:
        return values
    with key:
        index = 0
        while True:
            try:
                name, data, _kind = winreg.EnumValue(key, index)
            except OSError:
                break
            values[name] = data
            index += 1
        for name in list_names:  # ADMX <list> elements: a subkey with one value per item
            try:
                sub = winreg.OpenKey(key, name)
            except OSError:
                continue
            with sub:
                items, index = [], 0
                while True:
                    try:
                        _n, data, _kind = winreg.EnumValue(sub, index)
                    except OSError:
                        break
                    if isinstance(data, str) and data.strip():
                        items.append(data.strip())
                    index += 1
            values[name] = items
    return values


def read_policy_report(winreg_module: Any = None) -> tuple[dict[str, Any], list[str]]:
    """(option name -> validated value, problems in plain words).

    The registry is read on Windows (not when GIUKIN_POLICY_FILE points tests at a file);
    ``winreg_module`` lets tests stand in for it on any OS.
    """
    problems: list[str] = []
    raw: dict[str, Any] = {}
    for path in policy_file_candidates():
        if path.is_file():
            _check_owner(path, problems)
            raw.update(_read_file(path, problems))
            break
    if winreg_module is None and sys.platform == "win32" and "GIUKIN_POLICY_FILE" not in os.environ:
        import winreg as winreg_module
    if winreg_module is not None:
        try:
            lists = {n for n, o in _options().items() if o.kind == "list"}
            raw.update(_registry_values(winreg_module, lists))
        except Exception as exc:  # a broken registry read must not stop the app
            problems.append(f"registry: cannot be read ({type(exc).__name__})")
    return validate(raw, problems)


def validate(raw: dict[str, Any], problems: list[str] | None = None) -> tuple[dict[str, Any], list[str]]:
    from app.settings import SettingError

    problems = problems if problems is not None else []
    options = _options()
    result: dict[str, Any] = {}
    for name, value in raw.items():
        option = options.get(str(name))
        if option is None:
            problems.append(f"unknown option '{name}' ignored")
            continue
        try:
            result[option.name] = option.coerce(value)
        except SettingError as exc:
            reason = str(exc).split(": ", 1)[-1]
            problems.append(f"option '{name}': {reason}; locked at its fail-closed value")
            result[option.name] = FAIL_CLOSED.get(option.name, option.default)
    return result, problems


def read_policy() -> dict[str, object]:
    """The IT policy as ``{option name: value}``; problems are logged by option name."""
    values, problems = read_policy_report()
    for problem in problems:
        log.warning("IT policy: %s", problem)
    return values


def engine_policy(policy: dict[str, Any], known_entities: set[str] | None = None):
    """Map policy options onto ``app.engine.Policy``.

    ``redact_types`` (non-empty) disables the other entities; ``required_types`` are always
    redacted even when a rule would only warn; state-secret stamps are never disabled.
    """
    from app.engine import Policy

    redact = set(policy.get("redact_types") or [])
    required = set(policy.get("required_types") or [])
    disabled: set[str] = set()
    if redact:
        if known_entities is None:
            known_entities = _known_entities()
        disabled = {e for e in known_entities if e not in redact and e not in required}
    disabled -= NEVER_DISABLED
    actions = {}
    mark = policy.get("internal_mark_action")
    if mark in ("warn", "block"):  # "redact" is what the rules already do
        actions["VN_INTERNAL_MARK"] = mark
    return Policy(actions=actions, disabled=disabled, required=required,
                  allow=list(policy.get("allow_list") or []))


def _known_entities() -> set[str]:
    from app.engine.core import active_pack_folders
    from app.engine.rules import load_pack

    entities: set[str] = set()
    for folder in active_pack_folders():
        entities |= {rule.entity for rule in load_pack(folder).rules}
    return entities
