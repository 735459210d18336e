"""Our own small popup near the tray, with buttons (``QSystemTrayIcon.showMessage`` has none).

It never takes the keyboard focus from the window the user is working in: it is shown
without activation, and it hides itself after a while. Clicking a button emits
``chosen`` with one of ``COPY``, ``REVIEW``, ``DISMISS``, ``UNDO``.
"""

from __future__ import annotations

from app.i18n import _

from . import texts
from .analysis import ClipAnalysis
from .icons import app_icon
from .qt import (
    QFrame,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRect,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    Signal,
)

COPY, REVIEW, DISMISS, UNDO = "copy", "review", "dismiss", "undo"
OFFER_SECONDS = 25
INFO_SECONDS = 5
BLOCK_SECONDS = 60


class Popup(QFrame):
    chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        # macOS hides tool windows of inactive apps, and a tray app is never active.
        self.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
        self.setObjectName("giukinPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#giukinPopup { background: #ffffff; border: 1px solid #9aa0a6; border-radius: 6px; }"
            "#giukinPopup[tone='blocked'] { border: 2px solid #c62828; }"
            "QLabel#title { font-weight: bold; font-size: 11pt; }"
            "#giukinPopup[tone='blocked'] QLabel#title { color: #b71c1c; }")
        self.kind = ""
        self.anchor: QRect | None = None
        self._icon = QLabel()
        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        close = QToolButton()
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(_("Đóng"))
        close.clicked.connect(lambda: self._choose(DISMISS))
        head = QHBoxLayout()
        head.addWidget(self._icon)
        head.addWidget(self.title, 1)
        head.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(head)
        layout.addWidget(self.body)
        layout.addLayout(self.buttons)
        self.setFixedWidth(400)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self._choose(DISMISS))

    # -- variants -------------------------------------------------------------------
    def show_offer(self, analysis: ClipAnalysis) -> None:
        self._fill("offer", "on", _("Phát hiện dữ liệu cần che"), texts.offer_body(analysis),
                   [(COPY, _("Sao chép bản đã che")), (REVIEW, _("Xem lại")),
                    (DISMISS, _("Bỏ qua"))], OFFER_SECONDS)

    def show_replaced(self, analysis: ClipAnalysis, by_type: dict[str, int]) -> None:
        body = texts.copied_body(by_type)
        extra = texts.warning_lines(analysis)
        self._fill("replaced", "on", _("Đã thay bằng bản đã che"), "\n".join([body, *extra]),
                   [(REVIEW, _("Xem lại")), (UNDO, _("Hoàn tác")), (DISMISS, _("Đóng"))],
                   OFFER_SECONDS)

    def show_warning(self, analysis: ClipAnalysis) -> None:
        self._fill("warn", "on", _("Lưu ý trước khi dán vào chatbot"),
                   "\n".join(texts.warning_lines(analysis)),
                   [(REVIEW, _("Xem lại")), (DISMISS, _("Bỏ qua"))], OFFER_SECONDS)

    def show_blocked(self, analysis: ClipAnalysis) -> None:
        self._fill("blocked", "blocked", texts.blocked_title(analysis), texts.blocked_body(analysis),
                   [(DISMISS, _("Đã hiểu"))], BLOCK_SECONDS)

    def show_copied(self, body: str) -> None:
        """After a safe copy: the user can still take the original back."""
        self._fill("copied", "on", _("Đã sao chép bản đã che"), body,
                   [(DISMISS, _("Đóng")), (UNDO, _("Hoàn tác"))], INFO_SECONDS + 3)

    def show_info(self, title: str, body: str, seconds: int = INFO_SECONDS) -> None:
        self._fill("info", "on", title, body, [(DISMISS, _("Đóng"))], seconds)

    # -- plumbing -------------------------------------------------------------------
    def _fill(self, kind: str, tone: str, title: str, body: str,
              buttons: list[tuple[str, str]], seconds: int) -> None:
        self.kind = kind
        self.setProperty("tone", tone)
        self.style().unpolish(self)
        self.style().polish(self)
        self._icon.setPixmap(app_icon(tone).pixmap(32, 32))
        self.title.setText(title)
        self.body.setText(body)
        while self.buttons.count() > 1:
            item = self.buttons.takeAt(1)
            widget = item.widget()
            if widget is not None:  # detach now: deleteLater alone leaves it on screen a while
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        for index, (choice, label) in enumerate(buttons):
            button = QPushButton(label)
            button.setObjectName(f"popup-{choice}")
            button.setDefault(index == 0)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            self.buttons.addWidget(button)
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self._timer.start(seconds * 1000)

    def button(self, choice: str) -> QPushButton | None:
        return self.findChild(QPushButton, f"popup-{choice}")

    def _choose(self, choice: str) -> None:
        self._timer.stop()
        self.hide()
        self.chosen.emit(choice)

    def _place(self) -> None:
        """Bottom-right corner of the screen, above the tray icon when we know where it is."""
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        size = self.sizeHint()
        x = area.right() - size.width() - 12
        y = area.bottom() - size.height() - 12
        if self.anchor is not None and self.anchor.isValid():
            x = min(max(area.left(), self.anchor.center().x() - size.width() // 2), x)
            if self.anchor.top() < area.center().y():  # tray at the top of the screen
                y = area.top() + 12
        self.move(x, y)
