"""The real flow in Chromium: a unit head submits, the focal office accepts and renders the PDF.

Set SCREENSHOT_DIR=docs/screenshots to also save the pictures of the pages.
"""

import os
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from reporting.models import Submission
from tests.conftest import login

from .conftest import at

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def shot(page, name, width=1366):
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    page.set_viewport_size({"width": width, "height": 900})
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(folder) / name), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def _link_to_the_report_in(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return next(line.split(": ", 1)[1].strip() for line in text.splitlines() if "/units/" in line)


def test_unit_head_follows_the_reminder_submits_after_confirming_and_focal_office_accepts(
    page, eager, deadline, unit_tasks, org, heads, smtp_server, settings
):
    from notifications.reminders import send_reminders

    settings.SITE_URL = page.base_url  # the links of the e-mail lead to this server
    asked = []

    def confirm(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", confirm)
    with time_machine.travel(at(2025, 11, 10), tick=True):
        send_reminders(on=at(2025, 11, 10).date())
        [reminder] = [m["message"] for m in smtp_server.messages if m["to"] == ["bob@example.vn"]]
        link = _link_to_the_report_in(reminder)
        assert link.startswith(page.base_url)
        login(page, "bob")
        page.goto(link)
        expect(page.get_by_role("heading", name="Báo cáo kết quả thực hiện Kế hoạch 2025")).to_be_visible()
        results = page.get_by_label("Kết quả đạt được").nth(1)
        results.fill("Hỗ trợ 15 doanh nghiệp đăng ký nhãn hiệu.")
        page.get_by_label("Tóm tắt kết quả thực hiện").fill("Phòng hoàn thành 2/2 nhiệm vụ được giao.")
        page.get_by_label("Đề xuất, kiến nghị chung").fill("Đề nghị bố trí kinh phí xúc tiến thương mại năm 2026.")
        shot(page, "report-submission-form.png")
        shot(page, "report-submission-form-phone.png", width=390)
        page.get_by_role("button", name="Gửi báo cáo").click()
        expect(page.get_by_text("Đã gửi báo cáo đến")).to_be_visible()
        assert asked and asked[-1].startswith("Gửi báo cáo đến")
        expect(page.get_by_text("Hỗ trợ 15 doanh nghiệp đăng ký nhãn hiệu.")).to_be_visible()
        assert page.get_by_role("button", name="Gửi báo cáo").count() == 0

        page.context.clear_cookies()
        login(page, "carol")
        page.goto(f"/reports/deadlines/{deadline.pk}/")
        row = page.locator(f'tr[data-unit="{org["qltm"].code}"]')
        expect(row.get_by_text("Đúng hạn")).to_be_visible()
        row.get_by_role("button", name="Tiếp nhận").click()
        expect(page.locator(f'tr[data-unit="{org["qltm"].code}"]').get_by_text("Đã tiếp nhận")).to_be_visible()
        assert asked[-1].startswith("Tiếp nhận báo cáo của")
        page.get_by_role("button", name="PDF").click()
        page.get_by_role("link", name="Tải về").wait_for()
        shot(page, "report-tracker.png")
        shot(page, "report-tracker-phone.png", width=390)
        with page.expect_download() as info:
            page.get_by_role("link", name="Tải về").click()
        assert info.value.suggested_filename.endswith("-v1.pdf")
    assert Submission.objects.get(deadline=deadline, unit=org["qltm"]).status == Submission.Status.ACCEPTED
