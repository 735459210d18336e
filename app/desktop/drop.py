"""The drop window: drop Word/Excel/text files or folders, get redacted copies beside them.

Each file gets a row with its progress, verdict and counts by type; refusals say why in
plain words. Files run one at a time on a worker so the tray stays responsive.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from app.i18n import _
from app.settings import Settings

from .files import DROP_SUFFIXES, DropItem, plan, redact_file
from .qt import (
    QDesktopServices,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .texts import counts_phrase

log = logging.getLogger(__name__)

ENGINE_WAIT_SECONDS = 60


class DropArea(QFrame):
    dropped = Signal(list)  # list[Path]

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setObjectName("dropArea")
        self.setMinimumHeight(110)
        self.setStyleSheet("#dropArea { border: 2px dashed #7a8691; border-radius: 8px;"
                           " background: #f7f9fa; }"
                           "#dropArea[hover='true'] { border-color: #1b7f4b; background: #eaf6ef; }")
        label = QLabel(_("Kéo thả tệp hoặc thư mục vào đây\n"
                         "(.docx, .xlsx, .docm, .xlsm, .txt, .md)"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        label.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(label)

    def _set_hover(self, on: bool) -> None:
        self.setProperty("hover", "true" if on else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event) -> None:  # noqa: N802  (Qt override)
        if event.mimeData().hasUrls():
            self._set_hover(True)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802
        self._set_hover(False)

    def dropEvent(self, event) -> None:  # noqa: N802
        self._set_hover(False)
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)
        else:
            event.ignore()


class DropWindow(QWidget):
    finished_file = Signal(object, object)  # (DropItem, FileReport | None)

    COL_FILE, COL_STATUS, COL_TYPES = range(3)

    def __init__(self, settings: Settings, engine_host, runner) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.settings, self.engine_host, self.runner = settings, engine_host, runner
        self.setWindowTitle(_("Giữ Kín — Kiểm tra và che tệp"))
        self.resize(920, 480)
        self.setAcceptDrops(True)
        self.area = DropArea()
        self.area.dropped.connect(self.add_paths)
        choose_files = QPushButton(_("Chọn tệp…"))
        choose_files.clicked.connect(self._choose_files)
        choose_folder = QPushButton(_("Chọn thư mục…"))
        choose_folder.clicked.connect(self._choose_folder)
        self.open_button = QPushButton(_("Mở thư mục kết quả"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_output_folder)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([_("Tệp"), _("Kết quả"), _("Đã che theo loại")])
        header = self.table.header()
        header.setSectionResizeMode(self.COL_FILE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.COL_STATUS, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(self.COL_FILE, 200)
        self.table.setColumnWidth(self.COL_STATUS, 400)
        # Verdicts and refusals are sentences: wrap them rather than cut them off.
        self.table.setWordWrap(True)
        self.table.setUniformRowHeights(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.summary = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(choose_files)
        buttons.addWidget(choose_folder)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.area)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.rows: dict[int, QTreeWidgetItem] = {}
        self.last_output: Path | None = None
        self._pending = 0

    # drops on the window outside the area count too
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        self.area.dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        self.area.dragMoveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        self.area.dropEvent(event)

    def _choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Chọn tệp cần che"), "",
            _("Tài liệu") + " (" + " ".join("*" + s for s in DROP_SUFFIXES) + ")")
        if names:
            self.add_paths([Path(n) for n in names])

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, _("Chọn thư mục cần che"))
        if name:
            self.add_paths([Path(name)])

    # -- processing -----------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        for item in plan(paths, str(self.settings.get("output_folder"))):
            row = QTreeWidgetItem([item.path.name, "", ""])
            row.setToolTip(self.COL_FILE, str(item.path))
            self.table.addTopLevelItem(row)
            if item.refusal:
                # The first sentence fits the cell; the whole explanation is the tooltip.
                self._set_status(row, "⚠ " + item.refusal.split(". ")[0].rstrip("."), "#8a4b00")
                row.setToolTip(self.COL_STATUS, item.refusal)
                continue
            bar = QProgressBar()
            bar.setRange(0, 0)  # busy until the file is done
            bar.setFormat(_("Đang chờ…"))
            bar.setTextVisible(True)
            self.table.setItemWidget(row, self.COL_STATUS, bar)
            self._pending += 1
            self._start(item, row)
        self._update_summary()

    def _start(self, item: DropItem, row: QTreeWidgetItem) -> None:
        host = self.engine_host
        macro_policy = str(self.settings.get("macro_policy"))

        def work():
            deadline = time.monotonic() + ENGINE_WAIT_SECONDS
            while host.engine is None and time.monotonic() < deadline and not host.error:
                time.sleep(0.05)
            if host.engine is None:
                raise RuntimeError("engine not loaded")
            return redact_file(item, host.engine, macro_policy)

        self.runner.run(work, lambda report: self._done(item, row, report),
                        lambda exc: self._failed(item, row, exc))

    def _done(self, item: DropItem, row: QTreeWidgetItem, report) -> None:
        self._pending -= 1
        self.table.removeItemWidget(row, self.COL_STATUS)
        if report.error:
            self._set_status(row, "⚠ " + _("Không xử lý được: {error}").format(error=report.error),
                             "#8a4b00")
        elif report.verdict == "blocked":
            self._set_status(row, "✖ " + _("Bị chặn: văn bản mang dấu mật, không tạo bản sao."),
                             "#b71c1c")
            if report.blocks:
                row.setToolTip(self.COL_STATUS, "\n".join(report.blocks))
        elif report.verdict == "redacted":
            self._set_status(row, "✔ " + _("Đã che {n} mục → {name}").format(
                n=report.findings, name=Path(report.output).name if report.output else ""),
                "#1b5e20")
        else:
            self._set_status(row, "✔ " + _("Không có dữ liệu cần che → {name}").format(
                name=Path(report.output).name if report.output else ""), "#1b5e20")
        row.setText(self.COL_TYPES, counts_phrase(report.by_type))
        row.setToolTip(self.COL_TYPES, counts_phrase(report.by_type).replace(", ", "\n"))
        if report.output:
            self.last_output = Path(report.output)
            self.open_button.setEnabled(True)
            row.setToolTip(self.COL_STATUS, str(report.output))
        log.info("file done: %s, %s", report.verdict, report.by_type)
        try:
            from app.updates.usage import record_event

            if report.verdict in ("redacted", "clean"):
                record_event("file_sanitized", report.by_type)
            elif report.verdict == "blocked":
                record_event("block")
        except ImportError:
            pass
        self._update_summary()
        self.finished_file.emit(item, report)

    def _failed(self, item: DropItem, row: QTreeWidgetItem, exc: BaseException) -> None:
        self._pending -= 1
        self.table.removeItemWidget(row, self.COL_STATUS)
        log.error("file failed: %s", type(exc).__name__)
        self._set_status(row, "⚠ " + _("Không xử lý được tệp này (bộ quy tắc chưa sẵn sàng "
                                       "hoặc lỗi đọc tệp). Tệp gốc không bị thay đổi."), "#8a4b00")
        self._update_summary()
        self.finished_file.emit(item, None)

    def _set_status(self, row: QTreeWidgetItem, text: str, colour: str) -> None:
        from .qt import QBrush, QColor

        row.setText(self.COL_STATUS, text)
        row.setForeground(self.COL_STATUS, QBrush(QColor(colour)))

    def _update_summary(self) -> None:
        total = self.table.topLevelItemCount()
        if self._pending:
            self.summary.setText(_("Đang xử lý: còn {n} tệp…").format(n=self._pending))
        elif total:
            self.summary.setText(_("Xong. Tệp gốc không bị thay đổi; bản đã che nằm cạnh tệp gốc "
                                   "hoặc trong thư mục kết quả."))
        else:
            self.summary.setText("")

    def open_output_folder(self) -> None:
        if self.last_output is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_output.parent)))
