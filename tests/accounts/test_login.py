"""Logging in through the real form in Chromium."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import login
from tests.html import parse, text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_demo_official_logs_in_and_sees_the_vietnamese_portal(page, people):
    login(page, "alice")
    expect(page.get_by_text("Xin chào, Nguyễn Thị Alice")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "vi"


def test_wrong_password_is_refused_in_vietnamese(page, people):
    login(page, "alice", password="sai-mat-khau")
    assert "/login/" in page.url
    expect(page.get_by_text("Vui lòng nhập chính xác")).to_be_visible()


@pytest.mark.django_db
def test_portal_is_vietnamese_even_for_an_english_browser(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in page.content.decode()


@pytest.mark.django_db
def test_language_switch_turns_the_login_page_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = parse(client.get(reverse("login")))
    assert page.get("lang") == "en"
    assert text(page.xpath("//h1")[0]) == "Log in"
    assert text(page.xpath('//button[@type="submit"]')[0]) == "Log in"
    assert "Đăng nhập" not in text(page)
