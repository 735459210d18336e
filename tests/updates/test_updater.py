"""The workstation updater against a real folder source and a real HTTP server on 127.0.0.1.

Every attack must be rejected with the last good pack still active and still used by
the engine.
"""

from __future__ import annotations

import json
import shutil

import pytest
from updates_helpers import past, publish_to

from app.engine import Engine, Verdict
from app.engine.core import active_pack_folders
from app.updates import store
from app.updates.manifest import MANIFEST, SIGNATURE
from app.updates.source import POINTER, HttpSource
from app.updates.updater import INSTALLED, REJECTED, UP_TO_DATE, Updater, status

STAFF_TEXT = "Cán bộ mã STN-123456 đã duyệt."


@pytest.fixture(params=["folder", "http"])
def source(request, share):
    """The location string a workstation would be configured with, and the HTTP handler."""
    if request.param == "folder":
        return str(share), None
    url, handler = request.getfixturevalue("http_share")
    return url, handler


@pytest.fixture(autouse=True)
def _trust_it_key(policy_file, keys):
    """IT pins its key by policy, as on a real workstation (the updater reads it from there)."""
    from conftest import write_policy

    write_policy(policy_file, {"rule_public_keys": [keys.text]})


def _updater(location, keys) -> Updater:
    return Updater(source=location, interval_minutes=60)


def _active_version() -> str | None:
    found = store.active_manifest()
    return found[1].version if found else None


def _install(packs, share, keys, location, version, **kw):
    publish_to(packs.make(version, **kw), share, keys)
    result = _updater(location, keys).check_now()
    assert result.outcome == INSTALLED, result.error
    return result


def _assert_rejected(location, keys, code, kept="1"):
    result = _updater(location, keys).check_now()
    assert result.outcome == REJECTED, (result.outcome, result.error)
    assert result.error is not None and result.error.code == code, result.error
    assert _active_version() == kept
    assert status().last_error["code"] == code
    # the engine still runs on the last good pack, agency rules included
    folders = active_pack_folders()
    assert folders[0].name == f"agency-rules-{kept}"
    assert Engine.from_folders(folders).redact(STAFF_TEXT).verdict == Verdict.REDACTED


def test_fresh_workstation_uses_the_shipped_pack():
    assert store.active_pack_dir() is None
    st = status()
    assert st.shipped and st.active_pack_id == "giukin-default"


def test_install_then_upgrade_keeps_the_previous_pack(packs, share, keys, source):
    location, _handler = source
    _install(packs, share, keys, location, "1")
    folder = store.active_pack_dir()
    assert folder is not None and folder.name == "agency-rules-1"
    engine = Engine.from_folders(active_pack_folders())
    result = engine.redact(STAFF_TEXT)
    assert "[MÃ_CÁN_BỘ_1]" in result.text and "STN-123456" not in result.text

    assert _updater(location, keys).check_now().outcome == UP_TO_DATE

    _install(packs, share, keys, location, "2")
    assert _active_version() == "2"
    assert store.current() == ("agency-rules-2", "agency-rules-1")
    assert (store.packs_dir() / "agency-rules-1").is_dir()

    _install(packs, share, keys, location, "3")
    assert store.current() == ("agency-rules-3", "agency-rules-2")
    assert not (store.packs_dir() / "agency-rules-1").exists(), "only two packs are kept"
    st = status()
    assert st.active_version == "3" and not st.shipped and st.last_error is None


def test_tampered_file_on_the_source(packs, share, keys, source):
    location, _ = source
    _install(packs, share, keys, location, "1")
    target = publish_to(packs.make("2"), share, keys)
    text = (target / "agency.yaml").read_text(encoding="utf-8")
    (target / "agency.yaml").write_text(text.replace("STN-", "XYZ-"), encoding="utf-8")
    _assert_rejected(location, keys, "tampered")


def test_bad_signature(packs, share, keys, source):
    location, _ = source
    _install(packs, share, keys, location, "1")
    target = publish_to(packs.make("2"), share, keys)
    manifest = json.loads((target / MANIFEST).read_text())
    manifest["expires"] = "2099-01-01T00:00:00Z"  # attacker extends the pack's life
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    _assert_rejected(location, keys, "bad_signature")


def test_unknown_key(packs, share, keys, other_keys, source):
    location, _ = source
    _install(packs, share, keys, location, "1")
    publish_to(packs.make("2", signer=other_keys), share, other_keys)
    _assert_rejected(location, keys, "unknown_key")


def test_rollback_to_an_older_signed_version(packs, share, keys, source):
    location, _ = source
    _install(packs, share, keys, location, "1")
    _install(packs, share, keys, location, "2")
    # the attacker points latest.json back at release 1, validly signed in its day
    (share / POINTER).write_text(json.dumps({"release": "agency-rules-1"}))
    _assert_rejected(location, keys, "rollback", kept="2")


def test_replayed_old_manifest(packs, share, keys, source):
    location, _ = source
    _install(packs, share, keys, location, "1")
    old = share / "agency-rules-1"
    new = publish_to(packs.make("2"), share, keys)
    _install_result = _updater(location, keys).check_now()
    assert _install_result.outcome == INSTALLED
    # later, the old manifest and signature are replayed inside the current release folder
    shutil.copyfile(old / MANIFEST, new / MANIFEST)
    shutil.copyfile(old / SIGNATURE, new / SIGNATURE)
    _assert_rejected(location, keys, "rollback", kept="2")


def test_same_version_with_other_content(packs, share, keys, source):
    location, _ = source
    _install(packs, share, keys, location, "1")
    # a second, different release under the same version number (a stolen or misused key
    # cannot silently swap what workstations run without raising the version)
    folder = packs.make("1", agency=packs_agency_variant(), name="variant")
    shutil.rmtree(share / "agency-rules-1")
    publish_to(folder, share, keys)
    _assert_rejected(location, keys, "replay")


def packs_agency_variant() -> str:
    from conftest import AGENCY_RULES

    return AGENCY_RULES.replace("STN-", "STX-")


def test_expired_manifest_is_not_installed(packs, share, keys, source):
    location, _ = source
    _install(packs, share, keys, location, "1")
    _publish_expired(packs, share, keys)
    _assert_rejected(location, keys, "expired")


def _publish_expired(packs, share, keys):
    # publish() itself accepts the folder (it only checks integrity); the CLI refuses
    # expired packs, so copy it the way an attacker replaying an old release would
    folder = packs.make("2", now=past(10), expires_days=1)
    target = share / "agency-rules-2"
    shutil.copytree(folder, target)
    (share / POINTER).write_text(json.dumps({"release": "agency-rules-2"}))


def test_truncated_file(packs, share, keys, source):
    location, handler = source
    _install(packs, share, keys, location, "1")
    target = publish_to(packs.make("2"), share, keys)
    if handler is None:  # a copy to the share that stopped half-way
        data = (target / "identifiers.yaml").read_bytes()
        (target / "identifiers.yaml").write_bytes(data[: len(data) // 2])
    else:  # the server promises the full length and hangs up half-way
        handler.tweaks["/agency-rules-2/identifiers.yaml"] = "truncate"
    _assert_rejected(location, keys, "truncated")


def test_oversized_file_is_refused_before_reading(packs, share, keys, source):
    location, handler = source
    _install(packs, share, keys, location, "1")
    target = publish_to(packs.make("2"), share, keys)
    with (target / "agency.yaml").open("ab") as handle:
        handle.write(b"#" * 5_000_000)
    _assert_rejected(location, keys, "too_large")


def test_endless_http_body_without_length_is_cut_off(packs, share, keys, http_share):
    url, handler = http_share
    _install(packs, share, keys, url, "1")
    publish_to(packs.make("2"), share, keys)
    handler.tweaks["/agency-rules-2/agency.yaml"] = "endless"
    _assert_rejected(url, keys, "too_large")


def test_body_without_length_is_accepted_when_it_matches(packs, share, keys, http_share):
    url, handler = http_share
    publish_to(packs.make("1"), share, keys)
    handler.tweaks["/agency-rules-1/agency.yaml"] = "no_length"
    assert _updater(url, keys).check_now().outcome == INSTALLED


def test_malformed_yaml_in_a_correctly_signed_pack(packs, share, keys, source):
    location, _ = source
    _install(packs, share, keys, location, "1")
    broken = "rules:\n  - id: broken\n    entity: [unclosed\n"
    publish_to(packs.make("2", agency=broken), share, keys)
    _assert_rejected(location, keys, "load_failed")


def test_signed_pack_with_unknown_recognizer_kind_is_not_installed(packs, share, keys, source):
    location, _ = source
    _install(packs, share, keys, location, "1")
    bad = ("rules:\n  - id: x1\n    entity: X_ONE\n    label: X\n    action: redact\n"
           "    kind: does_not_exist\n")
    publish_to(packs.make("2", agency=bad), share, keys)
    _assert_rejected(location, keys, "load_failed")


def test_pack_for_a_newer_app_is_not_installed(packs, share, keys, source):
    location, _ = source
    _install(packs, share, keys, location, "1")
    publish_to(packs.make("2", min_app_version="99.0"), share, keys)
    _assert_rejected(location, keys, "app_too_old")


def test_unreachable_source_keeps_the_pack_and_is_not_an_attack(packs, share, keys, tmp_path):
    _install(packs, share, keys, str(share), "1")
    result = _updater(str(tmp_path / "no-such-share"), keys).check_now()
    assert result.outcome == "failed" and _active_version() == "1"


def test_a_source_can_be_a_plain_signed_pack_folder(packs, keys):
    folder = packs.make("5")
    assert _updater(str(folder), keys).check_now().outcome == INSTALLED
    assert _active_version() == "5"


def test_plain_http_is_refused_except_on_loopback():
    from app.updates.errors import UpdateError

    with pytest.raises(UpdateError) as err:
        HttpSource("http://rules.example.gov.vn/giukin/")
    assert err.value.code == "insecure"
    HttpSource("http://127.0.0.1:8000/")
    HttpSource("https://rules.example.gov.vn/giukin/")


def test_redirects_are_not_followed(packs, share, keys, http_share):
    url, handler = http_share
    publish_to(packs.make("1"), share, keys)
    handler.tweaks["/latest.json"] = "redirect:http://127.0.0.1:9/latest.json"
    result = _updater(url, keys).check_now()
    assert result.outcome != INSTALLED and _active_version() is None


def test_listeners_hear_every_check(packs, share, keys):
    publish_to(packs.make("1"), share, keys)
    heard = []
    updater = _updater(str(share), keys)
    updater.subscribe(heard.append)
    updater.check_now()
    updater.check_now()
    assert [r.outcome for r in heard] == [INSTALLED, UP_TO_DATE]


def test_jitter_spreads_checks_around_the_interval():
    import random

    updater = Updater(source="x", keys={}, interval_minutes=60)
    rng = random.Random(7)
    delays = [updater.next_delay(rng) for _ in range(200)]
    assert all(0.8 * 3600 <= d <= 1.2 * 3600 for d in delays)
    assert max(delays) - min(delays) > 0.3 * 3600


def test_background_loop_checks_and_stops(packs, share, keys):
    import threading

    from app.updates.updater import UpdateLoop

    publish_to(packs.make("1"), share, keys)
    updater = _updater(str(share), keys)
    done = threading.Event()
    updater.subscribe(lambda result: done.set())
    loop = UpdateLoop(updater, first_delay=0.01)
    loop.start()
    try:
        assert done.wait(30), "the loop never ran a check"
    finally:
        loop.stop()
        loop.join(5)
    assert not loop.is_alive()
    assert _active_version() == "1"
