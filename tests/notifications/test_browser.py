"""In a real browser: the bell shows the unread count, marking read updates it without a reload."""

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_head_reads_reminders_and_the_badge_follows(page, reference, people):
    for title in ["Báo cáo còn 7 ngày: Báo cáo A", "Nhiệm vụ quá hạn 3 ngày: Hội chợ"]:
        Notification.objects.create(user=people["bob"], title=title, url="/notifications/preferences/")
    Notification.objects.create(user=people["alice"], title="Không phải của Bình")
    login(page, "bob")
    badge = page.locator("#unread-badge")
    assert badge.inner_text().startswith("2")
    page.get_by_role("link", name="Thông báo").click()
    assert page.get_by_text("Không phải của Bình").count() == 0
    page.get_by_role("button", name="Đánh dấu đã đọc").first.click()
    page.wait_for_function("document.querySelector('#unread-badge').innerText.startsWith('1')")
    assert page.get_by_role("button", name="Đánh dấu đã đọc").count() == 1
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Đã đánh dấu 1 thông báo là đã đọc.")).to_be_visible()
    assert page.locator("#unread-badge").count() == 0
    page.get_by_role("button", name="Xem").first.click()
    page.wait_for_url("**/notifications/preferences/")
    expect(page.get_by_role("heading", name="Tùy chọn nhận thông báo")).to_be_visible()
