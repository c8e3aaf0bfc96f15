"""Screenshots of the officials' workspace at desktop (1366 px) and phone (390 px) width.

Run against a site with the demo loaded (`make demo`, then `manage.py runserver 8013`):
    /work/venv/bin/python docs/screenshots/workspace.py http://127.0.0.1:8013
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent
BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8013"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def login(page, username):
    page.goto(f"{BASE}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("demo12345")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def main():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
            page = context.new_page()
            login(page, "qng.chuyenvien")
            page.goto(f"{BASE}/tasks/")
            page.screenshot(path=OUT / f"my-tasks-{size}.png", full_page=size == "desktop")
            page.get_by_role("link", name="Tăng số lượng hội chợ thương mại", exact=False).first.click()
            page.wait_for_load_state()
            page.screenshot(path=OUT / f"task-{size}.png", full_page=True)
            # An update with a progress that does not fit the status: the form explains and keeps the text.
            page.get_by_label("Trạng thái").select_option(label="Hoàn thành")
            page.get_by_label("Tiến độ (%)").fill("80")
            page.get_by_label("Kết quả thực hiện").fill("Đã tổ chức 12 hội chợ; còn 01 hội chợ chưa quyết toán.")
            page.get_by_role("button", name="Lưu cập nhật").click()
            page.get_by_text("Nhiệm vụ hoàn thành thì tiến độ phải là 100%.").wait_for()
            page.locator("#task-actions").screenshot(path=OUT / f"task-update-error-{size}.png")
            context.clear_cookies()
            login(page, "qng.lanhdao")
            page.goto(f"{BASE}/plans/")
            page.screenshot(path=OUT / f"plans-{size}.png", full_page=size == "desktop")
            page.get_by_role("link", name="Thực hiện nhiệm vụ cải thiện", exact=False).first.click()
            page.wait_for_load_state()
            page.screenshot(path=OUT / f"plan-{size}.png", full_page=size == "desktop")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
