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
