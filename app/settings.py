"""The typed option registry: every user-visible setting, its type, default and title.

Qt-free, so the CLI and the tray read the same options. Three layers decide a value:
IT policy (locked, shown disabled) > the user's saved choice > the declared default.
The policy layer is a plain ``{option name: value}`` dict (what
``app.updates.policy.read_policy()`` returns); settings never reads the registry or
policy files itself.

User choices are stored as human-readable JSON in the user data folder (IT can read
it), written atomically. Unknown or invalid saved values fall back to the default and
are reported by option name only.

    settings = Settings.load(policy={"internal_mark_action": "block"})
    settings.get("watch_clipboard")          # True
    settings.is_locked("internal_mark_action")  # True
    settings.set("language", "en"); settings.save()
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.i18n import N_

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"


class SettingError(ValueError):
    """A value that does not fit its option (message names the option, never user data)."""


class SettingLocked(SettingError):
    """The option is set by IT policy and cannot be changed here."""


@dataclass(frozen=True)
class Option:
    """One declared setting. ``title`` is a Vietnamese message id, translated when shown."""

    name: str
    default: Any
    title: str
    kind: str  # bool | choice | text | list | int | float
    choices: tuple[str, ...] = ()
    choice_titles: Mapping[str, str] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    user_visible: bool = True

    def coerce(self, value: Any) -> Any:
        """``value`` as this option's type, or SettingError."""
        checker = _COERCERS[self.kind]
        try:
            result = checker(self, value)
        except (TypeError, ValueError) as exc:
            raise SettingError(f"{self.name}: {exc}") from None
        return result


def _bool(opt: Option, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):  # registry DWORDs
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {"true", "1", "yes", "on"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"false", "0", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def _choice(opt: Option, value: Any) -> str:
    if not isinstance(value, str) or value not in opt.choices:
        raise ValueError(f"expected one of {', '.join(opt.choices)}")
    return value


def _text(opt: Option, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _list(opt: Option, value: Any) -> list[str]:
    if isinstance(value, str):  # a policy may give "a;b;c"
        value = [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of text")
    return list(dict.fromkeys(value))


def _number(cast: Callable[[Any], Any]) -> Callable[[Option, Any], Any]:
    def check(opt: Option, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("expected a number")
        number = cast(value)
        if opt.minimum is not None and number < opt.minimum:
            raise ValueError(f"must be at least {opt.minimum}")
        if opt.maximum is not None and number > opt.maximum:
            raise ValueError(f"must be at most {opt.maximum}")
        return number

    return check


_COERCERS: dict[str, Callable[[Option, Any], Any]] = {
    "bool": _bool, "choice": _choice, "text": _text, "list": _list,
    "int": _number(int), "float": _number(float),
}

OPTIONS: dict[str, Option] = {}


def declare(option: Option) -> Option:
    option.coerce(option.default)  # a wrong default is a programming error: fail at import
    OPTIONS[option.name] = option
    return option


declare(Option("watch_clipboard", True, N_("Theo dõi clipboard"), "bool"))
declare(Option("clipboard_mode", "offer", N_("Khi phát hiện dữ liệu nhạy cảm"), "choice",
               choices=("offer", "replace"),
               choice_titles={"offer": N_("Hỏi trước khi thay bản đã che"),
                              "replace": N_("Tự động thay bằng bản đã che")}))
declare(Option("redact_types", [], N_("Loại dữ liệu cần che"), "list"))
declare(Option("required_types", [], N_("Loại dữ liệu luôn phải che"), "list"))
declare(Option("output_folder", "", N_("Thư mục lưu bản đã che"), "text"))
declare(Option("language", "vi", N_("Ngôn ngữ"), "choice", choices=("vi", "en"),
               choice_titles={"vi": N_("Tiếng Việt"), "en": N_("Tiếng Anh (English)")}))
declare(Option("internal_mark_action", "redact", N_("Dấu nội bộ (LƯU HÀNH NỘI BỘ…)"), "choice",
               choices=("redact", "warn", "block"),
               choice_titles={"redact": N_("Che dấu và báo cho người dùng"),
                              "warn": N_("Chỉ cảnh báo"),
                              "block": N_("Chặn, không cho sao chép")}))
declare(Option("allow_list", [], N_("Giá trị không bao giờ che"), "list"))
declare(Option("allow_keep_finding", True, N_("Cho phép giữ lại một mục đã phát hiện"), "bool"))
declare(Option("rule_source", "", N_("Nguồn cập nhật bộ quy tắc"), "text"))
declare(Option("rule_public_keys", [], N_("Khóa công khai của bộ quy tắc"), "list"))
declare(Option("update_interval_minutes", 240, N_("Chu kỳ kiểm tra cập nhật (phút)"), "int",
               minimum=5, maximum=7 * 24 * 60))
declare(Option("usage_report_folder", "", N_("Thư mục báo cáo thống kê"), "text"))
declare(Option("vault_ttl_hours", 10.0, N_("Giữ bảng khôi phục trong (giờ)"), "float",
               minimum=0.0, maximum=24.0 * 30))
declare(Option("vault_memory_only", False, N_("Chỉ giữ bảng khôi phục trong bộ nhớ"), "bool"))
declare(Option("macro_policy", "remove", N_("Macro trong tệp Office"), "choice",
               choices=("remove", "keep"),
               choice_titles={"remove": N_("Gỡ bỏ macro"), "keep": N_("Giữ macro")}))

# Entity ids shown in settings and reports; titles are Vietnamese message ids.
ENTITY_TITLES: dict[str, str] = {
    "VN_PERSON": N_("Họ tên"),
    "VN_CCCD": N_("Số CCCD / định danh"),
    "VN_CMND": N_("Số CMND"),
    "VN_PASSPORT": N_("Số hộ chiếu"),
    "VN_TAX_CODE": N_("Mã số thuế"),
    "VN_SOCIAL_INSURANCE": N_("Mã số BHXH"),
    "VN_HEALTH_INSURANCE": N_("Mã thẻ BHYT"),
    "VN_DRIVER_LICENSE": N_("Số giấy phép lái xe"),
    "VN_VEHICLE_PLATE": N_("Biển số xe"),
    "VN_BANK_ACCOUNT": N_("Số tài khoản ngân hàng"),
    "CREDIT_CARD": N_("Số thẻ thanh toán"),
    "PHONE_NUMBER": N_("Số điện thoại"),
    "EMAIL_ADDRESS": N_("Địa chỉ email"),
    "SOCIAL_PROFILE": N_("Trang cá nhân mạng xã hội"),
    "VN_ADDRESS": N_("Địa chỉ"),
    "VN_DOB": N_("Ngày sinh"),
    "VN_DATE_PERSONAL": N_("Ngày mất / mất tích"),
    "IP_ADDRESS": N_("Địa chỉ IP"),
    "GEO_COORD": N_("Tọa độ"),
    "VN_SECRET_MARK": N_("Dấu mật (bí mật nhà nước)"),
    "VN_INTERNAL_MARK": N_("Dấu nội bộ"),
    "VN_INTERNAL_MENTION": N_("Nhắc đến tài liệu nội bộ"),
    "CREDENTIAL_PASSWORD": N_("Mật khẩu"),
    "CREDENTIAL_TOKEN": N_("Khóa / mã truy cập"),
}


def entity_title(entity: str) -> str:
    """A readable name for an entity id (translated), or the id itself."""
    from app.i18n import _

    title = ENTITY_TITLES.get(entity)
    return _(title) if title else entity


def settings_path() -> Path:
    from app.paths import user_data_dir

    return user_data_dir() / SETTINGS_FILE


class Settings:
    def __init__(self, values: Mapping[str, Any] | None = None,
                 policy: Mapping[str, Any] | None = None, path: Path | None = None) -> None:
        self.path = path
        self._user: dict[str, Any] = {}
        self._policy: dict[str, Any] = {}
        self._listeners: list[Callable[[str], None]] = []
        for name, value in (values or {}).items():
            self._load_user_value(name, value)
        self.apply_policy(policy or {})

    # -- reading --------------------------------------------------------------------
    def get(self, name: str) -> Any:
        option = OPTIONS[name]
        for layer in (self._policy, self._user):
            if name in layer:
                return _copy(layer[name])
        return _copy(option.default)

    def is_locked(self, name: str) -> bool:
        OPTIONS[name]  # noqa: B018  (unknown names are a programming error)
        return name in self._policy

    def locked_names(self) -> set[str]:
        return set(self._policy)

    def as_dict(self) -> dict[str, Any]:
        return {name: self.get(name) for name in OPTIONS}

    # -- changing -------------------------------------------------------------------
    def set(self, name: str, value: Any) -> None:
        option = OPTIONS.get(name)
        if option is None:
            raise SettingError(f"unknown option '{name}'")
        if name in self._policy:
            raise SettingLocked(f"{name}: set by IT policy")
        coerced = option.coerce(value)
        if name in self._user and self._user[name] == coerced:
            return
        self._user[name] = coerced
        self._notify(name)

    def apply_policy(self, policy: Mapping[str, Any]) -> None:
        """Replace the IT policy layer. A policy value that does not fit its option locks
        the option at its default (fail closed: the user cannot loosen a broken policy)."""
        previous = dict(self._policy)
        self._policy = {}
        for name, value in policy.items():
            option = OPTIONS.get(name)
            if option is None:
                log.warning("policy names an unknown option: %s", name)
                continue
            try:
                self._policy[name] = option.coerce(value)
            except SettingError:
                log.warning("policy value for %s is invalid; locked at the default", name)
                self._policy[name] = _copy(option.default)
        for name in set(previous) | set(self._policy):
            if previous.get(name, _MISSING) != self._policy.get(name, _MISSING):
                self._notify(name)

    def subscribe(self, listener: Callable[[str], None]) -> None:
        """``listener(option_name)`` after every change of an effective value."""
        self._listeners.append(listener)

    def _notify(self, name: str) -> None:
        for listener in list(self._listeners):
            listener(name)

    def _load_user_value(self, name: str, value: Any) -> None:
        option = OPTIONS.get(name)
        if option is None:
            return  # an option from a newer or older version: ignore, keep the file readable
        try:
            self._user[name] = option.coerce(value)
        except SettingError:
            log.warning("saved value for %s is invalid; using the default", name)

    # -- storage --------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | None = None, policy: Mapping[str, Any] | None = None) -> Settings:
        """The user's saved settings under ``policy`` (default: whatever IT policy says)."""
        path = path or settings_path()
        values: dict[str, Any] = {}
        try:
            with path.open(encoding="utf-8") as handle:
                data = json.load(handle)
            if isinstance(data, dict):
                values = data
        except FileNotFoundError:
            pass
        except (OSError, ValueError):
            log.warning("settings file unreadable; using defaults")
        if policy is None:
            policy = read_it_policy()
        return cls(values, policy, path)

    def save(self) -> None:
        """Write the user's own choices (never the policy values) atomically."""
        from app.textio import write_atomic

        data = json.dumps(self._user, ensure_ascii=False, indent=2, sort_keys=True)
        write_atomic(self.path or settings_path(), data.encode("utf-8"))

    # -- what the engine needs ------------------------------------------------------
    def engine_policy_fields(self, known_entities: Iterable[str] = ()) -> dict[str, Any]:
        """Keyword arguments for ``app.engine.Policy``, from the effective values (user
        choices under IT's locks). One mapping for the tray and the CLI: it is
        ``app.updates.policy.engine_policy`` (stamps can never be disabled)."""
        from app.updates.policy import engine_policy

        policy = engine_policy(self.as_dict(), set(known_entities))
        return {"actions": policy.actions, "disabled": policy.disabled,
                "required": policy.required, "allow": policy.allow}


_MISSING = object()


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


_current: Settings | None = None


def current() -> Settings:
    """The process-wide settings (loaded once, with IT policy)."""
    global _current
    if _current is None or (_current.path is not None and _current.path != settings_path()):
        _current = Settings.load()
    return _current


def set_current(settings: Settings | None) -> None:
    """Make ``settings`` the process-wide instance (the tray's; tests)."""
    global _current
    _current = settings


def get(name: str) -> Any:
    """The effective value of option ``name`` in the process-wide settings."""
    return current().get(name)


def read_it_policy() -> dict[str, Any]:
    """IT policy from ``app.updates.policy`` when present (it returns a plain dict)."""
    try:
        from app.updates.policy import read_policy
    except ImportError:
        return {}
    try:
        return dict(read_policy())
    except Exception:  # a broken policy source must not stop the app; log without values
        log.exception("reading IT policy failed")
        return {}
