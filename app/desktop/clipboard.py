"""Watching the system clipboard and writing our safe copies to it.

Change detection: ``QClipboard.dataChanged`` plus a polling safety net (the signal is
missed in some cases on Windows, and never fires on macOS for a background app). The
poll uses the OS change counter where there is one (Windows ``GetClipboardSequenceNumber``)
and a content fingerprint elsewhere; the fingerprint stays in memory only.

Our own writes carry a private MIME marker and are ignored by the watcher: a flag around
``setMimeData`` would not work because the signal is synchronous on X11 and asynchronous
on Windows. Safe copies also carry the Windows formats that keep an item out of
clipboard history and cloud sync.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from .qt import QByteArray, QClipboard, QMimeData, QObject, QTimer, Signal

log = logging.getLogger(__name__)

MARKER = "application/x-giukin-redacted"
# Windows clipboard-history / cloud-clipboard exclusion formats (registered by name;
# Qt unwraps the x-qt-windows-mime spelling to the bare format name). DWORD 0 = "no".
WINDOWS_EXCLUSION = (
    "ExcludeClipboardContentFromMonitorProcessing",
    "CanIncludeInClipboardHistory",
    "CanUploadToCloudClipboard",
)
# Reading more than this from the clipboard for a fingerprint every poll would cost CPU
# at idle; above it the fingerprint uses the formats and the length only.
FINGERPRINT_LIMIT = 256_000


def windows_format(name: str) -> str:
    return f'application/x-qt-windows-mime;value="{name}"'


@dataclass
class ClipContent:
    """One clipboard content as read: plain text and the HTML flavour (either may be '')."""

    text: str
    html: str
    formats: tuple[str, ...]


def is_own(mime: QMimeData | None) -> bool:
    return mime is not None and mime.hasFormat(MARKER)


def make_mime(text: str, html: str = "", kind: bytes = b"redacted") -> QMimeData:
    """Mime data for a write of ours: text, optional HTML, our marker, the exclusions."""
    mime = QMimeData()
    mime.setText(text)
    if html:
        mime.setHtml(html)
    mime.setData(MARKER, QByteArray(kind))
    for name in WINDOWS_EXCLUSION:
        mime.setData(windows_format(name), QByteArray(b"\0\0\0\0"))
    return mime


def read_content(mime: QMimeData | None) -> ClipContent | None:
    """Text and HTML of ``mime``; None for ours, empty, image-only or binary content."""
    if mime is None or is_own(mime):
        return None
    has_text, has_html = mime.hasText(), mime.hasHtml()
    if not (has_text or has_html):
        return None  # images, files, binary formats: nothing for a chatbot box here
    text = mime.text() if has_text else ""
    html = mime.html() if has_html else ""
    if not text.strip() and not html.strip():
        return None
    return ClipContent(text=text, html=html, formats=tuple(mime.formats()))


class _ChangeCounter:
    """The OS clipboard change counter, or None where there is none we can read."""

    def __init__(self) -> None:
        self._read = None
        if sys.platform == "win32":
            try:
                import ctypes

                self._read = ctypes.windll.user32.GetClipboardSequenceNumber
            except (ImportError, AttributeError, OSError):
                self._read = None
        elif sys.platform == "darwin":
            # No signal reaches a background app on macOS: poll the pasteboard's counter
            # (needs pyobjc's AppKit; without it the content fingerprint is used).
            try:
                from AppKit import NSPasteboard

                self._read = NSPasteboard.generalPasteboard().changeCount
            except ImportError:
                self._read = None

    def available(self) -> bool:
        return self._read is not None

    def value(self) -> int:
        return int(self._read()) if self._read else 0


class ClipboardWatcher(QObject):
    """Emits ``changed(ClipContent)`` for every new clipboard content that is not ours."""

    changed = Signal(object)

    def __init__(self, clipboard: QClipboard, poll_ms: int = 1000) -> None:
        super().__init__()
        self.clipboard = clipboard
        self._enabled = False
        self._last: object = None
        self._counter = _ChangeCounter()
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms if self._counter.available() else max(poll_ms, 1500))
        self._timer.timeout.connect(self.poll)
        clipboard.dataChanged.connect(self._on_signal)

    # -- control --------------------------------------------------------------------
    def set_enabled(self, enabled: bool) -> None:
        self._enabled = enabled
        if enabled:
            self._last = self._fingerprint()  # what is already there is not "a change"
            self._timer.start()
        else:
            self._timer.stop()

    @property
    def enabled(self) -> bool:
        return self._enabled

    def check_now(self) -> None:
        """Scan what is on the clipboard now (tray action; Wayland has no background events)."""
        self._last = self._fingerprint()
        self._emit_current()

    # -- detection ------------------------------------------------------------------
    def _on_signal(self) -> None:
        if self._enabled:
            self._last = self._fingerprint()
            self._emit_current()

    def poll(self) -> None:
        """The safety net: emit when the clipboard changed without a signal."""
        if not self._enabled:
            return
        current = self._fingerprint()
        if current != self._last:
            self._last = current
            self._emit_current()

    def _fingerprint(self) -> object:
        if self._counter.available():
            return self._counter.value()
        try:
            mime = self.clipboard.mimeData()
            if mime is None:
                return None
            formats = tuple(mime.formats())
            if is_own(mime) or not mime.hasText():
                return formats, mime.hasHtml() and len(mime.html())
            text = mime.text()
            if len(text) > FINGERPRINT_LIMIT:
                return formats, len(text)
            return formats, hash(text)
        except Exception:  # a clipboard owner that went away mid-read: try next time
            return None

    def _emit_current(self) -> None:
        try:
            content = read_content(self.clipboard.mimeData())
        except Exception:  # never let a strange clipboard owner take the tray down
            log.warning("clipboard could not be read")
            return
        if content is not None:
            self.changed.emit(content)

    def release(self) -> None:
        """Before the app exits: hand our content over in a form Qt owns.

        A QMimeData made in Python and still on the clipboard is deleted by Qt's own
        exit handlers after Python has shut down, which crashes the process (Qt for
        Python 6.12, measured). The user keeps the text of a safe copy; a restored answer (real
        values) is cleared rather than re-written without its clipboard-history exclusion.
        """
        try:
            mime = self.clipboard.mimeData()
            if not is_own(mime):
                return
            if bytes(mime.data(MARKER)) == b"restored":
                self.clipboard.clear()
            else:
                self.clipboard.setText(mime.text())
        except RuntimeError:  # clipboard already gone
            pass

    # -- our writes -----------------------------------------------------------------
    def write(self, text: str, html: str = "", kind: bytes = b"redacted") -> None:
        """Put a content of ours on the clipboard; the watcher will not react to it."""
        self.clipboard.setMimeData(make_mime(text, html, kind))
        self._last = self._fingerprint()
