"""Usage counts: exact counts, thread-safe, and no value from the inputs ever reaches a report."""

from __future__ import annotations

import json
import threading
from datetime import datetime

from conftest import write_policy

from app.engine import Verdict
from app.updates import usage

# Synthetic values planted in the inputs; none may appear in any stored or exported byte.
PLANTED = ["001080000001", "Phạm Văn Thửnghiệm", "0912345678", "thu.nghiem@example.vn",
           "8001234567", "Bí mật nội bộ số 77"]


def _all_report_bytes(tmp_path) -> bytes:
    blobs = [p.read_bytes() for p in usage.usage_dir().rglob("*") if p.is_file()]
    blobs += [p.read_bytes() for p in (tmp_path / "it-reports").rglob("*") if p.is_file()]
    rows = usage.days(7)
    blobs += [usage.to_json(rows).encode(), usage.to_csv(rows).encode()]
    return b"\n".join(blobs)


def test_counts_per_day_and_by_type():
    usage.record_event("clipboard_check")
    usage.record_event("clipboard_check")
    usage.record_event("redaction", {"VN_CCCD": 2, "PHONE_NUMBER": 1})
    usage.record_event("redaction", {"VN_CCCD": 1})
    usage.record_event("block")
    usage.record_event("not_an_event")
    (today,) = usage.days(1)
    assert today["date"] == datetime.now().date().isoformat()
    assert today["counts"] == {"clipboard_check": 2, "redaction": 2, "block": 1,
                               "file_sanitized": 0, "restore": 0}
    assert today["by_type"] == {"redaction": {"VN_CCCD": 3, "PHONE_NUMBER": 1}}
    assert len(today["rule_packs"]) == 1 and today["rule_packs"][0].startswith("giukin-default ")


def test_counts_are_exact_under_threads():
    def work():
        for _ in range(25):
            usage.record_event("clipboard_check", {"EMAIL_ADDRESS": 1})

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (today,) = usage.days(1)
    assert today["counts"]["clipboard_check"] == 150
    assert today["by_type"]["clipboard_check"]["EMAIL_ADDRESS"] == 150


def test_report_holds_no_value_from_the_inputs(engine, policy_file, tmp_path):
    write_policy(policy_file, {"usage_report_folder": str(tmp_path / "it-reports")})
    text = (f"Ông {PLANTED[1]}, CCCD {PLANTED[0]}, điện thoại {PLANTED[2]}, "
            f"email {PLANTED[3]}, MST {PLANTED[4]}. {PLANTED[5]}.")
    result = engine.redact(text)
    assert result.verdict == Verdict.REDACTED
    by_type: dict[str, int] = {}
    for finding in result.applied:
        by_type[finding.entity] = by_type.get(finding.entity, 0) + 1
    usage.record_event("clipboard_check")
    usage.record_event("redaction", by_type)
    # a careless caller passing values instead of entity ids must not leak them either
    usage.record_event("redaction", {PLANTED[1]: 1, PLANTED[0]: 2, "vn_cccd lower": 1})
    usage.flush()
    exported = list((tmp_path / "it-reports").glob("giukin-usage_*.json"))
    assert len(exported) == 1
    data = _all_report_bytes(tmp_path)
    for value in PLANTED:
        assert value.encode() not in data, value
        assert value.encode("unicode_escape") not in data
    assert b"OTHER" in data and b"VN_CCCD" in data
    report = json.loads(exported[0].read_text(encoding="utf-8"))
    assert report["days"][0]["counts"]["redaction"] == 2
    assert set(report) == {"workstation", "account", "app_version", "generated", "days"}


def test_corrupt_day_file_is_rebuilt_with_only_known_fields(tmp_path):
    usage.usage_dir().mkdir(parents=True, exist_ok=True)
    day = datetime.now().date().isoformat()
    (usage.usage_dir() / f"{day}.json").write_text(json.dumps(
        {"counts": {"redaction": 4, "secret": "x"}, "text": PLANTED[0],
         "by_type": {"redaction": {"VN_CCCD": 1, PLANTED[1]: 5}}}), encoding="utf-8")
    usage.record_event("redaction")
    stored = (usage.usage_dir() / f"{day}.json").read_text(encoding="utf-8")
    assert PLANTED[0] not in stored and PLANTED[1] not in stored
    assert json.loads(stored)["counts"]["redaction"] == 5


def test_csv_export_has_one_line_per_event_and_type(tmp_path):
    usage.record_event("file_sanitized", {"VN_TAX_CODE": 3})
    path = usage.export(tmp_path / "out", fmt="csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "date,workstation,account,event,entity,count,rule_packs"
    assert any(",file_sanitized,VN_TAX_CODE,3," in line for line in lines)
    assert any(",file_sanitized,,1," in line for line in lines)
