"""Review window toggles, drop window with synthetic drop events, settings dialog locks."""

from __future__ import annotations

from pathlib import Path

import pytest
from desktop_samples import CCCD, EMAIL, PHONE

from app.desktop.analysis import analyze_clip
from app.desktop.qt import (
    QApplication,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QMimeData,
    QPointF,
    Qt,
    QUrl,
)

TEXT = f"Bà Lê Thị Hoa\nCCCD {CCCD}\nĐiện thoại {PHONE}\nEmail {EMAIL}\nLƯU HÀNH NỘI BỘ"


def review(tray, marks_engine):
    result = analyze_clip(marks_engine, TEXT)
    tray.current = result
    tray.open_review(result)
    window = tray._review
    window.activateWindow()
    tray.popup.hide()
    window.raise_()
    return result, window


def index_of(result, entity):
    return next(i for i, f in enumerate(result.findings) if f.entity == entity)


def test_review_lists_findings_and_preview_follows_toggles(qtbot, tray, marks_engine):
    result, window = review(tray, marks_engine)
    assert window.list.count() == len([f for f in result.findings if f.action in ("redact", "warn")])
    assert CCCD not in window.preview.toPlainText()
    assert "[CCCD_1]" in window.preview.toPlainText()
    cccd = index_of(result, "VN_CCCD")
    window.set_checked(cccd, False)  # keep the ID in clear
    assert CCCD in window.preview.toPlainText()
    assert cccd in window.kept()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    with qtbot.waitSignal(tray.copied, timeout=5000):
        qtbot.keyClick(window.list, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    assert CCCD in text and EMAIL not in text and "[EMAIL_1]" in text


def test_review_marks_extra_text(qtbot, tray, marks_engine):
    result, window = review(tray, marks_engine)
    start = TEXT.index("Điện thoại")
    window.mark_span(start, start + len("Điện thoại"))
    assert "[ĐÃ_CHE_1]" in window.preview.toPlainText()
    assert "Điện thoại" not in window.preview.toPlainText()
    window.clear_marks()
    assert "Điện thoại" in window.preview.toPlainText()
    # Marking by keyboard: select text in the source pane, Ctrl+M.
    cursor = window.source.textCursor()
    begin = TEXT.index("Email")
    cursor.setPosition(begin)
    cursor.setPosition(begin + len("Email"), cursor.MoveMode.KeepAnchor)
    window.source.setTextCursor(cursor)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.keyClick(window.source, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert window.marks == [(begin, begin + len("Email"))]


def test_review_locks_required_types(qtbot, tray, marks_engine):
    tray.settings.set("allow_keep_finding", False)
    result, window = review(tray, marks_engine)
    cccd = index_of(result, "VN_CCCD")
    item = next(window.list.item(i) for i in range(window.list.count())
                if window.list.item(i).data(Qt.ItemDataRole.UserRole + 1) == cccd)
    assert not item.flags() & Qt.ItemFlag.ItemIsUserCheckable


def test_review_positions_with_emoji_and_crlf(qtbot, tray, marks_engine):
    from app.desktop.review import PositionMap

    text = "a😀\r\nCCCD " + CCCD
    positions = PositionMap(text)
    start = text.index(CCCD)
    assert positions.to_qt(start) == start  # +1 for the emoji, -1 for CRLF
    assert positions.from_qt(positions.to_qt(start)) == start
    assert PositionMap("abc").to_qt(2) == 2


def drop(widget, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPointF(10, 10), action, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QGuiApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(10, 10), action, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QGuiApplication.sendEvent(widget, event)


def wait_files(qtbot, window, count):
    done = []
    window.finished_file.connect(lambda item, report: done.append(report))
    qtbot.waitUntil(lambda: len(done) >= count, timeout=20_000)
    return done


def test_drop_text_files_and_folder(qtbot, tray, tmp_path):
    folder = tmp_path / "hồ sơ"
    (folder / "con").mkdir(parents=True)
    (folder / "a.txt").write_text(f"Số CCCD {CCCD}, email {EMAIL}", encoding="utf-8")
    (folder / "con" / "b.md").write_text("Biên bản họp giao ban tuần.", encoding="utf-8")
    secret = tmp_path / "mat.txt"
    secret.write_text(f"TUYỆT MẬT\nCCCD {CCCD}", encoding="utf-8")
    other = tmp_path / "anh.png"
    other.write_bytes(b"\x89PNG\r\n")
    tray.show_drop_window()
    window = tray._drop
    drop(window.area, [folder, secret, other])
    reports = wait_files(qtbot, window, 3)
    by_name = {Path(r.path).name: r for r in reports}
    assert by_name["a.txt"].verdict == "redacted" and by_name["a.txt"].by_type["VN_CCCD"] == 1
    out = Path(by_name["a.txt"].output)
    assert out.name == "a (đã che).txt" and CCCD not in out.read_text(encoding="utf-8")
    assert (folder / "a.txt").read_text(encoding="utf-8").count(CCCD) == 1  # original intact
    assert by_name["b.md"].verdict == "clean"
    assert by_name["mat.txt"].verdict == "blocked" and by_name["mat.txt"].output is None
    assert not (tmp_path / "mat (đã che).txt").exists()
    rows = {window.table.topLevelItem(i).text(0): window.table.topLevelItem(i)
            for i in range(window.table.topLevelItemCount())}
    assert "Chưa hỗ trợ loại tệp .png" in rows["anh.png"].text(1)
    assert "Bị chặn" in rows["mat.txt"].text(1)
    assert "Số CCCD" in rows["a.txt"].text(2)
    assert window.open_button.isEnabled()


def test_drop_uses_output_folder_setting(qtbot, tray, tmp_path):
    source = tmp_path / "in" / "c.txt"
    source.parent.mkdir()
    source.write_text(f"ĐT {PHONE}", encoding="utf-8")
    tray.settings.set("output_folder", str(tmp_path / "out"))
    tray.show_drop_window()
    drop(tray._drop, [source])  # dropped on the window, outside the area
    reports = wait_files(qtbot, tray._drop, 1)
    assert Path(reports[0].output).parent == tmp_path / "out"


def test_drop_without_urls_is_refused(qtbot, tray):
    tray.show_drop_window()
    mime = QMimeData()
    mime.setText("không phải tệp")
    enter = QDragEnterEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QGuiApplication.sendEvent(tray._drop.area, enter)
    assert not enter.isAccepted()


def test_settings_dialog_shows_locked_values_disabled(qtbot, tray):
    tray.settings.apply_policy({"clipboard_mode": "replace", "internal_mark_action": "block"})
    tray.show_settings()
    dialog = tray._settings_dialog
    assert not dialog.editors["clipboard_mode"].isEnabled()
    assert dialog.value_of("clipboard_mode") == "replace"
    assert dialog.editors["watch_clipboard"].isEnabled()
    assert "CNTT" in dialog.lock_note.text()
    dialog.editors["watch_clipboard"].setChecked(False)
    dialog.editors["clipboard_mode"].setCurrentIndex(0)  # cannot stick: locked
    dialog.save()
    assert tray.settings.get("watch_clipboard") is False
    assert tray.settings.get("clipboard_mode") == "replace"
    assert not tray.watcher.enabled


def test_settings_dialog_redact_types_round_trip(qtbot, tray):
    tray.show_settings()
    dialog = tray._settings_dialog
    listing = dialog.editors["redact_types"]
    assert dialog.value_of("redact_types") == []  # all ticked means all types
    for i in range(listing.count()):
        item = listing.item(i)
        if item.data(Qt.ItemDataRole.UserRole) != "VN_CCCD":
            item.setCheckState(Qt.CheckState.Unchecked)
    dialog.save()
    assert tray.settings.get("redact_types") == ["VN_CCCD"]


def test_locked_watch_toggle_is_disabled_in_menu(tray):
    tray.settings.apply_policy({"watch_clipboard": True})
    tray._refresh_status()
    assert not tray.watch_action.isEnabled()


def test_detection_settings_rebuild_the_engine_once(qtbot, qapp, settings, marks_engine):
    from app.desktop.tray import TrayApp

    built = []

    def factory(s):
        built.append((tuple(s.get("redact_types")), s.get("internal_mark_action")))
        return marks_engine

    app = TrayApp(settings, show_tray=False, engine_factory=factory)
    app.start()
    app.runner.wait(10_000)
    app.show_settings()
    dialog = app._settings_dialog
    dialog.editors["internal_mark_action"].setCurrentIndex(2)
    listing = dialog.editors["redact_types"]
    listing.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.save()
    qtbot.waitUntil(lambda: len(built) == 2, timeout=5000)
    qtbot.wait(100)
    app.runner.wait(5000)
    assert len(built) == 2
    assert built[-1][1] == "block" and "VN_PERSON" not in built[-1][0] and built[-1][0]
    app.watcher.set_enabled(False)
    dialog.close()


def test_drop_word_file(qtbot, tray, tmp_path):
    documents = pytest.importorskip("app.documents")
    if not hasattr(documents, "redact_document"):
        pytest.skip("app.documents has not landed yet")
    import docx

    path = tmp_path / "to-trinh.docx"
    document = docx.Document()
    document.add_paragraph(f"Ông Trần Văn Bình, số CCCD {CCCD}, điện thoại {PHONE}.")
    document.save(path)
    tray.show_drop_window()
    drop(tray._drop.area, [path])
    report = wait_files(qtbot, tray._drop, 1)[0]
    assert report.verdict == "redacted", report.error
    text = "\n".join(p.text for p in docx.Document(report.output).paragraphs)
    assert CCCD not in text and "[CCCD_1]" in text
