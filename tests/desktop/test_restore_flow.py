"""Tray restore: safe copy -> chatbot answer on the clipboard -> offer -> restored, marked."""

from __future__ import annotations

import pytest
from desktop_samples import CCCD, EMAIL, PHONE

from app.desktop import analysis
from app.desktop.clipboard import MARKER, WINDOWS_EXCLUSION, windows_format
from app.desktop.qt import QByteArray, QGuiApplication, QMimeData
from app.engine.vault import VAULT_FILE, Vault

TEXT = f"Ông Trần Văn Bình, số CCCD {CCCD}, điện thoại {PHONE}, email {EMAIL}."


class Clock:
    now = 1_800_000_000.0

    def __call__(self):
        return self.now


def copy(text: str = "", html: str = "", extra: dict[str, bytes] | None = None) -> None:
    mime = QMimeData()
    if text:
        mime.setText(text)
    if html:
        mime.setHtml(html)
    for name, data in (extra or {}).items():
        mime.setData(name, QByteArray(data))
    QGuiApplication.clipboard().setMimeData(mime)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def vault(tmp_path, clock):
    return Vault(tmp_path / "vault" / VAULT_FILE, ttl_hours=1, clock=clock)


@pytest.fixture
def flow(tray, vault, monkeypatch):
    """The installed flow, pointed at a private vault; safe copies number through it."""
    monkeypatch.setattr(analysis, "placeholder_map_factory", lambda: vault)
    flow = tray.restore_flow
    flow._vault_provider = lambda: vault
    return flow


def safe_copy(qtbot, tray) -> str:
    with qtbot.waitSignal(tray.analysis_ready, timeout=10_000):
        copy(text=TEXT)
    with qtbot.waitSignal(tray.copied, timeout=5000):
        tray.popup.button("copy").click()
    return QGuiApplication.clipboard().text()


def test_installed_with_menu_actions(tray):
    texts = [a.text() for a in tray.menu.actions()]
    assert "Khôi phục giá trị thật" in texts and "Xóa kho giá trị ngay" in texts


def test_answer_is_offered_restored_and_marked_private(qtbot, tray, flow, vault):
    redacted = safe_copy(qtbot, tray)
    assert CCCD not in redacted and "[CCCD_1]" in redacted
    assert vault.value_of("[CCCD_1]") == CCCD  # the copy went through the vault
    answer = ("Kính gửi **[HỌ_TÊN_1]**,\n| CCCD | SĐT |\n|---|---|\n| [cccd_1] | SDT_1 |\n"
              "Liên hệ qua [ EMAIL 1 ].")
    generation = tray._generation
    copy(text=answer)
    assert tray._generation == generation + 1
    assert tray.popup.isVisible() and tray.popup.kind == "restore"
    assert tray.popup.button("restore").text() == "Khôi phục giá trị thật"
    assert not tray.runner.busy()  # taken over: no analysis of the answer as a new copy
    assert QGuiApplication.clipboard().text() == answer  # nothing changes before the click

    tray.popup.button("restore").click()
    mime = QGuiApplication.clipboard().mimeData()
    restored = mime.text()
    assert "**Trần Văn Bình**" in restored
    assert f"| {CCCD} | {PHONE} |" in restored and f"Liên hệ qua {EMAIL}." in restored
    assert bytes(mime.data(MARKER)) == b"restored"
    for name in WINDOWS_EXCLUSION:
        assert bytes(mime.data(windows_format(name))) == b"\0\0\0\0"
    assert tray.popup.kind == "info" and "4 giá trị" in tray.popup.body.text()
    assert CCCD not in tray.popup.body.text()
    # Our own restored write is never re-offered for redaction.
    generation = tray._generation
    tray.watcher.poll()
    QGuiApplication.clipboard().setMimeData(QGuiApplication.clipboard().mimeData())
    tray.watcher.poll()
    assert tray._generation == generation and not tray.runner.busy()


def test_html_flavour_restored_with_escaping(qtbot, tray, flow, vault):
    with vault.recording():
        vault.placeholder_for("CƠ_QUAN", "ORG", "Công ty A & B <HN>")
    copy(text="Gửi [CƠ_QUAN_1].", html="<p>Gửi <b>[CƠ_QUAN_1]</b>.</p>")
    assert tray.popup.kind == "restore"
    tray.popup.button("restore").click()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == "Gửi Công ty A & B <HN>."
    assert "<b>Công ty A &amp; B &lt;HN&gt;</b>" in mime.html()


def test_unknown_placeholders_go_through_the_normal_flow(qtbot, tray, flow):
    with qtbot.waitSignal(tray.analysis_ready, timeout=10_000):
        copy(text=f"Trả lời [HỌ_TÊN_7] về CCCD {CCCD}")
    assert tray.popup.kind == "offer"  # the real CCCD in it is still offered for redaction


def test_menu_restore_handles_forms_the_watcher_does_not_flag(qtbot, tray, flow, vault):
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    tray.watcher.set_enabled(False)  # the user copied; we act only on the menu click
    copy(text="Số định danh: **CCCD_1** và [CCCD_5]")
    flow.restore_action.trigger()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text() == f"Số định danh: **{CCCD}** và [CCCD_5]"
    assert mime.hasFormat(MARKER)
    assert "[CCCD_5]" in tray.popup.body.text()


def test_menu_restore_with_nothing_known_says_so(qtbot, tray, flow, vault, clock):
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    clock.now += 2 * 3600  # past the one-hour TTL of this vault
    tray.watcher.set_enabled(False)
    copy(text="Số [CCCD_1]")
    flow.restore_action.trigger()
    assert QGuiApplication.clipboard().text() == "Số [CCCD_1]"
    assert not QGuiApplication.clipboard().mimeData().hasFormat(MARKER)
    assert tray.popup.kind == "info" and "[CCCD_1]" in tray.popup.body.text()
    assert "hết hạn" in tray.popup.body.text()


def test_dismiss_forgets_the_answer(qtbot, tray, flow, vault):
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    copy(text="Số [CCCD_1]")
    assert tray.popup.kind == "restore" and flow._pending is not None
    tray.popup.button("dismiss").click()
    assert flow._pending is None
    assert QGuiApplication.clipboard().text() == "Số [CCCD_1]"


def test_clear_vault_now(qtbot, tray, flow, vault, tmp_path):
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    flow.clear_action.trigger()
    assert vault.items() == {}
    assert "Đã xóa kho giá trị" in tray.popup.title.text()
    reader = Vault(tmp_path / "vault" / VAULT_FILE)
    reader.load()
    assert reader.items() == {}
    with qtbot.waitSignal(tray.analysis_ready, timeout=10_000):
        copy(text="Số [CCCD_1]")  # no longer offered for restore
    assert tray.popup.kind != "restore"


def test_purge_timer_drops_expired_values(tray, flow, vault, clock, tmp_path):
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    clock.now += 3601
    assert flow.purge() == 1
    reader = Vault(tmp_path / "vault" / VAULT_FILE, clock=clock)
    reader.load()
    assert reader.items() == {} and reader.was_issued("CCCD", 1)


def test_bracketless_answers_are_offered_too(qtbot, tray, flow, vault):
    assert tray.placeholder_probe("Gửi **CCCD_1**")  # the flow's looser pre-check
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    copy(text="Số định danh của ông là **CCCD_1**.")
    assert tray.popup.kind == "restore"
    tray.popup.button("restore").click()
    assert QGuiApplication.clipboard().text() == f"Số định danh của ông là **{CCCD}**."
