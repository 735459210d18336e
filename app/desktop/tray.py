"""The tray app: icon and menu, clipboard watch -> analysis -> popup -> safe copy.

Extension points (used by ``app/desktop/restore_flow.py``, owned by the restore helper):

* ``TrayApp.add_menu_action(action, section="restore")`` puts a QAction in a menu
  section (``"watch"``, ``"tools"``, ``"restore"``, ``"info"``), in call order.
* ``TrayApp.set_placeholder_handler(handler)``: ``handler(text) -> bool`` is called on
  the UI thread for each new clipboard text that contains placeholders such as
  ``[CCCD_1]`` (a chatbot answer), before any analysis. Return True when it took the
  text over (then no analysis and no popup happen), False to let the normal flow run.
  ``TrayApp.placeholder_probe(text) -> bool`` decides which texts reach the handler
  (default: ``analysis.looks_like_placeholders``); the restore flow may swap it.
* ``TrayApp.write_clipboard(text, html="", kind=b"restored")`` writes a content of ours:
  marked so the watcher ignores it, and excluded from Windows clipboard history/cloud.
* If a module ``app.desktop.restore_flow`` exists, its ``install(tray_app)`` is called
  once at start-up.
* ``app.desktop.analysis.placeholder_map_factory`` is where safe copies get their
  placeholder map (default: the restore vault's when installed, else a fresh map).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from app.i18n import _, set_language
from app.settings import Settings

from . import analysis as clip_analysis
from .analysis import (
    MAX_TEXT_CHARS,
    ClipAnalysis,
    analyze_clip,
    build_safe_copy,
    looks_like_placeholders,
)
from .clipboard import ClipboardWatcher, ClipContent
from .engine_host import EngineHost, build_engine
from .icons import app_icon
from .popup import COPY, DISMISS, REVIEW, UNDO, Popup
from .qt import (
    QAction,
    QApplication,
    QEvent,
    QGuiApplication,
    QMenu,
    QMessageBox,
    QObject,
    QSystemTrayIcon,
    Signal,
)
from .tasks import Background
from .texts import copied_body

log = logging.getLogger(__name__)

SECTIONS = ("watch", "tools", "restore", "info")


def record_event(event: str, by_type: dict[str, int] | None = None) -> None:
    """Usage counts (no values) through the updates helper's API, when it is installed."""
    try:
        from app.updates.usage import record_event as record
    except ImportError:
        return
    try:
        record(event, by_type)
    except Exception:  # counting must never break a copy
        log.warning("usage counter failed")


class TrayApp(QObject):
    analysis_ready = Signal(object)  # ClipAnalysis, after the popup decision (tests, benchmark)
    copied = Signal(object)  # SafeCopy written to the clipboard

    def __init__(self, settings: Settings, *, clipboard=None, show_tray: bool = True,
                 engine_factory: Callable[[Settings], Any] = build_engine) -> None:
        super().__init__()
        self.settings = settings
        self.runner = Background(1)  # engine build + clipboard analyses, in order
        self.files = Background(1)  # documents from the drop window
        self.engine_host = EngineHost(settings, self.runner, engine_factory)
        self.watcher = ClipboardWatcher(clipboard or QGuiApplication.clipboard())
        self.popup = Popup()
        self.current: ClipAnalysis | None = None
        self.original: ClipContent | None = None  # for "Hoàn tác"; memory only
        self.placeholder_handler: Callable[[str], bool] | None = None
        self.placeholder_probe: Callable[[str], bool] = looks_like_placeholders
        self._generation = 0
        self._closed = False
        self._review = None
        self._drop = None
        self._settings_dialog = None
        self._extra_actions: list[tuple[str, QAction]] = []
        self.tray: QSystemTrayIcon | None = None
        if show_tray and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon("busy"))
            self.tray.setToolTip("Giữ Kín")
            self.tray.activated.connect(self._on_tray_activated)
        self.menu = QMenu()
        self._build_menu()
        if self.tray is not None:
            self.tray.setContextMenu(self.menu)
        self.watcher.changed.connect(self.on_clip)
        self.popup.chosen.connect(self._on_popup)
        self.engine_host.ready.connect(lambda _engine: self._refresh_status())
        self.engine_host.failed.connect(self._on_engine_failed)
        settings.subscribe(self._on_setting)

    # -- start-up -------------------------------------------------------------------
    def start(self, warm_engine: bool = True) -> None:
        """Show the icon now; load the engine in the background."""
        if self.tray is not None:
            self.tray.show()
        if warm_engine:
            self.engine_host.start()
            # Open the restore vault off the UI thread too, so the first safe copy is quick.
            self.runner.run(clip_analysis.new_placeholder_map, lambda _map: None,
                            lambda _exc: log.warning("restore vault could not be opened"))
        self.watcher.set_enabled(bool(self.settings.get("watch_clipboard")))
        self._refresh_status()
        self._install_extensions()

    def _install_extensions(self) -> None:
        import importlib

        for name in ("app.desktop.restore_flow", "app.desktop.updates_flow"):
            try:
                importlib.import_module(name).install(self)
            except Exception:
                log.exception("%s failed to install", name)

    # -- menu -----------------------------------------------------------------------
    def _build_menu(self) -> None:
        menu = self.menu
        menu.clear()
        self._anchors: dict[str, QAction] = {}
        self.status_action = menu.addAction("")
        self.status_action.setEnabled(False)
        self.watch_action = menu.addAction(_("Theo dõi clipboard"))
        self.watch_action.setCheckable(True)
        self.watch_action.toggled.connect(self._on_watch_toggled)
        self.scan_action = menu.addAction(_("Kiểm tra clipboard ngay"))
        self.scan_action.triggered.connect(self.watcher.check_now)
        self._anchors["watch"] = menu.addSeparator()
        self.drop_action = menu.addAction(_("Kiểm tra tệp (kéo thả)…"))
        self.drop_action.triggered.connect(self.show_drop_window)
        self.review_action = menu.addAction(_("Xem lại đoạn vừa sao chép…"))
        self.review_action.triggered.connect(lambda: self.open_review(self.current))
        self._anchors["tools"] = menu.addSeparator()
        self._anchors["restore"] = menu.addSeparator()
        self.settings_action = menu.addAction(_("Cài đặt…"))
        self.settings_action.triggered.connect(self.show_settings)
        self.rules_action = menu.addAction("")
        self.rules_action.setEnabled(False)
        self.about_action = menu.addAction(_("Giới thiệu"))
        self.about_action.triggered.connect(self.show_about)
        self._anchors["info"] = menu.addSeparator()
        self.quit_action = menu.addAction(_("Thoát"))
        self.quit_action.triggered.connect(self.quit)
        for section, action in self._extra_actions:
            menu.insertAction(self._anchors[section], action)
        self._refresh_status()

    def add_menu_action(self, action: QAction, section: str = "restore") -> None:
        """Add ``action`` at the end of a menu section (see the module docstring)."""
        if section not in SECTIONS:
            raise ValueError(f"unknown menu section {section!r}")
        action.setParent(self)  # not the menu: rebuilding the menu (language) would delete it
        self._extra_actions.append((section, action))
        self.menu.insertAction(self._anchors[section], action)

    def _refresh_status(self) -> None:
        if self._closed:
            return  # late engine/settings signals after shutdown() find no menu
        watching = self.watcher.enabled
        self.watch_action.blockSignals(True)
        self.watch_action.setChecked(watching)
        self.watch_action.blockSignals(False)
        self.watch_action.setEnabled(not self.settings.is_locked("watch_clipboard"))
        if self.engine_host.engine is None and not self.engine_host.error:
            status, icon = _("Đang nạp bộ quy tắc…"), "busy"
        elif self.engine_host.error:
            status, icon = _("Lỗi: không nạp được bộ quy tắc"), "blocked"
        elif watching:
            status, icon = _("Đang theo dõi clipboard"), "on"
        else:
            status, icon = _("Đã tạm dừng theo dõi"), "off"
        self.status_action.setText(status)
        self.rules_action.setText(self.rules_text())
        if self.tray is not None:
            self.tray.setIcon(app_icon(icon))
            self.tray.setToolTip(f"Giữ Kín — {status}")

    def rules_text(self) -> str:
        version = self.engine_host.version or _("chưa nạp")
        text = _("Bộ quy tắc: {version}").format(version=version)
        if self.engine_host.engine is None:
            return text  # the update status imports the engine's modules: not before it is up
        info = update_status()
        if info.get("last_error"):
            text += " — " + _("lỗi cập nhật")
        elif info.get("expired"):
            text += " — " + _("Bộ quy tắc đã quá hạn")
        elif info.get("last_check"):
            text += " — " + _("kiểm tra lúc {time}").format(time=info["last_check"])
        return text

    def _on_watch_toggled(self, checked: bool) -> None:
        try:
            self.settings.set("watch_clipboard", checked)
            self.settings.save()
        except Exception:
            log.warning("watch_clipboard could not be changed")
            self._refresh_status()

    def _on_setting(self, name: str) -> None:
        if self._closed:
            return
        if name == "watch_clipboard":
            self.watcher.set_enabled(bool(self.settings.get("watch_clipboard")))
            self._refresh_status()
        elif name == "language":
            set_language(self.settings.get("language"))
            self._build_menu()

    def _on_engine_failed(self, message: str) -> None:
        if self._closed:
            return
        self._refresh_status()
        self.popup.show_info(_("Không nạp được bộ quy tắc"),
                             _("Giữ Kín chưa kiểm tra được clipboard. Hãy báo bộ phận CNTT."))

    def _on_tray_activated(self, reason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_drop_window()

    # -- clipboard flow -------------------------------------------------------------
    def set_placeholder_handler(self, handler: Callable[[str], bool] | None) -> None:
        """See the module docstring: the restore flow's hook for answers with placeholders."""
        self.placeholder_handler = handler

    def on_clip(self, content: ClipContent) -> None:
        """A new clipboard content (not ours): analyse it off the UI thread."""
        self._generation += 1
        generation = self._generation
        self.original = content
        if self.popup.isVisible() and self.popup.kind != "blocked":
            self.popup.hide()
        if (self.placeholder_handler is not None and len(content.text) <= MAX_TEXT_CHARS
                and self.placeholder_probe(content.text)
                and self.placeholder_handler(content.text)):
            return
        host = self.engine_host

        def work() -> ClipAnalysis | None:
            if generation != self._generation:
                return None  # a newer copy is queued behind this one: skip the stale work
            if host.engine is None:
                raise RuntimeError("engine not loaded")
            return analyze_clip(host.engine, content.text, content.html)

        self.runner.run(work, lambda result: self._on_analysis(generation, result),
                        lambda exc: self._on_analysis_failed(generation, exc))

    def _on_analysis_failed(self, generation: int, exc: BaseException) -> None:
        log.error("clipboard analysis failed: %s", type(exc).__name__)
        if generation == self._generation and not self._closed:
            self.popup.show_info(_("Chưa kiểm tra được clipboard"),
                                 _("Bộ quy tắc chưa sẵn sàng hoặc bị lỗi. Hãy thử lại sau giây lát."))

    def _on_analysis(self, generation: int, result: ClipAnalysis | None) -> None:
        if self._closed or result is None or generation != self._generation:
            return  # the user has copied something newer meanwhile
        verdict = result.verdict
        log.info("clipboard checked: %s, %s", verdict,
                 {k: v for k, v in result.counts_by_type().items()})
        record_event("clipboard_check")
        self.current = result if result.needs_attention else None
        if self.tray is not None:
            self.popup.anchor = self.tray.geometry()  # show the popup next to our icon
        if result.too_large:
            self.popup.show_info(_("Nội dung quá lớn để kiểm tra tự động"),
                                 _("Hãy dùng cửa sổ “Kiểm tra tệp” hoặc chia nhỏ đoạn văn."), 10)
        elif verdict == "blocked":
            record_event("block", {f.entity: 1 for f in result.blocks})
            self._set_icon("blocked")
            self.popup.show_blocked(result)
        elif verdict == "redacted":
            if self.settings.get("clipboard_mode") == "replace":
                safe = self.copy_safe(result, announce=False)
                self.popup.show_replaced(result, safe.by_type)
            else:
                self.popup.show_offer(result)
        elif verdict == "warn":
            self.popup.show_warning(result)
        if verdict != "blocked":
            self._refresh_status()
        self.analysis_ready.emit(result)

    def _set_icon(self, state: str) -> None:
        if self.tray is not None:
            self.tray.setIcon(app_icon(state))

    def _on_popup(self, choice: str) -> None:
        if choice == COPY and self.current is not None:
            self.copy_safe(self.current)
        elif choice == REVIEW and self.current is not None:
            self.open_review(self.current)
        elif choice == UNDO and self.original is not None:
            self.write_clipboard(self.original.text, self.original.html, kind=b"original")
        elif choice == DISMISS and self.popup.kind == "blocked":
            self._refresh_status()

    def copy_safe(self, result: ClipAnalysis, chosen=None, announce: bool = True):
        """Replace the clipboard with the redacted text and matching HTML."""
        engine = self.engine_host.engine
        safe = build_safe_copy(engine, result, chosen, clip_analysis.new_placeholder_map())
        self.write_clipboard(safe.text, safe.html)
        record_event("redaction", safe.by_type)
        log.info("safe copy written: %s", safe.by_type)
        if announce:
            self.popup.show_copied(copied_body(safe.by_type))
        self.copied.emit(safe)
        return safe

    def write_clipboard(self, text: str, html: str = "", kind: bytes = b"redacted") -> None:
        self.watcher.write(text, html, kind)

    # -- windows --------------------------------------------------------------------
    def open_review(self, result: ClipAnalysis | None) -> None:
        if result is None or result.blocked or self.engine_host.engine is None:
            self.popup.show_info(_("Không có gì để xem lại"),
                                 _("Chưa có đoạn sao chép nào cần che."))
            return
        from .review import ReviewWindow

        if self._review is not None:
            self._review.close()
        self._review = ReviewWindow(result, self.settings)
        self._review.copy_requested.connect(lambda chosen: self._copy_from_review(result, chosen))
        self._review.show()
        self._review.raise_()
        self._review.activateWindow()

    def _copy_from_review(self, result: ClipAnalysis, chosen) -> None:
        self.copy_safe(result, chosen)
        if self._review is not None:
            self._review.close()

    def show_drop_window(self) -> None:
        from .drop import DropWindow

        if self._drop is None:
            self._drop = DropWindow(self.settings, self.engine_host, self.files)
        self._drop.show()
        self._drop.raise_()
        self._drop.activateWindow()

    def show_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        if self._settings_dialog is None:
            self._settings_dialog = SettingsDialog(self.settings)
        self._settings_dialog.reload()
        self._settings_dialog.show()
        self._settings_dialog.raise_()
        self._settings_dialog.activateWindow()

    def show_about(self) -> None:
        from app import __version__

        QMessageBox.about(None, _("Giới thiệu Giữ Kín"), _(
            "Giữ Kín {version}\n\nChe dữ liệu cá nhân, dấu nội bộ và thông tin đăng nhập trước "
            "khi đưa văn bản vào chatbot AI; chặn văn bản mang dấu mật. Mọi xử lý diễn ra trên "
            "máy này, không gửi dữ liệu đi đâu.\n\n{rules}").format(
                version=__version__, rules=self.rules_text()))

    def show_running_instance(self) -> None:
        """A second start asked us to come forward: show the drop window."""
        self.show_drop_window()

    def quit(self) -> None:
        QApplication.quit()

    def shutdown(self) -> None:
        """Stop watching, let running work finish, and delete our windows while the
        QApplication still exists (left to Python's exit, Qt objects outliving the
        application crash the process on the way out)."""
        self._closed = True
        self.watcher.set_enabled(False)
        try:
            self.watcher.clipboard.dataChanged.disconnect(self.watcher._on_signal)
        except (RuntimeError, TypeError):
            pass
        self.runner.wait(5000)
        self.files.wait(5000)
        self.watcher.release()
        windows = [self._review, self._drop, self._settings_dialog, self.popup, self.menu]
        if self.tray is not None:
            self.tray.hide()
            windows.append(self.tray)
        for window in windows:
            if window is not None:
                if hasattr(window, "close"):
                    window.close()
                window.deleteLater()
        self._review = self._drop = self._settings_dialog = None
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def update_status() -> dict[str, Any]:
    """Rule-update status from ``app.updates`` when available (version, last check, error)."""
    try:
        import app.updates as updates
    except ImportError:
        return {}
    status = getattr(updates, "status", None)
    if not callable(status):
        return {}
    try:
        info = status()
    except Exception:
        return {"last_error": True}
    if isinstance(info, dict):
        return info
    return {"version": getattr(info, "active_version", None),
            "last_check": getattr(info, "last_check", None),
            "last_error": getattr(info, "last_error", None),
            "expired": getattr(info, "expired_warning", False)}
