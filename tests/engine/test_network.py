"""IP addresses and internal network identifiers (spec §3.15) through the full engine."""

from __future__ import annotations

import pytest

NET = {"IP_ADDRESS", "INTERNAL_NETWORK"}


def net(engine, text):
    return [(f.entity, f.text) for f in engine.analyze(text) if f.entity in NET]


@pytest.mark.parametrize("text, expected", [
    ("Người dùng truy cập từ 203.113.131.1 lúc 8h.", [("IP_ADDRESS", "203.113.131.1")]),
    ("Máy chủ 192.168.1.10 và cổng 10.0.0.1.", [("INTERNAL_NETWORK", "192.168.1.10"),
                                             ("INTERNAL_NETWORK", "10.0.0.1")]),
    ("Dải 172.16.5.0/24 dành cho phòng họp", [("INTERNAL_NETWORK", "172.16.5.0/24")]),
    ("IP: 172.31.255.254", [("INTERNAL_NETWORK", "172.31.255.254")]),
    ("172.32.0.1 là địa chỉ công cộng", [("IP_ADDRESS", "172.32.0.1")]),
    ("IP máy in 192.168.001.010", [("INTERNAL_NETWORK", "192.168.001.010")]),
    ("IPv6 2001:db8:85a3::8a2e:370:7334 của khách", [("IP_ADDRESS", "2001:db8:85a3::8a2e:370:7334")]),
    ("Liên kết fe80::1ff:fe23:4567:890a", [("INTERNAL_NETWORK", "fe80::1ff:fe23:4567:890a")]),
    ("Địa chỉ IP là 192.168.1.10. Mật độ mạng cao.", [("INTERNAL_NETWORK", "192.168.1.10")]),
    ("10.0.0.1 Gateway của tòa nhà", [("INTERNAL_NETWORK", "10.0.0.1")]),
    ("14.225.7.9 là IP công cộng của máy chủ", [("IP_ADDRESS", "14.225.7.9")]),
    ("Điều chỉnh tường lửa cho IP 14.225.7.9", [("IP_ADDRESS", "14.225.7.9")]),
    ("bản mới chạy trên máy chủ 14.225.7.9", [("IP_ADDRESS", "14.225.7.9")]),
])
def test_ip_addresses(engine, text, expected):
    assert net(engine, text) == expected


def test_private_ip_placeholder(engine):
    result = engine.redact("Máy chủ 192.168.1.10 và 203.113.131.1")
    assert result.text == "Máy chủ [MẠNG_NỘI_BỘ_1] và [IP_1]"


@pytest.mark.parametrize("text", [
    "Theo mục 2.1.3.4 của quy chế",
    "Điều 1.2.3.4 quy định",
    "Cài phiên bản 1.2.3.4 mới",
    "Bản cập nhật v1.2.3.4 đã phát hành",
    "version 10.0.1.2 build 4",
    "1.2.3.4. Phạm vi điều chỉnh",
    "  2.1.1.3. Đối tượng áp dụng",
    "Số tiền 1.200.100.000 đồng",
    "Mã chỉ tiêu 1.2.3.4.5 và 10.20.30",
    "Subnet mask 255.255.255.0, broadcast 255.255.255.255, bind 0.0.0.0, 127.0.0.1",
    "Giá trị 999.1.1.1 không hợp lệ",
    "Lúc 10:30:45 ngày 12.03.2025",
    "OID 1.3.6.1.4.1.311",
    "26.7.1.1 Heading of a section",
    "Đặt DNS 8.8.8.8 hoặc 1.1.1.1, IPv6 2606:4700:4700::1111",   # public resolvers
    "Đã nâng lên phiên bản phần mềm 3.6.2.11 hôm qua",            # words between
    '{"appVersion": "1", "Version": "5.2.0.14"}',
])
def test_numbering_versions_and_non_addresses(engine, text):
    assert net(engine, text) == []


@pytest.mark.parametrize("text, value", [
    (r"Lưu tại \\fileserver\PhongKH\BaoCao\2025 nhé", r"\\fileserver\PhongKH\BaoCao\2025"),
    (r"Mở \\10.0.0.8\share\Phong Ke toan\bao cao.xlsx đã cập nhật",
     r"\\10.0.0.8\share\Phong Ke toan\bao"),
    ("Truy cập http://intranet.mof.gov.vn/tin-tuc để xem.", "http://intranet.mof.gov.vn/tin-tuc"),
    ("Ứng dụng http://10.1.2.3:8080/app, hết.", "http://10.1.2.3:8080/app"),
    ("Trang http://sharepoint/sites/vanthu nội bộ", "http://sharepoint/sites/vanthu"),
    ("Máy chủ db01.corp và", "db01.corp"),
    ("Tên miền ad.stp.local", "ad.stp.local"),
    ("Cổng noibo.hanoi.gov.vn", "noibo.hanoi.gov.vn"),
    ("VPN: vpn.internal.stc.vn (cổng 443)", "vpn.internal.stc.vn"),
    ("mail.corp.abc.com.vn", "mail.corp.abc.com.vn"),
    ("Thư mục file://nas01/hoso/2025", "file://nas01/hoso/2025"),
    ("MAC 00:1A:2B:3C:4D:5E của máy", "00:1A:2B:3C:4D:5E"),
    ("MAC 001a.2b3c.4d5e", "001a.2b3c.4d5e"),
])
def test_internal_network(engine, text, value):
    assert net(engine, text) == [("INTERNAL_NETWORK", value)]


@pytest.mark.parametrize("text", [
    "Xem https://www.chinhphu.vn/ và http://vbpl.vn/tw/Pages/home.aspx",
    "Mở http://localhost:8080/ để thử",
    "Tệp file:///C:/Users/Public/a.docx",
    "Tệp bao_cao.docx và report.local.docx",
    "Email lan@stp.corp.vn",
    r'printf("xong\\n"); chuỗi "a\\nguyen"',
    "Trang web andorra.ad và tin.home",
])
def test_not_internal(engine, text):
    assert net(engine, text) == []


def test_connection_string_beats_ip_inside(engine):
    found = engine.analyze("postgres://app:S3cret@10.0.0.5:5432/hoso")
    assert [f.entity for f in found] == ["CONNECTION_STRING"]


def test_ip_in_internal_url_is_one_finding(engine):
    found = [f for f in engine.analyze("http://192.168.1.5/admin") if f.entity in NET]
    assert [(f.entity, f.text) for f in found] == [("INTERNAL_NETWORK", "http://192.168.1.5/admin")]
