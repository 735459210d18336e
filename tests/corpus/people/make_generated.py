"""Write generated.txt: seeded templates filled with invented names, addresses and dates.

Name parts are chosen here independently of resources/names/ (several given names are not
in the recognizer's lexicon) so the corpus measures the rules, not the word lists.
Run: python tests/corpus/people/make_generated.py
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lưu", "Tạ",
            "Quách", "Kiều", "Triệu", "Khổng", "Lò", "Hà", "Mai", "Cao", "Lương"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Đình", "Thanh", "Xuân", "Công", "Trọng",
            "Quang", "Duy", "Tiến", "Mạnh", "Bá"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bích", "Hồng", "Minh", "Thúy", "Phương",
            "Mỹ", "Diệu", "Khánh"]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Nam", "Long", "Sơn", "Cường", "Thắng", "Quyết", "Toàn",
           "Khoa", "Phong", "Trung", "Hiếu", "Lâm", "Khoát", "Thiềng", "Đạo", "Khải", "Tường",
           "Chấn", "Vịnh", "Lực", "Hoạt"]
GIVEN_F = ["Lan", "Hoa", "Mai", "Hương", "Trang", "Linh", "Ngân", "Hằng", "Thảo", "Yến",
           "Nhung", "Huệ", "Loan", "Nguyệt", "Thoa", "Đoan", "Nhàn", "Xoan", "Lụa", "Thêu",
           "Huyền", "Quyên", "Hạnh", "Vân"]
HONORIFICS = ["ông", "bà", "anh", "chị", "đ/c", "đồng chí", "Ông", "Bà", "Anh", "Chị", "cô",
              "chú", "bác", "em"]
TITLES = ["Giám đốc", "Phó Giám đốc", "Trưởng phòng", "BS.", "TS.", "ThS.", "Đại úy",
          "Thiếu tá", "Chánh Văn phòng", "Chủ tịch UBND xã Tân Tiến", "luật sư", "bệnh nhân",
          "Hiệu trưởng", "Kế toán", "điều tra viên"]
STREETS = ["Hào Nam", "Thái Hà", "Kim Mã", "Láng Hạ", "Bạch Đằng", "Lý Nam Đế", "Hàng Bông",
           "Cầu Giấy", "Xã Đàn", "Tôn Đức Thắng", "Nguyễn Chí Thanh", "Lê Duẩn", "Pasteur",
           "Hai Bà Trưng", "Trần Phú", "Hùng Vương", "Quang Trung", "Lạc Long Quân"]
WARDS = ["Ô Chợ Dừa", "Đống Đa", "Ba Đình", "Cầu Giấy", "Láng", "Bến Thành", "Sài Gòn",
         "Hải Châu", "Thanh Khê", "Tân Định", "Hoàn Kiếm", "Yên Hòa", "Kim Liên", "Ngọc Hà"]
COMMUNES = ["Tân Tiến", "Yên Phú", "Đông Hải", "Quảng Phú", "Hòa Bình", "Tam Hiệp",
            "Nghĩa Đàn", "Xuân Lộc", "Phú Lương", "Vĩnh Thạnh"]
PROVINCES = ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Nghệ An", "Thanh Hóa",
             "tỉnh Hưng Yên", "tỉnh Ninh Bình", "tỉnh Lào Cai", "tỉnh Gia Lai", "tỉnh Đắk Lắk",
             "tỉnh An Giang", "TP Cần Thơ"]
FAMOUS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Lý Thường Kiệt", "Phan Bội Châu",
          "Nguyễn Thị Minh Khai", "Võ Thị Sáu", "Chu Văn An", "Lê Quý Đôn", "Nguyễn Du"]
ORGS = ["Trường THPT", "Trường THCS", "Bệnh viện", "đường", "phố", "cầu", "Nhà văn hóa",
        "Trường Tiểu học", "Công viên"]


def strip_accents(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def full(self, size: int | None = None) -> str:
        r = self.r
        female = r.random() < 0.5
        middle = MIDDLE_F if female else MIDDLE_M
        given = GIVEN_F if female else GIVEN_M
        size = size or r.choice([3, 3, 3, 4])
        parts = [r.choice(SURNAMES)] + [r.choice(middle) for _ in range(size - 2)]
        return " ".join(parts + [r.choice(given)])

    def given(self) -> str:
        return self.r.choice(GIVEN_F + GIVEN_M)

    def date(self) -> str:
        r = self.r
        d, m, y = r.randint(1, 28), r.randint(1, 12), r.randint(1950, 2010)
        return r.choice([f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{d:02d}-{m:02d}-{y}",
                         f"{d:02d}.{m:02d}.{y}", f"ngày {d} tháng {m} năm {y}", str(y)])

    def address(self) -> str:
        r = self.r
        house = r.choice([f"số {r.randint(1, 200)}", f"{r.randint(1, 300)}",
                          f"{r.randint(1, 99)}/{r.randint(1, 40)}", f"số {r.randint(1, 90)}A"])
        way = r.choice([f"ngõ {r.randint(2, 400)} phố {r.choice(STREETS)}",
                        f"đường {r.choice(STREETS)}", f"phố {r.choice(STREETS)}",
                        f"hẻm {r.randint(2, 300)} đường {r.choice(STREETS)}",
                        f"ngách {r.randint(1, 40)}/{r.randint(2, 20)} ngõ {r.randint(2, 300)} "
                        f"{r.choice(STREETS)}"])
        tail = r.choice([f", phường {r.choice(WARDS)}, {r.choice(PROVINCES)}",
                         f", phường {r.choice(WARDS)}, quận Đống Đa, Hà Nội",
                         f", {r.choice(WARDS)}, {r.choice(PROVINCES)}",
                         f", xã {r.choice(COMMUNES)}, {r.choice(PROVINCES)}"])
        return f"{house} {way}{tail}"

    def rural(self) -> str:
        r = self.r
        return (f"{r.choice(['thôn', 'xóm', 'ấp', 'bản', 'tổ dân phố'])} {r.randint(1, 12)}, "
                f"xã {r.choice(COMMUNES)}, {r.choice(PROVINCES)}")


def snippets(g: Gen) -> list[str]:
    r = g.r
    out = []
    for _ in range(40):  # honorific/title + full name or given name
        hon, title = r.choice(HONORIFICS), r.choice(TITLES)
        out.append(r.choice([
            f"{hon} [[P:{g.full()}]] đã nộp đơn đề nghị lên Ủy ban.",
            f"Đề nghị {hon} [[P:{g.given()}]] bổ sung hồ sơ trước thứ Sáu.",
            f"{title} [[P:{g.full()}]] chủ trì cuộc họp giao ban.",
            f"Cuộc họp có {hon} [[P:{g.given()}]] và {r.choice(HONORIFICS)} [[P:{g.given()}]].",
            f"Theo ý kiến của {title} [[P:{g.full()}]], dự án cần điều chỉnh.",
            f"Kính gửi: {r.choice(['Ông', 'Bà', 'Ông/Bà'])} [[P:{g.full()}]]",
        ]))
    for _ in range(25):  # labels, upper case
        name = g.full()
        label = r.choice(["Họ và tên", "Họ tên", "Người ký", "Người liên hệ", "Người đại diện",
                          "Chủ hộ", "Họ tên người nộp"])
        shown = name.upper() if r.random() < 0.5 else name
        out.append(f"{label}: [[P:{shown}]]\nChức vụ: chuyên viên")
    for _ in range(25):  # bare full names in lists and prose
        a, b = g.full(), g.full()
        out.append(r.choice([
            f"Danh sách khen thưởng: [[N:{a}]], [[N:{b}]].",
            f"Thành phần tổ công tác gồm [[N:{a}]] và [[N:{b}]].",
            f"[[N:{a}]] được phân công theo dõi hồ sơ.",
        ]))
    for _ in range(15):  # unaccented
        a = strip_accents(g.full())
        out.append(r.choice([f"Gui anh [[P:{a}]] ban du thao.",
                             f"Ho va ten: [[P:{a.upper()}]]",
                             f"Nguoi lien he: [[P:{a}]], phong Ke hoach."]))
    for _ in range(30):  # addresses
        name = g.full()
        out.append(r.choice([
            f"Ông [[P:{name}]], trú tại [[A:{g.address()}]], có đơn khiếu nại.",
            f"Địa chỉ: [[A:{g.address()}]]",
            f"Nơi thường trú: [[A:{g.rural()}]]",
            f"Hàng được giao tới [[A:{g.address()}]] vào sáng thứ Ba.",
            f"Gia đình bà [[P:{name}]] hiện cư trú tại [[A:{g.rural()}]].",
            f"Quê quán: [[A:{g.rural()}]]",
        ]))
    for _ in range(30):  # dates of birth and their traps
        name = g.full()
        d = g.date()
        trap = f"{r.choice(['Hà Nội', 'Đà Nẵng', 'Nghệ An'])}, ngày {r.randint(1, 28)} tháng " \
               f"{r.randint(1, 12)} năm {r.randint(2020, 2026)}"
        out.append(r.choice([
            f"Ông [[P:{name}]], sinh ngày [[D:{d}]], là đảng viên.",
            f"Ngày sinh: [[D:{d}]]",
            f"{trap}\nV/v báo cáo kết quả công tác",
            f"Quyết định có hiệu lực từ ngày {r.randint(1, 28)}/{r.randint(1, 12)}/2025.",
            f"Năm sinh: [[D:{r.randint(1950, 2005)}]]",
            f"Họ và tên: [[P:{name}]]; ngày sinh: [[D:{d}]]",
            f"Hạn chót nộp báo cáo là ngày {r.randint(1, 28)} tháng {r.randint(1, 12)} năm 2025.",
        ]))
    for _ in range(20):  # ages
        name = g.full()
        age = r.randint(2, 90)
        out.append(r.choice([
            f"Bệnh nhân [[P:{name}]], [[G:{age} tuổi]], nhập viện cấp cứu.",
            f"Anh [[P:{g.given()}]] ([[G:{age} tuổi]]) là lái xe.",
            f"Người lao động từ đủ {r.randint(15, 18)} tuổi được ký hợp đồng.",
            f"Chương trình dành cho trẻ em dưới {r.randint(3, 16)} tuổi.",
            f"Độ tuổi tuyển dụng từ 18 đến {r.randint(30, 45)} tuổi.",
        ]))
    for _ in range(35):  # traps: people's names as places, organisations, prose
        famous, org = r.choice(FAMOUS), r.choice(ORGS)
        out.append(r.choice([
            f"Hội nghị tổ chức tại {org} {famous}.",
            f"Đoạn {r.choice(['đường', 'phố'])} {famous} bị ngập sau mưa lớn.",
            f"{r.choice(PROVINCES).replace('tỉnh ', 'Tỉnh ')} đã triển khai kế hoạch năm 2025.",
            f"Ủy ban nhân dân phường {r.choice(WARDS)} thông báo lịch tiếp dân.",
            "Mai sẽ có đoàn kiểm tra của Sở Y tế về làm việc.",
            f"Sở Giáo dục và Đào tạo khen thưởng {r.randint(10, 90)} giáo viên giỏi.",
            f"Trong năm, xã {r.choice(COMMUNES)} xây mới {r.randint(2, 9)} km đường.",
        ]))
    return out


def main() -> None:
    g = Gen(20261123)
    items = snippets(g)
    path = Path(__file__).with_name("generated.txt")
    path.write_text("\n---\n".join(items) + "\n", encoding="utf-8")
    print(f"wrote {len(items)} snippets to {path}")


if __name__ == "__main__":
    main()
