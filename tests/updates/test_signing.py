"""Keys, manifest signing and folder verification."""

from __future__ import annotations

import base64
import json
import os
import sys

import pytest
import yaml
from updates_helpers import past

from app.updates.errors import UpdateError
from app.updates.keys import keygen, keys_from_entries, parse_public_key, pinned_keys, shipped_keys
from app.updates.manifest import (
    MANIFEST,
    SIGNATURE,
    check_installable,
    parse_manifest,
    parse_version,
    verify_folder,
)


def test_keygen_writes_owner_only_private_key_and_refuses_to_overwrite(tmp_path):
    private, public, kid = keygen(tmp_path / "k")
    assert private.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert kid in public.read_text()
    if sys.platform != "win32":
        assert private.stat().st_mode & 0o777 == 0o600
    before = private.read_bytes()
    with pytest.raises(UpdateError) as err:
        keygen(tmp_path / "k")
    assert err.value.code == "exists"
    assert private.read_bytes() == before


def test_signed_pack_verifies_and_lists_every_file(packs, keys):
    folder = packs.make("2026.12.1")
    manifest = verify_folder(folder, keys.trusted)
    names = {f.name for f in manifest.files}
    listed = set(yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))["files"])
    assert "agency.yaml" in listed
    assert names == listed | {"pack.yaml"}
    assert manifest.pack_id == "agency-rules" and manifest.version == "2026.12.1"
    assert manifest.key_id == keys.id
    assert not manifest.expired()


def test_tampered_file_fails_verification(packs, keys):
    folder = packs.make("1")
    with (folder / "agency.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# changed\n")
    with pytest.raises(UpdateError) as err:
        verify_folder(folder, keys.trusted)
    assert err.value.code == "tampered"


def test_same_size_change_is_caught_by_hash(packs, keys):
    folder = packs.make("1")
    data = (folder / "agency.yaml").read_bytes()
    (folder / "agency.yaml").write_bytes(data.replace(b"STN-", b"XTN-"))
    with pytest.raises(UpdateError) as err:
        verify_folder(folder, keys.trusted)
    assert err.value.code == "tampered"


def test_edited_manifest_breaks_the_signature(packs, keys):
    folder = packs.make("1")
    data = json.loads((folder / MANIFEST).read_text())
    data["expires"] = "2099-01-01T00:00:00Z"
    (folder / MANIFEST).write_text(json.dumps(data, indent=2))
    with pytest.raises(UpdateError) as err:
        verify_folder(folder, keys.trusted)
    assert err.value.code == "bad_signature"


def test_flipped_signature_bit_is_rejected(packs, keys):
    folder = packs.make("1")
    raw = bytearray(base64.b64decode((folder / SIGNATURE).read_bytes()))
    raw[10] ^= 1
    (folder / SIGNATURE).write_bytes(base64.b64encode(bytes(raw)))
    with pytest.raises(UpdateError) as err:
        verify_folder(folder, keys.trusted)
    assert err.value.code == "bad_signature"


def test_unknown_key_is_rejected_even_though_the_manifest_embeds_it(packs, keys, other_keys):
    folder = packs.make("1", signer=other_keys)
    with pytest.raises(UpdateError) as err:
        verify_folder(folder, keys.trusted)
    assert err.value.code == "unknown_key"


def test_manifest_claiming_another_key_id_is_rejected(packs, keys, other_keys):
    # attacker signs with their key but writes the trusted key id: the embedded key no
    # longer matches the id, and the pinned key does not verify the signature
    folder = packs.make("1", signer=other_keys)
    data = json.loads((folder / MANIFEST).read_text())
    data["key_id"] = keys.id
    with pytest.raises(UpdateError):
        parse_manifest(json.dumps(data).encode())


def test_unsigned_folder_is_reported(packs, keys):
    folder = packs.make("1", sign=False)
    with pytest.raises(UpdateError) as err:
        verify_folder(folder, keys.trusted)
    assert err.value.code == "unsigned"


def test_expired_and_too_new_manifests_are_not_installable(packs, keys):
    old = verify_folder(packs.make("1", now=past(10), expires_days=1), keys.trusted)
    with pytest.raises(UpdateError) as err:
        check_installable(old, "0.1.0")
    assert err.value.code == "expired"
    future_app = verify_folder(packs.make("2", min_app_version="9.0"), keys.trusted)
    with pytest.raises(UpdateError) as err:
        check_installable(future_app, "0.1.0")
    assert err.value.code == "app_too_old"
    check_installable(future_app, "9.0.1")


def test_versions_order_numerically_and_reject_words():
    assert parse_version("2026.12.1") > parse_version("2026.11.30")
    assert parse_version("10") > parse_version("9")
    for bad in ("v1", "1..2", "", "1.2-beta"):
        with pytest.raises(UpdateError):
            parse_version(bad)


def test_manifest_with_oversized_file_entry_is_invalid(packs, keys):
    folder = packs.make("1")
    data = json.loads((folder / MANIFEST).read_text())
    data["files"][0]["size"] = 50_000_000
    with pytest.raises(UpdateError) as err:
        parse_manifest(json.dumps(data).encode())
    assert err.value.code == "bad_manifest"


def test_manifest_with_path_in_file_name_is_invalid(packs, keys):
    folder = packs.make("1")
    data = json.loads((folder / MANIFEST).read_text())
    data["files"][0]["name"] = "../evil.yaml"
    with pytest.raises(UpdateError):
        parse_manifest(json.dumps(data).encode())


def test_public_key_parsing_accepts_base64_and_rejects_junk(keys):
    assert parse_public_key(keys.text) is not None
    for junk in ("", "abc", base64.b64encode(b"x" * 31).decode(), "-----BEGIN PUBLIC KEY-----\nAA\n"):
        with pytest.raises(UpdateError):
            parse_public_key(junk)


def test_policy_keys_replace_shipped_keys_and_broken_lists_trust_nothing(keys):
    assert shipped_keys(), "the app ships at least one pinned key"
    assert set(pinned_keys({})) == set(shipped_keys())
    assert set(pinned_keys({"rule_public_keys": [keys.text]})) == {keys.id}
    assert set(pinned_keys({"rule_public_keys": [str(keys.public_path)]})) == {keys.id}
    assert pinned_keys({"rule_public_keys": ["not a key"]}) == {}
    _keys, problems = keys_from_entries(["not a key", keys.text])
    assert len(problems) == 1 and "rule_public_keys[0]" in problems[0]


def test_no_private_key_is_shipped():
    from app.updates.keys import shipped_keys_dir

    for path in shipped_keys_dir().rglob("*"):
        if path.is_file():
            assert b"PRIVATE KEY" not in path.read_bytes(), path
    assert os.path.isdir(shipped_keys_dir())
