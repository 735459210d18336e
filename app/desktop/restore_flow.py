"""Tray part of restore: a chatbot answer on the clipboard -> "Khôi phục giá trị thật".

``install(tray)`` (called once by ``TrayApp.start``) hooks three things:

* the tray's placeholder handler: when a new clipboard text holds placeholders this vault
  knows, the popup offers "Khôi phục giá trị thật" and the answer is not analysed as a
  fresh copy; texts whose placeholders are all unknown go through the normal flow;
* two menu actions: restore the clipboard now (for answers the watcher did not flag) and
  "Xóa kho giá trị ngay" (clear the vault);
* a timer that purges expired entries, so values leave memory and disk on time.

The restored text goes back through ``tray.write_clipboard(..., kind=b"restored")``: our
private marker (the watcher never re-offers it) plus the Windows formats that keep it out
of clipboard history and cloud clipboard. Nothing here touches the network, and neither
the text nor the values are logged (counts and placeholder names only).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable

from app.i18n import _

from .qt import QAction, QObject, QTimer

log = logging.getLogger(__name__)

RESTORE = "restore"          # popup choice
RESTORED_KIND = b"restored"  # clipboard marker value for our restored writes
OFFER_SECONDS = 25
INFO_SECONDS = 6
PURGE_MS = 5 * 60 * 1000
MAX_CHARS = 2_000_000        # beyond this a paste is not an answer to restore on the UI thread
MAX_LISTED = 5
# Cheap pre-check for answers without brackets ("**HỌ_TÊN_1**"); the vault decides.
# Starts only at the beginning of a letter run (and is possessive): on a long run of
# letters with no "_" this stays linear instead of retrying from every position.
LOOSE_PLACEHOLDER = re.compile(r"(?<![^\W\d_])[^\W\d_]++_\d+(?!\d)")


def _default_vault():
    from app.engine.vault import default_vault  # imports the engine package: only when needed

    return default_vault()


def looks_like_answer(text: str) -> bool:
    return bool(text) and LOOSE_PLACEHOLDER.search(text) is not None


class _HtmlValues:
    """The vault seen through HTML escaping, to restore the HTML flavour of an answer."""

    def __init__(self, vault) -> None:
        self._vault = vault

    def items(self) -> dict[str, str]:
        return {p: html.escape(v, quote=True) for p, v in self._vault.items().items()}

    def labels(self) -> set[str]:
        return self._vault.labels()


class RestoreFlow(QObject):
    def __init__(self, tray, vault_provider: Callable[[], object] = _default_vault) -> None:
        super().__init__(tray)
        self.tray = tray
        self._vault_provider = vault_provider
        self._pending: tuple[str, str] | None = None  # (text, html) offered; memory only
        self.restore_action = QAction(self)
        self.restore_action.triggered.connect(self.restore_clipboard_now)
        self.clear_action = QAction(self)
        self.clear_action.triggered.connect(self.clear_vault)
        self._retranslate()
        self._purge_timer = QTimer(self)
        self._purge_timer.setInterval(PURGE_MS)
        self._purge_timer.timeout.connect(self.purge)

    # -- wiring ---------------------------------------------------------------------
    def install(self) -> None:
        tray = self.tray
        tray.set_placeholder_handler(self.on_placeholders)
        if hasattr(tray, "placeholder_probe"):  # a looser pre-check, when the tray offers one
            tray.placeholder_probe = looks_like_answer
        tray.add_menu_action(self.restore_action, "restore")
        tray.add_menu_action(self.clear_action, "restore")
        tray.popup.chosen.connect(self._on_popup)
        settings = getattr(tray, "settings", None)
        if settings is not None and hasattr(settings, "subscribe"):
            settings.subscribe(self._on_setting)
        self._purge_timer.start()

    def _retranslate(self) -> None:
        self.restore_action.setText(_("Khôi phục giá trị thật"))
        self.restore_action.setToolTip(
            _("Đưa giá trị thật trở lại câu trả lời của chatbot đang có trong clipboard"))
        self.clear_action.setText(_("Xóa kho giá trị ngay"))
        self.clear_action.setToolTip(_("Quên ngay mọi giá trị đã che (không khôi phục được nữa)"))

    def _on_setting(self, name: str) -> None:
        if name == "language":
            self._retranslate()
        elif name in ("vault_ttl_hours", "vault_memory_only"):
            try:
                from app.engine.vault import reset_default_vault
            except ImportError:
                return
            reset_default_vault()  # the next use opens it with the new settings

    def _vault(self):
        try:
            vault = self._vault_provider()
            vault.refresh()  # take in what the CLI (another process) saved meanwhile
            return vault
        except Exception as exc:  # a broken vault must not break the clipboard flow
            log.warning("restore vault unavailable: %s", type(exc).__name__)
            return None

    # -- the flow -------------------------------------------------------------------
    def on_placeholders(self, text: str) -> bool:
        """Tray hook: offer a restore when the vault knows some of the placeholders."""
        if not text or len(text) > MAX_CHARS:
            return False
        vault = self._vault()
        if vault is None:
            return False
        from app.engine.restore import plan_restore

        _plan, result = plan_restore(text, vault)
        if not result.restored:
            return False  # nothing of ours: let the normal analysis run
        original = getattr(self.tray, "original", None)
        page = getattr(original, "html", "") if getattr(original, "text", None) == text else ""
        self._pending = (text, page or "")
        self._offer(result)
        return True

    def _offer(self, result) -> None:
        count = result.restored_count
        body = _("Có {count} giá trị thật có thể đưa trở lại.").format(count=count)
        if result.unknown:
            body += "\n" + _("Không rõ (giữ nguyên): {names}").format(
                names=_names(result.unknown))
        self.tray.popup._fill("restore", "on", _("Câu trả lời có mã giữ chỗ"), body,
                              [(RESTORE, _("Khôi phục giá trị thật")), ("dismiss", _("Bỏ qua"))],
                              OFFER_SECONDS)

    def _on_popup(self, choice: str) -> None:
        if choice == RESTORE and self._pending is not None:
            text, page = self._pending
            self._pending = None
            self.restore(text, page)
        elif self.tray.popup.kind == "restore":
            self._pending = None  # dismissed or timed out: forget the answer

    def restore(self, text: str, page: str = ""):
        """Restore ``text`` (and its HTML flavour) onto the clipboard; returns the result."""
        vault = self._vault()
        if vault is None:
            self.tray.popup.show_info(_("Không mở được kho giá trị"),
                                      _("Không khôi phục được. Hãy thử lại."), INFO_SECONDS)
            return None
        from app.engine.restore import restore_text

        result = restore_text(text, vault)
        if not result.restored:
            self._tell_nothing(result)
            return result
        restored_html = ""
        if page:
            page_result = restore_text(page, _HtmlValues(vault))
            # Only if the HTML holds the same placeholders; otherwise plain text is safer.
            if page_result.restored == result.restored:
                restored_html = page_result.text
        self.tray.write_clipboard(result.text, restored_html, kind=RESTORED_KIND)
        log.info("restored to clipboard: %d values, %d unknown", result.restored_count,
                 len(result.unknown))
        _record_restore()
        body = _("Đã đưa {count} giá trị thật vào clipboard.").format(count=result.restored_count)
        if result.unknown:
            body += "\n" + _("Không rõ (giữ nguyên): {names}").format(
                names=_names(result.unknown))
        self.tray.popup.show_info(_("Đã khôi phục"), body, INFO_SECONDS)
        return result

    def restore_clipboard_now(self) -> None:
        """Menu action: restore whatever text the clipboard holds now."""
        mime = self.tray.watcher.clipboard.mimeData()
        text = mime.text() if mime is not None and mime.hasText() else ""
        page = mime.html() if mime is not None and mime.hasHtml() else ""
        if not text.strip():
            self.tray.popup.show_info(_("Clipboard không có văn bản"),
                                      _("Hãy sao chép câu trả lời của chatbot trước."),
                                      INFO_SECONDS)
            return
        self.restore(text, page)

    def _tell_nothing(self, result) -> None:
        body = _("Clipboard không có mã giữ chỗ nào trong kho.")
        if result.expired:
            body += "\n" + _("Đã hết hạn hoặc đã xóa: {names}").format(
                names=_names(result.expired))
        elif result.unknown:
            body += "\n" + _("Không rõ: {names}").format(names=_names(result.unknown))
        self.tray.popup.show_info(_("Không có gì để khôi phục"), body, INFO_SECONDS)

    def clear_vault(self) -> None:
        """Menu action: forget every value now (this process and the file on disk)."""
        self._pending = None
        vault = self._vault()
        if vault is None:
            return
        try:
            count = len(vault)
            vault.clear()
        except Exception as exc:
            log.warning("vault clear failed: %s", type(exc).__name__)
            self.tray.popup.show_info(_("Chưa xóa được kho giá trị"), _("Hãy thử lại."),
                                      INFO_SECONDS)
            return
        self.tray.popup.show_info(_("Đã xóa kho giá trị"),
                                  _("Đã quên {count} giá trị. Các mã giữ chỗ cũ sẽ không "
                                    "khôi phục được nữa.").format(count=count), INFO_SECONDS)

    def purge(self) -> int:
        """Timer: drop expired entries from memory, then from the file."""
        try:
            vault = self._vault_provider()
            removed = vault.purge()
            vault.save()  # merges the file, drops what expired there too
        except Exception as exc:
            log.warning("vault purge failed: %s", type(exc).__name__)
            return 0
        return removed


def _names(placeholders: list[str]) -> str:
    shown = ", ".join(placeholders[:MAX_LISTED])
    more = len(placeholders) - MAX_LISTED
    return shown + (f" … (+{more})" if more > 0 else "")


def _record_restore() -> None:
    try:
        from app.updates.usage import record_event
    except ImportError:
        return
    try:
        record_event("restore")
    except Exception:  # counting must never break a restore
        log.warning("usage counter failed")


def install(tray) -> RestoreFlow:
    """Called once by the tray at start-up."""
    flow = RestoreFlow(tray)
    flow.install()
    tray.restore_flow = flow  # keep it alive with the tray
    return flow
