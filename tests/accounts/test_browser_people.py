"""People's own flows in Chromium: forgot password (the e-mail reaches the SMTP server), change password."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NEW = re.compile(r"^\s*Mật khẩu mới")


def _link(inbox):
    text = inbox.messages[-1]["message"].get_body(("plain",)).get_content()
    return re.search(r"http://\S+", text).group(0)


def test_a_user_resets_a_forgotten_password_from_the_e_mail_and_logs_in(page, people, eager, smtp_server, settings):
    page.goto("/login/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.get_by_label("E-mail đăng ký với cổng").fill("bob@example.vn")
    page.get_by_role("button", name="Gửi liên kết đặt lại mật khẩu").click()
    expect(page.get_by_role("heading", name="Kiểm tra hộp thư")).to_be_visible()

    assert [m["to"] for m in smtp_server.messages] == [["bob@example.vn"]]
    link = _link(smtp_server)
    assert link.startswith(settings.SITE_URL)
    page.goto(link.replace(settings.SITE_URL, page.base_url))
    expect(page.get_by_text("Tài khoản: bob")).to_be_visible()
    page.get_by_label(NEW).fill("12345")
    page.get_by_label("Nhập lại mật khẩu mới").fill("12345")
    page.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page.get_by_text("Mật khẩu quá ngắn: cần ít nhất 10 ký tự.")).to_be_visible()
    page.get_by_label(NEW).fill("Cau Tra Khuc 1975")
    page.get_by_label("Nhập lại mật khẩu mới").fill("Cau Tra Khuc 1975")
    page.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page.get_by_role("heading", name="Đã đặt mật khẩu mới")).to_be_visible()

    login(page, "bob", "Cau Tra Khuc 1975")
    expect(page.get_by_text("Xin chào, Trần Văn Bình")).to_be_visible()


def test_a_user_changes_their_password(page, people):
    login(page, "alice")
    page.get_by_role("button", name="Nguyễn Thị Alice").click()
    page.get_by_role("link", name="Đổi mật khẩu").click()
    page.get_by_label("Mật khẩu hiện tại").fill("mat-khau-123")
    page.get_by_label(NEW).fill("Bien xanh Sa Huynh 9")
    page.get_by_label("Nhập lại mật khẩu mới").fill("Bien xanh Sa Huynh 9")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_role("heading", name="Đã đổi mật khẩu")).to_be_visible()
    page.get_by_role("button", name="Nguyễn Thị Alice").click()
    page.get_by_role("button", name="Đăng xuất").click()
    login(page, "alice", "mat-khau-123")
    expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng")).to_be_visible()
    login(page, "alice", "Bien xanh Sa Huynh 9")
    expect(page.get_by_text("Xin chào, Nguyễn Thị Alice")).to_be_visible()


def test_a_province_administrator_creates_a_unit_imports_20_users_and_one_of_them_accepts_the_invitation(
    page, chromium, live_server, org, eager, smtp_server, settings, tmp_path
):
    from openpyxl import load_workbook

    from accounts.models import User
    from tests.factories import UserFactory

    UserFactory(username="qng.quantri", full_name="Huỳnh Thị Kim Oanh", role=User.Role.PROVINCE_ADMIN, unit=org["ubnd"])
    login(page, "qng.quantri")
    page.get_by_role("link", name="Đơn vị và người dùng").click()
    page.get_by_role("link", name="Thêm đơn vị", exact=True).click()
    page.get_by_label(re.compile(r"^\s*Tên đơn vị")).fill("Phòng Quản lý năng lượng")
    page.get_by_label(re.compile(r"^\s*Loại")).select_option(label="Phòng")
    parent = page.get_by_label(re.compile(r"^\s*Đơn vị cấp trên"))
    parent.select_option(parent.locator("option", has_text="Sở Công Thương").get_attribute("value"))
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã tạo đơn vị Phòng Quản lý năng lượng (mã QNG-SCT-PQLNL).")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Phòng Quản lý năng lượng"))).to_be_visible()

    page.get_by_role("link", name="Nhập từ Excel").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp mẫu (.xlsx)").click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    wb = load_workbook(template)
    ws = wb["Người dùng"]
    for n in range(1, 21):
        ws.append([f"Nguyễn Văn Số {n}", f"so{n}@quangngai.gov.vn", "QNG-SCT-PQLNL", "Chuyên viên", "Chuyên viên", ""])
    filled = tmp_path / "nguoi-dung.xlsx"
    wb.save(filled)

    page.get_by_label(re.compile(r"^\s*Tệp Excel")).set_input_files(str(filled))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_text("Xem trước: 20 tạo mới, 0 cập nhật, 0 không đổi, 0 dòng lỗi.")).to_be_visible()
    page.get_by_role("button", name="Xác nhận nhập 20 dòng").click()
    expect(page.get_by_text(re.compile("Đã nhập xong: 20 tài khoản mới"))).to_be_visible()
    assert User.objects.filter(unit__code="QNG-SCT-PQLNL").count() == 20
    assert len(smtp_server.messages) == 20

    [mail] = [m for m in smtp_server.messages if m["to"] == ["so7@quangngai.gov.vn"]]
    page.get_by_role("button", name="Huỳnh Thị Kim Oanh").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.goto(_link_of(mail).replace(settings.SITE_URL, page.base_url))
    expect(page.get_by_role("heading", name="Chào mừng đến Cổng PCI")).to_be_visible()
    page.get_by_label(NEW).fill("Nang luong sach 2030")
    page.get_by_label("Nhập lại mật khẩu mới").fill("Nang luong sach 2030")
    page.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page.get_by_text("Đã đặt mật khẩu cho tài khoản so7. Mời đồng chí đăng nhập.")).to_be_visible()
    login(page, "so7", "Nang luong sach 2030")
    expect(page.get_by_text("Xin chào, Nguyễn Văn Số 7")).to_be_visible()


def _link_of(mail):
    return re.search(r"http://\S+", mail["message"].get_body(("plain",)).get_content()).group(0)
