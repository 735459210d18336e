"""A labelled synthetic corpus and chatbot-style mangling for restore round trips.

Every value is invented (CCCD numbers are structurally valid fakes, tax codes carry a valid
check digit, e-mails use example domains). Texts are lists of lines, so a "chatbot" can
reorder them or put them in a table and the expected answer is built the same way.

Run ``python -m tests.engine.restore_corpus`` for the round-trip figures.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from app.engine.textutil import fold_phrase
from app.engine.validators import CCCD_PROVINCES, MST_WEIGHTS

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Quang", "Thu", "Hải"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hạnh", "Khánh", "Linh", "Mai", "Nam",
         "Oanh", "Phúc", "Quyên", "Sơn", "Tâm", "Uyên", "Vinh", "Xuân", "Yến"]
STREETS = ["Hàng Bài", "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Điện Biên Phủ", "Lý Thường Kiệt"]
DISTRICTS = [("Hoàn Kiếm", "Hà Nội"), ("Quận 1", "TP. Hồ Chí Minh"), ("Hải Châu", "Đà Nẵng"),
             ("Ninh Kiều", "Cần Thơ"), ("Lê Chân", "Hải Phòng")]
BANKS = ["Vietcombank", "BIDV", "Agribank", "VietinBank", "Techcombank"]
MOBILE = ["090", "091", "093", "094", "096", "097", "098", "032", "035", "038", "070", "077",
          "081", "086", "088"]


def fake_cccd(rng: random.Random) -> str:
    province = rng.choice(sorted(CCCD_PROVINCES))
    century = rng.choice("0123")
    year = rng.randint(40, 99) if century in "01" else rng.randint(0, 8)
    return f"{province}{century}{year:02d}{rng.randint(0, 999999):06d}"


def fake_mst(rng: random.Random) -> str:
    while True:
        head = f"0{rng.randint(100000000, 999999999)}"[:9]
        remainder = sum(int(d) * w for d, w in zip(head, MST_WEIGHTS)) % 11
        if remainder and (10 - remainder) < 10 and head[2:] != "0000000":
            return head + str(10 - remainder)


def fake_phone(rng: random.Random) -> str:
    digits = rng.choice(MOBILE) + f"{rng.randint(0, 9999999):07d}"
    style = rng.randrange(3)
    if style == 1:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if style == 2:
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    return digits


def fake_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def fake_email(rng: random.Random) -> str:
    user = fold_phrase(rng.choice(GIVEN)) + "." + fold_phrase(rng.choice(SURNAMES))
    return f"{user}{rng.randint(1, 99)}@{rng.choice(['example.vn', 'example.com', 'mail.example.org'])}"


def fake_address(rng: random.Random) -> str:
    district, city = rng.choice(DISTRICTS)
    return f"số {rng.randint(1, 300)} phố {rng.choice(STREETS)}, {district}, {city}"


def fake_plate(rng: random.Random) -> str:
    return f"{rng.randint(11, 99)}{rng.choice('ABCDEFGH')}-{rng.randint(100, 999)}.{rng.randint(10, 99)}"


def fake_account(rng: random.Random) -> str:
    return f"{rng.randint(10, 99)}{rng.randint(10**9, 10**10 - 1)}"


def fake_bhxh(rng: random.Random) -> str:
    return f"{rng.randint(1, 99):02d}{rng.randint(10**7, 10**8 - 1)}"


def fake_dob(rng: random.Random) -> str:
    return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2004)}"


MAKERS = {
    "VN_PERSON": fake_name, "VN_CCCD": fake_cccd, "PHONE_NUMBER": fake_phone,
    "EMAIL_ADDRESS": fake_email, "VN_TAX_CODE": fake_mst, "VN_ADDRESS": fake_address,
    "VN_VEHICLE_PLATE": fake_plate, "VN_BANK_ACCOUNT": fake_account,
    "VN_SOCIAL_INSURANCE": fake_bhxh, "VN_DOB": fake_dob,
}

# Line templates: {ENTITY} slots; a line may hold several.
LINES = [
    "Kính gửi ông/bà {VN_PERSON},",
    "Công dân {VN_PERSON}, số CCCD {VN_CCCD}, sinh ngày {VN_DOB}.",
    "Điện thoại liên hệ: {PHONE_NUMBER}; email: {EMAIL_ADDRESS}.",
    "Địa chỉ thường trú: {VN_ADDRESS}.",
    "Mã số thuế doanh nghiệp: {VN_TAX_CODE}.",
    "Số tài khoản {VN_BANK_ACCOUNT} tại ngân hàng {BANK}.",
    "Số sổ BHXH: {VN_SOCIAL_INSURANCE}.",
    "Phương tiện mang biển kiểm soát {VN_VEHICLE_PLATE} bị lập biên bản.",
    "Căn cước công dân số {VN_CCCD} cấp cho bà {VN_PERSON}.",
    "Đề nghị gọi lại số {PHONE_NUMBER} trước ngày 15.",
    "Người đại diện: {VN_PERSON} (SĐT {PHONE_NUMBER}).",
    "Hồ sơ đã chuyển cho phòng Tư pháp xử lý theo quy định.",
    "Thư điện tử gửi tới {EMAIL_ADDRESS} lúc 9 giờ sáng.",
    "Hộ gia đình ở {VN_ADDRESS} thuộc diện hỗ trợ.",
]


@dataclass
class Sample:
    lines: list[str]
    labels: list[tuple[str, str]] = field(default_factory=list)  # (entity, value)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def build_corpus(count: int = 60, seed: int = 2026) -> list[Sample]:
    rng = random.Random(seed)
    samples = []
    for _ in range(count):
        chosen = rng.sample(LINES, rng.randint(3, 6))
        sample = Sample([])
        people: dict[str, str] = {}
        for template in chosen:
            line = template.replace("{BANK}", rng.choice(BANKS))
            while "{" in line:
                start = line.index("{")
                entity = line[start + 1:line.index("}", start)]
                # A person named twice in one letter is the same person (same placeholder).
                if entity == "VN_PERSON" and people and rng.random() < 0.5:
                    value = rng.choice(list(people.values()))
                else:
                    value = MAKERS[entity](rng)
                    if entity == "VN_PERSON":
                        people[value] = value
                sample.labels.append((entity, value))
                line = line[:start] + value + line[line.index("}", start) + 1:]
            sample.lines.append(line)
        samples.append(sample)
    return samples


# -- chatbot-style mangling ---------------------------------------------------------------
# A form rewrites one placeholder "[LABEL_N]". ``wrap`` is kept around the restored value
# (markdown bold outside the brackets survives), ``core`` is consumed by restore.

def _title(label: str) -> str:
    return "_".join(w[:1] + w[1:].lower() for w in label.split("_"))


def _ascii(label: str) -> str:
    return fold_phrase(label).upper()


FORMS = {
    "exact": ("", lambda lab, n: f"[{lab}_{n}]"),
    "bare": ("", lambda lab, n: f"{lab}_{n}"),
    "title_case": ("", lambda lab, n: f"[{_title(lab)}_{n}]"),
    "no_accents": ("", lambda lab, n: f"[{_ascii(lab)}_{n}]"),
    "lower": ("", lambda lab, n: f"[{lab.lower()}_{n}]"),
    "spaces": ("", lambda lab, n: f"[ {lab.replace('_', ' ')} {n} ]"),
    "bold_outside": ("**", lambda lab, n: f"[{lab}_{n}]"),
    "bold_bare": ("**", lambda lab, n: f"{lab}_{n}"),
    "bold_inside": ("", lambda lab, n: f"[**{lab}_{n}**]"),
    "code": ("`", lambda lab, n: f"[{lab}_{n}]"),
    "cjk_brackets": ("", lambda lab, n: f"【{lab}_{n}】"),
    "double_brackets": ("", lambda lab, n: f"[[{lab}_{n}]]"),
    "braces": ("", lambda lab, n: f"{{{lab}_{n}}}"),
    "parens": ("", lambda lab, n: f"({lab}_{n})"),
    "decomposed": ("", lambda lab, n: unicodedata.normalize("NFD", f"[{lab}_{n}]")),
    "ascii_bare": ("", lambda lab, n: f"{_ascii(lab)}_{n}"),
}
LAYOUTS = ("as_is", "reordered", "table")


def layout(lines: list[str], kind: str) -> str:
    if kind == "reordered":
        return "\n".join(reversed(lines))
    if kind == "table":
        rows = ["| STT | Nội dung |", "| --- | --- |"]
        rows += [f"| {i} | {line} |" for i, line in enumerate(lines, 1)]
        return "\n".join(rows)
    return "\n".join(lines)


def mangle(original: str, redaction, form_names: list[str]) -> tuple[str, str]:
    """The chatbot's answer and the answer we expect after restore, line by line.

    Each applied finding gets the form ``form_names[i % len]``; the expected text puts the
    original value inside that form's kept wrapper.
    """
    applied = sorted(redaction.applied, key=lambda f: f.start)
    answer, expected = [], []
    last = 0
    for index, finding in enumerate(applied):
        wrap, core = FORMS[form_names[index % len(form_names)]]
        placeholder = redaction.placeholders.placeholder_for(finding.label, finding.entity,
                                                             finding.text)
        label, _, number = placeholder[1:-1].rpartition("_")
        gap = original[last:finding.start]
        answer.append(gap + wrap + core(label, int(number)) + wrap)
        expected.append(gap + wrap + finding.text + wrap)
        last = finding.end
    answer.append(original[last:])
    expected.append(original[last:])
    return "".join(answer), "".join(expected)


def round_trip(engine, samples: list[Sample], vault) -> dict:
    """Redact every sample through ``vault``, mangle it every way, restore, compare.

    Returns the share of answers restored exactly to the expected text, overall, per form
    and per layout, and how many unknown placeholders restore reported (should be none).
    """
    from app.engine.restore import restore_text

    redactions = []
    for sample in samples:
        with vault.recording("text"):
            redactions.append(engine.redact(sample.text, placeholders=vault.placeholder_map()))
    names = list(FORMS)
    per_form = {name: [0, 0] for name in names + ["mixed"]}
    per_layout = {kind: [0, 0] for kind in LAYOUTS}
    unknown = 0
    for index, (sample, redaction) in enumerate(zip(samples, redactions)):
        rotated = names[index % len(names):] + names[:index % len(names)]
        for form_list, key in [([name], name) for name in names] + [(rotated, "mixed")]:
            answer, expected = mangle(sample.text, redaction, form_list)
            for kind in LAYOUTS:
                result = restore_text(layout(answer.split("\n"), kind), vault)
                ok = result.text == layout(expected.split("\n"), kind) and not result.unknown
                unknown += len(result.unknown)
                per_form[key][0] += ok
                per_form[key][1] += 1
                per_layout[kind][0] += ok
                per_layout[kind][1] += 1
    good = sum(v[0] for v in per_layout.values())
    total = sum(v[1] for v in per_layout.values())
    return {
        "texts": len(samples),
        "values": sum(len(s.labels) for s in samples),
        "redacted": sum(len(r.applied) for r in redactions),
        "answers": total,
        "fully_restored": good / total,
        "per_form": {k: v[0] / v[1] for k, v in per_form.items()},
        "per_layout": {k: v[0] / v[1] for k, v in per_layout.items()},
        "unknown_reported": unknown,
    }


def detection_recall(engine, samples: list[Sample]) -> float:
    """Share of labelled values that the engine redacted (exact span)."""
    hit = total = 0
    for sample in samples:
        spans = {f.text for f in engine.redact(sample.text).applied}
        for _entity, value in sample.labels:
            total += 1
            hit += value in spans
    return hit / total if total else 0.0


if __name__ == "__main__":
    from app.engine import default_engine
    from app.engine.vault import Vault

    engine = default_engine()
    corpus = build_corpus()
    figures = round_trip(engine, corpus, Vault(None))
    print(f"texts {figures['texts']}, labelled values {figures['values']}, "
          f"redacted {figures['redacted']}, detection recall "
          f"{detection_recall(engine, corpus):.1%}")
    print(f"answers {figures['answers']}: fully restored {figures['fully_restored']:.1%}, "
          f"unknown reported {figures['unknown_reported']}")
    for name, share in figures["per_form"].items():
        print(f"  form {name:16s} {share:.1%}")
    for name, share in figures["per_layout"].items():
        print(f"  layout {name:14s} {share:.1%}")
