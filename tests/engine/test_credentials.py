"""Credentials (spec §6) through the full default engine: cue → value (cue kept, value
redacted), token shapes, private keys, connection strings, and the prose traps."""

from __future__ import annotations

import base64
import random
import string
from pathlib import Path

import pytest
import yaml

from app.engine import Verdict
from app.engine.recognizers.credentials import shannon_entropy
from app.engine.rules import default_pack_dir

CRED = {"CREDENTIAL_PASSWORD", "CREDENTIAL_USERNAME", "OTP", "CREDENTIAL_TOKEN", "PRIVATE_KEY",
        "CONNECTION_STRING"}


def creds(engine, text):
    return [(f.entity, f.text) for f in engine.analyze(text) if f.entity in CRED]


def test_password_value_redacted_cue_kept(engine):
    result = engine.redact("Mật khẩu: Hanoi@2025")
    assert result.verdict == Verdict.REDACTED
    assert result.text == "Mật khẩu: [MẬT_KHẨU_1]"
    finding = result.applied[0]
    assert finding.entity == "CREDENTIAL_PASSWORD" and finding.notify
    assert finding in result.warnings


@pytest.mark.parametrize("text, expected", [
    ("mat khau: hanoi2025", [("CREDENTIAL_PASSWORD", "hanoi2025")]),
    ("MẬT KHẨU = Abc123", [("CREDENTIAL_PASSWORD", "Abc123")]),
    ("MK: 12345678", [("CREDENTIAL_PASSWORD", "12345678")]),
    ("mk - Thu@2024", [("CREDENTIAL_PASSWORD", "Thu@2024")]),
    ("pass: 123456", [("CREDENTIAL_PASSWORD", "123456")]),
    ("password = 'p@ss w0rd'", [("CREDENTIAL_PASSWORD", "p@ss w0rd")]),
    ("Mật khẩu mới là Abc@1234.", [("CREDENTIAL_PASSWORD", "Abc@1234")]),
    ("Password is Sunshine99", [("CREDENTIAL_PASSWORD", "Sunshine99")]),
    ("Mật khẩu wifi: truongtieuhoc2025", [("CREDENTIAL_PASSWORD", "truongtieuhoc2025")]),
    ("pass wifi: 88889999", [("CREDENTIAL_PASSWORD", "88889999")]),
    ("Mat khau wifi phong hop: Pa$$w0rd2025 - nho doi", [("CREDENTIAL_PASSWORD", "Pa$$w0rd2025")]),
    ("Mật khẩu đăng nhập hệ thống một cửa: Abc@123", [("CREDENTIAL_PASSWORD", "Abc@123")]),
    ("Gửi anh mật khẩu Hanoi@2025 nhé", [("CREDENTIAL_PASSWORD", "Hanoi@2025")]),
    ("MATKHAU: Qx7!pass", [("CREDENTIAL_PASSWORD", "Qx7!pass")]),
    ('"password": "p@ss word!",', [("CREDENTIAL_PASSWORD", "p@ss word!")]),
    ("DB_PASSWORD=123", [("CREDENTIAL_PASSWORD", "123")]),
    ("Mã PIN: 1234", [("CREDENTIAL_PASSWORD", "1234")]),
    ("PIN: 2580", [("CREDENTIAL_PASSWORD", "2580")]),
    ("Nhập mã PIN ký số 654321 để ký", [("CREDENTIAL_PASSWORD", "654321")]),
    ("OTP: 123456", [("OTP", "123456")]),
    ("Mã xác thực là 908172", [("OTP", "908172")]),
    ("Mã OTP của bạn là 482913", [("OTP", "482913")]),
    ("482913 là mã OTP của bạn, không chia sẻ cho ai.", [("OTP", "482913")]),
    ("Tên đăng nhập: nguyenvana", [("CREDENTIAL_USERNAME", "nguyenvana")]),
    ("username: cb.tuphap01", [("CREDENTIAL_USERNAME", "cb.tuphap01")]),
    ("Ten dang nhap = hoangb", [("CREDENTIAL_USERNAME", "hoangb")]),
    ("Tài khoản: hoangvanb.stp", [("CREDENTIAL_USERNAME", "hoangvanb.stp")]),
    ("TK: abc MK: xyz", [("CREDENTIAL_USERNAME", "abc"), ("CREDENTIAL_PASSWORD", "xyz")]),
    ("user/pass: admin/123456", [("CREDENTIAL_USERNAME", "admin"),
                                 ("CREDENTIAL_PASSWORD", "123456")]),
    ("tài khoản và mật khẩu: cbcc01 / Xyz789!", [("CREDENTIAL_USERNAME", "cbcc01"),
                                                 ("CREDENTIAL_PASSWORD", "Xyz789!")]),
    ("TK/MK: vanthu01 Vt@2025", [("CREDENTIAL_USERNAME", "vanthu01"),
                                 ("CREDENTIAL_PASSWORD", "Vt@2025")]),
    ("khóa bí mật: abc", [("CREDENTIAL_TOKEN", "abc")]),
    ('SECRET_KEY = "q8Zr2LpX9vTb4Kw1"', [("CREDENTIAL_TOKEN", "q8Zr2LpX9vTb4Kw1")]),
    ("api_key=Zx8Qw2Lp9Vb3Tt7M", [("CREDENTIAL_TOKEN", "Zx8Qw2Lp9Vb3Tt7M")]),
])
def test_cue_value_pairs(engine, text, expected):
    assert creds(engine, text) == expected


@pytest.mark.parametrize("text, expected", [
    # Free words between the cue and "là"/"is": the value is after the separator.
    ("Mật khẩu Wi-Fi phòng 305 là Phong305#A, ai cần thì lấy.",
     [("CREDENTIAL_PASSWORD", "Phong305#A")]),
    ("Tên đăng nhập là minh.lq, còn mật khẩu máy in tầng trệt là inmau2031 nha",
     [("CREDENTIAL_USERNAME", "minh.lq"), ("CREDENTIAL_PASSWORD", "inmau2031")]),
    ("mat khau email cua chi la Thu#8812, user la thutv.kh nhe",
     [("CREDENTIAL_PASSWORD", "Thu#8812"), ("CREDENTIAL_USERNAME", "thutv.kh")]),
    ("the password for the staging server is Orchid!42",
     [("CREDENTIAL_PASSWORD", "Orchid!42")]),
    ("Tài khoản Zoom của phòng là zoom.phonghop7", [("CREDENTIAL_USERNAME", "zoom.phonghop7")]),
    ("Mật khẩu Wi-Fi: xuanthu", [("CREDENTIAL_PASSWORD", "xuanthu")]),
    ("Mật khẩu là: dongxanh", [("CREDENTIAL_PASSWORD", "dongxanh")]),
    # A secret's cue among the free words names the value; the login before it is one.
    ("TK quanly mk là Ql@5566", [("CREDENTIAL_USERNAME", "quanly"),
                                 ("CREDENTIAL_PASSWORD", "Ql@5566")]),
    ("TK quanly MK: Ql@5566", [("CREDENTIAL_USERNAME", "quanly"),
                               ("CREDENTIAL_PASSWORD", "Ql@5566")]),
    # A label where the value should be: its own cue takes the value, or it is stepped over.
    ("Em gửi tài khoản phần mềm nhân sự nhé: TK: nhansu_hr2 MK: Hr#7781",
     [("CREDENTIAL_USERNAME", "nhansu_hr2"), ("CREDENTIAL_PASSWORD", "Hr#7781")]),
    ("Mật khẩu đăng nhập như sau: User: vanthu09 Pass: Vt#3344",
     [("CREDENTIAL_USERNAME", "vanthu09"), ("CREDENTIAL_PASSWORD", "Vt#3344")]),
    ("Tài khoản cổng dịch vụ: ID: tuan.pv77 nhé", [("CREDENTIAL_USERNAME", "tuan.pv77")]),
    # A login name right after its cue.
    ("Nhờ anh mở khóa user quyetlv5 trên hệ thống", [("CREDENTIAL_USERNAME", "quyetlv5")]),
    ("Reset the password for user dunghm.k2 — temp password: Spring#31",
     [("CREDENTIAL_USERNAME", "dunghm.k2"), ("CREDENTIAL_PASSWORD", "Spring#31")]),
])
def test_value_after_free_words_and_labels(engine, text, expected):
    assert creds(engine, text) == expected


def test_otp_with_bank_name_is_an_otp_not_an_account(engine):
    text = "Mã OTP Agribank vừa gửi về máy em là 271946, mã PIN thẻ VPBank là 8402."
    found = [(f.entity, f.text) for f in engine.analyze(text)]
    assert found == [("OTP", "271946"), ("CREDENTIAL_PASSWORD", "8402")]


@pytest.mark.parametrize("text", [
    "mật khẩu là bắt buộc",
    "Mật khẩu là thông tin cần giữ kín.",
    "Mật khẩu của tài khoản này là do quản trị viên cấp.",
    "Mật khẩu mạnh là mật khẩu có chữ hoa, chữ thường và số.",
    "Em pass lại chiếc xe đạp này giá là 850k nhé",
    "pass là 1.200.000 nha",
    "Thời hạn mã OTP là 120s.",
    "Độ dài mật khẩu tối đa là 2048 ký tự.",
    "Số user đăng nhập hôm nay là 1350",
    "The pass rate for the course is 78.5%",
    "The login for the portal is https://dvc.example.vn",
    "Tài khoản: 0451-220-318",
    "Mã xác nhận hồ sơ là HS-2031-017",
    "Xem user guide v3.1 hoặc login e.g. qua cổng",
    "Gửi em thông tin: TK: MK:",
])
def test_free_words_and_labels_prose(engine, text):
    assert creds(engine, text) == []


def test_low_entropy_password_with_cue_is_still_redacted(engine):
    assert shannon_entropy("1111aaaa") < 3.0
    assert creds(engine, "mật khẩu: 1111aaaa") == [("CREDENTIAL_PASSWORD", "1111aaaa")]


@pytest.mark.parametrize("text", [
    "Quên mật khẩu? Bấm vào đây.",
    "Đổi mật khẩu thường xuyên, không dùng chung mật khẩu.",
    "Mật khẩu phải có ít nhất 8 ký tự.",
    "mật khẩu là gì?",
    "Mật khẩu: ********",
    "Mật khẩu: (không có)",
    "Số tài khoản: 0123456789",
    "Chuyển khoản vào TK 0123456789 tại Vietcombank",
    "token: xem hướng dẫn sử dụng",
    "secret=aaaaaaaaaaaa",
    "api_key = YOUR_API_KEY",
    "Tên đăng nhập\tMật khẩu",
    "Pin 5000mAh, sạc nhanh.",
    "Pin: 5000 mAh; pin = 4000",
    "See the user manual; pass the exam.",
    "The secret of success is hard work.",
    "Bearer of bad news",
    "The user is presented with a dialog; the user is prompted again.",
    "Kết quả: Pass - Fail",
    "password = '. This also informs the attacker that one of the columns is wrong'",
    "mật khẩu: '",
])
def test_prose_is_not_a_credential(engine, text):
    assert creds(engine, text) == []


# -- token formats ------------------------------------------------------------------------
_rng = random.Random(20261123)
ALNUM = string.ascii_letters + string.digits


def rnd(n, alphabet=ALNUM):
    return "".join(_rng.choice(alphabet) for _ in range(n))


HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"
AWS_KEY_ID = "AKIA" + rnd(16, string.ascii_uppercase + "234567")

TOKENS = {  # pattern name -> (text, the redacted value)
    "aws-access-key-id": (f"key id {AWS_KEY_ID} here", AWS_KEY_ID),
    "aws-secret": (None, rnd(40, B64)),
    "github-token": (None, "ghp_" + rnd(36)),
    "github-fine-grained": (None, "github_pat_" + rnd(82, ALNUM + "_")),
    "gitlab-token": (None, "glpat-" + rnd(20, URLSAFE)),
    "slack-token": (None, "xoxb-123456789012-" + rnd(24)),
    "slack-webhook": (None, "https://hooks.slack.com/services/T" + rnd(8) + "/B" + rnd(8)
                      + "/" + rnd(24)),
    "google-api-key": (None, "AIza" + rnd(35, URLSAFE)),
    "google-oauth-secret": (None, "GOCSPX-" + rnd(28, URLSAFE)),
    "google-oauth-token": (None, "ya29." + rnd(60, URLSAFE)),
    "anthropic-key": (None, "sk-ant-api03-" + rnd(93, URLSAFE)),
    "openai-key": (None, "sk-proj-" + rnd(20) + "T3BlbkFJ" + rnd(20)),
    "openai-project-key": (None, "sk-proj-" + rnd(64, URLSAFE)),
    "stripe-key": (None, "sk_live_" + rnd(24)),
    "stripe-webhook": (None, "whsec_" + rnd(32)),
    "jwt": (None, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0." + rnd(43, URLSAFE)),
    "azure-account-key": (None, rnd(86, B64) + "=="),
    "telegram-bot": (None, "1234567890:AA" + rnd(33, URLSAFE)),
    "npm-token": (None, "npm_" + rnd(36)),
    "pypi-token": (None, "pypi-AgEIcHlwaS5vcmc" + rnd(60, URLSAFE)),
    "sendgrid-key": (None, "SG." + rnd(22, URLSAFE) + "." + rnd(43, URLSAFE)),
    "twilio-key": (None, "SK" + rnd(32, HEX)),
    "mailgun-key": (None, "key-" + rnd(32, HEX)),
    "huggingface-token": (None, "hf_" + rnd(34, string.ascii_letters)),
    "digitalocean-token": (None, "dop_v1_" + rnd(64, HEX)),
    "shopify-token": (None, "shpat_" + rnd(32, HEX)),
    "facebook-token": (None, "EAA" + rnd(90)),
    "atlassian-token": (None, "ATATT3" + rnd(120, URLSAFE)),
    "age-secret-key": (None, "AGE-SECRET-KEY-1" + rnd(58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L")),
    "bearer": (None, rnd(40, URLSAFE)),
    "basic-auth": (None, base64.b64encode(b"vanthu:" + rnd(12).encode()).decode()),
}
CONTEXT = {
    "aws-secret": "aws_secret_access_key = {}",
    "azure-account-key": "AccountKey={}",
    "bearer": "Authorization: Bearer {}",
    "basic-auth": "Authorization: Basic {}",
}


def _token_text(name):
    text, value = TOKENS[name]
    if text is None:
        text = "Gửi em cấu hình: " + CONTEXT.get(name, "{}").format(value) + " nhé."
    return text, value


def test_every_token_pattern_has_a_sample():
    data = yaml.safe_load(Path(default_pack_dir(), "credentials.yaml").read_text("utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "credential-tokens")
    assert {p["name"] for p in rule["patterns"]} == set(TOKENS)


@pytest.mark.parametrize("name", sorted(TOKENS))
def test_token_formats(engine, name):
    text, value = _token_text(name)
    result = engine.redact(text)
    found = [f for f in result.applied if f.entity in CRED]
    assert [f.text for f in found] == [value], name
    assert value not in result.text and found[0].notify


@pytest.mark.parametrize("text", [
    "AKIA1234 là mã cũ",                               # too short
    "sk-learn và scikit-learn là thư viện",
    "ghp_short",
    "Tệp có SHA-256 " + "ab" * 32,                     # a hash without a cue
    "Mã hồ sơ 550e8400-e29b-41d4-a716-446655440000",   # a UUID
    "Authorization: Bearer aaaaaaaaaaaaaaaaaaaa",      # low entropy
])
def test_token_lookalikes(engine, text):
    assert [e for e, _ in creds(engine, text) if e == "CREDENTIAL_TOKEN"] == []


# -- private keys ---------------------------------------------------------------------------
def _pem(kind="RSA PRIVATE KEY", lines=4):
    body = "\n".join(rnd(64, B64) for _ in range(lines))
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----"


@pytest.mark.parametrize("kind", ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY",
                                  "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
                                  "PGP PRIVATE KEY BLOCK"])
def test_private_key_block(engine, kind):
    key = _pem(kind)
    text = f"Khóa máy chủ:\n{key}\nHết."
    result = engine.redact(text)
    assert [(f.entity, f.text) for f in result.applied] == [("PRIVATE_KEY", key)]
    assert result.text == "Khóa máy chủ:\n[KHÓA_BÍ_MẬT_1]\nHết."


def test_truncated_private_key_up_to_blank_line(engine):
    head = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + rnd(70, B64) + "\n" + rnd(70, B64)
    result = engine.redact(head + "\n\nCảm ơn anh.")
    assert [f.text for f in result.applied] == [head]
    assert result.text.endswith("Cảm ơn anh.")


def test_public_key_is_not_private(engine):
    text = "-----BEGIN PUBLIC KEY-----\n" + rnd(64, B64) + "\n-----END PUBLIC KEY-----"
    assert not [f for f in engine.analyze(text) if f.entity == "PRIVATE_KEY"]


# -- connection strings -----------------------------------------------------------------------
@pytest.mark.parametrize("conn", [
    "postgres://app:S3cret@10.0.0.5:5432/hoso",
    "postgresql://hoso_user:Mk!2025@db01.stp.local/hoso",
    "mysql://root:root@192.168.1.20:3306/qlvb",
    "mongodb+srv://admin:Abc123@cluster0.example.net/test?retryWrites=true",
    "redis://:p4ssw0rd@10.0.0.2:6379/0",
    "amqp://guest:guest@mq.internal:5672/",
    "ftp://vanthu:Ftp@2025@ftp.sotuphap.gov.vn/hoso",
    "smb://cb01:Pass1234@fileserver/share",
    "https://admin:S3cr3t@intranet.local/api",
    "jdbc:mysql://10.0.0.5:3306/hoso?user=app&password=S3cret",
    "jdbc:sqlserver://db01:1433;databaseName=HoSo;user=sa;password=Abc@123",
    "jdbc:oracle:thin:scott/tiger@dbhost:1521:orcl",
    "Server=db01.corp;Database=HoSo;User Id=sa;Password=Abc@123;",
    "Data Source=10.0.0.7;Initial Catalog=QLVB;User ID=qlvb;Password=Qlvb#2025",
    "Driver={ODBC Driver 17 for SQL Server};Server=10.0.0.5;UID=sa;PWD=Abc@123;",
    "DefaultEndpointsProtocol=https;AccountName=hoso;AccountKey=" + rnd(86, B64)
    + "==;EndpointSuffix=core.windows.net",
])
def test_connection_strings_redacted_whole(engine, conn):
    text = f"Cấu hình: {conn}\nLiên hệ phòng CNTT."
    result = engine.redact(text)
    found = [f for f in result.applied if f.entity in CRED or f.entity == "INTERNAL_NETWORK"
             or f.entity == "IP_ADDRESS"]
    assert [(f.entity, f.text) for f in found] == [("CONNECTION_STRING", conn)]
    assert result.text == "Cấu hình: [CHUỖI_KẾT_NỐI_1]\nLiên hệ phòng CNTT."


@pytest.mark.parametrize("text", [
    "Xem https://www.chinhphu.vn/van-ban và http://vbpl.vn/",
    "postgres://localhost/hoso",
    "https://git@github.com/owner/repo",
    "Server=db01;",
    "Công thức: a=b; c=d",
])
def test_not_connection_strings(engine, text):
    assert not [f for f in engine.analyze(text) if f.entity == "CONNECTION_STRING"]


def test_scan_is_linear_on_long_credentials_free_text(engine):
    # Not a timing test: a long text with many cue words and no values must simply
    # come back with no credential (the value search never runs away).
    text = ("mật khẩu là gì, token của ai, user và pass; " * 2000)
    assert creds(engine, text) == []


# -- tables -------------------------------------------------------------------------------------
def test_account_list_from_excel(engine):
    text = ("STT\tHọ tên\tTên đăng nhập\tMật khẩu\n"
            "1\tLan\tlan.nt\tLan@2025\n"
            "2\tHà\tha.vt\t12345678\n")
    found = [(e, v) for e, v in creds(engine, text)]
    assert found == [("CREDENTIAL_USERNAME", "lan.nt"), ("CREDENTIAL_PASSWORD", "Lan@2025"),
                     ("CREDENTIAL_USERNAME", "ha.vt"), ("CREDENTIAL_PASSWORD", "12345678")]


def test_markdown_table_password_column(engine):
    text = "| Hệ thống | Password |\n|---|---|\n| Một cửa | S3cret! |"
    assert creds(engine, text) == [("CREDENTIAL_PASSWORD", "S3cret!")]


def test_lone_cell_uses_caller_context(engine):
    assert creds(engine, "Hanoi@2025") == []
    found = [(f.entity, f.text) for f in engine.analyze("Hanoi@2025", context=["Mật khẩu"])]
    assert found == [("CREDENTIAL_PASSWORD", "Hanoi@2025")]


@pytest.mark.parametrize("text", [
    "Thiết bị\tPin\nĐiện thoại\t5000mAh",
    "Họ tên\tKết quả\tPass\nLan\t8,5\tĐạt",
    "Tên đăng nhập\tMật khẩu",
    "Tên đăng nhập\tMật khẩu\n\nVăn bản tiếp theo\tkhác\nabc\txyz",
])
def test_tables_without_credential_values(engine, text):
    assert creds(engine, text) == []


def test_bad_credential_field_fails_the_pack(tmp_path):
    import shutil

    from app.engine import Engine, RulePackError

    pack = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), pack)
    path = pack / "credentials.yaml"
    path.write_text(path.read_text("utf-8").replace("shape: otp", "shape: nonsense"), "utf-8")
    with pytest.raises(RulePackError, match="shape"):
        Engine.from_folders([pack])


def test_quoted_connection_string_keeps_its_closing_quote(engine):
    text = 'cn.Open "DRIVER={SQL Server};SERVER=db01;UID=sa;PWD=Xy9k!2;DATABASE=hoso"'
    assert engine.redact(text).text == 'cn.Open "[CHUỖI_KẾT_NỐI_1]"'


@pytest.mark.parametrize("text, expected", [
    ("tk là quantri, mk là Qt@2026", [("CREDENTIAL_USERNAME", "quantri"),
                                      ("CREDENTIAL_PASSWORD", "Qt@2026")]),
    ("tên đăng nhập là vanphong nhé", [("CREDENTIAL_USERNAME", "vanphong")]),
    ("user là kythuatvien", [("CREDENTIAL_USERNAME", "kythuatvien")]),
])
def test_plain_login_word_after_la(engine, text, expected):
    found = [(f.entity, f.text) for f in engine.analyze(text) if f.entity.startswith("CRED")]
    assert found == expected


@pytest.mark.parametrize("text", [
    "user là nguoi dung cuoi",            # one unaccented syllable: prose
    "tài khoản là gmail cá nhân",         # a service, not a login
    "tk là zalo của phòng",
    "the user is presented with a form",  # "is" keeps its stricter rule
])
def test_login_words_that_are_not_logins(engine, text):
    assert not [f for f in engine.analyze(text) if f.entity == "CREDENTIAL_USERNAME"]



@pytest.mark.parametrize("text, expected", [
    # Space-only pairs: the login is known by the password cue after it, a password
    # after a short cue ("pass", "mk") by its make-up.
    ("user trienkhai pass Tk9!mien2026", [("CREDENTIAL_USERNAME", "trienkhai"),
                                          ("CREDENTIAL_PASSWORD", "Tk9!mien2026")]),
    ("tk vanthu07 mk Vt@20261", [("CREDENTIAL_USERNAME", "vanthu07"),
                                 ("CREDENTIAL_PASSWORD", "Vt@20261")]),
    ("login backup password: bk2026xyz", [("CREDENTIAL_USERNAME", "backup"),
                                          ("CREDENTIAL_PASSWORD", "bk2026xyz")]),
    ("pw nQ7rTb2x nhé", [("CREDENTIAL_PASSWORD", "nQ7rTb2x")]),
])
def test_space_only_credentials(engine, text, expected):
    found = [(f.entity, f.text) for f in engine.analyze(text) if f.entity.startswith("CRED")]
    assert found == expected


@pytest.mark.parametrize("text", [
    "did not pass QA-2026 review",        # a code: no lower-case letter
    "pass 3 vòng phỏng vấn",              # a count
    "mk 2025 đã hết hạn",                 # digits only after a short cue
    "tài khoản nào có mật khẩu thì báo",  # prose between the cues
    "tài khoản email mật khẩu quên rồi",  # a service's name, not a login
])
def test_space_only_words_that_are_not_credentials(engine, text):
    assert not [f for f in engine.analyze(text) if f.entity.startswith("CRED")]


@pytest.mark.parametrize("text, value", [
    ("ssh quantri@10.31.4.7", "quantri"),
    ("scp baocao.xlsx ketoan2@srv-kt02:/data", "ketoan2"),
    ("chạy lệnh với backup@172.16.9.20 nhé", "backup"),
])
def test_login_at_a_host(engine, text, value):
    assert [f.text for f in engine.analyze(text) if f.entity == "CREDENTIAL_USERNAME"] == [value]


def test_a_mail_address_is_no_login(engine):
    assert [f.entity for f in engine.analyze("thư gửi lan.pt@sotttt.gov.vn")] == [
        "EMAIL_ADDRESS"]
