"""The tray follows rule-pack updates: an installed pack rebuilds the engine."""

from app.desktop import updates_flow


class FakeUpdater:
    def __init__(self):
        self.listeners = []

    def subscribe(self, listener):
        self.listeners.append(listener)

    def check_now(self):
        from app.updates.updater import CheckResult

        result = CheckResult("installed")
        for listener in self.listeners:
            listener(result)
        return result

    def next_delay(self):
        return 3600.0


def test_installed_pack_rebuilds_the_engine(tray, qtbot, monkeypatch):
    resets, starts = [], []
    monkeypatch.setattr("app.engine.reset_default_engine", lambda: resets.append(1))
    monkeypatch.setattr(tray.engine_host, "start", lambda: starts.append(1))
    bridge = updates_flow.install(tray, start=False)
    updater = FakeUpdater()
    bridge.start(updater, first_delay=0.01)
    qtbot.waitUntil(lambda: bool(starts), timeout=5000)
    assert resets and starts
    bridge.stop()


def test_other_outcomes_keep_the_engine(tray, monkeypatch):
    starts = []
    monkeypatch.setattr(tray.engine_host, "start", lambda: starts.append(1))
    bridge = updates_flow.install(tray, start=False)
    bridge._on_checked("up_to_date")
    bridge._on_checked("rejected")
    assert starts == []


def test_polling_starts_only_with_a_source(tray, tmp_path):
    bridge = updates_flow.install(tray)
    assert bridge.loop is None  # nothing configured: no thread
    tray.settings.set("rule_source", str(tmp_path))
    assert bridge.loop is not None and bridge.loop.is_alive()
    bridge.stop()
    assert bridge.loop is None
