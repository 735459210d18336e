"""VN_PERSON: cues, labels, signature blocks, lexicon names, traps, placeholders (spec §4)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from app.engine import Engine, PlaceholderMap, RulePackError
from app.engine.rules import default_pack_dir


def names(engine, text, **kw):
    return [f.text for f in engine.analyze(text, **kw) if f.entity == "VN_PERSON"]


@pytest.mark.parametrize("text, expected", [
    ("Hôm nay anh Tuấn gặp chị Lan.", ["Tuấn", "Lan"]),
    ("Đề nghị đ/c Hùng (phòng TCCB) báo cáo.", ["Hùng"]),
    ("Bà NGUYỄN THỊ MAI đề nghị xem xét.", ["NGUYỄN THỊ MAI"]),
    ("BS. Trần Văn Bình khám cho bệnh nhân.", ["Trần Văn Bình"]),
    ("Kính gửi: Ông/Bà Nguyễn Văn Hòa", ["Nguyễn Văn Hòa"]),
    ("Ông N.V.A. và bà H.T.P đã đến.", ["N.V.A.", "H.T.P"]),
    ("Đại tá Đinh Công Tráng chủ trì.", ["Đinh Công Tráng"]),
    ("Gửi a Hùng, c Mai bản thảo.", ["Hùng", "Mai"]),
    ("Hộ ông Y Bhin Niê được hỗ trợ; cô giáo Ksor H'Hen dạy lớp 1.", ["Y Bhin Niê", "Ksor H'Hen"]),
    ("Theo đơn của công dân Lê Văn Tuyến.", ["Lê Văn Tuyến"]),
    # A public figure's name after a title stays; after an honorific it is a colleague.
    ("Đại tướng Võ Nguyên Giáp; ông Phạm Văn Đồng ở phòng tôi.", ["Phạm Văn Đồng"]),
])
def test_cue_and_name(engine, text, expected):
    assert names(engine, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Họ và tên: NGUYỄN VĂN HÙNG\nChức vụ: chuyên viên", ["NGUYỄN VĂN HÙNG"]),
    ("Họ tên: trần thị b; năm sinh: 1975", ["trần thị b"]),
    ("Người ký: Đặng Quốc Bảo", ["Đặng Quốc Bảo"]),
    ("Họ tên chủ hộ: MA VĂN PÁO", ["MA VĂN PÁO"]),
    ("Cha: Nguyễn Văn Tư, mẹ: Lê Thị Sen.", ["Nguyễn Văn Tư", "Lê Thị Sen"]),
])
def test_labels(engine, text, expected):
    assert names(engine, text) == expected


def test_signature_block_and_table_column(engine):
    text = "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n(Đã ký)\nTrần Quốc Khánh"
    assert names(engine, text) == ["Trần Quốc Khánh"]
    table = "STT\tHọ và tên\tGhi chú\n1\tPhạm Thị Hoa\tđủ\n2\tHòa\tthiếu"
    assert names(engine, table) == ["Phạm Thị Hoa", "Hòa"]


def test_bare_names_accented_upper_and_unaccented(engine):
    assert names(engine, "Hội đồng gồm Nguyễn Thị Thanh Tâm và Phan Văn Khải.") == [
        "Nguyễn Thị Thanh Tâm", "Phan Văn Khải"]
    assert names(engine, "Nguyen Van An gui bao cao cho Tran Thi Binh.") == [
        "Nguyen Van An", "Tran Thi Binh"]
    assert names(engine, "Danh sách: 1. Nguyễn Hùng; 2. Lê Quang Vinh.") == [
        "Nguyễn Hùng", "Lê Quang Vinh"]
    # "Duong" is the surname Dương here, not the street word; "Phạm Văn Hải" is a person
    # even though the unaccented form is also the commune "Phạm Văn Hai".
    assert names(engine, "Gui anh Duong Ngoc Nam ban du thao.") == ["Duong Ngoc Nam"]
    assert names(engine, "4. Phạm Văn Hải – chuyên viên") == ["Phạm Văn Hải"]


@pytest.mark.parametrize("text", [
    "Trụ sở nằm trên phố Lê Lợi, đối diện Trường THPT Nguyễn Du.",
    "Đoàn đi qua cầu Trần Thị Lý rồi vào Bệnh viện Trưng Vương.",
    "Chủ tịch Hồ Chí Minh đã dạy. Bác Hồ kính yêu.",
    "Mai tôi đi Hà Nội. Văn bản này do tỉnh Cao Bằng gửi.",
    "Giám đốc Sở Tài chính và Chủ tịch Quốc hội cùng dự.",
    "QUYẾT ĐỊNH\nVề việc cử cán bộ đi công tác\nGIÁM ĐỐC SỞ NỘI VỤ",
    "Cô Tô là một đặc khu của tỉnh Quảng Ninh.",
    "Ông Bà ta thường nói: có công mài sắt có ngày nên kim.",
    "Trường Đại học Bách khoa Hà Nội tuyển sinh.",
    "Đường Hồ Chí Minh đoạn qua Kon Tum đang nâng cấp.",
    "Hội nghị tại số 12 Lê Văn Sỹ.",
    "Các đồng chí Thường trực Tỉnh ủy dự họp.",
])
def test_traps_stay(engine, text):
    assert names(engine, text) == []


def test_lone_cell_needs_outside_context(engine):
    assert names(engine, "Tuấn") == []
    assert names(engine, "Tuấn", context=["Họ và tên"]) == ["Tuấn"]


def test_same_person_same_placeholder(engine):
    text = ("Ông Nguyễn Văn Hùng (phòng TCCB) trình bày. Sau đó anh Hùng và chị Trần Thị Lan "
            "phát biểu; chị Lan đồng ý.")
    result = engine.redact(text)
    assert result.text == ("Ông [HỌ_TÊN_1] (phòng TCCB) trình bày. Sau đó anh [HỌ_TÊN_1] và chị "
                           "[HỌ_TÊN_2] phát biểu; chị [HỌ_TÊN_2] đồng ý.")


def test_a_name_found_once_is_redacted_everywhere(engine):
    text = "Đồng chí Khổng Tử Vũ dự họp. Khổng Tử Vũ đề nghị bổ sung. KHỔNG TỬ VŨ ký."
    result = engine.redact(text)
    assert "Khổng Tử Vũ" not in result.text
    assert result.text.count("[HỌ_TÊN_1]") == 3


def test_ambiguous_given_name_gets_its_own_placeholder():
    pm = PlaceholderMap()
    first = pm.placeholder_for("HỌ_TÊN", "VN_PERSON", "Lê Minh Tuấn")
    second = pm.placeholder_for("HỌ_TÊN", "VN_PERSON", "Phạm Văn Tuấn")
    bare = pm.placeholder_for("HỌ_TÊN", "VN_PERSON", "Tuấn")
    assert len({first, second, bare}) == 3
    assert pm.placeholder_for("HỌ_TÊN", "VN_PERSON", "Văn Tuấn") == second
    # Other entities keep exact keys: "Hùng" as a plain value is not aliased.
    assert pm.placeholder_for("X", "OTHER", "a b") != pm.placeholder_for("X", "OTHER", "b")


def _pack_with(tmp_path, edit):
    folder = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), folder)
    path = folder / "people.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "vn-person")
    edit(rule)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_it_can_keep_public_names(tmp_path):
    folder = _pack_with(tmp_path, lambda r: r["options"].update(keep_names=["Phạm Minh Đức"]))
    engine = Engine.from_folders([folder])
    assert names(engine, "Giám đốc Phạm Minh Đức ký quyết định.") == []


def test_unknown_option_is_an_error(tmp_path):
    folder = _pack_with(tmp_path, lambda r: r["options"].update(honorific=["ông"]))
    with pytest.raises(RulePackError, match="unknown option"):
        Engine.from_folders([folder])


# -- lower/mixed case after a cue (probe root cause 2) ---------------------------------

@pytest.mark.parametrize("text, expected", [
    ("nhắn giúp em cho chị đặng thị hồng nhung bên nhân sự nhé", ["đặng thị hồng nhung"]),
    ("bác bùi văn khoa gọi, em chuyển cho cô lý thị ngọc ánh rồi",
     ["bùi văn khoa", "lý thị ngọc ánh"]),
    ("nho anh vu duc thang ky giup, chi ngo thi hai yen dang cho",
     ["vu duc thang", "ngo thi hai yen"]),
    ("Gửi anh Phạm minh Quân và chị Đỗ thị Hà bản nháp.", ["Phạm minh Quân", "Đỗ thị Hà"]),
    # The name ends where lower case follows a capitalised given name.
    ("Chị Hứa Thị Vân phát biểu ý kiến.", ["Hứa Thị Vân"]),
])
def test_lower_and_mixed_case_names_after_a_cue(engine, text, expected):
    assert names(engine, text) == expected


@pytest.mark.parametrize("text", [
    "hôm qua nguyễn thị thanh tâm chưa gửi",          # no cue: lower case stays
    "anh chị lưu ý giúp em hạn nộp là thứ sáu nhé",   # surname + one common word
    "em đinh ninh là anh trịnh trọng tuyên bố rồi",
    "chi la van phong gui thoi, em dang lam bai",     # particles folding onto surnames
    "bac si bao co y dinh chuyen vien",               # "có ý định": y is no Ê Đê prefix
])
def test_lower_case_without_a_name_stays(engine, text):
    assert names(engine, text) == []


# -- ALL-CAPS lines (root cause 3) -----------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("THÔNG BÁO V/V THU HỒI GIẤY PHÉP LÁI XE CỦA ÔNG HOÀNG ĐÌNH LỢI", ["HOÀNG ĐÌNH LỢI"]),
    ("BIÊN BẢN VI PHẠM HÀNH CHÍNH ĐỐI VỚI LẠI VĂN TOÀN", ["LẠI VĂN TOÀN"]),
    ("QUYẾT ĐỊNH KỶ LUẬT ĐỐI VỚI TRỊNH QUỐC HƯNG", ["TRỊNH QUỐC HƯNG"]),
    ("CK.5512.NOP HOC PHI CHO CHAU VU MINH KHOI LOP 4A", ["VU MINH KHOI"]),
    # A long account number before the name is no house number.
    ("CK TU 0123400567891 PHAN THI THU HIEN", ["PHAN THI THU HIEN"]),
])
def test_all_caps_lines_try_every_candidate(engine, text, expected):
    assert names(engine, text) == expected


@pytest.mark.parametrize("text", [
    "VỀ VIỆC BAN HÀNH QUY CHẾ LÀM VIỆC CỦA ỦY BAN NHÂN DÂN XÃ AN PHÚ",
    "GỬI CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC VÀ NGƯỜI LAO ĐỘNG",
    "V/V ĐỀ NGHỊ CẤP LẠI THẺ CHO CÁN BỘ CÔNG CHỨC VIÊN CHỨC LẠI KỶ PHÍ",
    "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",   # BAN is no Bàn
    "UỶ BAN NHÂN DÂN HUYỆN ĐÔNG ANH",
    "QUYẾT ĐỊNH XỬ PHẠT VI PHẠM HÀNH CHÍNH",                 # a surname inside a word
    "BÁO CÁO TỘI PHẠM HÌNH SỰ QUÝ III",
])
def test_all_caps_headings_stay(engine, text):
    assert names(engine, text) == []


# -- titles after an honorific, surnames that are common words (root cause 5) ----------

def test_title_after_honorific_is_no_name(engine):
    text = ("Kính gửi đồng chí Phó Chủ tịch UBND huyện; ông Chánh Văn phòng; bà Kế toán "
            "trưởng; đ/c Bí thư Chi bộ.")
    assert names(engine, text) == []
    assert names(engine, "Đồng chí Bí thư Nguyễn Văn Tình chủ trì; kính gửi ông Giám Đốc "
                         "Trần Quốc Bảo.") == ["Nguyễn Văn Tình", "Trần Quốc Bảo"]


@pytest.mark.parametrize("text", [
    "Đoàn Thanh niên xã tổ chức ra quân; Đoàn Công tác của Sở làm việc tại huyện.",
    "KẾ HOẠCH ĐÓN ĐOÀN CÔNG TÁC CỦA TỈNH BẠN",
    "Đoàn Kiểm Tra liên ngành đến làm việc.",
])
def test_doan_as_a_common_word_starts_no_name(engine, text):
    assert names(engine, text) == []


def test_doan_as_a_surname_still_counts(engine):
    assert names(engine, "Đoàn Văn Hậu và Đoàn Thị Thu Hà được cử đi.") == [
        "Đoàn Văn Hậu", "Đoàn Thị Thu Hà"]


# -- surname lexicon, Tây Nguyên names, name boundaries (root cause 10) -----------------

def test_more_surnames(engine):
    text = "Giám đốc Khuất Duy Tiến; Giáp Văn Thành và Chử Minh Hiếu; Mẫn Thị Kim Oanh ký."
    assert names(engine, text) == ["Khuất Duy Tiến", "Giáp Văn Thành", "Chử Minh Hiếu",
                                   "Mẫn Thị Kim Oanh"]


def test_tay_nguyen_names_without_a_cue(engine):
    text = "Danh sách: 1) Y Kông Êban – 0912; 2) H'Bia Mlô; 3) Ksor Nhưm; 4) Rơ Châm Đức."
    assert names(engine, text) == ["Y Kông Êban", "H'Bia Mlô", "Ksor Nhưm", "Rơ Châm Đức"]
    assert names(engine, "Hộ bà H'Ly Niê Kdăm nhận hỗ trợ.") == ["H'Ly Niê Kdăm"]
    assert names(engine, "Sở Y Tế tỉnh Đắk Lắk chỉ đạo.") == []


def test_compound_and_ong_surnames(engine):
    assert names(engine, "Hộ bà Công Huyền Tôn Nữ Thị Hạnh, ông Hoàng Phủ Minh Tuấn") == [
        "Công Huyền Tôn Nữ Thị Hạnh", "Hoàng Phủ Minh Tuấn"]
    assert names(engine, "Chị Ông Thị Ngọc Hân đã nộp hồ sơ.") == ["Ông Thị Ngọc Hân"]
    assert names(engine, "Họ và tên: Ông Văn Tám") == ["Ông Văn Tám"]
    table = "STT\tHọ và tên\tGhi chú\n1\tÔng Thị Mỹ Duyên\tđủ"
    assert names(engine, table) == ["Ông Thị Mỹ Duyên"]
    # Without a cue or label, "Ông Văn …" is still "Mr. Văn …".
    assert names(engine, "Ông Văn Đức cùng dự.") == ["Văn Đức"]


def test_a_surname_as_the_last_syllable_stays_in_the_name(engine):
    assert names(engine, "Ông: PHAN ĐÌNH KHƯƠNG") == ["PHAN ĐÌNH KHƯƠNG"]


@pytest.mark.parametrize("text, expected", [
    ("Khoa Ngoại, BS.CKII Đào Minh Quang trực", ["Đào Minh Quang"]),
    ("BS. CK1 Lưu Thị Hằng", ["Lưu Thị Hằng"]),
])
def test_specialist_grade_after_a_title(engine, text, expected):
    assert names(engine, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Chào Khánh,\nAnh xem giúp em bảng này nhé.", ["Khánh"]),
    ("Dear Quyên, please find the file attached.", ["Quyên"]),
    ("Số liệu đã cập nhật.\nTrân trọng,\nBảo Ngọc", ["Bảo Ngọc"]),
    ("Thanks,\n- Minh Châu", ["Minh Châu"]),
    ("Trân trọng cảm ơn!\n\nThu Trang", ["Thu Trang"]),   # Word paragraphs: a blank line
    ("Regards,\nKim Oanh - Phòng Quản trị", ["Kim Oanh"]),        # a role after the name
    ("Đã gửi bảng. Thân, Tú Anh", []),                             # not at a line start
    ("Trân trọng, Thanh Hương - Văn thư", ["Thanh Hương"]),
    ("[08:15, 12/5/2025] Diệu Linh: gửi chị bản mới", ["Diệu Linh"]),
    ("12/5/2025, 08:16 - Tạ Quang Vinh: ok em", ["Tạ Quang Vinh"]),
    ("chj Thuỷ ơi", ["Thuỷ"]),
])
def test_names_placed_by_greetings_closings_and_chat_lines(engine, text, expected):
    assert names(engine, text) == expected


@pytest.mark.parametrize("text", [
    "Chào Phòng Tổ chức Cán bộ,",
    "Kính chào Quý khách!",
    "Trân trọng,\nBan Quản lý dự án",
    "Cảm ơn, Phòng Tài vụ",
    "Chào Mừng Đại Hội!",
    "[10:02] Hệ Thống: đã sao lưu",
])
def test_greetings_and_closings_without_a_name(engine, text):
    assert names(engine, text) == []


@pytest.mark.parametrize("text, expected", [
    # An honorific inside brackets or quotes still names.
    ("(chị Quyên phòng Kế hoạch gửi)", ["Quyên"]),
    ('"anh Khôi" vừa nhắn', ["Khôi"]),
    # Cue + name that also spell a place ("Anh Sơn", "Anh Dũng" are districts/communes):
    # a lower-case cue or a call ("ơi") makes it a person.
    ("nhờ anh Sơn duyệt giúp", ["Sơn"]),
    ("Anh Dũng ơi, chiều họp nhé", ["Dũng"]),
    # A chat mention of a known name.
    ("@Thu Trang xem lại số liệu", ["Thu Trang"]),
    # A cue whose next word is no name: the rest of the run may hold one.
    ("chu TK LE THI THU HIEN", ["LE THI THU HIEN"]),
    # "Người …" labels take extra words before the colon.
    ("Người nhận bàn giao: Kha Minh", ["Kha Minh"]),
    # Common given names added to the lexicon.
    ("Đinh Văn Lượng trình bày ý kiến", ["Đinh Văn Lượng"]),
])
def test_names_from_probe_three_causes(engine, text, expected):
    assert names(engine, text) == expected


@pytest.mark.parametrize("text", [
    "huyện Anh Sơn, tỉnh Nghệ An",
    "Anh Sơn là huyện miền núi",
    "@All họp lúc 9h",
    "@Phòng Hành chính nhắc lịch",
    "Người nhận xét: Bài viết đạt yêu cầu",
    "Mã BN\tHọ tên\tKhoa",            # a cue in one cell names nothing in the next
])
def test_probe_three_non_names(engine, text):
    assert names(engine, text) == []


@pytest.mark.parametrize("text, expected", [
    # A place word that is also a surname opens a name before "Văn"/"Thị".
    ("Ông Lăng Văn Khiêm đã ký", ["Lăng Văn Khiêm"]),
    ("Lăng Thị Huyền, SĐT cũ", ["Lăng Thị Huyền"]),
])
def test_place_word_surnames_before_van_thi(engine, text, expected):
    assert names(engine, text) == expected


def test_place_word_without_van_thi_stays_a_place(engine):
    assert names(engine, "Lăng Chủ tịch Hồ Chí Minh mở cửa") == []


def test_aligned_text_table_rows(engine):
    text = ("STT  Họ và tên           Ngày sinh\n"
            "1    Vương Đình Hải      03/04/1986\n"
            "2    Khổng Thị Lành      19/10/1990")
    assert names(engine, text) == ["Vương Đình Hải", "Khổng Thị Lành"]


@pytest.mark.parametrize("text", [
    "chuyên viên Văn phòng UBND xã",
    "viên chức Trung tâm Y tế huyện",
    "cán bộ Đội Cảnh sát giao thông",
    "Phó Chánh Thanh tra tỉnh",
])
def test_an_office_after_a_role_is_no_name(engine, text):
    assert names(engine, text) == []


def test_lone_values_read_per_block_of_joined_cells(engine):
    # Document cells are analysed joined by blank lines; each block is one cell.
    text = "Thạch Thị Mỹ Linh\n\nPhạm Quang Vũ"
    assert names(engine, text, context=["Họ và tên"]) == ["Thạch Thị Mỹ Linh", "Phạm Quang Vũ"]
