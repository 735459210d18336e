"""The review window: see every finding in place, keep or redact each, mark more, copy.

Keyboard: the findings list has the focus first (Space toggles, arrows move and show the
finding in the text); Ctrl+M redacts the text selected in the left pane, Ctrl+Enter
copies, Esc closes without copying.
"""

from __future__ import annotations

import hashlib

from app.i18n import _
from app.settings import Settings, entity_title

from .analysis import USER_MARK_ENTITY, ClipAnalysis, choose_findings
from .qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QDialog,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTextCharFormat,
    QTextCursor,
    QTextEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)

COLOURS = {
    "VN_PERSON": "#ffe08a", "VN_CCCD": "#ffb4a2", "VN_CMND": "#ffb4a2",
    "PHONE_NUMBER": "#b5e3ff", "EMAIL_ADDRESS": "#c7f2c1", "VN_ADDRESS": "#e4cdfd",
    "VN_BANK_ACCOUNT": "#ffd0e6", "CREDIT_CARD": "#ffd0e6", "VN_INTERNAL_MARK": "#ffcc80",
    USER_MARK_ENTITY: "#cfd8dc",
}
KIND_ROLE = Qt.ItemDataRole.UserRole
INDEX_ROLE = Qt.ItemDataRole.UserRole + 1


def colour_for(entity: str) -> QColor:
    if entity in COLOURS:
        return QColor(COLOURS[entity])
    hue = int(hashlib.md5(entity.encode()).hexdigest()[:4], 16) % 360  # stable, not security
    return QColor.fromHsv(hue, 70, 255)


def brush_for(entity: str) -> QBrush:
    return QBrush(colour_for(entity))


class PositionMap:
    """Python string offsets <-> QTextDocument positions.

    The document counts UTF-16 units (an emoji is 2) and turns "\r\n" into one break;
    most texts have neither, and then the map is the identity.
    """

    def __init__(self, text: str) -> None:
        self._to_qt: list[int] | None = None
        if "\r" not in text and all(ord(ch) < 0x10000 for ch in text):
            return
        table, pos, previous = [], 0, ""
        for ch in text:
            table.append(pos)
            if not (ch == "\n" and previous == "\r"):
                pos += 2 if ord(ch) >= 0x10000 else 1
            previous = ch
        table.append(pos)
        self._to_qt = table

    def to_qt(self, index: int) -> int:
        return index if self._to_qt is None else self._to_qt[index]

    def from_qt(self, position: int) -> int:
        if self._to_qt is None:
            return position
        import bisect

        return bisect.bisect_left(self._to_qt, position)


class ReviewWindow(QDialog):
    copy_requested = Signal(object)  # list[Finding] to apply

    def __init__(self, analysis: ClipAnalysis, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.analysis = analysis
        self.marks: list[tuple[int, int]] = []
        self.positions = PositionMap(analysis.text)
        self.setWindowTitle(_("Giữ Kín — Xem lại trước khi sao chép"))
        self.resize(980, 600)
        required = set(settings.get("required_types"))
        may_keep = bool(settings.get("allow_keep_finding"))

        self.source = QTextEdit()
        self.source.setReadOnly(True)
        self.source.setPlainText(analysis.text)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)

        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for index, finding in enumerate(analysis.findings):
            if finding.action not in ("redact", "warn"):
                continue
            value = " ".join(finding.text.split())
            if len(value) > 60:
                value = value[:57] + "…"
            item = QListWidgetItem(f"{entity_title(finding.entity)}: {value}")
            item.setData(KIND_ROLE, "finding")
            item.setData(INDEX_ROLE, index)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            locked = finding.action == "redact" and (not may_keep or finding.entity in required)
            if not locked:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Checked if finding.action == "redact"
                               else Qt.CheckState.Unchecked)
            item.setBackground(brush_for(finding.entity))
            item.setForeground(QBrush(QColor("#000000")))
            if locked:
                item.setToolTip(_("Loại dữ liệu này luôn phải che (theo quy định)."))
            elif finding.action == "warn":
                item.setToolTip(_("Chỉ cảnh báo; đánh dấu để che."))
            self.list.addItem(item)
        self.list.itemChanged.connect(lambda _item: self.refresh())
        self.list.currentItemChanged.connect(self._show_current)

        self.mark_button = QPushButton(_("Che đoạn đang chọn (Ctrl+M)"))
        self.mark_button.clicked.connect(self.mark_selection)
        self.clear_button = QPushButton(_("Bỏ các đoạn tự đánh dấu"))
        self.clear_button.clicked.connect(self.clear_marks)
        self.copy_button = QPushButton(_("Sao chép bản đã che (Ctrl+Enter)"))
        self.copy_button.setDefault(True)
        self.copy_button.clicked.connect(self.accept_copy)
        cancel = QPushButton(_("Đóng (Esc)"))
        cancel.clicked.connect(self.reject)

        help_text = QLabel(_("Đánh dấu ✓ = che mục đó. Bỏ dấu = giữ nguyên. "
                             "Bôi đen chữ bên trái rồi nhấn Ctrl+M để che thêm."))
        help_text.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(_("Văn bản gốc")))
        left_layout.addWidget(self.source, 3)
        left_layout.addWidget(QLabel(_("Xem trước bản sẽ sao chép")))
        left_layout.addWidget(self.preview, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.count_label = QLabel()
        right_layout.addWidget(self.count_label)
        right_layout.addWidget(self.list, 1)
        right_layout.addWidget(self.mark_button)
        right_layout.addWidget(self.clear_button)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([620, 340])
        buttons = QHBoxLayout()
        buttons.addWidget(help_text, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        QShortcut(QKeySequence("Ctrl+M"), self, activated=self.mark_selection)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept_copy)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self.accept_copy)
        self.setTabOrder(self.list, self.source)
        self.setTabOrder(self.source, self.preview)
        self.setTabOrder(self.preview, self.copy_button)
        self.list.setFocus()
        if self.list.count():
            self.list.setCurrentRow(0)
        self.refresh()

    # -- state ----------------------------------------------------------------------
    def _finding_items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())
                if self.list.item(i).data(KIND_ROLE) == "finding"]

    def kept(self) -> set[int]:
        """Indices of redact findings the user chose to keep in clear."""
        return {item.data(INDEX_ROLE) for item in self._finding_items()
                if self.analysis.findings[item.data(INDEX_ROLE)].action == "redact"
                and item.checkState() != Qt.CheckState.Checked}

    def extra_redactions(self) -> set[int]:
        """Indices of warn-only findings the user chose to redact."""
        return {item.data(INDEX_ROLE) for item in self._finding_items()
                if self.analysis.findings[item.data(INDEX_ROLE)].action == "warn"
                and item.checkState() == Qt.CheckState.Checked}

    def chosen(self):
        return choose_findings(self.analysis, self.kept(), self.extra_redactions(), self.marks)

    def set_checked(self, finding_index: int, checked: bool) -> None:
        for item in self._finding_items():
            if item.data(INDEX_ROLE) == finding_index:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    # -- actions --------------------------------------------------------------------
    def mark_selection(self) -> None:
        cursor = self.source.textCursor()
        start = self.positions.from_qt(cursor.selectionStart())
        end = self.positions.from_qt(cursor.selectionEnd())
        self.mark_span(start, end)

    def mark_span(self, start: int, end: int) -> None:
        if end <= start:
            return
        self.marks.append((start, end))
        self.refresh()

    def clear_marks(self) -> None:
        self.marks.clear()
        self.refresh()

    def accept_copy(self) -> None:
        self.copy_requested.emit(self.chosen())
        self.accept()

    # -- rendering ------------------------------------------------------------------
    def preview_text(self) -> str:
        from app.engine import PlaceholderMap
        from app.engine.redact import apply_findings

        # A throwaway map: the real copy numbers through the vault, this only shows shape.
        return apply_findings(self.analysis.text, self.chosen(), PlaceholderMap())

    def refresh(self) -> None:
        chosen = self.chosen()
        self.preview.setPlainText(self.preview_text())
        self._highlight(chosen)
        self.count_label.setText(_("Sẽ che {n} mục").format(n=len(chosen)))

    def _highlight(self, chosen) -> None:
        """Colour each finding in the source pane (by type; grey and underlined when kept).

        The formats go into the (read-only) document itself: one edit block, cheaper than
        thousands of ExtraSelection objects rebuilt on every toggle.
        """
        active = {(f.start, f.end) for f in chosen}
        spans = [(f.start, f.end, f.entity) for f in self.analysis.findings
                 if f.action in ("redact", "warn")]
        spans += [(s, e, USER_MARK_ENTITY) for s, e in self.marks]
        cursor = QTextCursor(self.source.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())
        for start, end, entity in spans:
            fmt = QTextCharFormat()
            if (start, end) in active or entity == USER_MARK_ENTITY:
                fmt.setBackground(brush_for(entity))
            else:
                fmt.setBackground(QBrush(QColor("#eceff1")))
                fmt.setFontUnderline(True)
            cursor.setPosition(self.positions.to_qt(start))
            cursor.setPosition(self.positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(fmt)
        cursor.endEditBlock()

    def _show_current(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is None:
            return
        finding = self.analysis.findings[item.data(INDEX_ROLE)]
        cursor = QTextCursor(self.source.document())
        cursor.setPosition(self.positions.to_qt(finding.start))
        self.source.setTextCursor(cursor)
        self.source.ensureCursorVisible()
