"""Clipboard change -> analysis off the UI thread -> popup -> safe copy."""

from __future__ import annotations

import pytest
from desktop_samples import CCCD, DATA, EMAIL, PHONE

from app.desktop.clipboard import MARKER, WINDOWS_EXCLUSION, windows_format
from app.desktop.qt import QByteArray, QGuiApplication, QImage, QMimeData

TEXT = f"Ông Trần Văn Bình, số CCCD {CCCD}, điện thoại {PHONE}, email {EMAIL}."


def copy(text: str = "", html: str = "", extra: dict[str, bytes] | None = None) -> None:
    """What another app's copy looks like to us."""
    mime = QMimeData()
    if text:
        mime.setText(text)
    if html:
        mime.setHtml(html)
    for name, data in (extra or {}).items():
        mime.setData(name, QByteArray(data))
    QGuiApplication.clipboard().setMimeData(mime)


def copy_and_wait(qtbot, tray, **kwargs):
    with qtbot.waitSignal(tray.analysis_ready, timeout=10_000) as blocker:
        copy(**kwargs)
    return blocker.args[0]


def test_change_shows_offer_and_safe_copy_replaces_text_and_html(qtbot, tray):
    result = copy_and_wait(qtbot, tray, text=TEXT)
    assert result.verdict == "redacted"
    assert tray.popup.isVisible() and tray.popup.kind == "offer"
    assert tray.popup.button("copy").text() == "Sao chép bản đã che"
    assert tray.popup.button("review").text() == "Xem lại"
    assert tray.popup.button("dismiss").text() == "Bỏ qua"
    # Nothing changed on the clipboard before the user decides.
    assert QGuiApplication.clipboard().text() == TEXT

    with qtbot.waitSignal(tray.copied, timeout=5000):
        tray.popup.button("copy").click()
    mime = QGuiApplication.clipboard().mimeData()
    assert CCCD not in mime.text() and EMAIL not in mime.text() and "0912" not in mime.text()
    assert "[CCCD_1]" in mime.text() and "[EMAIL_1]" in mime.text().replace("EMAIL", "EMAIL")
    assert mime.hasHtml() and "[CCCD_1]" in mime.html() and CCCD not in mime.html()
    assert mime.hasFormat(MARKER)
    for name in WINDOWS_EXCLUSION:
        assert bytes(mime.data(windows_format(name))) == b"\0\0\0\0"


def test_our_own_write_is_not_analysed_again(qtbot, tray):
    copy_and_wait(qtbot, tray, text=TEXT)
    with qtbot.waitSignal(tray.copied, timeout=5000):
        tray.popup.button("copy").click()
    generation = tray._generation
    # A marked write (ours, e.g. from another Giữ Kín window) is ignored too.
    copy(text=f"CCCD {CCCD}", extra={MARKER: b"redacted"})
    tray.watcher.poll()
    assert tray._generation == generation


def test_undo_after_safe_copy_gives_the_original_back(qtbot, tray):
    copy_and_wait(qtbot, tray, text=TEXT)
    with qtbot.waitSignal(tray.copied, timeout=5000):
        tray.popup.button("copy").click()
    assert QGuiApplication.clipboard().text() != TEXT
    tray.popup.button("undo").click()
    assert QGuiApplication.clipboard().text() == TEXT
    generation = tray._generation
    tray.watcher.poll()
    assert tray._generation == generation  # the restored original is ours: no new popup


def test_dismiss_leaves_clipboard_untouched(qtbot, tray):
    copy_and_wait(qtbot, tray, text=TEXT)
    tray.popup.button("dismiss").click()
    assert not tray.popup.isVisible()
    assert QGuiApplication.clipboard().text() == TEXT


def test_clean_text_shows_nothing(qtbot, tray):
    result = copy_and_wait(qtbot, tray, text="Kế hoạch công tác tháng 12 của phòng.")
    assert result.verdict == "clean"
    assert not tray.popup.isVisible()


def test_html_flavour_hidden_values_are_found_and_not_written_back(qtbot, tray):
    html = (f"<p>Báo cáo tuần</p><span style='display:none'>CCCD {CCCD}</span>"
            f"<a href='mailto:{EMAIL}'>liên hệ</a><!-- ĐT {PHONE} -->")
    result = copy_and_wait(qtbot, tray, text="Báo cáo tuần\nliên hệ", html=html)
    assert result.verdict == "redacted"
    entities = {f.entity for f in result.html_only}
    assert {"VN_CCCD", "EMAIL_ADDRESS"} <= entities
    assert "HTML" in tray.popup.body.text()
    with qtbot.waitSignal(tray.copied, timeout=5000):
        tray.popup.button("copy").click()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == "Báo cáo tuần\nliên hệ"
    assert CCCD not in mime.html() and EMAIL not in mime.html() and "0912" not in mime.html()
    assert "Báo cáo tuần" in mime.html()


def test_html_only_copy_is_scanned(qtbot, tray):
    result = copy_and_wait(qtbot, tray, html=f"<b>Số CCCD:</b> {CCCD}")
    assert result.verdict == "redacted"
    with qtbot.waitSignal(tray.copied, timeout=5000):
        tray.popup.button("copy").click()
    mime = QGuiApplication.clipboard().mimeData()
    assert "[CCCD_1]" in mime.text() and CCCD not in mime.html()


def test_blocked_stamp_gives_notice_and_no_copy(qtbot, tray):
    text = f"UBND TỈNH X\nTỐI MẬT\nDanh sách cán bộ, CCCD {CCCD}"
    result = copy_and_wait(qtbot, tray, text=text)
    assert result.verdict == "blocked"
    popup = tray.popup
    assert popup.isVisible() and popup.kind == "blocked"
    assert popup.button("copy") is None
    body = popup.body.text()
    assert "TỐI MẬT" in body and "dòng 2" in body and "bí mật nhà nước" in body
    assert "557/BKHCN" in body
    assert QGuiApplication.clipboard().text() == text  # the user's copy is kept as it was
    with pytest.raises(ValueError):
        tray.copy_safe(result)


def test_stamp_hidden_in_html_blocks(qtbot, tray):
    result = copy_and_wait(qtbot, tray, text="Thông báo họp",
                           html="<p>Thông báo họp</p><div hidden>\nMẬT\n</div>")
    assert result.verdict == "blocked"
    assert "HTML" in tray.popup.body.text()


def test_internal_mark_block_policy(qtbot, qapp, marks_engine, monkeypatch):
    from app.desktop import analysis
    from app.desktop.tray import TrayApp
    from app.engine import Engine, PlaceholderMap
    from app.engine.rules import default_pack_dir
    from app.settings import Settings

    monkeypatch.setattr(analysis, "placeholder_map_factory", PlaceholderMap)
    settings = Settings(policy={"internal_mark_action": "block"})
    from app.desktop.engine_host import build_engine  # noqa: F401  (the real factory path)
    from app.engine import Policy

    def factory(s):
        return Engine.from_folders([default_pack_dir(), DATA / "marks-pack"],
                                   Policy(**s.engine_policy_fields()))

    app = TrayApp(settings, show_tray=False, engine_factory=factory)
    app.start()
    app.runner.wait(10_000)
    qapp.processEvents()
    result = copy_and_wait(qtbot, app, text="LƯU HÀNH NỘI BỘ\nKế hoạch kiểm tra.")
    assert result.verdict == "blocked"
    assert "chính sách của đơn vị" in app.popup.body.text().lower()
    app.watcher.set_enabled(False)
    app.popup.hide()


def test_replace_mode_replaces_at_once_and_undo_restores(qtbot, tray):
    tray.settings.set("clipboard_mode", "replace")
    copy_and_wait(qtbot, tray, text=TEXT)
    assert tray.popup.kind == "replaced"
    assert CCCD not in QGuiApplication.clipboard().text()
    tray.popup.button("undo").click()
    assert QGuiApplication.clipboard().text() == TEXT


def test_image_only_and_binary_content_are_ignored(qtbot, tray):
    generation = tray._generation
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(0xFF3366)
    QGuiApplication.clipboard().setImage(image)
    copy(extra={"application/octet-stream": bytes(range(256)) * 100})
    qtbot.wait(50)
    assert tray._generation == generation
    assert not tray.popup.isVisible()


def test_too_large_text_gets_a_notice_not_a_freeze(qtbot, tray):
    from app.desktop.analysis import MAX_TEXT_CHARS

    big = "a" * (MAX_TEXT_CHARS + 10)
    result = copy_and_wait(qtbot, tray, text=big)
    assert result.too_large
    assert tray.popup.isVisible() and tray.popup.kind == "info"


def test_poll_catches_a_change_without_signal(qtbot, tray):
    clipboard = QGuiApplication.clipboard()
    clipboard.blockSignals(True)
    try:
        copy(text=TEXT)
    finally:
        clipboard.blockSignals(False)
    with qtbot.waitSignal(tray.analysis_ready, timeout=10_000):
        tray.watcher.poll()
    assert tray.popup.kind == "offer"


def test_watch_off_means_no_analysis(qtbot, tray):
    tray.settings.set("watch_clipboard", False)
    generation = tray._generation
    copy(text=TEXT)
    tray.watcher.poll()
    assert tray._generation == generation
    assert not tray.watch_action.isChecked()


def test_placeholder_handler_takes_over_answers(qtbot, tray):
    seen = []
    tray.set_placeholder_handler(lambda text: seen.append(text) or True)
    generation_before = tray.runner.busy()
    copy(text="Kính gửi [HỌ_TÊN_1], số [CCCD_1] đã được xác nhận.")
    assert seen == ["Kính gửi [HỌ_TÊN_1], số [CCCD_1] đã được xác nhận."]
    assert tray.runner.busy() == generation_before
    assert not tray.popup.isVisible()


def test_menu_sections_accept_extra_actions(tray):
    from app.desktop.qt import QAction

    action = QAction("Khôi phục giá trị thật")
    tray.add_menu_action(action, "restore")
    actions = tray.menu.actions()
    assert actions.index(action) < actions.index(tray.settings_action)
    assert actions.index(action) > actions.index(tray.drop_action)
    with pytest.raises(ValueError):
        tray.add_menu_action(QAction("x"), "nowhere")
    from app import i18n

    try:  # rebuilding the menu for another language keeps added actions alive and in place
        tray.settings.set("language", "en")
        actions = tray.menu.actions()
        assert action in actions and action.text() == "Khôi phục giá trị thật"
        assert actions.index(action) < actions.index(tray.settings_action)
    finally:
        i18n.set_language("vi")


def test_popup_variants_do_not_keep_old_buttons(qtbot, tray, marks_engine):
    from app.desktop.analysis import analyze_clip

    tray.popup.show_offer(analyze_clip(marks_engine, f"CCCD {CCCD}"))
    tray.popup.show_blocked(analyze_clip(marks_engine, "MẬT\nBáo cáo"))
    assert tray.popup.button("copy") is None and tray.popup.button("review") is None
    assert tray.popup.button("dismiss").text() == "Đã hiểu"


def test_logs_hold_counts_never_values(qtbot, tray, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="app")
    copy_and_wait(qtbot, tray, text=TEXT)
    with qtbot.waitSignal(tray.copied, timeout=5000):
        tray.popup.button("copy").click()
    copy_and_wait(qtbot, tray, text=f"MẬT\nCCCD {CCCD}")
    assert "VN_CCCD" in caplog.text  # counts by type are logged
    for value in (CCCD, EMAIL, "0912", "Trần Văn Bình", "MẬT"):
        assert value not in caplog.text


def test_language_switch_rebuilds_the_menu(tray):
    from app import i18n

    try:
        tray.settings.set("language", "en")
        assert tray.quit_action.text() == "Quit"
        assert tray.watch_action.text() == "Watch the clipboard"
    finally:
        i18n.set_language("vi")


def test_engine_failure_is_reported_not_fatal(qtbot, qapp, settings):
    from app.desktop.tray import TrayApp

    def broken(_settings):
        raise RuntimeError("pack unreadable")

    app = TrayApp(settings, show_tray=False, engine_factory=broken)
    with qtbot.waitSignal(app.engine_host.failed, timeout=5000):
        app.start()
    assert "Lỗi" in app.status_action.text()
    assert app.popup.isVisible() and app.popup.title.text() == "Không nạp được bộ quy tắc"
    copy(text=TEXT)  # a copy while the engine is missing: a notice, no crash
    qtbot.waitUntil(lambda: not app.runner.busy(), timeout=5000)
    assert app.popup.title.text() == "Chưa kiểm tra được clipboard"
    app.watcher.set_enabled(False)
    app.popup.hide()


def test_burst_of_copies_shows_only_the_last(qtbot, tray):
    shown = []
    tray.analysis_ready.connect(shown.append)
    for n in range(5):
        copy(text=f"Bản nháp {n}: CCCD {CCCD}")
    copy(text=f"Cuối cùng: email {EMAIL}")
    qtbot.waitUntil(lambda: not tray.runner.busy(), timeout=10_000)
    assert len(shown) == 1
    assert [f.entity for f in shown[0].findings] == ["EMAIL_ADDRESS"]


def test_release_keeps_safe_text_and_clears_restored_values(tray):
    tray.write_clipboard("Số [CCCD_1]", "<p>Số [CCCD_1]</p>")
    tray.watcher.release()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == "Số [CCCD_1]" and not mime.hasFormat(MARKER)
    tray.write_clipboard(f"Số {CCCD}", kind=b"restored")
    tray.watcher.release()
    assert QGuiApplication.clipboard().text() == ""


def test_process_exits_cleanly_with_our_copy_on_the_clipboard():
    """Qt deletes clipboard data after Python has exited; shutdown() must prevent a crash."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from app.desktop.qt import QApplication\n"
        "from app.desktop.tray import TrayApp\n"
        "from app.settings import Settings\n"
        "app = QApplication([])\n"
        "tray = TrayApp(Settings(policy={}), show_tray=False, engine_factory=lambda s: None)\n"
        "tray.start(warm_engine=False)\n"
        "tray.write_clipboard('Số [CCCD_1]', '<p>Số [CCCD_1]</p>')\n"
        "tray.shutdown()\n")
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr[-1500:]
