"""Files dropped on the drop window: which to take, where outputs go, one job per file.

Qt-free; the redaction itself is the CLI's code path (``app.batch.redact_one``), so a
file redacted from the tray and from ``giukin redact`` comes out the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.formats import OFFICE_SUFFIXES
from app.i18n import _

DROP_SUFFIXES = OFFICE_SUFFIXES + (".txt", ".md")


@dataclass
class DropItem:
    """One file to process, or one refusal (``refusal`` set, no job)."""

    path: Path
    output: Path | None
    refusal: str = ""


def refusal_for(path: Path) -> str:
    if not path.exists():
        return _("Không tìm thấy tệp này.")
    if path.name.startswith("~$"):
        return _("Đây là tệp tạm của Office, không phải tài liệu.")
    suffix = path.suffix.lower() or _("(không có đuôi)")
    return _("Chưa hỗ trợ loại tệp {suffix}. Giữ Kín nhận {accepted}.").format(
        suffix=suffix, accepted=", ".join(DROP_SUFFIXES))


def output_path(path: Path, root: Path | None, output_folder: str) -> Path:
    """Beside the original as 'name (đã che).ext', or in the chosen output folder
    (keeping the sub-folders of a dropped folder)."""
    from app.batch import redacted_name

    if not output_folder:
        return path.with_name(redacted_name(path))
    relative = path.relative_to(root) if root is not None else Path(path.name)
    target = Path(output_folder) / (root.name if root is not None else "") / relative
    return target.with_name(redacted_name(target))


def plan(paths: list[Path], output_folder: str = "") -> list[DropItem]:
    """Dropped files and folders -> the files to process (folders recursively) and refusals."""
    items: list[DropItem] = []
    for path in paths:
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    file = Path(root) / name
                    if file.suffix.lower() in DROP_SUFFIXES and not name.startswith("~$") \
                            and "(đã che)" not in name:
                        items.append(DropItem(file, output_path(file, path, output_folder)))
                        found = True
            if not found:
                items.append(DropItem(path, None, _("Thư mục không có tệp nào Giữ Kín nhận.")))
        elif path.is_file() and path.suffix.lower() in DROP_SUFFIXES \
                and not path.name.startswith("~$"):
            items.append(DropItem(path, output_path(path, None, output_folder)))
        else:
            items.append(DropItem(path, None, refusal_for(path)))
    return items


def redact_file(item: DropItem, engine, macro_policy: str = "remove", placeholders=None):
    """Run one file through the shared redaction path; returns ``app.batch.FileReport``."""
    from app.batch import redact_one

    from .analysis import new_placeholder_map

    placeholders = placeholders if placeholders is not None else new_placeholder_map()
    assert item.output is not None
    item.output.parent.mkdir(parents=True, exist_ok=True)
    recording = getattr(placeholders, "recording", None)
    if callable(recording):
        with recording("file"):
            return redact_one(item.path, item.output, engine, placeholders, macro_policy)
    return redact_one(item.path, item.output, engine, placeholders, macro_policy)
