"""The settings dialog, built from the option registry. Options set by IT are shown
disabled with a note, so the user sees the value and why it cannot change."""

from __future__ import annotations

import logging

from app.i18n import _
from app.settings import ENTITY_TITLES, OPTIONS, SettingError, Settings, entity_title

from .qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    Qt,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

SHOWN = ("watch_clipboard", "clipboard_mode", "redact_types", "internal_mark_action",
         "output_folder", "macro_policy", "allow_keep_finding", "language")


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Giữ Kín — Cài đặt"))
        self.resize(700, 470)
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        for name in SHOWN:
            option = OPTIONS[name]
            editor = self._editor(name)
            self.editors[name] = editor
            form.addRow(QLabel(_(option.title)), editor)
        self.lock_note = QLabel()
        self.lock_note.setWordWrap(True)
        self.lock_note.setStyleSheet("color: #5f6368;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Lưu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Hủy"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.lock_note)
        layout.addWidget(buttons)
        self.reload()

    def _editor(self, name: str) -> QWidget:
        option = OPTIONS[name]
        if option.kind == "bool":
            return QCheckBox()
        if option.kind == "choice":
            combo = QComboBox()
            for choice in option.choices:
                combo.addItem(_(option.choice_titles.get(choice, choice)), choice)
            return combo
        if name == "redact_types":
            listing = QListWidget()
            listing.setMinimumHeight(120)
            listing.setMaximumHeight(190)
            listing.setToolTip(_("Đánh dấu tất cả = che mọi loại."))
            for entity in ENTITY_TITLES:
                if entity == "VN_SECRET_MARK":
                    continue  # stamps always block; not a user choice
                item = QListWidgetItem(entity_title(entity))
                item.setData(Qt.ItemDataRole.UserRole, entity)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                listing.addItem(item)
            return listing
        if name == "output_folder":
            box = QWidget()
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            line = QLineEdit()
            line.setObjectName("path")
            line.setPlaceholderText(_("Cạnh tệp gốc"))
            browse = QPushButton(_("Chọn…"))
            browse.clicked.connect(lambda: self._browse(line))
            row.addWidget(line, 1)
            row.addWidget(browse)
            return box
        return QLineEdit()

    def _browse(self, line: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Thư mục lưu bản đã che"))
        if folder:
            line.setText(folder)

    # -- values ---------------------------------------------------------------------
    def reload(self) -> None:
        locked = []
        for name, editor in self.editors.items():
            self._show_value(name, editor, self.settings.get(name))
            is_locked = self.settings.is_locked(name)
            editor.setEnabled(not is_locked)
            editor.setToolTip(_("Do bộ phận CNTT thiết lập, không thay đổi được.") if is_locked else "")
            if is_locked:
                locked.append(_(OPTIONS[name].title))
        self.lock_note.setText(
            (_("Bộ phận CNTT đã khóa: {names}.").format(names="; ".join(locked)))
            if locked else "")

    def _show_value(self, name: str, editor: QWidget, value) -> None:
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QListWidget):
            chosen = set(value)
            for i in range(editor.count()):
                item = editor.item(i)
                on = not chosen or item.data(Qt.ItemDataRole.UserRole) in chosen
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        elif name == "output_folder":
            editor.findChild(QLineEdit, "path").setText(str(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))

    def value_of(self, name: str):
        editor = self.editors[name]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QListWidget):
            items = [editor.item(i) for i in range(editor.count())]
            checked = [i.data(Qt.ItemDataRole.UserRole) for i in items
                       if i.checkState() == Qt.CheckState.Checked]
            return [] if len(checked) == len(items) else checked  # all ticked = "all types"
        if name == "output_folder":
            return editor.findChild(QLineEdit, "path").text().strip()
        return editor.text()

    def save(self) -> None:
        for name in self.editors:
            if self.settings.is_locked(name):
                continue
            try:
                self.settings.set(name, self.value_of(name))
            except SettingError:
                log.warning("setting %s rejected", name)
        self.settings.save()
        self.accept()
