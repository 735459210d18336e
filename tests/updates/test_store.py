"""What is installed: start-up verification, fallback, ratchet persistence, expiry warning."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from conftest import write_policy
from updates_helpers import publish_to

from app.engine.core import active_pack_folders
from app.engine.rules import default_pack_dir
from app.updates import store
from app.updates.updater import INSTALLED, REJECTED, Updater, status


@pytest.fixture(autouse=True)
def _trust(policy_file, keys):
    write_policy(policy_file, {"rule_public_keys": [keys.text]})


@pytest.fixture
def two_installed(packs, share, keys):
    for version in ("1", "2"):
        publish_to(packs.make(version), share, keys)
        assert Updater(source=str(share)).check_now().outcome == INSTALLED
    return share


def test_pack_edited_on_disk_is_skipped_for_the_previous_one(two_installed):
    active = store.packs_dir() / "agency-rules-2"
    (active / "agency.yaml").write_text("rules: []\n", encoding="utf-8")
    store.forget_verification()  # a new process start
    assert store.active_pack_dir() == store.packs_dir() / "agency-rules-1"
    (store.packs_dir() / "agency-rules-1" / "people.yaml").unlink()
    store.forget_verification()
    assert store.active_pack_dir() is None
    assert active_pack_folders() == [default_pack_dir()]


def test_key_withdrawn_by_it_stops_using_the_pack(two_installed, policy_file, other_keys):
    write_policy(policy_file, {"rule_public_keys": [other_keys.text]})
    store.forget_verification()
    assert store.active_pack_dir() is None
    assert status().shipped


def test_pack_that_this_app_cannot_load_falls_back(two_installed, monkeypatch):
    from app.engine.recognizers.base import KINDS

    monkeypatch.delitem(KINDS, "pattern")  # as after a downgrade to an app without the kind
    store.forget_verification()
    assert store.active_pack_dir() is None


def test_ratchet_survives_losing_its_file(two_installed, keys):
    (store.root() / store.RATCHET).unlink()
    (two_installed / "latest.json").write_text(json.dumps({"release": "agency-rules-1"}))
    result = Updater(source=str(two_installed)).check_now()
    assert result.outcome == REJECTED and result.error.code == "rollback"


def test_expired_installed_pack_stays_in_use_with_a_warning(two_installed):
    later = datetime.now(UTC) + timedelta(days=365)
    st = status(now=later)
    assert st.active_version == "2" and st.expired_warning
    assert store.active_pack_dir().name == "agency-rules-2"
    assert not status().expired_warning


def test_rollback_switches_to_the_previous_pack(two_installed):
    assert store.rollback() == "agency-rules-1"
    assert store.active_pack_dir().name == "agency-rules-1"
    assert store.current() == ("agency-rules-1", "agency-rules-2")


def test_installed_packs_listing(two_installed):
    rows = {p.version: p for p in store.installed_packs()}
    assert rows["2"].active and rows["1"].previous and all(p.valid for p in rows.values())


def test_status_reports_last_error_in_both_languages(two_installed, tmp_path):
    Updater(source=str(tmp_path / "gone")).check_now()
    st = status()
    assert st.last_error["code"] == "unreachable"
    assert st.error_text("vi") and st.error_text("en") and st.error_text("vi") != st.error_text("en")
    assert st.last_check is not None and st.last_success is not None


def test_fast_forward_by_a_withdrawn_key_can_be_recovered(packs, share, keys, other_keys,
                                                          policy_file):
    # a compromised key pushes an absurd version while it is trusted
    write_policy(policy_file, {"rule_public_keys": [keys.text, other_keys.text]})
    publish_to(packs.make("999999", signer=other_keys), share, other_keys)
    assert Updater(source=str(share)).check_now().outcome == INSTALLED
    publish_to(packs.make("2"), share, keys)
    refused = Updater(source=str(share)).check_now()
    assert refused.outcome == REJECTED and refused.error.code == "rollback"
    # IT withdraws the compromised key by policy: the honest release installs again
    write_policy(policy_file, {"rule_public_keys": [keys.text]})
    store.forget_verification()
    assert Updater(source=str(share)).check_now().outcome == INSTALLED
    assert store.active_pack_dir().name == "agency-rules-2"
    # and an older honest release is still a rollback
    publish_to(packs.make("1"), share, keys)
    result = Updater(source=str(share)).check_now()
    assert result.outcome == REJECTED and result.error.code == "rollback"
