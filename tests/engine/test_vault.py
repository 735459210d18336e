"""The restore vault: numbering across redactions, encryption at rest, expiry, keys."""

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.engine import keystore
from app.engine.restore import restore_text
from app.engine.vault import MAGIC, VAULT_FILE, Vault, default_vault, reset_default_vault

REPO = Path(__file__).resolve().parents[2]
NAME = "Trần Thị Bích Ngọc"
CCCD = "001085000123"
PHONE = "0912345678"


class Clock:
    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def make(home, **kw):
    return Vault(home / VAULT_FILE, **kw)


def test_numbers_across_entries_and_keeps_one_placeholder_per_value(home):
    vault = make(home)
    with vault.recording("text"):
        first = vault.placeholder_for("HỌ_TÊN", "VN_PERSON", NAME)
        other = vault.placeholder_for("HỌ_TÊN", "VN_PERSON", "Lê Văn Tám")
    with vault.recording("clipboard"):
        again = vault.placeholder_for("HỌ_TÊN", "VN_PERSON", NAME.upper())
        third = vault.placeholder_for("HỌ_TÊN", "VN_PERSON", "Phạm Minh Châu")
    assert (first, other, again, third) == ("[HỌ_TÊN_1]", "[HỌ_TÊN_2]", "[HỌ_TÊN_1]",
                                            "[HỌ_TÊN_3]")
    assert vault.value_of("[HỌ_TÊN_1]") == NAME


def test_engine_redacts_through_the_vault(engine, home):
    vault = make(home)
    with vault.recording():
        one = engine.redact(f"CCCD {CCCD}, SĐT {PHONE}", placeholders=vault.placeholder_map())
    with vault.recording():
        two = engine.redact(f"Gọi {PHONE} hoặc 0987654321", placeholders=vault.placeholder_map())
    assert one.text == "CCCD [CCCD_1], SĐT [SĐT_1]"
    assert two.text == "Gọi [SĐT_1] hoặc [SĐT_2]"


def test_another_process_restores_what_one_process_saved(home):
    vault = make(home)
    with vault.recording("file"):
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    reader = make(home)
    reader.load()
    assert reader.value_of("[CCCD_1]") == CCCD
    # ... and keeps numbering after it, never reusing [CCCD_1].
    with reader.recording():
        assert reader.placeholder_for("CCCD", "VN_CCCD", "001090000456") == "[CCCD_2]"
    # The first instance sees the second one's entry on its next recording.
    with vault.recording():
        assert vault.placeholder_for("CCCD", "VN_CCCD", "001090000456") == "[CCCD_2]"


def test_two_instances_recording_in_turn_never_collide(home):
    a, b = make(home), make(home)
    handed = {}
    for index in range(6):
        vault = a if index % 2 else b
        with vault.recording():
            value = f"00108500{index:04d}"
            handed[vault.placeholder_for("CCCD", "VN_CCCD", value)] = value
    assert len(handed) == 6
    fresh = make(home)
    fresh.load()
    assert fresh.items() == handed


def test_file_on_disk_holds_no_value_in_clear(home):
    vault = make(home)
    with vault.recording():
        for label, entity, value in (("HỌ_TÊN", "VN_PERSON", NAME), ("CCCD", "VN_CCCD", CCCD),
                                     ("SĐT", "PHONE_NUMBER", PHONE),
                                     ("EMAIL", "EMAIL_ADDRESS", "ngoc.tran@example.vn")):
            vault.placeholder_for(label, entity, value)
    blob = (home / VAULT_FILE).read_bytes()
    assert blob.startswith(MAGIC)
    for value in (NAME, CCCD, PHONE, "ngoc.tran@example.vn", "Bích", "example.vn"):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert value.encode(encoding) not in blob
    # grep the whole folder too: the key file and lock hold no value either.
    for path in home.rglob("*"):
        data = path.read_bytes() if path.is_file() else b""
        assert CCCD.encode() not in data and PHONE.encode() not in data, path
    if shutil.which("grep"):
        found = subprocess.run(["grep", "-r", "-l", "-a", "-e", CCCD, "-e", PHONE, str(home)],
                               capture_output=True, text=True)
        assert found.stdout == ""
    if os.name == "posix":
        assert (home / VAULT_FILE).stat().st_mode & 0o777 == 0o600
        assert (home / keystore.KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_tampered_file_is_not_trusted_and_nothing_crashes(home, caplog):
    vault = make(home)
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    path = home / VAULT_FILE
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 0x01
    path.write_bytes(bytes(blob))
    reader = make(home)
    with caplog.at_level(logging.WARNING):
        reader.load()
    assert reader.items() == {}
    assert "cannot be decrypted" in caplog.text


def test_a_new_key_makes_the_old_file_unreadable_not_wrong(home):
    vault = make(home)
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    keystore.FileKeyStore(home).delete()
    reader = make(home)
    reader.load()
    assert reader.value_of("[CCCD_1]") is None
    with reader.recording():  # the vault works again with the new key
        assert reader.placeholder_for("CCCD", "VN_CCCD", "001090000456") == "[CCCD_1]"


def test_entries_expire_after_the_ttl_and_are_purged_from_disk(home):
    clock = Clock()
    vault = make(home, ttl_hours=2, clock=clock)
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    clock.now += 3600
    with vault.recording():
        vault.placeholder_for("SĐT", "PHONE_NUMBER", PHONE)
    clock.now += 3600 + 1  # CCCD is 2 h old, the phone 1 h
    assert vault.value_of("[CCCD_1]") is None
    assert vault.value_of("[SĐT_1]") == PHONE
    result = restore_text("[CCCD_1] / [SĐT_1]", vault)
    assert result.text == f"[CCCD_1] / {PHONE}"
    assert result.unknown == ["[CCCD_1]"] and result.expired == ["[CCCD_1]"]
    vault.save()
    reader = make(home, ttl_hours=1000, clock=clock)  # a longer TTL cannot bring it back
    reader.load()
    assert reader.value_of("[CCCD_1]") is None
    assert reader.value_of("[SĐT_1]") == PHONE


def test_reuse_refreshes_the_ttl_but_expired_numbers_are_never_reissued(home):
    clock = Clock()
    vault = make(home, ttl_hours=1, clock=clock)
    with vault.recording():
        assert vault.placeholder_for("CCCD", "VN_CCCD", CCCD) == "[CCCD_1]"
    clock.now += 3000
    with vault.recording():  # used again: lives one more hour
        assert vault.placeholder_for("CCCD", "VN_CCCD", CCCD) == "[CCCD_1]"
    clock.now += 3000
    assert vault.value_of("[CCCD_1]") == CCCD
    clock.now += 3600
    with vault.recording():
        assert vault.placeholder_for("CCCD", "VN_CCCD", CCCD) == "[CCCD_2]"
        assert vault.placeholder_for("CCCD", "VN_CCCD", "001090000456") == "[CCCD_3]"


def test_clear_wipes_values_here_on_disk_and_in_other_instances(home):
    vault, other = make(home), make(home)
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    other.load()
    assert other.value_of("[CCCD_1]") == CCCD
    vault.clear()
    assert vault.items() == {}
    other.refresh()
    assert other.items() == {}
    fresh = make(home)
    fresh.load()
    assert fresh.items() == {} and fresh.was_issued("CCCD", 1)
    result = restore_text("Số [CCCD_1]", fresh)
    assert result.text == "Số [CCCD_1]" and result.expired == ["[CCCD_1]"]
    with fresh.recording():
        assert fresh.placeholder_for("CCCD", "VN_CCCD", CCCD) == "[CCCD_2]"


def test_memory_only_writes_nothing(home):
    vault = make(home, memory_only=True)
    with vault.recording():
        vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
    vault.save()
    assert vault.value_of("[CCCD_1]") == CCCD
    assert not home.exists()


def test_logs_never_hold_values(home, caplog):
    with caplog.at_level(logging.DEBUG):
        vault = make(home)
        with vault.recording():
            vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
        vault.clear()
        restore_text("[CCCD_1]", vault)
    assert CCCD not in caplog.text
    assert CCCD not in repr(vault._entries) and CCCD not in repr(restore_text("[X_1]", vault))


def test_default_vault_lives_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GIUKIN_HOME", str(tmp_path / "gk"))
    reset_default_vault()
    try:
        vault = default_vault()
        assert vault.path == tmp_path / "gk" / VAULT_FILE
        assert default_vault() is vault
        with vault.recording():
            vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
        assert (tmp_path / "gk" / VAULT_FILE).exists()
    finally:
        reset_default_vault()


def test_redact_in_one_process_restore_in_another(tmp_path):
    env = dict(os.environ, GIUKIN_HOME=str(tmp_path / "gk"))
    redact = (
        "from app.engine.vault import default_vault\n"
        "v = default_vault()\n"
        "with v.recording('text'):\n"
        f"    print(v.placeholder_for('CCCD', 'VN_CCCD', '{CCCD}'))\n"
    )
    restore = (
        "import sys\n"
        "from app.engine.vault import default_vault\n"
        "from app.engine.restore import restore_text\n"
        "print(restore_text(sys.argv[1], default_vault()).text)\n"
    )
    out = subprocess.run([sys.executable, "-c", redact], env=env, cwd=REPO, check=True,
                         capture_output=True, text=True).stdout.strip()
    assert out == "[CCCD_1]"
    answer = "Công dân có CCCD **CCCD_1** đã nộp hồ sơ."
    back = subprocess.run([sys.executable, "-c", restore, answer], env=env, cwd=REPO,
                          check=True, capture_output=True, text=True).stdout.strip()
    assert back == f"Công dân có CCCD **{CCCD}** đã nộp hồ sơ."


# -- keystore -------------------------------------------------------------------------

def test_file_keystore_is_private_and_stable(tmp_path):
    key1, store = keystore.data_key(tmp_path)
    key2, _ = keystore.data_key(tmp_path)
    assert store == "key file" and key1 == key2 and len(key1) == keystore.KEY_BYTES
    if os.name == "posix":
        path = tmp_path / keystore.KEY_FILE
        assert path.stat().st_mode & 0o777 == 0o600
        os.chmod(path, 0o644)
        assert keystore.data_key(tmp_path)[0] == key1
        assert path.stat().st_mode & 0o777 == 0o600


class FakeKeyring:
    """Stands in for the optional ``keyring`` package (no Secret Service on the test box)."""

    def __init__(self, broken=False):
        self.saved, self.broken = {}, broken

    def get_password(self, service, account):
        if self.broken:
            raise RuntimeError("locked")
        return self.saved.get((service, account))

    def set_password(self, service, account, value):
        if self.broken:
            raise RuntimeError("locked")
        self.saved[(service, account)] = value

    def delete_password(self, service, account):
        self.saved.pop((service, account), None)


def test_keyring_is_used_when_it_answers(tmp_path, monkeypatch):
    fake = FakeKeyring()
    monkeypatch.setattr(keystore, "usable_keyring", lambda: fake)
    monkeypatch.setattr(keystore.sys, "platform", "linux")
    key, store = keystore.data_key(tmp_path)
    assert store == "OS keyring" and fake.saved
    assert not (tmp_path / keystore.KEY_FILE).exists()
    assert keystore.data_key(tmp_path)[0] == key


def test_broken_keyring_falls_back_to_the_key_file(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(keystore, "usable_keyring", lambda: FakeKeyring(broken=True))
    monkeypatch.setattr(keystore.sys, "platform", "linux")
    with caplog.at_level(logging.WARNING):
        key, store = keystore.data_key(tmp_path)
    assert store == "key file" and (tmp_path / keystore.KEY_FILE).exists()
    assert "private key file" in caplog.text
    assert key.hex() not in caplog.text


def test_keyring_absent_on_this_machine_means_key_file():
    # keyring is optional; without it (or without a backend) the probe says None.
    module = keystore.usable_keyring()
    if module is not None:
        pytest.skip("a keyring backend is available here")
    assert module is None


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows behaviour")
def test_dpapi_is_import_safe_and_refuses_off_windows():
    with pytest.raises(keystore.KeyStoreError):
        keystore.dpapi_protect(b"x")


@pytest.mark.skipif(sys.platform != "win32", reason="DPAPI exists only on Windows")
def test_dpapi_round_trip():
    blob = keystore.dpapi_protect(b"k" * 32)
    assert blob != b"k" * 32 and keystore.dpapi_unprotect(blob) == b"k" * 32


def test_default_vault_follows_the_settings(tmp_path, monkeypatch):
    from app import settings as settings_module

    monkeypatch.setenv("GIUKIN_HOME", str(tmp_path / "gk"))
    strict = settings_module.Settings({"vault_ttl_hours": 2.5, "vault_memory_only": True})
    monkeypatch.setattr(settings_module, "_current", strict)
    reset_default_vault()
    try:
        vault = default_vault()
        assert vault.memory_only and vault.path is None and vault.ttl_seconds == 2.5 * 3600
        with vault.recording("clipboard"):
            vault.placeholder_for("CCCD", "VN_CCCD", CCCD)
        vault.save()
        assert not (tmp_path / "gk" / VAULT_FILE).exists()
    finally:
        reset_default_vault()


def test_a_keystore_failure_does_not_break_a_redaction(home, caplog):
    def no_key(_folder):
        raise keystore.KeyStoreError("keyring locked")

    vault = make(home, key_provider=no_key)
    with caplog.at_level(logging.WARNING), vault.recording():
        assert vault.placeholder_for("CCCD", "VN_CCCD", CCCD) == "[CCCD_1]"
    assert vault.value_of("[CCCD_1]") == CCCD  # still restorable in this process
    assert not (home / VAULT_FILE).exists()
    assert "vault not saved" in caplog.text and CCCD not in caplog.text


def test_two_processes_recording_at_once_never_collide(tmp_path):
    env = dict(os.environ, GIUKIN_HOME=str(tmp_path / "gk"))
    worker = (
        "import sys\n"
        "from app.engine.vault import default_vault\n"
        "v = default_vault()\n"
        "for i in range(40):\n"
        "    with v.recording('text'):\n"
        "        v.placeholder_for('CCCD', 'VN_CCCD', f'0010850{sys.argv[1]}{i:04d}')\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", worker, tag], env=env, cwd=REPO)
             for tag in ("1", "2")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    vault = Vault(tmp_path / "gk" / VAULT_FILE)
    vault.load()
    items = vault.items()
    assert len(items) == 80 and len(set(items.values())) == 80
    assert set(items) == {f"[CCCD_{n}]" for n in range(1, 81)}
