"""The one place that imports Qt (PySide6). Every other desktop module imports from here.

Keeping Qt behind one module lets a test prove that nothing outside ``app/desktop`` pulls
Qt in, and makes a later binding switch a one-file change.
"""

# ruff: noqa: F401, E402  (this module exists to re-export)
from __future__ import annotations

import sys


def _pin_singletons() -> None:
    """Keep None, True and False alive under PySide6 6.12 on Python 3.11.

    PySide6 6.12's abi3 wrappers hand back None (every void Qt method) and the booleans
    without a new reference: harmless where those objects are immortal (Python 3.12+), but
    on 3.11 each call takes one reference away until the interpreter aborts with "Fatal
    Python error: none_dealloc" after a few thousand calls (measured: -1 per
    ``QLabel.setText``). Giving them a reference count no run can use up is what 3.12 does.
    """
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):  # immortal / debug build
        return
    import ctypes

    for singleton in (None, True, False, Ellipsis, NotImplemented):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40


_pin_singletons()

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QEventLoop,
    QMimeData,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QClipboard,
    QColor,
    QCursor,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QSystemTrayIcon,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


def qconnect(signal, slot) -> None:
    """Connect a signal to a slot (one spelling for the whole code base)."""
    signal.connect(slot)
