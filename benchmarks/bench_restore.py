"""Restore benchmark: printed figures and ratios (not a test).

    .venv/bin/python benchmarks/bench_restore.py

Measures, on synthetic chatbot answers with mangled placeholders:
- restore time for 100 KB, 400 KB and 1.6 MB answers, and the ratio of time per KB between
  the largest and the smallest (linear scan: close to 1; target <= 1.5);
- vault save + load of 5,000 entries (encrypt, atomic write, decrypt; target <= 200 ms each);
- the round-trip share of the labelled corpus (tests/engine/restore_corpus.py).
All data is synthetic; the vault lives in a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GIUKIN_HOME", tempfile.mkdtemp(prefix="giukin-bench-"))

from app.engine.restore import restore_text  # noqa: E402
from app.engine.vault import VAULT_FILE, Vault  # noqa: E402

FORMS = ("**[HỌ_TÊN_{n}]**", "[Họ_Tên_{n}]", "HO_TEN_{n}", "[ HỌ TÊN {n} ]", "【HỌ_TÊN_{n}】")


def answer(size: int, people: int) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        form = FORMS[i % len(FORMS)].format(n=i % people + 1)
        line = (f"Đoạn {i}: kính gửi {form}, CCCD [CCCD_{i % people + 1}], "
                f"SĐT SĐT_{i % people + 1}; mã lạ [MÃ_LẠ_{i}]. Nội dung công văn trả lời. ")
        parts.append(line)
        total += len(line)
        i += 1
    return "".join(parts)


def best_of(func, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    people = 2000
    vault = Vault(None)
    for n in range(people):
        vault.placeholder_for("HỌ_TÊN", "VN_PERSON", f"Người Thử {n}")
        vault.placeholder_for("CCCD", "VN_CCCD", f"001080{n:06d}")
        vault.placeholder_for("SĐT", "PHONE_NUMBER", f"0912{n:06d}")
    per_kb = {}
    for size in (100_000, 400_000, 1_600_000):
        text = answer(size, people)
        seconds = best_of(lambda t=text: restore_text(t, vault))
        per_kb[size] = seconds / (len(text) / 1000)
        print(f"restore {len(text) // 1000:5d} KB: {seconds * 1000:7.1f} ms "
              f"({per_kb[size] * 1000:.3f} ms/KB)")
    ratio = per_kb[1_600_000] / per_kb[100_000]
    print(f"time per KB, 1.6 MB vs 100 KB: ratio {ratio:.2f} (target <= 1.5)")

    folder = Path(tempfile.mkdtemp(prefix="giukin-vault-"))
    disk = Vault(folder / VAULT_FILE)
    with disk.recording():
        for n in range(5000):
            disk.placeholder_for("HỌ_TÊN", "VN_PERSON", f"Người Thử {n}")
    save = best_of(disk.save)
    load = best_of(lambda: Vault(folder / VAULT_FILE).load())
    print(f"vault of 5,000 entries: save {save * 1000:.1f} ms (ratio {save / 0.2:.2f} of 200 ms), "
          f"load {load * 1000:.1f} ms (ratio {load / 0.2:.2f})")

    from app.engine import default_engine
    from tests.engine.restore_corpus import build_corpus, round_trip

    figures = round_trip(default_engine(), build_corpus(), Vault(None))
    print(f"round trip: {figures['answers']} mangled answers from {figures['texts']} texts, "
          f"fully restored {figures['fully_restored']:.1%}, unknown reported "
          f"{figures['unknown_reported']}")


if __name__ == "__main__":
    main()
