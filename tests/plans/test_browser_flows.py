"""The real flows in Chromium, on the two source plans (`load_demo`)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from plans.models import Plan, Task
from tests.conftest import login

from .conftest import PDF_BYTES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

HOI_CHO = "Tăng số lượng hội chợ thương mại"


@pytest.fixture
def demo(reference):
    call_command("load_demo", force=True, verbosity=0, stderr=StringIO())


def test_official_updates_a_task_with_a_pdf_the_head_sees_it_and_another_agency_cannot_open_it(
    page, chromium, live_server, demo, tmp_path
):
    evidence = tmp_path / "Báo cáo hội chợ 2024.pdf"
    evidence.write_bytes(PDF_BYTES)

    login(page, "qng.chuyenvien", "demo12345")
    assert page.url.endswith("/tasks/")
    page.get_by_label("Tìm kiếm").fill("hội chợ")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name=re.compile(HOI_CHO)).click()
    task_url = page.url
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Trạng thái").select_option(label="Đang thực hiện")
    page.get_by_label("Tiến độ (%)").fill("60")
    page.get_by_label("Kết quả thực hiện").fill("Đã tổ chức 12 hội chợ, 350 doanh nghiệp tham gia.")
    page.get_by_label("Tệp minh chứng").set_input_files(str(evidence))
    page.get_by_role("button", name="Lưu cập nhật").click()

    history = page.locator("#task-history")
    history.get_by_text("Đã tổ chức 12 hội chợ, 350 doanh nghiệp tham gia.").wait_for()
    expect(history.get_by_role("link", name="Báo cáo hội chợ 2024.pdf")).to_be_visible()
    expect(page.locator("#task-header").get_by_text("60%")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the parts, no full reload

    head = chromium.new_context(base_url=live_server.url, locale="vi-VN").new_page()
    login(head, "qng.truongphong", "demo12345")
    head.goto(task_url)
    expect(head.locator("#task-history").get_by_text("Đã tổ chức 12 hội chợ")).to_be_visible()
    with head.expect_download() as download:
        head.get_by_role("link", name="Báo cáo hội chợ 2024.pdf").click()
    assert download.value.suggested_filename == "Báo cáo hội chợ 2024.pdf"
    head.context.close()

    outsider = chromium.new_context(base_url=live_server.url, locale="vi-VN").new_page()
    login(outsider, "tth.chuyenvien", "demo12345")
    response = outsider.goto(task_url)
    assert response.status == 404
    assert HOI_CHO not in outsider.content()
    outsider.context.close()


def test_a_wrong_file_shows_a_vietnamese_error_and_keeps_the_note(page, demo, tmp_path):
    fake = tmp_path / "bao-cao.pdf"
    fake.write_bytes(b"this is not a PDF")
    task = Task.objects.get(title__startswith=HOI_CHO)
    login(page, "qng.chuyenvien", "demo12345")
    page.goto(f"/tasks/{task.pk}/")
    page.get_by_label("Kết quả thực hiện").fill("Ghi chú không được mất")
    page.get_by_label("Tệp minh chứng").set_input_files(str(fake))
    page.get_by_role("button", name="Lưu cập nhật").click()
    page.get_by_text("không phải là tệp .pdf hợp lệ").wait_for()
    assert page.get_by_label("Kết quả thực hiện").input_value() == "Ghi chú không được mất"


def test_focal_office_adds_a_task_to_a_plan_in_the_browser(page, demo):
    plan = Plan.objects.get(key="qng-sct-2021")
    login(page, "qng.tonghop", "demo12345")
    assert "/plans/" in page.url
    page.get_by_role("link", name=re.compile(re.escape(plan.title[:40]))).click()
    page.get_by_role("link", name="Thêm nhiệm vụ", exact=True).click()
    page.get_by_label("Tên nhiệm vụ").fill("Tập huấn thương mại điện tử cho doanh nghiệp nhỏ")
    page.get_by_label("Đơn vị chủ trì").select_option(label="Phòng Quản lý thương mại")
    page.get_by_label("Thời gian thực hiện").select_option(label="Một lần (có hạn)")
    page.get_by_label("Hạn hoàn thành").fill("30/11/2025")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_role("heading", name="Tập huấn thương mại điện tử cho doanh nghiệp nhỏ").wait_for()
    expect(page.get_by_text("30/11/2025")).to_be_visible()
    assert plan.tasks.filter(title="Tập huấn thương mại điện tử cho doanh nghiệp nhỏ").exists()
