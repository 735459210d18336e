"""`giukin rules …` and `giukin report` end to end through the real command parser."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import write_policy

from app.cli import main
from app.engine.rules import default_pack_dir


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def pack_dir(tmp_path):
    folder = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), folder)
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    text = text.replace("id: giukin-default", "id: so-thu-nghiem")
    text = "\n".join(line if not line.startswith("version:") else 'version: "2026.12.1"'
                     for line in text.splitlines()) + "\n"
    (folder / "pack.yaml").write_text(text, encoding="utf-8")
    return folder


def test_it_workflow_keygen_sign_verify_publish_update_list(capsys, tmp_path, pack_dir,
                                                            policy_file):
    keydir = tmp_path / "keys"
    assert run(capsys, "rules", "keygen", "--out", str(keydir))[0] == 0
    code, _out, err = run(capsys, "rules", "keygen", "--out", str(keydir))
    assert code == 3 and "Lỗi:" in err and "Error:" in err

    # not signed yet
    code, _out, err = run(capsys, "rules", "verify", str(pack_dir), "--pubkey",
                          str(keydir / "public.key"))
    assert code == 1 and "not signed" in err

    assert run(capsys, "rules", "sign", str(pack_dir), "--key", str(keydir / "private.key"))[0] == 0
    assert (pack_dir / "manifest.json").is_file() and (pack_dir / "manifest.json.sig").is_file()
    code, out, _ = run(capsys, "rules", "verify", str(pack_dir), "--pubkey",
                       str(keydir / "public.key"))
    assert code == 0 and "2026.12.1" in out
    # without --pubkey the pinned keys decide, and IT's key is not pinned yet
    code, _out, err = run(capsys, "rules", "verify", str(pack_dir))
    assert code == 1 and "not a trusted key" in err

    share = tmp_path / "share"
    code, out, _ = run(capsys, "rules", "publish", str(pack_dir), str(share))
    assert code == 0 and "not pinned" in out
    assert json.loads((share / "latest.json").read_text()) == {"release": "so-thu-nghiem-2026.12.1"}

    public = (keydir / "public.key").read_text(encoding="utf-8").splitlines()[-1]
    write_policy(policy_file, {"rule_public_keys": [public], "rule_source": str(share)})
    code, out, _ = run(capsys, "rules", "update-now")
    assert code == 0 and "2026.12.1" in out
    code, out, _ = run(capsys, "rules", "list")
    assert code == 0 and "so-thu-nghiem 2026.12.1" in out and "active" in out

    # tamper after signing: verify fails, publish refuses
    with (pack_dir / "identifiers.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    code, _out, err = run(capsys, "rules", "verify", str(pack_dir))
    assert code == 1 and "identifiers.yaml" in err
    assert run(capsys, "rules", "publish", str(pack_dir), str(tmp_path / "share2"))[0] == 1
    assert not (tmp_path / "share2" / "latest.json").exists()


def test_sign_refuses_a_broken_pack_and_a_missing_key(capsys, tmp_path, pack_dir):
    keydir = tmp_path / "keys"
    run(capsys, "rules", "keygen", "--out", str(keydir))
    code, _out, err = run(capsys, "rules", "sign", str(pack_dir), "--key", str(tmp_path / "nope.key"))
    assert code == 3 and "nope.key" in err
    (pack_dir / "forms.yaml").write_text("rules:\n  - id: [\n", encoding="utf-8")
    code, _out, err = run(capsys, "rules", "sign", str(pack_dir), "--key", str(keydir / "private.key"))
    assert code == 1 and "forms.yaml" in err and "Lỗi:" in err
    assert not (pack_dir / "manifest.json").exists()


def test_update_now_without_a_source_says_so(capsys, policy_file):
    code, _out, err = run(capsys, "rules", "update-now")
    assert code == 3 and "No rule-pack update source" in err


def test_list_on_a_fresh_workstation(capsys):
    code, out, _ = run(capsys, "rules", "list")
    assert code == 0 and "giukin-default" in out and "shipped" in out


def test_report_prints_and_exports(capsys, tmp_path):
    from app.updates.usage import record_event

    record_event("clipboard_check")
    record_event("redaction", {"VN_CCCD": 2})
    code, out, _ = run(capsys, "report")
    assert code == 0 and "VN_CCCD 2" in out
    code, out, _ = run(capsys, "report", "--format", "json")
    assert json.loads(out)["days"][0]["counts"]["redaction"] == 1
    code, out, _ = run(capsys, "report", "--format", "csv", "--export", str(tmp_path / "it"))
    assert code == 0 and list((tmp_path / "it").glob("giukin-usage_*.csv"))
    code, _out, err = run(capsys, "report", "--export")
    assert code == 3 and "usage_report_folder" in err
