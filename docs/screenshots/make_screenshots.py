"""Screenshots of the popup, blocked notice, review window, drop window and settings.

Run under Xvfb (real window system, real fonts); synthetic data only:

    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python docs/screenshots/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent
os.environ.setdefault("GIUKIN_HOME", tempfile.mkdtemp(prefix="giukin-shots-"))

SAMPLE = ("Kính gửi: Phòng Tổ chức cán bộ\n"
          "Đề nghị cấp lại thẻ cho ông Trần Văn Bình, sinh ngày 12/03/1985,\n"
          "số CCCD 001080000001, điện thoại 0912 345 678, email binh.tv@example.vn.\n"
          "Địa chỉ liên hệ: số 12 phố Hàng Bài, phường Hoàn Kiếm, Hà Nội.\n"
          "LƯU HÀNH NỘI BỘ")
SECRET = "ỦY BAN NHÂN DÂN TỈNH X\nTỐI MẬT\nBáo cáo kết quả rà soát nhân sự quý IV."


def main() -> int:
    from app.desktop.analysis import analyze_clip
    from app.desktop.qt import QApplication
    from app.desktop.tray import TrayApp
    from app.engine import Engine
    from app.engine.rules import default_pack_dir
    from app.settings import Settings

    app = QApplication.instance() or QApplication(["giukin"])
    marks = ROOT / "tests/desktop/data/marks-pack"  # stamp rules, until the shipped pack has them
    engine = Engine.from_folders([default_pack_dir(), marks])
    tray = TrayApp(Settings(policy={"macro_policy": "remove"}), show_tray=False,
                   engine_factory=lambda _s: engine)
    tray.start()
    tray.runner.wait(20_000)
    app.processEvents()

    def settle():
        for _ in range(20):
            app.processEvents()

    offer = analyze_clip(engine, SAMPLE)
    tray.popup.show_offer(offer)
    settle()
    tray.popup.grab().save(str(OUT / "popup-offer.png"))

    tray.popup.show_blocked(analyze_clip(engine, SECRET))
    settle()
    tray.popup.grab().save(str(OUT / "popup-blocked.png"))
    tray.popup.hide()

    tray.current = offer
    tray.open_review(offer)
    review = tray._review
    review.set_checked(next(i for i, f in enumerate(offer.findings) if f.entity == "VN_DOB"), False)
    start = SAMPLE.index("Phòng Tổ chức cán bộ")
    review.mark_span(start, start + len("Phòng Tổ chức cán bộ"))
    settle()
    review.grab().save(str(OUT / "review.png"))
    review.close()

    work = Path(tempfile.mkdtemp(prefix="giukin-drop-"))
    (work / "don-de-nghi.txt").write_text(SAMPLE, encoding="utf-8")
    (work / "bien-ban.md").write_text("Biên bản họp giao ban tuần 47.", encoding="utf-8")
    (work / "bao-cao-mat.txt").write_text(SECRET, encoding="utf-8")
    (work / "anh-chup.png").write_bytes(b"\x89PNG\r\n")
    tray.show_drop_window()
    drop = tray._drop
    done = []
    drop.finished_file.connect(lambda *_a: done.append(1))
    drop.add_paths(sorted(work.iterdir()))
    while len(done) < 3:
        app.processEvents()
    settle()
    drop.grab().save(str(OUT / "drop.png"))

    tray.settings.apply_policy({"internal_mark_action": "block"})
    tray.show_settings()
    settle()
    tray._settings_dialog.grab().save(str(OUT / "settings.png"))
    print("\n".join(str(p) for p in sorted(OUT.glob("*.png"))))
    tray.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
