"""Build the labelled engine corpus: tests/corpus/engine/snippets.jsonl.

Every value is synthetic (random numbers with valid structure, invented names). Each line:
{"id", "kind", "text", "expect": [[entity, value], ...], "blocked": bool}
``kind`` says what the snippet imitates (petition, hr_list, minutes, email, it_ticket,
unaccented, tsv, negative, stamp...). Run: python tools/make_corpus.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "engine" / "snippets.jsonl"
rng = random.Random(20261123)

PROVINCES = ["001", "031", "079", "048", "038", "040", "092", "024", "036", "075", "056", "066"]
MOBILE = ["090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035", "036",
          "037", "038", "039", "086", "088", "081", "082", "083", "084", "085", "070", "076",
          "077", "078", "079", "056", "058"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Phan", "Trương", "Đinh", "Lương"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Hoàng", "Thanh", "Đức", "Quang", "Hữu", "Xuân", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm",
         "Thảo", "Trang", "Tuấn", "Vân", "Yến"]
BANKS = ["Vietcombank", "BIDV", "Agribank", "VietinBank", "Techcombank", "MB Bank", "ACB",
         "VPBank", "Sacombank", "TPBank"]
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "moet.gov.vn", "hanoi.gov.vn", "vnpt.vn"]
BHYT_CODES = ["DN", "HC", "HT", "TE", "HS", "SV", "GD", "CN", "HN"]
TITLES = ["ông", "bà", "anh", "chị"]
STRIP = str.maketrans("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
                      "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ",
                      "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"
                      "AAAAAAAAAAAAAAAAAEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYYD")


def digits(n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def cccd() -> str:
    century = rng.choice("0123")
    year = rng.randint(50, 99) if century in "01" else rng.randint(0, 12)
    return f"{rng.choice(PROVINCES)}{century}{year:02d}{digits(6)}"


def mst() -> str:
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    while True:
        head = f"{rng.randint(1, 99):02d}{digits(7)}"
        if head[2:] == "0000000":
            continue
        remainder = sum(int(d) * w for d, w in zip(head, weights)) % 11
        if remainder:
            return head + str(10 - remainder)


def phone(style: int | None = None) -> str:
    number = rng.choice(MOBILE) + digits(7)
    style = rng.randint(0, 4) if style is None else style
    if style == 1:
        return f"{number[:4]} {number[4:7]} {number[7:]}"
    if style == 2:
        return f"{number[:4]}.{number[4:7]}.{number[7:]}"
    if style == 3:
        return f"+84 {number[1:4]} {number[4:7]} {number[7:]}"
    if style == 4:
        return f"{number[:3]}.{number[3:6]}.{number[6:]}"
    return number


def landline() -> str:
    area = rng.choice(["024", "028"])
    return f"{area} {rng.randint(3, 7)}{digits(3)} {digits(4)}"


def luhn_card(prefix: str, length: int = 16) -> str:
    body = prefix + digits(length - len(prefix) - 1)
    total = 0
    for index, char in enumerate(reversed(body)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return body + str((10 - total % 10) % 10)


def grouped(number: str) -> str:
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def person() -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def email_for(name: str) -> str:
    parts = name.translate(STRIP).lower().split()
    local = rng.choice([f"{parts[-1]}.{parts[0]}", f"{parts[-1]}{parts[0][0]}{parts[1][0]}",
                        f"{parts[-1]}{rng.randint(80, 99)}"])
    return f"{local}@{rng.choice(DOMAINS)}"


def bank_account() -> str:
    return digits(rng.choice([9, 10, 12, 13, 14]))


def passport() -> str:
    return rng.choice("BCN") + digits(7)


def bhyt() -> str:
    return f"{rng.choice(BHYT_CODES)}{rng.randint(1, 5)}{rng.choice(['01', '79', '48', '31'])}{digits(10)}"


def plate() -> str:
    code = rng.choice(["29", "30", "51", "43", "15", "36"])
    if rng.random() < 0.5:
        return f"{code}{rng.choice('ABCDEFGHK')}-{digits(3)}.{digits(2)}"
    return f"{code}-{rng.choice('BCDEFGH')}{rng.randint(1, 9)} {digits(3)}.{digits(2)}"


def password() -> str:
    return rng.choice(["Hanoi@2025", "Abc12345!", "matkhau123", "Vn#2026xyz", "qwerty@789",
                       "Tuyet!mat99", "Pa$$w0rd2025"])


rows: list[dict] = []


def add(kind: str, text: str, expect: list[tuple[str, str]], blocked: bool = False) -> None:
    for _, value in expect:
        assert value in text, (kind, value)
    rows.append({"id": f"{kind}-{len(rows) + 1:04d}", "kind": kind, "text": text,
                 "expect": [list(e) for e in expect], "blocked": blocked})


def petitions(n: int) -> None:
    for _ in range(n):
        name, cc, ph = person(), cccd(), phone()
        title = rng.choice(["Ông", "Bà"])
        text = (f"ĐƠN ĐỀ NGHỊ\nKính gửi: UBND phường Đống Đa\nTôi là {title} {name}, "
                f"số CCCD {cc}, điện thoại {ph}.\nTôi đề nghị cấp lại giấy xác nhận theo "
                f"khoản 2 Điều 8 Nghị định 13/2023/NĐ-CP.")
        add("petition", text, [("VN_PERSON", name), ("VN_CCCD", cc), ("PHONE_NUMBER", ph)])


def hr_lists(n: int) -> None:
    for _ in range(n):
        rows_text, expect = [], []
        for index in range(rng.randint(2, 4)):
            name, cc, ph, tax = person(), cccd(), phone(0), mst()
            rows_text.append(f"{index + 1}. {name} – CCCD: {cc} – SĐT: {ph} – MST: {tax}")
            expect += [("VN_PERSON", name), ("VN_CCCD", cc), ("PHONE_NUMBER", ph),
                       ("VN_TAX_CODE", tax)]
        text = "DANH SÁCH CÁN BỘ ĐI CÔNG TÁC\n" + "\n".join(rows_text)
        add("hr_list", text, expect)


def tsv_tables(n: int) -> None:
    for _ in range(n):
        lines = ["STT\tHọ và tên\tSố CCCD\tSố điện thoại\tSố tài khoản\tGhi chú"]
        expect = []
        for index in range(rng.randint(2, 5)):
            name, cc, ph, acct = person(), cccd(), phone(0), bank_account()
            lines.append(f"{index + 1}\t{name}\t{cc}\t{ph}\t{acct}\tĐã nộp hồ sơ")
            expect += [("VN_PERSON", name), ("VN_CCCD", cc), ("PHONE_NUMBER", ph),
                       ("VN_BANK_ACCOUNT", acct)]
        add("tsv", "\n".join(lines), expect)


def minutes(n: int) -> None:
    for _ in range(n):
        chair, clerk, ph = person(), person(), phone()
        text = (f"BIÊN BẢN HỌP\nThời gian: 14h00 ngày 12/3/2025. Chủ trì: đồng chí {chair}, "
                f"Phó Giám đốc. Thư ký: {clerk}.\nNội dung: triển khai Công văn 557/BKHCN-CĐSQG; "
                f"kinh phí dự kiến 1.500.000.000 đồng (tăng 12% so với năm 2024). Mọi vướng mắc "
                f"liên hệ đ/c {clerk.split()[-1]} qua số {ph}.")
        add("minutes", text, [("VN_PERSON", chair), ("VN_PERSON", clerk),
                              ("VN_PERSON", f"đ/c {clerk.split()[-1]}".split(" ", 1)[1]),
                              ("PHONE_NUMBER", ph)])


def emails(n: int) -> None:
    for _ in range(n):
        name = person()
        mail, ph, acct, bank = email_for(name), phone(), bank_account(), rng.choice(BANKS)
        text = (f"Chào anh {name.split()[-1]},\nEm gửi lại thông tin thanh toán hội thảo: "
                f"người nhận {name}, STK {acct} tại {bank}, email {mail}, di động {ph}.\n"
                f"Trân trọng.")
        add("email", text, [("VN_PERSON", name), ("VN_PERSON", name.split()[-1]),
                            ("VN_BANK_ACCOUNT", acct),
                            ("EMAIL_ADDRESS", mail), ("PHONE_NUMBER", ph)])


def it_tickets(n: int) -> None:
    for _ in range(n):
        name = person()
        user = email_for(name).split("@")[0]
        pw = password()
        ip = f"192.168.{rng.randint(0, 254)}.{rng.randint(1, 254)}"
        token = "ghp_" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                                 for _ in range(36))
        style = rng.randint(0, 2)
        if style == 0:
            text = (f"Phiếu hỗ trợ #4521: máy trạm {ip} không vào được mạng. Tài khoản đăng nhập: "
                    f"{user}, mật khẩu: {pw}. Nhờ bộ phận CNTT kiểm tra giúp.")
            expect = [("INTERNAL_NETWORK", ip), ("CREDENTIAL_USERNAME", user),
                      ("CREDENTIAL_PASSWORD", pw)]
        elif style == 1:
            text = (f"Lỗi triển khai CI: token GitHub {token} bị lộ trong log, cần thu hồi ngay. "
                    f"Máy chủ build ở \\\\fileserver01\\build\\logs.")
            expect = [("CREDENTIAL_TOKEN", token), ("INTERNAL_NETWORK", "\\\\fileserver01\\build\\logs")]
        else:
            db_pw = password().replace("@", "x").replace("$", "s").replace("#", "h")
            conn = f"postgresql://appuser:{db_pw}@10.0.{rng.randint(0, 9)}.{rng.randint(2, 200)}:5432/hoso"
            text = f"Cấu hình kết nối CSDL hồ sơ: {conn} (phiên bản 1.2.3.4, mục 2.1.3)."
            expect = [("CONNECTION_STRING", conn)]
        add("it_ticket", text, expect)


def unaccented(n: int) -> None:
    for _ in range(n):
        name = person().translate(STRIP)
        ph, cc, pw = phone(0), cccd(), password()
        text = (f"Gui anh {name}, so dien thoai {ph}, so CCCD {cc}. Mat khau wifi phong hop: {pw} "
                f"- nho doi sau buoi hop.")
        add("unaccented", text, [("VN_PERSON", name), ("PHONE_NUMBER", ph), ("VN_CCCD", cc),
                                 ("CREDENTIAL_PASSWORD", pw)])


def ids_misc(n: int) -> None:
    for _ in range(n):
        choice = rng.randint(0, 6)
        name = person()
        if choice == 0:
            value = passport()
            text = f"Hồ sơ xuất cảnh của {name}: hộ chiếu số {value}, cấp tại Hà Nội."
            expect = [("VN_PASSPORT", value)]
        elif choice == 1:
            value = bhyt()
            text = f"Bệnh nhân {name}, thẻ BHYT {value}, nhập viện điều trị nội trú."
            expect = [("VN_HEALTH_INSURANCE", value)]
        elif choice == 2:
            value = digits(10)
            text = f"Người lao động {name}, mã số BHXH {value}, đóng đủ 12 tháng."
            expect = [("VN_SOCIAL_INSURANCE", value)]
        elif choice == 3:
            value = rng.choice(PROVINCES)[1:] + digits(10)
            text = f"Lái xe {name}, GPLX số {value} hạng B2, vi phạm tốc độ."
            expect = [("VN_DRIVER_LICENSE", value)]
        elif choice == 4:
            value = plate()
            text = f"Xe ô tô biển số {value} của {name} đỗ sai quy định."
            expect = [("VN_VEHICLE_PLATE", value)]
        elif choice == 5:
            value = grouped(luhn_card(rng.choice(["4", "5"] + ["9704"])))
            expiry = f"{rng.randint(1, 12):02d}/{rng.randint(26, 31)}"
            text = f"Thanh toán bằng thẻ {value} của {name}, hết hạn {expiry}."
            expect = [("CREDIT_CARD", value), ("CREDIT_CARD", expiry)]
        else:
            value = digits(9)
            text = f"Giấy CMND số {value} của {name} đã hết hạn, đề nghị làm CCCD."
            expect = [("VN_CMND", value)]
        add("ids", text, [("VN_PERSON", name)] + expect)


def stamps(n: int) -> None:
    for index in range(n):
        level = ["MẬT", "TỐI MẬT", "TUYỆT MẬT"][index % 3]
        form = index % 4
        if form == 0:
            text = (f"UBND TỈNH NAM ĐỊNH\nSố: {rng.randint(10, 999)}/BC-UBND\n{level}\n"
                    f"BÁO CÁO\nVề tình hình an ninh trật tự quý I")
        elif form == 1:
            text = (f"BỘ CÔNG AN\t{level}\nSố: {rng.randint(10, 999)}/KH-BCA\tHà Nội, ngày 5 "
                    f"tháng 4 năm 2025\nKẾ HOẠCH\nTriển khai phương án bảo vệ")
        elif form == 2:
            text = f"Trích yếu: Tờ trình dự án\nĐộ mật: {level.capitalize()}\nĐộ khẩn: Thường"
        else:
            text = f"| Số: 45/TTr-SKHCN | {level} |\n|---|---|\nTờ trình về việc phân bổ kinh phí"
        add("stamp", text, [], blocked=True)


def internal(n: int) -> None:
    marks = ["LƯU HÀNH NỘI BỘ", "TÀI LIỆU NỘI BỘ", "XEM XONG TRẢ LẠI", "KHÔNG PHỔ BIẾN",
             "TÀI LIỆU PHỤC VỤ HỘI NGHỊ"]
    for index in range(n):
        mark = marks[index % len(marks)]
        text = f"{mark}\nTÀI LIỆU HỘI NGHỊ SƠ KẾT 6 THÁNG\nPhần I. Kết quả đạt được"
        add("internal", text, [("VN_INTERNAL_MARK", mark)])


NEGATIVES = [
    "Thực hiện Công văn số 557/BKHCN-CĐSQG ngày 31/03/2025 của Bộ Khoa học và Công nghệ.",
    "Căn cứ Nghị định 13/2023/NĐ-CP và Luật số 91/2025/QH15 về bảo vệ dữ liệu cá nhân.",
    "Tổng kinh phí là 1.500.000 đồng, trong đó ngân sách tỉnh 912.345.678 đồng.",
    "Quy chế bảo vệ bí mật nhà nước của cơ quan được ban hành kèm theo Quyết định 1351/QĐ-BHXH.",
    "QUY CHẾ BẢO VỆ BÍ MẬT NHÀ NƯỚC",
    "Mật độ dân số của tỉnh đạt 1.245 người/km2, tăng 3,2% so với năm 2020.",
    "Cán bộ phải giữ bí mật thông tin, không chia sẻ mật khẩu cho người khác.",
    "Độ mật: Thường\nĐộ khẩn: Hỏa tốc",
    "Theo mục 2.1.3.4 và Điều 1.2.3.4 của quy chuẩn, phiên bản 10.2.0.1 được áp dụng.",
    "Đường dây nóng 1900 1234 và tổng đài 1800 1090 hoạt động 24/7.",
    "Hà Nội, ngày 31 tháng 3 năm 2025",
    "Mẫu số 01 ban hành kèm theo Thông tư 24/2020/TT-BCA; ngạch chuyên viên mã số 01.003.",
    "Giá trị hợp đồng 2.350.000.000 VNĐ, thanh toán làm 3 đợt, mỗi đợt 30%.",
    "Năm 2024 toàn tỉnh có 1.234 doanh nghiệp thành lập mới, vốn đăng ký 12.500 tỷ đồng.",
    "Kế hoạch số 45/KH-UBND ngày 12/01/2025 về chuyển đổi số giai đoạn 2025-2030.",
    "Hội nghị được tổ chức tại hội trường tầng 3, bắt đầu lúc 8 giờ 30 phút.",
    "Mật ong, mật mía và túi mật là những từ có chữ mật nhưng không phải dấu mật.",
    "Thư mời họp: thân mật kính mời các đồng chí tham dự lễ kỷ niệm.",
    "Báo cáo số 102/BC-SYT về công tác phòng chống dịch, 15 ca mắc mới.",
    "Tỷ lệ giải ngân đạt 87,5%, cao hơn mức bình quân 72,3% của cả nước.",
    "Tài liệu mật phải được quản lý theo quy định; cán bộ không mang tài liệu mật về nhà.",
    "Điểm a khoản 1 Điều 5 Thông tư 01/2011/TT-BNV hướng dẫn thể thức văn bản.",
    "Lớp bồi dưỡng khóa 12 có 45 học viên, thời gian học 120 tiết.",
    "Bản tin nội bộ số 3 phát hành ngày 15/8 gửi các phòng ban.",
    "Mã ngành 8480201, chỉ tiêu tuyển sinh 150, học phí 24.500.000 đồng/năm.",
    "Sáng 14/3, Bộ trưởng chủ trì hội nghị trực tuyến với 63 tỉnh, thành phố.",
    "Quyết định 06/QĐ-TTg về phát triển dữ liệu dân cư, định danh và xác thực điện tử.",
    "Hệ thống VNeID có hơn 80 triệu tài khoản được kích hoạt tính đến năm 2025.",
    "Đề nghị các đơn vị báo cáo trước ngày 20/12/2025 qua hệ thống quản lý văn bản.",
    "Phòng họp số 2, tòa nhà A, chiều 16h00 thứ Sáu.",
]


def negatives(n: int) -> None:
    for index in range(n):
        add("negative", NEGATIVES[index % len(NEGATIVES)], [])


def main() -> None:
    petitions(35)
    hr_lists(25)
    tsv_tables(25)
    minutes(30)
    emails(35)
    it_tickets(30)
    unaccented(25)
    ids_misc(50)
    stamps(20)
    internal(10)
    negatives(len(NEGATIVES))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} snippets -> {OUT}")


if __name__ == "__main__":
    main()
